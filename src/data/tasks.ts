// Binary tasks over a multi-class data set. The information-plane study
// wants a binary label (so I(T;Y) ≤ 1 bit and the plots compare across data
// sets); `label` keeps the original classes for plain accuracy runs.

import { InputError } from '../core/input-error.ts';
import { type Dataset, type SplitDataset, rowRange, selectRows } from './dataset.ts';

export type Task =
  /** Odd digits are class 1, even digits class 0. */
  | { kind: 'parity' }
  /** Digits ≥ 5 are class 1, digits < 5 class 0. */
  | { kind: 'lt5' }
  /** Only rows of digits a and b; a → class 0, b → class 1. */
  | { kind: 'pair'; a: number; b: number }
  /** The original classes, unchanged. */
  | { kind: 'label' };

export const DEFAULT_TASK: Task = { kind: 'parity' };

/** Parses the CLI/config spelling: `parity`, `lt5`, `AvB` (e.g. `3v8`) or `label`. */
export function parseTask(s: string): Task {
  if (s === 'parity') return { kind: 'parity' };
  if (s === 'lt5') return { kind: 'lt5' };
  if (s === 'label') return { kind: 'label' };
  const m = /^(\d+)v(\d+)$/.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === b) throw new InputError('task', `a digit pair needs two different digits, got "${s}"`);
    return { kind: 'pair', a, b };
  }
  throw new InputError('task', `expected parity|lt5|AvB|label, got ${JSON.stringify(s)}`);
}

/** The spelling parseTask accepts, for names and reports. */
export function taskName(t: Task): string {
  return t.kind === 'pair' ? `${t.a}v${t.b}` : t.kind;
}

/**
 * The data set relabelled (and, for a pair, filtered) for the task. Always a
 * copy in the source's row order; `name` gets `/<task>` appended.
 */
export function applyTask(ds: Dataset, task: Task): Dataset {
  const name = `${ds.name}/${taskName(task)}`;
  switch (task.kind) {
    case 'label':
      return selectRows(ds, rowRange(0, ds.rows), { name });
    case 'parity':
      if (ds.classes < 2) throw new InputError('task', `parity needs at least 2 classes, ${ds.name} has ${ds.classes}`);
      return selectRows(ds, rowRange(0, ds.rows), { name, classes: 2, relabel: (c) => c % 2 });
    case 'lt5':
      // With 5 or fewer classes class 1 (≥ 5) could never occur.
      if (ds.classes <= 5) throw new InputError('task', `lt5 needs more than 5 classes, ${ds.name} has ${ds.classes}`);
      return selectRows(ds, rowRange(0, ds.rows), { name, classes: 2, relabel: (c) => (c >= 5 ? 1 : 0) });
    case 'pair': {
      const { a, b } = task;
      for (const d of [a, b]) {
        if (d >= ds.classes) throw new InputError('task', `${taskName(task)}: class ${d} does not exist in ${ds.name} (classes 0..${ds.classes - 1})`);
      }
      const keep: number[] = [];
      for (let i = 0; i < ds.rows; i++) if (ds.labels[i] === a || ds.labels[i] === b) keep.push(i);
      return selectRows(ds, keep, { name, classes: 2, relabel: (c) => (c === a ? 0 : 1) });
    }
  }
}

/** Applies the task to both halves of an already split set (e.g. MNIST's official split). */
export function applyTaskToSplit(split: SplitDataset, task: Task): SplitDataset {
  return { train: applyTask(split.train, task), test: applyTask(split.test, task), source: split.source, task: taskName(task) };
}
