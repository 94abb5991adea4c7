// Why two trials workers cannot scale like two cores: the first layer's Adam
// step is memory-bound (w, m, v of 784 × 1024 weights stream in and out each
// step), and two cores share one memory path. Measured side by side in one
// run, alternating:
//   1. the native Adam step over a first layer's worth of weights, on one
//      worker thread alone and on two worker threads at once (each its own
//      arrays): GB/s per thread and the 2-thread aggregate ÷ 1 thread;
//   2. the FMA peak on 1 and 2 threads (bench/peak.ts), the compute-bound
//      contrast.
// The first ratio bounds the trials pool's 1 → 2 worker speedup for the part
// of an epoch that streams layer 1's optimizer state.
//
//   npx tsx bench/bandwidth.bench.ts [--steps 60] [--repeats 3]
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { loadNativeAddon } from '../src/backend/native/addon.ts';
import { contentionMeter, fx, heading, isMain, median, table } from './common.ts';
import { measurePeak } from './peak.ts';

const WEIGHTS = 784 * 1024;
// Adam reads w, g, m, v, the mask and writes w, m, v: 8 floats of traffic per weight.
const BYTES_PER_WEIGHT = 8 * 4;

// Plain JavaScript run by each worker: its own arrays, `steps` Adam steps on one kernel thread.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const addon = require(workerData.addon);
addon.setThreads(1);
const n = workerData.weights;
const w = new Float32Array(n), g = new Float32Array(n), m = new Float32Array(n), v = new Float32Array(n), mask = new Float32Array(n);
for (let i = 0; i < n; i++) { g[i] = ((i * 2654435761) % 1000) / 1000 - 0.5; mask[i] = i % 3 ? 1 : 0; }
parentPort.on('message', (steps) => {
  const t0 = performance.now();
  for (let s = 1; s <= steps; s++) addon.adamStep(w, g, m, v, mask, n, 1e-3, 0.9, 0.999, 1e-8, s);
  parentPort.postMessage((performance.now() - t0) / 1000);
});
parentPort.postMessage('ready');
`;

function startWorker(addon: string): Promise<Worker> {
  const worker = new Worker(WORKER, { eval: true, workerData: { addon, weights: WEIGHTS } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

function run(worker: Worker, steps: number): Promise<number> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(steps);
  });
}

export interface BandwidthRow {
  threads: number;
  /** Seconds per step of each thread. */
  stepSeconds: number;
  /** Bytes per second of all threads together. */
  aggregate: number;
  othersCores: number;
}

export async function adamBandwidth(steps: number, repeats: number): Promise<BandwidthRow[]> {
  const { path, error } = loadNativeAddon();
  if (!path) throw new Error(error);
  const workers = [await startWorker(path), await startWorker(path)];
  const rows: BandwidthRow[] = [];
  try {
    await run(workers[0], 5); // warm: pages faulted in, caches primed
    await run(workers[1], 5);
    for (let r = 0; r < repeats; r++) {
      for (const threads of [1, 2]) {
        const meter = contentionMeter();
        const seconds = await Promise.all(workers.slice(0, threads).map((w) => run(w, steps)));
        const stepSeconds = median(seconds) / steps;
        rows.push({ threads, stepSeconds, aggregate: (threads * WEIGHTS * BYTES_PER_WEIGHT) / stepSeconds, othersCores: meter().othersCores });
      }
    }
  } finally {
    for (const w of workers) await w.terminate();
  }
  return rows;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (isMain(import.meta.url)) {
  const rows = await adamBandwidth(arg('--steps', 60), arg('--repeats', 3));
  heading(`Adam step over a first layer (${WEIGHTS} weights, ${BYTES_PER_WEIGHT} bytes each), one kernel thread per worker`);
  console.log(
    table(
      ['threads', 'ms per step', 'GB/s per thread', 'GB/s together', 'others'],
      rows.map((r) => [String(r.threads), fx(r.stepSeconds * 1e3, 2), fx(r.aggregate / r.threads / 1e9, 1), fx(r.aggregate / 1e9, 1), fx(r.othersCores, 2)]),
    ),
  );
  const one = median(rows.filter((r) => r.threads === 1).map((r) => r.aggregate));
  const two = median(rows.filter((r) => r.threads === 2).map((r) => r.aggregate));
  const peak = measurePeak();
  console.log(`memory-bound step: 2 threads move ${fx(two / one, 2)}× the bytes of 1 (median)`);
  console.log(`compute-bound FMA peak: 2 threads ${fx(peak.peak2 / peak.peak1, 2)}× 1 thread (${peak.peak2Basis})`);
  console.log(`load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
}
