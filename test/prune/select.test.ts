// The shared ranking rule against a sort: the k smallest scores, ties to the
// lowest index, whichever path the selection takes (the sampled candidate
// bound of small k, its fallback when the bound falls short, the full
// selection of large k).
import { describe, expect, it } from 'vitest';
import { smallestK, smallestKOfAll } from '../../src/prune/select.ts';
import { Rng } from '../../src/core/rng.ts';

function bySort(scores: Float64Array, k: number): number[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b] || a - b);
  return order.slice(0, k).sort((a, b) => a - b);
}

const rng = Rng.stream(7, 'select');
const n = 20480;
const cases: [string, Float64Array][] = [
  ['distinct', Float64Array.from({ length: n }, () => rng.nextFloat())],
  ['many ties', Float64Array.from({ length: n }, () => Math.floor(rng.nextFloat() * 7))],
  // The strided sample sees only the zeros at every tenth position: its bound (0) admits 2048 < k candidates.
  ['sample bound short', Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 1 + (i % 13)))],
];

describe('smallestKOfAll', () => {
  for (const [name, scores] of cases) {
    it(`equals a stable sort's first k (${name})`, () => {
      const work = new Float64Array(n + 5);
      for (const k of [0, 1, 37, 900, 2500, 10000, n]) {
        const expected = bySort(scores, k);
        const copy = scores.slice();
        expect(Array.from(smallestKOfAll(scores, k, work)), `k = ${k}`).toEqual(expected);
        expect(Array.from(smallestK(scores, null, k)), `k = ${k}`).toEqual(expected);
        expect(scores).toEqual(copy);
      }
    });
  }
});
