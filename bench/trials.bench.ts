// Trials throughput on 1 and 2 worker threads: the same seeds of the default
// net (784-1024-20-20-20-2 tanh, 8000/2000 rows, MI every epoch on all 10 000
// samples), each worker single-threaded in its kernels. Correctness first:
// both runs must journal identical lines (as a set) — the result of a seed
// does not depend on which worker ran it or how many there were. Then the
// speedup 1 → 2 workers (target ≥ 1.8×) next to how busy the machine was with
// other processes (it is shared: a neighbour's build takes a core away).
//
//   npx tsx bench/trials.bench.ts [--seeds 4] [--epochs 2] [--prune-amount 0.65]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../src/experiment/spec.ts';
import { runTrials } from '../src/experiment/trials/run-trials.ts';
import { contended, contentionMeter, fx, heading, isMain, table } from './common.ts';

export interface TrialsBenchRow {
  workers: number;
  seeds: number;
  wallSeconds: number;
  trialsPerHour: number;
  othersCores: number;
}

export interface TrialsBenchResult {
  epochs: number;
  rows: TrialsBenchRow[];
  speedup: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

export async function runTrialsBench(seeds = 4, epochs = 2, amount = 0.65): Promise<TrialsBenchResult> {
  const spec = parseSpec({ train: { epochs }, prune: { steps: [{ mode: 'global-weight', amount }] } });
  const rows: TrialsBenchRow[] = [];
  const journals: string[][] = [];
  for (const workers of [1, 2]) {
    const dir = mkdtempSync(join(tmpdir(), `infoplane-trials-bench-${workers}-`));
    const jobs = Array.from({ length: seeds }, (_, i) => ({ target: 0, seed: i + 1 }));
    const meter = contentionMeter();
    await runTrials([{ dir, spec, label: dir }], jobs, { workers, keepCurves: 'none' });
    const c = meter();
    rows.push({ workers, seeds, wallSeconds: c.wallSeconds, trialsPerHour: (seeds / c.wallSeconds) * 3600, othersCores: c.othersCores });
    journals.push(readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').filter(Boolean).sort());
    rmSync(dir, { recursive: true, force: true });
  }
  if (journals[0].join('\n') !== journals[1].join('\n')) throw new Error('trials bench: 1 and 2 workers journaled different lines for the same seeds');
  return { epochs, rows, speedup: rows[0].wallSeconds / rows[1].wallSeconds };
}

export function printTrialsBench(r: TrialsBenchResult): void {
  heading(`Trials: default net pruned global-weight 65%, ${r.epochs} epochs, MI every epoch; 1 vs 2 workers (lines identical: checked)`);
  console.log(table(
    ['workers', 'seeds', 'wall', 'trials/hour', 'others (cores)'],
    r.rows.map((row) => [String(row.workers), String(row.seeds), `${fx(row.wallSeconds, 1)} s`, fx(row.trialsPerHour, 0), `${fx(row.othersCores, 2)}${contended(row.othersCores, row.workers) ? ' (contended)' : ''}`]),
  ));
  console.log(`speedup 1 → 2 workers: ${fx(r.speedup, 2)}× (target ≥ 1.8×; wall time includes worker start-up and the preflight)`);
}

if (isMain(import.meta.url)) printTrialsBench(await runTrialsBench(arg('--seeds', 4), arg('--epochs', 2), arg('--prune-amount', 0.65)));
