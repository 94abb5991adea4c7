// The engine on its sparse paths against its dense masked path: same init,
// same MNIST batches (partial batches included), a few Adam or SGD+momentum
// steps, then an evaluation with activations. Every sparse kernel runs the
// dense kernel's FMA chain minus its exact-zero links, and neuron compaction
// writes the dropped neurons' act(b) where the dense path computes it, so the
// comparison is bitwise: losses, correct counts, every weight and bias, and
// every activation MI would bin. (Equality is stronger than "the same
// metrics within tolerance", and it is what makes the
// timing-based `auto` choice harmless for reproducibility.)
import { createEngine } from '../../src/train/engine.ts';
import { describe, expect, it } from 'vitest';
import type { EngineOptions, KernelPlan } from '../../src/train/engine-types.ts';
import type { Network, OptimizerConfig } from '../../src/train/model.ts';
import { nativeBackend, referenceBackend } from '../../src/backend/registry.ts';
import { Rng } from '../../src/core/rng.ts';
import { bitDifference, maxAbsDiff } from '../helpers/floats.ts';
import { addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { ADAM, SGD_MOMENTUM, cloneNetwork, flatParameters, mnistSlice, seededNetwork } from '../helpers/nets.ts';

restoreNativeSettingsAfterEach();

// 80 = one 64-output lockstep block of the input-sparse kernels (AVX-512) plus a tail.
const SIZES = [784, 80, 16, 10];
const FEATURES = SIZES[0];
const BATCH = 32;
const STEPS = 6;
const data = mnistSlice(300);
const DENSE: EngineOptions = { kernels: 'dense', inputKernel: 'dense' };

function batchAt(step: number): { x: Float32Array; labels: Int32Array; rows: number } {
  const start = (step * BATCH) % 100; // sizes 32, 32, 32, 4, 32, ...: partial batches included
  const rows = Math.min(BATCH, 100 - start);
  return { x: data.x.subarray(start * FEATURES), labels: data.labels.subarray(start), rows };
}

type Pruning = (net: Network, rng: Rng) => void;

/** Zeroes a random fraction of layer l's weights (unstructured). */
const unstructured =
  (l: number, amount: number): Pruning =>
  (net, rng) => {
    const layer = net.layers[l];
    const before = layer.weightMask;
    layer.weightMask = Float32Array.from(layer.weight, (_, i) => (rng.nextFloat() < amount || before?.[i] === 0 ? 0 : 1));
    layer.weightMask.forEach((m, i) => {
      if (!m) layer.weight[i] = 0;
    });
  };

/** Prunes whole output neurons of layer l (every `every`-th kept); the bias stays unless pruneBias. */
const neurons =
  (l: number, every: number, pruneBias = false): Pruning =>
  (net) => {
    const layer = net.layers[l];
    const mask = layer.weightMask ?? new Float32Array(layer.weight.length).fill(1);
    for (let o = 0; o < layer.out; o++) {
      if (o % every === 0) continue;
      mask.fill(0, o * layer.in, (o + 1) * layer.in);
      layer.weight.fill(0, o * layer.in, (o + 1) * layer.in);
      if (pruneBias) {
        layer.biasMask ??= new Float32Array(layer.out).fill(1);
        layer.biasMask[o] = 0;
        layer.bias[o] = 0;
      }
    }
    layer.weightMask = mask;
  };

function prunedNet(prunings: Pruning[], seed = 11): Network {
  const net = seededNetwork(SIZES, 'tanh', seed);
  const rng = Rng.stream(seed, 'sparse-engine-masks');
  for (const p of prunings) p(net, rng);
  return net;
}

interface Trace {
  losses: number[];
  correct: number[];
  params: Float32Array;
  activations: Float32Array[];
  evalLoss: number;
  plan?: KernelPlan;
}

function run(start: Network, options: EngineOptions, optimizer: OptimizerConfig = ADAM, steps = STEPS): Trace {
  const net = cloneNetwork(start);
  const engine = createEngine(nativeBackend(), net, optimizer, BATCH, options);
  const losses: number[] = [];
  const correct: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { x, labels, rows } = batchAt(step);
    const s = engine.trainBatch(x, labels, rows);
    losses.push(s.lossSum);
    correct.push(s.correct);
  }
  // Evaluated before publishing: with deferWeights the engine must use its own newest weights.
  const e = engine.evaluate(data.x, data.labels, 300, { activations: true });
  engine.publishWeights();
  return { losses, correct, params: flatParameters(net), activations: e.activations!.map((a) => a.slice()), evalLoss: e.lossSum, plan: engine.kernelPlan?.() };
}

