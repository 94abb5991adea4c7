// One forward and backward pass of a (masked) MLP on a batch, run on a
// backend's dense kernels: what the data-driven scores (SNIP, GraSP) need,
// with the activations, the backpropagated errors and Wᵀδ kept for GraSP's
// Hessian-vector product. Layout as in the kernels: feature-major
// activations h[width, rows]; weights W[out, in] with pruned entries zero.
import type { ActivationName, DenseKernels } from '../../backend/kernels.ts';

export interface ScoreLayer {
  readonly in: number;
  readonly out: number;
  /** Kept weights; pruned entries are 0. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export interface ScoreBatch {
  /** Row-major [rows, features]. */
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly rows: number;
}

export class MlpPass {
  /** Per layer: activation output (the logits ÷ temperature for the last), [out, rows]. */
  readonly h: Float32Array[];
  /** Per hidden layer: the same, row-major [rows, out] (the next layer's dW input). */
  readonly hRows: Float32Array[];
  /** Per layer: ∂L/∂(pre-activation), [out, rows]. */
  readonly delta: Float32Array[];
  /** Per layer l ≥ 1: W_lᵀ·δ_l, [in, rows] (∂L/∂h_{l−1} before the activation's slope). */
  readonly back: Float32Array[];
  readonly xT: Float32Array;
  loss = 0;

  constructor(
    readonly kernels: DenseKernels,
    readonly layers: readonly ScoreLayer[],
    readonly activation: ActivationName,
    readonly batch: ScoreBatch,
    /** Logits are divided by it before the softmax (GraSP's T = 200); 1 for SNIP. */
    readonly temperature = 1,
  ) {
    const n = batch.rows;
    this.xT = new Float32Array(layers[0].in * n);
    this.h = layers.map((l) => new Float32Array(l.out * n));
    this.hRows = layers.slice(0, -1).map((l) => new Float32Array(l.out * n));
    this.delta = layers.map((l) => new Float32Array(l.out * n));
    this.back = layers.map((l, i) => new Float32Array(i === 0 ? 0 : l.in * n));
    this.run();
  }

  input(l: number): { T: Float32Array; rows: Float32Array } {
    return l === 0 ? { T: this.xT, rows: this.batch.x } : { T: this.h[l - 1], rows: this.hRows[l - 1] };
  }

  private run(): void {
    const k = this.kernels;
    const { x, labels, rows: n } = this.batch;
    const L = this.layers.length;
    k.transpose(this.xT, x, n, this.layers[0].in);
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l];
      k.linearForward(this.h[l], this.input(l).T, layer.weight, layer.bias, n, layer.in, layer.out);
      if (l < L - 1) {
        k.activationForward(this.activation, this.h[l], this.h[l], layer.out * n);
        k.transpose(this.hRows[l], this.h[l], layer.out, n);
      }
    }
    const logits = this.h[L - 1];
    const C = this.layers[L - 1].out;
    if (this.temperature !== 1) for (let i = 0; i < C * n; i++) logits[i] /= this.temperature;
    // dlogits = (softmax − onehot)/rows w.r.t. the scaled logits; chain rule through the 1/T.
    [this.loss] = k.softmaxCrossEntropy(this.delta[L - 1], logits, labels, n, C);
    if (this.temperature !== 1) for (let i = 0; i < C * n; i++) this.delta[L - 1][i] /= this.temperature;
    for (let l = L - 1; l > 0; l--) {
      const layer = this.layers[l];
      k.linearBackwardInput(this.back[l], this.delta[l], layer.weight, n, layer.in, layer.out);
      k.activationBackward(this.activation, this.delta[l - 1], this.back[l], this.h[l - 1], layer.in * n);
    }
  }

  /** dW[out, in] = δ_l · input_lᵀ (overwrites dW; the bias gradient goes to scratch). */
  weightGradient(l: number, dW: Float32Array): void {
    const layer = this.layers[l];
    this.kernels.linearBackwardWeight(dW, new Float32Array(layer.out), this.delta[l], this.input(l).rows, this.batch.rows, layer.in, layer.out);
  }
}

/** Σ over batches of ∂L/∂W (mean loss per batch, as Synaptic-Flow sums `loss(...).backward()` over its batches). */
export function lossGradient(
  kernels: DenseKernels,
  layers: readonly ScoreLayer[],
  activation: ActivationName,
  batches: readonly ScoreBatch[],
  temperature = 1,
): Float64Array[] {
  const sums = layers.map((l) => new Float64Array(l.out * l.in));
  const scratch = layers.map((l) => new Float32Array(l.out * l.in));
  for (const batch of batches) {
    const pass = new MlpPass(kernels, layers, activation, batch, temperature);
    layers.forEach((_, l) => {
      pass.weightGradient(l, scratch[l]);
      for (let i = 0; i < scratch[l].length; i++) sums[l][i] += scratch[l][i];
    });
  }
  return sums;
}
