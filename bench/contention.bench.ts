// How much each part of a seed run slows when a second trials worker runs the
// same work beside it, which is what bounds the pool's 1 → 2 worker speedup.
// Two worker threads of one process (as in `infoplane trials --workers 2`):
// the twin works in even periods and sleeps in odd ones, and the measuring
// worker times every unit of the same part and files it by the twin's phase.
// Both phases interleave within one measurement, so the host's slow drifts in
// speed (±20% between runs minutes apart on this shared machine) fall equally
// on both sides of each ratio. Parts, in the setting of bench/seeds.bench.ts
// (the default net, 65% global weight pruning, MI on all 10 000 samples), after
// a control that touches no memory (it shows whether the two CPUs are cores of their own):
//   - a training batch (128 rows: forward, backward, the fused layer-1 step);
//   - the MI measurement of an epoch (the forward over 10 000 samples, binning);
//   - a run's start-up (data, network, pruning, kernel plan, the first batch);
//   - a whole run of 2 epochs;
//   - an epoch inside a long run, beside the twin's own long run (the twin pauses
//     in its epoch hook through odd periods): the unit as a trials worker runs it,
//     each side's training and MI phases meeting in every combination.
//
//   npx tsx bench/contention.bench.ts [--seconds 40]
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { nativeBackend } from '../src/backend/registry.ts';
import { createMiMeasurer } from '../src/experiment/mi-measure.ts';
import { buildNetwork, optimizerOf, prepareData, pruneAtInit } from '../src/experiment/prepare.ts';
import { runExperiment } from '../src/experiment/run.ts';
import { parseSpec } from '../src/experiment/spec.ts';
import { startModuleWorker } from '../src/experiment/trials/pool.ts';
import { createEngine } from '../src/train/engine.ts';
import { fx, heading, isMain, median, table } from './common.ts';

const PARTS = ['control: a loop in registers', 'training batch', 'MI measurement', 'run start-up', 'whole run (2 epochs)', 'epoch of a long run'] as const;
type Part = (typeof PARTS)[number];

interface Task {
  part: Part;
  role: 'twin' | 'measure';
  /** Date.now() at which period 0 (twin busy) starts. */
  start: number;
  seconds: number;
  periodMs: number;
  /** Units starting this soon after a phase change are not filed (the twin is still starting or stopping). */
  settleMs: number;
}

interface Timings {
  alone: number[];
  beside: number[];
}

function settingSpec(epochs: number) {
  return parseSpec({ train: { epochs }, prune: { steps: [{ mode: 'global-weight', amount: 0.65 }] }, mi: { epochs: 'every' }, threads: 1 });
}

/** One unit of a part, ready to repeat. */
function unitOf(part: Part): () => void {
  if (part === 'control: a loop in registers') return registerLoop;
  const spec = settingSpec(part === 'whole run (2 epochs)' ? 2 : 1);
  if (part === 'whole run (2 epochs)') {
    let seed = 1;
    return () => void runExperiment({ ...spec, seed: seed++ });
  }
  const backend = nativeBackend(1);
  const batch = spec.train.batchSize;
  const startUp = () => {
    const data = prepareData(spec);
    const net = buildNetwork(spec, data);
    pruneAtInit(net, spec);
    return { data, engine: createEngine(backend, net, optimizerOf(spec), batch, { deferWeights: true }) };
  };
  if (part === 'run start-up') {
    return () => {
      const { data, engine } = startUp();
      engine.trainBatch(data.train.x, data.train.labels, batch);
    };
  }
  const { data, engine } = startUp();
  const features = data.train.features;
  const batches = Math.floor(data.train.rows / batch);
  let b = 0;
  if (part === 'training batch') {
    return () => {
      const row = (b++ % batches) * batch;
      engine.trainBatch(data.train.x.subarray(row * features, (row + batch) * features), data.train.labels.subarray(row, row + batch), batch);
    };
  }
  const measurer = createMiMeasurer(spec, data, () => undefined);
  return () => void measurer.measure(b++ % 2, engine); // epochs 0 and 1: both measured under mi.epochs 'every'
}

// Touches no memory: it slows beside its twin only when the two CPUs share a core (the host
// may place both virtual CPUs on one), which would make every other row meaningless.
let loopSink = 0;
function registerLoop(): void {
  let x = loopSink;
  for (let i = 0; i < 2_000_000; i++) x = (x * 1_103_515_245 + i) | 0;
  loopSink = x;
}

/** Where `now` falls in the twin's busy/idle periods. */
function phaseAt(task: Task, now: number): { twinBusy: boolean; into: number } {
  const since = now - task.start;
  return { twinBusy: Math.floor(since / task.periodMs) % 2 === 0, into: since % task.periodMs };
}

