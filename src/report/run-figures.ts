// The plots and the self-contained report.html of a run, rendered from what
// the run directory holds (so `infoplane report <dir>` can redo them).
import type { KdeRecord, KsgRecord, MiRecord } from '../experiment/mi-measure.ts';
import type { EpochMetrics } from '../train/trainer.ts';
import { renderRunPage } from './run-page.ts';
import { informationPlaneSpec, miVsEpochSpec, trainingCurvesSpec, type PlanePoint } from './plot-specs.ts';
import { renderSvg, svgToPng } from './render.ts';

export interface RunRecord {
  spec: Record<string, unknown>;
  summary: Record<string, unknown>;
  history: EpochMetrics[];
  mi: MiRecord[];
  kde?: KdeRecord[];
  ksg?: KsgRecord[];
}

export interface Figure {
  name: string;
  title: string;
  svg: string;
}

export async function runFigureList(run: RunRecord): Promise<Figure[]> {
  const figures: Figure[] = [];
  if (run.mi.length > 0) {
    const points: PlanePoint[] = run.mi.map((r) => ({ epoch: r.epoch, layer: r.layer, ixt: r.ixt, ity: r.ity, estimator: r.estimator }));
    for (const r of run.kde ?? []) {
      points.push({ epoch: r.epoch, layer: r.layer, ixt: r.ixtUpper, ity: r.ityFromUpper, estimator: `kde-upper:${r.noiseVariance}` });
      points.push({ epoch: r.epoch, layer: r.layer, ixt: r.ixtLower, ity: r.ityFromLower, estimator: `kde-lower:${r.noiseVariance}` });
    }
    for (const r of run.mi) {
      if (r.ixtMillerMadow !== undefined) points.push({ epoch: r.epoch, layer: r.layer, ixt: r.ixtMillerMadow, ity: r.ityMillerMadow!, estimator: `${r.estimator}:miller-madow` });
    }
    figures.push({ name: 'information-plane', title: 'Information plane', svg: await renderSvg(informationPlaneSpec(points, 'Information plane (binning estimator)')) });
    figures.push({ name: 'mi-vs-epoch', title: 'MI per layer vs epoch', svg: await renderSvg(miVsEpochSpec(points, 'I(X;T) and I(T;Y) per layer')) });
  }
  // KSG on its own panel: its I(X;T) is against the input pixels on a subsample, not comparable in scale to H(T) of binning.
  const ksg = (run.ksg ?? []).filter((r) => r.ixt !== null);
  if (ksg.length > 0) {
    const points: PlanePoint[] = ksg.map((r) => ({ epoch: r.epoch, layer: r.layer, ixt: r.ixt!, ity: r.ity, estimator: `ksg:k=${r.k}, ${r.samples} rows` }));
    figures.push({ name: 'ksg-information-plane', title: 'Information plane (KSG)', svg: await renderSvg(informationPlaneSpec(points, 'Information plane (KSG: Kraskov et al. 2004; Ross 2014 for I(T;Y))')) });
  }
  figures.push({ name: 'training', title: 'Accuracy and loss', svg: await renderSvg(trainingCurvesSpec(run.history, 'Accuracy and loss per epoch')) });
  return figures;
}

/** plots/<name>.svg and .png for every figure, and report.html with the SVGs inline. */
export async function runFigureFiles(run: RunRecord): Promise<Record<string, string | Uint8Array>> {
  const figures = await runFigureList(run);
  const files: Record<string, string | Uint8Array> = {};
  for (const f of figures) {
    files[`plots/${f.name}.svg`] = f.svg;
    files[`plots/${f.name}.png`] = svgToPng(f.svg);
  }
  files['report.html'] = renderRunPage(run, figures);
  return files;
}
