// At an epoch that measures MI, the test metrics come from the MI forward pass
// where its samples hold the test set (mi.on all: training rows then test rows;
// test: the test rows), and from an evaluation of the test set otherwise. Either
// way the run gives the bytes of a run without MI: metrics, predicted-class
// fractions and weights. The test set (1100 rows) starts inside an evaluation
// chunk of the `all` samples and spans two, so its chunks must restart.
import { describe, expect, it } from 'vitest';
import { createMiMeasurer } from '../../src/experiment/mi-measure.ts';
import { backendOf, buildNetwork, optimizerOf, prepareData } from '../../src/experiment/prepare.ts';
import { runExperiment } from '../../src/experiment/run.ts';
import { parseSpec } from '../../src/experiment/spec.ts';
import { nativeBackend } from '../../src/backend/registry.ts';
import { createEngine } from '../../src/train/engine.ts';
import { train } from '../../src/train/trainer.ts';

const specOf = (mi: { on?: string; epochs?: string }, backend = 'native') =>
  parseSpec({
    seed: 4,
    backend,
    data: { trainSize: 600, testSize: 1100 },
    net: { hidden: [32, 8] },
    train: { epochs: 1 },
    prune: { steps: [{ mode: 'global-weight', amount: 0.65 }] },
    mi,
    save: { what: ['weights'], epochs: '1' },
  });

function outcome(mi: { on?: string; epochs?: string }, backend: string) {
  const result = runExperiment(specOf(mi, backend), { countPredictions: true });
  return { history: result.history, classes: result.classes, weights: result.arrays, measured: result.mi.length };
}

// The reference backend sums each row's loss in float64, so there a chunk in the wrong place changes the sum.
describe.each(['native', 'reference'])('test metrics at an MI epoch (%s)', (backend) => {
  const withoutMi = outcome({ epochs: 'none' }, backend);

  it.each(['all', 'test', 'train'])('mi.on %s gives the bytes of a run without MI', (on) => {
    const run = outcome({ on }, backend);
    expect(run.measured).toBeGreaterThan(0);
    expect(withoutMi.measured).toBe(0);
    expect(run.history).toEqual(withoutMi.history);
    expect(run.classes).toEqual(withoutMi.classes);
    expect(run.weights).toEqual(withoutMi.weights);
  });

  it('the MI forward returns the test evaluation only where its samples hold the test set', () => {
    const measured = (on: string) => {
      const spec = specOf({ on }, backend);
      const data = prepareData(spec);
      const engine = createEngine(backendOf(spec), buildNetwork(spec, data), optimizerOf(spec), spec.train.batchSize);
      const fromMi = createMiMeasurer(spec, data, () => {}).measure(1, engine);
      return { fromMi, alone: engine.evaluate(data.test.x, data.test.labels, data.test.rows) };
    };
    for (const on of ['all', 'test']) {
      const { fromMi, alone } = measured(on);
      expect(fromMi && { rows: fromMi.rows, lossSum: fromMi.lossSum, correct: fromMi.correct }, on).toEqual({
        rows: 1100,
        lossSum: alone.lossSum,
        correct: alone.correct,
      });
    }
    expect(measured('train').fromMi).toBeUndefined();
  });
});

describe('the epoch loop', () => {
  it('refuses a measured evaluation that is not of the whole test set', () => {
    const spec = specOf({});
    const data = prepareData(spec);
    const run = () =>
      train({
        net: buildNetwork(spec, data),
        backend: nativeBackend(),
        data,
        epochs: 1,
        batchSize: 128,
        optimizer: optimizerOf(spec),
        seed: 1,
        measure: () => ({ rows: 3, lossSum: 1, correct: 2 }),
      });
    expect(run).toThrow('measure returned an evaluation of 3 rows; the test set has 1100');
  });
});
