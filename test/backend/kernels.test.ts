// Every DenseKernels op of the native addon against the reference backend (the
// specification), once per SIMD variant this CPU runs, on shapes that hit the
// vector tails: B ∈ {1, 7, 17, 64, 130} with IN/OUT ∈ {1, 3, 15, 33, 100}.
// Each case is named as a reproducible call, e.g. `linearForward(B=17,IN=33,OUT=15,avx2)`,
// and draws its data from the random stream of that name.
//
// Tolerances (u = 2⁻²⁴, float32's unit roundoff):
//   linear products    |Δ| ≤ (K+1)·u·Σ|terms| (K = length of the FMA chain; ≤ 7.8e-6·Σ|terms| here).
//                      The reference sums in double and rounds once; native chains K float FMAs,
//                      each off by ≤ u of the running magnitude. Observed ≤ 2.3e-7·Σ|terms|.
//   tanh               within 1 ulp of float32(Math.tanh(x)) and 2e-7 of Math.tanh(x) (observed 1 ulp, 7.6e-8).
//   tanh backward      |Δ| ≤ 4u·|dy| (rounding y·y costs ≤ u/2 of 1, the product u/2; observed 2u).
//   relu, linear       equal (relu's backward may give +0 where the reference gives −0).
//   softmax CE         loss |Δ| ≤ 8u·B·(1 + max|z|) (observed ≤ 2u per sample per unit of |z|);
//                      dlogits |Δ| ≤ 8u/B (observed 3u/B); correct counts equal.
//   transpose          bitwise.
//   adamStep, sgdStep  bitwise (0 ulp): the reference rounds every operation to float32 in
//                      torch's order and native performs the same float operations.
// Buffers are views with a non-zero byteOffset and guard elements on both sides: NaN
// around inputs (a read outside the shape would poison the result), a sentinel around
// outputs (a write outside the shape is caught).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationName } from '../../src/backend/kernels.ts';
import { referenceKernels as ref } from '../../src/backend/reference/dense.ts';
import { U32, bitDifference, boundViolation, brokenGuard, caseRng, guarded, randomF32, ulpDistance } from '../helpers/floats.ts';
import { VARIANTS, addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';

restoreNativeSettingsAfterEach();

const SENTINEL = 7777;
const BATCHES = [1, 7, 17, 64, 130];
const WIDTHS = [1, 3, 15, 33, 100];

interface LinearCase {
  B: number;
  IN: number;
  OUT: number;
}
// Every B with every (IN, OUT) pair: 125 shapes per op and variant.
const LINEAR_SHAPES: LinearCase[] = BATCHES.flatMap((B) => WIDTHS.flatMap((IN) => WIDTHS.map((OUT) => ({ B, IN, OUT }))));
const ELEMENT_COUNTS = [1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 130, 1000];

function linearName(op: string, { B, IN, OUT }: LinearCase, variant: string): string {
  return `${op}(B=${B},IN=${IN},OUT=${OUT},${variant})`;
}

/** Each op's inputs for one shape, from the stream named by `key` (the same data for every variant). */
function linearInputs(key: string, { B, IN, OUT }: LinearCase) {
  const rng = caseRng(key);
  return {
    xT: randomF32(rng, IN * B),
    W: randomF32(rng, OUT * IN),
    b: randomF32(rng, OUT),
    dyT: randomF32(rng, OUT * B),
    x: randomF32(rng, B * IN),
  };
}

// Σ|terms| of each output element, the scale of its rounding error.
function forwardMagnitude(xT: Float32Array, W: Float32Array, b: Float32Array, { B, IN, OUT }: LinearCase): Float64Array {
  const mag = new Float64Array(OUT * B);
  for (let o = 0; o < OUT; o++)
    for (let s = 0; s < B; s++) {
      let m = Math.abs(b[o]);
      for (let i = 0; i < IN; i++) m += Math.abs(W[o * IN + i] * xT[i * B + s]);
      mag[o * B + s] = m;
    }
  return mag;
}

function backwardInputMagnitude(dyT: Float32Array, W: Float32Array, { B, IN, OUT }: LinearCase): Float64Array {
  const mag = new Float64Array(IN * B);
  for (let i = 0; i < IN; i++)
    for (let s = 0; s < B; s++) {
      let m = 0;
      for (let o = 0; o < OUT; o++) m += Math.abs(W[o * IN + i] * dyT[o * B + s]);
      mag[i * B + s] = m;
    }
  return mag;
}

function backwardWeightMagnitude(dyT: Float32Array, x: Float32Array, { B, IN, OUT }: LinearCase): { dW: Float64Array; db: Float64Array } {
  const dW = new Float64Array(OUT * IN);
  const db = new Float64Array(OUT);
  for (let o = 0; o < OUT; o++) {
    for (let s = 0; s < B; s++) db[o] += Math.abs(dyT[o * B + s]);
    for (let i = 0; i < IN; i++) {
      let m = 0;
      for (let s = 0; s < B; s++) m += Math.abs(dyT[o * B + s] * x[s * IN + i]);
      dW[o * IN + i] = m;
    }
  }
  return { dW, db };
}

// (K+1)·u·Σ|terms|, plus the smallest normal float for sums that are all zero.
const chainBound = (K: number, mag: Float64Array) => (i: number) => (K + 1) * U32 * mag[i] + 1.2e-38;

describe.each(VARIANTS)('native kernels vs reference, variant %s', (variant) => {
  beforeEach(() => addon.setVariant(variant));

  it('runs the variant it was asked for', () => {
    expect(addon.features().variant).toBe(variant);
  });

  it.each(LINEAR_SHAPES.map((s) => ({ ...s, name: linearName('linearForward', s, variant) })))('$name', (shape) => {
    const { B, IN, OUT } = shape;
    const { xT, W, b } = linearInputs(shape.name, shape);
    const out = guarded(OUT * B, SENTINEL);
    addon.linearForward(out, guarded(xT, NaN), guarded(W, NaN), guarded(b, NaN), B, IN, OUT);
    const expected = new Float32Array(OUT * B);
    ref.linearForward(expected, xT, W, b, B, IN, OUT);
    expect(boundViolation(out, expected, OUT * B, chainBound(IN, forwardMagnitude(xT, W, b, shape)))).toBeUndefined();
    expect(brokenGuard(out, OUT * B, SENTINEL)).toBeUndefined();
  });

  it.each(LINEAR_SHAPES.map((s) => ({ ...s, name: linearName('linearBackwardInput', s, variant) })))('$name', (shape) => {
    const { B, IN, OUT } = shape;
    const { dyT, W } = linearInputs(shape.name, shape);
    const dxT = guarded(IN * B, SENTINEL);
    addon.linearBackwardInput(dxT, guarded(dyT, NaN), guarded(W, NaN), B, IN, OUT);
    const expected = new Float32Array(IN * B);
    ref.linearBackwardInput(expected, dyT, W, B, IN, OUT);
    expect(boundViolation(dxT, expected, IN * B, chainBound(OUT, backwardInputMagnitude(dyT, W, shape)))).toBeUndefined();
    expect(brokenGuard(dxT, IN * B, SENTINEL)).toBeUndefined();
  });

  it.each(LINEAR_SHAPES.map((s) => ({ ...s, name: linearName('linearBackwardWeight', s, variant) })))('$name', (shape) => {
    const { B, IN, OUT } = shape;
    const { dyT, x } = linearInputs(shape.name, shape);
    const dW = guarded(OUT * IN, SENTINEL);
    const db = guarded(OUT, SENTINEL);
    addon.linearBackwardWeight(dW, db, guarded(dyT, NaN), guarded(x, NaN), B, IN, OUT);
    const [eW, eb] = [new Float32Array(OUT * IN), new Float32Array(OUT)];
    ref.linearBackwardWeight(eW, eb, dyT, x, B, IN, OUT);
    const mag = backwardWeightMagnitude(dyT, x, shape);
    expect(boundViolation(dW, eW, OUT * IN, chainBound(B, mag.dW))).toBeUndefined();
    expect(boundViolation(db, eb, OUT, chainBound(B, mag.db))).toBeUndefined();
    expect(brokenGuard(dW, OUT * IN, SENTINEL)).toBeUndefined();
    expect(brokenGuard(db, OUT, SENTINEL)).toBeUndefined();
  });

  describe.each(['tanh', 'relu', 'linear'] as ActivationName[])('%s', (act) => {
    it.each(ELEMENT_COUNTS.map((n) => ({ n, name: `activationForward(${act},n=${n},${variant})` })))('$name', ({ n, name }) => {
      // x spans tanh's polynomial branch (|x| < 0.625), its exp branch and saturation (|x| ≥ 9.01).
      const x = randomF32(caseRng(name), n, 12);
      const y = guarded(n, SENTINEL);
      addon.activationForward(act, y, guarded(x, NaN), n);
      const expected = new Float32Array(n);
      ref.activationForward(act, expected, x, n);
      if (act === 'tanh') {
        for (let i = 0; i < n; i++) {
          expect(ulpDistance(y[i], expected[i]), `tanh(${x[i]})`).toBeLessThanOrEqual(1);
          expect(Math.abs(y[i] - Math.tanh(x[i])), `tanh(${x[i]})`).toBeLessThanOrEqual(2e-7);
        }
      } else {
        expect(bitDifference(y, expected, n)).toBeUndefined();
      }
      expect(brokenGuard(y, n, SENTINEL)).toBeUndefined();
      // In place (y = x, as the engine calls it) gives the same values.
      const inPlace = x.slice();
      addon.activationForward(act, inPlace, inPlace, n);
      expect(bitDifference(inPlace, y, n)).toBeUndefined();
    });

    it.each(ELEMENT_COUNTS.map((n) => ({ n, name: `activationBackward(${act},n=${n},${variant})` })))('$name', ({ n, name }) => {
      const rng = caseRng(name);
      const pre = randomF32(rng, n, 12);
      const y = new Float32Array(n);
      ref.activationForward(act, y, pre, n); // y as the forward pass saves it (relu: exact zeros; tanh: ±1 at saturation)
      const dy = randomF32(rng, n, 3);
      const dx = guarded(n, SENTINEL);
      addon.activationBackward(act, dx, guarded(dy, NaN), guarded(y, NaN), n);
      const expected = new Float32Array(n);
      ref.activationBackward(act, expected, dy, y, n);
      if (act === 'tanh') {
        expect(boundViolation(dx, expected, n, (i) => 4 * U32 * Math.abs(dy[i]))).toBeUndefined();
      } else {
        for (let i = 0; i < n; i++) expect(dx[i] === expected[i], `dx[${i}] = ${dx[i]} vs ${expected[i]}`).toBe(true);
      }
      expect(brokenGuard(dx, n, SENTINEL)).toBeUndefined();
      const inPlace = dy.slice(); // dx = dy, as the engine calls it
      addon.activationBackward(act, inPlace, inPlace, y, n);
      expect(bitDifference(inPlace, dx, n)).toBeUndefined();
    });
  });

  const SOFTMAX_CASES = BATCHES.flatMap((B) => [2, 3, 10].map((C) => ({ B, C, name: `softmaxCrossEntropy(B=${B},C=${C},${variant})` })));
  it.each(SOFTMAX_CASES)('$name', ({ B, C, name }) => {
    const rng = caseRng(name);
    const scale = 8;
    const logits = randomF32(rng, C * B, scale);
    const labels = Int32Array.from({ length: B }, () => rng.nextInt(C));
    const d = guarded(C * B, SENTINEL);
    const [loss, correct] = addon.softmaxCrossEntropy(d, guarded(logits, NaN), labels, B, C);
    const expected = new Float32Array(C * B);
    const [eLoss, eCorrect] = ref.softmaxCrossEntropy(expected, logits, labels, B, C);
    expect(correct).toBe(eCorrect);
    expect(Math.abs(loss - eLoss)).toBeLessThanOrEqual(8 * U32 * B * (1 + scale));
    expect(boundViolation(d, expected, C * B, () => (8 * U32) / B)).toBeUndefined();
    expect(brokenGuard(d, C * B, SENTINEL)).toBeUndefined();
  });

  it(`softmaxCrossEntropy(ties and extreme logits,${variant})`, () => {
    // Ties go to the lowest class on both backends; ±1000 logits stay finite (max is subtracted first).
    const [B, C] = [4, 3];
    const logits = Float32Array.from([
      1,
      1,
      -1000,
      1000, // class 0
      1,
      0,
      1000,
      1000, // class 1
      0,
      1,
      0,
      -1000, // class 2
    ]);
    const labels = Int32Array.from([0, 1, 2, 1]);
    const d = new Float32Array(C * B);
    const expected = new Float32Array(C * B);
    const [loss, correct] = addon.softmaxCrossEntropy(d, logits, labels, B, C);
    const [eLoss, eCorrect] = ref.softmaxCrossEntropy(expected, logits, labels, B, C);
    // sample 0: tie 0/1 → class 0, right; 1: tie 0/2 → class 0, wrong; 2: class 1, wrong; 3: tie 0/1 → class 0, wrong.
    expect([correct, eCorrect]).toEqual([1, 1]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(Math.abs(loss - eLoss)).toBeLessThanOrEqual(8 * U32 * B * 1001);
    expect(loss).toBeGreaterThan(1000); // sample 2 has z_y − max = −1000
    expect(boundViolation(d, expected, C * B, () => (8 * U32) / B)).toBeUndefined();
  });

  const TRANSPOSE_CASES = BATCHES.flatMap((rows) => [1, 3, 33, 100].map((cols) => ({ rows, cols, name: `transpose(rows=${rows},cols=${cols},${variant})` })));
  it.each(TRANSPOSE_CASES)('$name', ({ rows, cols, name }) => {
    const input = randomF32(caseRng(name), rows * cols);
    const out = guarded(rows * cols, SENTINEL);
    addon.transpose(out, guarded(input, NaN), rows, cols);
    const expected = new Float32Array(rows * cols);
    ref.transpose(expected, input, rows, cols);
    expect(bitDifference(out, expected, rows * cols)).toBeUndefined();
    expect(brokenGuard(out, rows * cols, SENTINEL)).toBeUndefined();
  });

  const ADAM_SETTINGS = [
    { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, // torch's defaults
    { lr: 0.05, beta1: 0.5, beta2: 0.9, eps: 1e-3 },
  ];
  const OPTIMIZER_CASES = [1, 7, 17, 64, 130, 1000].flatMap((n) => [false, true].map((masked) => ({ n, masked })));
  it.each(OPTIMIZER_CASES.flatMap((c) => ADAM_SETTINGS.map((h, k) => ({ ...c, h, name: `adamStep(n=${c.n},mask=${c.masked},hyper=${k},${variant})` }))))(
    '$name',
    ({ n, masked, h, name }) => {
      const rng = caseRng(name);
      const mask = masked ? Float32Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? 0 : 1)) : null;
      const w = randomF32(rng, n);
      if (mask) for (let i = 0; i < n; i++) if (!mask[i]) w[i] = 0; // pruned weights are 0 before the first step
      const [m, v] = [new Float32Array(n), new Float32Array(n)];
      const [ew, em, ev] = [w.slice(), m.slice(), v.slice()];
      // Steps 1–4 with fresh gradients, then step 10 000 (bias corrections near 1).
      for (const step of [1, 2, 3, 4, 10_000]) {
        const g = randomF32(rng, n, 0.1);
        addon.adamStep(w, g, m, v, mask, n, h.lr, h.beta1, h.beta2, h.eps, step);
        ref.adamStep(ew, g, em, ev, mask, n, h.lr, h.beta1, h.beta2, h.eps, step);
        expect(bitDifference(w, ew), `w after step ${step}`).toBeUndefined();
        expect(bitDifference(m, em), `m after step ${step}`).toBeUndefined();
        expect(bitDifference(v, ev), `v after step ${step}`).toBeUndefined();
      }
      if (mask) {
        for (let i = 0; i < n; i++) {
          if (!mask[i]) expect([w[i], m[i], v[i]], `pruned entry ${i}`).toEqual([0, 0, 0]);
        }
      }
    },
  );

  it.each(
    OPTIMIZER_CASES.flatMap((c) =>
      [0, 0.9].map((momentum) => ({ ...c, momentum, name: `sgdStep(n=${c.n},mask=${c.masked},momentum=${momentum},${variant})` })),
    ),
  )('$name', ({ n, masked, momentum, name }) => {
    const rng = caseRng(name);
    const mask = masked ? Float32Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? 0 : 1)) : null;
    const w = randomF32(rng, n);
    const velocity = momentum > 0 ? new Float32Array(n) : null;
    const [ew, ev] = [w.slice(), velocity?.slice() ?? null];
    for (let step = 1; step <= 3; step++) {
      const g = randomF32(rng, n, 0.1);
      addon.sgdStep(w, g, velocity, mask, n, 0.1, momentum);
      ref.sgdStep(ew, g, ev, mask, n, 0.1, momentum);
      expect(bitDifference(w, ew), `w after step ${step}`).toBeUndefined();
      if (velocity && ev) expect(bitDifference(velocity, ev), `velocity after step ${step}`).toBeUndefined();
    }
  });
});

