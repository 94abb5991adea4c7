// The binning step of the binning MI estimator through gpu.js: the bin code
// of every activation is computed by a gpu.js kernel, and the rows of codes
// are counted by the native hashed histogram (src/mi/native-mi.ts).
//
// Codes travel to the histogram as float32 values binned with `width:1`:
// floor(c / 1) = c exactly for every integer |c| ≤ 2^24 (both the native
// kernel and the reference compute it in float64), so the counts, entropies
// and row symbols are exactly those of the native engine on the original
// activations. Codes are exact too (tested bit for bit against the reference):
//   fixed, adaptive, idnns  a binary search over float32 thresholds
//                           (bin-thresholds.ts), exact on any float32 device;
//   width                   floor(h / w) in float32 on the device, except
//                           where the quotient lies within 1e-6 relative of an
//                           integer (or |h / w| ≥ 2^22): those elements come
//                           back as a sentinel and are recomputed on the host
//                           in float64, as the reference does.
// Subnormal inputs (|h| < 2^−126) are binned on the host in every scheme: GL
// devices flush them to zero, and −1e−45 is not 0 to floor(h / w) or to an
// edge at 0 (likewise zeros, when a threshold is a positive subnormal). Host work per call: one pass over the activations (finiteness,
// subnormals, and min/max for adaptive binning) and, for width binning, one
// over the codes.
// A width binning whose codes exceed ±2^24 cannot travel as float32: that
// layer is binned by the native engine itself (same results).
import type { BinningParams, HashMode, MiEngine, MiLayerInput, RawLayerMi } from '../mi-kernels.ts';
import { binCodesReference, countOutside } from '../reference/mi.ts';
import { binThresholds, codeFromThresholds } from './bin-thresholds.ts';
import { copyKernelResult, GPU_KERNEL_SETTINGS } from './dense.ts';
import type { GpuJsInstance, GpuJsKernelFunction } from './loader.ts';

/** The histogram's view of float codes: floor(c / 1) = c. */
export const UNIT_WIDTH_BINNING: BinningParams = { scheme: 'width', bins: 0, lo: null, hi: null, binWidth: 1 };

/** Largest integer magnitude float32 holds exactly (and so passes as a code). */
export const MAX_FLOAT_CODE = 2 ** 24;

/** Width-binning elements the device leaves to the host: 2^25 is never a device code (those are below 2^22). */
export const HOST_SENTINEL = 2 ** 25;

/** Smallest normal float32: GL devices flush smaller magnitudes to zero, so such inputs are binned on the host. */
export const FLT_MIN_NORMAL = 2 ** -126;

/** Elements per kernel call: flat indices stay below 2^24, exact in GLSL floats, and textures stay small. */
export const BIN_CHUNK = 1 << 22;

// code = #{ t ≤ h }: upper bound of h in the sorted thresholds, STEPS = ⌈log2(K + 1)⌉ halvings.
const BIN_BY_THRESHOLDS = `function binByThresholds(t, thresholds) {
  var h = t[this.thread.x];
  var lo = 0;
  var hi = this.constants.K;
  for (var step = 0; step < this.constants.STEPS; step++) {
    if (lo < hi) {
      var mid = Math.floor((lo + hi) / 2);
      if (thresholds[mid] <= h) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
  }
  return lo;
}`;

// floor(h / w), or the host sentinel where float32 cannot decide it.
const BIN_BY_WIDTH = `function binByWidth(t) {
  var h = t[this.thread.x];
  if (h == 0) {
    return 0;
  }
  var q = h / this.constants.W;
  var aq = Math.abs(q);
  if (aq >= 4194304 || Math.abs(q - Math.round(q)) <= 0.000001 * aq + 1e-30) {
    return 33554432;
  }
  return Math.floor(q);
}`;

export interface GpuCodes {
  /** Bin codes as float32, [n, width] row-major; undefined when they do not fit float32 (width binning beyond ±2^24). */
  codes?: Float32Array;
  /** The range used (adaptive: resolved from the data); null for width binning. */
  lo: number | null;
  hi: number | null;
  /** Width binning: elements the host recomputed. */
  hostRecomputed: number;
}

interface CachedThresholds {
  key: string;
  thresholds: Float32Array;
}

/** Bin codes through gpu.js kernels, cached per size on one gpu.js instance. */
export class GpuBinner {
  private readonly kernels = new Map<string, GpuJsKernelFunction>();
  private thresholdCache: CachedThresholds[] = [];

  constructor(private readonly gpu: GpuJsInstance) {}

