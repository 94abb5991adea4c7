import { describe, expect, it } from 'vitest';
import { aliveSlices, lnStructured, parseAmount, sliceNorms } from '../../src/prune/index.ts';

const f32 = (xs: number[]) => Float32Array.from(xs);
const mask = (xs: number[]) => Uint8Array.from(xs);
const a = parseAmount;

describe('lnStructured (torch ln_structured)', () => {
  // 3 rows × 2 inputs, chosen so that each norm order picks a different row:
  //   row 0 = [3, 0]    L1 3    L2 3      L∞ 3
  //   row 1 = [2, 2]    L1 4    L2 2.828  L∞ 2
  //   row 2 = [2.5, 1]  L1 3.5  L2 2.693  L∞ 2.5
  const w = f32([3, 0, 2, 2, 2.5, 1]);
  const shape = { out: 3, in: 2 };

  it('dim 0 prunes the output-neuron row with the smallest norm, for n = 1, 2, Infinity', () => {
    expect(lnStructured(w, undefined, shape, a('1'), { n: 1, dim: 0 })).toEqual(mask([0, 0, 1, 1, 1, 1]));
    expect(lnStructured(w, undefined, shape, a('1'), { n: 2, dim: 0 })).toEqual(mask([1, 1, 1, 1, 0, 0]));
    expect(lnStructured(w, undefined, shape, a('1'), { n: Infinity, dim: 0 })).toEqual(mask([1, 1, 0, 0, 1, 1]));
  });

  it('defaults to n = 2, dim 0', () => {
    expect(lnStructured(w, undefined, shape, a('1'))).toEqual(mask([1, 1, 1, 1, 0, 0]));
  });

  it('the norms are the textbook ones', () => {
    const ones = mask([1, 1, 1, 1, 1, 1]);
    expect(Array.from(sliceNorms(w, ones, shape, 0, 1))).toEqual([3, 4, 3.5]);
    expect(Array.from(sliceNorms(w, ones, shape, 0, Infinity))).toEqual([3, 2, 2.5]);
    const l2 = sliceNorms(w, ones, shape, 0, 2);
    expect(l2[1]).toBeCloseTo(Math.sqrt(8), 12);
    expect(l2[2]).toBeCloseTo(Math.sqrt(7.25), 12);
    // dim 1: columns [3, 2, 2.5] and [0, 2, 1]
    expect(Array.from(sliceNorms(w, ones, shape, 1, 1))).toEqual([7.5, 3]);
  });

  it('dim 1 prunes input columns: 0.5 of 3 columns → 2 (1.5 rounds to 2)', () => {
    // 2 × 3; columns: c0 = [1, 1] (1.414), c1 = [0.5, -0.5] (0.707), c2 = [-2, 0] (2)
    const w2 = f32([1, 0.5, -2, 1, -0.5, 0]);
    expect(lnStructured(w2, undefined, { out: 2, in: 3 }, a(0.5), { dim: 1 })).toEqual(mask([0, 0, 1, 0, 0, 1]));
  });

  it('ties: equal norms go lowest index first', () => {
    // rows [1, 0], [0, 1], [0, -1], [2, 2]: the first three all have L2 norm 1
    const w3 = f32([1, 0, 0, 1, 0, -1, 2, 2]);
    expect(lnStructured(w3, undefined, { out: 4, in: 2 }, a(0.5))).toEqual(mask([0, 0, 0, 0, 1, 1, 1, 1]));
    expect(lnStructured(w3, undefined, { out: 4, in: 2 }, a('1'))).toEqual(mask([0, 0, 1, 1, 1, 1, 1, 1]));
  });

  // torch's PruningContainer on a pruned tensor: the norm is taken over
  // module.weight = orig × mask (earlier zeros count as 0), channels already
  // entirely zero in the mask are neither counted nor picked, and the new
  // mask keeps the earlier zeros.
  const w4 = f32([0.9, 0.1, 0.1, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2]);
  const shape4 = { out: 3, in: 3 };

  it('after unstructured pruning, the norm is over the kept entries only', () => {
    // original norms: row 0 0.911, row 1 0.866, row 2 0.346 → row 2 would go;
    // with w[0,0] pruned row 0's norm is sqrt(0.02) = 0.141 → row 0 goes.
    const before = mask([0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(lnStructured(w4, before, shape4, a('1'))).toEqual(mask([0, 0, 0, 1, 1, 1, 1, 1, 1]));
  });

  it('rows already fully pruned are not counted nor picked again; earlier zeros survive', () => {
    // row 2 dead: 2 rows alive, 0.5 × 2 = 1 (counting all 3 rows would give 1.5 → 2);
    // row 1 (0.866) < row 0 (0.911) goes, and row 0 keeps its pruned w[0,1].
    const before = mask([1, 0, 1, 1, 1, 1, 0, 0, 0]);
    expect(lnStructured(w4, before, shape4, a(0.5))).toEqual(mask([1, 0, 1, 0, 0, 0, 0, 0, 0]));
    expect(Array.from(aliveSlices(before, shape4, 0))).toEqual([1, 1, 0]);
  });

  it('repeated structured pruning: 0.5 of 4 rows, then 0.5 of the 2 left → 3 of 4 rows', () => {
    const w5 = f32([4, 4, 1, 1, 3, 3, 2, 2]);
    const first = lnStructured(w5, undefined, { out: 4, in: 2 }, a(0.5));
    expect(first).toEqual(mask([1, 1, 0, 0, 1, 1, 0, 0]));
    expect(lnStructured(w5, first, { out: 4, in: 2 }, a(0.5))).toEqual(mask([1, 1, 0, 0, 0, 0, 0, 0]));
  });

  it('refuses more slices than are alive, and bad n or dim, naming the field', () => {
    expect(() => lnStructured(w, undefined, shape, a('4'), {}, 'steps[0].amount (layer 2)')).toThrow(
      /steps\[0\]\.amount \(layer 2\): cannot prune 4 rows \(output neurons\): only 3 remain unpruned/,
    );
    expect(() => lnStructured(w, undefined, shape, a('1'), { n: 0 })).toThrow(/n: norm order must be a number > 0.*got 0/);
    expect(() => lnStructured(w, undefined, shape, a('1'), { dim: 2 as 0 })).toThrow(/dim: must be 0 .* or 1 .*got 2/);
    expect(() => lnStructured(f32([1, 2, 3]), undefined, shape, a('1'))).toThrow(/has 3 values, expected out × in = 3 × 2/);
  });
});
