// The Kraskov–Stögbauer–Grassberger estimator (Phys. Rev. E 69, 066138, 2004,
// algorithm 1, digamma form, max-norm) of I(X;T) for continuous X and T, and
// its mixed discrete–continuous form (Ross, PLoS ONE 9, e87357, 2014) for
// I(T;Y) with a class label Y. In nats, then converted to bits:
//
//   I(X;T) = ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_t + 1)⟩        (KSG algorithm 1)
//   I(T;Y) = ψ(N) − ⟨ψ(N_y)⟩ + ⟨ψ(k_i)⟩ − ⟨ψ(m_i)⟩             (Ross 2014)
//
// n_x, n_t: neighbours strictly closer than the joint k-th neighbour in each
// marginal; N_y: rows of i's class; k_i = min(k, N_y − 1); m_i: rows of any
// class strictly closer than i's k_i-th same-class neighbour, i included
// (scikit-learn's mutual_info_classif counts the same way). Rows of a class
// with a single member are dropped, as scikit-learn does. No clamping at 0:
// the estimator's bias is part of what is reported.
//
// Ties: like NPEET's add_noise, each coordinate gets uniform noise in [0, a_f)
// from a seeded stream, scaled per column as scikit-learn's mutual_info_*
// does: a_f = c · max(1, mean_i |x_if|). NPEET and scikit-learn use c = 1e-10
// on float64; float32 resolves only 1.2e-7 at 1, so c = 1e-10 would add
// nothing and c = 1e-6 only ~8 levels per value, which leaves the distances
// within a cluster of tied rows (saturated tanh units at exactly ±1, MNIST's
// zero pixels) quantized and tied, biasing the counts. c = 1e-4 gives ~840
// levels, and stays far below the neighbour distances of real data (about
// 1e-2 in the validation tasks at N = 10 000).
//
// Cost: the counts are a brute-force O(N² d) search (native SIMD kernel).
// For the 784-pixel X and the 1024-wide layer the information plane uses a
// seeded subsample of rows (`subsample`, ibsgd's KDE strategy), the same rows
// for every layer so layers stay comparable.

import { InputError } from '../core/input-error.ts';
import type { KsgCountEngine } from '../backend/ksg-kernels.ts';
import { loadNativeKsg, nativeKsgCounts } from '../backend/native/ksg.ts';
import { referenceKsgCounts } from '../backend/reference/ksg.ts';
import { gatherRows, subsampleRows } from './subsample.ts';
import { Rng } from '../core/rng.ts';

export const DEFAULT_KSG_K = 3;
/** Tie-breaking noise amplitude per column, relative to max(1, the column's mean |value|). */
export const KSG_NOISE_SCALE = 1e-4;

export type KsgEngineChoice = 'auto' | 'native' | 'reference';

export interface KsgOptions {
  /** Neighbours, default 3 (Kraskov et al.; NPEET's default). */
  readonly k?: number;
  /** Seed of the tie-breaking noise and the subsample; default 0. */
  readonly seed?: number;
  /** Estimate on this many rows (seeded, without replacement) instead of all N. */
  readonly subsample?: number;
  /** `auto` (default): native when the addon loads. */
  readonly engine?: KsgEngineChoice | KsgCountEngine;
}

export interface KsgEstimate {
  /** The estimate, bits (may be slightly negative: it is not clamped). */
  bits: number;
  /** Rows the estimate used (after subsampling and dropping single-row classes). */
  samples: number;
  k: number;
  engine: 'native' | 'reference';
}

export function selectKsgEngine(choice: KsgEngineChoice | KsgCountEngine = 'auto'): KsgCountEngine {
  if (typeof choice === 'object') return choice;
  if (choice === 'reference') return referenceKsgCounts;
  if (choice !== 'auto' && choice !== 'native') throw new InputError('engine', `must be auto, native or reference, got ${JSON.stringify(choice)}`);
  const native = nativeKsgCounts();
  if (native) return native;
  if (choice === 'native') throw new InputError('engine', `native KSG engine unavailable: ${loadNativeKsg().error}`);
  return referenceKsgCounts;
}

