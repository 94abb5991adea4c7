// The gpu.js dense products against the reference backend, in gpu.js's CPU
// and WebAssembly modes, on the native kernel tests' shapes (every B ∈ {1, 7,
// 17, 64, 130} with IN/OUT ∈ {1, 3, 15, 33, 100}). Bound (linear-cases.ts):
// (K+1)·u·Σ|terms|; observed on the linearForward shapes: cpu mode bitwise
// equal (it sums in double like the reference), webasm ≤ 2.8e-7·Σ|terms|
// (41% bitwise equal). Buffers are guarded views: NaN around
// inputs, a sentinel around outputs, non-zero byteOffset, longer than the shape.
// The other ops of gpuDenseKernels are the delegate's, call for call.
import { describe, expect, it } from 'vitest';
import { GpuDenseProducts, copyKernelResult, gpuDenseKernels } from '../../src/backend/gpu/dense.ts';
import type { DenseKernels } from '../../src/backend/kernels.ts';
import { referenceKernels } from '../../src/backend/reference/dense.ts';
import { type LinearCase, checkProduct } from './linear-cases.ts';
import { CPU_MODES, gpuFor } from './modes.ts';

const BATCHES = [1, 7, 17, 64, 130];
const WIDTHS = [1, 3, 15, 33, 100];
const SHAPES: LinearCase[] = BATCHES.flatMap((B) => WIDTHS.flatMap((IN) => WIDTHS.map((OUT) => ({ B, IN, OUT }))));
const OPS = ['linearForward', 'linearBackwardInput', 'linearBackwardWeight'] as const;

describe.each(CPU_MODES)('gpu.js dense products vs reference, mode %s', (mode) => {
  const products = new GpuDenseProducts(gpuFor(mode));

  describe.each(OPS)('%s', (op) => {
    it.each(SHAPES.map((s) => ({ ...s, name: `${op}(B=${s.B},IN=${s.IN},OUT=${s.OUT},gpu.js ${mode})` })))('$name', (shape) => {
      expect(checkProduct(products, op, shape, shape.name)).toBeUndefined();
    });
  });

  it(`a shape's kernel is compiled once and reused (gpu.js ${mode})`, () => {
    const fresh = new GpuDenseProducts(gpuFor(mode));
    const shape = { B: 5, IN: 4, OUT: 3 };
    for (let k = 0; k < 3; k++) expect(checkProduct(fresh, 'linearForward', shape, `reuse(${mode})`)).toBeUndefined();
    expect(fresh.compiledKernels).toBe(1);
    expect(checkProduct(fresh, 'linearBackwardWeight', shape, `reuse-w(${mode})`)).toBeUndefined();
    expect(fresh.compiledKernels).toBe(3); // dW and db
    fresh.destroy();
    expect(fresh.compiledKernels).toBe(0);
  });
});

describe('gpu.js dense products reject bad shapes before gpu.js sees them', () => {
  const products = new GpuDenseProducts(gpuFor('cpu'));
  it.each([
    [
      'B = 0',
      () => products.linearForward(new Float32Array(4), new Float32Array(4), new Float32Array(4), new Float32Array(4), 0, 2, 2),
      'linearForward: B must be an integer ≥ 1, got 0',
    ],
    [
      'IN = 1.5',
      () => products.linearBackwardInput(new Float32Array(4), new Float32Array(4), new Float32Array(4), 2, 1.5, 2),
      'linearBackwardInput: IN must be an integer ≥ 1, got 1.5',
    ],
    [
      'short W',
      () => products.linearForward(new Float32Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(2), 2, 2, 2),
      'linearForward: W has 3 elements, needs at least 4',
    ],
    [
      'short x',
      () => products.linearBackwardWeight(new Float32Array(4), new Float32Array(2), new Float32Array(4), new Float32Array(3), 2, 2, 2),
      'linearBackwardWeight: x has 3 elements, needs at least 4',
    ],
    [
      'not a Float32Array',
      () => products.linearForward(new Float32Array(4), [1, 2, 3, 4] as unknown as Float32Array, new Float32Array(4), new Float32Array(2), 2, 2, 2),
      'linearForward: xT must be a Float32Array',
    ],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});

describe('gpuDenseKernels', () => {
  it('delegates every op but the three products, with its arguments unchanged', () => {
    const calls: string[] = [];
    const spy = new Proxy(referenceKernels, {
      get:
        (target, prop: string) =>
        (...args: unknown[]) => {
          calls.push(prop);
          return (target[prop as keyof DenseKernels] as (...a: unknown[]) => unknown)(...args);
        },
    });
    const k = gpuDenseKernels(new GpuDenseProducts(gpuFor('cpu')), spy);
    const a = Float32Array.of(0.5, -2);
    k.activationForward('tanh', new Float32Array(2), a, 2);
    k.activationBackward('tanh', new Float32Array(2), a, a, 2);
    expect(k.softmaxCrossEntropy(new Float32Array(2), a, Int32Array.of(0), 1, 2)).toEqual(
      referenceKernels.softmaxCrossEntropy(new Float32Array(2), a, Int32Array.of(0), 1, 2),
    );
    k.transpose(new Float32Array(2), a, 1, 2);
    k.adamStep(a.slice(), a, new Float32Array(2), new Float32Array(2), null, 2, 1e-3, 0.9, 0.999, 1e-8, 1);
    k.sgdStep(a.slice(), a, null, null, 2, 0.1, 0);
    k.linearForward(new Float32Array(1), Float32Array.of(1), Float32Array.of(2), Float32Array.of(3), 1, 1, 1);
    expect(calls).toEqual(['activationForward', 'activationBackward', 'softmaxCrossEntropy', 'transpose', 'adamStep', 'sgdStep']);
  });
});

describe('copyKernelResult', () => {
  it('copies 1D and 2D gpu.js results row-major and rejects short ones', () => {
    const out = new Float32Array(6);
    copyKernelResult(out, [Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 6)], 2, 3);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    copyKernelResult(out, Float32Array.of(6, 5, 4, 3, 2, 1, 0), 2, 3);
    expect(Array.from(out)).toEqual([6, 5, 4, 3, 2, 1]);
    copyKernelResult(
      out,
      [
        [7, 8, 9],
        [1, 1, 1],
      ],
      2,
      3,
    );
    expect(Array.from(out)).toEqual([7, 8, 9, 1, 1, 1]);
    expect(() => copyKernelResult(out, Float32Array.of(1), 2, 3)).toThrow(/returned 1 values, expected 6/);
    expect(() => copyKernelResult(out, [Float32Array.of(1, 2, 3)], 2, 3)).toThrow(/1 rows, expected 2 rows/);
  });
});
