// The seed experiment's throughput beside PyTorch, measured side by side:
//   1. seeds per hour of the setting (default net 784-1024-20-20-20-2 tanh,
//      65% global weight pruning at init, 20 epochs, MI every epoch on all
//      10 000 samples, fixed:30): `infoplane trials --workers 2` against the
//      PyTorch peer (bench/torch_epoch.py --trial-seeds: torch pruning, the
//      IDNNs-style numpy estimator) as 2 processes of 1 thread;
//   2. one epoch on 1 thread (training batches + test evaluation, with and
//      without the MI measurement) of the same setting, infoplane's trainer
//      against the peer's;
//   3. where an infoplane epoch goes: layer-1 forward, layer-1 weight gradient
//      (the fused step with plain SGD, timed apart) and Adam (the fused Adam step
//      minus that), the other layers, evaluation, the MI forward and binning, as
//      fractions of the measured epoch and against a lower bound for each (FLOPs
//      at the measured FMA peak, bytes at the measured copy bandwidth of memory,
//      or of the last-level cache for Adam's state, which stays there between steps).
// The two sides alternate within each repeat, so each ratio compares two
// measurements taken seconds apart; each figure is printed with the load
// average and the other processes' CPU use while it ran (the machine may be shared).
//
//   npx tsx bench/seeds.bench.ts [--seeds 4] [--epochs 20] [--repeats 2] [--skip-trials | --parts-only]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { nativeBackend } from '../src/backend/registry.ts';
import type { SplitDataset } from '../src/data/dataset.ts';
import { createMiMeasurer } from '../src/experiment/mi-measure.ts';
import { buildNetwork, optimizerOf, prepareData, pruneAtInit } from '../src/experiment/prepare.ts';
import { runExperiment } from '../src/experiment/run.ts';
import { parseSpec, type Spec } from '../src/experiment/spec.ts';
import { runTrials } from '../src/experiment/trials/run-trials.ts';
import type { Engine } from '../src/train/engine-types.ts';
import { train } from '../src/train/trainer.ts';
import { contentionMeter, fx, heading, isMain, median, pct, secs, table, timedMethods } from './common.ts';
import { measurePeak } from './peak.ts';
import { PYTHON, peerDataArgs, peerEnv, torchUnavailable, writePeerData } from './torch-peer.ts';

const AMOUNT = 0.65;

/** The parts of an epoch, as the table names them. */
const PART = {
  forward: 'layer-1 forward',
  gradient: 'layer-1 weight gradient (fused step with SGD at lr 0, timed apart)',
  adam: 'layer-1 Adam (fused Adam step − that)',
  others: 'other layers and glue (training batches)',
  evaluation: 'evaluation (2000 test rows; 0 when the MI forward serves it)',
  miForward: 'MI forward (10 000 rows)',
  binning: 'binning (6 layers)',
  rest: 'the rest (publishing W, bookkeeping)',
} as const;

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function settingSpec(epochs: number, mi: boolean, threads?: number): Spec {
  return parseSpec({
    train: { epochs },
    prune: { steps: [{ mode: 'global-weight', amount: AMOUNT }] },
    mi: { epochs: mi ? 'every' : 'none' },
    ...(threads ? { threads } : {}),
  });
}

/** The peer in torch's best configuration (bench/torch-peer.ts), one thread. */
function peerArgs(dir: string, data: SplitDataset, extra: string[]): string[] {
  return [...peerDataArgs(dir, data), '--threads', '1', '--prune-global', String(AMOUNT), ...extra];
}

function runPeer(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { env: peerEnv(1) });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, unknown>) : reject(new Error(`torch peer failed: ${err}`))));
  });
}