/** ψ(m) for integers 0 < m ≤ n: ψ(1) = −γ, ψ(m + 1) = ψ(m) + 1/m. Index 0 is unused (NaN). */
export function digammaTable(n: number): Float64Array {
  const psi = new Float64Array(n + 1);
  psi[0] = NaN;
  psi[1] = -0.5772156649015329;
  for (let m = 1; m < n; m++) psi[m + 1] = psi[m] + 1 / m;
  return psi;
}

/** values[N, width] plus seeded uniform noise in [0, KSG_NOISE_SCALE · max(1, mean |column|)), rounded to float32. */
export function addTieNoise(values: Float32Array, width: number, rng: Rng): Float32Array {
  const n = values.length / width;
  const amplitude = new Float64Array(width);
  for (let i = 0; i < values.length; i++) amplitude[i % width] += Math.abs(values[i]);
  for (let f = 0; f < width; f++) amplitude[f] = KSG_NOISE_SCALE * Math.max(1, amplitude[f] / n);
  return values.map((v, i) => v + amplitude[i % width] * rng.nextFloat());
}

function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1) throw new InputError('k', `must be an integer ≥ 1, got ${k}`);
  if (k >= n) throw new InputError('k', `must be < the number of samples (${n}), got ${k}`);
}

function checkPoints(field: string, values: unknown, width: unknown, n: number): void {
  if (!(values instanceof Float32Array)) throw new InputError(field, 'must be a Float32Array [N, width], row-major');
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) throw new InputError(`${field}.width`, `must be an integer ≥ 1, got ${width}`);
  if (values.length !== n * width) throw new InputError(field, `has ${values.length} elements, expected N·width = ${n}·${width}`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InputError(`${field}[${Math.floor(bad / width)}, ${bad % width}]`, `must be finite, got ${values[bad]}`);
}

/** I(X;Y) of continuous X[N, dx] and Y[N, dy] by KSG algorithm 1, bits. */
export function ksgMutualInformation(x: Float32Array, dx: number, y: Float32Array, dy: number, options: KsgOptions = {}): KsgEstimate {
  const n = x instanceof Float32Array && dx > 0 ? x.length / dx : 0;
  checkPoints('x', x, dx, n);
  checkPoints('y', y, dy, n);
  const seed = options.seed ?? 0;
  const rows = subsampleRows(n, options.subsample, seed, 'ksg-subsample');
  const m = rows.length;
  const k = options.k ?? DEFAULT_KSG_K;
  checkK(k, m);
  const engine = selectKsgEngine(options.engine);
  const noise = Rng.stream(seed, 'ksg-noise');
  return continuousEstimate(addTieNoise(gatherRows(x, dx, rows), dx, noise), dx, addTieNoise(gatherRows(y, dy, rows), dy, noise), dy, k, engine);
}

