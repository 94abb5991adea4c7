// Epoch time of the default net 784-1024-20-20-20-2 tanh on the mnist package
// (parity task, seeded stratified split: 8000 train / 2000 test rows), batch
// 128, Adam 1e-3, through the project's own trainer. The training batches and
// the test-set evaluation are timed separately. Native on 1 and 2 threads, in
// the engine's default mode (on MNIST it picks the input-sparse layer-1
// kernels, which skip the ~81% zero pixels) and with layer 1 forced dense (the
// arithmetic torch does); the reference backend on a few batches,
// extrapolated (labelled as such). Correctness first: both native modes and
// the reference train the same batches from the same init and must agree.
// Then a per-kernel breakdown of one epoch.
//
//   npx tsx bench/epoch.bench.ts
import { createEngine } from '../src/train/engine.ts';
import type { Engine } from '../src/train/engine-types.ts';
import type { Network, OptimizerConfig } from '../src/train/model.ts';
import { nativeBackend, referenceBackend } from '../src/backend/registry.ts';
import { requireNativeAddon } from '../src/backend/native/addon.ts';
import { LayerStackEngine } from '../src/train/engine.ts';
import type { SplitDataset } from '../src/data/dataset.ts';
import { loadMnistPackage } from '../src/data/mnist-package.ts';
import { stratifiedSplit } from '../src/data/split.ts';
import { applyTask } from '../src/data/tasks.ts';
import { initialize } from '../src/train/init.ts';
import { createNetwork } from '../src/train/network.ts';
import { Rng } from '../src/core/rng.ts';
import { train } from '../src/train/trainer.ts';
import { contentionMeter, leastContended, fx, heading, isMain, median, pct, secs, table, timedMethods } from './common.ts';
import type { PeakResult } from './peak.ts';

