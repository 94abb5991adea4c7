// KDE upper and lower bounds on I(X;T) and I(T;Y) (Kolchinsky & Tracey,
// "Estimating Mixture Entropy with Pairwise Distances", Entropy 2017, §4), as
// Saxe et al. 2018 compute them: T plus Gaussian noise of variance σ² (0.1 by
// default) is a mixture of N Gaussians N(t_i, σ²I). The formulas mirror
// artemyk/ibsgd kde.py (commit 04c1b62) and MNIST_ComputeMI.ipynb, in nats:
//
//   dists_ij = ‖t_i‖² + ‖t_j‖² − 2 t_i·t_j                          (Kget_dists)
//   entropy_estimator_kl(t, σ²) = d/2 − mean_i [ logsumexp_j(−dists_ij/(2σ²))
//                                   − log N − (d/2)·log(2πσ²) ]         (upper)
//   entropy_estimator_bd(t, σ²) = entropy_estimator_kl(t, 4σ²) + (d/2)·log(1/4)   (lower)
//   kde_condentropy(d, σ²)      = (d/2)·(log(2πσ²) + 1)              (H(T|X): the noise)
//   I(X;T) = (H(T) − H(T|X))/ln 2;   I(T;Y) = (H(T) − Σ_y p(y) H(T|Y=y))/ln 2
//   with p(y) the label frequencies and H(T|Y=y) the same estimator on class y's rows.
//
// Two deliberate numerical choices, both invisible in exact arithmetic:
// dists_ii is exactly 0 and every dists_ij is clamped at ≥ 0 (the GEMM form
// can round a tiny distance below zero). Then the largest term of each
// logsumexp is exp(0) = 1, so the sum needs no max-shift and never overflows.
//
// Engines (the backends' Gram kernels, chosen in src/backend/registry.ts):
// `reference` computes the products in float64 in TypeScript; `native` gets
// t_i·t_j from the addon's float32 GEMM (linearForward), the same precision
// ibsgd's Keras code had (K.floatx() = float32), and agrees with the reference
// to about float32 rounding of the dot products.

import { InputError } from '../core/input-error.ts';
import type { GramBlock } from '../backend/gram-kernels.ts';
import { type KdeEngineChoice, selectGramKernel } from '../backend/registry.ts';
import { gatherRows, subsampleRows } from './subsample.ts';

export const DEFAULT_NOISE_VARIANCE = 0.1;

/** Upper and lower bounds of the entropy of the noisy layer, nats. */
export interface KdeEntropy {
  upper: number;
  lower: number;
}

/** kde_condentropy: entropy of the Gaussian noise N(0, σ²I_d), nats. */
export function kdeConditionalEntropy(d: number, variance: number): number {
  return (d / 2) * (Math.log(2 * Math.PI * variance) + 1);
}

/**
 * Per-row kernel sums of one layer: for each row i, Σ_j exp(−dists_ij/(2σ²))
 * (upper) and Σ_j exp(−dists_ij/(8σ²)) (lower, σ² → 4σ²), over all rows j and
 * over the rows j of i's own class. j runs in ascending order for every i.
 */
function kernelSums(t: Float32Array, n: number, d: number, labels: Int32Array, variance: number, gram: GramBlock) {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += t[i * d + k] * t[i * d + k];
    norms[i] = s;
  }
  const all = { upper: new Float64Array(n), lower: new Float64Array(n) };
  const own = { upper: new Float64Array(n), lower: new Float64Array(n) };
  const block = Math.max(1, Math.min(n, Math.floor(4_000_000 / n), 512));
  const products = new Float64Array(n * block);
  const upperScale = 1 / (2 * variance);
  const lowerScale = 1 / (2 * 4 * variance);
  for (let j0 = 0; j0 < n; j0 += block) {
    const j1 = Math.min(n, j0 + block);
    const b = j1 - j0;
    gram(products, t, n, d, j0, j1);
    for (let i = 0; i < n; i++) {
      let su = 0;
      let sl = 0;
      let ou = 0;
      let ol = 0;
      for (let j = j0; j < j1; j++) {
        const dist = i === j ? 0 : Math.max(0, norms[i] + norms[j] - 2 * products[i * b + (j - j0)]);
        const ku = Math.exp(-dist * upperScale);
        const kl = Math.exp(-dist * lowerScale);
        su += ku;
        sl += kl;
        if (labels[j] === labels[i]) {
          ou += ku;
          ol += kl;
        }
      }
      all.upper[i] += su;
      all.lower[i] += sl;
      own.upper[i] += ou;
      own.lower[i] += ol;
    }
  }
  return { all, own };
}

