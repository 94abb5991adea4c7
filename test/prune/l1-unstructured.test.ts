import { describe, expect, it } from 'vitest';
import { countKept, l1Unstructured, parseAmount } from '../../src/prune/index.ts';

const f32 = (xs: number[]) => Float32Array.from(xs);
const mask = (xs: number[]) => Uint8Array.from(xs);
const a = parseAmount;

describe('l1Unstructured (torch l1_unstructured)', () => {
  it('0.5 of 5 prunes the 2 smallest |w| (2.5 rounds to 2)', () => {
    // |w| = .3 .1 .5 .2 .4 → smallest two at indices 1 and 3
    expect(l1Unstructured(f32([0.3, -0.1, 0.5, -0.2, 0.4]), undefined, a(0.5))).toEqual(mask([1, 0, 1, 0, 1]));
  });

  it('0.5 of 7 prunes 4 (3.5 rounds to 4)', () => {
    // |w| = .7 .1 .6 .2 .5 .3 .4 → the four smallest are .1 .2 .3 .4 at 1, 3, 5, 6
    expect(l1Unstructured(f32([0.7, -0.1, 0.6, 0.2, -0.5, 0.3, 0.4]), undefined, a(0.5))).toEqual(mask([1, 0, 1, 0, 1, 0, 0]));
  });

  it('0.1 of 5 prunes nothing (0.5 rounds to 0)', () => {
    expect(l1Unstructured(f32([0.3, -0.1, 0.5, -0.2, 0.4]), undefined, a(0.1))).toEqual(mask([1, 1, 1, 1, 1]));
  });

  it('0.25 of 6 and 0.5 of 3 prune 2 (1.5 rounds to 2); 0.5 of 9 prunes 4 (4.5 rounds to 4)', () => {
    expect(l1Unstructured(f32([6, 5, 4, 3, 2, 1]), undefined, a(0.25))).toEqual(mask([1, 1, 1, 1, 0, 0]));
    expect(l1Unstructured(f32([-3, 1, 2]), undefined, a(0.5))).toEqual(mask([1, 0, 0]));
    expect(l1Unstructured(f32([9, 1, 8, 2, 7, 3, 6, 4, 5]), undefined, a(0.5))).toEqual(mask([1, 0, 1, 0, 1, 0, 1, 0, 1]));
  });

  it('ties: among equal |w| the lowest flat index goes first; the sign does not matter', () => {
    const w = f32([0.2, -0.1, 0.1, 0.3, -0.1]);
    expect(l1Unstructured(w, undefined, a('1'))).toEqual(mask([1, 0, 1, 1, 1]));
    expect(l1Unstructured(w, undefined, a('2'))).toEqual(mask([1, 0, 0, 1, 1]));
    expect(l1Unstructured(w, undefined, a('3'))).toEqual(mask([1, 0, 0, 1, 0]));
  });

  it('integer amounts are counts: "1" prunes one entry, the number 1 (a fraction) prunes all', () => {
    const w = f32([0.4, 0.3, 0.2, 0.1]);
    expect(l1Unstructured(w, undefined, a('1'))).toEqual(mask([1, 1, 1, 0]));
    expect(l1Unstructured(w, undefined, a(1))).toEqual(mask([0, 0, 0, 0]));
    expect(l1Unstructured(w, undefined, a(3))).toEqual(mask([1, 0, 0, 0]));
    expect(l1Unstructured(w, undefined, a('0'))).toEqual(mask([1, 1, 1, 1]));
  });

  it('repeated pruning takes the amount from what remains: 0.5 then 0.5 = 75%', () => {
    const w = f32([0.8, -0.1, 0.6, 0.3, -0.5, 0.2, 0.7, 0.4]);
    const first = l1Unstructured(w, undefined, a(0.5)); // 4 of 8: .1 .2 .3 .4
    expect(first).toEqual(mask([1, 0, 1, 0, 1, 0, 1, 0]));
    const second = l1Unstructured(w, first, a(0.5)); // 2 of the 4 left: .5 .6
    expect(second).toEqual(mask([1, 0, 0, 0, 0, 0, 1, 0]));
    expect(1 - countKept(second) / w.length).toBe(0.75);
    expect(first).toEqual(mask([1, 0, 1, 0, 1, 0, 1, 0])); // the input mask is not modified
  });

  it('repeated rounding is on the remainder: 0.5 of 7 → 4, then 0.5 of the 3 left → 2', () => {
    const w = f32([7, 1, 6, 2, 5, 3, 4]);
    const second = l1Unstructured(w, l1Unstructured(w, undefined, a(0.5)), a(0.5));
    expect(second).toEqual(mask([1, 0, 0, 0, 0, 0, 0]));
  });

  it('never picks an entry that is already pruned, even when it is the smallest', () => {
    const w = f32([0.01, 0.5, 0.2, 0.3]);
    expect(l1Unstructured(w, mask([0, 1, 1, 1]), a('1'))).toEqual(mask([0, 1, 0, 1]));
  });

  it('refuses a count larger than the entries that remain, naming the field', () => {
    const w = f32([1, 2, 3, 4]);
    expect(() => l1Unstructured(w, mask([0, 0, 1, 1]), a('3'), 'steps[1].amount')).toThrow(
      /steps\[1\]\.amount: cannot prune 3 weights: only 2 remain unpruned/,
    );
  });

  it('rejects a mask of the wrong size or with values other than 0/1, and NaN weights', () => {
    expect(() => l1Unstructured(f32([1, 2]), mask([1]), a(0.5))).toThrow(/mask: has 1 entries, expected 2/);
    expect(() => l1Unstructured(f32([1, 2]), mask([1, 2]), a(0.5))).toThrow(/entry 1 is 2/);
    expect(() => l1Unstructured(f32([1, Number.NaN]), undefined, a(0.5))).toThrow(/value NaN at index 1 is not finite/);
  });
});
