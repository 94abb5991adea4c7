// Sparse vs dense speed, measured honestly: the library
// behind `infoplane bench` and bench/sparse.bench.ts, bench/input-sparse.bench.ts.
//
//  - layer kernels: per layer shape, batch and thread count, the dense GEMMs
//    against the CSR kernels across unstructured sparsities (forward, weight
//    gradient, input gradient, and the per-step value syncs the engine pays),
//    with the crossover sparsity; and against the compacted GEMMs of neuron
//    pruning;
//  - the first layer on real inputs: dense vs input-sparse forward + weight
//    gradient on the run's own training batches, and the full-set forward
//    (evaluation with activations, as the MI pass runs it);
//  - whole epochs through the trainer: dense (masked) vs the sparse paths.
// Correctness comes first: every sparse measurement is preceded by a check
// that its outputs equal the dense kernels' bit for bit, and a mismatch throws.
import { timeFastest } from '../core/fastest.ts';
import { fillLcg } from '../core/lcg-fill.ts';
import { createEngine } from '../train/engine.ts';
import type { EngineOptions, KernelPlan } from '../train/engine-types.ts';
import { alignedFloat32, paddedStride, tiledLength } from '../backend/kernels.ts';
import type { Layer, Network } from '../train/model.ts';
import { type CandidateProblem, type CandidateStep, candidateStep } from '../train/kernel-autotune.ts';
import { requireNativeAddon } from '../backend/native/addon.ts';
import { nativeBackend } from '../backend/registry.ts';
import { inputDensity } from '../train/sparse-structure.ts';
import type { SplitDataset } from '../data/dataset.ts';
import { train } from '../train/trainer.ts';
import { buildNetwork, optimizerOf, pruneAtInit } from '../experiment/prepare.ts';
import { parseSpec, type Spec, type SpecInput } from '../experiment/spec.ts';

export interface LayerShape {
  out: number;
  in: number;
}
export const shapeName = (s: LayerShape) => `${s.in}→${s.out}`;

/** A buffer starting on a cache line, as the engine allocates its own (see alignedFloat32). */
const f32 = (n: number) => alignedFloat32(n, requireNativeAddon());