  private kernel(key: string, source: string, output: number, constants: Record<string, number>, constantTypes?: Record<string, string>): GpuJsKernelFunction {
    let k = this.kernels.get(key);
    if (!k) {
      k = this.gpu.createKernel(source, { ...GPU_KERNEL_SETTINGS, output: [output], constants, ...(constantTypes ? { constantTypes } : {}) });
      this.kernels.set(key, k);
    }
    return k;
  }

  private thresholds(p: BinningParams, lo: number, hi: number): Float32Array {
    const key = `${p.scheme}:${p.bins}:${lo}:${hi}`;
    const hit = this.thresholdCache.find((c) => c.key === key);
    if (hit) return hit.thresholds;
    const thresholds = binThresholds(p, lo, hi);
    this.thresholdCache = [{ key, thresholds }, ...this.thresholdCache.slice(0, 7)];
    return thresholds;
  }

  /**
   * The bin codes of t[n, width] under p, as the reference computes them.
   * `fn` and `name` name the call and argument in error messages, as the engines do.
   */
  codes(t: Float32Array, n: number, width: number, p: BinningParams, fn = 'miBinCodes', name = 'activations'): GpuCodes {
    // Dimensions and parameters: the reference's own checks and messages (on one dummy value).
    binCodesReference(new Int32Array(1), new Float32Array(1), 1, 1, p);
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(width) || width < 1)
      throw new RangeError(`${fn}: n and width must be integers ≥ 1, got ${n} and ${width}`);
    if (!(t instanceof Float32Array)) throw new TypeError(`${fn}: ${name} must be a Float32Array`);
    if (t.length !== n * width) throw new RangeError(`${fn}: ${name} has ${t.length} elements, expected ${n * width}`);
    let min = Infinity;
    let max = -Infinity;
    const subnormals: number[] = [];
    for (let k = 0; k < t.length; k++) {
      const v = t[k];
      if (!Number.isFinite(v)) {
        throw new RangeError(`${fn}: ${name}[${k}] (row ${Math.floor(k / width)}, unit ${k % width}) is ${v}; activations must be finite to be binned`);
      }
      if (v < min) min = v;
      if (v > max) max = v;
      if (v !== 0 && v > -FLT_MIN_NORMAL && v < FLT_MIN_NORMAL) subnormals.push(k);
    }
    const total = t.length;
    const codes = new Float32Array(total);
    if (p.scheme === 'width') return this.widthCodes(codes, t, p.binWidth, fn, name, subnormals);

    const [lo, hi] = p.scheme === 'adaptive' && p.lo === null ? [min, max] : [p.lo as number, p.hi as number];
    const thresholds = this.thresholds(p, lo, hi);
    const K = thresholds.length;
    if (K > 0) {
      const STEPS = Math.ceil(Math.log2(K + 1));
      for (let start = 0; start < total; start += BIN_CHUNK) {
        const len = Math.min(BIN_CHUNK, total - start);
        const k = this.kernel(`T${len},${K}`, BIN_BY_THRESHOLDS, len, { K, STEPS });
        copyKernelResult(codes.subarray(start, start + len), k(t.subarray(start, start + len), thresholds), 1, len);
      }
    }
    // A positive subnormal threshold reads as 0 on a flushing device, where 0 ≥ it: bin exact zeros on the host too.
    if (thresholds.some((v) => v > 0 && v < FLT_MIN_NORMAL)) for (let k = 0; k < total; k++) if (t[k] === 0) subnormals.push(k);
    for (const k of subnormals) codes[k] = codeFromThresholds(thresholds, t[k]);
    return { codes, lo, hi, hostRecomputed: subnormals.length };
  }

  private widthCodes(codes: Float32Array, t: Float32Array, w: number, fn: string, name: string, subnormals: number[]): GpuCodes {
    const total = t.length;
    for (let start = 0; start < total; start += BIN_CHUNK) {
      const len = Math.min(BIN_CHUNK, total - start);
      const k = this.kernel(`W${len},${w}`, BIN_BY_WIDTH, len, { W: w }, { W: 'Float' });
      copyKernelResult(codes.subarray(start, start + len), k(t.subarray(start, start + len)), 1, len);
    }
    for (const k of subnormals) codes[k] = HOST_SENTINEL;
    let hostRecomputed = 0;
    let fits = true;
    for (let k = 0; k < total; k++) {
      if (codes[k] !== HOST_SENTINEL) continue;
      const code = Math.floor(t[k] / w);
      if (code < -(2 ** 31) || code > 2 ** 31 - 1) {
        throw new RangeError(`${fn}: ${name}[${k}] = ${t[k]}: with binWidth ${w} the codes floor(h / binWidth) overflow int32`);
      }
      if (Math.abs(code) > MAX_FLOAT_CODE) fits = false;
      codes[k] = code;
      hostRecomputed++;
    }
    return { codes: fits ? codes : undefined, lo: null, hi: null, hostRecomputed };
  }

  /** Int32 codes, as MiEngine.binCodes returns them. */
  binCodes(out: Int32Array, t: Float32Array, n: number, width: number, p: BinningParams): { lo: number | null; hi: number | null } {
    if (!(out instanceof Int32Array)) throw new TypeError('miBinCodes: codes must be an Int32Array');
    if (out.length !== n * width) throw new RangeError(`miBinCodes: codes has ${out.length} elements, expected ${n * width}`);
    const r = this.codes(t, n, width, p);
    if (r.codes) {
      for (let k = 0; k < out.length; k++) out[k] = r.codes[k];
      return { lo: r.lo, hi: r.hi };
    }
    // Width codes beyond float32's integers: the reference formula on the host (identical by definition).
    return binCodesReference(out, t, n, width, p);
  }

  /** The uploads and downloads of codes() on t with no arithmetic (bench only). */
  transferProbe(t: Float32Array): void {
    const out = new Float32Array(Math.min(BIN_CHUNK, t.length));
    for (let start = 0; start < t.length; start += BIN_CHUNK) {
      const len = Math.min(BIN_CHUNK, t.length - start);
      const k = this.kernel(`P${len}`, 'function probe(t) { return t[0]; }', len, {});
      copyKernelResult(out.subarray(0, len), k(t.subarray(start, start + len)), 1, len);
    }
  }

  destroy(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
  }
}

