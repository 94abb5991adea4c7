// Outcome labels of one run: the one place they are defined (thresholds in
// thresholds.ts, the same table in README "Outcome labels"). Trials, sweeps,
// merge and the reproduction all label through classifyRecord, on the data a
// journal line keeps, so an old trials.jsonl relabels without rerunning a
// seed. Each run gets one accuracy label and one information-plane label per
// watched layer; within each kind the labels are exclusive, tested in the
// order listed, so their frequencies add up to 1.
//
// Accuracy, from the final epoch:
//   diverged   a loss is non-finite (or the weights became non-finite);
//   collapse   the pruning analysis found no input→output path (layer collapse);
//   chance     the net predicts one class for ≥ 1 − chanceMargin of the test
//              inputs (whichever class), or its test accuracy is within
//              chanceMargin of a constant predictor of any class (the test
//              rate of that class: the majority or the minority rate). Runs
//              journaled before the predicted-class fraction was recorded
//              are judged by the accuracy test alone;
//   trained    test acc ≥ baselineAcc − trainedMargin;
//   degraded   anything else (below trained, not at chance).
//   error      (not from here) the run threw or its worker crashed.
// Information plane, per layer, on the spec's first estimator:
//   unmeasured no MI records (mi.epochs none), or a diverged run;
//   zero-mi    final I(X;T) < zeroMiBits;
//   saturated  final I(X;T) ≥ ceiling − saturationBits (ceiling: log2 N when
//              every sample is its own x, H(X) when X is binned);
//   compression  a sustained late fall: every one of the last lateEpochs
//              measured I(X;T) values after the peak lies ≥ compressionBits
//              below the peak, the peak taken over the epochs after epoch 0.
//              A dip that recovers by the end is not compression. Epoch 0 (at
//              init, before any fitting) never counts as the peak: a net that
//              starts at the ceiling and falls from there is compressing only
//              if it also falls from its post-init peak. Fewer than two
//              measured epochs after 0, or a peak at the last one: no fall;
//   no-compression  anything else.
// The watched layers are the last hidden layer and the output (`out`).
import type { EpochMetrics } from '../../train/trainer.ts';
import type { OutcomeThresholds } from './thresholds.ts';

export const ACCURACY_OUTCOMES = ['trained', 'degraded', 'chance', 'collapse', 'diverged', 'error'] as const;
export type AccuracyOutcome = (typeof ACCURACY_OUTCOMES)[number];
export const PLANE_OUTCOMES = ['compression', 'no-compression', 'zero-mi', 'saturated', 'unmeasured'] as const;
export type PlaneOutcome = (typeof PLANE_OUTCOMES)[number];

export interface AccuracyFacts {
  /** The last epoch's metrics (undefined: no epoch finished). */
  final: EpochMetrics | undefined;
  /** True when any epoch's loss was non-finite. */
  nonFiniteLoss: boolean;
  /** Test-set fraction of each class: the accuracy of a constant predictor of that class. */
  testClassRates: readonly number[];
  /** Fraction of test inputs predicted as each class (absent in journals that predate it). */
  predictedClassFractions?: readonly number[];
  collapse: boolean;
  /** Set when training stopped on non-finite weights. */
  divergedAtEpoch?: number;
}

export interface PlaneFacts {
  /** Measured epochs (0 = at init) and the I(X;T) at each, same order. */
  epochs: readonly number[];
  ixt: readonly number[];
  /** The ceiling of I(X;T): log2 N, or H(X) when X is binned. */
  ceiling: number;
}

// Accuracies are fractions k/n: 994/2000 − 1014/2000 is 0.01 in reals but 0.01000000000000001 in
// floats. Comparisons at a threshold include it, up to this rounding slack.
const EPS = 1e-9;

/** The most-predicted class's share of the test inputs, or null when not recorded. */
export function dominantPrediction(fractions: readonly number[] | undefined): number | null {
  return fractions?.length ? Math.max(...fractions) : null;
}

export function classifyAccuracy(facts: AccuracyFacts, t: OutcomeThresholds): Exclude<AccuracyOutcome, 'error'> {
  const { final } = facts;
  if (facts.divergedAtEpoch !== undefined || facts.nonFiniteLoss || !final || !Number.isFinite(final.testAcc)) return 'diverged';
  if (facts.collapse) return 'collapse';
  const dominant = dominantPrediction(facts.predictedClassFractions);
  if (dominant !== null && dominant >= 1 - t.chanceMargin - EPS) return 'chance';
  if (facts.testClassRates.some((rate) => Math.abs(final.testAcc - rate) <= t.chanceMargin + EPS)) return 'chance';
  if (final.testAcc >= t.baselineAcc - t.trainedMargin - EPS) return 'trained';
  return 'degraded';
}

export interface SustainedFall {
  /** The largest I(X;T) after epoch 0, and the first epoch it was reached. */
  peak: number;
  peakEpoch: number;
  /** The largest of the last `lateEpochs` values after the peak: the fall holds down to here. */
  late: number;
  /** peak − late: how far I(X;T) stays below its peak at the end. */
  fall: number;
}

/** The peak after epoch 0 and the sustained late fall from it; null with fewer than two epochs after 0 or a peak at the last one. */
export function sustainedFall(epochs: readonly number[], ixt: readonly number[], lateEpochs: number): SustainedFall | null {
  const after = epochs
    .map((epoch, i) => ({ epoch, ixt: ixt[i] }))
    .filter((p) => p.epoch >= 1)
    .sort((a, b) => a.epoch - b.epoch);
  if (after.length < 2) return null;
  let peak = 0;
  for (let i = 1; i < after.length; i++) if (after[i].ixt > after[peak].ixt) peak = i;
  const tail = after.slice(peak + 1).slice(-lateEpochs);
  if (tail.length === 0) return null;
  const late = Math.max(...tail.map((p) => p.ixt));
  return { peak: after[peak].ixt, peakEpoch: after[peak].epoch, late, fall: after[peak].ixt - late };
}

export function classifyPlane(facts: PlaneFacts | undefined, t: OutcomeThresholds): PlaneOutcome {
  if (!facts || facts.ixt.length === 0) return 'unmeasured';
  const finalIxt = facts.ixt[facts.ixt.length - 1];
  if (finalIxt < t.zeroMiBits) return 'zero-mi';
  if (finalIxt >= facts.ceiling - t.saturationBits) return 'saturated';
  const fall = sustainedFall(facts.epochs, facts.ixt, t.lateEpochs);
  if (fall !== null && fall.fall >= t.compressionBits - EPS) return 'compression';
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