function expectSameTrace(a: Trace, b: Trace): void {
  expect(a.losses).toEqual(b.losses);
  expect(a.correct).toEqual(b.correct);
  expect(bitDifference(a.params, b.params), 'parameters').toBeUndefined();
  expect(a.evalLoss).toBe(b.evalLoss);
  a.activations.forEach((act, l) => expect(bitDifference(act, b.activations[l]), `activations of layer ${l + 1}`).toBeUndefined());
}

const kinds = (t: Trace) => t.plan!.layers.map((l) => `${l.kernel}/${l.keptOutputs}`).join(' ');

describe('sparse engine paths equal the dense masked path bit for bit', () => {
  const CASES: { name: string; prunings: Pruning[]; options: EngineOptions; expected: string; optimizer?: OptimizerConfig }[] = [
    { name: 'input-sparse first layer, no pruning', prunings: [], options: { inputKernel: 'sparse' }, expected: 'input-sparse/80 dense/16 dense/10' },
    {
      name: 'CSR, 95% of layer 1 and 50% of layer 2',
      prunings: [unstructured(0, 0.95), unstructured(1, 0.5)],
      options: { kernels: 'sparse', inputKernel: 'dense' },
      expected: 'csr/80 csr/16 dense/10',
    },
    {
      name: 'CSR with SGD + momentum',
      prunings: [unstructured(0, 0.9), unstructured(2, 0.5)],
      options: { kernels: 'sparse', inputKernel: 'dense' },
      expected: 'csr/80 dense/16 csr/10',
      optimizer: SGD_MOMENTUM,
    },
    {
      name: 'input-sparse × a 60% weight mask',
      prunings: [unstructured(0, 0.6)],
      options: { inputKernel: 'sparse' },
      expected: 'input-sparse/80 dense/16 dense/10',
    },
    {
      name: 'neuron pruning of layer 1 (bias kept: dropped neurons output tanh(b)), dense compacted',
      prunings: [neurons(0, 4)],
      options: { layerKernels: ['dense'], inputKernel: 'dense' },
      expected: 'dense/20 dense/16 dense/10',
    },
    {
      name: 'neuron pruning of layers 1 and 2, CSR compacted',
      prunings: [neurons(0, 3), unstructured(0, 0.5), neurons(1, 2)],
      options: { kernels: 'sparse', inputKernel: 'dense' },
      expected: 'csr/27 csr/8 dense/10',
    },
    {
      name: 'neuron pruning with pruned biases, input-sparse compacted',
      prunings: [neurons(0, 5, true)],
      options: { inputKernel: 'sparse' },
      expected: 'input-sparse/16 dense/16 dense/10',
    },
    {
      name: 'a layer with every weight pruned (layer collapse)',
      prunings: [unstructured(0, 0.5), unstructured(1, 1)],
      options: { kernels: 'sparse', inputKernel: 'dense' },
      expected: 'csr/80 dense/0 dense/10',
    },
    {
      name: 'input-sparse compacted × a mask, Adam, weights published once after the steps',
      prunings: [neurons(0, 5), unstructured(0, 0.6)],
      options: { inputKernel: 'sparse', deferWeights: true },
      expected: 'input-sparse/16 dense/16 dense/10',
    },
    {
      name: 'input-sparse, SGD + momentum, weights published once after the steps',
      prunings: [unstructured(0, 0.3)],
      options: { inputKernel: 'sparse', deferWeights: true },
      expected: 'input-sparse/80 dense/16 dense/10',
      optimizer: SGD_MOMENTUM,
    },
    { name: 'auto', prunings: [unstructured(0, 0.97), neurons(1, 4)], options: {}, expected: '' },
  ];

  it.each(CASES)('$name', ({ prunings, options, expected, optimizer }) => {
    const start = prunedNet(prunings);
    const dense = run(start, DENSE, optimizer);
    const sparse = run(start, options, optimizer);
    if (expected) expect(kinds(sparse)).toBe(expected);
    expect(kinds(dense)).toBe('dense/80 dense/16 dense/10');
    expectSameTrace(sparse, dense);
    // The steps moved the weights (the comparison is not between two untouched nets).
    expect(maxAbsDiff(sparse.params, flatParameters(start))).toBeGreaterThan(1e-3);
  });

  it("matches the reference backend within the engine tests' tolerance", () => {
    const start = prunedNet([unstructured(0, 0.9), neurons(1, 2)]);
    const sparse = run(start, { kernels: 'sparse', inputKernel: 'sparse' });
    const net = cloneNetwork(start);
    const ref = createEngine(referenceBackend, net, ADAM, BATCH);
    for (let step = 0; step < STEPS; step++) {
      const { x, labels, rows } = batchAt(step);
      const s = ref.trainBatch(x, labels, rows);
      expect(Math.abs(s.lossSum - sparse.losses[step])).toBeLessThanOrEqual(1e-5 * s.lossSum);
    }
    expect(maxAbsDiff(flatParameters(net), sparse.params)).toBeLessThanOrEqual(1e-5);
  });

  it('does not depend on the thread count', () => {
    const start = prunedNet([unstructured(0, 0.9), neurons(1, 2)]);
    addon.setThreads(1);
    const one = run(start, { kernels: 'sparse', inputKernel: 'sparse' });
    addon.setThreads(3);
    const three = run(start, { kernels: 'sparse', inputKernel: 'sparse' });
    expectSameTrace(three, one);
  });
});

