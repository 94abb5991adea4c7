// The gpu backend's benchmark: GPU (gpu.js) vs native per kernel and per
// training epoch of a small net, with the transfer time separated from the
// compute. `infoplane bench --backend gpu` and bench/gpu.bench.ts call
// gpuBenchRows().
//
// Transfer: gpu.js uploads every argument and downloads the result on each
// call. A transfer probe is a kernel with the same arguments and output shape
// and no arithmetic (it reads one element of each argument), so its time is
// the upload + download + launch cost of that call; compute is the rest:
//   totalMs     the call as the backend makes it (upload, compute, download, copy out);
//   transferMs  the transfer probe of the same shape;
//   gpuMs       totalMs − transferMs (compute, never below 0).
// In webasm and cpu modes "upload" is a copy into the kernel's memory. For an
// epoch, transferMs sums the probes of every product call the epoch made.
// Correctness first: every kernel is checked against the native addon before
// it is timed (products within 1e-4 of the result's scale, codes bitwise).
import { InputError } from '../core/input-error.ts';
import type { Network, OptimizerConfig } from '../train/model.ts';
import { type BinningParams, binningParams, parseBinning } from '../mi/binning.ts';
import { nativeMiEngine } from '../backend/native/mi.ts';
import { createNetwork } from '../train/network.ts';
import { initialize } from '../train/init.ts';
import { Rng } from '../core/rng.ts';
import { LayerStackEngine } from '../train/engine.ts';
import { requireNativeAddon } from '../backend/native/addon.ts';
import { GpuBinner, gpuMiEngine } from '../backend/gpu/binning.ts';
import { GPU_PRODUCTS, GpuDenseProducts, type GpuProduct, gpuDenseKernels } from '../backend/gpu/dense.ts';
import { type GpuJsKernelType, type GpuJsMode, loadGpuJs, probeGpuJs } from '../backend/gpu/loader.ts';

export interface GpuBenchRow {
  /** linearForward | linearBackwardInput | linearBackwardWeight | binCodes | informationPlane | epoch */
  kernel: string;
  /** e.g. `B=128,IN=784,OUT=1024`, `N=2000,width=1024,fixed:30`, `784-64-32-10,N=2000,B=128,adam` */
  shape: string;
  /** The gpu.js kernel type that ran. */
  mode: GpuJsKernelType;
  /** Compute: totalMs − transferMs (median ms per call / per epoch). */
  gpuMs: number;
  /** Argument upload + result download. */
  transferMs: number;
  /** The whole gpu.js call. */
  totalMs: number;
  /** The native addon on the same work. */
  nativeMs: number;
  /** Floating-point operations per call (products, epochs) for GFLOP/s; 0 for binning. */
  flops: number;
}

/** Times fn (already warmed up) and returns its median in ms; bench/gpu.bench.ts passes a tinybench one. */
export type BenchTimer = (label: string, fn: () => void) => Promise<number>;

export interface GpuBenchOptions {
  /** gpu.js mode; default $INFOPLANE_GPUJS_MODE, else `gpu` (a GL context is required). */
  mode?: GpuJsMode;
  /** Product shapes [B, IN, OUT]; default the default net's 784→1024 layer at B=128 and a 20→20 layer. */
  products?: [number, number, number][];
  /** Binning cases [N, width, binning]; default 2000×1024 and 2000×20 under fixed:30. */
  binning?: [number, number, string][];
  /** Epoch net sizes, rows and batch; default 784-64-32-10, 2000 rows, batch 128. Null skips the epoch rows. */
  epoch?: { sizes: number[]; rows: number; batch: number } | null;
  timer?: BenchTimer;
  /** Called with each row as it is measured (progress output). */
  onRow?: (row: GpuBenchRow) => void;
}

/** Median of `fn` over at least `minMs` of runs (at least 3, at most 50), after one warm-up call. */
export const simpleTimer: BenchTimer = async (_label, fn) => {
  fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < 3 || (times.length < 50 && performance.now() - started < 300)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const m = times.length >> 1;
  return times.length % 2 ? times[m] : (times[m - 1] + times[m]) / 2;
};

function filled(n: number, rng: Rng, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * rng.nextFloat() - 1) * scale;
  return a;
}

function checkClose(what: string, gpu: Float32Array, native: Float32Array): void {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < native.length; i++) {
    scale = Math.max(scale, Math.abs(native[i]));
    worst = Math.max(worst, Math.abs(gpu[i] - native[i]));
  }
  if (!(worst <= 1e-4 * (scale + 1e-30))) throw new Error(`${what}: gpu.js differs from native by ${worst} (scale ${scale})`);
}

const shapeKey = (B: number, IN: number, OUT: number) => `B=${B},IN=${IN},OUT=${OUT}`;

