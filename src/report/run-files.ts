// The files of a finished run. Everything except timing.json is a pure function
// of (spec, seed, backend), so two runs of the same seed give identical bytes.
import type { RunResult } from '../experiment/run.ts';
import type { EpochMetrics } from '../train/trainer.ts';

const METRIC_COLUMNS: (keyof EpochMetrics)[] = ['epoch', 'trainLoss', 'trainAcc', 'testLoss', 'testAcc'];

export function metricsJsonl(history: readonly EpochMetrics[]): string {
  return history.map((m) => JSON.stringify(m)).join('\n') + '\n';
}

export function metricsCsv(history: readonly EpochMetrics[]): string {
  const rows = history.map((m) => METRIC_COLUMNS.map((c) => String(m[c])).join(','));
  return [METRIC_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

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
  };
}

export function runFiles(result: RunResult): Record<string, string> {
  return {
    'spec.json': JSON.stringify(result.spec, null, 2) + '\n',
    'metrics.jsonl': metricsJsonl(result.history),
    'metrics.csv': metricsCsv(result.history),
    'summary.json': JSON.stringify(summaryOf(result), null, 2) + '\n',
    'timing.json': JSON.stringify({ backend: result.backend, epochSeconds: result.epochSeconds }, null, 2) + '\n',
  };
}
