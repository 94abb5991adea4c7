// Shapes and masks of one layer's weight matrix. Layout is PyTorch
// nn.Linear's: weight[out, in] row-major, so row j holds the incoming
// weights of output neuron j. A mask has the same shape: 1 = kept, 0 = pruned.
import { InputError } from '../core/input-error.ts';

export interface MatrixShape {
  /** Output neurons: rows of the weight matrix. */
  readonly out: number;
  /** Inputs (fan-in): columns of the weight matrix. */
  readonly in: number;
}

/** A weight matrix with its shape, the input every mask builder reads. */
export interface PrunableLayer extends MatrixShape {
  readonly weight: Float32Array;
}

export function checkShape(shape: MatrixShape, field: string): void {
  for (const key of ['out', 'in'] as const) {
    const v = shape[key];
    if (!Number.isSafeInteger(v) || v < 1) throw new InputError(`${field}.${key}`, `must be a positive integer, got ${v}`);
  }
}

/** Shape and finiteness of a weight matrix (NaN would make any ranking meaningless). */
export function checkWeight(weight: Float32Array, shape: MatrixShape, field: string): void {
  checkShape(shape, field);
  if (!(weight instanceof Float32Array)) throw new InputError(`${field}.weight`, 'must be a Float32Array');
  if (weight.length !== shape.out * shape.in) {
    throw new InputError(`${field}.weight`, `has ${weight.length} values, expected out × in = ${shape.out} × ${shape.in}`);
  }
  for (let i = 0; i < weight.length; i++) {
    if (!Number.isFinite(weight[i])) throw new InputError(`${field}.weight`, `value ${weight[i]} at index ${i} is not finite`);
  }
}

/** Length and 0/1 values of a mask. */
export function checkMask(mask: Uint8Array, length: number, field: string): void {
  if (!(mask instanceof Uint8Array)) throw new InputError(`${field}.mask`, 'must be a Uint8Array');
  if (mask.length !== length) throw new InputError(`${field}.mask`, `has ${mask.length} entries, expected ${length}`);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] > 1) throw new InputError(`${field}.mask`, `entry ${i} is ${mask[i]}, masks hold only 0 and 1`);
  }
}

/** A fresh copy of `mask`, or all ones (torch's default_mask = ones_like) when absent. */
export function startMask(mask: Uint8Array | undefined, length: number, field: string): Uint8Array {
  if (mask === undefined) return new Uint8Array(length).fill(1);
  checkMask(mask, length, field);
  return mask.slice();
}

export function countKept(mask: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < mask.length; i++) k += mask[i];
  return k;
}

/** 1 for each row (output neuron) whose incoming weights are all pruned. */
export function fullyPrunedRows(mask: Uint8Array, shape: MatrixShape): Uint8Array {
  const dead = new Uint8Array(shape.out);
  for (let j = 0; j < shape.out; j++) {
    let any = 0;
    const row = j * shape.in;
    for (let i = 0; i < shape.in; i++) any |= mask[row + i];
    dead[j] = any ? 0 : 1;
  }
  return dead;
}

/** Checks each shape and that they chain: layer l's `in` is layer l−1's `out` (0-based l in `layers[l]`). */
export function checkChain(shapes: readonly MatrixShape[], field = 'layers'): void {
  if (!Array.isArray(shapes) || shapes.length === 0) throw new InputError(field, 'a network needs at least one layer');
  for (const [l, shape] of shapes.entries()) {
    checkShape(shape, `${field}[${l}]`);
    if (l > 0 && shape.in !== shapes[l - 1].out) {
      throw new InputError(`${field}[${l}].in`, `is ${shape.in}, but the previous layer has ${shapes[l - 1].out} outputs`);
    }
  }
}