/**
 * Rows of {kernel, shape, gpuMs, transferMs, nativeMs} (plus mode, totalMs,
 * flops): the hook of `infoplane bench --backend gpu`. Throws
 * InputError (exit 2) with the loader's reason when gpu.js cannot
 * run the requested mode here.
 */
export async function gpuBenchRows(options: GpuBenchOptions = {}): Promise<GpuBenchRow[]> {
  const status = options.mode ? probeGpuJs({ mode: options.mode }) : loadGpuJs();
  if (!status.available || !status.module || !status.picked) throw new InputError(`gpu bench: ${status.reason ?? 'gpu.js did not load'}`);
  const addon = requireNativeAddon();
  const mode = status.picked;
  const timer = options.timer ?? simpleTimer;
  const rows: GpuBenchRow[] = [];
  const push = (row: GpuBenchRow) => {
    rows.push(row);
    options.onRow?.(row);
  };
  const gpu = new status.module.GPU({ mode: status.requested });
  const products = new GpuDenseProducts(gpu);
  const binner = new GpuBinner(gpu);
  const rng = Rng.stream(1, 'gpu-bench');
  try {
    // ---- dense products ----
    for (const [B, IN, OUT] of options.products ?? [
      [128, 784, 1024],
      [128, 20, 20],
    ]) {
      const xT = filled(IN * B, rng);
      const x = filled(B * IN, rng);
      const W = filled(OUT * IN, rng, 1 / Math.sqrt(IN));
      const b = filled(OUT, rng, 0.1);
      const dyT = filled(OUT * B, rng, 0.01);
      for (const product of GPU_PRODUCTS) {
        const [gOut, nOut] = [0, 1].map(() => new Float32Array(product === 'linearForward' ? OUT * B : product === 'linearBackwardInput' ? IN * B : OUT * IN));
        const [gdb, ndb] = [new Float32Array(OUT), new Float32Array(OUT)];
        const runGpu = () => {
          if (product === 'linearForward') products.linearForward(gOut, xT, W, b, B, IN, OUT);
          else if (product === 'linearBackwardInput') products.linearBackwardInput(gOut, dyT, W, B, IN, OUT);
          else products.linearBackwardWeight(gOut, gdb, dyT, x, B, IN, OUT);
        };
        const runNative = () => {
          if (product === 'linearForward') addon.linearForward(nOut, xT, W, b, B, IN, OUT);
          else if (product === 'linearBackwardInput') addon.linearBackwardInput(nOut, dyT, W, B, IN, OUT);
          else addon.linearBackwardWeight(nOut, ndb, dyT, x, B, IN, OUT);
        };
        runGpu();
        runNative();
        checkClose(`${product}(${shapeKey(B, IN, OUT)},${mode})`, gOut, nOut);
        if (product === 'linearBackwardWeight') checkClose(`linearBackwardWeight db (${shapeKey(B, IN, OUT)},${mode})`, gdb, ndb);
        const probeArgs = product === 'linearForward' ? [xT, W, b] : product === 'linearBackwardInput' ? [dyT, W] : [dyT, x];
        const label = `${product}(${shapeKey(B, IN, OUT)})`;
        const totalMs = await timer(`${label} gpu.js ${mode}`, runGpu);
        const transferMs = await timer(`${label} transfer probe ${mode}`, () => products.transferProbe(product, B, IN, OUT, probeArgs));
        const nativeMs = await timer(`${label} native`, runNative);
        const flops = 2 * B * IN * OUT + (product === 'linearBackwardWeight' ? B * OUT : 0);
        push({ kernel: product, shape: shapeKey(B, IN, OUT), mode, gpuMs: Math.max(0, totalMs - transferMs), transferMs, totalMs, nativeMs, flops });
      }
    }

    // ---- binning step (codes) and the whole binning information plane ----
    const native = nativeMiEngine();
    if (native) {
      const engine = gpuMiEngine(binner, native);
      for (const [N, width, text] of options.binning ?? [
        [2000, 1024, 'fixed:30'],
        [2000, 20, 'fixed:30'],
      ]) {
        const p: BinningParams = binningParams(parseBinning(text), 'tanh');
        const t = new Float32Array(N * width);
        for (let i = 0; i < t.length; i++) t[i] = Math.tanh(3 * (2 * rng.nextFloat() - 1));
        const labels = Int32Array.from({ length: N }, (_, r) => r % 2);
        const [gCodes, nCodes] = [new Int32Array(N * width), new Int32Array(N * width)];
        binner.binCodes(gCodes, t, N, width, p);
        native.binCodes(nCodes, t, N, width, p);
        for (let i = 0; i < gCodes.length; i++) {
          if (gCodes[i] !== nCodes[i]) throw new Error(`binCodes(N=${N},width=${width},${text},${mode}): code [${i}] ${gCodes[i]} vs native ${nCodes[i]}`);
        }
        const shape = `N=${N},width=${width},${text}`;
        const codesMs = await timer(`binCodes(${shape}) gpu.js ${mode}`, () => binner.codes(t, N, width, p));
        const probe = await timer(`binCodes(${shape}) transfer probe ${mode}`, () => binner.transferProbe(t));
        const nativeCodesMs = await timer(`binCodes(${shape}) native`, () => native.binCodes(nCodes, t, N, width, p));
        push({ kernel: 'binCodes', shape, mode, gpuMs: Math.max(0, codesMs - probe), transferMs: probe, totalMs: codesMs, nativeMs: nativeCodesMs, flops: 0 });
        const layer = [{ activations: t, width }];
        const planeMs = await timer(`informationPlane(${shape}) gpu.js ${mode}`, () => engine.informationPlane(layer, labels, N, 2, p, null));
        const nativePlaneMs = await timer(`informationPlane(${shape}) native`, () => native.informationPlane(layer, labels, N, 2, p, null));
        push({
          kernel: 'informationPlane',
          shape,
          mode,
          gpuMs: Math.max(0, planeMs - probe),
          transferMs: probe,
          totalMs: planeMs,
          nativeMs: nativePlaneMs,
          flops: 0,
        });
      }
    }

    // ---- one training epoch of a small net ----
    const epoch = options.epoch === undefined ? { sizes: [784, 64, 32, 10], rows: 2000, batch: 128 } : options.epoch;
    if (epoch) push(await epochRow(epoch, products, addon, mode, timer, rng));
  } finally {
    products.destroy();
    binner.destroy();
    gpu.destroy();
  }
  return rows;
}

