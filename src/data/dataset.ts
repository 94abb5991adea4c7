// The shapes every loader returns and every later stage (tasks, split,
// training, MI estimation) consumes. Flat typed arrays rather than arrays of
// rows: training and the native kernels want one contiguous block.
import { InputError } from '../core/input-error.ts';

/** A labelled data set held in memory. */
export interface Dataset {
  /** [rows, features], row-major; pixel-like inputs scaled to [0, 1]. */
  x: Float32Array;
  /** Class index per row, in [0, classes). */
  labels: Int32Array;
  rows: number;
  features: number;
  /** Number of classes the labels range over (some may have no rows). */
  classes: number;
  /** Human-readable origin, e.g. `mnist-package` or `mnist-package/parity`. */
  name: string;
}

/** A train/test pair plus where it came from, for reports. */
export interface SplitDataset {
  train: Dataset;
  test: Dataset;
  /** The loaded source, e.g. `mnist-package`, `idx:<dir>`, `var_u`. */
  source: string;
  /** The task applied, as `parseTask` spells it (`parity`, `3v8`, ...). */
  task: string;
}

/** Rows per class, indexed by class; labels outside [0, classes) are an InputError. */
export function classCounts(ds: Pick<Dataset, 'labels' | 'classes' | 'name'>): number[] {
  const counts = new Array<number>(ds.classes).fill(0);
  for (let i = 0; i < ds.labels.length; i++) {
    const c = ds.labels[i];
    if (c < 0 || c >= ds.classes) throw new InputError(ds.name, `label ${c} at row ${i} is outside [0, ${ds.classes})`);
    counts[c]++;
  }
  return counts;
}

/**
 * Checks the invariants every consumer relies on (array lengths agree with
 * rows × features, labels in range), so a bad loader fails here and not as a
 * silent out-of-bounds read in a kernel. Returns the data set for chaining.
 */
export function checkDataset(ds: Dataset): Dataset {
  const { name } = ds;
  if (!Number.isInteger(ds.rows) || ds.rows < 0) throw new InputError(name, `rows must be a non-negative integer, got ${ds.rows}`);
  if (!Number.isInteger(ds.features) || ds.features < 1) throw new InputError(name, `features must be a positive integer, got ${ds.features}`);
  if (!Number.isInteger(ds.classes) || ds.classes < 1) throw new InputError(name, `classes must be a positive integer, got ${ds.classes}`);
  if (ds.x.length !== ds.rows * ds.features) {
    throw new InputError(name, `x has ${ds.x.length} values, expected rows × features = ${ds.rows} × ${ds.features}`);
  }
  if (ds.labels.length !== ds.rows) throw new InputError(name, `labels has ${ds.labels.length} entries, expected ${ds.rows} rows`);
  classCounts(ds);
  return ds;
}

/** The row indices from..to-1, ascending: selectRows' argument for a run of rows. */
export function rowRange(from: number, to: number): Int32Array {
  const idx = new Int32Array(to - from);
  for (let i = 0; i < idx.length; i++) idx[i] = from + i;
  return idx;
}

/**
 * A new data set made of the given rows, in the given order (copies, so the
 * result never aliases the source). `relabel`, when given, maps each kept
 * row's old label to its new one.
 */
export function selectRows(
  ds: Dataset,
  indices: ArrayLike<number>,
  opts: { name?: string; classes?: number; relabel?: (label: number) => number } = {},
): Dataset {
  const n = indices.length;
  const f = ds.features;
  const x = new Float32Array(n * f);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= ds.rows) throw new RangeError(`selectRows: row index ${r} outside [0, ${ds.rows})`);
    x.set(ds.x.subarray(r * f, (r + 1) * f), i * f);
    labels[i] = opts.relabel ? opts.relabel(ds.labels[r]) : ds.labels[r];
  }
  return { x, labels, rows: n, features: f, classes: opts.classes ?? ds.classes, name: opts.name ?? ds.name };
}
