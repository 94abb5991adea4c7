// SNIP's gradient and GraSP's Hessian-gradient product on a 6-5-4-3 tanh
// net against finite differences of a double-precision loss (small_net.ts)
// and between the native and reference kernels.
//
// Tolerances: the kernels compute in float32 (relative rounding ~6e-8 per
// operation, a few dozen operations per value); the double oracle's central
// differences with h = 1e-4 (gradient) and 4h² stencils with h = 1e-3 (Hv)
// have truncation error ~h²·|third derivative| ≈ 1e-8 and 1e-6 relative.
// Observed mismatches are below 5e-7 of the largest entry (both kernels);
// the checks allow 1e-5 of it, so an error of 0.1% anywhere fails them.
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../../src/backend/reference/dense.ts';
import { hessianVectorProduct } from '../../../src/prune/scores/hessian-vector.ts';
import { lossGradient } from '../../../src/prune/scores/mlp-pass.ts';
import { GRASP_TEMPERATURE } from '../../../src/prune/scores/scores.ts';
import { addon } from '../../helpers/native.ts';
import { lossDouble, smallBatch, smallNet, weightsOf } from './small-net.ts';

const KERNELS = [
  ['reference', referenceKernels],
  ['native', addon],
] as const;

function maxAbs(a: readonly Float64Array[]): number {
  return Math.max(...a.map((x) => Math.max(...Array.from(x, Math.abs))));
}

function worstMismatch(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let worst = 0;
  a.forEach((x, l) => x.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[l][i])))));
  return worst / maxAbs(b);
}

function fdGradient(temperature: number): Float64Array[] {
  const layers = smallNet();
  const batch = smallBatch();
  const h = 1e-4;
  return layers.map((layer, l) =>
    Float64Array.from(layer.weight, (_, i) => {
      const plus = weightsOf(layers);
      const minus = weightsOf(layers);
      plus[l][i] += h;
      minus[l][i] -= h;
      return (lossDouble(layers, plus, batch, temperature) - lossDouble(layers, minus, batch, temperature)) / (2 * h);
    }),
  );
}

/** (H v)_i = ∂²L/∂w_i∂v by the four-point stencil along e_i and v/‖v‖. */
function fdHessianVector(v: readonly Float32Array[], temperature: number): Float64Array[] {
  const layers = smallNet();
  const batch = smallBatch();
  const norm = Math.sqrt(v.reduce((s, x) => s + x.reduce((t, y) => t + y * y, 0), 0));
  const h = 1e-3;
  const at = (l: number, i: number, a: number, b: number) => {
    const w = weightsOf(layers);
    w.forEach((wl, m) => wl.forEach((_, j) => (wl[j] += (b * h * v[m][j]) / norm)));
    w[l][i] += a * h;
    return lossDouble(layers, w, batch, temperature);
  };
  return layers.map((layer, l) =>
    Float64Array.from(layer.weight, (_, i) => ((at(l, i, 1, 1) - at(l, i, 1, -1) - at(l, i, -1, 1) + at(l, i, -1, -1)) / (4 * h * h)) * norm),
  );
}

describe.each(KERNELS)('score passes on %s kernels', (_, kernels) => {
  it('lossGradient(6-5-4-3 tanh, 8 rows) matches central differences of the double loss', () => {
    const g = lossGradient(kernels, smallNet(), 'tanh', [smallBatch()]);
    expect(worstMismatch(g, fdGradient(1))).toBeLessThan(1e-5);
  });

  it('lossGradient with temperature 200 (GraSP) matches central differences', () => {
    const g = lossGradient(kernels, smallNet(), 'tanh', [smallBatch()], GRASP_TEMPERATURE);
    expect(worstMismatch(g, fdGradient(GRASP_TEMPERATURE))).toBeLessThan(1e-5);
  });

  it('hessianVectorProduct(v = g) matches four-point differences of the double loss, T = 1 and T = 200', () => {
    for (const T of [1, GRASP_TEMPERATURE]) {
      const v = lossGradient(kernels, smallNet(), 'tanh', [smallBatch()], T).map((x) => Float32Array.from(x));
      const hv = hessianVectorProduct(kernels, smallNet(), 'tanh', [smallBatch()], v, T);
      expect(worstMismatch(hv, fdHessianVector(v, T))).toBeLessThan(1e-5);
    }
  });

  it('sums over batches: two batches give the sum of each alone', () => {
    const b1 = smallBatch(1);
    const b2 = smallBatch(2);
    const v = smallNet(5).map((l) => l.weight);
    const both = hessianVectorProduct(kernels, smallNet(), 'tanh', [b1, b2], v);
    const one = hessianVectorProduct(kernels, smallNet(), 'tanh', [b1], v);
    const two = hessianVectorProduct(kernels, smallNet(), 'tanh', [b2], v);
    expect(
      worstMismatch(
        both,
        one.map((x, l) => x.map((y, i) => y + two[l][i])),
      ),
    ).toBeLessThan(1e-6);
  });
});

it('the Hessian check rejects a product off by 0.1% (the check can fail)', () => {
  const v = lossGradient(referenceKernels, smallNet(), 'tanh', [smallBatch()]).map((x) => Float32Array.from(x));
  const exact = fdHessianVector(v, 1);
  const off = hessianVectorProduct(
    referenceKernels,
    smallNet(),
    'tanh',
    [smallBatch()],
    v.map((x) => x.map((y) => y * 1.001)),
  );
  expect(worstMismatch(off, exact)).toBeGreaterThan(1e-5);
});
