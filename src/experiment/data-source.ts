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
import { type Dataset, rowRange, type SplitDataset, selectRows } from '../data/dataset.ts';
import { type DataSource, isBinarySource, loadDataSource, parseDataSource, sourceKey } from '../data/source.ts';
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
    const sets = taskedSource(source, task);
    const names = { source: data.source, task: data.task };
    if (sets.kind === 'official') {
      // Every run gets arrays of its own, never the shared tasked set's (a worker's are in shared memory).
      const shrink = (ds: Dataset, rows: number | undefined, field: 'trainSize' | 'testSize', stream: string): Dataset => {
        if (rows === undefined || rows === ds.rows) return selectRows(ds, rowRange(0, ds.rows));
        return data.split === 'ordered' ? headRows(ds, rows, field) : stratifiedSubsample(ds, rows, Rng.stream(seed, stream), field);
      };
      return {
        train: shrink(sets.train, data.trainSize, 'trainSize', 'split'),
        test: shrink(sets.test, data.testSize, 'testSize', 'split:test'),
        ...names,
      };
    }
    const sizes = { trainSize: data.trainSize, testSize: data.testSize, ...names };
    return data.split === 'ordered' ? orderedSplit(sets.data, sizes) : stratifiedSplit(sets.data, Rng.stream(seed, 'split'), sizes);
  });
}

/** A source with its task applied (rows kept, labels mapped): what each seed's split draws its rows from. */
export type TaskedSource = { kind: 'official'; train: Dataset; test: Dataset } | { kind: 'single'; data: Dataset };

/** A tasked source and what names it (the source's key and the task). */
export interface TaskedEntry {
  key: string;
  sets: TaskedSource;
}

// The last source and task prepared. It does not depend on the seed, so the seeds of one
// setting only copy their split's rows out of it; a trials pool puts it in shared memory
// for its workers (sharedTaskedSource), so no worker loads or parses the source again.
// Nothing writes into it: the splits copy the rows they take.
let tasked: TaskedEntry | undefined;

function taskedSource(source: DataSource, task: Task): TaskedSource {
  const key = `${sourceKey(source)} ${taskName(task)}`;
  if (tasked?.key === key) return tasked.sets;
  const loaded = loadDataSource(source);
  const sets: TaskedSource =
    loaded.kind === 'official'
      ? { kind: 'official', train: applyTask(loaded.train, task), test: applyTask(loaded.test, task) }
      : { kind: 'single', data: applyTask(loaded.data, task) };
  tasked = { key, sets };
  return sets;
}

/** A copy of a set whose arrays live in shared memory (one set for every worker thread that is handed it). */
function inSharedMemory(ds: Dataset): Dataset {
  if (ds.x.buffer instanceof SharedArrayBuffer) return ds;
  const x = new Float32Array(new SharedArrayBuffer(ds.x.byteLength));
  const labels = new Int32Array(new SharedArrayBuffer(ds.labels.byteLength));
  x.set(ds.x);
  labels.set(ds.labels);
  return { ...ds, x, labels };
}

/**
 * The last source and task prepared, moved into shared memory (once; this thread then uses
 * the shared copy too), for worker threads to take with primeTaskedSource. Undefined before
 * any was prepared.
 */
export function sharedTaskedSource(): TaskedEntry | undefined {
  if (!tasked) return undefined;
  const { key, sets } = tasked;
  const shared: TaskedSource =
    sets.kind === 'official'
      ? { kind: 'official', train: inSharedMemory(sets.train), test: inSharedMemory(sets.test) }
      : { kind: 'single', data: inSharedMemory(sets.data) };
  tasked = { key, sets: shared };
  return tasked;
}

/** Makes `entry` (from sharedTaskedSource in another thread) this thread's prepared source and task. */
export function primeTaskedSource(entry: TaskedEntry): void {
  tasked = entry;
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