// The GEMM is one fused multiply-add chain per output element, in k order, in every
// variant (native/kernels/gemm-inl.h), so every variant equals scalar bit for bit. The
// element-wise kernels perform the same IEEE operations per lane, so they match too.
// Shapes include k-blocking (k·min(n,256) > 128Ki floats) and column blocking (n > 256).
// With INFOPLANE_SIMD=scalar there is no other variant to compare.
describe.skipIf(VARIANTS.length === 1)('SIMD variants equal the scalar variant bit for bit', () => {
  const SHAPES: LinearCase[] = [
    { B: 1, IN: 1, OUT: 1 },
    { B: 7, IN: 33, OUT: 15 },
    { B: 17, IN: 100, OUT: 3 },
    { B: 130, IN: 15, OUT: 100 },
    { B: 300, IN: 600, OUT: 7 }, // forward: n = 300 > 256 columns, k = 600 in 256-blocks
    { B: 600, IN: 260, OUT: 5 }, // backward weight: k = B = 600 in blocks, n = IN = 260
  ];
  const others = VARIANTS.filter((v) => v !== 'scalar');

  function runLinear(variant: string, s: LinearCase, key: string): Float32Array[] {
    addon.setVariant(variant);
    const { xT, W, b, dyT, x } = linearInputs(key, s);
    const { B, IN, OUT } = s;
    const out = new Float32Array(OUT * B);
    const dxT = new Float32Array(IN * B);
    const [dW, db] = [new Float32Array(OUT * IN), new Float32Array(OUT)];
    addon.linearForward(out, xT, W, b, B, IN, OUT);
    addon.linearBackwardInput(dxT, dyT, W, B, IN, OUT);
    addon.linearBackwardWeight(dW, db, dyT, x, B, IN, OUT);
    return [out, dxT, dW, db];
  }

  it.each(SHAPES.flatMap((s) => others.map((variant) => ({ s, variant, name: `linear*(B=${s.B},IN=${s.IN},OUT=${s.OUT},${variant}) = scalar` }))))(
    '$name',
    ({ s, variant, name }) => {
      const expected = runLinear('scalar', s, name);
      const actual = runLinear(variant, s, name);
      ['linearForward', 'linearBackwardInput', 'linearBackwardWeight dW', 'linearBackwardWeight db'].forEach((op, k) => {
        expect(bitDifference(actual[k], expected[k]), op).toBeUndefined();
      });
    },
  );

  it.each(others)('activations and optimizer steps (%s) = scalar', (variant) => {
    const n = 4099; // not a multiple of any vector width
    const rng = caseRng(`elementwise(${variant})`);
    const x = randomF32(rng, n, 12);
    const dy = randomF32(rng, n);
    const g = randomF32(rng, n, 0.1);
    const mask = Float32Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? 0 : 1));
    const w0 = randomF32(rng, n);
    const results = [variant, 'scalar'].map((vname) => {
      addon.setVariant(vname);
      const out: Float32Array[] = [];
      for (const act of ['tanh', 'relu'] as ActivationName[]) {
        const y = new Float32Array(n);
        const dx = new Float32Array(n);
        addon.activationForward(act, y, x, n);
        addon.activationBackward(act, dx, dy, y, n);
        out.push(y, dx);
      }
      const [w, m, v] = [w0.slice(), new Float32Array(n), new Float32Array(n)];
      for (let step = 1; step <= 3; step++) addon.adamStep(w, g, m, v, mask, n, 1e-3, 0.9, 0.999, 1e-8, step);
      const [ws, vel] = [w0.slice(), new Float32Array(n)];
      for (let step = 1; step <= 3; step++) addon.sgdStep(ws, g, vel, null, n, 0.1, 0.9);
      out.push(w, m, v, ws, vel);
      return out;
    });
    results[0].forEach((a, k) => expect(bitDifference(a, results[1][k]), `output ${k}`).toBeUndefined());
  });
});