/** CPU seconds of this process (all its threads) and its waited-for children, from /proc/self/stat. */
function cpuSeconds(): number {
  const self = readFileSync('/proc/self/stat', 'utf8');
  const f = self
    .slice(self.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (f[11] + f[12] + f[13] + f[14]) / 100; // utime, stime, cutime, cstime in USER_HZ
}

interface Timed {
  seconds: number;
  cpu: number;
  othersCores: number;
  load: string;
}

async function timed(run: () => Promise<unknown> | unknown): Promise<Timed> {
  const load = loadavg();
  const meter = contentionMeter();
  const cpu0 = cpuSeconds();
  await run();
  const c = meter();
  return { seconds: c.wallSeconds, cpu: cpuSeconds() - cpu0, othersCores: c.othersCores, load: `${load} → ${loadavg()}` };
}

// ---- 1. seeds per hour ------------------------------------------------------

export interface SeedsRow {
  repeat: number;
  infoplane: Timed;
  torch: Timed;
  seeds: number;
  ratio: number;
  cpuRatio: number;
}

export async function seedsPerHour(dir: string, data: SplitDataset, seeds: number, epochs: number, repeats: number): Promise<SeedsRow[]> {
  const spec = settingSpec(epochs, true);
  const rows: SeedsRow[] = [];
  const ids = Array.from({ length: seeds }, (_, i) => i + 1);
  for (let r = 1; r <= repeats; r++) {
    const infoplane = await timed(async () => {
      const out = mkdtempSync(join(tmpdir(), 'infoplane-seeds-bench-'));
      try {
        await runTrials(
          [{ dir: out, spec, label: out }],
          ids.map((seed) => ({ target: 0, seed })),
          { workers: 2, keepCurves: 'none' },
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
    // Two single-threaded processes, the seeds dealt out alternately (as the trials pool does).
    const halves = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)].filter((h) => h.length);
    const torch = await timed(() =>
      Promise.all(halves.map((h) => runPeer(peerArgs(dir, data, ['--epochs', String(epochs), '--mi', '--trial-seeds', h.join(',')])))),
    );
    rows.push({ repeat: r, infoplane, torch, seeds, ratio: torch.seconds / infoplane.seconds, cpuRatio: torch.cpu / infoplane.cpu });
  }
  return rows;
}

// ---- 2. one epoch on 1 thread -----------------------------------------------

export interface EpochRow {
  mi: boolean;
  infoplane: number;
  torch: number;
  ratio: number;
  infoplaneCpu: number;
  torchCpu: number;
  cpuRatio: number;
  othersCores: number;
  load: string;
}

/** Median wall and CPU seconds of one epoch (batches + evaluation + MI when on) after a warm-up epoch, through runExperiment. */
function infoplaneEpoch(mi: boolean, epochs: number): { wall: number; cpu: number } {
  const cpu: number[] = [];
  let last = process.cpuUsage();
  const r = runExperiment(settingSpec(epochs + 1, mi, 1), {
    onEpoch: () => {
      const now = process.cpuUsage();
      cpu.push((now.user - last.user + now.system - last.system) / 1e6);
      last = now;
    },
  });
  return { wall: median(r.epochSeconds.slice(1)), cpu: median(cpu.slice(1)) };
}

export async function oneEpoch(dir: string, data: SplitDataset, epochs: number, repeats: number): Promise<EpochRow[]> {
  const rows: EpochRow[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const mi of [false, true]) {
      const load = loadavg();
      const meter = contentionMeter();
      const ours = infoplaneEpoch(mi, epochs);
      const peer = await runPeer(peerArgs(dir, data, ['--epochs', String(epochs), '--warmup', '1', ...(mi ? ['--mi'] : [])]));
      const e = peer.epochs as { train: number[]; evaluate: number[]; mi: number[]; epoch_cpu: number[] };
      const theirs = median(e.train.map((t, i) => t + e.evaluate[i] + e.mi[i]));
      const theirsCpu = median(e.epoch_cpu);
      rows.push({
        mi,
        infoplane: ours.wall,
        torch: theirs,
        ratio: theirs / ours.wall,
        infoplaneCpu: ours.cpu,
        torchCpu: theirsCpu,
        cpuRatio: theirsCpu / ours.cpu,
        othersCores: meter().othersCores,
        load: `${load} → ${loadavg()}`,
      });
    }
  }
  return rows;
}

// ---- 3. the parts of an epoch -----------------------------------------------

export interface EpochParts {
  seconds: Record<string, number>;
  limits: Record<string, number>;
  total: number;
  othersCores: number;
  load: string;
  /** The row-update loop's GF/s over the FMA peak's (bench/peak.ts rowUpdate1), both on 1 thread. */
  rowCeiling: number;
  /** Of each part's lower bound, the seconds of layer 1's FLOPs at the FMA peak (that loop shape's work). */
  layer1: Record<string, number>;
}

/** Copy bandwidth (bytes read + written per second) between two buffers of `floats` each. */
function copyBandwidth(floats: number): number {
  const a = new Float32Array(floats);
  const b = new Float32Array(floats).fill(1);
  let best = Infinity;
  for (let i = 0; i < Math.max(5, (1 << 28) / floats); i++) {
    const t0 = performance.now();
    a.set(b);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return (2 * a.byteLength) / best;
}

function nonZeros(x: Float32Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) n++;
  return n;
}

/**
 * One epoch of the setting on 1 thread, after a warm-up epoch, through the trainer and the MI
 * measurer with a timing wrapper around the addon's kernels and the engine's evaluate.
 */
export function epochParts(): EpochParts {
  const spec = settingSpec(3, true, 1);
  const data = prepareData(spec);
  const net = buildNetwork(spec, data);
  pruneAtInit(net, spec);
  const addon = requireNativeAddon();
  addon.setThreads(1);
  const kernelSeconds: Record<string, number> = {};
  const timedAddon = timedMethods(addon, kernelSeconds);
  // The fused step's gradient part, timed apart in a third epoch just before each step, on its
  // own inputs: the same fused kernel with plain SGD at lr 0 (the gradient, the kept entries'
  // gather and scatter, and an update that costs one multiply-add) on scratch copies of Wt and
  // touched. The optimizer's part is epoch 2's Adam step minus it. (The third epoch keeps the
  // scratch copies from evicting Wt during epoch 2's other parts.)
  let splitting = false;
  let gradientAlone = 0;
  const splitAddon = new Proxy(timedAddon, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (prop !== 'inputSparseAdamStep' || !splitting) return v;
      return (...args: Parameters<typeof addon.inputSparseAdamStep>) => {
        const [Wt, , , keptPtr, keptIdx, touched, colPtr, rowIdx, colVal, dyRows, B, IN, OUT, ldW, ldDy] = args;
        const [wt, seen] = [Float32Array.from(Wt), Int32Array.from(touched)];
        const t0 = performance.now();
        addon.inputSparseSgdStep(wt, null, keptPtr, keptIdx, seen, colPtr, rowIdx, colVal, dyRows, B, IN, OUT, ldW, ldDy, 0, 0);
        gradientAlone += (performance.now() - t0) / 1000;
        return timedAddon.inputSparseAdamStep(...args);
      };
    },
  });
  const backend = { ...nativeBackend(1), kernels: () => splitAddon };
  const phase = { evaluate: 0, miForward: 0, measure: 0, train: 0 };
  let inMeasure = false;
  const wrap = (engine: Engine): void => {
    const evaluate = engine.evaluate.bind(engine);
    engine.evaluate = (...args) => {
      const t0 = performance.now();
      const r = evaluate(...args);
      if (!splitting) phase[inMeasure ? 'miForward' : 'evaluate'] += (performance.now() - t0) / 1000;
      return r;
    };
  };
  const measurer = createMiMeasurer(spec, data, () => undefined);
  let epochStart = 0;
  let lastBatch = 0;
  // The kernels' seconds at the end of epoch 2's batches: the layer-1 kernels also run in the evaluations.
  let batchKernels: Record<string, number> = {};
  let total = 0;
  let meter = contentionMeter();
  let load = '';
  train({
    net,
    backend,
    data,
    epochs: 3,
    batchSize: spec.train.batchSize,
    optimizer: optimizerOf(spec),
    seed: spec.seed,
    engineOptions: { inputKernel: 'sparse' },
    onBatch: (b, n) => {
      if (b === 1 && epochStart === 0) epochStart = performance.now();
      if (b === n && !splitting) {
        lastBatch = performance.now();
        batchKernels = { ...kernelSeconds };
      }
    },
    measure: (epoch, engine) => {
      if (epoch === 0) wrap(engine); // before the first test evaluation
      if (splitting) return measurer.measure(epoch, engine);
      inMeasure = true;
      const t0 = performance.now();
      const test = measurer.measure(epoch, engine);
      phase.measure += (performance.now() - t0) / 1000;
      inMeasure = false;
      if (epoch === 1) {
        // The warm-up epoch ends here, its MI included: counters restart for epoch 2.
        for (const k of Object.keys(kernelSeconds)) kernelSeconds[k] = 0;
        Object.assign(phase, { evaluate: 0, miForward: 0, measure: 0, train: 0 });
        load = loadavg();
        meter = contentionMeter();
        epochStart = performance.now();
      }
      if (epoch === 2) {
        total = (performance.now() - epochStart) / 1000;
        phase.train = (lastBatch - epochStart) / 1000;
        splitting = true;
      }
      return test; // the MI forward's test metrics, as runExperiment uses them
    },
  });
  const { othersCores } = meter();
  const k = (name: string) => batchKernels[name] ?? 0;
  const seconds: Record<string, number> = {
    [PART.forward]: k('inputSparseForward'),
    [PART.gradient]: gradientAlone,
    [PART.adam]: k('inputSparseAdamStep') - gradientAlone,
    [PART.others]: phase.train - k('inputSparseForward') - k('inputSparseAdamStep'),
    [PART.evaluation]: phase.evaluate,
    [PART.miForward]: phase.miForward,
    [PART.binning]: phase.measure - phase.miForward,
  };
  seconds[PART.rest] = total - Object.values(seconds).reduce((a, b) => a + b, 0);
  // Lower bounds: FLOPs at the 1-thread FMA peak; bytes at the copy bandwidth of memory (buffers far
  // larger than the caches) or, for Adam's state, of the last-level cache (a working set like its own).
  const probe = measurePeak();
  const peak = probe.peak1 * 1e9;
  const bandwidth = copyBandwidth(1 << 25);
  const cacheBandwidth = copyBandwidth(1 << 20);
  const width = net.layers[0].out;
  const nnzTrain = nonZeros(data.train.x);
  const nnzTest = nonZeros(data.test.x);
  const weights = net.layers[0].weight.length;
  const kept = nonZeros(net.layers[0].weightMask ?? new Float32Array(weights).fill(1));
  const steps = Math.ceil(data.train.rows / spec.train.batchSize);
  const smallMacs = net.layers.slice(1).reduce((s, l) => s + l.in * l.out, 0);
  const layer1 = {
    [PART.forward]: (2 * nnzTrain * width) / peak,
    [PART.gradient]: (2 * nnzTrain * width) / peak,
    [PART.evaluation]: (2 * nnzTest * width) / peak,
    [PART.miForward]: (2 * (nnzTrain + nnzTest) * width) / peak,
  };
  const limits: Record<string, number> = {
    ...layer1,
    // Adam steps the kept weights only: the compact m and v in and out, per step, from the
    // last-level cache (with w and the kept positions, ~7 MB at 65% pruning, it stays there).
    [PART.adam]: (steps * kept * 4 * 4) / cacheBandwidth,
    [PART.others]: (data.train.rows * smallMacs * 2 * 3) / peak,
    [PART.evaluation]: layer1[PART.evaluation] + (data.test.rows * smallMacs * 2) / peak,
    [PART.miForward]: layer1[PART.miForward] + ((data.train.rows + data.test.rows) * smallMacs * 2) / peak,
    // Reading every activation once.
    [PART.binning]: ((data.train.rows + data.test.rows) * net.layers.reduce((s, l) => s + l.out, 0) * 4) / bandwidth,
    [PART.rest]: (weights * 4 * 2) / bandwidth,
  };
  return { seconds, limits, total, othersCores, load: `${load} → ${loadavg()}`, rowCeiling: (probe.rowUpdate1 ?? NaN) / probe.peak1, layer1 };
}

