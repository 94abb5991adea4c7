// The worker thread of a trials pool: receives one spec at a time, runs it
// (native kernels on the spec's threads: one each when the pool fills the cores;
// a run going alone widens to the pool's idle cores, see tail-threads.ts),
// and posts the plain-data result back. An exception is reported for that seed
// and the worker goes on with the next.
//
// INFOPLANE_TRIALS_FAULT (tests only) injects failures by seed, e.g.
// "3:throw,5:exit,7:uncaught": throw inside the run, exit the thread with
// code 3, or throw outside any handler (the pool sees a crashed worker).
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadNativeAddon } from '../../backend/native/addon.ts';
import { primeTaskedSource } from '../data-source.ts';
import type { Spec } from '../spec.ts';
import type { TrialsWorkerData } from './pool.ts';
import { runTrial } from './run-trial.ts';
import { tailThreads } from './tail-threads.ts';

export type ToWorker = { type: 'run'; job: number; spec: Spec };
export type FromWorker =
  | { type: 'ready' }
  /** threads: the kernel threads the run goes on with (more than its spec's once it widens for the tail). */
  | { type: 'epoch'; job: number; epoch: number; threads: number }
  | { type: 'done'; job: number; run: import('./run-trial.ts').TrialRun }
  | { type: 'failed'; job: number; message: string };

const faults = new Map(
  (process.env.INFOPLANE_TRIALS_FAULT ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => f.split(':') as [string, string])
    .map(([seed, kind]) => [Number(seed), kind]),
);

const port = parentPort;
if (!port) throw new Error('trials worker: must run as a worker thread (src/experiment/trials/pool.ts starts it)');
const pool = workerData as TrialsWorkerData;
if (pool.data) primeTaskedSource(pool.data);
const running = new Int32Array(pool.running);

/**
 * After an epoch: a run going alone (the others done, or not started yet) widens its kernel
 * threads to the pool's idle cores; each run starts on its spec's own. Returns the threads it
 * goes on with.
 */
function widenIfLast(spec: Spec): number {
  const addon = loadNativeAddon().addon;
  const widened = tailThreads(Atomics.load(running, 0), pool.poolSize, spec.threads ?? 1, availableParallelism());
  if (widened !== undefined) addon?.setThreads(widened);
  return addon?.features().threads ?? spec.threads ?? 1;
}

port.on('message', (msg: ToWorker) => {
  const fault = faults.get(msg.spec.seed);
  if (fault === 'exit') process.exit(3);
  if (fault === 'uncaught') {
    setImmediate(() => {
      throw new Error(`injected uncaught fault for seed ${msg.spec.seed}`);
    });
    return;
  }
  try {
    if (fault === 'throw') throw new Error(`injected fault for seed ${msg.spec.seed}`);
    port.postMessage({
      type: 'done',
      job: msg.job,
      run: runTrial(msg.spec, (epoch) => port.postMessage({ type: 'epoch', job: msg.job, epoch, threads: widenIfLast(msg.spec) } satisfies FromWorker)),
    } satisfies FromWorker);
  } catch (err) {
    port.postMessage({ type: 'failed', job: msg.job, message: (err as Error).message ?? String(err) } satisfies FromWorker);
  }
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
