// One seeded run of a spec: prepare, prune at init, train, and collect what
// the outputs record. Pure orchestration; files are written by report/.
import type { BackendInfo } from '../backend/backend.ts';
import type { Engine, Evaluation, KernelPlan } from '../train/engine-types.ts';
import type { NetPruneReport } from '../prune/index.ts';
import { type EpochMetrics, type EpochReport, train } from '../train/trainer.ts';
import { createArraySaver } from './array-export.ts';
import { createMiMeasurer, type KdeRecord, type KsgRecord, type MiRecord } from './mi-measure.ts';
import { dataProcessingRecords, type DpiRecord } from './dpi-check.ts';
import { backendOf, buildNetwork, engineOptionsOf, majorityRate, optimizerOf, prepareData, pruneAtInit } from './prepare.ts';
import { type Spec, specHash } from './spec.ts';
import { checkMemory } from './memory-estimate.ts';

export interface RunResult {
  spec: Spec;
  specHash: string;
  backend: BackendInfo;
  data: { source: string; task: string; trainRows: number; testRows: number; features: number; classes: number; testMajorityRate: number };
  pruning: NetPruneReport;
  history: EpochMetrics[];
  /** Information-plane points per measured epoch, layer and binning. */
  mi: MiRecord[];
  /** KDE bounds per measured epoch and layer, when asked for. */
  kde: KdeRecord[];
  /** KSG estimates per measured epoch and layer, when asked for. */
  ksg: KsgRecord[];
  /** Estimates that rise with depth beyond the estimator's tolerance (data-processing check). */
  dpi: DpiRecord[];
  epochSeconds: number[];
  /** Seconds spent scoring and pruning at init (timing.json only: summaries stay deterministic). */
  pruneSeconds: number;
  /** With `stopWhenDiverged`: the epoch after which the weights were non-finite and training stopped. */
  divergedAtEpoch?: number;
  /** With spec.save: .npy files and arrays/index.json, keyed by their path in the run directory. */
  arrays?: Record<string, Uint8Array>;
  /** The kernels each layer ran on (native backend): spec.kernels / spec.inputKernel as resolved. */
  kernels?: KernelPlan;
  /** With `countPredictions`: the test-set fraction of each class, and of the trained net's predictions. */
  classes?: ClassFractions;
}

export interface ClassFractions {
  testRates: number[];
  /** Absent for a diverged run (its outputs are not finite). */
  predicted?: number[];
}

export interface RunHooks {
  onStart?: (info: { backend: BackendInfo; pruning: NetPruneReport; testMajorityRate: number }) => void;
  onEpoch?: (report: EpochReport) => void;
  onBatch?: (batch: number, batches: number) => void;
  /**
   * Stop after the epoch in which a batch loss or the weights became
   * non-finite (a diverged run) and skip measuring it: binning refuses NaN
   * activations. Trials use this to record `diverged` instead of failing on
   * an MI error.
   */
  stopWhenDiverged?: boolean;
  /** Count the trained net's test predictions per class (RunResult.classes): what `chance` is judged on. */
  countPredictions?: boolean;
}

function fractionsOf(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((c) => c / Math.max(1, labels.length));
}

/** The predicted class (first largest output, as argmax) of every row of the output layer [rows, classes]. */
function predictedClasses(out: Float32Array, classes: number): Int32Array {
  const rows = out.length / classes;
  const predicted = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (out[r * classes + c] > out[r * classes + best]) best = c;
    predicted[r] = best;
  }
  return predicted;
}

function testLogits(engine: Engine, test: ReturnType<typeof prepareData>['test']): Float32Array {
  return engine.evaluate(test.x, test.labels, test.rows, { activations: true }).activations!.at(-1)!;
}

function finiteWeights(net: ReturnType<typeof buildNetwork>): boolean {
  for (const layer of net.layers) {
    for (const a of [layer.weight, layer.bias]) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  }
  return true;
}

