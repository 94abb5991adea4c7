// Runs trial jobs (seed × target directory) on a worker pool and journals
// each finished seed. Shared by `trials` (one target) and `sweep` (one target
// per grid cell, all cells in one queue so the workers never idle).
//
// Order of work, so that nothing is written for a command that cannot run:
// check every directory (read only) → preflight every spec → create the
// directories and spec.json, lock them, open the journals (cutting an
// interrupted last line) → skip the seeds already journaled → run the rest.
import { availableParallelism } from 'node:os';
import { DirectoryLock } from './lock.ts';
import { writeFileAtomically } from '../../core/atomic-write.ts';
import { CurveKeeper, type KeepCurves } from './keep-curves.ts';
import { type JournalContents, JOURNAL_FILE, JournalWriter } from './journal.ts';
import { type PoolJob, runPool } from './pool.ts';
import { Preflight } from './preflight.ts';
import { errorRecord, recordContext, type TrialRecord, trialRecord } from './record.ts';
import { checkTrialsDir, currentRecords, curvePath, initTrialsDir } from './trials-dir.ts';
import { sharedTaskedSource } from '../data-source.ts';
import { type Spec, specHash } from '../spec.ts';
import { join } from 'node:path';

export interface TrialsTarget {
  dir: string;
  spec: Spec;
  /** Names the target in messages (the sweep cell, or the directory). */
  label: string;
}

export interface TrialJob {
  target: number;
  seed: number;
}

export interface TrialFinished {
  record: TrialRecord;
  target: number;
  /** Jobs finished in this invocation, and how many it runs in all. */
  done: number;
  total: number;
  /** Wall seconds of the run (undefined for a crashed worker). */
  seconds?: number;
  keptCurves: boolean;
}

export interface RunTrialsOptions {
  workers?: number;
  keepCurves: KeepCurves;
  /** After every check passed, before any directory is created (a sweep writes sweep.json here). */
  onCreate?: () => void;
  /** After the directories are opened, before the first job starts. */
  onStart?: (info: { toRun: number; alreadyDone: number; workers: number; repaired: { target: number; bytes: number }[] }) => void;
  onFinished?: (event: TrialFinished) => void;
  /** After each epoch a running seed trains (progress within a seed). */
  onEpoch?: (event: TrialEpoch) => void;
  /** Stop starting jobs once this holds for the records (all targets, earlier invocations included); checked before the first job too. */
  stopWhen?: (records: readonly TrialRecord[][]) => boolean;
}

export interface TrialEpoch {
  target: number;
  seed: number;
  epoch: number;
  epochs: number;
}

export interface TrialsRunStats {
  ran: number;
  alreadyDone: number;
  errors: number;
  seconds: number;
  workers: number;
  /** Every record of every target (earlier invocations included), per target. */
  records: TrialRecord[][];
}

export const defaultWorkers = () => availableParallelism();

/**
 * Kernel threads of each worker: the spec's own, else the cores no worker would use shared
 * out (a lone seed runs on every core). Results do not depend on the thread count.
 */
export function workerKernelThreads(specThreads: number | undefined, workers: number, cores = availableParallelism()): number {
  return specThreads ?? Math.max(1, Math.floor(cores / Math.max(1, workers)));
}

export async function runTrials(targets: readonly TrialsTarget[], jobs: readonly TrialJob[], options: RunTrialsOptions): Promise<TrialsRunStats> {
  for (const t of targets) checkTrialsDir(t.dir, t.spec);
  const preflight = new Preflight();
  const firstSeed = new Map<number, number>();
  for (const j of jobs) if (!firstSeed.has(j.target)) firstSeed.set(j.target, j.seed);
  targets.forEach((t, i) => preflight.check({ ...t.spec, seed: firstSeed.get(i) ?? t.spec.seed, threads: 1 }, t.label));

  options.onCreate?.();
  const locks: DirectoryLock[] = [];
  const writers: JournalWriter[] = [];
  try {
    const opened: JournalContents[] = [];
    for (const t of targets) {
      initTrialsDir(t.dir, t.spec);
      locks.push(DirectoryLock.acquire(t.dir));
      const { writer, contents } = JournalWriter.open(join(t.dir, JOURNAL_FILE));
      writers.push(writer);
      opened.push(contents);
    }
    const records = opened.map((c, i) => currentRecords(targets[i].dir, c.records));
    const done = opened.map((c) => new Set(c.records.map((r) => r.seed)));
    const hashes = targets.map((t) => specHash(t.spec));
    const contexts = targets.map((t) => recordContext(t.spec));
    const keepers = targets.map((_t, i) => new CurveKeeper(options.keepCurves, contexts[i].thresholds.rareFraction, records[i]));
    const pending: PoolJob[] = [];
    const jobOf = new Map<number, TrialJob>();
    const stopped = () => options.stopWhen?.(records) ?? false;
    for (const job of stopped() ? [] : jobs) {
      if (done[job.target].has(job.seed)) continue;
      done[job.target].add(job.seed);
      const id = pending.length;
      jobOf.set(id, job);
      pending.push({ id, spec: { ...targets[job.target].spec, seed: job.seed } });
    }
    const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), pending.length));
    for (const p of pending) p.spec = { ...p.spec, threads: workerKernelThreads(p.spec.threads, workers) };
    const journaled = opened.map((c) => new Set(c.records.map((r) => r.seed)));
    const alreadyDone = jobs.filter((j) => journaled[j.target].has(j.seed)).length;
    options.onStart?.({
      toRun: pending.length,
      alreadyDone,
      workers,
      repaired: opened.map((c, target) => ({ target, bytes: c.truncatedTail })).filter((r) => r.bytes > 0),
    });
    const started = performance.now();
    let finished = 0;
    let errors = 0;
    await runPool(
      pending,
      workers,
      (poolJob, result) => {
        const job = jobOf.get(poolJob.id)!;
        const t = job.target;
        const record = result.ok ? trialRecord(result.run, contexts[t]) : errorRecord(hashes[t], job.seed, result.message);
        if (record.status === 'error') errors++;
        const keep = keepers[t].observe(record);
        if (keep && result.ok) {
          const { run } = result;
          const curves = {
            specHash: record.specHash,
            seed: record.seed,
            outcome: record.outcome,
            history: run.history,
            mi: run.mi,
            kde: run.kde,
            ...(run.ksg.length ? { ksg: run.ksg } : {}),
          };
          writeFileAtomically(curvePath(targets[t].dir, job.seed), JSON.stringify(curves) + '\n');
        }
        writers[t].append(record);
        records[t].push(record);
        finished++;
        options.onFinished?.({
          record,
          target: t,
          done: finished,
          total: pending.length,
          seconds: result.ok ? result.run.seconds : undefined,
          keptCurves: keep,
        });
      },
      options.onEpoch &&
        ((poolJob, epoch) => {
          const job = jobOf.get(poolJob.id)!;
          options.onEpoch!({ target: job.target, seed: job.seed, epoch, epochs: poolJob.spec.train.epochs });
        }),
      stopped,
      // The preflight prepared the data: the workers take it from there.
      pending.length ? sharedTaskedSource() : undefined,
    );
    return { ran: finished, alreadyDone, errors, seconds: (performance.now() - started) / 1000, workers, records };
  } finally {
    for (const w of writers) w.close();
    for (const l of locks) l.release();
  }
}
