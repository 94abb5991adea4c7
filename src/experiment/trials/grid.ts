// The grid of a sweep: `--grid key=v1,v2,...` or `--grid key=lo:hi:step`
// (inclusive; values rounded to the step's decimals, so 0.3:0.95:0.05 gives
// 0.3, 0.35, ..., 0.95 and not 0.30000000000000004). Several --grid flags
// make the cartesian product, the first flag varying slowest. Each key maps
// onto spec fields; list-valued keys join a value's items with `+`
// (`layers=1+3,2` is two values: [1, 3] and [2]; `hidden=64+32` or `64x32`).
//
//   amount      prune.steps[*].amount (every step; creates one with `prune`)
//   compression prune.steps[*].amount = 1 − 10^−c: compression 10^c, density
//               10^−c, the log axis of Tanaka et al. 2020 (exclusive with amount)
//   score       prune.steps[*].score (magnitude, random, snip, grasp, synflow)
//   rounds      prune.steps[*].rounds   ablate  prune.steps[*].ablate (none: no ablation)
//   prune       prune.steps[*].mode   (every step; creates one with `amount`)
//   layers      prune.steps[*].layers
//   epochs      train.epochs           lr          train.lr
//   batch-size  train.batchSize        optimizer   train.optimizer
//   hidden      net.hidden             activation  net.activation
//   bins        mi.binning: the first binning's scheme and range with this
//               bin count (width:W for width binning), as the only binning
//   task        data.task
import { InputError } from '../../core/input-error.ts';

export type GridValue = number | string | number[];

interface GridKeyRule {
  /** Numeric keys take lo:hi:step ranges and can be a trainability curve's x axis. */
  numeric: boolean;
  parse: (text: string) => GridValue;
  apply: (doc: SpecDoc, value: GridValue) => void;
}

// biome-ignore lint/suspicious/noExplicitAny: a spec document before validation has any shape
type SpecDoc = Record<string, any>;

function numberValue(key: string) {
  return (text: string): number => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) throw new InputError(`--grid ${key}: "${text}" is not a number`);
    return v;
  };
}

function listValue(key: string, separators: RegExp) {
  return (text: string): number[] =>
    text.split(separators).map((part) => {
      const v = Number(part);
      if (part.trim() === '' || !Number.isInteger(v)) throw new InputError(`--grid ${key}: "${text}" is not a list of integers joined by + (e.g. 1+3)`);
      return v;
    });
}

const word =
  (key: string) =>
  (text: string): string => {
    if (!/^[A-Za-z0-9._-]+$/.test(text)) throw new InputError(`--grid ${key}: "${text}" is not a plain word`);
    return text;
  };

function steps(doc: SpecDoc, key: string): SpecDoc[] {
  doc.prune ??= {};
  doc.prune.steps ??= [];
  if (doc.prune.steps.length === 0) {
    throw new InputError(`--grid ${key}: the spec has no prune step to vary; give --prune MODE --amount A, or grid both prune= and amount=`);
  }
  return doc.prune.steps as SpecDoc[];
}

export const GRID_KEYS: Record<string, GridKeyRule> = {
  amount: { numeric: true, parse: numberValue('amount'), apply: (doc, v) => steps(doc, 'amount').forEach((s) => (s.amount = v)) },
  compression: {
    numeric: true,
    parse: numberValue('compression'),
    apply: (doc, v) => steps(doc, 'compression').forEach((s) => (s.amount = amountOfCompression(v as number))),
  },
  prune: { numeric: false, parse: word('prune'), apply: (doc, v) => steps(doc, 'prune').forEach((s) => (s.mode = v)) },
  score: { numeric: false, parse: word('score'), apply: (doc, v) => steps(doc, 'score').forEach((s) => (s.score = v)) },
  rounds: { numeric: true, parse: numberValue('rounds'), apply: (doc, v) => steps(doc, 'rounds').forEach((s) => (s.rounds = v)) },
  // `none` is the plain method, so one axis can hold it beside the ablations.
  ablate: { numeric: false, parse: word('ablate'), apply: (doc, v) => steps(doc, 'ablate').forEach((s) => (v === 'none' ? delete s.ablate : (s.ablate = v))) },
  layers: { numeric: false, parse: listValue('layers', /\+/), apply: (doc, v) => steps(doc, 'layers').forEach((s) => (s.layers = v)) },
  epochs: { numeric: true, parse: numberValue('epochs'), apply: (doc, v) => ((doc.train ??= {}).epochs = v) },
  lr: { numeric: true, parse: numberValue('lr'), apply: (doc, v) => ((doc.train ??= {}).lr = v) },
  'batch-size': { numeric: true, parse: numberValue('batch-size'), apply: (doc, v) => ((doc.train ??= {}).batchSize = v) },
  optimizer: { numeric: false, parse: word('optimizer'), apply: (doc, v) => ((doc.train ??= {}).optimizer = v) },
  hidden: { numeric: false, parse: listValue('hidden', /[+x]/), apply: (doc, v) => ((doc.net ??= {}).hidden = v) },
  activation: { numeric: false, parse: word('activation'), apply: (doc, v) => ((doc.net ??= {}).activation = v) },
  bins: {
    numeric: true,
    parse: numberValue('bins'),
    apply: (doc, v) => {
      doc.mi ??= {};
      const first = String((doc.mi.binning as string[] | undefined)?.[0] ?? 'fixed:30');
      const [scheme, , ...range] = first.split(':');
      doc.mi.binning = [scheme === 'width' ? `width:${v}` : [scheme, String(v), ...range].join(':')];
    },
  },
  task: { numeric: false, parse: word('task'), apply: (doc, v) => ((doc.data ??= {}).task = v) },
};