const seeded = (n: number, seed: number, scale = 1): Float32Array => fillLcg(f32(n), seed, scale);

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (x[i] !== y[i]) throw new Error(`bench check failed: ${what} differs from the dense kernels at [${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Seconds of one training step's products of a layer (and the syncs a sparse layer pays). */
export interface StepTimes {
  forward: number;
  /** Weight (and bias) gradient. */
  weight: number;
  /** Input gradient (not needed by a first layer). */
  input: number;
  /** Per-step value gathers/scatters or transposes of the sparse path (0 for dense). */
  sync: number;
}

const total = (t: StepTimes) => t.forward + t.weight + t.input + t.sync;
const firstLayerTotal = (t: StepTimes) => t.forward + t.weight + t.sync;

export interface UnstructuredRow {
  shape: string;
  batch: number;
  threads: number;
  sparsity: number;
  kept: number;
  dense: StepTimes;
  sparse: StepTimes;
  /** dense ÷ sparse time: forward, backward (weight + input gradients), fwd+bwd (all three + syncs), and fwd + weight gradient (a first layer). */
  speedup: { forward: number; backward: number; total: number; firstLayer: number };
  /** Useful GFLOP/s (2 per kept weight per sample per product) of the sparse fwd+bwd, and of the dense one. */
  gflops: { sparse: number; dense: number };
}

export interface StructuredRow {
  shape: string;
  batch: number;
  threads: number;
  /** Fraction of output neurons pruned. */
  neuronSparsity: number;
  keptNeurons: number;
  dense: StepTimes;
  compact: StepTimes;
  /** dense ÷ compacted time of the layer's three GEMMs. */
  speedup: number;
}

export interface Crossover {
  shape: string;
  batch: number;
  threads: number;
  /** Lowest sparsity at which the sparse fwd+bwd is at least as fast as dense (linear between measured points), or null. */
  fwdBwd: number | null;
  /** The same for forward + weight gradient (a first layer). */
  firstLayer: number | null;
}

function randomMask(out: number, inF: number, sparsity: number, seed: number): Float32Array {
  const mask = new Float32Array(out * inF);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < mask.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    mask[i] = (s >>> 8) / 16777216 < sparsity ? 0 : 1;
  }
  return mask;
}

/** A layer of the given shape: W uniform in ±1/√in (masked where `mask` prunes), b in ±0.1. */
function benchLayer(shape: LayerShape, mask: Float32Array | null): Layer {
  const { out, in: inF } = shape;
  const weight = seeded(out * inF, 1, 1 / Math.sqrt(inF));
  if (mask) weight.forEach((w, i) => (weight[i] = mask[i] ? w : 0));
  return { out, in: inF, weight, bias: seeded(out, 2, 0.1), weightMask: mask, biasMask: null };
}

function gradientOf(step: CandidateStep): Float32Array {
  if (!step.weightGradient) throw new Error('bench check: this candidate fuses its weight gradient into the optimizer step');
  return step.weightGradient();
}

/** Each part of a candidate's training step (the autotuner's steps, src/train/kernel-autotune.ts), timed alone. */
function timeStep(step: CandidateStep, minSeconds: number, inputGradient: boolean): StepTimes {
  return {
    forward: timeFastest(step.forward, minSeconds),
    weight: timeFastest(step.weight, minSeconds),
    input: inputGradient ? timeFastest(step.input, minSeconds) : 0,
    sync: timeFastest(step.sync, minSeconds),
  };
}

/** Unstructured masks: dense GEMMs vs the CSR kernels, per sparsity. */
export function benchUnstructured(shape: LayerShape, batch: number, threads: number, sparsities: readonly number[], minSeconds: number): UnstructuredRow[] {
  const k = requireNativeAddon();
  k.setThreads(threads);
  const { out, in: inF } = shape;
  const problem = (layer: Layer): CandidateProblem => ({ layer, keep: null, n: batch, input: null, inputGradient: true });
  const dense = { ...timeStep(candidateStep(k, problem(benchLayer(shape, null)), 'dense'), minSeconds, true), sync: 0 };
  const denseFlops = 2 * out * inF * batch;
  return sparsities.map((sparsity, si) => {
    const mask = randomMask(out, inF, sparsity, 100 + si);
    const layer = benchLayer(shape, mask);
    const kept = mask.reduce((n, m) => n + (m ? 1 : 0), 0);
    const masked = candidateStep(k, problem(layer), 'dense');
    const csr = candidateStep(k, problem(layer), 'csr');
    // Correctness first: bitwise the dense kernels on the masked W.
    const what = `(${shapeName(shape)}, B=${batch}, sparsity ${sparsity})`;
    csr.sync();
    masked.forward();
    csr.forward();
    sameBits(csr.out, masked.out, `csrMatmul${what}`);
    masked.weight();
    csr.weight();
    sameBits(
      gradientOf(csr),
      Float32Array.from(gradientOf(masked), (g, i) => (mask[i] ? g : 0)),
      `csrWeightGradient${what}`,
    );
    const sparse = { ...timeStep(csr, minSeconds, true), ...(kept ? {} : { sync: 0 }) };
    const useful = 2 * kept * batch;
    return {
      shape: shapeName(shape),
      batch,
      threads,
      sparsity,
      kept,
      dense,
      sparse,
      speedup: {
        forward: dense.forward / sparse.forward,
        backward: (dense.weight + dense.input) / (sparse.weight + sparse.input),
        total: total(dense) / total(sparse),
        firstLayer: firstLayerTotal(dense) / firstLayerTotal(sparse),
      },
      gflops: { sparse: (3 * useful) / total(sparse) / 1e9, dense: (3 * denseFlops) / total(dense) / 1e9 },
    };
  });
}

/** Neuron pruning: the layer's three GEMMs at full size vs compacted to the kept rows. */
export function benchStructured(shape: LayerShape, batch: number, threads: number, neuronSparsities: readonly number[], minSeconds: number): StructuredRow[] {
  const k = requireNativeAddon();
  k.setThreads(threads);
  const layer = benchLayer(shape, null);
  const timeRows = (keep: Int32Array | null) => ({
    ...timeStep(candidateStep(k, { layer, keep, n: batch, input: null, inputGradient: true }, 'dense'), minSeconds, true),
    sync: 0,
  });
  const dense = timeRows(null);
  return neuronSparsities.map((ns) => {
    const kept = Math.max(1, Math.round((1 - ns) * shape.out));
    const compact = timeRows(Int32Array.from({ length: kept }, (_, r) => r)); // the first `kept` rows, as the engine compacts them
    return {
      shape: shapeName(shape),
      batch,
      threads,
      neuronSparsity: ns,
      keptNeurons: kept,
      dense,
      compact,
      speedup: (dense.forward + dense.weight + dense.input) / (compact.forward + compact.weight + compact.input),
    };
  });
}

/** Per (shape, batch, threads): the crossover sparsity, linear between the measured sparsities around it. */
export function crossovers(rows: readonly UnstructuredRow[]): Crossover[] {
  const groups = new Map<string, UnstructuredRow[]>();
  for (const r of rows) {
    const key = `${r.shape}|${r.batch}|${r.threads}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const at = (g: UnstructuredRow[], speed: (r: UnstructuredRow) => number): number | null => {
    const sorted = [...g].sort((a, b) => a.sparsity - b.sparsity);
    for (let i = 0; i < sorted.length; i++) {
      if (speed(sorted[i]) >= 1) {
        if (i === 0) return sorted[0].sparsity;
        const [a, b] = [sorted[i - 1], sorted[i]];
        return a.sparsity + ((1 - speed(a)) / (speed(b) - speed(a))) * (b.sparsity - a.sparsity);
      }
    }
    return null;
  };
  return [...groups.values()].map((g) => ({
    shape: g[0].shape,
    batch: g[0].batch,
    threads: g[0].threads,
    fwdBwd: at(g, (r) => r.speedup.total),
    firstLayer: at(g, (r) => r.speedup.firstLayer),
  }));
}

