// The saliency scores of pruning at initialization (Frankle et al. 2021
// compare them), per layer for its kept weights only, larger = more worth
// keeping:
//   magnitude  |w|                                   (torch l1_unstructured)
//   random     uniform draws                          (torch random_unstructured)
//   snip       |g ⊙ w|, g = ∂L/∂w on the score batches (Lee et al. 2019)
//   grasp      w ⊙ (H g) on the score batches, logits ÷ 200 (Wang et al. 2020):
//              the paper's score is S = −w ⊙ Hg and it removes the largest S,
//              i.e. keeps the largest w ⊙ Hg, as Synaptic-Flow ranks them
//   synflow    |w| ⊙ ∂R/∂|w|, data-free (Tanaka et al. 2020; synflow.ts)
// Synaptic-Flow divides SNIP and GraSP scores by their (absolute) sum; a
// positive factor changes no ranking, so it is left out. Scores are taken
// with the current masks applied (pruned weights are 0), as in Synaptic-Flow,
// whose masked layers compute W ⊙ M.
import type { ActivationName, DenseKernels } from '../../backend/kernels.ts';
import { hessianVectorProduct } from './hessian-vector.ts';
import { lossGradient, type ScoreBatch, type ScoreLayer } from './mlp-pass.ts';
import { synflowScores } from './synflow.ts';

export type ScoreName = 'magnitude' | 'random' | 'snip' | 'grasp' | 'synflow';
export const SCORE_NAMES: readonly ScoreName[] = ['magnitude', 'random', 'snip', 'grasp', 'synflow'];

/** GraSP's softmax temperature (GraSP and Synaptic-Flow: `self.temp = 200`). */
export const GRASP_TEMPERATURE = 200;

/** Scores that read training batches. */
export const DATA_SCORES: readonly ScoreName[] = ['snip', 'grasp'];

export interface ScoreInputs {
  /** The net's dense kernels (the backend's; scores never cross N-API per element). */
  readonly kernels: DenseKernels;
  readonly activation: ActivationName;
  /** The score batches (SNIP, GraSP). */
  readonly batches: readonly ScoreBatch[];
  /** Uniform 32-bit draws (random scores). */
  readonly random: { nextUint32(): number };
}

/** The kept weights: W ⊙ M as float32, what the masked net computes with. */
function keptLayers(layers: readonly ScoreLayer[], masks: readonly Uint8Array[]): ScoreLayer[] {
  return layers.map((layer, l) => {
    const weight = new Float32Array(layer.weight.length);
    for (let i = 0; i < weight.length; i++) if (masks[l][i]) weight[i] = layer.weight[i];
    return { in: layer.in, out: layer.out, weight, bias: layer.bias };
  });
}

/** Uniform in [0, 1) with 53 random bits (ties among a million draws are then negligible). */
function uniform53(random: { nextUint32(): number }): number {
  return ((random.nextUint32() >>> 5) * 67108864 + (random.nextUint32() >>> 6)) / 9007199254740992;
}

/** The flat positions of a mask's kept entries, ascending. */
export function keptPositions(mask: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  const pos = new Int32Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) pos[k++] = i;
  return pos;
}

/**
 * Scores of the kept weights under the current masks: `result[l][k]` scores
 * flat position `kept[l][k]` (kept = keptPositions(masks[l])). With `into`
 * (room for kept[l].length each) the scores are written to the front of
 * `into[l]`: iterative pruning reuses them every round.
 */
export function computeScores(
  name: ScoreName,
  layers: readonly ScoreLayer[],
  masks: readonly Uint8Array[],
  kept: readonly Int32Array[],
  inputs: ScoreInputs,
  into?: readonly Float64Array[],
): Float64Array[] {
  if (name === 'synflow') return synflowScores(layers, kept, into);
  if (name === 'random') {
    // One draw per weight, kept or not, so a layer's draws do not depend on the masks.
    return layers.map((layer, l) => {
      const u = new Float64Array(layer.weight.length);
      for (let i = 0; i < u.length; i++) u[i] = uniform53(inputs.random);
      return gather(u, kept[l], into?.[l]);
    });
  }
  const full = fullScores(name, layers, masks, inputs);
  return full.map((f, l) => gather(f, kept[l], into?.[l]));
}

/** `full[kept[k]]` for each k, in `into` when given. */
function gather(full: Float32Array | Float64Array, kept: Int32Array, into?: Float64Array): Float64Array {
  const out = into ? into.subarray(0, kept.length) : new Float64Array(kept.length);
  for (let k = 0; k < kept.length; k++) out[k] = full[kept[k]];
  return out;
}

function fullScores(name: 'magnitude' | 'snip' | 'grasp', layers: readonly ScoreLayer[], masks: readonly Uint8Array[], inputs: ScoreInputs): Float64Array[] {
  switch (name) {
    case 'magnitude':
      return layers.map((layer) => Float64Array.from(layer.weight, Math.abs));
    case 'snip': {
      const kept = keptLayers(layers, masks);
      const g = lossGradient(inputs.kernels, kept, inputs.activation, inputs.batches);
      return g.map((gl, l) => gl.map((v, i) => Math.abs(v * kept[l].weight[i])));
    }
    case 'grasp': {
      const kept = keptLayers(layers, masks);
      const T = GRASP_TEMPERATURE;
      const g = lossGradient(inputs.kernels, kept, inputs.activation, inputs.batches, T);
      // The direction moves kept weights only: Synaptic-Flow's parameters are W under W ⊙ M, whose gradient is M ⊙ g.
      const v = g.map((gl, l) => Float32Array.from(gl, (x, i) => (masks[l][i] ? x : 0)));
      const hg = hessianVectorProduct(inputs.kernels, kept, inputs.activation, inputs.batches, v, T);
      return hg.map((h, l) => h.map((x, i) => x * kept[l].weight[i]));
    }
  }
}
