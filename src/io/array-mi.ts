// The information-plane estimator on anyone's arrays: layers as n-d arrays of
// any real dtype (what a .npy holds, or what a JavaScript caller has), labels
// as class indices or one-hot rows. Validates like a data file — every
// message names the array's source and the value at fault — then calls the
// binning estimator (src/mi/information-plane.ts) and, if asked, the KDE
// bounds (src/mi/kde.ts). `infoplane mi` is this function behind file reading.
//
// Conventions, stated because they change numbers:
// - Rows are samples. [N] is one unit per sample; [N, d1, d2, …] is flattened
//   to [N, d1·d2·…] in C order (a conv layer's (C, H, W) becomes C·H·W units).
// - Activations are binned as float32, the estimator's type (and PyTorch's):
//   float64 values are rounded to float32 first, which can move a value that
//   sits within a float32 ulp of a bin edge into the neighbouring bin.
// - Labels are categories: the distinct values of an index vector, sorted,
//   become classes 0..C−1 (so −1/+1 and 3/8 work); entropies do not depend on
//   how classes are numbered. A one-hot [N, C] gives C classes.
import { InputError } from '../core/input-error.ts';
import { type Binning, formatBinning, type LayerActivation, parseBinning } from '../mi/binning.ts';
import { type BinnedInput, informationPlane, type InformationPlanePoint, type MiEngineChoice } from '../mi/information-plane.ts';
import { type BiasCorrection, millerMadowPlane } from '../mi/bias-correction.ts';
import { type BinSpace, checkPreActivationBinning, preActivationLayers } from '../mi/pre-activation.ts';
import { selectMiEngine } from '../backend/registry.ts';
import { DEFAULT_NOISE_VARIANCE, kdeInformationPlane, type KdeLayerPoint } from '../mi/kde.ts';
import { DEFAULT_KSG_K, ksgInformationPlane, type KsgLayerPoint } from '../mi/ksg.ts';
import { type NdArray, type NumericArray, shapeSize } from './npy.ts';

export interface ArrayLayer extends NdArray {
  /** Reported with the layer's point, e.g. `h1`. */
  readonly name?: string;
  /** Picks the default fixed/idnns range: tanh [−1, 1] (default), softmax/sigmoid [0, 1]. */
  readonly activation?: LayerActivation;
  /** Where the array came from, for error messages (a file name); default `layers[i]`. */
  readonly source?: string;
}

export interface ArrayLabels extends NdArray {
  readonly source?: string;
}

export interface ArrayMiOptions {
  /** One information plane per binning; default `fixed:30`. */
  readonly binnings?: readonly (Binning | string)[];
  /** A binned X (e.g. the inputs); default: each sample its own x, I(X;T) = H(T). */
  readonly x?: NdArray & { readonly source?: string; readonly binning?: Binning | string; readonly activation?: LayerActivation };
  /** KDE upper/lower bounds besides binning (Kolchinsky & Tracey, as in Saxe et al.). */
  readonly kde?: { readonly noiseVariance?: number; readonly subsample?: number; readonly seed?: number };
  /** KSG besides binning (Kraskov et al. 2004; Ross 2014 for I(T;Y)); I(X;T) needs `x`, taken as continuous. */
  readonly ksg?: { readonly k?: number; readonly subsample?: number; readonly seed?: number };
  readonly engine?: MiEngineChoice;
  /** miller-madow: each point also carries ixtMillerMadow and ityMillerMadow, beside the plug-in ixt and ity. */
  readonly biasCorrection?: BiasCorrection;
  /** pre: bin each layer's pre-activations, found by inverting its activation (softmax layers stay); the plane is labelled `:pre`. */
  readonly binSpace?: BinSpace;
}

/** A binning point, with the Miller–Madow corrected values when asked for, bits. */
export type ArrayMiPoint = InformationPlanePoint & { ixtMillerMadow?: number; ityMillerMadow?: number };

export interface ArrayMiResult {
  /** Samples (rows). */
  n: number;
  classes: number;
  labels: { encoding: 'indices' | 'one-hot' /** indices: the label value of each class 0..C−1. */; values?: number[] };
  layers: { name: string; width: number; shape: number[] }[];
  /** One per binning, points in layer order. */
  planes: { binning: string; points: ArrayMiPoint[] }[];
  kde?: { noiseVariance: number; points: KdeLayerPoint[] };
  ksg?: { k: number; points: KsgLayerPoint[] };
}

