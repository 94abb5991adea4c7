// A long evaluation (the MI samples) reads an input-sparse first layer's weights
// from tiles (inputSparseTile), a short one (a test set, a batch) from rows: each
// row's activations must come out with the same bits either way, and the tiles
// must follow the weights as training moves them. Layer 1 is 150 wide (two
// whole tiles and a tail), once whole and once with two neurons pruned away
// (the layer then runs compacted to 148 outputs).
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { nativeBackend } from '../../src/backend/registry.ts';
import { createEngine } from '../../src/train/engine.ts';
import { bitDifference } from '../helpers/floats.ts';
import { ADAM, mnistSlice, seededNetwork } from '../helpers/nets.ts';

const FEATURES = 784;
const ROWS = 2600;
const PIECE = 650; // short enough to run on rows
const data = mnistSlice(ROWS);

/** The backend with its kernel set wrapped to count the tiled forward's calls. */
function counting(backend: Backend): { backend: Backend; tiledCalls: () => number } {
  let calls = 0;
  const kernels = backend.kernels();
  const wrapped = new Proxy(kernels, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'inputSparseForwardTiled' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return value.apply(target, args);
      };
    },
  });
  return { backend: { ...backend, kernels: () => wrapped }, tiledCalls: () => calls };
}

function network(pruneNeurons: boolean) {
  const net = seededNetwork([784, 150, 16, 10], 'tanh', 9);
  if (pruneNeurons) {
    const mask = new Float32Array(net.layers[0].weight.length).fill(1);
    for (const o of [3, 149]) mask.fill(0, o * FEATURES, (o + 1) * FEATURES);
    net.layers[0].weightMask = mask;
    net.layers[0].weight.forEach((_, i, w) => (w[i] *= mask[i]));
  }
  return net;
}

// The native backend: the one with the input-sparse kernels (the reference backend's tiles are
// checked against the native ones in test/sparse/kernels.test.ts).
describe('an evaluation of many rows reads tiles', () => {
  it.each([
    ['whole layer', false],
    ['two neurons pruned', true],
  ])('%s: the same bits as evaluating in short pieces, before and after training', (_case, pruneNeurons) => {
    const { backend, tiledCalls } = counting(nativeBackend());
    const engine = createEngine(backend, network(pruneNeurons), ADAM, 128, { inputKernel: 'sparse', deferWeights: true });
    for (let round = 0; round < 2; round++) {
      const before = tiledCalls();
      const whole = engine.evaluate(data.x, data.labels, ROWS, { activations: true }).activations!.map((a) => a.slice());
      expect(tiledCalls(), 'the long evaluation reads tiles').toBeGreaterThan(before);
      const afterWhole = tiledCalls();
      for (let start = 0; start < ROWS; start += PIECE) {
        const x = data.x.subarray(start * FEATURES, (start + PIECE) * FEATURES);
        const piece = engine.evaluate(x, data.labels.subarray(start, start + PIECE), PIECE, { activations: true }).activations!;
        piece.forEach((a, l) => {
          const width = a.length / PIECE;
          expect(
            bitDifference(a, whole[l].subarray(start * width, (start + PIECE) * width)),
            `round ${round}, layer ${l + 1}, rows from ${start}`,
          ).toBeUndefined();
        });
      }
      expect(tiledCalls(), 'short evaluations read rows').toBe(afterWhole);
      // Train on a few batches so the second round's tiles must follow moved weights.
      for (let b = 0; b < 3; b++)
        engine.trainBatch(data.x.subarray(b * 128 * FEATURES, (b + 1) * 128 * FEATURES), data.labels.subarray(b * 128, (b + 1) * 128), 128);
      engine.publishWeights();
    }
  });
});
