// torch.nn.utils.prune.l1_unstructured for one weight matrix ("layer-weight"
// mode): zero the k entries with the smallest |w| among those still kept.
//
// torch (1.13) computes this in `L1Unstructured.compute_mask`:
//   topk = torch.topk(torch.abs(t).view(-1), k=nparams_toprune, largest=False)
//   mask.view(-1)[topk.indices] = 0
// and, on a tensor pruned before, `PruningContainer._combine_masks` passes
// only the kept entries (`slc = mask == 1`), so k = round(amount × kept).
// Ties among equal |w|: the lowest flat index is pruned first (torch's topk
// leaves this unspecified).

import { type Amount, pruneCount } from './amount.ts';
import { checkWeight, countKept, startMask } from './matrix.ts';
import { smallestK } from './select.ts';

/**
 * New mask for `weight` (any shape, flat) after pruning `amount` of its
 * currently kept entries by |w|. `mask` (optional) is the existing mask; it
 * is not modified. `field` names the amount in errors.
 */
export function l1Unstructured(weight: Float32Array, mask: Uint8Array | undefined, amount: Amount, field = 'amount'): Uint8Array {
  checkWeight(weight, { out: 1, in: weight.length }, 'layer');
  const next = startMask(mask, weight.length, 'layer');
  const k = pruneCount(amount, countKept(next), field, 'weights');
  const scores = new Float32Array(weight.length);
  for (let i = 0; i < weight.length; i++) scores[i] = Math.abs(weight[i]);
  for (const i of smallestK(scores, next, k)) next[i] = 0;
  return next;
}