/**
 * An MiEngine whose bin codes come from gpu.js and whose histogram and
 * entropies are `counter`'s (the native engine): results identical to
 * `counter` on the original activations. Its name is the counter's, since
 * the information-plane points' `engine` field names the histogram engine.
 */
export function gpuMiEngine(binner: GpuBinner, counter: MiEngine): MiEngine {
  return {
    name: counter.name,

    binCodes: (codes, t, n, width, p) => binner.binCodes(codes, t, n, width, p),

    rowSymbols(ids: Int32Array, t: Float32Array, n: number, width: number, p: BinningParams, hashMode: HashMode = 'normal') {
      const r = binner.codes(t, n, width, p, 'miRowSymbols');
      if (!r.codes) return counter.rowSymbols(ids, t, n, width, p, hashMode);
      const counted = counter.rowSymbols(ids, r.codes, n, width, UNIT_WIDTH_BINNING, hashMode);
      return { distinct: counted.distinct, lo: r.lo, hi: r.hi };
    },

    informationPlane(
      layers: readonly MiLayerInput[],
      labels: Int32Array,
      n: number,
      classes: number,
      p: BinningParams,
      xSymbols: Int32Array | null,
      hashMode: HashMode = 'normal',
    ): RawLayerMi[] {
      if (!Array.isArray(layers)) throw new TypeError('miInformationPlane: layers must be an array of {activations, width}');
      const binned = layers.map((l, i) => {
        if (typeof l !== 'object' || l === null) throw new TypeError(`miInformationPlane: layers[${i}] must be {activations, width}`);
        return binner.codes(l.activations, n, l.width, p, 'miInformationPlane', `layers[${i}].activations`);
      });
      const onDevice = binned.map((b, i) => (b.codes ? i : -1)).filter((i) => i >= 0);
      const results = new Array<RawLayerMi>(layers.length);
      if (onDevice.length > 0) {
        const counted = counter.informationPlane(
          onDevice.map((i) => ({ activations: binned[i].codes as Float32Array, width: layers[i].width })),
          labels,
          n,
          classes,
          UNIT_WIDTH_BINNING,
          xSymbols,
          hashMode,
        );
        // The counter saw codes, not activations: the range and the values outside it are the layer's own.
        onDevice.forEach((i, k) => {
          const { lo, hi } = binned[i];
          results[i] = { ...counted[k], outside: countOutside(layers[i].activations, lo, hi), lo, hi };
        });
      }
      const onHost = binned.map((b, i) => (b.codes ? -1 : i)).filter((i) => i >= 0);
      if (onHost.length > 0) {
        const counted = counter.informationPlane(
          onHost.map((i) => layers[i]),
          labels,
          n,
          classes,
          p,
          xSymbols,
          hashMode,
        );
        onHost.forEach((i, k) => (results[i] = counted[k]));
      }
      return results;
    },
  };
}
