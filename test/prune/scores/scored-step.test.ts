// Scored pruning steps: torch's counts, the one-shot magnitude identity, the
// ablations' contracts, and masks that do not depend on the backend or the
// thread count.
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../../src/backend/reference/dense.ts';
import { globalUnstructured, l1Unstructured, parseAmount } from '../../../src/prune/index.ts';
import type { ScoreLayer } from '../../../src/prune/scores/mlp-pass.ts';
import { scheduledPruneCounts } from '../../../src/prune/scores/schedule.ts';
import { type Scoring, scoredStep, type ScoringContext } from '../../../src/prune/scores/scored-step.ts';
import { SCORE_NAMES, type ScoreName } from '../../../src/prune/scores/scores.ts';
import { Rng } from '../../../src/core/rng.ts';
import { addon, DEFAULT_THREADS, restoreNativeSettingsAfterEach } from '../../helpers/native.ts';
import { smallBatch, smallNet } from './small-net.ts';

restoreNativeSettingsAfterEach();

const ones = (layers: readonly ScoreLayer[]): Uint8Array[] => layers.map((l) => new Uint8Array(l.weight.length).fill(1));
const count = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
const scoring = (score: ScoreName, extra: Partial<Scoring> = {}): Scoring => ({ score, rounds: 1, schedule: 'exponential', scoreBatches: 2, ...extra });

function context(kernels = referenceKernels as ScoringContext['kernels'], sizes?: number[], seed = 1): ScoringContext {
  return {
    kernels,
    activation: 'tanh',
    batches: (n) => Array.from({ length: n }, (_, b) => smallBatch(b + 1, 8, sizes)),
    random: (stream) => Rng.stream(seed, stream),
    redraw: (l) => smallNet(99, sizes)[l].weight,
  };
}

const prune = (layers: ScoreLayer[], groups: number[][], amount: number | string, s: Scoring, ctx = context()) =>
  scoredStep(layers, ones(layers), groups, parseAmount(amount), s, ctx, 'amount').masks;

describe('scheduledPruneCounts', () => {
  it('one round is torch: round(amount · n), half to even (0.5 of 5 → 2, of 7 → 4)', () => {
    expect(scheduledPruneCounts(parseAmount(0.5), 5, 1, 'exponential')).toEqual([2]);
    expect(scheduledPruneCounts(parseAmount(0.5), 7, 1, 'linear')).toEqual([4]);
    expect(scheduledPruneCounts(parseAmount('3'), 7, 4, 'linear')).toEqual([1, 2, 2, 3]);
  });

  it('exponential keeps d^(r/N), linear 1 − (1 − d)·r/N (0.875 of 8 in 3 rounds)', () => {
    // densities 1/2, 1/4, 1/8 → pruned 4, 6, 7; linear 0.708, 0.417, 0.125 → round(2.33), round(4.67), 7
    expect(scheduledPruneCounts(parseAmount(0.875), 8, 3, 'exponential')).toEqual([4, 6, 7]);
    expect(scheduledPruneCounts(parseAmount(0.875), 8, 3, 'linear')).toEqual([2, 5, 7]);
  });
});

