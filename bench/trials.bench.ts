// Trials throughput on 1 and 2 worker threads: the same seeds of the default
// net (784-1024-20-20-20-2 tanh, 8000/2000 rows, MI every epoch on all 10 000
// samples), each worker single-threaded in its kernels. Correctness first:
// both runs must journal identical lines (as a set) — the result of a seed
// does not depend on which worker ran it or how many there were. Then the
// speedup 1 → 2 workers (target ≥ 1.8×) next to how busy the machine was with
// other processes (it is shared: a neighbour's build takes a core away).
//
//   npx tsx bench/trials.bench.ts [--seeds 4] [--epochs 6] [--prune-amount 0.65] [--attempts 3]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../src/experiment/spec.ts';
import { runTrials } from '../src/experiment/trials/run-trials.ts';
import { contended, contentionMeter, fx, heading, isMain, leastContendedAsync, median, table } from './common.ts';

export interface TrialsBenchRow {
  workers: number;
  seeds: number;
  /** The whole command: preflight, directories, worker start-up, runs. */
  wallSeconds: number;
  /** From the first job handed out (workers starting) to the last result. */
  poolSeconds: number;
  /** Median wall seconds of one run inside a worker. */
  runSeconds: number;
  /** The pool phase minus its runs' seconds shared evenly among the workers: worker start-up and the idle tail. */
  unevenSeconds: number;
  trialsPerHour: number;
  othersCores: number;
  attempts: number;
}

export interface TrialsBenchResult {
  epochs: number;
  rows: TrialsBenchRow[];
  speedup: number;
  poolSpeedup: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

export async function runTrialsBench(seeds = 4, epochs = 6, amount = 0.65, attempts = 3): Promise<TrialsBenchResult> {
  // One kernel thread per worker, so 1 → 2 workers compares one core with two.
  const spec = parseSpec({ train: { epochs }, prune: { steps: [{ mode: 'global-weight', amount }] }, threads: 1 });
  const rows: TrialsBenchRow[] = [];
  const journals: string[][] = [];
  for (const workers of [1, 2]) {
    const jobs = Array.from({ length: seeds }, (_, i) => ({ target: 0, seed: i + 1 }));
    // Repeated (up to `attempts`) while other processes took the cores these workers need; the least contended attempt counts.
    const best = await leastContendedAsync(
      workers,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), `infoplane-trials-bench-${workers}-`));
        const meter = contentionMeter();
        let poolStart = 0;
        const runSeconds: number[] = [];
        await runTrials([{ dir, spec, label: dir }], jobs, {
          workers,
          keepCurves: 'none',
          onStart: () => (poolStart = performance.now()),
          onFinished: (e) => e.seconds !== undefined && runSeconds.push(e.seconds),
        });
        const poolSeconds = (performance.now() - poolStart) / 1000;
        const c = meter();
        const lines = readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter(Boolean).sort();
        rmSync(dir, { recursive: true, force: true });
        const evenShare = runSeconds.reduce((a, b) => a + b, 0) / workers;
        return { ...c, lines, poolSeconds, runSeconds: median(runSeconds), unevenSeconds: poolSeconds - evenShare };
      },
      attempts,
    );
    rows.push({
      workers,
      seeds,
      wallSeconds: best.wallSeconds,
      poolSeconds: best.poolSeconds,
      runSeconds: best.runSeconds,
      unevenSeconds: best.unevenSeconds,
      trialsPerHour: (seeds / best.wallSeconds) * 3600,
      othersCores: best.othersCores,
      attempts: best.attempts,
    });
    journals.push(best.lines);
  }
  if (journals[0].join('\n') !== journals[1].join('\n')) throw new Error('trials bench: 1 and 2 workers journaled different lines for the same seeds');
  return { epochs, rows, speedup: rows[0].wallSeconds / rows[1].wallSeconds, poolSpeedup: rows[0].poolSeconds / rows[1].poolSeconds };
}

export function printTrialsBench(r: TrialsBenchResult): void {
  heading(`Trials: default net pruned global-weight 65%, ${r.epochs} epochs, MI every epoch; 1 vs 2 workers (lines identical: checked)`);
  console.log(
    table(
      ['workers', 'seeds', 'wall', 'pool phase', 'pool − runs ÷ workers', 'one run (median)', 'trials/hour', 'others (cores)', 'attempts'],
      r.rows.map((row) => [
        String(row.workers),
        String(row.seeds),
        `${fx(row.wallSeconds, 1)} s`,
        `${fx(row.poolSeconds, 1)} s`,
        `${fx(row.unevenSeconds, 1)} s`,
        `${fx(row.runSeconds, 2)} s`,
        fx(row.trialsPerHour, 0),
        `${fx(row.othersCores, 2)}${contended(row.othersCores, row.workers) ? ' (contended)' : ''}`,
        String(row.attempts),
      ]),
    ),
  );
  console.log(
    `speedup 1 → 2 workers: ${fx(r.speedup, 2)}× end to end (target ≥ 1.8×), ${fx(r.poolSpeedup, 2)}× in the pool phase ` +
      "(the end-to-end wall also holds the main thread's preflight and directory set-up, paid once per command; a worker's start-up is in both). " +
      'Pool − runs ÷ workers is what the pool spent beyond its runs shared evenly: worker start-up, and the tail where a worker waits for the last run.',
  );
}

if (isMain(import.meta.url)) printTrialsBench(await runTrialsBench(arg('--seeds', 4), arg('--epochs', 6), arg('--prune-amount', 0.65), arg('--attempts', 3)));
