// Global neuron pruning ("global-neuron" mode): rank hidden neurons of
// several layers together by the Ln norm of their incoming row and zero the
// rows of the k weakest.
//
// torch has no such method: `global_unstructured` raises TypeError for any
// method whose PRUNING_TYPE is not "unstructured" ("global structured pruning
// doesn't make much sense unless the norm is normalized by the size of the
// parameter"). This is our extension, built from torch's pieces:
//   - per row, the norm of ln_structured(dim=0) (ln-structured.ts): over
//     weight × mask, so earlier-pruned entries count as 0;
//   - rows already fully pruned are not candidates and do not count towards
//     k = round(amount × alive rows of all layers), as in PruningContainer;
//   - ties: lowest (layer order, row) first.
// Normalisation (the torch note's point): with `normalize: 'fan-in'` the
// score is norm / fan_in^(1/n), fan_in = the layer's input count (columns,
// pruned or not). For n = 2 that is the root-mean-square incoming weight,
// for n = 1 the mean |w|, for n = Infinity the max |w| (unchanged). Without
// it ('none') long rows score higher just for being long; note that under
// PyTorch's nn.Linear init U(±1/√fan_in) the un-normalised L2 row norm is
// ≈ 1/√3 in every layer, whereas the 'fan-in' score tracks the init bound
// 1/√fan_in and so ranks neurons fed by wide layers lowest.
// The caller (plan.ts) must pass hidden layers only: pruning an output
// neuron removes a class logit, not a unit of a representation.

import { InputError } from '../core/input-error.ts';
import { type Amount, pruneCount } from './amount.ts';
import { aliveSlices, checkNormOrder, sliceNorms, zeroSlice } from './ln-structured.ts';
import { type MatrixShape, checkWeight, startMask } from './matrix.ts';
import { smallestK } from './select.ts';

export type NeuronNormalization = 'none' | 'fan-in';

export interface NeuronLayer extends MatrixShape {
  readonly weight: Float32Array;
  /** Existing mask; all ones when absent. Not modified. */
  readonly mask?: Uint8Array;
}

export interface GlobalNeuronOptions {
  /** Norm order of the incoming row, 2 by default. */
  n?: number;
  normalize?: NeuronNormalization;
}

export function checkNormalization(normalize: unknown, field = 'normalize'): asserts normalize is NeuronNormalization {
  if (normalize !== 'none' && normalize !== 'fan-in') {
    throw new InputError(field, `must be 'none' or 'fan-in', got ${JSON.stringify(normalize)}`);
  }
}

/** Score of each neuron (row) of one layer: Ln norm of its kept incoming weights, optionally / fan_in^(1/n). */
export function neuronScores(weight: Float32Array, mask: Uint8Array, shape: MatrixShape, n: number, normalize: NeuronNormalization): Float64Array {
  const norms = sliceNorms(weight, mask, shape, 0, n);
  if (normalize === 'fan-in') {
    const scale = Math.pow(shape.in, 1 / n); // fan_in^(1/n); 1 for n = Infinity
    for (let j = 0; j < norms.length; j++) norms[j] /= scale;
  }
  return norms;
}

/** New masks, one per layer, after pruning `amount` of the alive neurons of all layers together. */
export function globalNeuron(layers: readonly NeuronLayer[], amount: Amount, options: GlobalNeuronOptions = {}, field = 'amount'): Uint8Array[] {
  const n = options.n ?? 2;
  const normalize = options.normalize ?? 'none';
  checkNormOrder(n);
  checkNormalization(normalize);
  const masks = layers.map((layer, l) => {
    checkWeight(layer.weight, layer, `layers[${l}]`);
    return startMask(layer.mask, layer.out * layer.in, `layers[${l}]`);
  });
  const rows = layers.reduce((sum, layer) => sum + layer.out, 0);
  const scores = new Float64Array(rows);
  const alive = new Uint8Array(rows);
  let offset = 0;
  for (const [l, layer] of layers.entries()) {
    scores.set(neuronScores(layer.weight, masks[l], layer, n, normalize), offset);
    alive.set(aliveSlices(masks[l], layer, 0), offset);
    offset += layer.out;
  }
  let available = 0;
  for (let r = 0; r < rows; r++) available += alive[r];
  const k = pruneCount(amount, available, field, 'neurons');
  const picked = smallestK(scores, alive, k);
  // Map global row indices back to (layer, row); picked is ascending.
  let l = 0;
  offset = 0;
  for (const r of picked) {
    while (r >= offset + layers[l].out) offset += layers[l++].out;
    zeroSlice(masks[l], layers[l], 0, r - offset);
  }
  return masks;
}