async function epochRow(
  { sizes, rows, batch }: { sizes: number[]; rows: number; batch: number },
  products: GpuDenseProducts,
  addon: ReturnType<typeof requireNativeAddon>,
  mode: GpuJsKernelType,
  timer: BenchTimer,
  rng: Rng,
): Promise<GpuBenchRow> {
  const optimizer: OptimizerConfig = { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  const makeNet = (): Network => {
    const net = createNetwork(sizes, 'tanh');
    initialize(net, 'torch', Rng.stream(1, 'init'));
    return net;
  };
  const x = filled(rows * sizes[0], rng);
  const classes = sizes[sizes.length - 1];
  const labels = Int32Array.from({ length: rows }, (_, r) => r % classes);
  const gpuEngine = new LayerStackEngine(gpuDenseKernels(products, addon), makeNet(), optimizer, batch);
  const nativeEngine = new LayerStackEngine(addon, makeNet(), optimizer, batch);
  const run = (engine: LayerStackEngine) => {
    for (let start = 0; start < rows; start += batch) {
      const n = Math.min(batch, rows - start);
      engine.trainBatch(x.subarray(start * sizes[0]), labels.subarray(start), n);
    }
  };
  // Count the product calls of one epoch per shape, then time one transfer probe per shape.
  const calls = new Map<string, { product: GpuProduct; B: number; IN: number; OUT: number; count: number }>();
  products.observer = (product, key) => {
    const c = calls.get(`${product}|${key}`);
    if (c) c.count++;
    else {
      const [B, IN, OUT] = key.split(',').map((kv) => Number(kv.split('=')[1]));
      calls.set(`${product}|${key}`, { product, B, IN, OUT, count: 1 });
    }
  };
  run(gpuEngine);
  products.observer = undefined;
  let transferMs = 0;
  for (const c of calls.values()) {
    const args = [filled(Math.max(c.IN, c.OUT) * c.B, rng), filled(c.OUT * c.IN, rng), filled(c.OUT, rng)];
    const probeArgs = c.product === 'linearForward' ? args : c.product === 'linearBackwardInput' ? [args[0], args[1]] : [args[0], args[0]];
    transferMs +=
      c.count *
      (await timer(`epoch transfer probe ${c.product}(${shapeKey(c.B, c.IN, c.OUT)})`, () => products.transferProbe(c.product, c.B, c.IN, c.OUT, probeArgs)));
  }
  const totalMs = await timer(`epoch(${sizes.join('-')}) gpu.js ${mode}`, () => run(gpuEngine));
  const nativeMs = await timer(`epoch(${sizes.join('-')}) native`, () => run(nativeEngine));
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) flops += 2 * rows * sizes[l] * sizes[l + 1] * (l === 0 ? 2 : 3);
  return {
    kernel: 'epoch',
    shape: `${sizes.join('-')},N=${rows},B=${batch},adam`,
    mode,
    gpuMs: Math.max(0, totalMs - transferMs),
    transferMs,
    totalMs,
    nativeMs,
    flops,
  };
}
