// `--dry-run`: the resolved spec, how many runs the command would start and
// how long they should take on this machine, then exit without writing.
import { projectRun } from '../experiment/projection.ts';
import { type Spec, specHash } from '../experiment/spec.ts';
import { duration } from './progress.ts';

/** `parallel`: runs at once (trials workers); each then runs on one thread, as trials do. */
export function dryRunText(spec: Spec, what: { runs: number; parallel: number; out: string }): string {
  const p = projectRun(spec);
  const waves = Math.ceil(what.runs / Math.max(1, Math.min(what.parallel, what.runs)));
  return [
    `resolved spec (hash ${specHash(spec)}):`,
    JSON.stringify(spec, null, 2),
    `runs: ${what.runs}${what.parallel > 1 ? ` on ${Math.min(what.parallel, what.runs)} workers` : ''}; output: ${what.out}`,
    `data: ${p.trainRows} train rows (${p.batchesPerEpoch} batches per epoch), ${p.testRows} test rows; MI measured ${p.miMeasurements} times per run`,
    `measured here: ${(p.secondsPerBatch * 1000).toFixed(2)} ms per batch, ${(p.secondsPerEvaluation * 1000).toFixed(1)} ms per test evaluation, ${(p.secondsPerMi * 1000).toFixed(1)} ms per MI measurement`,
    `projected: ${duration(p.secondsPerRun)} per run, ${duration(p.secondsPerRun * waves)} in all (dry run: nothing was written)`,
    '',
  ].join('\n');
}
