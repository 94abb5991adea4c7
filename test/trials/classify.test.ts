// Outcome labels on synthetic trajectories: each label, and a near miss of it.
import { describe, expect, it } from 'vitest';
import { classifyAccuracy, classifyPlane, combinationOf, sustainedFall } from '../../src/experiment/trials/classify.ts';
import type { MiRecord } from '../../src/experiment/mi-measure.ts';
import { compactCurve, layerTrajectory } from '../../src/experiment/trials/trajectory.ts';
import { DEFAULT_THRESHOLDS, thresholdsOf } from '../../src/experiment/trials/thresholds.ts';

const t = DEFAULT_THRESHOLDS; // baseline 0.963: trained ≥ 0.943; chance within 0.01 of the majority rate
const CEILING = Math.log2(10000);

function history(testAccs: number[], loss = 0.3) {
  return testAccs.map((testAcc, i) => ({ epoch: i + 1, trainLoss: loss, trainAcc: testAcc, testLoss: loss, testAcc }));
}

interface Extra {
  majority?: number;
  collapse?: boolean;
  loss?: number;
  divergedAtEpoch?: number;
  predicted?: number[];
}

function facts(finalAcc: number, extra: Extra = {}) {
  const h = history([0.6, finalAcc], extra.loss);
  const majority = extra.majority ?? 0.507;
  return {
    final: h[h.length - 1],
    nonFiniteLoss: h.some((m) => !Number.isFinite(m.testLoss)),
    testClassRates: [1 - majority, majority],
    predictedClassFractions: extra.predicted,
    collapse: extra.collapse ?? false,
    divergedAtEpoch: extra.divergedAtEpoch,
  };
}

const accuracy = (finalAcc: number, extra: Extra = {}) => classifyAccuracy(facts(finalAcc, extra), t);

/** A layer's records over epochs 0..n: I(X;T) as given, H(T) = I(X;T) (deterministic T, distinct x). */
function layer(ixts: number[], name = 'h4'): MiRecord[] {
  return ixts.map(
    (ixt, epoch) =>
      ({
        epoch,
        layer: name,
        estimator: 'fixed:30',
        range: [-1, 1],
        ixt,
        ity: Math.min(1, ixt / 10),
        ht: ixt,
        htGivenY: ixt - 0.5,
        distinct: 100,
        ceilingX: CEILING,
        ceilingY: 1,
        saturated: false,
        xMode: 'each-sample-distinct',
      }) as MiRecord,
  );
}

/** The plane label of I(X;T) measured at epochs 0..n. */
const plane = (ixts: number[], ceiling = CEILING) => classifyPlane({ epochs: ixts.map((_, e) => e), ixt: ixts, ceiling }, t);

describe('accuracy outcomes', () => {
  it('trained: at or above baseline − 2 points, and not just below', () => {
    expect(accuracy(0.963)).toBe('trained');
    expect(accuracy(0.943)).toBe('trained');
    expect(accuracy(0.9429)).toBe('degraded');
  });

  it('chance: within 1 point of either constant predictor (majority 0.507 or minority 0.493); not 1.1 points away from both', () => {
    expect(accuracy(0.507)).toBe('chance');
    expect(accuracy(0.516)).toBe('chance');
    expect(accuracy(0.519)).toBe('degraded');
    // The minority-class predictor: 0.493 is chance, though 1.4 points from the majority rate.
    expect(accuracy(0.493)).toBe('chance');
    expect(accuracy(0.483)).toBe('chance');
    expect(accuracy(0.481)).toBe('degraded');
    expect(accuracy(0.7, { majority: 0.7 })).toBe('chance');
    expect(accuracy(0.3, { majority: 0.7 })).toBe('chance');
    expect(accuracy(0.5, { majority: 0.7 })).toBe('degraded');
  });

  it('chance: a net predicting one class for ≥ 99% of the inputs, whichever class, even when its accuracy is not near a class rate', () => {
    // Class 0 is the minority (0.3): a constant predictor of it.
    expect(accuracy(0.31, { majority: 0.7, predicted: [0.995, 0.005] })).toBe('chance');
    // Class 1, the majority.
    expect(accuracy(0.69, { majority: 0.7, predicted: [0.005, 0.995] })).toBe('chance');
    expect(accuracy(0.5, { majority: 0.7, predicted: [0.99, 0.01] })).toBe('chance');
    // 98% one class is not (almost) constant.
    expect(accuracy(0.5, { majority: 0.7, predicted: [0.98, 0.02] })).toBe('degraded');
    // A trained net predicts both classes.
    expect(accuracy(0.96, { predicted: [0.49, 0.51] })).toBe('trained');
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
    expect(classifyAccuracy(facts(0.76, { majority: 0.5 }), custom)).toBe('trained');
    expect(classifyAccuracy(facts(0.74, { majority: 0.5 }), custom)).toBe('degraded');
  });
});

