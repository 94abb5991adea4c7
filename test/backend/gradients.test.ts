// The engine's backward pass against finite differences, on both backends and
// for every activation: a 5-4-3-2 MLP on 6 rows, mean softmax cross-entropy.
//
// The analytic gradient is the one the engine itself computes and applies: one
// trainBatch with plain SGD (momentum 0) at lr = 1024 writes w' = fl(w − 1024·g),
// so g = (w − w')/1024 up to u/2·(|w|/1024 + |g|) (1024·g is exact, the
// subtraction rounds once). That covers the whole backward orchestration
// (softmax CE, linearBackwardWeight/Input, activationBackward, layer order), not
// just the kernels.
//
// Two finite-difference oracles:
//  1. a double-precision re-implementation of the forward pass (independent of
//     the kernels), central differences with h = 1e-6: error ~1e-10, so the
//     comparison is limited by the engine's float32 arithmetic (observed
//     |Δ| ≤ 1.1e-7·‖g‖∞, ≤ 6.2e-7·|g_fd| on entries above 1% of ‖g‖∞).
//     Tolerance: |Δ| ≤ 1e-4·|g_fd| + 1e-6·‖g‖∞.
//  2. the engine's own float32 evaluate() lossSum, central differences with
//     eps = 1e-2 (truncation O(eps²); observed |Δ| ≤ 3.4e-5·‖g‖∞, ≤ 3e-4·|g_fd|).
//     Tolerance: |Δ| ≤ 1e-2·|g_fd| + 1e-3·‖g‖∞.
// Each check is shown to reject deliberately wrong gradients.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { createEngine } from '../../src/train/engine.ts';
import type { ActivationName, DenseKernels } from '../../src/backend/kernels.ts';
import type { Network } from '../../src/train/model.ts';
import { nativeBackend, referenceBackend } from '../../src/backend/registry.ts';
import { referenceKernels } from '../../src/backend/reference/dense.ts';
import { initialize } from '../../src/train/init.ts';
import { createNetwork } from '../../src/train/network.ts';
import { Rng } from '../../src/core/rng.ts';
import { randomF32 } from '../helpers/floats.ts';
import { addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';

restoreNativeSettingsAfterEach();

const SIZES = [5, 4, 3, 2];
const ROWS = 6;
const LR = 1024;
const H_DOUBLE = 1e-6;
const EPS_F32 = 1e-2;

interface Problem {
  net: Network;
  x: Float32Array;
  labels: Int32Array;
}

function problem(act: ActivationName, seed: number): Problem {
  const net = createNetwork(SIZES, act);
  initialize(net, 'torch', Rng.stream(seed, 'init'));
  // Weights ×2 so tanh works in its curved range; biases stay at torch's init.
  for (const layer of net.layers) layer.weight.forEach((w, i) => (layer.weight[i] = 2 * w));
  const rng = Rng.stream(seed, 'data');
  const x = randomF32(rng, ROWS * SIZES[0], 1.5);
  const labels = Int32Array.from({ length: ROWS }, (_, r) => r % 2); // both classes present
  return { net, x, labels };
}

/** Every parameter as one flat list of (array, index), weights then bias, layer by layer. */
function parameters(net: Network): [Float32Array, number][] {
  return net.layers.flatMap((l) => [
    ...Array.from(l.weight, (_, i) => [l.weight, i] as [Float32Array, number]),
    ...Array.from(l.bias, (_, i) => [l.bias, i] as [Float32Array, number]),
  ]);
}

function activateDouble(act: ActivationName, z: number): number {
  return act === 'tanh' ? Math.tanh(z) : act === 'relu' ? Math.max(z, 0) : z;
}

/**
 * Mean cross-entropy in double precision, row-major and independent of the
 * kernels; `shift` moves parameter `which` by that amount. Also returns the
 * signs of every hidden pre-activation: a finite-difference probe across
 * relu's kink would measure a one-sided slope.
 */
function lossDouble(p: Problem, which = -1, shift = 0): { loss: number; signs: string } {
  const params = parameters(p.net);
  const value = (arr: Float32Array, i: number): number => {
    const k = which >= 0 && params[which][0] === arr && params[which][1] === i;
    return arr[i] + (k ? shift : 0);
  };
  const layers = p.net.layers;
  let loss = 0;
  let signs = '';
  for (let r = 0; r < ROWS; r++) {
    let h = Array.from(p.x.subarray(r * SIZES[0], (r + 1) * SIZES[0]));
    layers.forEach((layer, l) => {
      const z = Array.from({ length: layer.out }, (_, o) => {
        let s = value(layer.bias, o);
        for (let i = 0; i < layer.in; i++) s += value(layer.weight, o * layer.in + i) * h[i];
        return s;
      });
      const hidden = l < layers.length - 1;
      if (hidden) for (const v of z) signs += v > 0 ? '+' : '-';
      h = hidden ? z.map((v) => activateDouble(p.net.activation, v)) : z;
    });
    const max = Math.max(...h);
    loss += Math.log(h.reduce((s, v) => s + Math.exp(v - max), 0)) - (h[p.labels[r]] - max);
  }
  return { loss: loss / ROWS, signs };
}

/** Parameters whose ±h probes change some hidden pre-activation's sign (none may, for relu). */
function probesAcrossKink(p: Problem, h: number): number[] {
  const base = lossDouble(p).signs;
  return parameters(p.net).flatMap((_, k) => (lossDouble(p, k, h).signs === base && lossDouble(p, k, -h).signs === base ? [] : [k]));
}

function fdDouble(p: Problem): Float64Array {
  return Float64Array.from(parameters(p.net), (_, k) => (lossDouble(p, k, H_DOUBLE).loss - lossDouble(p, k, -H_DOUBLE).loss) / (2 * H_DOUBLE));
}

/** The gradient the engine applies, read back from one SGD step at lr = 1024; the weights are restored. */
function engineGradient(backend: Backend, p: Problem): Float64Array {
  const params = parameters(p.net);
  const before = Float64Array.from(params, ([a, i]) => a[i]);
  createEngine(backend, p.net, { kind: 'sgd', lr: LR, momentum: 0 }, ROWS).trainBatch(p.x, p.labels, ROWS);
  const g = Float64Array.from(params, ([a, i], k) => (before[k] - a[i]) / LR);
  params.forEach(([a, i], k) => (a[i] = before[k]));
  return g;
}

/** Central differences of the engine's own float32 evaluate() (mean loss). */
function fdEvaluate(backend: Backend, p: Problem): Float64Array {
  // The optimizer is never stepped: evaluate() only runs the forward pass.
  const engine = createEngine(backend, p.net, { kind: 'sgd', lr: 0, momentum: 0 }, ROWS);
  const loss = () => engine.evaluate(p.x, p.labels, ROWS).lossSum / ROWS;
  return Float64Array.from(parameters(p.net), ([a, i]) => {
    const w = a[i];
    a[i] = w + EPS_F32;
    const up = loss();
    const stepUp = a[i] - w; // the float32 step actually taken
    a[i] = w - EPS_F32;
    const down = loss();
    const stepDown = w - a[i];
    a[i] = w;
    return (up - down) / (stepUp + stepDown);
  });
}

const maxAbs = (g: Float64Array) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Undefined when every entry is within tolerance; else the worst entry. */
function gradientMismatch(analytic: Float64Array, fd: Float64Array, rel: number, absOfMax: number): string | undefined {
  const scale = maxAbs(fd);
  let worst: { k: number; ratio: number } | undefined;
  fd.forEach((f, k) => {
    const ratio = Math.abs(analytic[k] - f) / (rel * Math.abs(f) + absOfMax * scale);
    if (!(ratio <= 1) && (!worst || ratio > worst.ratio)) worst = { k, ratio };
  });
  return worst && `parameter ${worst.k}: analytic ${analytic[worst.k]} vs finite difference ${fd[worst.k]} (${worst.ratio.toFixed(1)}× the tolerance)`;
}
const checkDouble = (g: Float64Array, fd: Float64Array) => gradientMismatch(g, fd, 1e-4, 1e-6);
const checkF32 = (g: Float64Array, fd: Float64Array) => gradientMismatch(g, fd, 1e-2, 1e-3);

/** A backend whose engine runs `kernels` (for the deliberately broken gradients). */
function backendOf(kernels: DenseKernels): Backend {
  return { name: 'reference', info: () => ({ name: 'broken', detail: '' }), supports: (op) => op === 'dense', kernels: () => kernels };
}

const BACKENDS: [string, () => Backend][] = [
  ['native', () => nativeBackend()],
  ['reference', () => referenceBackend],
];
// With seed 3 no probe crosses relu's kink (asserted in each test).
const SEED = 3;

describe.each(BACKENDS)('%s engine gradient vs finite differences', (name, makeBackend) => {
  describe.each(['tanh', 'relu', 'linear'] as ActivationName[])('%s', (act) => {
    it(`gradient(5-4-3-2,${act},rows=${ROWS},seed=${SEED},${name}) matches double-precision central differences`, () => {
      const p = problem(act, SEED);
      const { loss } = lossDouble(p);
      if (act === 'relu') expect(probesAcrossKink(p, H_DOUBLE)).toEqual([]);
      // The forward pass agrees with the oracle too.
      const evaluation = createEngine(makeBackend(), p.net, { kind: 'sgd', lr: 0, momentum: 0 }, ROWS).evaluate(p.x, p.labels, ROWS);
      expect(Math.abs(evaluation.lossSum / ROWS - loss)).toBeLessThan(1e-6);
      const g = engineGradient(makeBackend(), p);
      const fd = fdDouble(p);
      expect(maxAbs(fd)).toBeGreaterThan(1e-2); // a gradient worth checking
      expect(checkDouble(g, fd)).toBeUndefined();
    });

    it(`gradient(5-4-3-2,${act},rows=${ROWS},seed=${SEED},${name}) matches float32 central differences of evaluate()`, () => {
      const p = problem(act, SEED);
      if (act === 'relu') expect(probesAcrossKink(p, EPS_F32)).toEqual([]);
      const backend = makeBackend();
      expect(checkF32(engineGradient(backend, p), fdEvaluate(backend, p))).toBeUndefined();
    });
  });
});

describe('the gradient checks reject wrong gradients', () => {
  const p = problem('tanh', SEED);
  const fd = fdDouble(p);
  const fd32 = fdEvaluate(nativeBackend(), p);
  const good = engineGradient(nativeBackend(), p);

  it('the correct gradient passes both (the baseline for the failures below)', () => {
    expect(checkDouble(good, fd)).toBeUndefined();
    expect(checkF32(good, fd32)).toBeUndefined();
  });

  it('one entry 2% off (any entry within 10× of the largest) fails both', () => {
    const scale = maxAbs(fd);
    let tried = 0;
    good.forEach((v, k) => {
      if (Math.abs(v) < 0.1 * scale) return;
      const wrong = good.slice();
      wrong[k] *= 1.02;
      expect(checkDouble(wrong, fd), `entry ${k}`).toBeDefined();
      expect(checkF32(wrong, fd32), `entry ${k}`).toBeDefined();
      tried++;
    });
    expect(tried).toBeGreaterThan(5);
  });

  it("a backward pass that skips tanh's derivative fails both", () => {
    const kernels: DenseKernels = { ...addon, activationBackward: (_act, dx, dy, y, n) => addon.activationBackward('linear', dx, dy, y, n) };
    const wrong = engineGradient(backendOf(kernels), p);
    expect(checkDouble(wrong, fd)).toBeDefined();
    expect(checkF32(wrong, fd32)).toBeDefined();
  });

  it('a loss gradient not divided by the batch size fails both', () => {
    const kernels: DenseKernels = {
      ...referenceKernels,
      softmaxCrossEntropy(d, z, labels, B, C) {
        const r = referenceKernels.softmaxCrossEntropy(d, z, labels, B, C);
        for (let i = 0; i < B * C; i++) d[i] *= B;
        return r;
      },
    };
    const wrong = engineGradient(backendOf(kernels), p);
    expect(checkDouble(wrong, fd)).toBeDefined();
    expect(checkF32(wrong, fd32)).toBeDefined();
  });

  it('a bias gradient taken from the wrong sample range fails both', () => {
    // db summed over all but the last row: the kind of off-by-one a tail loop makes.
    const kernels: DenseKernels = {
      ...referenceKernels,
      linearBackwardWeight(dW, db, dyT, x, B, IN, OUT) {
        referenceKernels.linearBackwardWeight(dW, db, dyT, x, B, IN, OUT);
        for (let o = 0; o < OUT; o++) db[o] -= dyT[o * B + B - 1];
      },
    };
    const wrong = engineGradient(backendOf(kernels), p);
    expect(checkDouble(wrong, fd)).toBeDefined();
    expect(checkF32(wrong, fd32)).toBeDefined();
  });
});
