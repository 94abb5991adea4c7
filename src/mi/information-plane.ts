// The information plane of one evaluation (Shwartz-Ziv & Tishby 2017): for
// each layer T, the point (I(X;T), I(T;Y)) from the binning estimator.
//
// With deterministic T and every input distinct (the default: each sample is
// its own x), I(X;T) = H(T) and I(T;Y) = H(T) − Σ_y p(y) H(T|Y=y), plug-in
// entropies in bits over the N samples. Ceilings: log2 N and H(Y); a layer
// whose I(X;T) is within 0.01 bits of its ceiling is `saturated` (every
// sample in a bin of its own: the estimate says nothing about compression).
//
// With a binned X (options.x), X is quantized like a layer and I(X;T) is the
// MI of two discrete row symbols, H(T) − H(T|X); its ceiling is H(X), and
// saturation is measured against it.

import { InputError } from '../core/input-error.ts';
import { type Binning, DEFAULT_BINNING, type EstimatorDescription, type LayerActivation, binningParams, describeEstimator, parseBinning } from './binning.ts';
import type { HashMode, MiEngine, RawLayerMi } from '../backend/mi-kernels.ts';
import { type MiEngineChoice, selectMiEngine } from '../backend/registry.ts';

/** Bits within which I(X;T) counts as saturated at its ceiling. */
export const SATURATION_TOLERANCE_BITS = 0.01;

export interface InformationPlaneLayer {
  /** e.g. `h1` or `fc2`; reported as given. */
  readonly name?: string;
  /** T[N, width], row-major float32 (one sample per row). */
  readonly activations: Float32Array;
  readonly width: number;
  /** Picks the default fixed/idnns range: tanh [−1, 1] (the default), softmax/sigmoid [0, 1]. */
  readonly activation?: LayerActivation;
}

export interface BinnedInput {
  /** X[N, width], row-major float32. */
  readonly activations: Float32Array;
  readonly width: number;
  readonly binning: Binning | string;
  readonly activation?: LayerActivation;
}

export type { MiEngineChoice };

export interface InformationPlaneOptions {
  /** Default `fixed:30`. Text is parsed by parseBinning. */
  readonly binning?: Binning | string;
  /** A binned X; default: each sample is its own x (I(X;T) = H(T)). */
  readonly x?: BinnedInput;
  /** Number of classes C (labels in [0, C)); default max label + 1. */
  readonly classes?: number;
  /** `auto` (default): native when the addon loads, reference otherwise. */
  readonly engine?: MiEngineChoice | MiEngine;
  /** Test hook: `collide-all` forces every row hash to collide (counts must not change). */
  readonly hashMode?: HashMode;
}

export type XMode = 'each-sample-distinct' | 'binned';

export interface InformationPlanePoint {
  /** Index of the layer in the input. */
  layer: number;
  name?: string;
  /** I(X;T), bits */
  ixt: number;
  /** I(T;Y), bits */
  ity: number;
  /** H(T), bits */
  ht: number;
  /** H(T|Y), bits */
  htGivenY: number;
  /** distinct binned rows of T */
  distinct: number;
  /** Ceiling of I(X;T): log2 N when each sample is its own x, H(X) when X is binned. */
  ceilingX: number;
  /** Ceiling of I(T;Y): H(Y). */
  ceilingY: number;
  /** I(X;T) within 0.01 bits of its ceiling (log2 N, or H(X) when X is binned). */
  saturated: boolean;
  /**
   * Fraction of the layer's values outside the binning range [lo, hi]: fixed binning clips them
   * into the end bins, idnns gives them the levels below lo and above hi. 0 for width binning and
   * adaptive binning over each layer's own range. Above 0, the range does not fit the layer.
   */
  outOfRange: number;
  estimator: EstimatorDescription;
  xMode: XMode;
  /** Binned X only: its estimator, H(X) and number of distinct x symbols. */
  x?: { estimator: EstimatorDescription; hx: number; distinct: number };
  /** Which engine computed it. */
  engine: 'native' | 'reference';
}

function toBinning(b: Binning | string | undefined, field: string): Binning {
  if (b === undefined) return DEFAULT_BINNING;
  return typeof b === 'string' ? parseBinning(b, field) : b;
}

