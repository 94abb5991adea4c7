// One trial: a seeded run of the spec, returned as plain data (it crosses
// from a worker thread to the main thread by structured clone). Runs that
// diverge stop early instead of failing on the MI of NaN activations.
import type { NetPruneReport } from '../../prune/index.ts';
import type { EpochMetrics } from '../../train/trainer.ts';
import type { KdeRecord, KsgRecord, MiRecord } from '../mi-measure.ts';
import { runExperiment } from '../run.ts';
import { type Spec, specHash } from '../spec.ts';

export interface TrialRun {
  specHash: string;
  seed: number;
  history: EpochMetrics[];
  mi: MiRecord[];
  kde: KdeRecord[];
  ksg: KsgRecord[];
  pruning: NetPruneReport;
  testMajorityRate: number;
  testClassRates: number[];
  predictedClassFractions?: number[];
  divergedAtEpoch?: number;
  /** Wall seconds of the run (timing only; never written to trials.jsonl). */
  seconds: number;
}

export function runTrial(spec: Spec): TrialRun {
  const started = performance.now();
  const result = runExperiment(spec, { stopWhenDiverged: true, countPredictions: true });
  return {
    specHash: specHash(spec),
    seed: spec.seed,
    history: result.history,
    mi: result.mi,
    kde: result.kde ?? [],
    ksg: result.ksg,
    pruning: result.pruning,
    testMajorityRate: result.data.testMajorityRate,
    testClassRates: result.classes!.testRates,
    ...(result.classes?.predicted ? { predictedClassFractions: result.classes.predicted } : {}),
    ...(result.divergedAtEpoch === undefined ? {} : { divergedAtEpoch: result.divergedAtEpoch }),
    seconds: (performance.now() - started) / 1000,
  };
}
