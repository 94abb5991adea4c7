// torch.nn.utils.prune.global_unstructured(..., pruning_method=L1Unstructured)
// ("global-weight" mode): rank |w| across several weight matrices at once.
//
// torch 1.13 concatenates the parameters (`parameters_to_vector`) and their
// masks in the order given, runs L1Unstructured through a PruningContainer
// on the kept entries (`slc = mask == 1`), so k = round(amount × kept
// entries of all matrices together), and slices the result back per matrix.
// Here the matrices are concatenated in the order passed (plan.ts passes
// ascending layer numbers) and ties go to the lowest global flat index.

import { type Amount, pruneCount } from './amount.ts';
import { checkWeight, countKept, startMask } from './matrix.ts';
import { smallestK } from './select.ts';

export interface MaskedWeight {
  readonly weight: Float32Array;
  /** Existing mask; all ones when absent. Not modified. */
  readonly mask?: Uint8Array;
}

/** New masks, one per matrix, after pruning `amount` of all kept entries ranked by |w|. */
export function globalUnstructured(matrices: readonly MaskedWeight[], amount: Amount, field = 'amount'): Uint8Array[] {
  let total = 0;
  for (const [m, { weight }] of matrices.entries()) {
    checkWeight(weight, { out: 1, in: weight.length }, `matrices[${m}]`);
    total += weight.length;
  }
  const scores = new Float32Array(total);
  const kept = new Uint8Array(total);
  let offset = 0;
  for (const [m, { weight, mask }] of matrices.entries()) {
    kept.set(startMask(mask, weight.length, `matrices[${m}]`), offset);
    for (let i = 0; i < weight.length; i++) scores[offset + i] = Math.abs(weight[i]);
    offset += weight.length;
  }
  const k = pruneCount(amount, countKept(kept), field, 'weights');
  for (const i of smallestK(scores, kept, k)) kept[i] = 0;
  const masks: Uint8Array[] = [];
  offset = 0;
  for (const { weight } of matrices) {
    masks.push(kept.slice(offset, offset + weight.length));
    offset += weight.length;
  }
  return masks;
}