// ---- report -----------------------------------------------------------------

function printAll(seeds: SeedsRow[] | undefined, epochs: EpochRow[], parts: EpochParts, epochsPerSeed: number): void {
  if (seeds) {
    heading(
      `Seeds per hour: 65% global weight pruning, ${epochsPerSeed} epochs, MI every epoch on all 10 000 samples; infoplane trials --workers 2 vs torch as 2 processes × 1 thread`,
    );
    console.log(
      table(
        ['repeat', 'seeds', 'infoplane wall', 'CPU', 'seeds/h', 'others', 'load', 'torch wall', 'CPU', 'seeds/h', 'others', 'load', 'ratio wall', 'ratio CPU'],
        seeds.map((r) => [
          String(r.repeat),
          String(r.seeds),
          secs(r.infoplane.seconds),
          secs(r.infoplane.cpu),
          fx((3600 * r.seeds) / r.infoplane.seconds, 0),
          fx(r.infoplane.othersCores, 2),
          r.infoplane.load,
          secs(r.torch.seconds),
          secs(r.torch.cpu),
          fx((3600 * r.seeds) / r.torch.seconds, 0),
          fx(r.torch.othersCores, 2),
          r.torch.load,
          `${fx(r.ratio, 2)}×`,
          `${fx(r.cpuRatio, 2)}×`,
        ]),
      ),
    );
    console.log(
      `median ratio ${fx(median(seeds.map((r) => r.ratio)), 2)}× in wall time, ${fx(median(seeds.map((r) => r.cpuRatio)), 2)}× in CPU time (target ≥ 6×)`,
    );
  }
  heading('One epoch of the setting on 1 thread (batches + test evaluation [+ MI on 10 000 samples]), median after a warm-up epoch');
  console.log(
    table(
      ['MI', 'infoplane wall', 'torch wall', 'ratio', 'infoplane CPU', 'torch CPU', 'ratio CPU', 'others', 'load'],
      epochs.map((r) => [
        r.mi ? 'every epoch' : 'none',
        secs(r.infoplane),
        secs(r.torch),
        `${fx(r.ratio, 2)}×`,
        secs(r.infoplaneCpu),
        secs(r.torchCpu),
        `${fx(r.cpuRatio, 2)}×`,
        fx(r.othersCores, 2),
        r.load,
      ]),
    ),
  );
  console.log('targets: ≥ 6× with MI, ≥ 5× without');
  heading(
    `Where an infoplane epoch goes (1 thread, MI every epoch, layer 1 on the input-sparse kernels; others ${fx(parts.othersCores, 2)} cores, load ${parts.load})`,
  );
  const rows = Object.entries(parts.seconds).map(([name, s]) => [
    name,
    secs(s),
    pct(s / parts.total),
    secs(parts.limits[name]),
    `${fx(s / parts.limits[name], 1)}×`,
  ]);
  rows.push(['total', secs(parts.total), '100%', secs(Object.values(parts.limits).reduce((a, b) => a + b, 0)), '']);
  console.log(table(['part', 'seconds', 'share', 'lower bound', 'measured ÷ bound'], rows));
  // The FMA peak is out of the layer-1 loops' reach: each FMA also loads a row vector.
  const atCeiling = parts.limits[PART.forward] / parts.rowCeiling;
  console.log(
    `Their own loop shape runs at ${pct(parts.rowCeiling)} of the FMA peak with every operand in L1 (bench/fma-peak.cc rows-avx2); ` +
      `at that rate layer 1's FLOPs take ${secs(atCeiling)} each way: the forward is ${fx(parts.seconds[PART.forward] / atCeiling, 1)}× that, the gradient ${fx(parts.seconds[PART.gradient] / atCeiling, 1)}×.`,
  );
}