function dims(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

function checkArray(a: NdArray | undefined, source: string): void {
  if (!a || typeof a !== 'object' || !ArrayBuffer.isView(a.data) || !Array.isArray(a.shape)) {
    throw new InputError(source, 'must be {data: a typed array, shape: number[]}');
  }
  if (!a.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new InputError(source, `shape must be non-negative integers, got [${a.shape.join(', ')}]`);
  if (shapeSize(a.shape, source) !== a.data.length)
    throw new InputError(source, `shape ${dims(a.shape)} holds ${shapeSize(a.shape)} elements, the data has ${a.data.length}`);
}

function toNumber(data: NumericArray, i: number): number {
  const v = data[i];
  return typeof v === 'bigint' ? Number(v) : v;
}

/** [N, width] float32 of an activation array: rows are samples, trailing axes flattened. */
export function activationMatrix(a: NdArray, source: string): { activations: Float32Array; n: number; width: number } {
  checkArray(a, source);
  if (a.shape.length === 0) throw new InputError(source, 'wrong shape: a scalar (shape ()); expected [N, width] activations, one row per sample');
  const n = a.shape[0];
  const width = a.shape.length === 1 ? 1 : shapeSize(a.shape.slice(1), source);
  if (n === 0) throw new InputError(source, `wrong shape ${dims(a.shape)}: no samples`);
  if (width === 0) throw new InputError(source, `wrong shape ${dims(a.shape)}: no units per sample`);
  const d = a.data;
  let activations: Float32Array;
  if (d instanceof Float32Array) activations = d;
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array) activations = Float32Array.from(d, (v) => Number(v));
  else activations = Float32Array.from(d);
  let bad = -1;
  let badCount = 0;
  for (let k = 0; k < activations.length; k++) {
    if (!Number.isFinite(activations[k])) {
      if (bad < 0) bad = k;
      badCount++;
    }
  }
  if (bad >= 0) {
    const v = toNumber(d, bad);
    const what = Number.isFinite(v) ? `${v}, which overflows float32,` : String(v);
    throw new InputError(
      source,
      `${badCount} non-finite value${badCount > 1 ? 's' : ''} in the activations, the first at row ${Math.floor(bad / width)}, unit ${bad % width}: ${what}; binning needs finite values`,
    );
  }
  return { activations, n, width };
}

/** Class indices 0..C−1 of a label array: integer values [N] or [N, 1], or one-hot rows [N, C]. */
export function classLabels(a: NdArray, source: string): { labels: Int32Array; classes: number; encoding: 'indices' | 'one-hot'; values?: number[] } {
  checkArray(a, source);
  const { shape, data } = a;
  if (shape.length === 0 || shape.length > 2)
    throw new InputError(source, `wrong shape ${dims(shape)} for labels; expected integers [N] or one-hot rows [N, C]`);
  const n = shape[0];
  if (n === 0) throw new InputError(source, `wrong shape ${dims(shape)}: no samples`);
  if (shape.length === 2 && shape[1] > 1) {
    const c = shape[1];
    const labels = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      let hot = -1;
      for (let k = 0; k < c; k++) {
        const v = toNumber(data, r * c + k);
        if (v === 1 && hot < 0) hot = k;
        else if (v !== 0) {
          const row = Array.from({ length: Math.min(c, 8) }, (_, j) => toNumber(data, r * c + j)).join(', ');
          throw new InputError(
            source,
            `labels of shape ${dims(shape)} must be one-hot (one 1 and zeros in each row); row ${r} is [${row}${c > 8 ? ', …' : ''}]`,
          );
        }
      }
      if (hot < 0) throw new InputError(source, `labels of shape ${dims(shape)} must be one-hot; row ${r} has no 1`);
      labels[r] = hot;
    }
    return { labels, classes: c, encoding: 'one-hot' };
  }
  if (shape.length === 2 && shape[1] === 0) throw new InputError(source, `wrong shape ${dims(shape)}: no label columns`);
  const raw = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const v = toNumber(data, r);
    if (!Number.isSafeInteger(v)) {
      throw new InputError(source, `labels must be integer class values (or one-hot rows); element ${r} is ${String(data[r])}`);
    }
    raw[r] = v;
  }
  const values = [...new Set(raw)].sort((x, y) => x - y);
  const index = new Map(values.map((v, i) => [v, i]));
  const labels = Int32Array.from(raw, (v) => index.get(v)!);
  return { labels, classes: values.length, encoding: 'indices', values };
}

