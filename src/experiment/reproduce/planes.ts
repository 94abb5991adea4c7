// What is "odd" about a run's information plane, measured against the
// unpruned runs. The reference is, per layer, the median over the unpruned
// runs of the final-epoch I(X;T) and I(T;Y) on the first estimator
// (fixed:30). A run's plane is odd when some layer ends away from it:
//
//   zero-mi    the last hidden layer or the output ends with I(X;T) below
//              zeroMiBits (0.05, as the trials label): it carries no
//              information about the input (the report's 40%-neuron plane);
//   low-ixt    some layer ends ≥ ixtBits (1 bit) below the reference I(X;T);
//   high-ixt   some layer ends ≥ ixtBits above it;
//   low-ity    some layer ends ≥ ityBits (0.1 bit) below the reference I(T;Y);
//   high-ity   some layer ends ≥ ityBits above it.
//
// The tags are not exclusive; a plane is odd when it has any. Final points,
// not whole trajectories: they are in every journal line, and where a layer
// ends is what the report's planes differ in. 1 bit is ~8% of the I(X;T)
// axis (log2 10 000 = 13.3 bits on the 10 000 test images) and above the
// seed-to-seed spread of unpruned runs; 0.1 bit is 10% of H(Y) = 1 bit.
import type { TrialRecord } from '../trials/record.ts';
import { DEFAULT_THRESHOLDS } from '../trials/thresholds.ts';

export const ODD_TAGS = ['zero-mi', 'low-ixt', 'high-ixt', 'low-ity', 'high-ity'] as const;
export type OddTag = (typeof ODD_TAGS)[number];

export const PLANE_TOLERANCE = Object.freeze({
  /** I(X;T) distance from the unpruned reference that makes a layer odd. */
  ixtBits: 1,
  /** I(T;Y) distance from the unpruned reference that makes a layer odd. */
  ityBits: 0.1,
  /** Below this final I(X;T) a layer carries no information about the input. */
  zeroMiBits: DEFAULT_THRESHOLDS.zeroMiBits,
});

export interface LayerPoint {
  ixt: number;
  ity: number;
}

export interface PlaneReference {
  estimator: string;
  /** Unpruned runs the medians are over. */
  runs: number;
  layers: Record<string, LayerPoint>;
}

export interface PlaneCheck {
  seed: number;
  /** False for errors, diverged runs and runs without MI: not classified. */
  measured: boolean;
  tags: OddTag[];
  /** Per layer: final point minus the reference (bits). */
  deviations: Record<string, LayerPoint>;
  /** One line: the largest deviation, e.g. "h3 I(X;T) −4.21 bits". */
  summary: string;
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

export function planeReference(baseline: readonly TrialRecord[], estimator: string): PlaneReference | null {
  const points = baseline.map((r) => finalPoints(r, estimator)).filter((p): p is Record<string, LayerPoint> => p !== null);
  if (points.length === 0) return null;
  const layers: Record<string, LayerPoint> = {};
  for (const layer of Object.keys(points[0])) {
    const at = points.filter((p) => p[layer]);
    layers[layer] = { ixt: median(at.map((p) => p[layer].ixt)), ity: median(at.map((p) => p[layer].ity)) };
  }
  return { estimator, runs: points.length, layers };
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** The last hidden layer and the output: the layers "the last layer" can mean. */
export function lastLayers(layers: readonly string[]): string[] {
  const hidden = layers.filter((l) => /^h\d+$/.test(l)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return [...hidden.slice(-1), ...layers.filter((l) => l === 'out')];
}

export function checkPlane(record: TrialRecord, reference: PlaneReference | null, tolerance = PLANE_TOLERANCE): PlaneCheck {
  const estimator = reference?.estimator ?? '';
  const points = reference ? finalPoints(record, estimator) : null;
  if (!reference || !points) return { seed: record.seed, measured: false, tags: [], deviations: {}, summary: 'not measured' };
  const tags = new Set<OddTag>();
  const deviations: Record<string, LayerPoint> = {};
  let worst = { score: 0, text: 'every layer ends near the unpruned runs' };
  for (const [layer, ref] of Object.entries(reference.layers)) {
    const p = points[layer];
    if (!p) continue;
    const d = { ixt: p.ixt - ref.ixt, ity: p.ity - ref.ity };
    deviations[layer] = d;
    if (d.ixt <= -tolerance.ixtBits) tags.add('low-ixt');
    if (d.ixt >= tolerance.ixtBits) tags.add('high-ixt');
    if (d.ity <= -tolerance.ityBits) tags.add('low-ity');
    if (d.ity >= tolerance.ityBits) tags.add('high-ity');
    // Scored in units of each tolerance, so bits of I(X;T) and of I(T;Y) compare.
    const [sx, sy] = [Math.abs(d.ixt) / tolerance.ixtBits, Math.abs(d.ity) / tolerance.ityBits];
    if (Math.max(sx, sy) > worst.score) {
      worst = { score: Math.max(sx, sy), text: sx >= sy ? `${layer} I(X;T) ${signed(d.ixt)} bits` : `${layer} I(T;Y) ${signed(d.ity)} bits` };
    }
  }
  for (const layer of lastLayers(Object.keys(points))) if (points[layer].ixt < tolerance.zeroMiBits) tags.add('zero-mi');
  const sorted = ODD_TAGS.filter((t) => tags.has(t));
  return { seed: record.seed, measured: true, tags: sorted, deviations, summary: tags.has('zero-mi') ? `zero I(X;T) at ${lastLayers(Object.keys(points)).filter((l) => points[l].ixt < tolerance.zeroMiBits).join(', ')}; ${worst.text}` : worst.text };
}

export const isOdd = (c: PlaneCheck) => c.measured && c.tags.length > 0;

/** The mean over layers of the final I(X;T): one number for "how much information the plane holds". */
export function meanFinalIxt(record: TrialRecord, estimator: string): number | null {
  const points = finalPoints(record, estimator);
  if (!points) return null;
  const values = Object.values(points).map((p) => p.ixt);
  return values.reduce((s, v) => s + v, 0) / values.length;
}
