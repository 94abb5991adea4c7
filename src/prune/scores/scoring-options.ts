// The scoring fields of a weight-mode prune step, validated with messages
// that name the field, and their defaults: magnitude; SynFlow 100 rounds
// (Tanaka et al. 2020 iterate 100 times), every other score one round
// (torch's one-shot methods); exponential schedule (Synaptic-Flow's
// default); one score batch (Synaptic-Flow's default prune set, 10 samples
// per class, fits one batch of its 256).
import { InputError } from '../../core/input-error.ts';
import { ABLATIONS, type Ablation } from './ablate.ts';
import type { Scoring } from './scored-step.ts';
import { PRUNE_SCHEDULES, type PruneSchedule } from './schedule.ts';
import { SCORE_NAMES, type ScoreName } from './scores.ts';

export interface ScoringInput {
  /** magnitude (default) | random | snip | grasp | synflow. */
  score?: ScoreName;
  /** Rounds of scoring and pruning (default: synflow 100, others 1). */
  rounds?: number;
  /** exponential (default) | linear. */
  schedule?: PruneSchedule;
  /** Training batches SNIP and GraSP score on (default 1). */
  scoreBatches?: number;
  ablate?: Ablation;
}

/** Rows per score batch: Synaptic-Flow's `prune_dataset_ratio` (10) × the number of classes. */
export const SCORE_ROWS_PER_CLASS = 10;

export const MAX_ROUNDS = 10000;

export function defaultRounds(score: ScoreName): number {
  return score === 'synflow' ? 100 : 1;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw new InputError(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function positiveInteger(value: unknown, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError(field, `must be an integer in [1, ${max}], got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkScoring(step: ScoringInput, at: string): Scoring {
  const score = step.score === undefined ? 'magnitude' : oneOf(step.score, SCORE_NAMES, `${at}.score`);
  const rounds = step.rounds === undefined ? defaultRounds(score) : positiveInteger(step.rounds, MAX_ROUNDS, `${at}.rounds`);
  const schedule = step.schedule === undefined ? 'exponential' : oneOf(step.schedule, PRUNE_SCHEDULES, `${at}.schedule`);
  const scoreBatches = step.scoreBatches === undefined ? 1 : positiveInteger(step.scoreBatches, 100000, `${at}.scoreBatches`);
  const ablate = step.ablate === undefined ? undefined : oneOf(step.ablate, ABLATIONS, `${at}.ablate`);
  return { score, rounds, schedule, scoreBatches, ...(ablate ? { ablate } : {}) };
}

/** The step without fields at their defaults, so that spelling a default out keeps a spec's hash. */
export function withoutScoringDefaults<S extends ScoringInput>(step: S): S {
  const out = { ...step };
  if (out.score === 'magnitude') delete out.score;
  if (out.rounds !== undefined && out.rounds === defaultRounds(out.score ?? 'magnitude')) delete out.rounds;
  if (out.schedule === 'exponential') delete out.schedule;
  if (out.scoreBatches === 1) delete out.scoreBatches;
  return out;
}