export interface InputSparseRow {
  shape: string;
  batch: number;
  threads: number;
  /** Fraction of non-zero inputs in the timed batches. */
  density: number;
  dense: { forward: number; weight: number; transposes: number };
  sparse: { forward: number; weight: number; transposes: number; sparsify: number };
  /** dense ÷ input-sparse, forward + weight gradient: kernels only, and with each path's per-step layout work. */
  speedup: { kernels: number; withOverheads: number };
}

/** The first layer on real training batches: dense vs input-sparse forward + weight gradient. */
export function benchInputSparse(data: SplitDataset, out: number, batch: number, threads: number, minSeconds: number): InputSparseRow {
  const k = requireNativeAddon();
  k.setThreads(threads);
  const inF = data.train.features;
  const batches = Math.max(1, Math.min(8, Math.floor(data.train.rows / batch)));
  const xs = Array.from({ length: batches }, (_, i) => {
    const x = f32(batch * inF);
    x.set(data.train.x.subarray(i * batch * inF, (i + 1) * batch * inF));
    return x;
  });
  const W = seeded(out * inF, 1, 1 / Math.sqrt(inF));
  const b = seeded(out, 2, 0.1);
  const dyT = seeded(out * batch, 4, 0.01);
  const ld = paddedStride(out);
  const Wt = f32(inF * ld);
  const xT = f32(inF * batch);
  const outT = f32(out * batch);
  const rows = f32(batch * out);
  const dW = f32(out * inF);
  const db = f32(out);
  const dyRows = f32(batch * ld);
  const cap = batch * inF;
  const L = {
    ptr: new Int32Array(batch + 1),
    idx: new Int32Array(cap),
    val: f32(cap),
    colPtr: new Int32Array(inF + 1),
    rowIdx: new Int32Array(cap),
    colVal: f32(cap),
  };
  k.transposeStrided(Wt, W, out, inF, ld);
  k.transposeStrided(dyRows, dyT, out, batch, ld);
  // Correctness first, on the first batch.
  k.transpose(xT, xs[0], batch, inF);
  k.sparsifyRows(L.ptr, L.idx, L.val, L.colPtr, L.rowIdx, L.colVal, xs[0], batch, inF);
  k.linearForward(outT, xT, W, b, batch, inF, out);
  k.inputSparseForward(rows, L.ptr, L.idx, L.val, Wt, b, batch, inF, out, ld);
  const rowsT = f32(out * batch);
  k.transpose(rowsT, rows, batch, out);
  sameBits(rowsT, outT, 'inputSparseForward');
  const dWs = f32(out * inF);
  k.linearBackwardWeight(dW, db, dyT, xs[0], batch, inF, out);
  k.inputSparseWeightGradient(dWs, L.colPtr, L.rowIdx, L.colVal, dyRows, batch, inF, out, ld);
  sameBits(dWs, dW, 'inputSparseWeightGradient');
  let turn = 0;
  const next = () => xs[turn++ % batches];
  const lists = xs.map((x) => {
    const l = {
      ptr: new Int32Array(batch + 1),
      idx: new Int32Array(cap),
      val: f32(cap),
      colPtr: new Int32Array(inF + 1),
      rowIdx: new Int32Array(cap),
      colVal: f32(cap),
    };
    k.sparsifyRows(l.ptr, l.idx, l.val, l.colPtr, l.rowIdx, l.colVal, x, batch, inF);
    return l;
  });
  const xTs = xs.map((x) => {
    const t = f32(inF * batch);
    k.transpose(t, x, batch, inF);
    return t;
  });
  let li = 0;
  const dense = {
    forward: timeFastest(() => k.linearForward(outT, xTs[li++ % batches], W, b, batch, inF, out), minSeconds),
    weight: timeFastest(() => k.linearBackwardWeight(dW, db, dyT, xs[li++ % batches], batch, inF, out), minSeconds),
    // The dense path's layout work: the input batch to feature-major, the layer output to rows for the next dW.
    transposes: timeFastest(() => {
      k.transpose(xT, next(), batch, inF);
      k.transpose(rows, outT, out, batch);
    }, minSeconds),
  };
  const sparse = {
    forward: timeFastest(() => {
      const l = lists[li++ % batches];
      k.inputSparseForward(rows, l.ptr, l.idx, l.val, Wt, b, batch, inF, out, ld);
    }, minSeconds),
    weight: timeFastest(() => {
      const l = lists[li++ % batches];
      k.inputSparseWeightGradient(dW, l.colPtr, l.rowIdx, l.colVal, dyRows, batch, inF, out, ld);
      k.biasGradient(db, dyT, batch, out);
    }, minSeconds),
    // Its layout work: Wᵀ refreshed each step, output rows to feature-major, dY to padded rows.
    transposes: timeFastest(() => {
      k.transposeStrided(Wt, W, out, inF, ld);
      k.transpose(outT, rows, batch, out);
      k.transposeStrided(dyRows, dyT, out, batch, ld);
    }, minSeconds),
    sparsify: timeFastest(() => k.sparsifyRows(L.ptr, L.idx, L.val, L.colPtr, L.rowIdx, L.colVal, next(), batch, inF), minSeconds),
  };
  const density = xs.reduce((s, x) => s + inputDensity(x, batch, inF), 0) / batches;
  return {
    shape: shapeName({ out, in: inF }),
    batch,
    threads,
    density,
    dense,
    sparse,
    speedup: {
      kernels: (dense.forward + dense.weight) / (sparse.forward + sparse.weight),
      withOverheads: (dense.forward + dense.weight + dense.transposes) / (sparse.forward + sparse.weight + sparse.transposes + sparse.sparsify),
    },
  };
}