/**
 * The information plane of arrays: each layer [N, …], labels [N] or [N, C],
 * all with the same N. Throws InputError naming the array (its `source`) for bad
 * input, InputError for bad estimator options.
 */
export function informationPlaneOfArrays(layers: readonly ArrayLayer[], labels: ArrayLabels, options: ArrayMiOptions = {}): ArrayMiResult {
  if (!Array.isArray(layers) || layers.length === 0) throw new InputError('layers', 'must be a non-empty array of {data, shape}');
  const labelSource = labels?.source ?? 'labels';
  const y = classLabels(labels, labelSource);
  const n = y.labels.length;
  const matrices = layers.map((layer, i) => {
    const source = layer?.source ?? `layers[${i}]`;
    const m = activationMatrix(layer, source);
    if (m.n !== n)
      throw new InputError(source, `has ${m.n} samples (rows), the labels (${labelSource}) have ${n}: every array needs the same samples in the same order`);
    return { name: layer.name ?? `layers[${i}]`, activations: m.activations, width: m.width, activation: layer.activation, shape: [...layer.shape] };
  });
  const binnings = (options.binnings ?? ['fixed:30']).map((b, i) => (typeof b === 'string' ? parseBinning(b, `binnings[${i}]`) : b));
  if (binnings.length === 0) throw new InputError('binnings', 'must name at least one binning');
  let x: BinnedInput | undefined;
  if (options.x) {
    const source = options.x.source ?? 'x';
    const m = activationMatrix(options.x, source);
    if (m.n !== n)
      throw new InputError(source, `has ${m.n} samples (rows), the labels (${labelSource}) have ${n}: every array needs the same samples in the same order`);
    x = { activations: m.activations, width: m.width, binning: options.x.binning ?? binnings[0], activation: options.x.activation };
  }
  const pre = options.binSpace === 'pre';
  if (pre) binnings.forEach((b, i) => checkPreActivationBinning(b, `binnings[${i}]`));
  const binned = pre ? preActivationLayers(matrices) : matrices;
  const planes = binnings.map((binning) => {
    const points: ArrayMiPoint[] = informationPlane(binned, y.labels, { binning, classes: y.classes, x, engine: options.engine });
    if (options.biasCorrection === 'miller-madow') {
      const xBinned = x && { ...x, binning: typeof x.binning === 'string' ? parseBinning(x.binning, 'x.binning') : x.binning };
      const mm = millerMadowPlane(binned, y.labels, binning, selectMiEngine(options.engine), xBinned);
      points.forEach((p, i) => Object.assign(p, { ixtMillerMadow: mm[i].ixt.millerMadow, ityMillerMadow: mm[i].ity.millerMadow }));
    }
    return { binning: formatBinning(binning) + (pre ? ':pre' : ''), points };
  });
  const result: ArrayMiResult = {
    n,
    classes: y.classes,
    labels: { encoding: y.encoding, ...(y.values ? { values: y.values } : {}) },
    layers: matrices.map((m) => ({ name: m.name, width: m.width, shape: m.shape })),
    planes,
  };
  if (options.kde) {
    const noiseVariance = options.kde.noiseVariance ?? DEFAULT_NOISE_VARIANCE;
    const subsample = options.kde.subsample;
    const points = kdeInformationPlane(matrices, y.labels, {
      noiseVariance,
      seed: options.kde.seed ?? 0,
      ...(subsample !== undefined && subsample > 0 && subsample < n ? { subsample } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
    });
    result.kde = { noiseVariance, points };
  }
  if (options.ksg) {
    const { k = DEFAULT_KSG_K, subsample, seed = 0 } = options.ksg;
    const points = ksgInformationPlane(matrices, y.labels, {
      k,
      seed,
      ...(subsample !== undefined && subsample > 0 && subsample < n ? { subsample } : {}),
      ...(x ? { x: { activations: x.activations, width: x.width } } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
    });
    result.ksg = { k, points };
  }
  return result;
}
