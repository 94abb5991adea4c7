// Pruning at init + training: masked weights are exactly zero before the first
// step and after every step, on every backend, and the pruning table is right.
import { describe, expect, it } from 'vitest';
import { referenceBackend, nativeBackend } from '../../src/backend/registry.ts';
import { buildNetwork, optimizerOf, pruneAtInit } from '../../src/experiment/prepare.ts';
import { parseSpec, type SpecInput } from '../../src/experiment/spec.ts';
import { train } from '../../src/train/trainer.ts';
import type { Network } from '../../src/train/model.ts';
import type { SplitDataset, Dataset } from '../../src/data/dataset.ts';
import { Rng } from '../../src/core/rng.ts';

// A small synthetic binary task keeps the reference backend fast.
function syntheticSplit(features: number, trainRows: number, testRows: number): SplitDataset {
  const rng = new Rng(99);
  const make = (rows: number, name: string): Dataset => {
    const x = new Float32Array(rows * features);
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let f = 0; f < features; f++) {
        x[r * features + f] = rng.nextFloat();
        s += f % 2 ? x[r * features + f] : -x[r * features + f];
      }
      labels[r] = s > 0 ? 1 : 0;
    }
    return { x, labels, rows, features, classes: 2, name };
  };
  return { train: make(trainRows, 'train'), test: make(testRows, 'test'), source: 'synthetic', task: 'sign' };
}

function prunedEntries(net: Network): { l: number; i: number }[] {
  return net.layers.flatMap((layer, l) => Array.from(layer.weightMask ?? [], (m, i) => ({ m, l, i })).filter((e) => e.m === 0));
}

const settings: [string, SpecInput['prune']][] = [
  ['95% layer-weight of layer 1', { steps: [{ mode: 'layer-weight', amount: 0.95, layers: [1] }] }],
  ['90% layer-neuron of layer 2 with bias pruning', { steps: [{ mode: 'layer-neuron', amount: 0.9, layers: [2] }], pruneBias: true }],
  ['65% global-weight', { steps: [{ mode: 'global-weight', amount: 0.65 }] }],
  ['40% global-neuron, fan-in normalised', { steps: [{ mode: 'global-neuron', amount: 0.4, normalize: 'fan-in' }] }],
];

describe.each([
  ['reference', () => referenceBackend],
  ['native', () => nativeBackend(2)],
] as const)('masks through training (%s)', (_name, backend) => {
  it.each(settings)('%s: pruned weights stay exactly 0 through Adam and SGD+momentum', (_label, prune) => {
    for (const optimizer of ['adam', 'sgd'] as const) {
      const spec = parseSpec({ net: { hidden: [24, 12, 8] }, prune, train: { optimizer, momentum: optimizer === 'sgd' ? 0.9 : 0, lr: 0.05 } });
      const data = syntheticSplit(30, 256, 64);
      const net = buildNetwork(spec, data);
      const report = pruneAtInit(net, spec);
      const pruned = prunedEntries(net);
      expect(pruned.length).toBe(report.total - report.kept);
      expect(pruned.length).toBeGreaterThan(0);
      for (const { l, i } of pruned) expect(net.layers[l].weight[i]).toBe(0);
      const before = net.layers.map((l) => l.weight.slice());
      train({ net, backend: backend(), data, epochs: 2, batchSize: 32, optimizer: optimizerOf(spec), seed: 1 });
      for (const { l, i } of pruned) expect(net.layers[l].weight[i]).toBe(0);
      // ...while kept weights did train.
      const moved = net.layers.some((layer, l) => layer.weight.some((w, i) => (layer.weightMask?.[i] ?? 1) === 1 && w !== before[l][i]));
      expect(moved).toBe(true);
      if (spec.prune.pruneBias) {
        for (const layer of net.layers) layer.biasMask?.forEach((m, i) => m === 0 && expect(layer.bias[i]).toBe(0));
      }
    }
  });
});

describe('the pruning table', () => {
  it('counts kept weights and alive neurons per layer for 90% neuron pruning of layer 2', () => {
    const spec = parseSpec({ net: { hidden: [40, 20, 10] }, prune: { steps: [{ mode: 'layer-neuron', amount: 0.9, layers: [2] }] } });
    const net = buildNetwork(spec, syntheticSplit(30, 8, 8));
    const report = pruneAtInit(net, spec);
    // round(0.9 · 20) = 18 of layer 2's neurons pruned, each with its 40 incoming weights.
    expect(report.layers[1]).toMatchObject({ layer: 2, total: 800, kept: 80, neurons: 20, neuronsAlive: 2 });
    expect(report.layers[0]).toMatchObject({ kept: 1200, total: 1200, neuronsAlive: 40 });
    expect(report.collapse).toBe(false);
  });
});