/**
 * An upper bound on what tuning could report: layer 1's FLOPs (training, evaluation and the MI
 * forward) at their loop shape's L1 rate, every other part at its lower bound, divided into
 * torch's measured epoch. Not a reachable figure: the layer-1 loops run only ~1.5× faster with
 * every row they read in L1 (native/kernels/input_sparse-inl.h), and no layout keeps them there.
 */
function printBestCase(parts: EpochParts, epochs: EpochRow[]): void {
  const best = (name: string) => parts.limits[name] - (parts.layer1[name] ?? 0) + (parts.layer1[name] ?? 0) / parts.rowCeiling;
  const names = Object.keys(parts.limits);
  const withMi = names.filter((n) => n !== PART.evaluation);
  const withoutMi = names.filter((n) => n !== PART.miForward && n !== PART.binning);
  const lines = [
    { mi: false, label: 'without MI', target: 5, seconds: withoutMi.reduce((s, n) => s + best(n), 0) },
    { mi: true, label: 'with MI', target: 6, seconds: withMi.reduce((s, n) => s + best(n), 0) },
  ].map(({ mi, label, target, seconds }) => {
    const torch = epochs.filter((r) => r.mi === mi).map((r) => r.torch);
    const ratio = torch.length ? `: torch's median epoch ${secs(median(torch))} ÷ that = ${fx(median(torch) / seconds, 2)}× (target ≥ ${target}×)` : '';
    return `${label} ${secs(seconds)}${ratio}`;
  });
  console.log(`At best (layer 1 at that rate, every other part at its lower bound) an epoch takes ${lines.join('; ')}.`);
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (isMain(import.meta.url)) {
  const skipped = torchUnavailable();
  if (skipped) {
    console.log(`PyTorch peer unavailable: ${skipped}`);
  } else {
    const data = prepareData(settingSpec(1, true));
    const dir = mkdtempSync(join(tmpdir(), 'infoplane-seeds-peer-'));
    try {
      writePeerData(dir, data);
      const epochs = arg('--epochs', 20);
      const repeats = arg('--repeats', 2);
      const partsOnly = process.argv.includes('--parts-only');
      const seeds = partsOnly || process.argv.includes('--skip-trials') ? undefined : await seedsPerHour(dir, data, arg('--seeds', 4), epochs, repeats);
      const one = partsOnly ? [] : await oneEpoch(dir, data, 3, repeats);
      const parts = epochParts();
      printAll(seeds, one, parts, epochs);
      printBestCase(parts, one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
