// What `--dry-run` prints before committing to a long run: the seconds one
// run should take, projected from timing a few training steps, one test
// evaluation and one MI measurement of the real spec on this machine. The
// steps run on a throw-away copy of the seed's network; nothing is written.
import { createMiMeasurer, miEpochs, testRowsAmongMiSamples } from './mi-measure.ts';
import { createEngine } from '../train/engine.ts';
import { backendOf, buildNetwork, engineOptionsOf, optimizerOf, prepareData, pruneAtInit } from './prepare.ts';
import type { Spec } from './spec.ts';

export interface RunProjection {
  trainRows: number;
  testRows: number;
  batchesPerEpoch: number;
  miMeasurements: number;
  secondsPerBatch: number;
  secondsPerEvaluation: number;
  secondsPerMi: number;
  /** epochs × batches × batch + evaluations × evaluation + measurements × MI. */
  secondsPerRun: number;
}

const TIMED_STEPS = 5;

function seconds(work: () => void, repeats = 1): number {
  const started = performance.now();
  for (let i = 0; i < repeats; i++) work();
  return (performance.now() - started) / 1000 / repeats;
}

export function projectRun(spec: Spec): RunProjection {
  const data = prepareData(spec);
  const net = buildNetwork(spec, data);
  pruneAtInit(net, spec);
  const engine = createEngine(backendOf(spec), net, optimizerOf(spec), spec.train.batchSize, engineOptionsOf(spec, data));
  const rows = Math.min(spec.train.batchSize, data.train.rows);
  const x = data.train.x.subarray(0, rows * data.train.features);
  const labels = data.train.labels.subarray(0, rows);
  engine.trainBatch(x, labels, rows); // warm-up: first-call allocations and kernel choice
  const secondsPerBatch = seconds(() => engine.trainBatch(x, labels, rows), TIMED_STEPS);
  const secondsPerEvaluation = seconds(() => engine.evaluate(data.test.x, data.test.labels, data.test.rows));
  const measured = miEpochs(spec.mi.epochs, spec.train.epochs);
  const miMeasurements = measured.size;
  const secondsPerMi = miMeasurements === 0 ? 0 : seconds(() => createMiMeasurer(spec, data, () => {}).measure(0, engine));
  const batchesPerEpoch = Math.ceil(data.train.rows / spec.train.batchSize);
  // A trained epoch that measures MI on samples holding the test set takes its test metrics from that pass.
  const evaluations = spec.train.epochs - (testRowsAmongMiSamples(spec, data) ? [...measured].filter((e) => e > 0).length : 0);
  const secondsPerRun = spec.train.epochs * batchesPerEpoch * secondsPerBatch + evaluations * secondsPerEvaluation + miMeasurements * secondsPerMi;
  return {
    trainRows: data.train.rows,
    testRows: data.test.rows,
    batchesPerEpoch,
    miMeasurements,
    secondsPerBatch,
    secondsPerEvaluation,
    secondsPerMi,
    secondsPerRun,
  };
}