export function runExperiment(spec: Spec, hooks: RunHooks = {}): RunResult {
  const backend = backendOf(spec);
  const data = prepareData(spec);
  checkMemory(spec, data);
  const net = buildNetwork(spec, data);
  const pruneStarted = performance.now();
  const pruning = pruneAtInit(net, spec, { data, backend });
  const pruneSeconds = (performance.now() - pruneStarted) / 1000;
  const testMajorityRate = majorityRate(data.test.labels, data.test.classes);
  hooks.onStart?.({ backend: backend.info(), pruning, testMajorityRate });
  const epochSeconds: number[] = [];
  const mi: MiRecord[] = [];
  const kde: KdeRecord[] = [];
  const ksg: KsgRecord[] = [];
  const measureMi = createMiMeasurer(
    spec,
    data,
    (records, bounds, neighbours) => {
      mi.push(...records);
      kde.push(...bounds);
      ksg.push(...neighbours);
    },
    backend.supports('mi-binning') ? backend.miKernels?.() : undefined,
  );
  const saver = createArraySaver(spec, data, net);
  let divergedAtEpoch: number | undefined;
  // A non-finite batch loss can come with finite weights (x·W overflowing to ±inf), so both are watched.
  let nonFiniteLoss = false;
  let trainingEngine: Engine | undefined;
  let finalPredictions: Int32Array | undefined;
  // The MI forward's evaluation of the test rows, where it has them, gives the epoch's test metrics
  // and, after the last epoch, the trained net's predictions.
  const measure = (epoch: number, engine: Engine): Evaluation | undefined => {
    trainingEngine = engine;
    if (hooks.stopWhenDiverged && divergedAtEpoch === undefined && (nonFiniteLoss || !finiteWeights(net))) divergedAtEpoch = epoch;
    if (divergedAtEpoch !== undefined) return undefined;
    const test = measureMi.measure(epoch, engine);
    if (hooks.countPredictions && epoch === spec.train.epochs && test?.activations) {
      finalPredictions = predictedClasses(test.activations.at(-1)!, data.test.classes);
    }
    saver?.measure(epoch, engine);
    return test;
  };
  const history = train({
    net,
    backend,
    engineOptions: engineOptionsOf(spec, data),
    data,
    epochs: spec.train.epochs,
    batchSize: spec.train.batchSize,
    optimizer: optimizerOf(spec),
    seed: spec.seed,
    onBatch: (batch, batches, stats) => {
      if (!Number.isFinite(stats.lossSum)) nonFiniteLoss = true;
      hooks.onBatch?.(batch, batches);
    },
    measure,
    onEpoch: (report) => {
      epochSeconds.push(report.seconds);
      hooks.onEpoch?.(report);
      return divergedAtEpoch === undefined;
    },
  });
  measureMi.finish();
  const classes: ClassFractions | undefined = hooks.countPredictions
    ? {
        testRates: fractionsOf(data.test.labels, data.test.classes),
        ...(divergedAtEpoch === undefined && trainingEngine
          ? { predicted: fractionsOf(finalPredictions ?? predictedClasses(testLogits(trainingEngine, data.test), data.test.classes), data.test.classes) }
          : {}),
      }
    : undefined;
  return {
    spec,
    specHash: specHash(spec),
    backend: backend.info(),
    data: {
      source: data.source,
      task: data.task,
      trainRows: data.train.rows,
      testRows: data.test.rows,
      features: data.train.features,
      classes: data.train.classes,
      testMajorityRate,
    },
    pruning,
    history,
    mi,
    kde,
    ksg,
    dpi: dataProcessingRecords(mi, kde, ksg),
    epochSeconds,
    pruneSeconds,
    ...(divergedAtEpoch === undefined ? {} : { divergedAtEpoch }),
    ...(saver ? { arrays: saver.files() } : {}),
    ...kernelsOf(trainingEngine),
    ...(classes ? { classes } : {}),
  };
}

function kernelsOf(engine: Engine | undefined): { kernels?: KernelPlan } {
  const kernels = engine?.kernelPlan?.();
  return kernels ? { kernels } : {};
}
