// One line of trials.jsonl: everything a summary needs about one seed, as a
// pure function of (spec, seed): no timings, no paths, no host names, so the
// same seed run on any machine or shard gives the same line.
import type { NetPruneReport } from '../../prune/index.ts';
import type { EpochMetrics } from '../../train/trainer.ts';
import { type AccuracyOutcome, classifyAccuracy, classifyPlane, combinationOf, type PlaneOutcome, watchedLayers } from './classify.ts';
import type { TrialRun } from './run-trial.ts';
import type { OutcomeThresholds } from './thresholds.ts';
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

export function trialRecord(run: TrialRun, ctx: RecordContext): TrialRecord {
  const mi = miTrajectories(run.mi);
  const accuracy = classifyAccuracy({ ...run, collapse: run.pruning.collapse }, ctx.thresholds);
  const planes: Record<string, PlaneOutcome> = {};
  const first = ctx.firstEstimator === null ? undefined : mi[ctx.firstEstimator];
  // A diverged run's plane stops where it diverged: its shape is not labelled (its `mi` still says what was measured).
  for (const layer of watchedLayers(ctx.hiddenLayers)) planes[layer] = accuracy === 'diverged' ? 'unmeasured' : classifyPlane(first?.[layer], ctx.thresholds);
  const final = run.history[run.history.length - 1];
  const accs = run.history.map((m) => m.testAcc).filter(Number.isFinite);
  return {
    specHash: run.specHash,
    seed: run.seed,
    status: 'ok',
    outcome: { accuracy, planes, combination: combinationOf(accuracy, planes) },
    epochs: run.history.length,
    final,
    bestTestAcc: accs.length ? Math.max(...accs) : Number.NaN,
    testMajorityRate: run.testMajorityRate,
    ...(run.divergedAtEpoch === undefined ? {} : { divergedAtEpoch: run.divergedAtEpoch }),
    pruning: run.pruning,
    mi,
    curve: compactCurve(run.history, run.mi, ctx.firstEstimator),
  };
}

export function errorRecord(specHash: string, seed: number, message: string): TrialRecord {
  return { specHash, seed, status: 'error', error: message, outcome: { accuracy: 'error', planes: {}, combination: 'error' } };
}

/** The journal line (no newline). JSON writes NaN and ±Infinity as null. */
export function recordLine(record: TrialRecord): string {
  return JSON.stringify(record);
}
