// Trials throughput on 1 and 2 worker threads: the same seeds of the default
// net (784-1024-20-20-20-2 tanh, 8000/2000 rows, MI every epoch on all 10 000
// samples), each worker single-threaded in its kernels. Correctness first:
// every pool must journal identical lines (as a set) — the result of a seed
// does not depend on which worker ran it or how many there were. Then the
// speedup 1 → 2 workers (target ≥ 1.8×), next to how busy the machine was with
// other processes (it is shared: a neighbour's build takes a core away).
// The two pool sizes alternate in rounds (1, 2, then 2, 1, …), and each round's
// speedup compares two pools run back to back: this host's speed drifts by
// ±20% over minutes, which two pools run a whole phase apart would mistake for scaling.
//
//   npx tsx bench/trials.bench.ts [--seeds 4] [--epochs 6] [--prune-amount 0.65] [--rounds 2]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec, type Spec } from '../src/experiment/spec.ts';
import { runTrials } from '../src/experiment/trials/run-trials.ts';
import { contended, contentionMeter, fx, heading, isMain, median, table } from './common.ts';

export interface TrialsBenchRow {
  round: number;
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
}

export interface TrialsBenchResult {
  epochs: number;
  rows: TrialsBenchRow[];
  /** Per round: 1-worker wall ÷ 2-worker wall, end to end and in the pool phase. */
  speedups: number[];
  poolSpeedups: number[];
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function timedPool(spec: Spec, seeds: number, workers: number, round: number): Promise<{ row: TrialsBenchRow; journal: string }> {
  const jobs = Array.from({ length: seeds }, (_, i) => ({ target: 0, seed: i + 1 }));
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
  // Sorted: the lines as a set, whatever order the workers finished in.
  const journal = readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter(Boolean).sort().join('\n');
  rmSync(dir, { recursive: true, force: true });
  const evenShare = runSeconds.reduce((a, b) => a + b, 0) / workers;
  const row: TrialsBenchRow = {
    round,
    workers,
    seeds,
    wallSeconds: c.wallSeconds,
    poolSeconds,
    runSeconds: median(runSeconds),
    unevenSeconds: poolSeconds - evenShare,
    trialsPerHour: (seeds / c.wallSeconds) * 3600,
    othersCores: c.othersCores,
  };
  return { row, journal };
}

export async function runTrialsBench(seeds = 4, epochs = 6, amount = 0.65, rounds = 2): Promise<TrialsBenchResult> {
  // One kernel thread per worker, so 1 → 2 workers compares one core with two.
  const spec = parseSpec({ train: { epochs }, prune: { steps: [{ mode: 'global-weight', amount }] }, threads: 1 });
  const rows: TrialsBenchRow[] = [];
  const speedups: number[] = [];
  const poolSpeedups: number[] = [];
  let first: string | undefined;
  for (let round = 1; round <= rounds; round++) {
    const byWorkers = new Map<number, TrialsBenchRow>();
    for (const workers of round % 2 ? [1, 2] : [2, 1]) {
      const { row, journal } = await timedPool(spec, seeds, workers, round);
      first ??= journal;
      if (journal !== first) throw new Error(`trials bench: ${workers} workers journaled other lines for the same seeds (round ${round})`);
      rows.push(row);
      byWorkers.set(workers, row);
    }
    const [one, two] = [byWorkers.get(1)!, byWorkers.get(2)!];
    speedups.push(one.wallSeconds / two.wallSeconds);
    poolSpeedups.push(one.poolSeconds / two.poolSeconds);
  }
  return { epochs, rows, speedups, poolSpeedups };
}

export function printTrialsBench(r: TrialsBenchResult): void {
  heading(`Trials: default net pruned global-weight 65%, ${r.epochs} epochs, MI every epoch; 1 vs 2 workers in alternating rounds (lines identical: checked)`);
  console.log(
    table(
      ['round', 'workers', 'seeds', 'wall', 'pool phase', 'pool − runs ÷ workers', 'one run (median)', 'trials/hour', 'others (cores)'],
      r.rows.map((row) => [
        String(row.round),
        String(row.workers),
        String(row.seeds),
        `${fx(row.wallSeconds, 1)} s`,
        `${fx(row.poolSeconds, 1)} s`,
        `${fx(row.unevenSeconds, 1)} s`,
        `${fx(row.runSeconds, 2)} s`,
        fx(row.trialsPerHour, 0),
        `${fx(row.othersCores, 2)}${contended(row.othersCores, row.workers) ? ' (contended)' : ''}`,
      ]),
    ),
  );
  const each = (xs: number[]) => xs.map((x) => `${fx(x, 2)}×`).join(', ');
  console.log(
    `speedup 1 → 2 workers: median ${fx(median(r.speedups), 2)}× end to end over ${r.speedups.length} rounds (${each(r.speedups)}; target ≥ 1.8×), ` +
      `${fx(median(r.poolSpeedups), 2)}× in the pool phase (${each(r.poolSpeedups)}). ` +
      "The end-to-end wall also holds the main thread's preflight and directory set-up, paid once per command; a worker's start-up is in both. " +
      'Pool − runs ÷ workers is what the pool spent beyond its runs shared evenly: worker start-up, and the tail where a worker waits for the last run.',
  );
}

if (isMain(import.meta.url)) printTrialsBench(await runTrialsBench(arg('--seeds', 4), arg('--epochs', 6), arg('--prune-amount', 0.65), arg('--rounds', 2)));
