// SynFlow (Tanaka et al. 2020): the data-free synaptic saliency
// S(w) = |w| ⊙ ∂R/∂|w| with R = 1ᵀ(∏_l |W_l ⊙ M_l|)1, the "flow" of an
// all-ones input through the absolute kept weights (no biases, no
// activation: the paper's linearised net; Synaptic-Flow's code also adds |b|
// in its ReLU nets). With r_0 = 1, r_l = |W_l| r_{l−1} (the flow into layer
// l) and s_L = 1, s_{l−1} = |W_l|ᵀ s_l (the flow out of it), R is bilinear in
// each weight and S(W_l[j,i]) = s_l[j] · |W_l[j,i]| · r_{l−1}[i].
//
// Float64, in plain TypeScript and a fixed summation order, for two reasons:
// scores are products of one factor per layer, so at high compression the
// flows through thin layers shrink by orders of magnitude per round and in
// float32 tie or flush to exact zeros (then the index decides, not the
// flow; Synaptic-Flow leaves `model.double()` commented out), and a fixed
// order makes the masks identical on every backend and thread count. Each
// round is three passes over the weights.

export interface SynflowLayer {
  readonly in: number;
  readonly out: number;
  readonly weight: Float32Array;
}

/** Scores of every weight (0 where the mask is 0), one Float64Array per layer. */
export function synflowScores(layers: readonly SynflowLayer[], masks: readonly Uint8Array[]): Float64Array[] {
  const L = layers.length;
  const flowIn: Float64Array[] = [new Float64Array(layers[0].in).fill(1)];
  for (let l = 0; l < L; l++) {
    const { in: IN, out: OUT, weight } = layers[l];
    const mask = masks[l];
    const r = flowIn[l];
    const next = new Float64Array(OUT);
    for (let j = 0; j < OUT; j++) {
      let sum = 0;
      const row = j * IN;
      for (let i = 0; i < IN; i++) if (mask[row + i]) sum += Math.abs(weight[row + i]) * r[i];
      next[j] = sum;
    }
    flowIn.push(next);
  }
  const scores: Float64Array[] = new Array(L);
  let flowOut = new Float64Array(layers[L - 1].out).fill(1);
  for (let l = L - 1; l >= 0; l--) {
    const { in: IN, out: OUT, weight } = layers[l];
    const mask = masks[l];
    const r = flowIn[l];
    const score = new Float64Array(OUT * IN);
    const prev = new Float64Array(IN);
    for (let j = 0; j < OUT; j++) {
      const s = flowOut[j];
      const row = j * IN;
      for (let i = 0; i < IN; i++) {
        if (!mask[row + i]) continue;
        const a = Math.abs(weight[row + i]);
        score[row + i] = s * a * r[i];
        prev[i] += s * a;
      }
    }
    scores[l] = score;
    flowOut = prev;
  }
  return scores;
}
