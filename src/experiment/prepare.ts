// Turns a validated spec into the things a run trains: the data split, the
// initialised and pruned network, and the backend.
import type { Backend } from '../backend/backend.ts';
import type { EngineOptions } from '../train/engine-types.ts';
import type { Network, OptimizerConfig } from '../train/model.ts';
import { selectBackend } from '../backend/registry.ts';
import { inputDensity } from '../train/sparse-structure.ts';
import { classCounts, type SplitDataset } from '../data/dataset.ts';
import { analyzeMasks, applyPrunePlan, type NetPruneReport } from '../prune/index.ts';
import { initFromNpz } from '../io/init-from.ts';
import { initialize } from '../train/init.ts';
import { createNetwork } from '../train/network.ts';
import { Rng } from '../core/rng.ts';
import { prepareSplitData } from './data-source.ts';
import { scoringContext } from './prune-context.ts';
import type { Spec } from './spec.ts';

/** The run's train/test sets: source, task and split rules in data-source.ts. */
export function prepareData(spec: Spec): SplitDataset {
  return prepareSplitData(spec.data, spec.seed);
}

/** The fraction of the most frequent class: what a constant prediction scores. */
export function majorityRate(labels: Int32Array, classes: number): number {
  const counts = classCounts({ labels, classes, name: 'test' });
  return Math.max(...counts) / labels.length;
}

export function buildNetwork(spec: Spec, data: SplitDataset): Network {
  const sizes = [data.train.features, ...spec.net.hidden, data.train.classes];
  const net = createNetwork(sizes, spec.net.activation);
  initialize(net, spec.net.init, Rng.stream(spec.seed, 'init'));
  // --init-from replaces every weight and bias (validated against the net); pruning comes after, as usual.
  if (spec.initFrom !== undefined) initFromNpz(net, spec.initFrom);
  return net;
}

/**
 * Prunes at initialisation: builds the masks from the initial weights (torch
 * semantics, src/prune; scored steps read `run`'s kernels and data), zeroes the pruned weights (and biases with
 * pruneBias), and attaches the masks so training keeps them at zero.
 */
export function pruneAtInit(net: Network, spec: Spec, run?: { data: SplitDataset; backend: Backend }): NetPruneReport {
  const scoring = run ? scoringContext(net, spec, run.data, run.backend) : undefined;
  const { weightMasks, biasMasks, redrawn } = applyPrunePlan(net.layers, spec.prune.steps, { pruneBias: spec.prune.pruneBias, scoring });
  for (const [l, weight] of redrawn) net.layers[l].weight.set(weight);
  net.layers.forEach((layer, l) => {
    if (spec.prune.steps.length === 0) return;
    layer.weightMask = Float32Array.from(weightMasks[l]);
    for (let i = 0; i < layer.weight.length; i++) if (!weightMasks[l][i]) layer.weight[i] = 0;
    if (spec.prune.pruneBias) {
      layer.biasMask = Float32Array.from(biasMasks[l]);
      for (let i = 0; i < layer.bias.length; i++) if (!biasMasks[l][i]) layer.bias[i] = 0;
    }
  });
  return analyzeMasks(net.layers, weightMasks);
}

export function optimizerOf(spec: Spec): OptimizerConfig {
  const t = spec.train;
  return t.optimizer === 'adam' ? { kind: 'adam', lr: t.lr, beta1: t.beta1, beta2: t.beta2, eps: t.eps } : { kind: 'sgd', lr: t.lr, momentum: t.momentum };
}

export function backendOf(spec: Spec): Backend {
  return selectBackend(spec.backend, spec.threads);
}

/**
 * The spec's kernel choices. With the run's data, the engine gets the training
 * set's input density, measured here at load, for the input-sparse choice.
 */
export function engineOptionsOf(spec: Spec, data?: SplitDataset): EngineOptions {
  const inputDensity = data ? measuredInputDensity(data) : undefined;
  return { kernels: spec.kernels, inputKernel: spec.inputKernel, inputDensity };
}

/** Fraction of non-zero values in the training inputs (MNIST ≈ 0.19, the 12-bit var_u set ≈ 0.5). */
export function measuredInputDensity(data: SplitDataset): number {
  return inputDensity(data.train.x, data.train.rows, data.train.features);
}
