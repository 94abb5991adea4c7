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
// round is three passes over the kept weights only (their flat positions),
// so a 100-round exponential schedule costs a fraction of 300 dense passes.

export interface SynflowLayer {
  readonly in: number;
  readonly out: number;
  readonly weight: Float32Array;
}

/**
 * Scores of the kept weights: `scores[l][k]` belongs to flat position
 * `kept[l][k]` (ascending). They are written to the front of `into[l]` when
 * given (room for kept[l].length each), so that rounds reuse one buffer.
 */
export function synflowScores(layers: readonly SynflowLayer[], kept: readonly Int32Array[], into?: readonly Float64Array[]): Float64Array[] {
  const L = layers.length;
  const flowIn: Float64Array[] = [new Float64Array(layers[0].in).fill(1)];
  for (let l = 0; l < L; l++) flowIn.push(flowForward(layers[l], kept[l], flowIn[l]));
  const scores: Float64Array[] = new Array(L);
  let flowOut: Float64Array = new Float64Array(layers[L - 1].out).fill(1);
  for (let l = L - 1; l >= 0; l--) {
    scores[l] = into ? into[l].subarray(0, kept[l].length) : new Float64Array(kept[l].length);
    flowOut = flowBackward(layers[l], kept[l], flowIn[l], flowOut, scores[l]);
  }
  return scores;
}

// One function per pass (not one loop nest over the layers): each is called
// once per layer and round, so V8 optimizes it whole rather than on-stack
// replacing one loop and falling back to the interpreter for the next.

/** r_l = |W_l| r_{l−1} over the kept positions `pos`. */
function flowForward(layer: SynflowLayer, pos: Int32Array, r: Float64Array): Float64Array {
  const { in: IN, out: OUT, weight } = layer;
  const next = new Float64Array(OUT);
  // Positions ascend, so rows are walked in order without a division per weight.
  for (let k = 0, j = 0, rowEnd = IN; k < pos.length; k++) {
    const p = pos[k];
    while (p >= rowEnd) {
      j++;
      rowEnd += IN;
    }
    next[j] += Math.abs(weight[p]) * r[p - rowEnd + IN];
  }
  return next;
}

/** Writes the layer's scores to `score` and returns s_{l−1} = |W_l|ᵀ s_l. */
function flowBackward(layer: SynflowLayer, pos: Int32Array, r: Float64Array, flowOut: Float64Array, score: Float64Array): Float64Array {
  const { in: IN, weight } = layer;
  const prev = new Float64Array(IN);
  for (let k = 0, j = 0, rowEnd = IN; k < pos.length; k++) {
    const p = pos[k];
    while (p >= rowEnd) {
      j++;
      rowEnd += IN;
    }
    const i = p - rowEnd + IN;
    const sa = flowOut[j] * Math.abs(weight[p]);
    score[k] = sa * r[i];
    prev[i] += sa;
  }
  return prev;
}
