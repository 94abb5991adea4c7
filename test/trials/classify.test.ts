// Outcome labels on synthetic trajectories: each label, and a near miss of it.
import { describe, expect, it } from 'vitest';
import { classifyAccuracy, classifyPlane, combinationOf } from '../../src/experiment/trials/classify.ts';
import type { MiRecord } from '../../src/experiment/mi-measure.ts';
import { compactCurve, layerTrajectory } from '../../src/experiment/trials/trajectory.ts';
import { DEFAULT_THRESHOLDS, thresholdsOf } from '../../src/experiment/trials/thresholds.ts';

const t = DEFAULT_THRESHOLDS; // baseline 0.963: trained ≥ 0.943; chance within 0.01 of the majority rate
const CEILING = Math.log2(10000);

function history(testAccs: number[], loss = 0.3) {
  return testAccs.map((testAcc, i) => ({ epoch: i + 1, trainLoss: loss, trainAcc: testAcc, testLoss: loss, testAcc }));
}

function accuracy(finalAcc: number, extra: { majority?: number; collapse?: boolean; loss?: number; divergedAtEpoch?: number } = {}) {
  return classifyAccuracy({ history: history([0.6, finalAcc], extra.loss), testMajorityRate: extra.majority ?? 0.507, collapse: extra.collapse ?? false, divergedAtEpoch: extra.divergedAtEpoch }, t);
}

/** A layer's records over epochs 0..n: I(X;T) as given, H(T) = I(X;T) (deterministic T, distinct x). */
function layer(ixts: number[], name = 'h4'): MiRecord[] {
  return ixts.map((ixt, epoch) => ({ epoch, layer: name, estimator: 'fixed:30', range: [-1, 1], ixt, ity: Math.min(1, ixt / 10), ht: ixt, htGivenY: ixt - 0.5, distinct: 100, ceilingX: CEILING, ceilingY: 1, saturated: false, xMode: 'each-sample-distinct' }) as MiRecord);
}

const plane = (ixts: number[]) => classifyPlane(layerTrajectory(layer(ixts)), t);

describe('accuracy outcomes', () => {
  it('trained: at or above baseline − 2 points, and not just below', () => {
    expect(accuracy(0.963)).toBe('trained');
    expect(accuracy(0.943)).toBe('trained');
    expect(accuracy(0.9429)).toBe('degraded');
  });

  it('chance: within 1 point of the majority-class rate, either side; not 1.1 points away', () => {
    expect(accuracy(0.507)).toBe('chance');
    expect(accuracy(0.497)).toBe('chance');
    expect(accuracy(0.516)).toBe('chance');
    expect(accuracy(0.519)).toBe('degraded');
    expect(accuracy(0.495)).toBe('degraded');
  });

  it('collapse comes from the pruning analysis and wins over chance; without it the same accuracy is chance', () => {
    expect(accuracy(0.507, { collapse: true })).toBe('collapse');
    expect(accuracy(0.507, { collapse: false })).toBe('chance');
  });

  it('diverged: any non-finite loss, or a run stopped on non-finite weights; finite losses are not', () => {
    expect(accuracy(0.5, { loss: Number.NaN })).toBe('diverged');
    expect(accuracy(0.96, { loss: Number.POSITIVE_INFINITY })).toBe('diverged');
    expect(accuracy(0.5, { divergedAtEpoch: 1 })).toBe('diverged');
    expect(accuracy(0.6, { loss: 1e30 })).toBe('degraded');
  });

  it('thresholds come from spec.outcomes where given', () => {
    const custom = thresholdsOf({ outcomes: { baselineAcc: 0.8, trainedMargin: 0.05 } });
    expect(custom).toMatchObject({ baselineAcc: 0.8, trainedMargin: 0.05, chanceMargin: 0.01, compressionBits: 0.5 });
    expect(classifyAccuracy({ history: history([0.76]), testMajorityRate: 0.5, collapse: false }, custom)).toBe('trained');
    expect(classifyAccuracy({ history: history([0.74]), testMajorityRate: 0.5, collapse: false }, custom)).toBe('degraded');
  });
});

describe('information-plane outcomes', () => {
  it('compression: I(X;T) falls ≥ 0.5 bits below its peak after it (even if it rises again); 0.49 bits is not', () => {
    expect(plane([8, 10, 9.5, 9.6])).toBe('compression');
    expect(plane([8, 10, 9.0, 9.9])).toBe('compression');
    expect(plane([8, 10, 9.51, 9.7])).toBe('no-compression');
  });

  it('no-compression: rising to the end (peak last), or flat', () => {
    expect(plane([2, 4, 6, 8])).toBe('no-compression');
    expect(plane([5, 5, 5])).toBe('no-compression');
    expect(layerTrajectory(layer([2, 4, 6, 8]))).toMatchObject({ ixt0: 2, peakIxt: 8, peakEpoch: 3, minIxtAfterPeak: null, finalIxt: 8 });
  });

  it('zero-mi: final I(X;T) below 0.05 bits (wins over compression); 0.05 is not', () => {
    expect(plane([3, 1, 0.01])).toBe('zero-mi');
    expect(plane([0.06, 0.05, 0.05])).toBe('no-compression');
  });

  it('saturated: final H(T) within 0.01 bits of log2 N; 0.02 below is not', () => {
    expect(plane([10, 12, CEILING - 0.005])).toBe('saturated');
    expect(plane([10, 12, CEILING])).toBe('saturated');
    expect(plane([10, 12, CEILING - 0.02])).toBe('no-compression');
  });

  it('unmeasured without records', () => {
    expect(classifyPlane(undefined, t)).toBe('unmeasured');
  });

  it('names a run by its combination', () => {
    expect(combinationOf('trained', { h4: 'compression', out: 'saturated' })).toBe('trained h4:compression out:saturated');
  });

  it('keeps per-epoch test accuracy and the first estimator’s MI for median trajectories', () => {
    const mi = [...layer([1, 2, 3]), ...layer([4, 5, 6], 'out'), ...layer([7, 8, 9]).map((r) => ({ ...r, estimator: 'fixed:10' }))];
    const c = compactCurve(history([0.5, Number.NaN]), mi, 'fixed:30');
    expect(c).toEqual({
      testAcc: [0.5, null], estimator: 'fixed:30', miEpochs: [0, 1, 2],
      ixt: { h4: [1, 2, 3], out: [4, 5, 6] }, ity: { h4: [0.1, 0.2, 0.3], out: [0.4, 0.5, 0.6] },
      ht: { h4: [1, 2, 3], out: [4, 5, 6] }, saturated: { h4: [false, false, false], out: [false, false, false] },
      // A range that never changes is kept once.
      range: { h4: [[-1, 1]], out: [[-1, 1]] },
    });
  });

  it('keeps every epoch\'s range when adaptive binning changes it', () => {
    const mi = layer([1, 2]).map((r, i) => ({ ...r, range: [-0.5 - i, 0.5 + i] }));
    expect(compactCurve(history([0.5]), mi, 'fixed:30').range).toEqual({ h4: [[-0.5, 0.5], [-1.5, 1.5]] });
  });
});
