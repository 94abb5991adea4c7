// Seeded, stratified train/test split. Stratified so that a small test set
// has the class balance of the whole (a binary run stuck at the majority
// rate is then recognisable); seeded so the same seed gives the same arrays.

import { InputError } from '../core/input-error.ts';
import type { Rng } from '../core/rng.ts';
import { type Dataset, type SplitDataset, classCounts, rowRange, selectRows } from './dataset.ts';

export interface SplitOptions {
  /** Training rows; default 80% of the rows (8000 of the 10 000-image set). */
  trainSize?: number;
  /** Test rows; default the remaining rows (2000 of 10 000). */
  testSize?: number;
  /** Recorded in the result; default the data set's name. */
  source?: string;
  /** Recorded in the result; default `label`. */
  task?: string;
}

/**
 * Splits `ds` into disjoint train and test sets whose class proportions
 * follow the whole set's.
 *
 * Per-class quotas use largest-remainder rounding in integer arithmetic
 * (ties to the lower class), so they are exact and seed-independent: train
 * quotas are proportional to the class counts, test quotas to what each
 * class has left. The rng then draws, in this order: one shuffle of each
 * class's rows (class 0 first; the first rows of it go to train, the next to
 * test), one shuffle of the train rows, one of the test rows — so the classes
 * are interleaved and the whole result depends only on the data and the rng's
 * state. Pass a dedicated stream, e.g. `Rng.stream(seed, 'split')`.
 */
export function stratifiedSplit(ds: Dataset, rng: Rng, opts: SplitOptions = {}): SplitDataset {
  const { trainSize, testSize } = resolveSizes(ds, opts, Math.floor(ds.rows * 0.8));

  const counts = classCounts(ds);
  const trainQuota = largestRemainder(trainSize, counts);
  const left = counts.map((c, k) => c - trainQuota[k]);
  const testQuota = largestRemainder(testSize, left);

  const byClass: number[][] = counts.map(() => []);
  for (let i = 0; i < ds.rows; i++) byClass[ds.labels[i]].push(i);

  const trainIdx = new Int32Array(trainSize);
  const testIdx = new Int32Array(testSize);
  let nTrain = 0;
  let nTest = 0;
  for (let k = 0; k < counts.length; k++) {
    const pool = rng.shuffle(byClass[k]);
    for (let j = 0; j < trainQuota[k]; j++) trainIdx[nTrain++] = pool[j];
    for (let j = 0; j < testQuota[k]; j++) testIdx[nTest++] = pool[trainQuota[k] + j];
  }
  rng.shuffle(trainIdx);
  rng.shuffle(testIdx);

  return {
    train: selectRows(ds, trainIdx, { name: `${ds.name}/train` }),
    test: selectRows(ds, testIdx, { name: `${ds.name}/test` }),
    source: opts.source ?? ds.name,
    task: opts.task ?? 'label',
  };
}

/**
 * Splits `total` into integer parts proportional to `weights` that sum to
 * `total` and never exceed their weight (requires total ≤ Σ weights).
 * Integer arithmetic throughout: remainders are compared exactly.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total > sum) throw new RangeError(`largestRemainder: total ${total} exceeds the sum of weights ${sum}`);
  if (sum === 0) return weights.map(() => 0);
  // total × weight stays below 2^53 for any data set that fits in memory.
  const rems = weights.map((w, k) => ({ k, r: (total * w) % sum }));
  const parts = weights.map((w, k) => (total * w - rems[k].r) / sum);
  let extra = total - parts.reduce((a, b) => a + b, 0);
  rems.sort((p, q) => q.r - p.r || p.k - q.k);
  // Each extra goes to a part with a non-zero remainder (there are at least
  // `extra` of them), so no part exceeds its weight.
  for (let i = 0; extra > 0; i++, extra--) parts[rems[i].k]++;
  return parts;
}

/** The sizes with their defaults (train: `defaultTrain`, test: the rest), checked against the rows, train first. */
function resolveSizes(ds: Dataset, opts: SplitOptions, defaultTrain: number): { trainSize: number; testSize: number } {
  const trainSize = opts.trainSize ?? defaultTrain;
  checkSize('trainSize', trainSize, 1);
  if (trainSize > ds.rows) throw new InputError('trainSize', `${trainSize} exceeds the ${ds.rows} rows of ${ds.name}`);
  const testSize = opts.testSize ?? ds.rows - trainSize;
  checkSize('testSize', testSize, 0);
  if (trainSize + testSize > ds.rows) {
    throw new InputError('testSize', `${testSize} exceeds the ${ds.rows - trainSize} rows of ${ds.name} left after trainSize ${trainSize}`);
  }
  return { trainSize, testSize };
}

function checkSize(field: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new InputError(field, `must be an integer ≥ ${min}, got ${v}`);
}

/**
 * IDNNs' split (`data_shuffle(..., shuffle_data=False)` in
 * ravidziv/IDNNs idnns/networks/utils.py): no shuffling — the first
 * `trainSize` rows train, the next `testSize` rows test, in file order.
 * Defaults follow IDNNs' `percent_of_train = 80`: trainSize =
 * np.rint(0.8 · rows) (round half to even; 3277 of var_u's 4096 rows), and
 * the test set is every remaining row (819). Not stratified: on var_u.mat,
 * whose rows count 0..4095 in binary, the test rows are the patterns whose
 * leading bits are 11001 and above — IDNNs' set-up, kept as published.
 */
export function orderedSplit(ds: Dataset, opts: SplitOptions = {}): SplitDataset {
  const { trainSize, testSize } = resolveSizes(ds, opts, roundHalfEven(ds.rows * 0.8));
  return {
    train: selectRows(ds, rowRange(0, trainSize), { name: `${ds.name}/train` }),
    test: selectRows(ds, rowRange(trainSize, trainSize + testSize), { name: `${ds.name}/test` }),
    source: opts.source ?? ds.name,
    task: opts.task ?? 'label',
  };
}

/**
 * `rows` rows of `ds` drawn by the stratified splitter (class proportions of
 * the whole, seeded, interleaved): how a smaller trainSize/testSize
 * subsamples one half of an official split. `rows` = all rows returns a copy
 * in the splitter's shuffled order.
 */
export function stratifiedSubsample(ds: Dataset, rows: number, rng: Rng, field = 'trainSize'): Dataset {
  checkSize(field, rows, 1);
  if (rows > ds.rows) throw new InputError(field, `${rows} exceeds the ${ds.rows} rows of ${ds.name}`);
  const picked = stratifiedSplit(ds, rng, { trainSize: rows, testSize: 0 }).train;
  return { ...picked, name: ds.name };
}

/** The first `rows` rows of `ds`, in order: the ordered (IDNNs) way to shrink a set. */
export function headRows(ds: Dataset, rows: number, field = 'trainSize'): Dataset {
  checkSize(field, rows, 1);
  if (rows > ds.rows) throw new InputError(field, `${rows} exceeds the ${ds.rows} rows of ${ds.name}`);
  return selectRows(ds, rowRange(0, rows));
}

/** numpy's rint: round half to even (IDNNs rounds its split index with np.rint). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
