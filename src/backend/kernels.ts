// The dense kernels every backend provides, with the native addon's signatures:
// outputs first, then inputs, then dimensions (llm.c's order).
//
// Layout: activations inside a backend are feature-major ("ᵀ"), h[features, batch],
// so the batch is the vector dimension of every product. Weights are PyTorch's
// W[out, in]. Buffers may be longer than the shapes need (they are sized for
// the largest batch).

export type ActivationName = 'tanh' | 'relu' | 'linear';

export interface DenseKernels {
  /** outT[OUT,B] = W[OUT,IN] · xT[IN,B] + b */
  linearForward(outT: Float32Array, xT: Float32Array, W: Float32Array, b: Float32Array, B: number, IN: number, OUT: number): void;
  /** dxT[IN,B] = Wᵀ · dyT[OUT,B]  (the line above, differentiated w.r.t. x) */
  linearBackwardInput(dxT: Float32Array, dyT: Float32Array, W: Float32Array, B: number, IN: number, OUT: number): void;
  /** dW[OUT,IN] = dyT[OUT,B] · x[B,IN];  db[OUT] = Σ_b dyT[:,b]  (w.r.t. W and b; x is batch-major) */
  linearBackwardWeight(dW: Float32Array, db: Float32Array, dyT: Float32Array, x: Float32Array, B: number, IN: number, OUT: number): void;
  /** y = act(x), elementwise; y may be x. */
  activationForward(act: ActivationName, y: Float32Array, x: Float32Array, n: number): void;
  /** dx = dy · act'(x), written through the saved output y; dx may be dy. */
  activationBackward(act: ActivationName, dx: Float32Array, dy: Float32Array, y: Float32Array, n: number): void;
  /** Mean softmax cross-entropy: dlogitsT = (softmax − onehot)/B; returns [summed loss, correct argmax count]. */
  softmaxCrossEntropy(dlogitsT: Float32Array, logitsT: Float32Array, labels: Int32Array, B: number, C: number): [number, number];
  /** out[cols, rows] = in[rows, cols]ᵀ */
  transpose(out: Float32Array, input: Float32Array, rows: number, cols: number): void;
  /** torch.optim.Adam step t (1-based); a pruned entry (mask 0) keeps w = m = v = 0. */
  adamStep(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, mask: Float32Array | null, n: number,
    lr: number, beta1: number, beta2: number, eps: number, step: number): void;
  /** torch.optim.SGD (dampening 0): buf = μ·buf + g; w −= lr·buf. */
  sgdStep(w: Float32Array, g: Float32Array, velocity: Float32Array | null, mask: Float32Array | null, n: number,
    lr: number, momentum: number): void;
}
