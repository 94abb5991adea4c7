// What is "odd" about a run's information plane, measured against the
// seed-to-seed spread of the unpruned runs, not a fixed offset. The
// reference is, per layer, the range over the unpruned runs of the
// final-epoch I(X;T) and I(T;Y) on the first estimator (fixed:30). A run's
// plane is odd when some layer ends outside that range:
//
//   zero-mi    the last hidden layer or the output ends with I(X;T) below
//              zeroMiBits (0.05, as the trials label): it carries no
//              information about the input (the report's 40%-neuron plane);
//   low-ixt    some layer ends below the unpruned runs' lowest I(X;T);
//   high-ixt   some layer ends above their highest;
//   low-ity    some layer ends below their lowest I(T;Y);
//   high-ity   some layer ends above their highest.
//
// An unpruned run is checked against the range of the other unpruned runs
// (leave one out), so the unpruned odd rate is the rate at which a run of
// the same setting falls outside the range of the rest: about 2/(n+1) per
// figure by chance. A pruned setting's plane "appears" odd only when it is
// odd more often than that (claims 3, 5 and 8 compare with it).
//
// The tags are not exclusive; a plane is odd when it has any. Final points,
// not whole trajectories: they are in every journal line, and where a layer
// ends is what the report's planes differ in.
import type { TrialRecord } from '../trials/record.ts';
import { DEFAULT_THRESHOLDS } from '../trials/thresholds.ts';

export const ODD_TAGS = ['zero-mi', 'low-ixt', 'high-ixt', 'low-ity', 'high-ity'] as const;
export type OddTag = (typeof ODD_TAGS)[number];

export const PLANE_TOLERANCE = Object.freeze({
  /** Below this final I(X;T) a layer carries no information about the input. */
  zeroMiBits: DEFAULT_THRESHOLDS.zeroMiBits,
});

export interface LayerPoint {
  ixt: number;
  ity: number;
}

export interface Range {
  median: number;
  min: number;
  max: number;
}

export interface PlaneReference {
  estimator: string;
  /** Unpruned runs the ranges are over. */
  runs: number;
  /** Per layer, median and range over the unpruned runs. */
  layers: Record<string, { ixt: Range; ity: Range }>;
  /** The unpruned runs' final points, for the leave-one-out check of each of them. */
  points: { seed: number; layers: Record<string, LayerPoint> }[];
}

/** The layer and figure a run deviates most in, measured in widths of the unpruned range. */
export interface Deviation {
  layer: string;
  quantity: 'ixt' | 'ity';
  /** Final value minus the nearest end of the unpruned range (0 inside it), in bits. */
  outside: number;
}

export interface PlaneCheck {
  seed: number;
  /** False for errors, diverged runs and runs without MI: not classified. */
  measured: boolean;
  tags: OddTag[];
  /** Per layer: final point minus the unpruned median (bits). */
  deviations: Record<string, LayerPoint>;
  /** The layers that end with zero I(X;T). */
  zeroAt: string[];
  /** The largest excursion outside the unpruned range, or null when every layer ends inside it. */
  worst: Deviation | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Final (I(X;T), I(T;Y)) per layer of a run, or null when the run has none for this estimator. */
export function finalPoints(record: TrialRecord, estimator: string): Record<string, LayerPoint> | null {
  if (record.status !== 'ok' || record.outcome.accuracy === 'diverged') return null;
  const layers = record.mi?.[estimator];
  if (!layers || Object.keys(layers).length === 0) return null;
  return Object.fromEntries(Object.entries(layers).map(([layer, t]) => [layer, { ixt: t.finalIxt, ity: t.finalIty }]));
}

function rangeOf(xs: number[]): Range {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

function layersOf(points: readonly Record<string, LayerPoint>[]): PlaneReference['layers'] {
  const layers: PlaneReference['layers'] = {};
  for (const layer of Object.keys(points[0] ?? {})) {
    const at = points.filter((p) => p[layer]);
    layers[layer] = { ixt: rangeOf(at.map((p) => p[layer].ixt)), ity: rangeOf(at.map((p) => p[layer].ity)) };
  }
  return layers;
}

export function planeReference(baseline: readonly TrialRecord[], estimator: string): PlaneReference | null {
  const points = baseline.flatMap((r) => {
    const p = finalPoints(r, estimator);
    return p ? [{ seed: r.seed, layers: p }] : [];
  });
  if (points.length === 0) return null;
  return { estimator, runs: points.length, layers: layersOf(points.map((p) => p.layers)), points };
}

/** The last hidden layer and the output: the layers "the last layer" can mean. */
export function lastLayers(layers: readonly string[]): string[] {
  const hidden = layers.filter((l) => /^h\d+$/.test(l)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return [...hidden.slice(-1), ...layers.filter((l) => l === 'out')];
}

/**
 * Tags a run's plane against the unpruned ranges. `leaveOut` checks an
 * unpruned run against the others (its own seed left out of the range).
 */
export function checkPlane(record: TrialRecord, reference: PlaneReference | null, leaveOut = false, tolerance = PLANE_TOLERANCE): PlaneCheck {
  const estimator = reference?.estimator ?? '';
  const points = reference ? finalPoints(record, estimator) : null;
  const none = { seed: record.seed, measured: false, tags: [], deviations: {}, zeroAt: [], worst: null };
  if (!reference || !points) return none;
  const others = leaveOut ? reference.points.filter((p) => p.seed !== record.seed) : reference.points;
  if (others.length === 0) return none;
  const ranges = leaveOut ? layersOf(others.map((p) => p.layers)) : reference.layers;
  const tags = new Set<OddTag>();
  const deviations: Record<string, LayerPoint> = {};
  let worst: Deviation | null = null;
  let worstScore = 0;
  for (const [layer, ref] of Object.entries(ranges)) {
    const p = points[layer];
    if (!p) continue;
    deviations[layer] = { ixt: p.ixt - ref.ixt.median, ity: p.ity - ref.ity.median };
    for (const quantity of ['ixt', 'ity'] as const) {
      const r = ref[quantity];
      const outside = p[quantity] < r.min ? p[quantity] - r.min : p[quantity] > r.max ? p[quantity] - r.max : 0;
      if (outside < 0) tags.add(quantity === 'ixt' ? 'low-ixt' : 'low-ity');
      if (outside > 0) tags.add(quantity === 'ixt' ? 'high-ixt' : 'high-ity');
      // Scored against the range's width (floored so a zero-width range still compares), so bits of I(X;T) and I(T;Y) compare.
      const score = Math.abs(outside) / Math.max(r.max - r.min, 1e-3);
      if (outside !== 0 && score > worstScore) [worst, worstScore] = [{ layer, quantity, outside }, score];
    }
  }
  const zeroAt = lastLayers(Object.keys(points)).filter((l) => points[l].ixt < tolerance.zeroMiBits);
  if (zeroAt.length) tags.add('zero-mi');
  return { seed: record.seed, measured: true, tags: ODD_TAGS.filter((t) => tags.has(t)), deviations, zeroAt, worst };
}

export const isOdd = (c: PlaneCheck) => c.measured && c.tags.length > 0;

/** The mean over layers of the final I(X;T): one number for "how much information the plane holds". */
export function meanFinalIxt(record: TrialRecord, estimator: string): number | null {
  const points = finalPoints(record, estimator);
  if (!points) return null;
  const values = Object.values(points).map((p) => p.ixt);
  return values.reduce((s, v) => s + v, 0) / values.length;
}