function continuousEstimate(x: Float32Array, dx: number, y: Float32Array, dy: number, k: number, engine: KsgCountEngine): KsgEstimate {
  const n = x.length / dx;
  const cx = new Int32Array(n);
  const cy = new Int32Array(n);
  engine.counts(cx, cy, x, dx, y, dy, n, k);
  const psi = digammaTable(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += psi[cx[i] + 1] + psi[cy[i] + 1];
  return { bits: (psi[k] + psi[n] - mean / n) / Math.LN2, samples: n, k, engine: engine.name };
}

/** I(T;Y) of continuous T[N, d] and class labels Y by the Ross 2014 form, bits. */
export function ksgLabelMutualInformation(t: Float32Array, d: number, labels: Int32Array, options: KsgOptions = {}): KsgEstimate {
  if (!(labels instanceof Int32Array)) throw new InputError('labels', 'must be an Int32Array of class indices');
  const n = labels.length;
  checkPoints('t', t, d, n);
  const seed = options.seed ?? 0;
  const rows = subsampleRows(n, options.subsample, seed, 'ksg-subsample');
  const sub = rows.map((r) => labels[r]);
  return labelEstimate(
    addTieNoise(gatherRows(t, d, rows), d, Rng.stream(seed, 'ksg-noise')),
    d,
    sub,
    options.k ?? DEFAULT_KSG_K,
    selectKsgEngine(options.engine),
  );
}

function labelEstimate(t: Float32Array, d: number, labels: Int32Array, k: number, engine: KsgCountEngine): KsgEstimate {
  labels.forEach((y, r) => {
    if (y < 0) throw new InputError(`labels[${r}]`, `must be ≥ 0, got ${y}`);
  });
  const size = new Map<number, number>();
  for (const y of labels) size.set(y, (size.get(y) ?? 0) + 1);
  // Rows whose class has no other member have no neighbour in it: dropped (scikit-learn does the same).
  const keep = Int32Array.from(labels.keys()).filter((r) => size.get(labels[r])! > 1);
  const n = keep.length;
  if (n < 2) throw new InputError('labels', 'no class has ≥ 2 rows: no row has a neighbour in its own class');
  checkK(k, Infinity); // k may exceed a class: it is capped per class at N_y − 1
  const kept = keep.map((r) => labels[r]);
  const classes = Math.max(...kept) + 1;
  const cx = new Int32Array(n);
  engine.classCounts(cx, n === labels.length ? t : gatherRows(t, d, keep), d, kept, classes, n, Math.min(k, n - 1));
  const psi = digammaTable(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const ny = size.get(kept[i])!;
    mean += psi[Math.min(k, ny - 1)] - psi[ny] - psi[cx[i] + 1];
  }
  return { bits: (psi[n] + mean / n) / Math.LN2, samples: n, k, engine: engine.name };
}

export interface KsgLayerPoint {
  layer: number;
  name?: string;
  /** KSG I(X;T), bits; null without an X. */
  ixt: number | null;
  /** Ross I(T;Y), bits. */
  ity: number;
  samples: number;
  k: number;
  engine: 'native' | 'reference';
}

/**
 * KSG information-plane points of every layer of one evaluation, all on the same
 * (subsampled) rows; X is the continuous input, e.g. the pixels, or omitted.
 */
export function ksgInformationPlane(
  layers: readonly { name?: string; activations: Float32Array; width: number }[],
  labels: Int32Array,
  options: KsgOptions & { readonly x?: { activations: Float32Array; width: number } } = {},
): KsgLayerPoint[] {
  if (!(labels instanceof Int32Array) || labels.length < 2) throw new InputError('labels', 'must be an Int32Array of ≥ 2 class indices');
  const n = labels.length;
  if (!Array.isArray(layers) || layers.length === 0) throw new InputError('layers', 'must be a non-empty array of {activations, width}');
  layers.forEach((l, i) => checkPoints(`layers[${i}].activations`, l?.activations, l?.width, n));
  if (options.x) checkPoints('x', options.x.activations, options.x.width, n);
  const seed = options.seed ?? 0;
  const k = options.k ?? DEFAULT_KSG_K;
  const rows = subsampleRows(n, options.subsample, seed, 'ksg-subsample');
  checkK(k, rows.length);
  const engine = selectKsgEngine(options.engine);
  const sub = rows.map((r) => labels[r]);
  // One noise stream per array, so adding a layer changes no other layer's noise.
  const x = options.x ? addTieNoise(gatherRows(options.x.activations, options.x.width, rows), options.x.width, Rng.stream(seed, 'ksg-noise/x')) : undefined;
  return layers.map((l, i) => {
    const t = addTieNoise(gatherRows(l.activations, l.width, rows), l.width, Rng.stream(seed, `ksg-noise/${i}`));
    const ity = labelEstimate(t, l.width, sub, k, engine);
    const ixt = x ? continuousEstimate(x, options.x!.width, t, l.width, k, engine).bits : null;
    return { layer: i, ...(l.name !== undefined ? { name: l.name } : {}), ixt, ity: ity.bits, samples: rows.length, k, engine: engine.name };
  });
}
