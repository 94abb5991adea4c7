// H·v for the weights of an MLP by Pearlmutter's R-operator (Pearlmutter
// 1994, "Fast exact multiplication by the Hessian"): the directional
// derivative R{·} = d/dε (·)(W + εV) at ε = 0 pushed through the same
// forward and backward lines as MlpPass, on the same kernels. Exact up to
// float32 rounding, at the cost of about two extra gradient passes. Only
// weights move along V (GraSP scores weights, not biases).
//
// Forward:   a_l = W_l h_{l−1} + b_l,  h_l = act(a_l),  z = a_L / T
//   R{a_l} = V_l h_{l−1} + W_l R{h_{l−1}},  R{h_l} = act'(a_l) ⊙ R{a_l},  R{h_0} = 0
// Loss:      δ_L = (softmax(z) − y) / (B·T)
//   R{δ_L} = p ⊙ (R{z} − pᵀR{z}) / (B·T),  R{z} = R{a_L} / T
// Backward:  δ_{l−1} = act'(a_{l−1}) ⊙ e_l,  e_l = W_lᵀ δ_l
//   R{δ_{l−1}} = act'(a_{l−1}) ⊙ (V_lᵀ δ_l + W_lᵀ R{δ_l}) + act''(a_{l−1}) R{a_{l−1}} ⊙ e_l
//   with tanh: act' = 1 − h², act''·R{a} = −2h ⊙ R{h}; ReLU and linear: act'' = 0
// Gradient:  ∂L/∂W_l = δ_l h_{l−1}ᵀ
//   (H v)_l = R{δ_l} h_{l−1}ᵀ + δ_l R{h_{l−1}}ᵀ
import type { ActivationName, DenseKernels } from '../../backend/kernels.ts';
import { MlpPass, type ScoreBatch, type ScoreLayer } from './mlp-pass.ts';

function addInto(sum: Float32Array, part: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] += part[i];
}

function hessianVectorOnBatch(pass: MlpPass, v: readonly Float32Array[], out: Float64Array[]): void {
  const { kernels: k, layers, activation, batch, temperature: T } = pass;
  const n = batch.rows;
  const L = layers.length;
  const zeroBias = (m: number) => new Float32Array(m);
  // R-forward.
  const rh: Float32Array[] = [];
  const rhRows: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    const layer = layers[l];
    const ra = new Float32Array(layer.out * n);
    k.linearForward(ra, pass.input(l).T, v[l], zeroBias(layer.out), n, layer.in, layer.out);
    if (l > 0) {
      const part = new Float32Array(layer.out * n);
      k.linearForward(part, rh[l - 1], layer.weight, zeroBias(layer.out), n, layer.in, layer.out);
      addInto(ra, part);
    }
    if (l < L - 1) {
      k.activationBackward(activation, ra, ra, pass.h[l], layer.out * n);
      const rows = new Float32Array(layer.out * n);
      k.transpose(rows, ra, layer.out, n);
      rhRows.push(rows);
    }
    rh.push(ra);
  }
  // R{δ_L} through the softmax; pass.h[L−1] holds z = a_L/T.
  const C = layers[L - 1].out;
  const z = pass.h[L - 1];
  const rz = rh[L - 1];
  const rDelta: Float32Array[] = layers.map((l) => new Float32Array(l.out * n));
  for (let s = 0; s < n; s++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, z[c * n + s]);
    let norm = 0;
    const p = new Float64Array(C);
    for (let c = 0; c < C; c++) norm += p[c] = Math.exp(z[c * n + s] - max);
    let pr = 0;
    for (let c = 0; c < C; c++) pr += (p[c] /= norm) * (rz[c * n + s] / T);
    for (let c = 0; c < C; c++) rDelta[L - 1][c * n + s] = (p[c] * (rz[c * n + s] / T - pr)) / (n * T);
  }
  // R-backward, with (H v)_l as it goes.
  const grad = layers.map((l) => new Float32Array(l.out * l.in));
  const part = layers.map((l) => new Float32Array(l.out * l.in));
  for (let l = L - 1; l >= 0; l--) {
    const layer = layers[l];
    k.linearBackwardWeight(grad[l], zeroBias(layer.out), rDelta[l], pass.input(l).rows, n, layer.in, layer.out);
    if (l > 0) {
      k.linearBackwardWeight(part[l], zeroBias(layer.out), pass.delta[l], rhRows[l - 1], n, layer.in, layer.out);
      addInto(grad[l], part[l]);
      const re = new Float32Array(layer.in * n);
      const re2 = new Float32Array(layer.in * n);
      k.linearBackwardInput(re, pass.delta[l], v[l], n, layer.in, layer.out);
      k.linearBackwardInput(re2, rDelta[l], layer.weight, n, layer.in, layer.out);
      addInto(re, re2);
      const rd = rDelta[l - 1];
      k.activationBackward(activation, rd, re, pass.h[l - 1], layer.in * n);
      if (activation === 'tanh') {
        const h = pass.h[l - 1];
        const e = pass.back[l];
        const r = rh[l - 1];
        for (let i = 0; i < rd.length; i++) rd[i] -= 2 * h[i] * r[i] * e[i];
      }
    }
    for (let i = 0; i < grad[l].length; i++) out[l][i] += grad[l][i];
  }
}

/** Σ over batches of H_b·v, H_b the Hessian of batch b's mean loss (logits ÷ temperature) w.r.t. the weights. */
export function hessianVectorProduct(
  kernels: DenseKernels,
  layers: readonly ScoreLayer[],
  activation: ActivationName,
  batches: readonly ScoreBatch[],
  v: readonly Float32Array[],
  temperature = 1,
): Float64Array[] {
  const out = layers.map((l) => new Float64Array(l.out * l.in));
  for (const batch of batches) hessianVectorOnBatch(new MlpPass(kernels, layers, activation, batch, temperature), v, out);
  return out;
}