describe('information-plane outcomes', () => {
  it('compression: a fall that holds over the last three epochs, ≥ 0.5 bit below the peak after epoch 0', () => {
    expect(plane([8, 10, 9.5, 9.4, 9.3])).toBe('compression');
    expect(plane([8, 10, 9.0, 9.2, 9.5])).toBe('compression');
    // The fall is 0.49 bit at the last epoch's 9.51: not enough.
    expect(plane([8, 10, 9.0, 9.2, 9.51])).toBe('no-compression');
    // Fewer than three epochs after the peak: all of them must stay down.
    expect(plane([8, 10, 9.5])).toBe('compression');
  });

  it('a dip that recovers is not compression, whenever it happens', () => {
    expect(plane([8, 10, 9.0, 9.9])).toBe('no-compression');
    expect(plane([8, 10, 8, 8, 9.8, 9.9, 10])).toBe('no-compression');
    // Down at the end but back up one epoch before: the last three are 9, 9.8, 9.
    expect(plane([8, 10, 9, 9.8, 9])).toBe('no-compression');
  });

  it('the peak is taken after epoch 0: a fall from the value at init alone is not compression', () => {
    expect(plane([12, 9, 9.2, 9.4, 9.5])).toBe('no-compression');
    expect(sustainedFall([0, 1, 2, 3, 4], [12, 9, 9.2, 9.4, 9.1], 3)).toMatchObject({ peak: 9.4, peakEpoch: 3, late: 9.1 });
    // Falling from the init value and then again from the post-init peak is.
    expect(plane([12, 11, 10, 10, 10])).toBe('compression');
  });

  it('no fall with fewer than two epochs after 0, or a peak at the last epoch', () => {
    expect(sustainedFall([0, 1], [5, 4], 3)).toBeNull();
    expect(sustainedFall([0, 1, 2, 3], [2, 4, 6, 8], 3)).toBeNull();
    expect(plane([2, 4, 6, 8])).toBe('no-compression');
    expect(plane([5, 5, 5])).toBe('no-compression');
    expect(layerTrajectory(layer([2, 4, 6, 8]))).toMatchObject({ ixt0: 2, peakIxt: 8, peakEpoch: 3, minIxtAfterPeak: null, finalIxt: 8 });
  });

  it('sparse schedules (log:K) use the measured epochs only', () => {
    expect(classifyPlane({ epochs: [0, 1, 2, 4, 8, 16], ixt: [5, 9, 10, 9, 9, 9], ceiling: CEILING }, t)).toBe('compression');
    expect(classifyPlane({ epochs: [0, 1, 2, 4, 8, 16], ixt: [5, 9, 10, 9, 9, 10], ceiling: CEILING }, t)).toBe('no-compression');
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
    expect(classifyPlane({ epochs: [], ixt: [], ceiling: CEILING }, t)).toBe('unmeasured');
  });

  it('names a run by its combination', () => {
    expect(combinationOf('trained', { h4: 'compression', out: 'saturated' })).toBe('trained h4:compression out:saturated');
  });

  it('keeps per-epoch test accuracy and the first estimator’s MI for median trajectories', () => {
    const mi = [...layer([1, 2, 3]), ...layer([4, 5, 6], 'out'), ...layer([7, 8, 9]).map((r) => ({ ...r, estimator: 'fixed:10' }))];
    const c = compactCurve(history([0.5, Number.NaN]), mi, 'fixed:30');
    expect(c).toEqual({
      testAcc: [0.5, null],
      estimator: 'fixed:30',
      miEpochs: [0, 1, 2],
      ixt: { h4: [1, 2, 3], out: [4, 5, 6] },
      ity: { h4: [0.1, 0.2, 0.3], out: [0.4, 0.5, 0.6] },
      ht: { h4: [1, 2, 3], out: [4, 5, 6] },
      saturated: { h4: [false, false, false], out: [false, false, false] },
      // A range that never changes is kept once.
      range: { h4: [[-1, 1]], out: [[-1, 1]] },
    });
  });

  it("keeps every epoch's range when adaptive binning changes it", () => {
    const mi = layer([1, 2]).map((r, i) => ({ ...r, range: [-0.5 - i, 0.5 + i] }));
    expect(compactCurve(history([0.5]), mi, 'fixed:30').range).toEqual({
      h4: [
        [-0.5, 0.5],
        [-1.5, 1.5],
      ],
    });
  });
});
