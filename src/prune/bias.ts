// Optional bias pruning. torch's ln_structured prunes `weight` only: a neuron
// whose incoming row is all zero still outputs act(b), a constant (tanh(b)
// for the default net). `pruneBias` additionally zeroes b for such neurons,
// so that a pruned tanh/ReLU unit outputs exactly 0, as if it were removed.
// Off by default, to match torch (DESIGN.md, "Pruning").

import { type MatrixShape, fullyPrunedRows } from './matrix.ts';

/** Bias mask of one layer: 0 for neurons whose incoming weights are all pruned, 1 otherwise. */
export function biasMaskFromWeightMask(mask: Uint8Array, shape: MatrixShape): Uint8Array {
  const dead = fullyPrunedRows(mask, shape);
  const biasMask = new Uint8Array(shape.out);
  for (let j = 0; j < shape.out; j++) biasMask[j] = dead[j] ? 0 : 1;
  return biasMask;
}
