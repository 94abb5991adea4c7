// Whole training steps and evaluations, native engine vs reference engine:
// same torch init from the seeded `init` stream, the same MNIST digits, a
// 784-32-16-10 net small enough for the reference backend.
//
// Tolerances (observed in brackets): after 12 steps the weights agree within
// 1e-5 for Adam [6.7e-7] and 1e-6 for SGD with momentum [3e-8], while every step
// moves some weight by more than 20× the tolerance (Adam: ~lr = 1e-3), so a skipped
// or repeated step fails. Per-step summed losses agree within 1e-5 relative [3e-8]; correct
// counts are equal. Evaluation activations agree within 1e-5·(1 + |a|) [2.4e-7].
// A row's evaluation does not depend on the 1024-row chunk it falls in: bitwise
// equal on both backends.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { createEngine } from '../../src/train/engine.ts';
import type { ActivationName } from '../../src/backend/kernels.ts';
import type { Network } from '../../src/train/model.ts';
import { nativeBackend, referenceBackend } from '../../src/backend/registry.ts';
import { referenceKernels } from '../../src/backend/reference/dense.ts';
import { Rng } from '../../src/core/rng.ts';
import { bitDifference, boundViolation, maxAbsDiff } from '../helpers/floats.ts';
import { restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { ADAM, cloneNetwork, engineWorkload, flatParameters, seededNetwork } from '../helpers/nets.ts';

restoreNativeSettingsAfterEach();

const { SIZES, FEATURES, BATCH, STEPS, data, batchAt, OPTIMIZERS } = engineWorkload();
const BACKENDS: [string, () => Backend][] = [
  ['native', () => nativeBackend()],
  ['reference', () => referenceBackend],
];

describe.each(['tanh', 'relu'] as ActivationName[])('training steps, native vs reference, %s', (act) => {
  it.each(OPTIMIZERS)(`trainBatch×${STEPS}(784-32-16-10,${act},%s,B=${BATCH})`, (_name, optimizer, tolerance) => {
    const start = seededNetwork(SIZES, act, 5);
    const [nNet, rNet] = [cloneNetwork(start), cloneNetwork(start)];
    const native = createEngine(nativeBackend(), nNet, optimizer, BATCH);
    const reference = createEngine(referenceBackend, rNet, optimizer, BATCH);
    let previous = flatParameters(nNet);
    for (let step = 0; step < STEPS; step++) {
      const { x, labels, rows } = batchAt(step);
      const n = native.trainBatch(x, labels, rows);
      const r = reference.trainBatch(x, labels, rows);
      expect(n.correct, `correct at step ${step}`).toBe(r.correct);
      expect(Math.abs(n.lossSum - r.lossSum), `loss at step ${step}`).toBeLessThanOrEqual(1e-5 * r.lossSum);
      const now = flatParameters(nNet);
      expect(maxAbsDiff(now, previous), `step ${step} moves the weights`).toBeGreaterThan(20 * tolerance);
      previous = now;
    }
    const diff = maxAbsDiff(flatParameters(nNet), flatParameters(rNet));
    expect(diff).toBeLessThanOrEqual(tolerance);
    expect(diff).toBeGreaterThanOrEqual(0);
  });

  it(`evaluate(784-32-16-10,${act},rows=1500): native activations equal the reference's`, () => {
    const net = seededNetwork(SIZES, act, 6);
    const [n, r] = BACKENDS.map(([, make]) => createEngine(make(), net, ADAM, BATCH).evaluate(data.x, data.labels, 1500, { activations: true }));
    expect(n.correct).toBe(r.correct);
    expect(Math.abs(n.lossSum - r.lossSum)).toBeLessThanOrEqual(1e-5 * r.lossSum);
    n.activations!.forEach((a, l) => {
      const e = r.activations![l];
      expect(a.length).toBe(1500 * SIZES[l + 1]);
      expect(
        boundViolation(a, e, a.length, (i) => 1e-5 * (1 + Math.abs(e[i]))),
        `layer ${l + 1}`,
      ).toBeUndefined();
    });
  });
});

describe.each(BACKENDS)('%s evaluate() does not depend on the chunking', (name, makeBackend) => {
  // 1500 rows are evaluated in chunks of 1024 + 476; rows 1000..1099 straddle the boundary.
  it(`evaluate(rows=1500) rows 1000..1099 = evaluate(rows 1000..1099 alone), bitwise (${name})`, () => {
    const net = seededNetwork(SIZES, 'tanh', 7);
    const engine = createEngine(makeBackend(), net, ADAM, BATCH);
    const whole = engine.evaluate(data.x, data.labels, 1500, { activations: true });
    const wholeActs = whole.activations!.map((a) => a.slice()); // reused by the next call with 1500 rows
    const part = engine.evaluate(data.x.subarray(1000 * FEATURES), data.labels.subarray(1000), 100, { activations: true });
    part.activations!.forEach((a, l) => {
      const width = SIZES[l + 1];
      expect(bitDifference(a, wholeActs[l].subarray(1000 * width, 1100 * width)), `layer ${l + 1}`).toBeUndefined();
    });
    // Counts add up exactly over a split at the chunk boundary; summed losses up to rounding.
    const first = engine.evaluate(data.x, data.labels, 1024);
    const rest = engine.evaluate(data.x.subarray(1024 * FEATURES), data.labels.subarray(1024), 476);
    expect(first.correct + rest.correct).toBe(whole.correct);
    expect(Math.abs(first.lossSum + rest.lossSum - whole.lossSum)).toBeLessThanOrEqual(1e-12 * whole.lossSum);
    // Evaluation leaves the parameters alone.
    expect(bitDifference(flatParameters(net), flatParameters(seededNetwork(SIZES, 'tanh', 7)))).toBeUndefined();
  });

  it(`trainBatch rejects rows outside [1, capacity] (${name})`, () => {
    const engine = createEngine(makeBackend(), seededNetwork(SIZES, 'tanh', 1), ADAM, BATCH);
    expect(() => engine.trainBatch(data.x, data.labels, BATCH + 1)).toThrow(RangeError);
    expect(() => engine.trainBatch(data.x, data.labels, 0)).toThrow(RangeError);
  });
});

// Masks: a pruned weight (mask 0) is exactly 0 before training and after every step,
// on both backends, and the optimizer state behind it stays 0. The state is not
// visible through the engine, so it is checked by its effect: after the masks are
// removed, a previously pruned weight's first update must be exactly the one a
// fresh state gives (Adam: m = v = 0 at step t; SGD: velocity 0).
function prunedNetwork(act: ActivationName): { net: Network; pruned: { l: number; i: number }[]; prunedBias: { l: number; i: number }[] } {
  const net = seededNetwork(SIZES, act, 8);
  const rng = Rng.stream(8, 'masks');
  const pruned: { l: number; i: number }[] = [];
  const prunedBias: { l: number; i: number }[] = [];
  net.layers.forEach((layer, l) => {
    layer.weightMask = Float32Array.from(layer.weight, () => (rng.nextFloat() < 0.5 ? 0 : 1));
    layer.weightMask.forEach((m, i) => {
      if (m === 0) {
        layer.weight[i] = 0;
        pruned.push({ l, i });
      }
    });
  });
  const hidden = net.layers[1];
  hidden.biasMask = Float32Array.from(hidden.bias, (_, i) => (i % 3 === 0 ? 0 : 1));
  hidden.biasMask.forEach((m, i) => {
    if (m === 0) {
      hidden.bias[i] = 0;
      prunedBias.push({ l: 1, i });
    }
  });
  return { net, pruned, prunedBias };
}

/** The gradient the engine would apply at the net's current weights, read back from one SGD step at lr = 1024. */
function gradientAt(backend: Backend, net: Network, batch: { x: Float32Array; labels: Int32Array; rows: number }): Network {
  const probe = cloneNetwork(net);
  probe.layers.forEach((l) => {
    l.weightMask = null;
    l.biasMask = null;
  });
  const before = cloneNetwork(probe);
  createEngine(backend, probe, { kind: 'sgd', lr: 1024, momentum: 0 }, BATCH).trainBatch(batch.x, batch.labels, batch.rows);
  // For a weight at 0, fl(0 − 1024·g) = −1024·g exactly, so this g is exact there.
  probe.layers.forEach((l, k) => {
    l.weight.forEach((w, i) => (l.weight[i] = (before.layers[k].weight[i] - w) / 1024));
    l.bias.forEach((b, i) => (l.bias[i] = (before.layers[k].bias[i] - b) / 1024));
  });
  return probe;
}

describe.each(BACKENDS)('%s engine keeps pruned weights at zero', (name, makeBackend) => {
  it.each(OPTIMIZERS)(`masked trainBatch×6(784-32-16-10,tanh,%s,${name})`, (_opt, optimizer) => {
    const { net, pruned, prunedBias } = prunedNetwork('tanh');
    const backend = makeBackend();
    const engine = createEngine(backend, net, optimizer, BATCH);
    const stuck = () => [...pruned.map(({ l, i }) => net.layers[l].weight[i]), ...prunedBias.map(({ l, i }) => net.layers[l].bias[i])];
    for (let step = 0; step < 6; step++) {
      const { x, labels, rows } = batchAt(step);
      engine.trainBatch(x, labels, rows);
      // +0 exactly: not −0, not a denormal.
      expect(
        stuck().every((w) => Object.is(w, 0)),
        `after step ${step + 1}`,
      ).toBe(true);
    }
    // Kept weights did train.
    expect(net.layers[0].weight.some((w, i) => net.layers[0].weightMask![i] === 1 && w !== 0)).toBe(true);

    // Unmask, take step 7, and compare each previously pruned entry with a fresh-state update.
    net.layers.forEach((l) => {
      l.weightMask = null;
      l.biasMask = null;
    });
    const batch = batchAt(6);
    const g = gradientAt(backend, net, batch);
    engine.trainBatch(batch.x, batch.labels, batch.rows);
    const entries = [...pruned.map((e) => ({ ...e, bias: false })), ...prunedBias.map((e) => ({ ...e, bias: true }))];
    const got = Float32Array.from(entries, ({ l, i, bias }) => (bias ? net.layers[l].bias[i] : net.layers[l].weight[i]));
    const grad = Float32Array.from(entries, ({ l, i, bias }) => (bias ? g.layers[l].bias[i] : g.layers[l].weight[i]));
    const expected = new Float32Array(entries.length);
    const n = entries.length;
    if (optimizer.kind === 'adam') {
      referenceKernels.adamStep(
        expected,
        grad,
        new Float32Array(n),
        new Float32Array(n),
        null,
        n,
        optimizer.lr,
        optimizer.beta1,
        optimizer.beta2,
        optimizer.eps,
        7,
      );
    } else {
      referenceKernels.sgdStep(expected, grad, new Float32Array(n), null, n, optimizer.lr, optimizer.momentum);
    }
    expect(grad.filter((v) => v !== 0).length, 'most previously pruned weights get a gradient').toBeGreaterThan(n / 4);
    expect(bitDifference(got, expected)).toBeUndefined();
  });
});

describe('masked training agrees across backends', () => {
  it.each(OPTIMIZERS)('masked trainBatch×6(784-32-16-10,relu,%s): native ≈ reference', (_opt, optimizer, tolerance) => {
    const [nNet, rNet] = [prunedNetwork('relu').net, prunedNetwork('relu').net];
    const engines = [createEngine(nativeBackend(), nNet, optimizer, BATCH), createEngine(referenceBackend, rNet, optimizer, BATCH)];
    for (let step = 0; step < 6; step++) {
      const { x, labels, rows } = batchAt(step);
      for (const e of engines) e.trainBatch(x, labels, rows);
    }
    expect(maxAbsDiff(flatParameters(nNet), flatParameters(rNet))).toBeLessThanOrEqual(tolerance);
  });
});
