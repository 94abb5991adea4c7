// Shapes, inputs and error bounds of the dense products, shared by the gpu.js
// tests (CPU, WebAssembly and WebGL modes), the same as the native kernel
// tests use (test/backend/kernels.test.ts).
//
// Bound: |Δ| ≤ (K+1)·u·Σ|terms| (K = length of the chain, u = 2⁻²⁴): the
// reference sums in double and rounds once; gpu.js chains K float32
// multiply-adds (GL, webasm) or sums in double (cpu mode).
import type { DenseKernels } from '../../src/backend/kernels.ts';
import { referenceKernels as ref } from '../../src/backend/reference/dense.ts';
import { U32, boundViolation, brokenGuard, caseRng, guarded, randomF32 } from '../helpers/floats.ts';

export interface LinearCase {
  B: number;
  IN: number;
  OUT: number;
}

export const SENTINEL = 7777;

export function linearInputs(key: string, { B, IN, OUT }: LinearCase) {
  const rng = caseRng(key);
  return {
    xT: randomF32(rng, IN * B),
    W: randomF32(rng, OUT * IN),
    b: randomF32(rng, OUT),
    dyT: randomF32(rng, OUT * B),
    x: randomF32(rng, B * IN),
  };
}

const chainBound = (K: number, mag: Float64Array) => (i: number) => (K + 1) * U32 * mag[i] + 1.2e-38;

type Products = Pick<DenseKernels, 'linearForward' | 'linearBackwardInput' | 'linearBackwardWeight'>;

/** Undefined when `k`'s product agrees with the reference within the bound and writes only its outputs. */
export function checkProduct(
  k: Products,
  op: 'linearForward' | 'linearBackwardInput' | 'linearBackwardWeight',
  shape: LinearCase,
  key: string,
): string | undefined {
  const { B, IN, OUT } = shape;
  const { xT, W, b, dyT, x } = linearInputs(key, shape);
  if (op === 'linearForward') {
    const out = guarded(OUT * B, SENTINEL);
    k.linearForward(out, guarded(xT, NaN), guarded(W, NaN), guarded(b, NaN), B, IN, OUT);
    const expected = new Float32Array(OUT * B);
    ref.linearForward(expected, xT, W, b, B, IN, OUT);
    const mag = new Float64Array(OUT * B);
    for (let o = 0; o < OUT; o++)
      for (let s = 0; s < B; s++) {
        let m = Math.abs(b[o]);
        for (let i = 0; i < IN; i++) m += Math.abs(W[o * IN + i] * xT[i * B + s]);
        mag[o * B + s] = m;
      }
    return boundViolation(out, expected, OUT * B, chainBound(IN, mag)) ?? brokenGuard(out, OUT * B, SENTINEL);
  }
  if (op === 'linearBackwardInput') {
    const dxT = guarded(IN * B, SENTINEL);
    k.linearBackwardInput(dxT, guarded(dyT, NaN), guarded(W, NaN), B, IN, OUT);
    const expected = new Float32Array(IN * B);
    ref.linearBackwardInput(expected, dyT, W, B, IN, OUT);
    const mag = new Float64Array(IN * B);
    for (let i = 0; i < IN; i++)
      for (let s = 0; s < B; s++) {
        let m = 0;
        for (let o = 0; o < OUT; o++) m += Math.abs(W[o * IN + i] * dyT[o * B + s]);
        mag[i * B + s] = m;
      }
    return boundViolation(dxT, expected, IN * B, chainBound(OUT, mag)) ?? brokenGuard(dxT, IN * B, SENTINEL);
  }
  const dW = guarded(OUT * IN, SENTINEL);
  const db = guarded(OUT, SENTINEL);
  k.linearBackwardWeight(dW, db, guarded(dyT, NaN), guarded(x, NaN), B, IN, OUT);
  const [eW, eb] = [new Float32Array(OUT * IN), new Float32Array(OUT)];
  ref.linearBackwardWeight(eW, eb, dyT, x, B, IN, OUT);
  const magW = new Float64Array(OUT * IN);
  const magB = new Float64Array(OUT);
  for (let o = 0; o < OUT; o++) {
    for (let s = 0; s < B; s++) magB[o] += Math.abs(dyT[o * B + s]);
    for (let i = 0; i < IN; i++) {
      let m = 0;
      for (let s = 0; s < B; s++) m += Math.abs(dyT[o * B + s] * x[s * IN + i]);
      magW[o * IN + i] = m;
    }
  }
  return (
    boundViolation(dW, eW, OUT * IN, chainBound(B, magW)) ??
    boundViolation(db, eb, OUT, chainBound(B, magB)) ??
    brokenGuard(dW, OUT * IN, SENTINEL) ??
    brokenGuard(db, OUT, SENTINEL)
  );
}
