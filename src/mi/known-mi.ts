// Tasks whose mutual information is known exactly, for validating the
// estimators (after the benchmark-mi suite of Czyż et al., NeurIPS 2023:
// correlated Gaussians and their transformations). Each task draws N samples
// from a seeded stream and states its true MI in bits.
//
// - Correlated Gaussians: (X, Y) ~ N(0, Σ), I = −½ log2 det Σ / (det Σ_X det Σ_Y).
// - A Gaussian pushed through tanh: an invertible map of each variable leaves
//   I unchanged (Kraskov et al. 2004, §II), so the truth is the Gaussian's.
// - A balanced binary label with a Gaussian mixture, T | Y ~ N(±(μ/2)·u, I_d)
//   (u a unit vector): I = h(T) − h(T|Y). Only the projection on u carries
//   information, so I equals the 1-d case with means ±μ/2, computed here by
//   numerical integration of the mixture density.

import { Rng } from '../core/rng.ts';

export type KnownMiSample =
  | { kind: 'continuous'; x: Float32Array; dx: number; y: Float32Array; dy: number }
  | { kind: 'label'; t: Float32Array; d: number; labels: Int32Array };

export interface KnownMiTask {
  name: string;
  /** What the task is, in a few words. */
  description: string;
  /** The true mutual information, bits. */
  truth: number;
  sample(n: number, seed: number): KnownMiSample;
}

/** Lower-triangular L with L·Lᵀ = a (a symmetric positive definite, row-major d×d). */
export function cholesky(a: readonly number[], d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`covariance is not positive definite (pivot ${i} = ${s})`);
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/** log det of a symmetric positive definite matrix, through its Cholesky factor. */
export function logDet(a: readonly number[], d: number): number {
  const l = cholesky(a, d);
  let s = 0;
  for (let i = 0; i < d; i++) s += 2 * Math.log(l[i * d + i]);
  return s;
}

function block(a: readonly number[], d: number, from: number, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) out.push(a[(from + i) * d + from + j]);
  return out;
}

/** −½ log2 det Σ / (det Σ_X det Σ_Y) for Σ over (X[dx], Y[d − dx]). */
export function gaussianMiBits(sigma: readonly number[], d: number, dx: number): number {
  return (-0.5 * (logDet(sigma, d) - logDet(block(sigma, d, 0, dx), dx) - logDet(block(sigma, d, dx, d - dx), d - dx))) / Math.LN2;
}

/** Σ of dx independent pairs (X_i, Y_i), each standard with correlation ρ. */
export function pairedCovariance(dx: number, rho: number): number[] {
  const d = 2 * dx;
  const s = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) s[i * d + i] = 1;
  for (let i = 0; i < dx; i++) s[i * d + dx + i] = s[(dx + i) * d + i] = rho;
  return s;
}

function gaussianRows(n: number, sigma: readonly number[], d: number, rng: Rng): Float64Array {
  const l = cholesky(sigma, d);
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) z[i] = rng.nextNormal();
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += l[i * d + k] * z[k];
      out[r * d + i] = s;
    }
  }
  return out;
}

function split(rows: Float64Array, n: number, d: number, dx: number, map: (v: number) => number): KnownMiSample {
  const x = new Float32Array(n * dx);
  const y = new Float32Array(n * (d - dx));
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < dx; i++) x[r * dx + i] = map(rows[r * d + i]);
    for (let i = dx; i < d; i++) y[r * (d - dx) + i - dx] = map(rows[r * d + i]);
  }
  return { kind: 'continuous', x, dx, y, dy: d - dx };
}

/** (X, Y) ~ N(0, Σ); `map` (default none) is applied to every coordinate and must be invertible. */
export function gaussianTask(name: string, description: string, sigma: readonly number[], dx: number, map?: (v: number) => number): KnownMiTask {
  const d = Math.round(Math.sqrt(sigma.length));
  return {
    name,
    description,
    truth: gaussianMiBits(sigma, d, dx),
    sample: (n, seed) => split(gaussianRows(n, sigma, d, Rng.stream(seed, `known-mi/${name}`)), n, d, dx, map ?? ((v) => v)),
  };
}

/** φ(t; m, 1), the standard normal density shifted to m. */
function normal(t: number, m: number): number {
  return Math.exp(-0.5 * (t - m) * (t - m)) / Math.sqrt(2 * Math.PI);
}

/**
 * I(T;Y), bits, of a balanced label and T | Y ~ N(±μ/2, 1): h(T) − h(T|Y) with
 * h(T|Y) = ½ log(2πe) and h(T) by the trapezoid rule on [−μ/2 − 12, μ/2 + 12]
 * (the tails beyond hold < 1e-30 of the mass).
 */
export function mixtureLabelMiBits(mu: number, steps = 200_000): number {
  const lo = -mu / 2 - 12;
  const hi = mu / 2 + 12;
  const h = (hi - lo) / steps;
  let ht = 0;
  for (let s = 0; s <= steps; s++) {
    const t = lo + s * h;
    const p = 0.5 * normal(t, -mu / 2) + 0.5 * normal(t, mu / 2);
    const f = p > 0 ? -p * Math.log(p) : 0;
    ht += s === 0 || s === steps ? f / 2 : f;
  }
  ht *= h;
  return (ht - 0.5 * Math.log(2 * Math.PI * Math.E)) / Math.LN2;
}

/** Balanced label Y, T | Y ~ N(±(μ/2)·u, I_d) with u = (1, …, 1)/√d. */
export function mixtureLabelTask(name: string, description: string, mu: number, d: number): KnownMiTask {
  return {
    name,
    description,
    truth: mixtureLabelMiBits(mu),
    sample: (n, seed) => {
      const rng = Rng.stream(seed, `known-mi/${name}`);
      const labels = new Int32Array(n);
      const t = new Float32Array(n * d);
      const shift = mu / 2 / Math.sqrt(d);
      for (let r = 0; r < n; r++) {
        labels[r] = rng.nextFloat() < 0.5 ? 0 : 1;
        for (let i = 0; i < d; i++) t[r * d + i] = (labels[r] ? shift : -shift) + rng.nextNormal();
      }
      return { kind: 'label', t, d, labels };
    },
  };
}

/** The validation suite: low and high MI, low and high dimension, a transformation, a label. */
export const KNOWN_MI_TASKS: readonly KnownMiTask[] = [
  gaussianTask('gauss-1+1-rho0.6', 'bivariate Gaussian, ρ = 0.6', pairedCovariance(1, 0.6), 1),
  gaussianTask('tanh-gauss-1+1-rho0.6', 'the same through tanh(2·), MI unchanged', pairedCovariance(1, 0.6), 1, (v) => Math.tanh(2 * v)),
  gaussianTask('gauss-5+5-rho0.6', '5 + 5 dims, 5 pairs with ρ = 0.6', pairedCovariance(5, 0.6), 5),
  gaussianTask('gauss-1+1-rho0.999', 'bivariate Gaussian, ρ = 0.999 (high MI)', pairedCovariance(1, 0.999), 1),
  gaussianTask('gauss-5+5-rho0.95', '5 + 5 dims, ρ = 0.95 (high MI, high dimension)', pairedCovariance(5, 0.95), 5),
  mixtureLabelTask('label-mixture-1d', 'binary label, T | Y ~ N(±1, 1)', 2, 1),
  mixtureLabelTask('label-mixture-10d', 'binary label, T | Y ~ N(±u, I_10), same MI', 2, 10),
];