describe('scoredStep', () => {
  const layers = smallNet(2);
  const all = [[0, 1, 2]];
  const each = [[0], [1], [2]];

  it('magnitude in one round is l1_unstructured per layer and global_unstructured globally', () => {
    const tied = smallNet(2).map((l) => ({ ...l, weight: l.weight.map((w) => Math.round(w * 8) / 8) })); // many ties
    expect(prune(tied, each, 0.6, scoring('magnitude'))).toEqual(tied.map((l) => l1Unstructured(l.weight, undefined, parseAmount(0.6))));
    expect(prune(tied, all, 0.6, scoring('magnitude'))).toEqual(
      globalUnstructured(
        tied.map((l) => ({ weight: l.weight })),
        parseAmount(0.6),
      ),
    );
  });

  it.each(SCORE_NAMES)('%s prunes torch counts: round(amount · n) per layer, and of all layers together', (score) => {
    for (const amount of [0.5, 0.35, '7']) {
      const perLayer = prune(layers, each, amount, scoring(score, { rounds: 3 }));
      perLayer.forEach((m, _l) => expect(m.length - count(m)).toBe(scheduledPruneCounts(parseAmount(amount), m.length, 1, 'linear')[0]));
      const global = prune(layers, all, amount, scoring(score, { rounds: 3 }));
      const n = layers.reduce((s, l) => s + l.weight.length, 0);
      expect(n - global.reduce((s, m) => s + count(m), 0)).toBe(scheduledPruneCounts(parseAmount(amount), n, 1, 'linear')[0]);
    }
  });

  it('random: the seed decides the positions; the same seed gives the same masks', () => {
    const a = prune(layers, all, 0.5, scoring('random'), context(referenceKernels, undefined, 1));
    const b = prune(layers, all, 0.5, scoring('random'), context(referenceKernels, undefined, 1));
    const c = prune(layers, all, 0.5, scoring('random'), context(referenceKernels, undefined, 2));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it.each(['magnitude', 'random', 'snip', 'grasp', 'synflow'] as const)(
    'invert (%s, one round) keeps exactly what the plain method prunes at the same count',
    (score) => {
      for (const groups of [all, each]) {
        const k = 9;
        const plain = prune(layers, groups, String(k), scoring(score));
        const inverted = groups.map((g) => g.reduce((s, l) => s + layers[l].weight.length, 0) - k);
        const masks = groups.reduce((m, g, gi) => {
          const out = scoredStep(
            layers,
            ones(layers),
            [g],
            { kind: 'count', value: inverted[gi] },
            scoring(score, { ablate: 'invert' }),
            context(),
            'amount',
          ).masks;
          for (const l of g) m[l] = out[l];
          return m;
        }, ones(layers));
        masks.forEach((m, l) => expect(m).toEqual(plain[l].map((v) => 1 - v)));
      }
    },
  );

  it.each(SCORE_NAMES)("shuffle (%s) keeps each layer's count exactly and moves the positions", (score) => {
    for (const groups of [all, each]) {
      const plain = prune(layers, groups, 0.6, scoring(score));
      const shuffled = prune(layers, groups, 0.6, scoring(score, { ablate: 'shuffle' }));
      shuffled.forEach((m, l) => expect(count(m)).toBe(count(plain[l])));
      shuffled.forEach((m, l) => expect(m).not.toEqual(plain[l]));
    }
  });

  it("reinit returns the redrawn weights of the step's layers and the plain masks", () => {
    const s = scoring('snip', { ablate: 'reinit' });
    const out = scoredStep(layers, ones(layers), [[1, 2]], parseAmount(0.5), s, context(), 'amount');
    expect([...out.weights.keys()]).toEqual([1, 2]);
    expect(out.weights.get(1)).toEqual(smallNet(99)[1].weight);
    expect(out.masks).toEqual(prune(layers, [[1, 2]], 0.5, scoring('snip')));
  });
});

describe('masks do not depend on the backend or the thread count', () => {
  const sizes = [96, 64, 32, 3];
  const layers = smallNet(7, sizes);
  it.each(['snip', 'grasp', 'synflow', 'magnitude'] as const)('%s: reference = native at 1 thread = native at 4 threads', (score) => {
    const s = scoring(score, { rounds: 5 });
    const reference = prune(layers, [[0, 1, 2]], 0.9, s, context(referenceKernels, sizes));
    addon.setThreads(1);
    const one = prune(layers, [[0, 1, 2]], 0.9, s, context(addon, sizes));
    addon.setThreads(Math.max(4, DEFAULT_THREADS));
    const four = prune(layers, [[0, 1, 2]], 0.9, s, context(addon, sizes));
    expect(one).toEqual(reference);
    expect(four).toEqual(one);
  });
});