/** entropy_estimator_kl from the rows' kernel sums (logsumexp_j = log Σ_j), nats. */
function entropyFromSums(sums: Float64Array, rows: Iterable<number>, count: number, d: number, variance: number): number {
  const normconst = (d / 2) * Math.log(2 * Math.PI * variance);
  let mean = 0;
  for (const i of rows) mean += Math.log(sums[i]) - Math.log(count) - normconst;
  return d / 2 - mean / count;
}

function boundsFromSums(s: { upper: Float64Array; lower: Float64Array }, rows: number[], d: number, variance: number): KdeEntropy {
  return {
    upper: entropyFromSums(s.upper, rows, rows.length, d, variance),
    lower: entropyFromSums(s.lower, rows, rows.length, d, 4 * variance) + Math.log(0.25) * (d / 2),
  };
}

export type { KdeEngineChoice };

function checkVariance(variance: number): void {
  if (!(Number.isFinite(variance) && variance > 0)) throw new InputError('noiseVariance', `must be a finite number > 0, got ${variance}`);
}

function checkLayer(field: string, t: unknown, n: number, d: unknown): asserts t is Float32Array {
  if (!(t instanceof Float32Array)) throw new InputError(`${field}.activations`, 'must be a Float32Array [N, width], row-major');
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) throw new InputError(`${field}.width`, `must be an integer ≥ 1, got ${d}`);
  if (t.length !== n * d) throw new InputError(`${field}.activations`, `has ${t.length} elements, expected ${n}·${d} = ${n * d}`);
  for (let k = 0; k < t.length; k++) {
    if (!Number.isFinite(t[k]))
      throw new InputError(`${field}.activations`, `element ${k} (row ${Math.floor(k / d)}, unit ${k % d}) is ${t[k]}; must be finite`);
  }
}

/** Upper (entropy_estimator_kl) and lower (entropy_estimator_bd) bounds of H(T + noise) for t[n, d], nats. */
export function kdeEntropy(t: Float32Array, n: number, d: number, variance = DEFAULT_NOISE_VARIANCE, engine: KdeEngineChoice = 'auto'): KdeEntropy {
  checkVariance(variance);
  if (!Number.isInteger(n) || n < 1) throw new InputError('n', `must be an integer ≥ 1, got ${n}`);
  checkLayer('t', t, n, d);
  const { all } = kernelSums(t, n, d, new Int32Array(n), variance, selectGramKernel(engine).gram);
  return boundsFromSums(
    all,
    Array.from({ length: n }, (_, i) => i),
    d,
    variance,
  );
}

export interface KdeOptions {
  /** σ² of the Gaussian noise added to T; ibsgd's noise_variance = 1e-1. */
  readonly noiseVariance?: number;
  /** Estimate on this many rows, drawn without replacement (seeded), instead of all N. */
  readonly subsample?: number;
  /** Seed of the subsample draw (stream `kde-subsample`); default 0. */
  readonly seed?: number;
  /** `auto` (default): native GEMM when the addon loads. */
  readonly engine?: KdeEngineChoice;
}

export interface KdeLayerPoint {
  layer: number;
  name?: string;
  /** I(X;T) bounds, bits: (H(T) − H(T|X))/ln 2 with the upper/lower H(T); H(T|X) is the noise's, exact, so these are bounds. */
  ixtUpper: number;
  ixtLower: number;
  /**
   * I(T;Y) from the upper (lower) entropy estimator, bits: (H(T) − Σ_y p(y) H(T|Y=y))/ln 2 with
   * both H from the same estimator. A difference of two upper (lower) bounds is not a bound of
   * I(T;Y): Saxe et al. plot these two as estimates, and so do we.
   */
  ityFromUpper: number;
  ityFromLower: number;
  /** Entropy bounds of the noisy layer, bits. */
  htUpper: number;
  htLower: number;
  /** H(T|X): the noise entropy, bits. */
  htGivenX: number;
  estimator: { scheme: 'kde'; noiseVariance: number; samples: number; subsampled: boolean };
  /**
   * log2 of the rows estimated on: a mixture of m Gaussians has at most log m nats more entropy
   * than one of them, so ixtUpper ≤ log2 m (9.97 bits at the default subsample of 1 000, below
   * the 13.29 bits binning can show on 10 000 images).
   */
  ceiling: number;
  /** ixtUpper within 0.01 bit of the ceiling: the subsample, not the layer, limits the bound. */
  atCeiling: boolean;
  engine: 'native' | 'reference';
}

