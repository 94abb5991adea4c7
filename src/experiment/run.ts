// One seeded run of a spec: prepare, prune at init, train, and collect what
// the outputs record. Pure orchestration; files are written by report/.
import type { BackendInfo } from '../backend/backend.ts';
import type { NetPruneReport } from '../prune/index.ts';
import { type EpochMetrics, type EpochReport, train } from '../train/trainer.ts';
import { createMiMeasurer, type KdeRecord, type MiRecord } from './mi-measure.ts';
import { backendOf, buildNetwork, majorityRate, optimizerOf, prepareData, pruneAtInit } from './prepare.ts';
import { type Spec, specHash } from './spec.ts';

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
  epochSeconds: number[];
}

export interface RunHooks {
  onStart?: (info: { backend: BackendInfo; pruning: NetPruneReport; testMajorityRate: number }) => void;
  onEpoch?: (report: EpochReport) => void;
  onBatch?: (batch: number, batches: number) => void;
}

export function runExperiment(spec: Spec, hooks: RunHooks = {}): RunResult {
  const backend = backendOf(spec);
  const data = prepareData(spec);
  const net = buildNetwork(spec, data);
  const pruning = pruneAtInit(net, spec);
  const testMajorityRate = majorityRate(data.test.labels, data.test.classes);
  hooks.onStart?.({ backend: backend.info(), pruning, testMajorityRate });
  const epochSeconds: number[] = [];
  const mi: MiRecord[] = [];
  const kde: KdeRecord[] = [];
  const measure = createMiMeasurer(spec, data, (records, bounds) => {
    mi.push(...records);
    kde.push(...bounds);
  });
  const history = train({
    net,
    backend,
    data,
    epochs: spec.train.epochs,
    batchSize: spec.train.batchSize,
    optimizer: optimizerOf(spec),
    seed: spec.seed,
    onBatch: hooks.onBatch,
    measure,
    onEpoch: (report) => {
      epochSeconds.push(report.seconds);
      hooks.onEpoch?.(report);
    },
  });
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
    epochSeconds,
  };
}
