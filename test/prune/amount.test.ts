import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount, pruneCount, roundHalfEven } from '../../src/prune/index.ts';

const fraction = (value: number) => ({ kind: 'fraction', value }) as const;
const count = (value: number) => ({ kind: 'count', value }) as const;

describe('roundHalfEven (Python 3 round)', () => {
  // Python: [round(x) for x in (0.5, 1.5, 2.5, 3.5, 4.5, -0.5, -1.5, -2.5, 2.4999, 2.5001)]
  //   == [0, 2, 2, 4, 4, 0, -2, -2, 2, 3]
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [4.5, 4],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999, 2],
    [2.5001, 3],
    [7, 7],
  ])('round(%d) = %d', (x, r) => {
    expect(roundHalfEven(x) + 0).toBe(r); // + 0 turns −0 into 0
  });
});

describe('pruneCount: round(amount * n) with ties to even', () => {
  it.each([
    // [amount, n, k, why]
    [0.5, 5, 2, '2.5 → 2'],
    [0.5, 7, 4, '3.5 → 4'],
    [0.1, 5, 0, '0.5 → 0'],
    [0.25, 6, 2, '1.5 → 2'],
    [0.5, 3, 2, '1.5 → 2'],
    [0.5, 9, 4, '4.5 → 4'],
    [0.3, 5, 2, '1.5 (0.3*5 = 1.5 in doubles) → 2'],
    [1, 13, 13, 'everything'],
    [0, 13, 0, 'nothing'],
  ])('fraction %d of %d → %d (%s)', (a, n, k) => {
    expect(pruneCount(fraction(a), n)).toBe(k);
  });

  it('takes a count as is and rejects a count above what remains (torch raises ValueError)', () => {
    expect(pruneCount(count(3), 5)).toBe(3);
    expect(pruneCount(count(5), 5)).toBe(5);
    expect(() => pruneCount(count(6), 5, 'steps[0].amount', 'weights')).toThrow(/steps\[0\]\.amount: cannot prune 6 weights: only 5 remain/);
  });
});

describe('parseAmount', () => {
  it('reads strings like Python literals: int → count, float → fraction', () => {
    expect(parseAmount('3')).toEqual(count(3));
    expect(parseAmount('1')).toEqual(count(1)); // torch: int 1 prunes one entry
    expect(parseAmount('0')).toEqual(count(0));
    expect(parseAmount('1.0')).toEqual(fraction(1)); // torch: float 1.0 prunes everything
    expect(parseAmount('0.5')).toEqual(fraction(0.5));
    expect(parseAmount('.25')).toEqual(fraction(0.25));
    expect(parseAmount('1e-1')).toEqual(fraction(0.1));
    expect(parseAmount(' 7 ')).toEqual(count(7));
  });

  it('reads numbers by value: [0, 1] → fraction, integer > 1 → count', () => {
    expect(parseAmount(0.5)).toEqual(fraction(0.5));
    expect(parseAmount(1)).toEqual(fraction(1));
    expect(parseAmount(0)).toEqual(fraction(0));
    expect(parseAmount(3)).toEqual(count(3));
  });

  it('passes explicit { kind, value } through after validation', () => {
    expect(parseAmount(count(1))).toEqual(count(1));
    expect(parseAmount(fraction(0.9))).toEqual(fraction(0.9));
  });

  it.each([
    [1.5, /amount: 1\.5 is neither a fraction in \[0, 1\] nor a non-negative integer count/],
    [-0.1, /amount: -0\.1 is neither/],
    [-3, /amount: -3 is neither/],
    [Number.NaN, /amount: NaN is neither/],
    [Infinity, /amount: Infinity is neither/],
    ['1.5', /amount: a fraction must be a number in \[0, 1\], got "1\.5"/],
    ['3.0', /amount: a fraction must be a number in \[0, 1\], got "3\.0"/],
    ['-2', /amount: an integer amount is a count and must be >= 0, got "-2"/],
    ['-0.5', /got "-0\.5"/],
    ['half', /amount: "half" is not a number/],
    ['', /amount: "" is not a number/],
    [{ kind: 'count', value: 2.5 }, /amount: a count must be a non-negative integer, got 2\.5/],
    [{ kind: 'fraction', value: 2 }, /amount: a fraction must be a number in \[0, 1\], got 2/],
    [{ kind: 'percent', value: 2 }, /amount: kind must be 'fraction' or 'count', got "percent"/],
  ])('rejects %j naming the value', (input, message) => {
    expect(() => parseAmount(input as never)).toThrow(InputError);
    expect(() => parseAmount(input as never)).toThrow(message);
  });

  it('names the field it is given', () => {
    expect(() => parseAmount(2.5, 'steps[3].amount')).toThrow(/^steps\[3\]\.amount: /);
  });

  it('formats for reports', () => {
    expect(formatAmount(fraction(0.9))).toBe('0.9');
    expect(formatAmount(count(3))).toBe('3 (count)');
  });
});
