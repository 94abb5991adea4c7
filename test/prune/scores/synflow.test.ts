// SynFlow against a plain float64 oracle: R = 1ᵀ(∏|W_l ⊙ M_l|)1 is affine in
// each |w|, so ∂R/∂|w| = R(|w| → 1) − R(|w| → 0) exactly, and the score is
// |w| times that. Masks: each of 100 exponential rounds must prune the
// lowest oracle scores. SynFlow has genuine ties (a unit with one kept
// weight in and one out gives both the same score), which the two
// computations round differently, so a round passes when no pruned weight's
// oracle score exceeds a kept one's by more than 1e-9 relative.
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../../src/backend/reference/dense.ts';
import { scheduledPruneCounts } from '../../../src/prune/scores/schedule.ts';
import { scoredStep, type ScoringContext } from '../../../src/prune/scores/scored-step.ts';
import { keptPositions } from '../../../src/prune/scores/scores.ts';
import { synflowScores } from '../../../src/prune/scores/synflow.ts';
import { Rng } from '../../../src/core/rng.ts';
import { smallNet } from './small-net.ts';

const SIZES = [7, 6, 5, 4, 3];

function flow(abs: readonly Float64Array[]): number {
  let v: number[] = new Array(SIZES[0]).fill(1);
  abs.forEach((a, l) => {
    const [IN, OUT] = [SIZES[l], SIZES[l + 1]];
    v = Array.from({ length: OUT }, (_, j) => v.reduce((s, x, i) => s + a[j * IN + i] * x, 0));
  });
  return v.reduce((s, x) => s + x, 0);
}

function oracleScores(weights: readonly Float32Array[], masks: readonly Uint8Array[]): Float64Array[] {
  const abs = weights.map((w, l) => Float64Array.from(w, (x, i) => (masks[l][i] ? Math.abs(x) : 0)));
  return abs.map((a, l) =>
    Float64Array.from(a, (x, i) => {
      const one = abs.map((b) => b.slice());
      const zero = abs.map((b) => b.slice());
      one[l][i] = 1;
      zero[l][i] = 0;
      return x * (flow(one) - flow(zero));
    }),
  );
}

export const context = (seed = 1): ScoringContext => ({
  kernels: referenceKernels,
  activation: 'tanh',
  batches: () => [],
  random: (stream) => Rng.stream(seed, stream),
  redraw: () => {
    throw new Error('no reinit here');
  },
});

describe('synflowScores', () => {
  const layers = smallNet(3, SIZES);
  const weights = layers.map((l) => l.weight);

  it('equals |w|·(R(|w|=1) − R(|w|=0)) in float64, unpruned and with masks', () => {
    const full = layers.map((l) => new Uint8Array(l.weight.length).fill(1));
    const rng = Rng.stream(4, 'masks');
    const some = layers.map((l) => Uint8Array.from(l.weight, () => (rng.nextFloat() < 0.6 ? 1 : 0)));
    for (const masks of [full, some]) {
      const kept = masks.map(keptPositions);
      const got = synflowScores(layers, kept);
      const want = oracleScores(weights, masks);
      got.forEach((g, l) => g.forEach((v, k) => expect(Math.abs(v - want[l][kept[l][k]])).toBeLessThanOrEqual(1e-12 * Math.abs(want[l][kept[l][k]]))));
    }
  });

  it('100 exponential rounds prune the lowest oracle scores each round (global and per layer)', () => {
    const amount = { kind: 'fraction', value: 0.97 } as const;
    const scoring = { score: 'synflow', rounds: 1, schedule: 'exponential', scoreBatches: 1 } as const;
    for (const groups of [[[0, 1, 2, 3]], [[0], [1], [2], [3]]]) {
      let masks: Uint8Array[] = layers.map((l) => new Uint8Array(l.weight.length).fill(1));
      const targets = groups.map((g) =>
        scheduledPruneCounts(
          amount,
          g.reduce((s, l) => s + masks[l].length, 0),
          100,
          'exponential',
        ),
      );
      for (let r = 0; r < 100; r++) {
        const scores = oracleScores(weights, masks);
        const before = masks;
        // Round r alone: each group prunes its scheduled count for this round, all scored under the masks before it.
        masks = before.map((m) => m.slice());
        groups.forEach((g, gi) => {
          const count = targets[gi][r] - (r > 0 ? targets[gi][r - 1] : 0);
          const after = scoredStep(layers, before, [g], { kind: 'count', value: count }, scoring, context(), 'amount').masks;
          for (const l of g) masks[l] = after[l];
          const gone = g.flatMap((l) =>
            Array.from(masks[l].keys())
              .filter((i) => before[l][i] && !masks[l][i])
              .map((i) => scores[l][i]),
          );
          const stay = g.flatMap((l) =>
            Array.from(masks[l].keys())
              .filter((i) => masks[l][i])
              .map((i) => scores[l][i]),
          );
          expect(gone.length).toBe(count);
          if (gone.length && stay.length) expect(Math.max(...gone)).toBeLessThanOrEqual(Math.min(...stay) * (1 + 1e-9));
        });
      }
      const start = layers.map((l) => new Uint8Array(l.weight.length).fill(1));
      const whole = scoredStep(layers, start, groups, amount, { ...scoring, rounds: 100 }, context(), 'amount').masks;
      expect(whole).toEqual(masks);
    }
  });
});