describe('pruned weights on the sparse paths', () => {
  it('the optimizer never writes a pruned weight (CSR and input-sparse, Adam and SGD)', () => {
    for (const [options, optimizer] of [
      [{ kernels: 'sparse' }, ADAM],
      [{ inputKernel: 'sparse' }, SGD_MOMENTUM],
    ] as [EngineOptions, OptimizerConfig][]) {
      const net = prunedNet([unstructured(0, 0.8), neurons(1, 3, true)]);
      const engine = createEngine(nativeBackend(), net, optimizer, BATCH, options);
      for (let step = 0; step < STEPS; step++) {
        const { x, labels, rows } = batchAt(step);
        engine.trainBatch(x, labels, rows);
        const moved: string[] = [];
        net.layers.forEach((layer, l) => {
          layer.weightMask?.forEach((m, i) => {
            if (!m && !Object.is(layer.weight[i], 0)) moved.push(`layer ${l + 1} weight ${i} = ${layer.weight[i]}`);
          });
          layer.biasMask?.forEach((m, i) => {
            if (!m && !Object.is(layer.bias[i], 0)) moved.push(`layer ${l + 1} bias ${i} = ${layer.bias[i]}`);
          });
        });
        expect(moved, `after step ${step + 1}`).toEqual([]);
      }
      expect(net.layers[0].weight.some((w, i) => net.layers[0].weightMask![i] === 1 && w !== 0)).toBe(true);
    }
  });

  it('replacing the masks mid-training rebuilds the plan and carries the optimizer state (bitwise = dense)', () => {
    const start = prunedNet([unstructured(0, 0.9), unstructured(1, 0.5)]);
    const sparse: EngineOptions = { kernels: 'sparse', inputKernel: 'sparse' };
    const traces = [DENSE, sparse, { ...sparse, deferWeights: true }].map((options) => {
      const net = cloneNetwork(start);
      const engine = createEngine(nativeBackend(), net, ADAM, BATCH, options);
      const kernels: string[] = [];
      for (let step = 0; step < 8; step++) {
        // The same first-layer mask in a new array: its compact kept-only state goes back to the
        // public layout and into the new plan's.
        if (step === 2) net.layers[0].weightMask = net.layers[0].weightMask!.slice();
        if (step === 4) {
          net.layers[0].weightMask = null; // unpruned from here on: fresh state for the new weights,
          net.layers[1].weightMask = net.layers[1].weightMask!.slice(); // the same mask in a new array
        }
        const { x, labels, rows } = batchAt(step);
        engine.trainBatch(x, labels, rows);
        kernels.push(
          engine.kernelPlan!()!
            .layers.map((l) => l.kernel)
            .join(','),
        );
      }
      engine.publishWeights();
      return { params: flatParameters(net), kernels };
    });
    for (const t of traces.slice(1)) {
      expect(t.kernels[3]).toBe('input-sparse,csr,dense');
      expect(t.kernels[4]).toBe('input-sparse,csr,dense');
      expect(bitDifference(t.params, traces[0].params)).toBeUndefined();
    }
  });

  it('weights edited between calls are seen by the next call', () => {
    const net = prunedNet([unstructured(0, 0.9)]);
    const engine = createEngine(nativeBackend(), net, ADAM, BATCH, { kernels: 'sparse', inputKernel: 'dense' });
    engine.trainBatch(data.x, data.labels, BATCH);
    net.layers[0].weight.forEach((w, i) => (net.layers[0].weight[i] = 2 * w));
    net.layers[1].weight.fill(0.01);
    const edited = engine.evaluate(data.x, data.labels, 300, { activations: true }).activations!.map((a) => a.slice());
    const fresh = createEngine(nativeBackend(), cloneNetwork(net), ADAM, BATCH, DENSE).evaluate(data.x, data.labels, 300, { activations: true });
    edited.forEach((a, l) => expect(bitDifference(a, fresh.activations![l]), `layer ${l + 1}`).toBeUndefined());
  });
});

