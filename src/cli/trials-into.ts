// From a spec and seeds to a finished trials directory in one call: the seeds
// run on a worker pool (a directory that already journals some of them
// resumes), then summary.json, the tables, plots/ and trials.html are written from the
// whole journal, as `infoplane trials` writes them (without its stop rule,
// shards and progress lines). It lives with the commands because it composes
// experiment/ and report/.
import { writeFilesAtomically } from '../core/atomic-write.ts';
import { trialsReportFiles } from '../report/trials-files.ts';
import { jsonWithUnits } from '../report/units.ts';
import { parseSpec, type SpecInput } from '../experiment/spec.ts';
import type { KeepCurves } from '../experiment/trials/keep-curves.ts';
import { type RunTrialsOptions, runTrials, type TrialsRunStats } from '../experiment/trials/run-trials.ts';
import { parseSeeds } from '../experiment/trials/seeds.ts';
import type { TrialsSummary } from '../experiment/trials/summary.ts';
import { trialsSummaryOf } from './trials-command.ts';
import { storedSpec } from '../experiment/trials/trials-dir.ts';

export interface TrialsIntoOptions {
  /** The setting (validated here; its seed is replaced by each of `seeds`). */
  spec: SpecInput;
  /** Seeds to run: a list, or the CLI's text form (`1..500`, `1,5,9`). */
  seeds: readonly number[] | string;
  /** The trials directory: created, or resumed when it holds the same spec. */
  out: string;
  /** Worker threads, one run each (default: the cores). */
  workers?: number;
  /** Which runs keep their full per-epoch curves in curves/ (default rare). */
  keepCurves?: KeepCurves;
  /** Progress hooks of the pool. */
  hooks?: Pick<RunTrialsOptions, 'onCreate' | 'onStart' | 'onFinished'>;
  /** false: write summary.json only (a shard, whose plots the merge draws). Default true. */
  pages?: boolean;
}

export interface TrialsIntoResult {
  summary: TrialsSummary;
  stats: TrialsRunStats;
}

/** Runs `seeds` of `spec` into the trials directory `out` and writes its summary files. */
export async function runTrialsInto(options: TrialsIntoOptions): Promise<TrialsIntoResult> {
  const spec = parseSpec(options.spec);
  // A list gets the text form's checks (non-negative 32-bit integers, duplicates dropped); an empty one runs nothing.
  const seeds = typeof options.seeds === 'string' ? parseSeeds(options.seeds) : options.seeds.length ? parseSeeds(options.seeds.join(',')) : [];
  const { out } = options;
  const stats = await runTrials(
    [{ dir: out, spec, label: out }],
    seeds.map((seed) => ({ target: 0, seed })),
    {
      workers: options.workers,
      keepCurves: options.keepCurves ?? 'rare',
      ...options.hooks,
    },
  );
  const summary = trialsSummaryOf(spec, stats.records[0]);
  const records = stats.records[0];
  writeFilesAtomically(
    out,
    options.pages === false ? { 'summary.json': jsonWithUnits(summary) } : await trialsReportFiles(summary, storedSpec(spec), out, records),
  );
  return { summary, stats };
}
