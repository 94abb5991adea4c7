// Same seed ⇒ the same bytes: final weights, per-epoch metrics and the test
// activations MI would bin, for a short run of the default 784-1024-20-20-20-2
// tanh net (2 epochs on 1000 parity digits, Adam, batch 128). The native result
// does not depend on the thread count or the SIMD variant (every output element
// is one fixed-order chain computed by one thread); a different seed gives a
// different run.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { createEngine } from '../../src/train/engine.ts';
import { nativeBackend, referenceBackend } from '../../src/backend/registry.ts';
import type { SplitDataset } from '../../src/data/dataset.ts';
import { loadMnistPackage } from '../../src/data/mnist-package.ts';
import { stratifiedSplit } from '../../src/data/split.ts';
import { applyTask, parseTask } from '../../src/data/tasks.ts';
import { Rng } from '../../src/core/rng.ts';
import { type EpochMetrics, train } from '../../src/train/trainer.ts';
import { bitDifference } from '../helpers/floats.ts';
import { VARIANTS, addon, restoreNativeSettingsAfterEach } from '../helpers/native.ts';
import { ADAM, flatParameters, seededNetwork } from '../helpers/nets.ts';

restoreNativeSettingsAfterEach();

const DEFAULT_SIZES = [784, 1024, 20, 20, 20, 2];
const parity = applyTask(loadMnistPackage(), parseTask('parity'));

function split(seed: number): SplitDataset {
  return stratifiedSplit(parity, Rng.stream(seed, 'split'), { trainSize: 1000, testSize: 500 });
}

interface RunResult {
  weights: Float32Array;
  metrics: EpochMetrics[];
  activations: Float32Array[];
}

function run(seed: number, backend: Backend, sizes = DEFAULT_SIZES, epochs = 2): RunResult {
  const net = seededNetwork(sizes, 'tanh', seed);
  const data = split(seed);
  const metrics = train({ net, backend, data, epochs, batchSize: 128, optimizer: ADAM, seed });
  // The trained net's activations on the test set, as the MI stage reads them.
  const test = createEngine(backend, net, ADAM, 128).evaluate(data.test.x, data.test.labels, data.test.rows, { activations: true });
  return { weights: flatParameters(net), metrics, activations: test.activations!.map((a) => a.slice()) };
}

function expectIdentical(a: RunResult, b: RunResult): void {
  expect(bitDifference(a.weights, b.weights), 'weights').toBeUndefined();
  // Exact number equality, field by field (toEqual on numbers is Object.is).
  expect(a.metrics).toEqual(b.metrics);
  expect(a.activations.length).toBe(b.activations.length);
  a.activations.forEach((act, l) => expect(bitDifference(act, b.activations[l]), `test activations of layer ${l + 1}`).toBeUndefined());
}

describe('native training is deterministic', () => {
  const first = run(1, nativeBackend());

  it('learned something (the comparison is not between two untrained nets)', () => {
    expect(first.metrics).toHaveLength(2);
    expect(first.metrics[1].trainLoss).toBeLessThan(first.metrics[0].trainLoss);
    expect(first.metrics[1].testAcc).toBeGreaterThan(0.7);
  });

  it('same seed, same bytes', () => {
    expectIdentical(run(1, nativeBackend()), first);
  });

  it.each([1, 2, 3])('threads %i gives the same bytes as the default thread count', (threads) => {
    expectIdentical(run(1, nativeBackend(threads)), first);
    expect(addon.features().threads).toBe(threads);
  });

  it('a different seed gives different weights and metrics', () => {
    const other = run(2, nativeBackend());
    expect(bitDifference(other.weights, first.weights)).toBeDefined();
    expect(other.metrics).not.toEqual(first.metrics);
  });

  it.each(VARIANTS.filter((v) => v !== 'scalar'))('variant %s gives the same bytes as scalar (784-64-20-2, 1 epoch)', (variant) => {
    const small = [784, 64, 20, 2];
    addon.setVariant('scalar');
    const scalar = run(3, nativeBackend(), small, 1);
    addon.setVariant(variant);
    expectIdentical(run(3, nativeBackend(), small, 1), scalar);
  });
});

it('reference training is deterministic too (784-8-2, 1 epoch)', () => {
  const a = run(4, referenceBackend, [784, 8, 2], 1);
  expectIdentical(run(4, referenceBackend, [784, 8, 2], 1), a);
  expect(bitDifference(run(5, referenceBackend, [784, 8, 2], 1).weights, a.weights)).toBeDefined();
});
