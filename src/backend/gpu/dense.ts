// The three dense products of an MLP layer as gpu.js kernels; every other
// DenseKernels op (activations, loss, transpose, optimizer steps) delegates to
// another backend's kernels (the native addon in the gpu backend).
//
// Layout as in kernels.ts: activations feature-major [width, B], W[OUT, IN].
// One output element per gpu.js thread, each a single chain in the
// reference's order (bias first, then i = 0, 1, …), so results do not depend
// on the batch a row falls in. gpu.js sums in float32 (GL, webasm) or double
// rounded once (cpu mode): within (K+1)·u·Σ|terms| of the reference.
//
// Kernels are compiled per shape, with B, IN and OUT as constants (GLSL
// loops need constant bounds) and cached: a training run meets a few shapes
// per layer (the batch, the last partial batch, the 1024-row evaluation
// chunk and its remainder). The first call of a shape compiles (GL: ~0.5 s).
// Sources are strings, not functions, so no transpiler (tsx, vitest) can
// change what gpu.js parses.
import type { DenseKernels } from '../kernels.ts';
import type { GpuJsInstance, GpuJsKernelFunction } from './loader.ts';

export const GPU_PRODUCTS = ['linearForward', 'linearBackwardInput', 'linearBackwardWeight'] as const;
export type GpuProduct = (typeof GPU_PRODUCTS)[number];

// outT[OUT,B] = W[OUT,IN] · xT[IN,B] + b       (thread.x = s, thread.y = o)
const LINEAR_FORWARD = `function linearForward(xT, W, b) {
  var s = this.thread.x;
  var o = this.thread.y;
  var sum = b[o];
  for (var i = 0; i < this.constants.IN; i++) {
    sum += W[o * this.constants.IN + i] * xT[i * this.constants.B + s];
  }
  return sum;
}`;

// dxT[IN,B] = Wᵀ · dyT[OUT,B]                  (thread.x = s, thread.y = i; the forward line w.r.t. x)
const LINEAR_BACKWARD_INPUT = `function linearBackwardInput(dyT, W) {
  var s = this.thread.x;
  var i = this.thread.y;
  var sum = W[i] * dyT[s];
  for (var o = 1; o < this.constants.OUT; o++) {
    sum += W[o * this.constants.IN + i] * dyT[o * this.constants.B + s];
  }
  return sum;
}`;

// dW[OUT,IN] = dyT[OUT,B] · x[B,IN]            (thread.x = i, thread.y = o; the forward line w.r.t. W)
const LINEAR_BACKWARD_WEIGHT = `function linearBackwardWeight(dyT, x) {
  var i = this.thread.x;
  var o = this.thread.y;
  var sum = dyT[o * this.constants.B] * x[i];
  for (var s = 1; s < this.constants.B; s++) {
    sum += dyT[o * this.constants.B + s] * x[s * this.constants.IN + i];
  }
  return sum;
}`;

// db[OUT] = Σ_b dyT[:,b]                       (thread.x = o; the forward line w.r.t. b)
const LINEAR_BACKWARD_BIAS = `function linearBackwardBias(dyT) {
  var o = this.thread.x;
  var sum = dyT[o * this.constants.B];
  for (var s = 1; s < this.constants.B; s++) {
    sum += dyT[o * this.constants.B + s];
  }
  return sum;
}`;

// Transfer probes: the same arguments and output shape with no arithmetic,
// so that timing one measures argument upload + result download (bench only).
const PROBE_3 = 'function probe(a, b, c) { return a[0] + b[0] + c[0]; }';
const PROBE_2 = 'function probe(a, b) { return a[0] + b[0]; }';

/** Kernel settings every product uses: float32 textures and highp in GLSL. */
export const GPU_KERNEL_SETTINGS = { precision: 'single', tactic: 'precision' } as const;

/**
 * A gpu.js kernel result as a flat row-major copy: gpu.js returns a
 * Float32Array for 1D output and an array of row Float32Arrays for 2D.
 */
