// What a trial keeps of its information plane: per layer and estimator a few
// numbers that describe the I(X;T) trajectory (where it started, peaked and
// ended), and, for the first estimator, the per-epoch I(X;T) and I(T;Y) that
// median trajectories are computed from. The full records go to curves/.
import type { EpochMetrics } from '../../train/trainer.ts';
import type { MiRecord } from '../mi-measure.ts';

export interface LayerTrajectory {
  /** I(X;T) at the first measured epoch (0 = at init, before training). */
  ixt0: number;
  /** The largest I(X;T) and the first epoch it was reached. */
  peakIxt: number;
  peakEpoch: number;
  /** The smallest I(X;T) after the peak; null when the peak is the last measured epoch. */
  minIxtAfterPeak: number | null;
  finalEpoch: number;
  finalIxt: number;
  finalIty: number;
  finalHt: number;
  /** The ceiling of I(X;T) (log2 N when every sample is its own x). */
  ceilingX: number;
}

/** estimator → layer → trajectory. */
export type MiTrajectories = Record<string, Record<string, LayerTrajectory>>;

/** Per-epoch curves of one run, small enough to sit in every trials.jsonl line. */
export interface CompactCurve {
  /** Test accuracy after epochs 1..n. */
  testAcc: (number | null)[];
  /** The estimator of the MI curves (the spec's first binning); null without MI. */
  estimator: string | null;
  /** The epochs MI was measured at. */
  miEpochs: number[];
  ixt: Record<string, number[]>;
  ity: Record<string, number[]>;
  /** H(T) per layer and MI epoch (bits), for trials-mi.csv. */
  ht?: Record<string, number[]>;
  /** Whether H(T) reached the ceiling log2 N, per layer and MI epoch. */
  saturated?: Record<string, boolean[]>;
  /** The range each layer was binned over per MI epoch: one entry when it never changed (fixed binning), null for width binning. */
  range?: Record<string, (number[] | null)[]>;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function layerTrajectory(records: readonly MiRecord[]): LayerTrajectory {
  const byEpoch = [...records].sort((a, b) => a.epoch - b.epoch);
  let peak = 0;
  for (let i = 1; i < byEpoch.length; i++) if (byEpoch[i].ixt > byEpoch[peak].ixt) peak = i;
  const after = byEpoch.slice(peak + 1).map((r) => r.ixt);
  const last = byEpoch[byEpoch.length - 1];
  return {
    ixt0: byEpoch[0].ixt,
    peakIxt: byEpoch[peak].ixt,
    peakEpoch: byEpoch[peak].epoch,
    minIxtAfterPeak: after.length ? Math.min(...after) : null,
    finalEpoch: last.epoch,
    finalIxt: last.ixt,
    finalIty: last.ity,
    finalHt: last.ht,
    ceilingX: last.ceilingX,
  };
}

export function miTrajectories(mi: readonly MiRecord[]): MiTrajectories {
  const out: MiTrajectories = {};
  for (const [estimator, records] of groupBy(mi, (r) => r.estimator)) {
    out[estimator] = {};
    for (const [layer, layerRecords] of groupBy(records, (r) => r.layer)) out[estimator][layer] = layerTrajectory(layerRecords);
  }
  return out;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export function compactCurve(history: readonly EpochMetrics[], mi: readonly MiRecord[], estimator: string | null): CompactCurve {
  const first = estimator === null ? [] : mi.filter((r) => r.estimator === estimator);
  const miEpochs = [...new Set(first.map((r) => r.epoch))].sort((a, b) => a - b);
  const ixt: Record<string, number[]> = {};
  const ity: Record<string, number[]> = {};
  const ht: Record<string, number[]> = {};
  const saturated: Record<string, boolean[]> = {};
  const range: Record<string, (number[] | null)[]> = {};
  for (const [layer, records] of groupBy(first, (r) => r.layer)) {
    const sorted = [...records].sort((a, b) => a.epoch - b.epoch);
    ixt[layer] = sorted.map((r) => r.ixt);
    ity[layer] = sorted.map((r) => r.ity);
    ht[layer] = sorted.map((r) => r.ht);
    saturated[layer] = sorted.map((r) => r.saturated);
    const ranges = sorted.map((r) => r.range);
    const constant = ranges.every((x) => JSON.stringify(x) === JSON.stringify(ranges[0]));
    range[layer] = constant ? ranges.slice(0, 1) : ranges;
  }
  return { testAcc: history.map((m) => finiteOrNull(m.testAcc)), estimator: first.length ? estimator : null, miEpochs, ixt, ity, ht, saturated, range };
}
