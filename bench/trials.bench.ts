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
// With --cli each pool is the compiled command users run (`infoplane trials`, dist/ as
// built by `npm run build:ts`), timed end to end: its workers start without tsx's loader,
// and the wall holds everything the command does, the summary page included.
//
//   npx tsx bench/trials.bench.ts [--seeds 4] [--epochs 6] [--prune-amount 0.65] [--rounds 2] [--cli]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const compiledCli = join(repoRoot, 'bin/infoplane.js');

/** Refuses a dist/ missing or older than a source file: the CLI would time other code than this tree's. */
function checkCompiled(): void {
  const built = join(repoRoot, 'dist/cli/bin.js');
  if (!existsSync(built)) throw new Error(`trials bench --cli: ${built} is missing; run npm run build:ts first`);
  const builtAt = statSync(built).mtimeMs;
  const newer = readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' }).find(
    (f) => f.endsWith('.ts') && statSync(join(repoRoot, 'src', f)).mtimeMs > builtAt,
  );
  if (newer) throw new Error(`trials bench --cli: src/${newer} is newer than dist/; run npm run build:ts first`);
}

/** The journal's lines as a set (sorted), whatever order the workers finished in. */
function journalLines(dir: string): string {
  return readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter(Boolean).sort().join('\n');
}

/** One pool as the compiled `infoplane trials` command, timed end to end; the pool and run columns stay empty (NaN): the command does not report them. */
function timedCli(spec: Spec, seeds: number, workers: number, round: number): { row: TrialsBenchRow; journal: string } {
  const dir = mkdtempSync(join(tmpdir(), `infoplane-trials-cli-${workers}-`));
  const specFile = join(dir, 'bench-spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const out = join(dir, 'trials');
  const args = [compiledCli, 'trials', '--spec', specFile, '--workers', String(workers), '--seeds', `1..${seeds}`, '--keep-curves', 'none', '--out', out];
  const meter = contentionMeter();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const c = meter();
  if (child.status !== 0) throw new Error(`trials bench --cli: infoplane trials exited with ${child.status}: ${child.stderr}`);
  const journal = journalLines(out);
  rmSync(dir, { recursive: true, force: true });
  const row: TrialsBenchRow = {
    round,
    workers,
    seeds,
    wallSeconds: c.wallSeconds,
    poolSeconds: Number.NaN,
    runSeconds: Number.NaN,
    unevenSeconds: Number.NaN,
    trialsPerHour: (seeds / c.wallSeconds) * 3600,
    othersCores: c.othersCores,
  };
  return { row, journal };
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
  const journal = journalLines(dir);
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

export async function runTrialsBench(seeds = 4, epochs = 6, amount = 0.65, rounds = 2, cli = false): Promise<TrialsBenchResult> {
  if (cli) checkCompiled();
  // One kernel thread per worker, so 1 → 2 workers compares one core with two.
  const spec = parseSpec({ train: { epochs }, prune: { steps: [{ mode: 'global-weight', amount }] }, threads: 1 });
  const rows: TrialsBenchRow[] = [];
  const speedups: number[] = [];
  const poolSpeedups: number[] = [];
  let first: string | undefined;
  for (let round = 1; round <= rounds; round++) {
    const byWorkers = new Map<number, TrialsBenchRow>();
    for (const workers of round % 2 ? [1, 2] : [2, 1]) {
      const { row, journal } = cli ? timedCli(spec, seeds, workers, round) : await timedPool(spec, seeds, workers, round);
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

/** Seconds to `digits` decimals, or '–' where the command does not tell (--cli). */
const seconds = (v: number, digits: number) => (Number.isFinite(v) ? `${fx(v, digits)} s` : '–');

export function printTrialsBench(r: TrialsBenchResult): void {
  heading(`Trials: default net pruned global-weight 65%, ${r.epochs} epochs, MI every epoch; 1 vs 2 workers in alternating rounds (lines identical: checked)`);
  console.log(
    table(
      ['round', 'workers', 'seeds', 'wall', 'pool phase', 'pool − runs ÷ workers', 'one run (median)', 'trials/hour', 'others (cores)'],
      r.rows.map((row) => [
        String(row.round),
        String(row.workers),
        String(row.seeds),
        seconds(row.wallSeconds, 1),
        seconds(row.poolSeconds, 1),
        seconds(row.unevenSeconds, 1),
        seconds(row.runSeconds, 2),
        fx(row.trialsPerHour, 0),
        `${fx(row.othersCores, 2)}${contended(row.othersCores, row.workers) ? ' (contended)' : ''}`,
      ]),
    ),
  );
  const each = (xs: number[]) => xs.map((x) => `${fx(x, 2)}×`).join(', ');
  const pool = r.poolSpeedups.every(Number.isFinite)
    ? `${fx(median(r.poolSpeedups), 2)}× in the pool phase (${each(r.poolSpeedups)})`
    : 'the compiled command timed end to end';
  console.log(
    `speedup 1 → 2 workers: median ${fx(median(r.speedups), 2)}× end to end over ${r.speedups.length} rounds (${each(r.speedups)}; target ≥ 1.8×), ${pool}. ` +
      "The end-to-end wall also holds the main thread's preflight and directory set-up, paid once per command; a worker's start-up is in both. " +
      'Pool − runs ÷ workers is what the pool spent beyond its runs shared evenly: worker start-up, and the tail where a worker waits for the last run.',
  );
}

if (isMain(import.meta.url)) {
  printTrialsBench(
    await runTrialsBench(arg('--seeds', 4), arg('--epochs', 6), arg('--prune-amount', 0.65), arg('--rounds', 2), process.argv.includes('--cli')),
  );
}
