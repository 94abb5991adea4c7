// torch.nn.utils.prune.ln_structured for one weight matrix ("layer-neuron"
// mode): zero whole slices along `dim` with the smallest Ln norm.
// dim 0 = rows = output neurons; dim 1 = columns = inputs.
//
// What torch 1.13 does, mirrored here:
//   - `_compute_norm(t, n, dim)`: torch.norm(t, p=n) over all dims except
//     `dim`, i.e. over the whole row (dim 0) or column (dim 1);
//   - `t` is the tensor as it stands: on a first pruning the original weight
//     (default_mask = ones), afterwards `module.weight` = orig × mask, so
//     entries pruned earlier count as 0 in the norm;
//   - `PruningContainer._combine_masks` ("structured") skips slices whose
//     mask is already all zero (`mask.sum(other dims) != 0`): the count is
//     round(amount × still-alive slices), and only alive slices can be picked;
//   - the new mask is the slice mask × the old mask (`mask *= default_mask`),
//     so earlier unstructured zeros survive.
// torch keeps the top (alive − k) norms with an unspecified order among ties;
// here the k smallest go, lowest index first among equal norms.
// Norms are accumulated in float64 (torch: float32), so slices whose norms
// agree to float32 precision may rank differently from torch.

import { InputError } from '../core/input-error.ts';
import { type Amount, pruneCount } from './amount.ts';
import { type MatrixShape, checkWeight, startMask } from './matrix.ts';
import { smallestK } from './select.ts';

/** 0 = rows (output neurons), 1 = columns (inputs). */
export type SliceDim = 0 | 1;

/** Checks a norm order: any p > 0 (1, 2, Infinity in practice), like torch.norm's `p`. */
export function checkNormOrder(n: number, field = 'n'): void {
  if (typeof n !== 'number' || Number.isNaN(n) || n <= 0) throw new InputError(field, `norm order must be a number > 0 (1, 2 or Infinity), got ${n}`);
}

export function checkDim(dim: number, field = 'dim'): void {
  if (dim !== 0 && dim !== 1) throw new InputError(field, `must be 0 (rows = output neurons) or 1 (columns = inputs), got ${dim}`);
}

/** (Σ|x|^n)^(1/n), max|x| for n = Infinity, accumulated in float64. */
function finishNorm(acc: number, n: number): number {
  if (n === Infinity || n === 1) return acc;
  if (n === 2) return Math.sqrt(acc);
  return Math.pow(acc, 1 / n);
}

function accumulate(acc: number, x: number, n: number): number {
  const a = Math.abs(x);
  if (n === Infinity) return a > acc ? a : acc;
  if (n === 1) return acc + a;
  if (n === 2) return acc + a * a;
  return acc + Math.pow(a, n);
}

/** Ln norm of each slice of weight × mask along `dim` (length out for dim 0, in for dim 1). */
export function sliceNorms(weight: Float32Array, mask: Uint8Array, shape: MatrixShape, dim: SliceDim, n: number): Float64Array {
  const { out, in: fanIn } = shape;
  const acc = new Float64Array(dim === 0 ? out : fanIn);
  for (let j = 0; j < out; j++) {
    for (let i = 0; i < fanIn; i++) {
      const p = j * fanIn + i;
      const w = mask[p] ? weight[p] : 0;
      const s = dim === 0 ? j : i;
      acc[s] = accumulate(acc[s], w, n);
    }
  }
  for (let s = 0; s < acc.length; s++) acc[s] = finishNorm(acc[s], n);
  return acc;
}

/** 1 for each slice with at least one kept entry (torch: `mask.sum(other dims) != 0`). */
export function aliveSlices(mask: Uint8Array, shape: MatrixShape, dim: SliceDim): Uint8Array {
  const alive = new Uint8Array(dim === 0 ? shape.out : shape.in);
  for (let j = 0; j < shape.out; j++) {
    for (let i = 0; i < shape.in; i++) if (mask[j * shape.in + i]) alive[dim === 0 ? j : i] = 1;
  }
  return alive;
}

/** Zeroes slice `s` along `dim` in `mask` (in place). */
export function zeroSlice(mask: Uint8Array, shape: MatrixShape, dim: SliceDim, s: number): void {
  if (dim === 0) mask.fill(0, s * shape.in, (s + 1) * shape.in);
  else for (let j = 0; j < shape.out; j++) mask[j * shape.in + s] = 0;
}

export interface LnStructuredOptions {
  /** Norm order, torch's `n`: 2 by default; 1 and Infinity also make sense. */
  n?: number;
  /** 0 = prune output neurons (rows, the default), 1 = prune inputs (columns). */
  dim?: SliceDim;
}

/**
 * New mask after pruning `amount` of the still-alive slices along `dim` with
 * the smallest Ln norm of weight × mask. `mask` (optional) is not modified.
 */
export function lnStructured(
  weight: Float32Array,
  mask: Uint8Array | undefined,
  shape: MatrixShape,
  amount: Amount,
  options: LnStructuredOptions = {},
  field = 'amount',
): Uint8Array {
  const n = options.n ?? 2;
  const dim = options.dim ?? 0;
  checkNormOrder(n);
  checkDim(dim);
  checkWeight(weight, shape, 'layer');
  const next = startMask(mask, shape.out * shape.in, 'layer');
  const alive = aliveSlices(next, shape, dim);
  let available = 0;
  for (let s = 0; s < alive.length; s++) available += alive[s];
  const k = pruneCount(amount, available, field, dim === 0 ? 'rows (output neurons)' : 'columns (inputs)');
  const norms = sliceNorms(weight, next, shape, dim, n);
  for (const s of smallestK(norms, alive, k)) zeroSlice(next, shape, dim, s);
  return next;
}
