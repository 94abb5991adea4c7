// The data-processing check of a run (src/mi/data-processing.ts): for every
// estimator and measured epoch, the layers from h1 to the output, each
// estimate that rises with depth beyond the estimator's tolerance.
import { DPI_TOLERANCE_BITS, type DpiViolation, dataProcessingViolations } from '../mi/data-processing.ts';
import type { KdeRecord, KsgRecord, MiRecord } from './mi-measure.ts';

export type DpiRecord = DpiViolation & { epoch: number; estimator: string };

type LayerEstimate = { epoch: number; layer: string; ixt: number | null; ity: number };

/** Groups by (estimator, epoch), keeping the records' layer order (h1..hK, out). */
function byPlane(estimates: readonly (LayerEstimate & { estimator: string })[]): Map<string, (LayerEstimate & { estimator: string })[]> {
  const planes = new Map<string, (LayerEstimate & { estimator: string })[]>();
  for (const e of estimates) {
    const key = `${e.estimator}\u0000${e.epoch}`;
    planes.set(key, [...(planes.get(key) ?? []), e]);
  }
  return planes;
}

export function dataProcessingRecords(mi: readonly MiRecord[], kde: readonly KdeRecord[], ksg: readonly KsgRecord[]): DpiRecord[] {
  const estimates = [
    ...mi.map((r) => ({ ...r, tolerance: DPI_TOLERANCE_BITS.binning })),
    ...mi
      .filter((r) => r.ixtMillerMadow !== undefined)
      .map((r) => ({
        epoch: r.epoch,
        layer: r.layer,
        ixt: r.ixtMillerMadow!,
        ity: r.ityMillerMadow!,
        estimator: `${r.estimator}:miller-madow`,
        tolerance: DPI_TOLERANCE_BITS.binning,
      })),
    ...kde.flatMap((r) => [
      { epoch: r.epoch, layer: r.layer, ixt: r.ixtUpper, ity: r.ityFromUpper, estimator: `kde-upper:${r.noiseVariance}`, tolerance: DPI_TOLERANCE_BITS.kde },
      { epoch: r.epoch, layer: r.layer, ixt: r.ixtLower, ity: r.ityFromLower, estimator: `kde-lower:${r.noiseVariance}`, tolerance: DPI_TOLERANCE_BITS.kde },
    ]),
    ...ksg.map((r) => ({ ...r, estimator: `ksg:${r.k}`, tolerance: DPI_TOLERANCE_BITS.ksg })),
  ];
  const tolerance = new Map(estimates.map((e) => [e.estimator, e.tolerance]));
  return [...byPlane(estimates).values()].flatMap((plane) =>
    dataProcessingViolations(plane, tolerance.get(plane[0].estimator)!).map((v) => ({ epoch: plane[0].epoch, estimator: plane[0].estimator, ...v })),
  );
}
