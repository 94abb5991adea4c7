// The epoch loop: seeded shuffling, minibatches through a backend engine, and
// per-epoch metrics. Knows nothing about files or the CLI.
import type { Backend } from '../backend/backend.ts';
import { createEngine } from './engine.ts';
import type { BatchStats, Engine, EngineOptions, Evaluation } from './engine-types.ts';
import type { Network, OptimizerConfig } from './model.ts';
import type { Dataset, SplitDataset } from '../data/dataset.ts';
import { Rng } from '../core/rng.ts';

export interface EpochMetrics {
  epoch: number;
  /** Mean cross-entropy over the epoch's minibatches, as they trained (PyTorch scripts' usual figure). */
  trainLoss: number;
  /** Fraction of training rows classified correctly during the epoch, before each row's own step. */
  trainAcc: number;
  testLoss: number;
  testAcc: number;
}

export interface EpochReport {
  metrics: EpochMetrics;
  /** The evaluation forward over the test set. */
  test: Evaluation;
  seconds: number;
}

export interface TrainOptions {
  net: Network;
  backend: Backend;
  data: SplitDataset;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** Called after every epoch; return false to stop early. */
  onEpoch?: (report: EpochReport) => void | boolean;
  /** Kernel choices of the engine (sparse kernels, input density), where the backend has them. */
  engineOptions?: EngineOptions;
  /** Called after every batch with (batch index, batches per epoch) and its stats, e.g. for a progress bar or a divergence check. */
  onBatch?: (batch: number, batches: number, stats: BatchStats) => void;
  /**
   * Called with the engine before the first epoch (epoch 0) and after every
   * epoch, before onEpoch: the place to measure the network (MI, snapshots).
   * A forward pass that covered the test set, in evaluate's chunks of it (an
   * EvaluateOptions.subset), may return its evaluation: the epoch's test
   * metrics then come from it instead of a second pass over the same rows.
   */
  measure?: (epoch: number, engine: Engine) => Evaluation | void;
}

// A batch's rows are copied out of the set: sparsifying them where they lie measured no faster.
function gatherRows(out: Float32Array, outLabels: Int32Array, ds: Dataset, order: Int32Array, start: number, rows: number): void {
  const f = ds.features;
  for (let r = 0; r < rows; r++) {
    const src = order[start + r];
    out.set(ds.x.subarray(src * f, (src + 1) * f), r * f);
    outLabels[r] = ds.labels[src];
  }
}

export function train(options: TrainOptions): EpochMetrics[] {
  const { net, backend, data, epochs, batchSize, optimizer, seed } = options;
  // The weights are read only between epochs (evaluation, MI, callers' hooks): published once per epoch.
  const engine = createEngine(backend, net, optimizer, batchSize, { ...options.engineOptions, deferWeights: true });
  const shuffle = Rng.stream(seed, 'shuffle');
  const { train: trainSet, test: testSet } = data;
  const order = new Int32Array(trainSet.rows);
  const batchX = new Float32Array(batchSize * trainSet.features);
  const batchY = new Int32Array(batchSize);
  const batches = Math.ceil(trainSet.rows / batchSize);
  const history: EpochMetrics[] = [];
  options.measure?.(0, engine);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    for (let i = 0; i < order.length; i++) order[i] = i;
    shuffle.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const rows = Math.min(batchSize, trainSet.rows - start);
      gatherRows(batchX, batchY, trainSet, order, start, rows);
      const stats = engine.trainBatch(batchX, batchY, rows);
      // torch's mean loss per batch, averaged over batches like a typical training script.
      lossSum += stats.lossSum / rows;
      correct += stats.correct;
      options.onBatch?.(b + 1, batches, stats);
    }
    engine.publishWeights();
    const measured = options.measure?.(epoch, engine);
    if (measured && measured.rows !== testSet.rows)
      throw new RangeError(`measure returned an evaluation of ${measured.rows} rows; the test set has ${testSet.rows}`);
    // The test set is fixed for the run: its non-zero lists are made once (reuseInput).
    const test = measured || engine.evaluate(testSet.x, testSet.labels, testSet.rows, { reuseInput: true });
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / batches,
      trainAcc: correct / trainSet.rows,
      testLoss: test.lossSum / test.rows,
      testAcc: test.correct / test.rows,
    };
    history.push(metrics);
    if (options.onEpoch?.({ metrics, test, seconds: (performance.now() - started) / 1000 }) === false) break;
  }
  return history;
}
