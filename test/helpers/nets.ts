// Small builders shared by the engine and training tests: seeded networks,
// copies of them, and a class-balanced slice of the embedded MNIST digits.
import type { ActivationName } from '../../src/backend/kernels.ts';
import type { Network, OptimizerConfig } from '../../src/train/model.ts';
import { loadMnistPackage } from '../../src/data/mnist-package.ts';
import { initialize } from '../../src/train/init.ts';
import { createNetwork } from '../../src/train/network.ts';
import { Rng } from '../../src/core/rng.ts';

export const ADAM: OptimizerConfig = { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
export const SGD_MOMENTUM: OptimizerConfig = { kind: 'sgd', lr: 0.05, momentum: 0.9 };

/** torch-initialised from the run's `init` stream, as the CLI builds it. */
export function seededNetwork(sizes: readonly number[], activation: ActivationName, seed: number): Network {
  const net = createNetwork(sizes, activation);
  initialize(net, 'torch', Rng.stream(seed, 'init'));
  return net;
}

/** A deep copy: parameters and masks in fresh arrays. */
export function cloneNetwork(net: Network): Network {
  const copy = createNetwork(net.sizes, net.activation);
  copy.layers.forEach((layer, l) => {
    const src = net.layers[l];
    layer.weight.set(src.weight);
    layer.bias.set(src.bias);
    layer.weightMask = src.weightMask ? src.weightMask.slice() : null;
    layer.biasMask = src.biasMask ? src.biasMask.slice() : null;
  });
  return copy;
}

/** Every parameter of the net in one array (weights, then bias, layer by layer). */
export function flatParameters(net: Network): Float32Array {
  const parts = net.layers.flatMap((l) => [l.weight, l.bias]);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `rows` digits spread evenly over the 10 000 (which are grouped by digit), in a
 * seeded shuffled order so that every batch mixes the classes; labels 0–9.
 */
export function mnistSlice(rows: number): { x: Float32Array; labels: Int32Array } {
  const ds = loadMnistPackage();
  const order = Rng.stream(0, 'mnistSlice').shuffle(Int32Array.from({ length: rows }, (_, i) => Math.floor((i * ds.rows) / rows)));
  const x = new Float32Array(rows * ds.features);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = order[i];
    x.set(ds.x.subarray(r * ds.features, (r + 1) * ds.features), i * ds.features);
    labels[i] = ds.labels[r];
  }
  return { x, labels };
}

/**
 * The workload every engine test trains on: 784-32-16-10 over 1 500 MNIST rows,
 * 12 steps of batches that walk the first 100 rows with a 32-row capacity
 * (sizes 32, 32, 32, 4, 32, ...), so partial batches are part of every run;
 * each optimizer with the weight tolerance its comparison uses.
 */
export function engineWorkload() {
  const SIZES = [784, 32, 16, 10];
  const FEATURES = SIZES[0];
  const BATCH = 32;
  const STEPS = 12;
  const data = mnistSlice(1500);
  const batchAt = (step: number): { x: Float32Array; labels: Int32Array; rows: number } => {
    const start = (step * BATCH) % 100;
    const rows = Math.min(BATCH, 100 - start);
    return { x: data.x.subarray(start * FEATURES), labels: data.labels.subarray(start), rows };
  };
  const OPTIMIZERS: [string, OptimizerConfig, number][] = [
    ['adam', ADAM, 1e-5],
    ['sgd+momentum', SGD_MOMENTUM, 1e-6],
  ];
  return { SIZES, FEATURES, BATCH, STEPS, data, batchAt, OPTIMIZERS };
}