/** Bits within which a KDE bound counts as at its subsample ceiling (as binning's saturation). */
export const KDE_CEILING_TOLERANCE_BITS = 0.01;

/** The rows to estimate on: all, or a seeded subsample kept in ascending order. */
export function kdeRows(n: number, subsample: number | undefined, seed = 0): Int32Array {
  return subsampleRows(n, subsample, seed, 'kde-subsample');
}

/** KDE information-plane bounds of every layer of one evaluation. */
export function kdeInformationPlane(
  layers: readonly { name?: string; activations: Float32Array; width: number }[],
  labels: Int32Array,
  options: KdeOptions = {},
): KdeLayerPoint[] {
  const variance = options.noiseVariance ?? DEFAULT_NOISE_VARIANCE;
  checkVariance(variance);
  if (!(labels instanceof Int32Array) || labels.length < 1) throw new InputError('labels', 'must be a non-empty Int32Array of class indices');
  const n = labels.length;
  for (let r = 0; r < n; r++) if (labels[r] < 0) throw new InputError(`labels[${r}]`, `must be ≥ 0, got ${labels[r]}`);
  if (!Array.isArray(layers) || layers.length === 0) throw new InputError('layers', 'must be a non-empty array of {activations, width}');
  layers.forEach((l, i) => checkLayer(`layers[${i}]`, l?.activations, n, l?.width));
  const rows = kdeRows(n, options.subsample, options.seed);
  const m = rows.length;
  const { gram, engine } = selectGramKernel(options.engine ?? 'auto');

  const sub = new Int32Array(m);
  for (let k = 0; k < m; k++) sub[k] = labels[rows[k]];
  const byClass = new Map<number, number[]>(); // class → its rows (subsample indices), classes ascending
  for (const y of [...new Set(sub)].sort((a, b) => a - b)) byClass.set(y, []);
  sub.forEach((y, k) => byClass.get(y)!.push(k));
  const all = Array.from({ length: m }, (_, k) => k);

  return layers.map((l, i) => {
    const d = l.width;
    const t = m < n ? gatherRows(l.activations, d, rows) : l.activations;
    const sums = kernelSums(t, m, d, sub, variance, gram);
    const h = boundsFromSums(sums.all, all, d, variance);
    const hGivenY = { upper: 0, lower: 0 };
    for (const members of byClass.values()) {
      const hy = boundsFromSums(sums.own, members, d, variance);
      const p = members.length / m; // labelprobs = np.mean(Y, axis=0)
      hGivenY.upper += p * hy.upper;
      hGivenY.lower += p * hy.lower;
    }
    const hGivenX = kdeConditionalEntropy(d, variance);
    const bits = 1 / Math.log(2); // nats2bits
    const ixtUpper = bits * (h.upper - hGivenX);
    return {
      layer: i,
      ...(l.name !== undefined ? { name: l.name } : {}),
      ixtUpper,
      ixtLower: bits * (h.lower - hGivenX),
      ityFromUpper: bits * (h.upper - hGivenY.upper),
      ityFromLower: bits * (h.lower - hGivenY.lower),
      htUpper: bits * h.upper,
      htLower: bits * h.lower,
      htGivenX: bits * hGivenX,
      estimator: { scheme: 'kde', noiseVariance: variance, samples: m, subsampled: m < n },
      ceiling: Math.log2(m),
      atCeiling: ixtUpper >= Math.log2(m) - KDE_CEILING_TOLERANCE_BITS,
      engine,
    };
  });
}
