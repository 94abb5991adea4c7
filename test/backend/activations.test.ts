// The activations' edge cases on every SIMD variant: tanh saturates to exactly
// ±1 where float32 tanh does (binning puts values ≥ 1 in their own bin), is odd,
// monotone and passes NaN through (a diverged run must show NaN); relu and
// linear forward/backward are exact.
//
// Float32 facts used below (checked in the first test): fround(Math.tanh(x)) is
// exactly 1 from x* = 9.010913848876953 (a float32) on, and 1 − 2⁻²⁴ just below.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationName } from '../../src/backend/kernels.ts';
import { referenceKernels as ref } from '../../src/backend/reference/dense.ts';
import { bitDifference, ulpDistance } from '../helpers/floats.ts';
import { VARIANTS, addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';

restoreNativeSettingsAfterEach();

const X_STAR = 9.010913848876953;

function nextFloat32(x: number, direction: 1 | -1): number {
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  i[0] += x >= 0 ? direction : -direction;
  return f[0];
}

function forward(act: ActivationName, xs: ArrayLike<number>): Float32Array {
  const x = Float32Array.from(xs);
  const y = new Float32Array(x.length);
  addon.activationForward(act, y, x, x.length);
  return y;
}

function backward(act: ActivationName, dys: ArrayLike<number>, ys: ArrayLike<number>): Float32Array {
  const [dy, y] = [Float32Array.from(dys), Float32Array.from(ys)];
  const dx = new Float32Array(dy.length);
  addon.activationBackward(act, dx, dy, y, dy.length);
  return dx;
}

it('float32 tanh reaches exactly 1 at x* = 9.010913848876953', () => {
  expect(Math.fround(X_STAR)).toBe(X_STAR);
  expect(Math.fround(Math.tanh(X_STAR))).toBe(1);
  const below = nextFloat32(X_STAR, -1);
  expect(Math.fround(Math.tanh(below))).toBe(1 - 2 ** -24);
});

describe.each(VARIANTS)('activations, variant %s', (variant) => {
  beforeEach(() => addon.setVariant(variant));

  it(`tanh saturates to exactly ±1 for |x| ≥ 10 and from x* on, like fround(Math.tanh) (${variant})`, () => {
    const big = [10, 10.5, 11, 20, 88, 1e4, 3.4e38, Infinity];
    expect(Array.from(forward('tanh', big))).toEqual(big.map(() => 1));
    expect(
      Array.from(
        forward(
          'tanh',
          big.map((x) => -x),
        ),
      ),
    ).toEqual(big.map(() => -1));
    // The boundary falls where float32 rounding puts it: the clamp at 10 is not what saturates first.
    const edge = [nextFloat32(X_STAR, -1), X_STAR, nextFloat32(X_STAR, 1), 9.5, 9.999999];
    const y = forward('tanh', edge);
    expect(Array.from(y)).toEqual(Array.from(Float32Array.from(edge), (x) => Math.fround(Math.tanh(x))));
    expect(Array.from(y)).toEqual([1 - 2 ** -24, 1, 1, 1, 1]);
  });

  it(`tanh is odd, monotone and within 1 ulp of fround(Math.tanh) on a 2^16-point grid over [0, 12] (${variant})`, () => {
    const n = 1 << 16;
    const x = Float32Array.from({ length: n }, (_, k) => (k / n) * 12);
    const y = forward('tanh', x);
    const yNeg = forward(
      'tanh',
      x.map((v) => -v),
    );
    for (let k = 1; k < n; k++) {
      if (!Object.is(yNeg[k], -y[k])) expect.fail(`tanh(${-x[k]}) = ${yNeg[k]} but tanh(${x[k]}) = ${y[k]}`);
      if (y[k] < y[k - 1]) expect.fail(`not monotone: tanh(${x[k - 1]}) = ${y[k - 1]} > tanh(${x[k]}) = ${y[k]}`);
      if (ulpDistance(y[k], Math.fround(Math.tanh(x[k]))) > 1) expect.fail(`tanh(${x[k]}) = ${y[k]}, float32 tanh ${Math.fround(Math.tanh(x[k]))}`);
    }
    // Either side of the polynomial/exp branch switch at |x| = 0.625.
    const around = forward('tanh', [nextFloat32(0.625, -1), 0.625]);
    expect(around[1]).toBeGreaterThanOrEqual(around[0]);
  });

  it(`tanh of tiny values is the value itself, and tanh(±0) is zero (${variant})`, () => {
    const tiny = [1e-45, -1e-45, 1e-38, -1e-30, 5e-8];
    expect(bitDifference(forward('tanh', tiny), Float32Array.from(tiny))).toBeUndefined();
    // Observed: tanh(−0) gives +0 (Math.tanh(−0) is −0): the polynomial branch computes
    // fma(p·z, x, x) with p·z = −0, and −0·−0 + −0 = +0. Harmless for training and binning.
    const zeros = forward('tanh', [0, -0]);
    expect(zeros[0] === 0 && zeros[1] === 0).toBe(true);
  });

  it(`NaN propagates through tanh, lane by lane (${variant})`, () => {
    // 19 lanes: a full AVX-512 vector, then a tail; NaN at lanes 3 and 17 must not touch their neighbours.
    const x = Array.from({ length: 19 }, (_, k) => (k - 9) * 0.7);
    x[3] = NaN;
    x[17] = NaN;
    const y = forward('tanh', x);
    y.forEach((v, k) => {
      if (k === 3 || k === 17) expect(v).toBeNaN();
      else expect(ulpDistance(v, Math.fround(Math.tanh(Math.fround(x[k]))))).toBeLessThanOrEqual(1);
    });
    // Backward through a NaN output is NaN too.
    expect(backward('tanh', [1], [NaN])[0]).toBeNaN();
  });

  it(`tanh backward: dx = dy·(1 − y²), exactly 0 at saturation and dy at y = 0 (${variant})`, () => {
    const dx = backward('tanh', [0.5, -3, 2, 7, 1], [1, -1, 0, 0.5, 0.75]);
    expect(Array.from(dx)).toEqual([0, -0, 2, 7 * 0.75, 1 - 0.5625]); // all exact in float32 (−3·0 = −0)
  });

  it(`relu forward and backward (${variant})`, () => {
    const x = [-3, -1e-45, -0, 0, 1e-45, 2.5, Infinity, -Infinity];
    expect(Array.from(forward('relu', x))).toEqual([0, 0, 0, 0, Math.fround(1e-45), 2.5, Infinity, 0]);
    // dx = dy where the output is positive, else 0 (torch's threshold_backward: output ≤ 0 → 0).
    expect(Array.from(backward('relu', [1, 2, 3, -4, 5], [0, 0.5, 0, 1e-45, 7]))).toEqual([0, 2, 0, -4, 5]);
    // relu(NaN): both backends give 0 (`x > 0 ? x : 0` and SIMD max(x, 0) return the 0);
    // torch.relu would give NaN. Native must at least agree with the reference.
    const expected = new Float32Array(1);
    ref.activationForward('relu', expected, Float32Array.of(NaN), 1);
    expect(bitDifference(forward('relu', [NaN]), expected)).toBeUndefined();
  });

  it(`linear forward and backward are bitwise copies, NaN and ±Infinity included (${variant})`, () => {
    const x = Float32Array.from([-0, 0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e-45, 3.4e38]);
    expect(bitDifference(forward('linear', x), x)).toBeUndefined();
    expect(
      bitDifference(
        backward(
          'linear',
          x,
          x.map(() => 123),
        ),
        x,
      ),
    ).toBeUndefined();
  });

  it(`n = 0 is a no-op (${variant})`, () => {
    const y = Float32Array.of(42);
    addon.activationForward('tanh', y, Float32Array.of(1), 0);
    addon.activationBackward('tanh', y, Float32Array.of(1), Float32Array.of(0), 0);
    expect(y[0]).toBe(42);
  });
});