describe('evaluation reusing the non-zero lists of a set (reuseInput)', () => {
  const evaluateTwice = (options: EngineOptions, reuse: boolean, x: Float32Array, subset?: { start: number; rows: number }) => {
    const engine = createEngine(nativeBackend(), prunedNet([unstructured(0, 0.6)]), ADAM, BATCH, options);
    const first = engine.evaluate(x, data.labels, 300, { activations: true, reuseInput: reuse, subset });
    const firstLoss = first.lossSum;
    const { x: bx, labels, rows } = batchAt(0);
    engine.trainBatch(bx, labels, rows);
    const second = engine.evaluate(x, data.labels, 300, { activations: true, reuseInput: reuse, subset });
    return {
      firstLoss,
      loss: second.lossSum,
      subsetLoss: second.subset?.lossSum,
      activations: second.activations!.map((a) => a.slice()),
      plan: engine.kernelPlan?.(),
    };
  };

  it('gives the bits of a plain evaluation after the weights moved, with a subset splitting the panels', () => {
    const subset = { start: 100, rows: 150 };
    const reused = evaluateTwice({ inputKernel: 'sparse' }, true, data.x, subset);
    const plain = evaluateTwice(DENSE, false, data.x, subset);
    expect(reused.plan!.layers[0].kernel).toBe('input-sparse');
    expect(reused.loss).not.toBe(reused.firstLoss); // the step changed the network
    expect([reused.loss, reused.subsetLoss]).toEqual([plain.loss, plain.subsetLoss]);
    reused.activations.forEach((a, l) => expect(bitDifference(a, plain.activations[l]), `layer ${l + 1}`).toBeUndefined());
  });

  it('lists another array afresh: an edited copy of the set is seen', () => {
    const engine = createEngine(nativeBackend(), prunedNet([unstructured(0, 0.6)]), ADAM, BATCH, { inputKernel: 'sparse' });
    engine.evaluate(data.x, data.labels, 300, { reuseInput: true });
    const edited = data.x.slice();
    for (let i = 0; i < edited.length; i += 7) edited[i] = edited[i] === 0 ? 0.5 : 0;
    const got = engine.evaluate(edited, data.labels, 300, { activations: true, reuseInput: true });
    const want = createEngine(nativeBackend(), prunedNet([unstructured(0, 0.6)]), ADAM, BATCH, DENSE).evaluate(edited, data.labels, 300, { activations: true });
    expect(got.lossSum).toBe(want.lossSum);
    got.activations!.forEach((a, l) => expect(bitDifference(a, want.activations![l]), `layer ${l + 1}`).toBeUndefined());
  });
});

describe('the kernel plan', () => {
  it('auto: input-sparse for MNIST (≈19% non-zero), dense for dense inputs, recorded with its reason', () => {
    const mnist = createEngine(nativeBackend(), seededNetwork(SIZES, 'tanh', 1), ADAM, BATCH);
    mnist.evaluate(data.x, data.labels, 300);
    const plan = mnist.kernelPlan!()!;
    expect(plan.inputDensity).toBeGreaterThan(0.1);
    expect(plan.inputDensity).toBeLessThan(0.3);
    expect(plan.layers.map((l) => l.kernel)).toEqual(['input-sparse', 'dense', 'dense']);
    expect(plan.layers[0].reason).toMatch(/^input density \d+\.\d% < 50%$/);
    const dense = createEngine(nativeBackend(), seededNetwork(SIZES, 'tanh', 1), ADAM, BATCH);
    dense.evaluate(
      Float32Array.from(data.x, (v) => v + 0.5),
      data.labels,
      300,
    );
    expect(dense.kernelPlan!()!.layers[0].kernel).toBe('dense');
    // A density given at load decides without looking at the data.
    const given = createEngine(nativeBackend(), seededNetwork(SIZES, 'tanh', 1), ADAM, BATCH, { inputDensity: 0.9 });
    given.evaluate(data.x, data.labels, 300);
    expect(given.kernelPlan!()!).toMatchObject({ inputDensity: 0.9, layers: [{ kernel: 'dense' }, {}, {}] });
  });

  it('auto on a pruned layer measures its candidates and records the times', () => {
    const net = prunedNet([unstructured(0, 0.97)]);
    const engine = createEngine(nativeBackend(), net, ADAM, BATCH, { inputDensity: 0.19 });
    engine.trainBatch(data.x, data.labels, BATCH);
    const first = engine.kernelPlan!()!.layers[0];
    expect(Object.keys(first.measured ?? {}).sort()).toEqual(['csr', 'dense', 'input-sparse']);
    expect(first.reason).toMatch(/^fastest measured at batch 32/);
    expect(first.weightDensity).toBeCloseTo(0.03, 2);
  });

  it('the reference backend stays dense', () => {
    const engine = createEngine(referenceBackend, prunedNet([unstructured(0, 0.9)]), ADAM, BATCH);
    engine.evaluate(data.x, data.labels, 40);
    expect(engine.kernelPlan!()!.layers.map((l) => [l.kernel, l.reason])).toEqual(Array(3).fill(['dense', 'these kernels have no sparse variants']));
  });
});
