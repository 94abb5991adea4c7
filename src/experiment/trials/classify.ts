// Outcome labels of one run (thresholds in thresholds.ts). Each run gets one
// accuracy label and one information-plane label per watched layer; within
// each kind the labels are exclusive, tested in the order listed, so their
// frequencies add up to 1.
//
// Accuracy, from the final epoch's test accuracy:
//   diverged   a loss is non-finite (or the weights became non-finite);
//   collapse   the pruning analysis found no input→output path (layer collapse);
//   chance     |test acc − test majority-class rate| ≤ chanceMargin;
//   trained    test acc ≥ baselineAcc − trainedMargin;
//   degraded   anything else (below trained, above or below chance).
//   error      (not from here) the run threw or its worker crashed.
// Information plane, per layer, on the spec's first estimator:
//   unmeasured no MI records (mi.epochs none), or a diverged run;
//   zero-mi    final I(X;T) < zeroMiBits;
//   saturated  final H(T) ≥ ceiling − saturationBits (ceiling = log2 N);
//   compression  I(X;T) falls ≥ compressionBits below its peak after the peak
//              (the smallest value after the first maximum, not the last);
//   no-compression  anything else.
// The watched layers are the last hidden layer and the output (`out`).
import type { EpochMetrics } from '../../train/trainer.ts';
import type { OutcomeThresholds } from './thresholds.ts';
import type { LayerTrajectory } from './trajectory.ts';

export const ACCURACY_OUTCOMES = ['trained', 'degraded', 'chance', 'collapse', 'diverged', 'error'] as const;
export type AccuracyOutcome = (typeof ACCURACY_OUTCOMES)[number];
export const PLANE_OUTCOMES = ['compression', 'no-compression', 'zero-mi', 'saturated', 'unmeasured'] as const;
export type PlaneOutcome = (typeof PLANE_OUTCOMES)[number];

export interface AccuracyFacts {
  history: readonly EpochMetrics[];
  testMajorityRate: number;
  collapse: boolean;
  /** Set when training stopped on non-finite weights. */
  divergedAtEpoch?: number;
}

// Accuracies are fractions k/n: 994/2000 − 1014/2000 is 0.01 in reals but 0.01000000000000001 in
// floats. Comparisons at a threshold include it, up to this rounding slack.
const EPS = 1e-9;

export function classifyAccuracy(facts: AccuracyFacts, t: OutcomeThresholds): Exclude<AccuracyOutcome, 'error'> {
  const nonFinite = facts.history.some((m) => !Number.isFinite(m.trainLoss) || !Number.isFinite(m.testLoss));
  const final = facts.history[facts.history.length - 1];
  if (facts.divergedAtEpoch !== undefined || nonFinite || !final || !Number.isFinite(final.testAcc)) return 'diverged';
  if (facts.collapse) return 'collapse';
  if (Math.abs(final.testAcc - facts.testMajorityRate) <= t.chanceMargin + EPS) return 'chance';
  if (final.testAcc >= t.baselineAcc - t.trainedMargin - EPS) return 'trained';
  return 'degraded';
}

export function classifyPlane(trajectory: LayerTrajectory | undefined, t: OutcomeThresholds): PlaneOutcome {
  if (!trajectory) return 'unmeasured';
  if (trajectory.finalIxt < t.zeroMiBits) return 'zero-mi';
  if (trajectory.finalHt >= trajectory.ceilingX - t.saturationBits) return 'saturated';
  if (trajectory.minIxtAfterPeak !== null && trajectory.peakIxt - trajectory.minIxtAfterPeak >= t.compressionBits) return 'compression';
  return 'no-compression';
}

/** The layers whose planes are labelled: the last hidden layer and the output. */
export function watchedLayers(hiddenLayers: number): string[] {
  return [`h${hiddenLayers}`, 'out'];
}

/** "trained h4:compression out:no-compression": the key runs are grouped by. */
export function combinationOf(accuracy: AccuracyOutcome, planes: Readonly<Record<string, PlaneOutcome>>): string {
  return [accuracy, ...Object.entries(planes).map(([layer, label]) => `${layer}:${label}`)].join(' ');
}
