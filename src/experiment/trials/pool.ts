// A pool of worker threads running trials. Each worker takes the next job
// when it finishes one; results arrive in completion order. A worker that
// crashes (uncaught error, exit) fails only its current job and is replaced;
// a worker that dies before it is ready (a broken install) fails the pool.
//
// The worker is src/experiment/trials/worker.ts under tsx (tests, dev) and
// dist/experiment/trials/worker.js when compiled: the extension of this
// file's URL says which. Node 20 ignores `--import tsx` in a worker's
// execArgv, so a .ts worker starts from a one-line bootstrap that registers
// tsx's loader in the worker and then imports the worker module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskedEntry } from '../data-source.ts';
import type { Spec } from '../spec.ts';
import type { TrialRun } from './run-trial.ts';
import type { FromWorker, ToWorker } from './worker.ts';

export interface PoolJob {
  id: number;
  spec: Spec;
}

export type PoolResult = { ok: true; run: TrialRun } | { ok: false; message: string };

const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url);

// tsx's ESM API file, from its package.json (its CommonJS build imports a path that does not exist).
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return join(dirname(manifest), exports['./esm/api'].import.default);
}

/** A worker thread running the module at `url`: directly when compiled, through tsx's loader when a .ts source. */
export function startModuleWorker(url: URL, workerData?: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const tsxApi = pathToFileURL(tsxEsmApi()).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** What a trials worker is told at start: the pool's count of running jobs, its size, and the data already prepared. */
export interface TrialsWorkerData {
  /** Int32 [1]: the workers running a job right now. */
  running: SharedArrayBuffer;
  poolSize: number;
  /** The main thread's prepared source and task, in shared memory: the worker's runs split it without loading it. */
  data?: TaskedEntry;
}

export function startWorker(data: TrialsWorkerData): Worker {
  return startModuleWorker(workerUrl, data);
}

/**
 * Runs the jobs on `size` workers; onResult is called once per job, in the
 * main thread, in completion order (once per started job, when `stop` turns
 * true and the rest are dropped); onEpoch after each epoch a job trains, with the kernel
 * threads its run goes on with.
 * Rejects (after stopping the workers) when onResult throws or a worker cannot start.
 */
export function runPool(
  jobs: readonly PoolJob[],
  size: number,
  onResult: (job: PoolJob, result: PoolResult) => void,
  onEpoch?: (job: PoolJob, epoch: number, threads: number) => void,
  stop?: () => boolean,
  data?: TaskedEntry,
): Promise<void> {
  const queue = [...jobs];
  let pending = jobs.length;
  const live = new Set<Worker>();
  const poolSize = Math.min(size, jobs.length);
  // Raised for a worker's next job before lowered for its last one, so it never dips between them.
  const running = new Int32Array(new SharedArrayBuffer(4));
  return new Promise<void>((resolve, reject) => {
    if (pending === 0) return resolve();
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      for (const w of live) void w.terminate();
      reject(err);
    };
    const report = (job: PoolJob, result: PoolResult) => {
      try {
        onResult(job, result);
      } catch (err) {
        return fail(err);
      }
      // A met stopping rule drops the jobs not yet started; those in flight finish.
      if (stop?.()) pending -= queue.splice(0).length;
      if (--pending === 0 && !failed) {
        for (const w of live) void w.terminate();
        resolve();
      }
    };
    const spawn = () => {
      const worker = startWorker({ running: running.buffer as SharedArrayBuffer, poolSize, ...(data ? { data } : {}) });
      live.add(worker);
      let ready = false;
      let current: PoolJob | undefined;
      let crash: string | undefined;
      const next = () => {
        current = queue.shift();
        if (!current) return void worker.terminate();
        Atomics.add(running, 0, 1);
        worker.postMessage({ type: 'run', job: current.id, spec: current.spec } satisfies ToWorker);
      };
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          ready = true;
          return next();
        }
        if (msg.type === 'epoch') {
          if (current?.id === msg.job) onEpoch?.(current, msg.epoch, msg.threads);
          return;
        }
        const job = current;
        current = undefined;
        if (!job || job.id !== msg.job) return fail(new Error(`trials pool: worker answered job ${msg.job}, expected ${job?.id}`));
        report(job, msg.type === 'done' ? { ok: true, run: msg.run } : { ok: false, message: msg.message });
        if (!failed) next();
        Atomics.sub(running, 0, 1);
      });
      worker.on('error', (err) => {
        crash = `worker crashed: ${err.message}`;
      });
      worker.on('exit', (code) => {
        live.delete(worker);
        if (failed) return;
        if (!ready) return fail(new Error(`trials worker failed to start (exit code ${code}${crash ? `, ${crash}` : ''})`));
        const job = current;
        current = undefined;
        if (job) {
          Atomics.sub(running, 0, 1);
          report(job, { ok: false, message: crash ?? `worker exited with code ${code} while running seed ${job.spec.seed}` });
        }
        // A worker only ends on its own by crashing (finished ones are terminated with an empty queue): replace it.
        if (!failed && queue.length > 0) spawn();
      });
    };
    for (let i = 0; i < poolSize; i++) spawn();
  });
}
