// Each estimator on the tasks with known MI (known-mi.ts): mean, spread and
// bias over seeds at given sample sizes. What `bench/mi-validation.ts` prints
// and README's validation table shows; the tests check the same numbers.
//
// Estimators: KSG (k = 3; Ross's form for a label), and binning with the
// plug-in and the Miller–Madow entropies: each variable's rows become symbols
// under adaptive:B over that variable's own min–max (B = 30 by default, the
// seed report's bin count), I = H(A) + H(B) − H(A,B).

import { binningParams, parseBinning } from './binning.ts';
import type { MiEngine } from '../backend/mi-kernels.ts';
import { selectMiEngine } from '../backend/registry.ts';
import type { KnownMiSample, KnownMiTask } from './known-mi.ts';
import { DEFAULT_KSG_K, ksgLabelMutualInformation, ksgMutualInformation } from './ksg.ts';
import { symbolMutualInformation } from './miller-madow.ts';

export const VALIDATION_ESTIMATORS = ['ksg', 'binning', 'binning-miller-madow'] as const;
export type ValidationEstimator = (typeof VALIDATION_ESTIMATORS)[number];

export interface ValidationOptions {
  readonly k?: number;
  /** Bins per variable of the binning estimators; default 30. */
  readonly bins?: number;
  readonly engine?: MiEngine;
}

function symbols(values: Float32Array, width: number, bins: number, engine: MiEngine): Int32Array {
  const n = values.length / width;
  const ids = new Int32Array(n);
  engine.rowSymbols(ids, values, n, width, binningParams(parseBinning(`adaptive:${bins}`)));
  return ids;
}

/** Every estimator's value on one sample, bits. */
export function estimateAll(sample: KnownMiSample, seed: number, options: ValidationOptions = {}): Record<ValidationEstimator, number> {
  const k = options.k ?? DEFAULT_KSG_K;
  const bins = options.bins ?? 30;
  const engine = options.engine ?? selectMiEngine('auto');
  if (sample.kind === 'label') {
    const binned = symbolMutualInformation(symbols(sample.t, sample.d, bins, engine), sample.labels);
    return {
      ksg: ksgLabelMutualInformation(sample.t, sample.d, sample.labels, { k, seed }).bits,
      binning: binned.plugin,
      'binning-miller-madow': binned.millerMadow,
    };
  }
  const binned = symbolMutualInformation(symbols(sample.x, sample.dx, bins, engine), symbols(sample.y, sample.dy, bins, engine));
  return {
    ksg: ksgMutualInformation(sample.x, sample.dx, sample.y, sample.dy, { k, seed }).bits,
    binning: binned.plugin,
    'binning-miller-madow': binned.millerMadow,
  };
}

export interface ValidationRow {
  estimator: ValidationEstimator;
  task: string;
  n: number;
  truth: number;
  /** Mean estimate over the seeds, bits. */
  mean: number;
  /** Standard deviation over the seeds (n − 1 denominator), bits. */
  sd: number;
  /** mean − truth, bits. */
  bias: number;
  seeds: number;
}

/** Every estimator on every task at every N, seeds 0..seeds−1 (each seed a fresh sample). */
export function validateEstimators(tasks: readonly KnownMiTask[], sizes: readonly number[], seeds: number, options: ValidationOptions = {}): ValidationRow[] {
  const rows: ValidationRow[] = [];
  for (const task of tasks) {
    for (const n of sizes) {
      const values = new Map<ValidationEstimator, number[]>(VALIDATION_ESTIMATORS.map((e) => [e, []]));
      for (let s = 0; s < seeds; s++) {
        const all = estimateAll(task.sample(n, s), s, options);
        for (const e of VALIDATION_ESTIMATORS) values.get(e)!.push(all[e]);
      }
      for (const e of VALIDATION_ESTIMATORS) {
        const v = values.get(e)!;
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
        rows.push({ estimator: e, task: task.name, n, truth: task.truth, mean, sd, bias: mean - task.truth, seeds });
      }
    }
  }
  return rows;
}

/** The rows as a Markdown table (README's validation table). */
export function validationTable(rows: readonly ValidationRow[]): string {
  const f = (v: number) => v.toFixed(3);
  const lines = ['| task | N | truth (bits) | estimator | mean | bias | sd |', '|---|---:|---:|---|---:|---:|---:|'];
  for (const r of rows)
    lines.push(`| ${r.task} | ${r.n} | ${f(r.truth)} | ${r.estimator} | ${f(r.mean)} | ${r.bias >= 0 ? '+' : ''}${f(r.bias)} | ${f(r.sd)} |`);
  return lines.join('\n');
}
