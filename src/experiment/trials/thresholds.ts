// The thresholds that turn a finished run into outcome labels, with the
// defaults used when spec.outcomes leaves them out. Every label a trial gets
// is one of these comparisons; summary.json repeats the values it used.
import type { Spec } from '../spec.ts';

export interface OutcomeThresholds {
  /**
   * Test accuracy of the unpruned net, the reference of `trained`. Default
   * 0.963: the median final test accuracy of the unpruned default net
   * (784-1024-20-20-20-2 tanh, parity on the embedded 10 000 digits,
   * 8000/2000 split, Adam 1e-3, 20 epochs), measured over seeds 1..9 with
   * this tool (`infoplane trials --seeds 1..9`, README "Trials"). It is a
   * fixed number, not measured per spec: set spec.outcomes.baselineAcc for
   * any other net, data or schedule (`infoplane trials` warns when it is
   * left at the default for a non-default setting).
   */
  baselineAcc: number;
  /** `trained`: final test accuracy ≥ baselineAcc − trainedMargin (2 points). */
  trainedMargin: number;
  /**
   * `chance`: the net predicts one class for ≥ 1 − chanceMargin of the test inputs, or
   * |final test accuracy − the test rate of some class| ≤ chanceMargin (1 point).
   */
  chanceMargin: number;
  /**
   * `compression`: the last lateEpochs measured I(X;T) values after the peak all lie at least
   * this many bits below the peak after epoch 0 (0.5). Set against the seed-to-seed spread
   * that summary.json reports (`spread`): README "Outcome labels" has the measured figures.
   */
  compressionBits: number;
  /** `compression`: how many of the last measured epochs must stay below the peak (3): a fall that holds, not a dip. */
  lateEpochs: number;
  /** `zero-mi`: final I(X;T) below this many bits (0.05). */
  zeroMiBits: number;
  /** `saturated`: final I(X;T) within this many bits of its ceiling, log2 N or H(X) when X is binned (0.01). */
  saturationBits: number;
  /**
   * `--keep-curves rare`: a combination is rare while it is below this
   * fraction of the runs so far (0.1); see keep-curves.ts.
   */
  rareFraction: number;
}

export const DEFAULT_THRESHOLDS: Readonly<OutcomeThresholds> = Object.freeze({
  baselineAcc: 0.963,
  trainedMargin: 0.02,
  chanceMargin: 0.01,
  compressionBits: 0.5,
  lateEpochs: 3,
  zeroMiBits: 0.05,
  saturationBits: 0.01,
  rareFraction: 0.1,
});

export function thresholdsOf(spec: Pick<Spec, 'outcomes'>): OutcomeThresholds {
  const given = Object.fromEntries(Object.entries(spec.outcomes ?? {}).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_THRESHOLDS, ...given };
}
