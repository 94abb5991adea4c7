// The files of a finished run. Everything except timing.json is a pure function
// of (spec, seed, backend), so two runs of the same seed give identical bytes.
import type { KernelPlan } from '../train/engine-types.ts';
import type { RunResult } from '../experiment/run.ts';
import type { KdeRecord, KsgRecord, MiRecord } from '../experiment/mi-measure.ts';
import type { EpochMetrics } from '../train/trainer.ts';
import { csvText } from './csv.ts';
import { writeDirectoryAtomically } from '../core/atomic-write.ts';
import { runFigureFiles } from './run-figures.ts';
import { jsonWithUnits } from './units.ts';

const METRIC_COLUMNS: (keyof EpochMetrics)[] = ['epoch', 'trainLoss', 'trainAcc', 'testLoss', 'testAcc'];

export function metricsJsonl(history: readonly EpochMetrics[]): string {
  return history.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

export function metricsCsv(history: readonly EpochMetrics[]): string {
  return csvText(METRIC_COLUMNS, history as unknown as Record<string, number>[]);
}

/** Which run a table row belongs to, so tables of many runs can be concatenated. */
export interface RunKey {
  specHash: string;
  seed: number;
}

export const MI_COLUMNS = [
  'specHash',
  'seed',
  'epoch',
  'layer',
  'estimator',
  'ixt',
  'ity',
  'ht',
  'htGivenY',
  'distinct',
  'ceilingX',
  'ceilingY',
  'saturated',
  'xMode',
  'rangeLo',
  'rangeHi',
] as const;

export function miCsv(records: readonly MiRecord[], key: RunKey): string {
  // The Miller–Madow columns only when the run asked for them, so other runs' files stay as they were.
  const columns: string[] = records.some((r) => r.ixtMillerMadow !== undefined) ? [...MI_COLUMNS, 'ixtMillerMadow', 'ityMillerMadow'] : [...MI_COLUMNS];
  return csvText(
    columns,
    records.map((r) => ({ ...key, ...r, range: undefined, rangeLo: r.range?.[0] ?? null, rangeHi: r.range?.[1] ?? null })),
  );
}

export const KDE_COLUMNS = [
  'specHash',
  'seed',
  'epoch',
  'layer',
  'noiseVariance',
  'samples',
  'ixtUpper',
  'ixtLower',
  'ityFromUpper',
  'ityFromLower',
  'htUpper',
  'htLower',
  'htGivenX',
  'ceiling',
  'atCeiling',
] as const;

export function kdeCsv(records: readonly KdeRecord[], key: RunKey): string {
  return csvText(
    KDE_COLUMNS,
    records.map((r) => ({ ...key, ...r })),
  );
}

const KSG_COLUMNS: (keyof KsgRecord)[] = ['epoch', 'layer', 'ixt', 'ity', 'k', 'samples'];

export function ksgCsv(records: readonly KsgRecord[]): string {
  return [KSG_COLUMNS.join(','), ...records.map((r) => KSG_COLUMNS.map((c) => String(r[c])).join(','))].join('\n') + '\n';
}

const jsonl = (records: readonly object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

export function summaryOf(result: RunResult): object {
  const final = result.history[result.history.length - 1];
  return {
    specHash: result.specHash,
    seed: result.spec.seed,
    backend: result.backend.name,
    data: result.data,
    final,
    bestTestAcc: Math.max(...result.history.map((m) => m.testAcc)),
    pruning: result.pruning,
    ...(result.kernels ? { kernels: kernelChoices(result.kernels) } : {}),
  };
}

/**
 * Which kernels each layer ran on. Every choice computes the same bits; a
 * choice made by timing candidates at start-up (`kernels: auto` on a pruned
 * layer) could differ between two runs of a seed, so summary.json says it was
 * timed and timing.json holds the choice with its measurements.
 */
function kernelChoices(plan: KernelPlan): object {
  return {
    ...plan,
    layers: plan.layers.map(({ measured, kernel, reason, ...layer }) =>
      measured ? { ...layer, kernel: 'timed at start-up (see timing.json)' } : { ...layer, kernel, reason },
    ),
  };
}

export async function runFiles(result: RunResult): Promise<Record<string, string | Uint8Array>> {
  const summary = summaryOf(result);
  // The thread count changes nothing in the results, so it is recorded with the timings only.
  const { threads, ...spec } = result.spec;
  const figures = await runFigureFiles({
    spec,
    summary: summary as Record<string, unknown>,
    history: result.history,
    mi: result.mi,
    kde: result.kde,
    ksg: result.ksg,
  });
  return {
    ...figures,
    'mi.jsonl': result.mi.map((r) => JSON.stringify(r)).join('\n') + (result.mi.length ? '\n' : ''),
    'mi.csv': miCsv(result.mi, { specHash: result.specHash, seed: result.spec.seed }),
    ...(result.kde.length ? { 'kde.jsonl': jsonl(result.kde), 'kde.csv': kdeCsv(result.kde, { specHash: result.specHash, seed: result.spec.seed }) } : {}),
    ...(result.ksg.length ? { 'ksg.jsonl': jsonl(result.ksg), 'ksg.csv': ksgCsv(result.ksg) } : {}),
    // One line per estimate that rises with depth beyond its estimator's tolerance (src/mi/data-processing.ts).
    ...(result.dpi.length ? { 'dpi.jsonl': jsonl(result.dpi) } : {}),
    'spec.json': JSON.stringify(spec, null, 2) + '\n',
    'metrics.jsonl': metricsJsonl(result.history),
    'metrics.csv': metricsCsv(result.history),
    'summary.json': jsonWithUnits(summary),
    'timing.json':
      JSON.stringify(
        {
          backend: result.backend,
          threads: threads ?? null,
          epochSeconds: result.epochSeconds,
          pruneSeconds: result.pruneSeconds,
          ...(result.kernels ? { kernels: result.kernels } : {}),
        },
        null,
        2,
      ) + '\n',
    // spec.save: arrays/index.json and the .npy files (src/experiment/array-export.ts).
    ...result.arrays,
  };
}

/** Writes a run's directory (every file of runFiles) whole or not at all; an existing `out` needs `force`. */
export async function writeRunDirectory(result: RunResult, out: string, options: { force?: boolean } = {}): Promise<void> {
  writeDirectoryAtomically(out, await runFiles(result), options);
}