export function copyKernelResult(out: Float32Array, result: unknown, rows: number, cols: number): void {
  if (result instanceof Float32Array) {
    if (result.length < rows * cols) throw new Error(`gpu.js returned ${result.length} values, expected ${rows * cols}`);
    out.set(result.length === rows * cols ? result : result.subarray(0, rows * cols));
    return;
  }
  if (!Array.isArray(result) || result.length !== rows) {
    throw new Error(`gpu.js returned ${Array.isArray(result) ? `${result.length} rows` : typeof result}, expected ${rows} rows of ${cols}`);
  }
  for (let r = 0; r < rows; r++) {
    const row = result[r] as ArrayLike<number>;
    if (row.length < cols) throw new Error(`gpu.js row ${r} has ${row.length} values, expected ${cols}`);
    if (row instanceof Float32Array) out.set(row.length === cols ? row : row.subarray(0, cols), r * cols);
    else for (let c = 0; c < cols; c++) out[r * cols + c] = row[c];
  }
}

// Shapes are checked before anything reaches gpu.js, which would read past a
// short argument silently (as zeros or NaN) instead of failing.
function checkDims(fn: string, dims: Record<string, number>): void {
  for (const [name, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${fn}: ${name} must be an integer ≥ 1, got ${v}`);
  }
}

function checkArray(fn: string, name: string, a: unknown, n: number): asserts a is Float32Array {
  if (!(a instanceof Float32Array)) throw new TypeError(`${fn}: ${name} must be a Float32Array`);
  if (a.length < n) throw new RangeError(`${fn}: ${name} has ${a.length} elements, needs at least ${n}`);
}

/** Called after each product with its wall time (instrumentation for benches). */
export type ProductObserver = (product: GpuProduct, shapeKey: string, ms: number) => void;

/** The three products through gpu.js, per-shape kernels cached on one gpu.js instance. */
export class GpuDenseProducts {
  private readonly kernels = new Map<string, GpuJsKernelFunction>();
  observer: ProductObserver | undefined;

  constructor(private readonly gpu: GpuJsInstance) {}

  private kernel(key: string, source: string, output: number[], constants: Record<string, number>): GpuJsKernelFunction {
    let k = this.kernels.get(key);
    if (!k) {
      k = this.gpu.createKernel(source, { ...GPU_KERNEL_SETTINGS, output, constants });
      this.kernels.set(key, k);
    }
    return k;
  }

  /** Number of compiled kernels (one per product and shape). */
  get compiledKernels(): number {
    return this.kernels.size;
  }

  /** outT[OUT,B] = W[OUT,IN] · xT[IN,B] + b */
  linearForward(outT: Float32Array, xT: Float32Array, W: Float32Array, b: Float32Array, B: number, IN: number, OUT: number): void {
    checkDims('linearForward', { B, IN, OUT });
    checkArray('linearForward', 'outT', outT, OUT * B);
    checkArray('linearForward', 'xT', xT, IN * B);
    checkArray('linearForward', 'W', W, OUT * IN);
    checkArray('linearForward', 'b', b, OUT);
    const t0 = this.observer ? performance.now() : 0;
    const k = this.kernel(`F${B},${IN},${OUT}`, LINEAR_FORWARD, [B, OUT], { B, IN, OUT });
    copyKernelResult(outT, k(xT.subarray(0, IN * B), W.subarray(0, OUT * IN), b.subarray(0, OUT)), OUT, B);
    this.observer?.('linearForward', `B=${B},IN=${IN},OUT=${OUT}`, performance.now() - t0);
  }

  /** dxT[IN,B] = Wᵀ · dyT[OUT,B] */
  linearBackwardInput(dxT: Float32Array, dyT: Float32Array, W: Float32Array, B: number, IN: number, OUT: number): void {
    checkDims('linearBackwardInput', { B, IN, OUT });
    checkArray('linearBackwardInput', 'dxT', dxT, IN * B);
    checkArray('linearBackwardInput', 'dyT', dyT, OUT * B);
    checkArray('linearBackwardInput', 'W', W, OUT * IN);
    const t0 = this.observer ? performance.now() : 0;
    const k = this.kernel(`I${B},${IN},${OUT}`, LINEAR_BACKWARD_INPUT, [B, IN], { B, IN, OUT });
    copyKernelResult(dxT, k(dyT.subarray(0, OUT * B), W.subarray(0, OUT * IN)), IN, B);
    this.observer?.('linearBackwardInput', `B=${B},IN=${IN},OUT=${OUT}`, performance.now() - t0);
  }

  /** dW[OUT,IN] = dyT[OUT,B] · x[B,IN];  db[OUT] = Σ_b dyT[:,b] */
  linearBackwardWeight(dW: Float32Array, db: Float32Array, dyT: Float32Array, x: Float32Array, B: number, IN: number, OUT: number): void {
    checkDims('linearBackwardWeight', { B, IN, OUT });
    checkArray('linearBackwardWeight', 'dW', dW, OUT * IN);
    checkArray('linearBackwardWeight', 'db', db, OUT);
    checkArray('linearBackwardWeight', 'dyT', dyT, OUT * B);
    checkArray('linearBackwardWeight', 'x', x, B * IN);
    const t0 = this.observer ? performance.now() : 0;
    const dy = dyT.subarray(0, OUT * B);
    const kw = this.kernel(`W${B},${IN},${OUT}`, LINEAR_BACKWARD_WEIGHT, [IN, OUT], { B, IN, OUT });
    copyKernelResult(dW, kw(dy, x.subarray(0, B * IN)), OUT, IN);
    const kb = this.kernel(`b${B},${OUT}`, LINEAR_BACKWARD_BIAS, [OUT], { B, OUT });
    copyKernelResult(db, kb(dy), 1, OUT);
    this.observer?.('linearBackwardWeight', `B=${B},IN=${IN},OUT=${OUT}`, performance.now() - t0);
  }

  /**
   * Runs the transfer probe of a product's shape once: the same argument
   * uploads and result downloads as the product, no arithmetic (bench only).
   */
  transferProbe(product: GpuProduct, B: number, IN: number, OUT: number, args: Float32Array[]): void {
    const scratch = (n: number) => new Float32Array(n);
    if (product === 'linearForward') {
      const k = this.kernel(`pF${B},${IN},${OUT}`, PROBE_3, [B, OUT], {});
      copyKernelResult(scratch(OUT * B), k(args[0].subarray(0, IN * B), args[1].subarray(0, OUT * IN), args[2].subarray(0, OUT)), OUT, B);
    } else if (product === 'linearBackwardInput') {
      const k = this.kernel(`pI${B},${IN},${OUT}`, PROBE_2, [B, IN], {});
      copyKernelResult(scratch(IN * B), k(args[0].subarray(0, OUT * B), args[1].subarray(0, OUT * IN)), IN, B);
    } else {
      const dy = args[0].subarray(0, OUT * B);
      const kw = this.kernel(`pW${B},${IN},${OUT}`, PROBE_2, [IN, OUT], {});
      copyKernelResult(scratch(OUT * IN), kw(dy, args[1].subarray(0, B * IN)), OUT, IN);
      const kb = this.kernel(`pb${B},${OUT}`, 'function probe(a) { return a[0]; }', [OUT], {});
      copyKernelResult(scratch(OUT), kb(dy), 1, OUT);
    }
  }

  /** Releases every compiled kernel. */
  destroy(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
  }
}

/**
 * DenseKernels whose three products run through gpu.js and whose other ops
 * are `rest`'s (the native addon in the gpu backend).
 */
export function gpuDenseKernels(products: GpuDenseProducts, rest: DenseKernels): DenseKernels {
  return {
    linearForward: (outT, xT, W, b, B, IN, OUT) => products.linearForward(outT, xT, W, b, B, IN, OUT),
    linearBackwardInput: (dxT, dyT, W, B, IN, OUT) => products.linearBackwardInput(dxT, dyT, W, B, IN, OUT),
    linearBackwardWeight: (dW, db, dyT, x, B, IN, OUT) => products.linearBackwardWeight(dW, db, dyT, x, B, IN, OUT),
    activationForward: (act, y, x, n) => rest.activationForward(act, y, x, n),
    activationBackward: (act, dx, dy, y, n) => rest.activationBackward(act, dx, dy, y, n),
    softmaxCrossEntropy: (dlogitsT, logitsT, labels, B, C) => rest.softmaxCrossEntropy(dlogitsT, logitsT, labels, B, C),
    transpose: (out, input, rows, cols) => rest.transpose(out, input, rows, cols),
    adamStep: (w, g, m, v, mask, n, lr, beta1, beta2, eps, step) => rest.adamStep(w, g, m, v, mask, n, lr, beta1, beta2, eps, step),
    sgdStep: (w, g, velocity, mask, n, lr, momentum) => rest.sgdStep(w, g, velocity, mask, n, lr, momentum),
  };
}
