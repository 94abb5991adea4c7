// What a reproduction costs, projected from per-epoch costs measured on the
// development machine (2 cores, AVX2, native backend, 2 workers with one
// kernel thread each, so each worker shares the memory bus with the other).
// `infoplane reproduce --dry-run` prints the projection; the page states the
// measured wall time of the runs themselves (timing.json).
import type { Spec } from '../spec.ts';
import type { PlannedSetting, ReproductionPlan } from './plan.ts';
import { BIN_COUNTS, DEFAULT_OPTIONS, SUBSET_TRAIN_FRACTION, subsetSizes } from './settings.ts';

// Measured: `infoplane reproduce seed-report --seeds 1 --workers 2` (31 runs) with --epochs 2 and 4:
// 3.71 and 6.76 worker-seconds per run, 66 s and 114 s in all. The slope, 1.52 s per epoch and run,
// is the training and the test evaluation: another binning of the test images' activations costs
// ~10 ms, within an epoch's noise (a pruned run's epoch took 1.76 s with 1 and with 3 binnings).
// The intercept, 0.66 s per run, is the run's start-up and epoch 0's measurement.
export const COST = Object.freeze({
  /** Seconds of one training epoch on the 60 000 training images plus the test evaluation, per worker, 2 workers busy. */
  epochSeconds: 1.51,
  /** Seconds of one MI measurement of every layer on the 10 000 test images, per binning (the forward pass is the test evaluation's). */
  miSeconds: 0.01,
  /** Seconds per run outside the epochs: network init, pruning, kernel choice, the subsample of a subset. */
  runSeconds: 0.65,
  /** Seconds per invocation: preflight of every setting, workers starting and loading full MNIST, the page. */
  fixedSeconds: 9,
});

export interface Projection {
  runs: number;
  seconds: number;
  /** Per setting: runs and projected worker-seconds. */
  settings: { id: string; variation: string | null; runs: number; workerSeconds: number }[];
}

/** Train and test rows of a setting: its data variation, the subset, or the source's own split. */
function rowsOf(setting: PlannedSetting, subset: number | null): { trainSize: number; testSize: number } {
  if (subset !== null) return subsetSizes(subset);
  // The embedded set's 8000/2000 split (spec.ts); full MNIST (and an IDX directory, assumed MNIST-sized) 60 000/10 000.
  return setting.vary.data === 'mnist' ? { trainSize: 8000, testSize: 2000 } : { trainSize: 60000, testSize: 10000 };
}

/** Projected worker-seconds of one run of a setting. The batch size is not modelled: its per-epoch cost changes little between 32 and 512. */
export function runSeconds(setting: PlannedSetting, options: ReproductionPlan['options']): number {
  const epochs = Number(setting.vary.epochs ?? options.epochs);
  const { trainSize, testSize } = rowsOf(setting, options.subset);
  const mi = COST.miSeconds * (testSize / 10000) * setting.binnings.length;
  return COST.runSeconds + epochs * (COST.epochSeconds * (trainSize / 60000) + mi) + mi;
}

export function projectReproduction(plan: ReproductionPlan, workers: number, shards = 1): Projection {
  const settings = plan.settings.map((s) => ({ id: s.id, variation: s.variation, runs: s.seeds, workerSeconds: s.seeds * runSeconds(s, plan.options) }));
  const runs = settings.reduce((n, s) => n + s.runs, 0);
  const work = settings.reduce((n, s) => n + s.workerSeconds, 0);
  return { runs, seconds: COST.fixedSeconds + work / Math.max(1, workers) / Math.max(1, shards), settings };
}

/** A setting below the default budget: the page marks the whole reproduction as a smoke run. */
export interface SmokeReason {
  field: 'seeds' | 'epochs' | 'subset';
  used: number;
  /** The default (null for subset: the default is all of full MNIST). */
  standard: number | null;
}

/** What the page says about the budget, as data: the defaults it is compared with and why it is a smoke run, if it is. */
export interface BudgetFacts {
  defaults: { seeds: number; epochs: number };
  /** The seed-report preset's epochs (the report's own). */
  presetEpochs: number;
  binCounts: number[];
  subsetTrainFraction: number;
  smoke: SmokeReason[];
}

export function budgetFacts(options: ReproductionPlan['options'], presetEpochs: number): BudgetFacts {
  const smoke: SmokeReason[] = [];
  if (options.seeds < DEFAULT_OPTIONS.seeds) smoke.push({ field: 'seeds', used: options.seeds, standard: DEFAULT_OPTIONS.seeds });
  if (options.epochs < DEFAULT_OPTIONS.epochs) smoke.push({ field: 'epochs', used: options.epochs, standard: DEFAULT_OPTIONS.epochs });
  if (options.subset !== null) smoke.push({ field: 'subset', used: options.subset, standard: null });
  return {
    defaults: { seeds: DEFAULT_OPTIONS.seeds, epochs: DEFAULT_OPTIONS.epochs },
    presetEpochs,
    binCounts: [...BIN_COUNTS],
    subsetTrainFraction: SUBSET_TRAIN_FRACTION,
    smoke,
  };
}

export const ASSUMPTION_KEYS = [
  'widths',
  'activation',
  'data',
  'task',
  'split',
  'optimizer',
  'lr',
  'batch',
  'epochs',
  'init',
  'mi-samples',
  'binning',
  'seeds',
] as const;
export type AssumptionKey = (typeof ASSUMPTION_KEYS)[number];

/** Every setting the report does not state, with the value the reproduction used (report/ says why). */
export function reproductionAssumptions(spec: Spec, options: ReproductionPlan['options']): { key: AssumptionKey; value: string }[] {
  const data =
    options.subset === null
      ? `${spec.data.source} (official 60 000 / 10 000 split)`
      : `${spec.data.source}, a ${options.subset}-image subset (${spec.data.trainSize} train / ${spec.data.testSize} test)`;
  const values: Record<AssumptionKey, string> = {
    widths: [784, ...spec.net.hidden, 2].join('-'),
    activation: spec.net.activation,
    data,
    task: spec.data.task,
    split: spec.data.split,
    optimizer: spec.train.optimizer,
    lr: String(spec.train.lr),
    batch: String(spec.train.batchSize),
    epochs: String(spec.train.epochs),
    init: spec.net.init,
    'mi-samples': spec.mi.on,
    binning: spec.mi.binning.join(', '),
    seeds: `${options.seeds} per named setting, ⌈${options.seeds}/2⌉ per sweep-only amount`,
  };
  return ASSUMPTION_KEYS.map((key) => ({ key, value: values[key] }));
}
