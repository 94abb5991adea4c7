// From `spec.data` to the train/test arrays a run trains on: load the source,
// apply the task, then decide the rows.
//
//   official split (mnist-full, idx:DIR with both pairs): train and test are
//     the publisher's; trainSize/testSize default to all rows (after the
//     task), and a smaller value subsamples that half — seeded and stratified
//     (`split: stratified`), or its first rows (`split: ordered`);
//   one set (mnist, idx:DIR with one pair, mat:FILE): split by the seeded
//     stratified splitter (default 80/20, the embedded mnist 8000/2000), or
//     IDNNs' unshuffled split (`split: ordered`: the first rint(0.8·n) rows
//     train, the rest test).
import { InputError } from '../core/input-error.ts';
import type { Dataset, SplitDataset } from '../data/dataset.ts';
import { isBinarySource, loadDataSource, parseDataSource } from '../data/source.ts';
import { headRows, orderedSplit, stratifiedSplit, stratifiedSubsample } from '../data/split.ts';
import { applyTask, parseTask, type Task, taskName } from '../data/tasks.ts';
import { Rng } from '../core/rng.ts';

export const SPLIT_KINDS = ['stratified', 'ordered'] as const;
export type SplitKind = (typeof SPLIT_KINDS)[number];

/** The resolved `spec.data` section, as this module needs it. */
export interface DataSpec {
  source: string;
  task: string;
  trainSize?: number;
  testSize?: number;
  split: SplitKind;
}

/**
 * The train/test sets of `data` for `seed`. The seed only matters where rows
 * are drawn: the stratified split (stream `split`) and the subsampling of an
 * official split (streams `split` for train, `split:test` for test).
 * Problems are DataErrors: a field of `spec.data` or the file at fault.
 */
export function prepareSplitData(data: DataSpec, seed: number): SplitDataset {
  return withSpecField(() => {
    const source = parseDataSource(data.source);
    const task = parseTask(data.task);
    checkTaskForSource(data.source, task);
    const loaded = loadDataSource(source);
    const names = { source: data.source, task: data.task };
    if (loaded.kind === 'official') {
      const shrink = (ds: Dataset, rows: number | undefined, field: 'trainSize' | 'testSize', stream: string): Dataset => {
        if (rows === undefined || rows === ds.rows) return ds;
        return data.split === 'ordered' ? headRows(ds, rows, field) : stratifiedSubsample(ds, rows, Rng.stream(seed, stream), field);
      };
      return {
        train: shrink(applyTask(loaded.train, task), data.trainSize, 'trainSize', 'split'),
        test: shrink(applyTask(loaded.test, task), data.testSize, 'testSize', 'split:test'),
        ...names,
      };
    }
    const ds = applyTask(loaded.data, task);
    const sizes = { trainSize: data.trainSize, testSize: data.testSize, ...names };
    return data.split === 'ordered' ? orderedSplit(ds, sizes) : stratifiedSplit(ds, Rng.stream(seed, 'split'), sizes);
  });
}

/**
 * A .mat set's labels are already binary (IDNNs' y): parity, lt5 and AvB
 * would only rename or swap its two classes, so they are refused.
 */
export function checkTaskForSource(sourceText: string, task: Task): void {
  if (task.kind !== 'label' && isBinarySource(parseDataSource(sourceText))) {
    throw new InputError('task', `${JSON.stringify(taskName(task))} needs a multi-class data set; ${sourceText} has binary labels (IDNNs' y): use task label`);
  }
}

const SPEC_FIELDS = new Set(['source', 'task', 'trainSize', 'testSize']);

/** Names the spec field in errors about one (`trainSize: …` → `spec.data.trainSize: …`). */
function withSpecField<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof InputError && SPEC_FIELDS.has(err.where)) {
      throw new InputError(`spec.data.${err.where}`, err.problem);
    }
    throw err;
  }
}