export interface TiledForwardRow {
  rows: number;
  threads: number;
  /** Seconds of layer 1's forward over every sample in panels of `panel` rows: Wt in rows; in tiles, tiling included. */
  inRows: number;
  inTiles: number;
  speedup: number;
}

/** The MI pass's first layer (784 → out) on every sample of the run, Wt read from rows vs from tiles (the last panel checked bitwise first). */
export function benchTiledForward(data: SplitDataset, out: number, panel: number, threads: number, minSeconds: number): TiledForwardRow {
  const k = requireNativeAddon();
  k.setThreads(threads);
  const inF = data.train.features;
  const sets = [data.train, data.test];
  const rows = sets.reduce((n, s) => n + s.rows, 0);
  const ld = paddedStride(out);
  const Wt = f32(inF * ld);
  k.transposeStrided(Wt, seeded(out * inF, 1, 1 / Math.sqrt(inF)), out, inF, ld);
  const b = seeded(out, 2, 0.1);
  const tiles = f32(tiledLength(inF, out));
  const panels = sets.flatMap((s) =>
    Array.from({ length: Math.ceil(s.rows / panel) }, (_, p) => {
      const n = Math.min(panel, s.rows - p * panel);
      const l = { n, ptr: new Int32Array(n + 1), idx: new Int32Array(n * inF), val: f32(n * inF) };
      k.sparsifyRows(l.ptr, l.idx, l.val, null, null, null, s.x.subarray(p * panel * inF, (p * panel + n) * inF), n, inF);
      return l;
    }),
  );
  const outRows = f32(panel * out);
  const viaRows = () => {
    for (const l of panels) k.inputSparseForward(outRows, l.ptr, l.idx, l.val, Wt, b, l.n, inF, out, ld);
  };
  const viaTiles = () => {
    k.inputSparseTile(tiles, Wt, inF, out, ld);
    for (const l of panels) k.inputSparseForwardTiled(outRows, l.ptr, l.idx, l.val, tiles, b, l.n, inF, out);
  };
  const last = panels[panels.length - 1];
  viaRows();
  const expected = outRows.slice(0, last.n * out);
  viaTiles();
  sameBits(outRows.subarray(0, last.n * out), expected, 'inputSparseForwardTiled');
  const inRows = timeFastest(viaRows, minSeconds);
  const inTiles = timeFastest(viaTiles, minSeconds);
  return { rows, threads, inRows, inTiles, speedup: inRows / inTiles };
}

