// One line of trials.jsonl: everything a summary needs about one seed, as a
// pure function of (spec, seed): no timings, no paths, no host names, so the
// same seed run on any machine or shard gives the same line.
import type { NetPruneReport } from '../../prune/index.ts';
import type { EpochMetrics } from '../../train/trainer.ts';
import { type AccuracyOutcome, classifyAccuracy, classifyPlane, combinationOf, type PlaneFacts, type PlaneOutcome, watchedLayers } from './classify.ts';
import type { Spec } from '../spec.ts';
import { firstEstimator } from './preflight.ts';
import type { TrialRun } from './run-trial.ts';
import { type OutcomeThresholds, thresholdsOf } from './thresholds.ts';
import { type CompactCurve, compactCurve, type MiTrajectories, miTrajectories } from './trajectory.ts';

export interface TrialOutcome {
  accuracy: AccuracyOutcome;
  /** Plane label per watched layer (last hidden layer, out); empty for errors. */
  planes: Record<string, PlaneOutcome>;
  combination: string;
}

export interface TrialRecord {
  specHash: string;
  seed: number;
  status: 'ok' | 'error';
  /** Why the run failed (status error): the exception's message or the worker's exit. */
  error?: string;
  outcome: TrialOutcome;
  /** Epochs trained (fewer than asked when the run diverged). */
  epochs?: number;
  /** The last epoch's metrics; non-finite values are written as null. */
  final?: EpochMetrics;
  bestTestAcc?: number;
  testMajorityRate?: number;
  /** Test-set fraction of each class (a constant predictor of class c scores testClassRates[c]). */
  testClassRates?: number[];
  /** Fraction of the test inputs the trained net predicts as each class. */
  predictedClassFractions?: number[];
  divergedAtEpoch?: number;
  pruning?: NetPruneReport;
  /** estimator → layer → I(X;T) trajectory summary. */
  mi?: MiTrajectories;
  /** Per-epoch test accuracy and first-estimator MI, for median trajectories. */
  curve?: CompactCurve;
}

export interface RecordContext {
  thresholds: OutcomeThresholds;
  hiddenLayers: number;
  /** The spec's first binning, canonical text (e.g. fixed:30). */
  firstEstimator: string | null;
}

export function recordContext(spec: Spec): RecordContext {
  return { thresholds: thresholdsOf(spec), hiddenLayers: spec.net.hidden.length, firstEstimator: firstEstimator(spec) };
}

export function trialRecord(run: TrialRun, ctx: RecordContext): TrialRecord {
  const final = run.history[run.history.length - 1];
  const accs = run.history.map((m) => m.testAcc).filter(Number.isFinite);
  const unlabelled: TrialRecord = {
    specHash: run.specHash,
    seed: run.seed,
    status: 'ok',
    outcome: { accuracy: 'error', planes: {}, combination: '' },
    epochs: run.history.length,
    final,
    bestTestAcc: accs.length ? Math.max(...accs) : Number.NaN,
    testMajorityRate: run.testMajorityRate,
    testClassRates: run.testClassRates,
    ...(run.predictedClassFractions ? { predictedClassFractions: run.predictedClassFractions } : {}),
    ...(run.divergedAtEpoch === undefined ? {} : { divergedAtEpoch: run.divergedAtEpoch }),
    pruning: run.pruning,
    mi: miTrajectories(run.mi),
    curve: compactCurve(run.history, run.mi, ctx.firstEstimator),
  };
  // A non-finite loss of any epoch is in the history, not in the journal line's last epoch.
  const nonFiniteLoss = run.history.some((m) => !Number.isFinite(m.trainLoss) || !Number.isFinite(m.testLoss));
  return { ...unlabelled, outcome: classifyRecord(unlabelled, ctx, nonFiniteLoss) };
}

/** The constant predictors' accuracies: recorded per class, or (older lines, binary tasks) the majority rate and its complement. */
function classRates(record: TrialRecord): number[] {
  if (record.testClassRates) return record.testClassRates;
  return typeof record.testMajorityRate === 'number' ? [record.testMajorityRate, 1 - record.testMajorityRate] : [];
}

/** The first estimator's I(X;T) per measured epoch of one layer, from the line's compact curve. */
export function planeFacts(record: TrialRecord, layer: string, estimator: string | null): PlaneFacts | undefined {
  const curve = record.curve;
  const trajectory = estimator === null ? undefined : record.mi?.[estimator]?.[layer];
  if (!curve || curve.estimator !== estimator || !curve.ixt[layer] || !trajectory) return undefined;
  return { epochs: curve.miEpochs, ixt: curve.ixt[layer], ceiling: trajectory.ceilingX };
}

/**
 * The outcome of a journal line under the current definitions (classify.ts):
 * what a new run is labelled with, and how an old line is relabelled on
 * reading. Error lines stay errors.
 */
export function classifyRecord(record: TrialRecord, ctx: RecordContext, nonFiniteLoss = false): TrialOutcome {
  if (record.status === 'error') return { accuracy: 'error', planes: {}, combination: 'error' };
  const final = record.final;
  const lossGone = nonFiniteLoss || (final !== undefined && (typeof final.trainLoss !== 'number' || typeof final.testLoss !== 'number'));
  const accuracy = classifyAccuracy(
    {
      final: final && typeof final.testAcc === 'number' ? final : undefined,
      nonFiniteLoss: lossGone,
      testClassRates: classRates(record),
      predictedClassFractions: record.predictedClassFractions,
      collapse: record.pruning?.collapse ?? false,
      divergedAtEpoch: record.divergedAtEpoch,
    },
    ctx.thresholds,
  );
  const planes: Record<string, PlaneOutcome> = {};
  // A diverged run's plane stops where it diverged: its shape is not labelled (its `mi` still says what was measured).
  for (const layer of watchedLayers(ctx.hiddenLayers))
    planes[layer] = accuracy === 'diverged' ? 'unmeasured' : classifyPlane(planeFacts(record, layer, ctx.firstEstimator), ctx.thresholds);
  return { accuracy, planes, combination: combinationOf(accuracy, planes) };
}

/** Journal lines with their outcomes recomputed under the current definitions (no seed reruns). */
export function relabelRecords(records: readonly TrialRecord[], ctx: RecordContext): TrialRecord[] {
  return records.map((r) => ({ ...r, outcome: classifyRecord(r, ctx) }));
}

export function errorRecord(specHash: string, seed: number, message: string): TrialRecord {
  return { specHash, seed, status: 'error', error: message, outcome: { accuracy: 'error', planes: {}, combination: 'error' } };
}

/** The journal line (no newline). JSON writes NaN and ±Infinity as null. */
export function recordLine(record: TrialRecord): string {
  return JSON.stringify(record);
}