function checkShape(field: string, activations: unknown, width: unknown, n: number): void {
  if (!(activations instanceof Float32Array)) throw new InputError(`${field}.activations`, 'must be a Float32Array [N, width], row-major');
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) throw new InputError(`${field}.width`, `must be an integer ≥ 1, got ${width}`);
  if (activations.length !== n * width) {
    throw new InputError(`${field}.activations`, `has ${activations.length} elements, expected N·width = ${n}·${width} = ${n * width}`);
  }
}

/**
 * The information-plane point of every layer of one evaluation.
 * labels[N] are the classes of the N samples the activations were computed on.
 */
export function informationPlane(layers: readonly InformationPlaneLayer[], labels: Int32Array, options: InformationPlaneOptions = {}): InformationPlanePoint[] {
  const engine = selectMiEngine(options.engine);
  const binning = toBinning(options.binning, 'binning');
  if (!(labels instanceof Int32Array)) throw new InputError('labels', 'must be an Int32Array of class indices');
  const n = labels.length;
  if (n < 1) throw new InputError('labels', 'needs at least one sample');
  let maxLabel = 0;
  for (let r = 0; r < n; r++) {
    if (labels[r] < 0) throw new InputError(`labels[${r}]`, `must be ≥ 0, got ${labels[r]}`);
    maxLabel = Math.max(maxLabel, labels[r]);
  }
  const classes = options.classes ?? maxLabel + 1;
  if (!Number.isInteger(classes) || classes <= maxLabel) throw new InputError('classes', `must be an integer > every label (max ${maxLabel}), got ${classes}`);
  if (!Array.isArray(layers) || layers.length === 0) throw new InputError('layers', 'must be a non-empty array of {activations, width}');
  layers.forEach((l, i) => checkShape(`layers[${i}]`, l?.activations, l?.width, n));

  // Binned X: its row symbols, numbered in order of first appearance.
  let xSymbols: Int32Array | null = null;
  let xInfo: { binning: Binning; lo: number | null; hi: number | null } | undefined;
  if (options.x) {
    checkShape('x', options.x.activations, options.x.width, n);
    const xBinning = toBinning(options.x.binning, 'x.binning');
    xSymbols = new Int32Array(n);
    const used = engine.rowSymbols(
      xSymbols,
      options.x.activations,
      n,
      options.x.width,
      binningParams(xBinning, options.x.activation ?? 'tanh', 'x.binning'),
      options.hashMode,
    );
    xInfo = { binning: xBinning, lo: used.lo, hi: used.hi };
  }

  // One engine call per distinct set of parameters (usually one for all layers).
  const params = layers.map((l, i) => binningParams(binning, l.activation ?? 'tanh', `layers[${i}].binning`));
  const raw = new Array<RawLayerMi>(layers.length);
  const groups = new Map<string, number[]>();
  params.forEach((p, i) => {
    const key = JSON.stringify(p);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indices of groups.values()) {
    const results = engine.informationPlane(
      indices.map((i) => ({ activations: layers[i].activations, width: layers[i].width })),
      labels,
      n,
      classes,
      params[indices[0]],
      xSymbols,
      options.hashMode,
    );
    indices.forEach((i, k) => (raw[i] = results[k]));
  }

  const log2n = Math.log2(n);
  return raw.map((r, i) => {
    const ceilingX = xSymbols ? r.hx : log2n;
    const point: InformationPlanePoint = {
      layer: i,
      ...(layers[i].name !== undefined ? { name: layers[i].name } : {}),
      ixt: r.ixt,
      ity: r.ity,
      ht: r.ht,
      htGivenY: r.htGivenY,
      distinct: r.distinct,
      ceilingX,
      ceilingY: r.hy,
      saturated: r.ixt >= ceilingX - SATURATION_TOLERANCE_BITS,
      outOfRange: r.outside / layers[i].activations.length,
      estimator: describeEstimator(binning, r),
      xMode: xSymbols ? 'binned' : 'each-sample-distinct',
      engine: engine.name,
    };
    if (xInfo) point.x = { estimator: describeEstimator(xInfo.binning, xInfo), hx: r.hx, distinct: r.distinctX };
    return point;
  });
}