export const SIZES = [784, 1024, 20, 20, 20, 2] as const;
export const BATCH = 128;
export const TRAIN_ROWS = 8000;
export const SEED = 1;
export const ADAM: OptimizerConfig = { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/**
 * GEMM flops of one epoch over `rows` samples: forward and weight gradient of
 * every layer, input gradient of every layer but the first (never needed).
 */
export function epochGemmFlops(rows: number, sizes: readonly number[] = SIZES): number {
  let perRow = 0;
  for (let l = 1; l < sizes.length; l++) {
    const mac = sizes[l - 1] * sizes[l];
    perRow += 2 * mac * (l === 1 ? 2 : 3);
  }
  return rows * perRow;
}

let cachedData: SplitDataset | undefined;
/** The bench's data: mnist package → parity → stratified split, 8000 train rows (the rest test). */
export function benchData(): SplitDataset {
  if (cachedData) return cachedData;
  const ds = applyTask(loadMnistPackage(), { kind: 'parity' });
  cachedData = stratifiedSplit(ds, Rng.stream(SEED, 'split'), { trainSize: TRAIN_ROWS, source: 'mnist-package', task: 'parity' });
  return cachedData;
}

export function benchNet(): Network {
  const net = createNetwork(SIZES, 'tanh');
  initialize(net, 'torch', Rng.stream(SEED, 'init'));
  return net;
}

/**
 * How the native engine runs the first layer: `auto` (its default: the
 * input-sparse kernels when under half the inputs are non-zero, as on MNIST)
 * or `dense` (forced: the same dense GEMMs torch runs, for a like-for-like ratio).
 */
export type InputMode = 'auto' | 'dense';

export interface NativeEpochs {
  threads: number;
  variant: string;
  inputMode: InputMode;
  /** The kernel the engine chose for layer 1 ('dense' or 'input-sparse'), from its kernel plan. */
  layer1Kernel: string;
  /** Seconds of the training batches, per measured epoch (after one warm-up epoch). */
  train: number[];
  /** Seconds of the test-set evaluation (2000 rows), per measured epoch. */
  evaluate: number[];
  trainMedian: number;
  evaluateMedian: number;
  finalTrainLoss: number;
  finalTestAcc: number;
  /** Other processes' load (cores) while these epochs ran. */
  othersCores: number;
  attempts?: number;
}

export interface ReferenceEstimate {
  batchesTimed: number;
  secondsPerBatch: number;
  /** secondsPerBatch × TRAIN_ROWS / BATCH: an extrapolation, not a measured epoch. */
  extrapolatedEpoch: number;
  evalRowsTimed: number;
  /** Timed evaluation scaled to the whole test set. */
  extrapolatedEvaluate: number;
  othersCores?: number;
}

export interface EpochCheck {
  batches: number;
  maxLossRelDiff: number;
  maxWeightDiff: number;
  evalLossRelDiff: number;
  ok: boolean;
}

export interface EpochResult {
  data: { train: number; test: number; task: string; inputDensity: number };
  gemmFlopsPerEpoch: number;
  check: EpochCheck;
  reference: ReferenceEstimate;
  native: NativeEpochs[];
  breakdown: KernelBreakdown[];
}

/** Fraction of non-zero values in the training inputs (MNIST: ~19%). */
export function trainInputDensity(): number {
  const x = benchData().train.x;
  let nz = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nz++;
  return nz / x.length;
}

/** Times `epochs` epochs (after one warm-up) through src/train/trainer.ts; retried while the machine is contended. */
export function timeNativeEpochs(threads: number, epochs = 5, maxAttempts = 3, inputMode: InputMode = 'auto'): NativeEpochs & { attempts: number } {
  return leastContended(threads, () => timeNativeEpochsOnce(threads, epochs, inputMode), maxAttempts);
}

function timeNativeEpochsOnce(threads: number, epochs: number, inputMode: InputMode): NativeEpochs {
  const data = benchData();
  const net = benchNet();
  const backend = nativeBackend(threads);
  const engineOptions = { inputKernel: inputMode };
  let layer1Kernel = '?';
  const trainS: number[] = [];
  const evalS: number[] = [];
  let epochStart = performance.now();
  let lastBatchEnd = epochStart;
  const meter = contentionMeter();
  const history = train({
    net,
    backend,
    engineOptions,
    data,
    epochs: epochs + 1,
    batchSize: BATCH,
    optimizer: ADAM,
    seed: SEED,
    onBatch: (b, n) => {
      if (b === n) lastBatchEnd = performance.now();
    },
    measure: (epoch, engine) => {
      if (epoch === 1) layer1Kernel = engine.kernelPlan?.()?.layers[0]?.kernel ?? 'dense (no plan)';
    },
    onEpoch: () => {
      const now = performance.now();
      trainS.push((lastBatchEnd - epochStart) / 1000);
      evalS.push((now - lastBatchEnd) / 1000);
      epochStart = now;
    },
  });
  const { othersCores } = meter();
  trainS.shift(); // epoch 1: warm-up (engine buffers faulted in, pool threads started)
  evalS.shift();
  const last = history[history.length - 1];
  return {
    threads,
    variant: requireNativeAddon().features().variant,
    inputMode,
    layer1Kernel,
    train: trainS,
    evaluate: evalS,
    trainMedian: median(trainS),
    evaluateMedian: median(evalS),
    finalTrainLoss: last.trainLoss,
    finalTestAcc: last.testAcc,
    othersCores,
  };
}

function gather(data: SplitDataset, batch: number): { x: Float32Array; y: Int32Array } {
  const f = data.train.features;
  const start = batch * BATCH;
  return { x: data.train.x.slice(start * f, (start + BATCH) * f), y: data.train.labels.slice(start, start + BATCH) };
}

/**
 * Correctness, then the reference's speed: native (1 thread) and reference
 * train the same `batches` batches from the same init; per-batch losses and a
 * final evaluation must agree. The reference batches after the first (JIT
 * warm-up) are the timing sample.
 */
export function checkAndTimeReference(batches = 4, evalRows = 512): { check: EpochCheck; reference: ReferenceEstimate } {
  const r = leastContended(
    1,
    () => {
      const meter = contentionMeter();
      const once = checkAndTimeReferenceOnce(batches, evalRows);
      return { ...once, othersCores: meter().othersCores };
    },
    2,
  );
  return { check: r.check, reference: { ...r.reference, othersCores: r.othersCores } };
}

function checkAndTimeReferenceOnce(batches: number, evalRows: number): { check: EpochCheck; reference: ReferenceEstimate } {
  const data = benchData();
  const modes: InputMode[] = ['auto', 'dense'];
  const nets = { auto: benchNet(), dense: benchNet(), reference: benchNet() };
  const engines: Record<InputMode | 'reference', Engine> = {
    auto: createEngine(nativeBackend(1), nets.auto, ADAM, BATCH, { inputKernel: 'auto' }),
    dense: createEngine(nativeBackend(1), nets.dense, ADAM, BATCH, { inputKernel: 'dense' }),
    reference: createEngine(referenceBackend, nets.reference, ADAM, BATCH),
  };
  let maxLossRelDiff = 0;
  const refTimes: number[] = [];
  for (let b = 0; b < batches; b++) {
    const { x, y } = gather(data, b);
    const native = modes.map((m) => engines[m].trainBatch(x, y, BATCH));
    const t0 = performance.now();
    const r = engines.reference.trainBatch(x, y, BATCH);
    if (b > 0) refTimes.push((performance.now() - t0) / 1000);
    for (const n of native) maxLossRelDiff = Math.max(maxLossRelDiff, Math.abs(n.lossSum - r.lossSum) / Math.abs(r.lossSum));
  }
  let maxWeightDiff = 0;
  for (const m of modes) {
    nets[m].layers.forEach((layer, l) => {
      const other = nets.reference.layers[l].weight;
      for (let i = 0; i < layer.weight.length; i++) maxWeightDiff = Math.max(maxWeightDiff, Math.abs(layer.weight[i] - other[i]));
    });
  }
  const tx = data.test.x.subarray(0, evalRows * data.test.features);
  const ty = data.test.labels.subarray(0, evalRows);
  const en = modes.map((m) => engines[m].evaluate(tx, ty, evalRows));
  const t0 = performance.now();
  const er = engines.reference.evaluate(tx, ty, evalRows);
  const evalSeconds = (performance.now() - t0) / 1000;
  const evalLossRelDiff = Math.max(...en.map((e) => Math.abs(e.lossSum - er.lossSum) / Math.abs(er.lossSum)));
  // float32 FMA chains vs double sums: ~1e-6 relative per product; a few Adam
  // steps can move a weight whose gradient is ~0 by up to lr either way, so
  // the weight difference is reported, and the losses are the pass/fail test.
  const ok = maxLossRelDiff < 1e-4 && evalLossRelDiff < 1e-3 && en.every((e) => e.correct === er.correct);
  const secondsPerBatch = median(refTimes);
  return {
    check: { batches, maxLossRelDiff, maxWeightDiff, evalLossRelDiff, ok },
    reference: {
      batchesTimed: refTimes.length,
      secondsPerBatch,
      extrapolatedEpoch: (secondsPerBatch * TRAIN_ROWS) / BATCH,
      evalRowsTimed: evalRows,
      extrapolatedEvaluate: (evalSeconds * data.test.rows) / evalRows,
    },
  };
}

/** Seconds per epoch spent in each kernel of the native training step (one epoch, after a warm-up epoch). */
export interface KernelBreakdown {
  threads: number;
  inputMode: InputMode;
  /** Kernel name → seconds in one epoch (summed over its calls); 'outside kernels' is the rest of the batch loop (row gathers, JS). */
  seconds: Record<string, number>;
  calls: Record<string, number>;
  total: number;
  othersCores: number;
}

/**
 * Where a native epoch goes: the engine over a timing wrapper of the addon's
 * kernels (one performance.now() pair per call, ~30 calls per batch: noise
 * well under 1%). linearForward etc. are split into the 784→1024 layer and the rest.
 */
export function nativeBreakdown(threads: number, inputMode: InputMode = 'auto'): KernelBreakdown & { attempts: number } {
  return leastContended(threads, () => nativeBreakdownOnce(threads, inputMode));
}

function nativeBreakdownOnce(threads: number, inputMode: InputMode): KernelBreakdown {
  const addon = requireNativeAddon();
  addon.setThreads(threads);
  const seconds: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const timed = timedMethods(addon, seconds, calls, (name, args) => {
    // the IN argument of the linear kernels is args[5] (linearForward/BackwardWeight: B, IN, OUT at 4..6; BackwardInput at 3..5)
    const dims = name === 'linearBackwardInput' ? args.slice(3, 6) : args.slice(4, 7);
    if (name.startsWith('linear')) return name + (dims[1] === 784 ? ' (784→1024)' : ' (small layers)');
    if (name === 'adamStep') return name + ((args[5] as number) > 100000 ? ' (784→1024 weights)' : ' (the rest)');
    return name;
  });
  const data = benchData();
  // As the epoch loop runs it: the first layer's public weights published once per epoch.
  const engine = new LayerStackEngine(timed, benchNet(), ADAM, BATCH, { inputKernel: inputMode, deferWeights: true });
  const f = data.train.features;
  const x = new Float32Array(BATCH * f);
  const y = new Int32Array(BATCH);
  let total = 0;
  let meter = contentionMeter();
  for (let epoch = 0; epoch < 2; epoch++) {
    for (const k of Object.keys(seconds)) {
      seconds[k] = 0;
      calls[k] = 0;
    }
    meter = contentionMeter();
    const t0 = performance.now();
    for (let start = 0; start < data.train.rows; start += BATCH) {
      const rows = Math.min(BATCH, data.train.rows - start);
      x.set(data.train.x.subarray(start * f, (start + rows) * f));
      y.set(data.train.labels.subarray(start, start + rows));
      engine.trainBatch(x, y, rows);
    }
    engine.publishWeights();
    total = (performance.now() - t0) / 1000;
  }
  const { othersCores } = meter();
  for (const k of Object.keys(calls))
    if (calls[k] === 0) {
      delete calls[k];
      delete seconds[k];
    } // helpers used only at setup
  const inKernels = Object.values(seconds).reduce((a, b) => a + b, 0);
  seconds['outside kernels'] = total - inKernels;
  return { threads, inputMode, seconds, calls, total, othersCores };
}

export function runEpoch(opts: { epochs?: number; threads?: number[] } = {}): EpochResult {
  const data = benchData();
  const { check, reference } = checkAndTimeReference();
  if (!check.ok) {
    throw new Error(
      `native vs reference training disagree (no native timings taken): batch loss rel diff ${check.maxLossRelDiff}, eval loss rel diff ${check.evalLossRelDiff}`,
    );
  }
  const threads = opts.threads ?? [1, 2];
  const native = (['auto', 'dense'] as const).flatMap((mode) => threads.map((t) => timeNativeEpochs(t, opts.epochs ?? 5, 3, mode)));
  const breakdown = [...threads.map((t) => nativeBreakdown(t, 'auto')), nativeBreakdown(1, 'dense')];
  return {
    data: { train: data.train.rows, test: data.test.rows, task: data.task, inputDensity: trainInputDensity() },
    gemmFlopsPerEpoch: epochGemmFlops(data.train.rows),
    check,
    reference,
    native,
    breakdown,
  };
}

export function printEpoch(res: EpochResult, peak?: PeakResult): void {
  heading(`Epoch: ${SIZES.join('-')} tanh, ${res.data.train} train / ${res.data.test} test rows (${res.data.task}), batch ${BATCH}, Adam 1e-3`);
  const c = res.check;
  console.log(
    `correctness: native vs reference over ${c.batches} batches from one init: batch loss rel diff ≤ ${c.maxLossRelDiff.toExponential(1)}, ` +
      `eval loss rel diff ${c.evalLossRelDiff.toExponential(1)}, max |Δw| ${c.maxWeightDiff.toExponential(1)} → ${c.ok ? 'ok' : 'FAIL'}`,
  );
  const rows = res.native.map((n) => [
    `native ${n.variant}, ${n.inputMode} → layer 1 ${n.layer1Kernel}`,
    String(n.threads),
    secs(n.trainMedian),
    `${secs(Math.min(...n.train))}–${secs(Math.max(...n.train))}`,
    secs(n.evaluateMedian),
    fx(res.gemmFlopsPerEpoch / n.trainMedian / 1e9),
    // Only meaningful where the epoch really does the dense flops.
    peak && n.layer1Kernel === 'dense' ? fx((100 * res.gemmFlopsPerEpoch) / n.trainMedian / 1e9 / (n.threads === 1 ? peak.peak1 : peak.peak2), 0) + '%' : '–',
    `${fx(n.othersCores, 2)}${n.attempts && n.attempts > 1 ? ` (${n.attempts} tries)` : ''}`,
  ]);
  const r = res.reference;
  rows.push([
    `reference (extrapolated from ${r.batchesTimed} batches / ${r.evalRowsTimed} eval rows)`,
    '1',
    secs(r.extrapolatedEpoch),
    '',
    secs(r.extrapolatedEvaluate),
    fx(res.gemmFlopsPerEpoch / r.extrapolatedEpoch / 1e9, 2),
    '',
    fx(r.othersCores, 2),
  ]);
  console.log(table(['backend', 'threads', 'train/epoch (median)', 'range', 'eval 2000 rows', 'dense-equiv GF/s', '% peak', 'others busy'], rows));
  for (const mode of ['auto', 'dense'] as const) {
    const n1 = res.native.find((n) => n.threads === 1 && n.inputMode === mode);
    const n2 = res.native.find((n) => n.threads === 2 && n.inputMode === mode);
    if (n1 && n2)
      console.log(
        `native ${mode}: 2T speed-up over 1T ${fx(n1.trainMedian / n2.trainMedian, 2)}×; 1T vs reference ${fx(r.extrapolatedEpoch / n1.trainMedian, 0)}× faster`,
      );
  }
  console.log(
    `napkin: one epoch's dense GEMM work is ${fx(res.gemmFlopsPerEpoch / 1e9, 2)} GFLOP (forward + dW of every layer, dx of layers 2..5)` +
      (peak
        ? ` = ${secs(res.gemmFlopsPerEpoch / 1e9 / peak.peak1)} at the 1-thread peak, ${secs(res.gemmFlopsPerEpoch / 1e9 / peak.peak2)} at the 2-thread peak`
        : '') +
      '.',
  );
  const l1 = 2 * 2 * TRAIN_ROWS * SIZES[0] * SIZES[1];
  console.log(
    `  the inputs are ${fx(100 * res.data.inputDensity, 1)}% non-zero: the input-sparse layer-1 kernels skip the zeros, so layer 1 needs only ` +
      `~${fx((l1 * res.data.inputDensity) / 1e9, 1)} of its ${fx(l1 / 1e9, 1)} GFLOP — "dense-equiv GF/s" then exceeds what the FMA units really do (no % of peak shown).`,
  );
  if (res.breakdown.length) {
    console.log('\nwhere a native epoch goes (training batches, kernels timed one by one; one epoch after a warm-up):');
    const keys = [...new Set(res.breakdown.flatMap((b) => Object.keys(b.seconds)))].sort(
      (a, b) => Math.max(...res.breakdown.map((x) => x.seconds[b] ?? 0)) - Math.max(...res.breakdown.map((x) => x.seconds[a] ?? 0)),
    );
    const col = (b: KernelBreakdown) => `${b.inputMode} ${b.threads}T`;
    console.log(
      table(
        ['kernel', 'calls/epoch', ...res.breakdown.map(col), ...res.breakdown.map((b) => `${col(b)} share`)],
        [
          ...keys.map((k) => [
            k,
            String(Math.max(...res.breakdown.map((b) => b.calls[k] ?? 0)) || ''),
            ...res.breakdown.map((b) => secs(b.seconds[k] ?? 0)),
            ...res.breakdown.map((b) => pct((b.seconds[k] ?? 0) / b.total)),
          ]),
          ['total', '', ...res.breakdown.map((b) => secs(b.total)), ...res.breakdown.map(() => '')],
          ['others busy (cores)', '', ...res.breakdown.map((b) => fx(b.othersCores, 2)), ...res.breakdown.map(() => '')],
        ],
      ),
    );
  }
  for (const n of res.native)
    console.log(
      `  native ${n.inputMode} ${n.threads}T after ${n.train.length + 1} epochs: train loss ${fx(n.finalTrainLoss, 4)}, test acc ${fx(100 * n.finalTestAcc, 1)}%`,
    );
}

if (isMain(import.meta.url)) {
  const { measurePeak, printPeak } = await import('./peak.ts');
  const peak = measurePeak();
  printPeak(peak);
  printEpoch(runEpoch(), peak);
}