class PartOver extends Error {}

/**
 * The epochs of one long run, each filed by the twin's phase when it began and ended in the
 * same settled phase; the twin's run sleeps in its epoch hook through idle periods.
 */
function longRunWork(task: Task): Timings {
  const timings: Timings = { alone: [], beside: [] };
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const end = task.start + task.seconds * 1000;
  let last: { at: number; twinBusy: boolean; settled: boolean } | undefined;
  const onEpoch = () => {
    const now = Date.now();
    if (now >= end) throw new PartOver();
    if (now < task.start) return; // warming up
    const p = phaseAt(task, now);
    if (task.role === 'twin') {
      if (!p.twinBusy) Atomics.wait(pause, 0, 0, task.periodMs - p.into);
      return;
    }
    const at = performance.now();
    if (last?.settled && last.twinBusy === p.twinBusy) timings[p.twinBusy ? 'beside' : 'alone'].push((at - last.at) / 1000);
    last = { at, twinBusy: p.twinBusy, settled: p.into >= task.settleMs };
  };
  try {
    runExperiment({ ...settingSpec(100_000), seed: task.role === 'twin' ? 2 : 1 }, { onEpoch });
  } catch (err) {
    if (!(err instanceof PartOver)) throw err;
  }
  return timings;
}

function work(task: Task): Timings {
  if (task.part === 'epoch of a long run') return longRunWork(task);
  const unit = unitOf(task.part);
  for (let i = 0; i < 2; i++) unit(); // warm: pages faulted in, plans made
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const timings: Timings = { alone: [], beside: [] };
  const end = task.start + task.seconds * 1000;
  while (Date.now() < task.start) Atomics.wait(pause, 0, 0, 1);
  while (Date.now() < end) {
    const { twinBusy, into } = phaseAt(task, Date.now());
    if (task.role === 'twin') {
      if (twinBusy) unit();
      else Atomics.wait(pause, 0, 0, task.periodMs - into);
      continue;
    }
    const t0 = performance.now();
    unit();
    const seconds = (performance.now() - t0) / 1000;
    // Filed only when the unit lay wholly within one settled phase.
    if (into >= task.settleMs && into + seconds * 1000 < task.periodMs) timings[twinBusy ? 'beside' : 'alone'].push(seconds);
  }
  return timings;
}

export interface ContentionRow {
  part: Part;
  alone: number;
  beside: number;
  units: [number, number];
}

/** Parts whose units take seconds: longer periods and measurements. */
const isLong = (part: Part) => part === 'whole run (2 epochs)' || part === 'epoch of a long run';

async function measurePart(part: Part, seconds: number): Promise<ContentionRow> {
  const long = isLong(part);
  const base = { part, start: Date.now() + 15_000, seconds, periodMs: long ? 8000 : 4000, settleMs: long ? 1500 : 800 };
  const results = (['twin', 'measure'] as const).map(
    (role) =>
      new Promise<Timings>((resolve, reject) => {
        const worker = startModuleWorker(new URL(import.meta.url), { ...base, role } satisfies Task);
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  const [, t] = await Promise.all(results);
  return { part, alone: median(t.alone), beside: median(t.beside), units: [t.alone.length, t.beside.length] };
}

export async function contention(seconds: number): Promise<ContentionRow[]> {
  const rows: ContentionRow[] = [];
  for (const part of PARTS) rows.push(await measurePart(part, isLong(part) ? 2 * seconds : seconds));
  return rows;
}

export function printContention(rows: ContentionRow[]): void {
  heading('A part of a seed run with a second worker busy beside it (2 worker threads, 1 kernel thread each; phases interleaved)');
  console.log(
    table(
      ['part', 'alone (median)', 'beside a busy twin', 'slowdown', '2-worker scaling of this part', 'units (alone/beside)'],
      rows.map((r) => [
        r.part,
        `${fx(r.alone * 1000, 1)} ms`,
        `${fx(r.beside * 1000, 1)} ms`,
        `${fx((r.beside / r.alone - 1) * 100, 1)}%`,
        `${fx((2 * r.alone) / r.beside, 2)}×`,
        `${r.units[0]}/${r.units[1]}`,
      ]),
    ),
  );
}

if (!isMainThread) parentPort!.postMessage(work(workerData as Task));
else if (isMain(import.meta.url)) {
  const i = process.argv.indexOf('--seconds');
  printContention(await contention(i >= 0 ? Number(process.argv[i + 1]) : 40));
}
