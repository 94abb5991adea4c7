// An evaluation over a set that holds another set as a run of rows (the MI
// samples: training rows, then the test rows) scores that run of rows with the
// bits of evaluating it alone: its chunks restart at its first row, so the
// same loss kernel sees the same rows in the same order. The subset here
// starts inside a chunk and spans three (1024 + 1024 + 152 rows), on a pruned
// 784-64-16-10 net (input-sparse first layer and CSR on the native backend).
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { nativeBackend, referenceBackend } from '../../src/backend/registry.ts';
import { Rng } from '../../src/core/rng.ts';
import { createEngine } from '../../src/train/engine.ts';
import { bitDifference } from '../helpers/floats.ts';
import { ADAM, mnistSlice, seededNetwork } from '../helpers/nets.ts';

const FEATURES = 784;
const BEFORE = 1100;
const SUBSET = 2200;
const AFTER = 300;
const data = mnistSlice(BEFORE + SUBSET + AFTER);
const subset = { start: BEFORE, rows: SUBSET };
const subsetX = data.x.slice(BEFORE * FEATURES, (BEFORE + SUBSET) * FEATURES);
const subsetLabels = data.labels.slice(BEFORE, BEFORE + SUBSET);

function prunedEngine(backend: Backend) {
  const net = seededNetwork([784, 64, 16, 10], 'tanh', 5);
  const rng = Rng.stream(5, 'mask');
  const mask = Float32Array.from(net.layers[1].weight, () => (rng.nextFloat() < 0.6 ? 0 : 1));
  net.layers[1].weightMask = mask;
  net.layers[1].weight.forEach((_, i, w) => (w[i] *= mask[i]));
  return createEngine(backend, net, ADAM, 128);
}

describe.each([
  ['native', nativeBackend()],
  ['reference', referenceBackend],
])('evaluate with a subset (%s)', (_name, backend) => {
  const engine = prunedEngine(backend);
  const shared = engine.evaluate(data.x, data.labels, data.labels.length, { activations: true, subset });
  const sharedActivations = shared.activations!.map((a) => a.slice());

  it("scores the subset's rows with the bits of evaluating them alone, and views their activations", () => {
    const { rows, lossSum, correct, activations } = shared.subset!;
    const sharedSubset = activations!.map((a) => a.slice());
    const alone = engine.evaluate(subsetX, subsetLabels, SUBSET, { activations: true });
    expect({ rows, lossSum, correct }).toEqual({ rows: SUBSET, lossSum: alone.lossSum, correct: alone.correct });
    expect(alone.correct).toBeGreaterThan(0);
    alone.activations!.forEach((a, l) => expect(bitDifference(a, sharedSubset[l]), `layer ${l + 1}`).toBeUndefined());
  });

  it("leaves every row's activations as they are without a subset", () => {
    const plain = engine.evaluate(data.x, data.labels, data.labels.length, { activations: true });
    expect(plain.subset).toBeUndefined();
    expect(plain.correct).toBe(shared.correct);
    plain.activations!.forEach((a, l) => expect(bitDifference(a, sharedActivations[l]), `layer ${l + 1}`).toBeUndefined());
  });
});

describe('a subset outside the rows', () => {
  const engine = prunedEngine(nativeBackend());
  it.each([[{ start: -1, rows: 10 }], [{ start: 0, rows: 0 }], [{ start: 3500, rows: 200 }], [{ start: 1.5, rows: 10 }]])(
    'is refused, naming it: %o',
    (bad) => {
      expect(() => engine.evaluate(data.x, data.labels, 3600, { subset: bad })).toThrow(/subset must be whole rows within \[0, 3600\)/);
    },
  );
});