export interface FullForwardRow {
  rows: number;
  threads: number;
  /** Seconds of evaluate(all rows, with activations): the MI pass. */
  dense: number;
  inputSparse: number;
  speedup: number;
}

/** The MI pass: a forward with activations over every sample of the run (train + test). */
export function benchFullForward(spec: Spec, data: SplitDataset, threads: number, minSeconds: number): FullForwardRow {
  const inF = data.train.features;
  const rows = data.train.rows + data.test.rows;
  const x = new Float32Array(rows * inF);
  x.set(data.train.x);
  x.set(data.test.x, data.train.x.length);
  const labels = new Int32Array(rows);
  labels.set(data.train.labels);
  labels.set(data.test.labels, data.train.rows);
  const time = (options: EngineOptions) => {
    const engine = createEngine(nativeBackend(threads), buildNetwork(spec, data), optimizerOf(spec), spec.train.batchSize, options);
    return timeFastest(() => engine.evaluate(x, labels, rows, { activations: true }), minSeconds);
  };
  const dense = time({ kernels: 'dense', inputKernel: 'dense' });
  const inputSparse = time({ inputKernel: 'sparse' });
  return { rows, threads, dense, inputSparse, speedup: dense / inputSparse };
}

export interface EpochRow {
  /** e.g. "unpruned" or "layer 1 95% unstructured". */
  setting: string;
  /** e.g. "dense (masked)" or "auto". */
  kernels: string;
  threads: number;
  /** Seconds of the training batches of the fastest timed epoch, and of the fastest test evaluation. */
  train: number;
  evaluate: number;
  epochs: number;
  finalTestAcc: number;
  plan?: string;
}

/** Epoch times through the trainer (one warm-up epoch, then the fastest of `epochs`), training batches and evaluation apart. */
export function benchEpochs(
  spec: Spec,
  data: SplitDataset,
  setting: string,
  kernels: string,
  options: EngineOptions,
  threads: number,
  epochs: number,
): EpochRow {
  const net: Network = buildNetwork(spec, data);
  const backend = nativeBackend(threads);
  pruneAtInit(net, spec, { data, backend });
  const engineOptions = { inputDensity: inputDensity(data.train.x, data.train.rows, data.train.features), ...options };
  const trainS: number[] = [];
  const evalS: number[] = [];
  let epochStart = 0;
  let lastBatchEnd = 0;
  let plan: KernelPlan | undefined;
  const history = train({
    net,
    backend,
    engineOptions,
    data,
    epochs: epochs + 1,
    batchSize: spec.train.batchSize,
    optimizer: optimizerOf(spec),
    seed: spec.seed,
    measure: (epoch, engine) => {
      if (epoch === 0) epochStart = performance.now();
      plan = engine.kernelPlan?.();
    },
    onBatch: (b, n) => {
      if (b === n) lastBatchEnd = performance.now();
    },
    onEpoch: () => {
      const now = performance.now();
      trainS.push((lastBatchEnd - epochStart) / 1000);
      evalS.push((now - lastBatchEnd) / 1000);
      epochStart = performance.now();
    },
  });
  trainS.shift(); // warm-up: plans measured, buffers faulted in, pool started
  evalS.shift();
  return {
    setting,
    kernels,
    threads,
    train: Math.min(...trainS),
    evaluate: Math.min(...evalS),
    epochs,
    finalTestAcc: history[history.length - 1].testAcc,
    plan: plan?.layers.map((l) => `${l.kernel}${l.keptOutputs < l.outputs ? `(${l.keptOutputs}/${l.outputs})` : ''}`).join(' '),
  };
}

/** A spec (defaults: the default net on the embedded MNIST) with layer 1 pruned unstructured by `amount`. */
export function prunedSpec(base: SpecInput, amount: number, mode: 'layer-weight' | 'layer-neuron' = 'layer-weight'): Spec {
  return parseSpec({ ...base, prune: amount > 0 ? { steps: [{ mode, amount, layers: [1] }] } : { steps: [] } });
}