// Each output element is computed by one thread with a fixed operation order, so the
// thread count never changes a bit. Large shapes: the pool is used from 2e5 flops
// (products) and 32 768 elements (element-wise ops) on.
describe('thread count does not change results', () => {
  function allOps(threads: number) {
    addon.setThreads(threads);
    const [B, IN, OUT] = [128, 784, 1024]; // the default net's first layer
    const { xT, W, b, dyT, x } = linearInputs('threads(B=128,IN=784,OUT=1024)', { B, IN, OUT });
    const out = new Float32Array(OUT * B);
    const dxT = new Float32Array(IN * B);
    const [dW, db] = [new Float32Array(OUT * IN), new Float32Array(OUT)];
    addon.linearForward(out, xT, W, b, B, IN, OUT);
    addon.linearBackwardInput(dxT, dyT, W, B, IN, OUT);
    addon.linearBackwardWeight(dW, db, dyT, x, B, IN, OUT);
    const y = new Float32Array(OUT * B);
    const dx = new Float32Array(OUT * B);
    addon.activationForward('tanh', y, out, OUT * B);
    addon.activationBackward('tanh', dx, dyT, y, OUT * B);
    const yRelu = new Float32Array(OUT * B);
    addon.activationForward('relu', yRelu, out, OUT * B);
    const logits = out.subarray(0, 10 * B);
    const dlogits = new Float32Array(10 * B);
    const labels = Int32Array.from({ length: B }, (_, s) => s % 10);
    const [loss, correct] = addon.softmaxCrossEntropy(dlogits, logits, labels, B, 10);
    const t = new Float32Array(OUT * B);
    addon.transpose(t, out, OUT, B);
    const [w, m, v] = [W.slice(), new Float32Array(W.length), new Float32Array(W.length)];
    for (let step = 1; step <= 2; step++) addon.adamStep(w, dW, m, v, null, W.length, 1e-3, 0.9, 0.999, 1e-8, step);
    const [ws, vel] = [W.slice(), new Float32Array(W.length)];
    addon.sgdStep(ws, dW, vel, null, W.length, 0.01, 0.9);
    return { arrays: { out, dxT, dW, db, y, dx, yRelu, dlogits, t, w, m, v, ws, vel }, loss, correct };
  }

  it.each([2, 3, 8])('threads 1 vs %i: every op on B=128, 784→1024, bitwise', (threads) => {
    const one = allOps(1);
    const many = allOps(threads);
    expect(addon.features().threads).toBe(threads);
    for (const [name, a] of Object.entries(many.arrays)) {
      expect(bitDifference(a, one.arrays[name as keyof typeof one.arrays]), name).toBeUndefined();
    }
    expect([many.loss, many.correct]).toEqual([one.loss, one.correct]);
  });
});