/** The pruned fraction of compression 10^c (c ≥ 0): 1 − 10^−c; c = 0 prunes nothing. */
export function amountOfCompression(c: number): number {
  if (!(c >= 0)) throw new InputError(`--grid compression: ${c} is not an exponent c >= 0 of compression 10^c`);
  return 1 - 10 ** -c;
}

export interface GridAxis {
  key: string;
  values: GridValue[];
  /** How each value is written in cell names and tables. */
  texts: string[];
}

const decimals = (text: string) => /\.(\d+)$/.exec(text.trim())?.[1].length ?? 0;

function rangeValues(key: string, text: string): string[] {
  const [lo, hi, step] = text.split(':');
  const [a, b, d] = [lo, hi, step].map(numberValue(key));
  if (!(d > 0)) throw new InputError(`--grid ${key}: the step of ${text} must be > 0`);
  if (a > b) throw new InputError(`--grid ${key}: range ${text} runs backwards (expected lo:hi:step)`);
  const places = Math.max(decimals(lo), decimals(step), decimals(hi));
  const count = Math.floor((b - a) / d + 1e-9) + 1;
  if (count > 10000) throw new InputError(`--grid ${key}: ${text} has more than 10000 values`);
  return Array.from({ length: count }, (_, i) => String(Number((a + i * d).toFixed(places))));
}

export function parseGridArg(text: string): GridAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--grid: expected key=values (e.g. amount=0.3:0.95:0.05 or prune=global-weight,global-neuron), got "${text}"`);
  const key = text.slice(0, eq).trim();
  const rule = GRID_KEYS[key];
  if (!rule) throw new InputError(`--grid: unknown key "${key}" (known: ${Object.keys(GRID_KEYS).join(', ')})`);
  const body = text.slice(eq + 1).trim();
  if (body === '') throw new InputError(`--grid ${key}: no values`);
  const parts = body.split(',').flatMap((part) => {
    const p = part.trim();
    if (p.split(':').length === 3) {
      if (!rule.numeric) throw new InputError(`--grid ${key}: ranges lo:hi:step are for numeric keys, got "${p}"`);
      return rangeValues(key, p);
    }
    return [p];
  });
  const values = parts.map((p) => rule.parse(p));
  const texts = values.map((v) => (Array.isArray(v) ? v.join('+') : String(v)));
  const dup = texts.find((t, i) => texts.indexOf(t) !== i);
  if (dup !== undefined) throw new InputError(`--grid ${key}: value ${dup} appears twice`);
  return { key, values, texts };
}

export function checkGrid(axes: readonly GridAxis[]): void {
  if (axes.length === 0) throw new InputError('--grid: a sweep needs at least one --grid key=values');
  const keys = axes.map((a) => a.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new InputError(`--grid: key ${dup} is given twice`);
  if (keys.includes('amount') && keys.includes('compression')) throw new InputError('--grid: amount and compression both set the pruned fraction; give one');
}

export interface GridCell {
  /** Directory name and label: key=value joined by `_`, in --grid order. */
  name: string;
  values: Record<string, GridValue>;
  texts: Record<string, string>;
}

export function gridCells(axes: readonly GridAxis[]): GridCell[] {
  let cells: GridCell[] = [{ name: '', values: {}, texts: {} }];
  for (const axis of axes) {
    cells = cells.flatMap((cell) =>
      axis.values.map((value, i) => ({
        name: cell.name ? `${cell.name}_${axis.key}=${axis.texts[i]}` : `${axis.key}=${axis.texts[i]}`,
        values: { ...cell.values, [axis.key]: value },
        texts: { ...cell.texts, [axis.key]: axis.texts[i] },
      })),
    );
  }
  return cells;
}

/**
 * The spec document of a cell: the base document with the cell's values
 * written in. `prune` and `amount` together create the prune step when the
 * base has none. The caller validates the result (parseSpec).
 */
export function cellDocument(base: Record<string, unknown>, cell: GridCell): Record<string, unknown> {
  const doc = structuredClone(base) as SpecDoc;
  doc.prune ??= {};
  doc.prune.steps ??= [];
  if (doc.prune.steps.length === 0 && 'prune' in cell.values && ('amount' in cell.values || 'compression' in cell.values)) {
    doc.prune.steps = [{ mode: cell.values.prune, amount: 0 }];
  }
  for (const [key, value] of Object.entries(cell.values)) GRID_KEYS[key].apply(doc, value);
  return doc;
}
