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
  adamStep(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    mask: Float32Array | null,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    step: number,
  ): void;
  /** torch.optim.SGD (dampening 0): buf = μ·buf + g; w −= lr·buf. */
  sgdStep(w: Float32Array, g: Float32Array, velocity: Float32Array | null, mask: Float32Array | null, n: number, lr: number, momentum: number): void;
}

/**
 * The sparse kernels, outputs first like DenseKernels.
 *
 * Weight-sparse layers hold the kept weights of W[ROWS, COLS] in CSR form
 * (`ptr[ROWS+1]`, `idx` = column, `val`), built once from the mask; the batch
 * stays the vector dimension. Input-sparse first layers take the non-zero
 * inputs of a batch as CSR by sample and CSC by feature (`sparsifyRows`) and
 * keep Wt = Wᵀ [IN, OUT] so each non-zero input is one contiguous row update.
 * Every output element is the dense kernel's chain with the zero links left
 * out, so the results equal the dense path's bit for bit.
 */
export interface SparseKernels {
  /** outT[ROWS,n] = bias + M·xT[COLS,n] (M in CSR); with M's CSC arrays, dxT = Mᵀ·dyT. bias may be null. */
  csrMatmul(
    outT: Float32Array,
    xT: Float32Array,
    ptr: Int32Array,
    idx: Int32Array,
    val: Float32Array,
    bias: Float32Array | null,
    n: number,
    ROWS: number,
    COLS: number,
  ): void;
  /** g[k] = Σ_s dyT[row(k),s]·xT[idx[k],s] at M's kept entries (the weight gradient of `csrMatmul`). */
  csrWeightGradient(g: Float32Array, dyT: Float32Array, xT: Float32Array, ptr: Int32Array, idx: Int32Array, n: number, ROWS: number, COLS: number): void;
  /**
   * The non-zeros of x[B, IN] (row-major) as CSR by sample (ptr[B+1], idx = feature, val) and, with
   * colPtr, CSC by feature (colPtr[IN+1], rowIdx = sample, colVal); ascending order. Returns the count.
   */
  sparsifyRows(
    ptr: Int32Array,
    idx: Int32Array,
    val: Float32Array,
    colPtr: Int32Array | null,
    rowIdx: Int32Array | null,
    colVal: Float32Array | null,
    x: Float32Array,
    B: number,
    IN: number,
  ): number;
  /**
   * outRows[B,OUT]: outRows[s,:] = b + Σ_i x[s,i]·Wt[i,:] over the non-zeros of sample s.
   * Wt = Wᵀ is [IN, ldW] (rows padded to ldW ≥ OUT: see paddedStride).
   */
  inputSparseForward(
    outRows: Float32Array,
    ptr: Int32Array,
    idx: Int32Array,
    val: Float32Array,
    Wt: Float32Array,
    b: Float32Array,
    B: number,
    IN: number,
    OUT: number,
    ldW: number,
  ): void;
  /** tiles[t][i][j] = Wt[i, t·INPUT_TILE + j] (Wt as inputSparseForward's), zero past OUT: see tiledLength. */
  inputSparseTile(tiles: Float32Array, Wt: Float32Array, IN: number, OUT: number, ldW: number): void;
  /**
   * inputSparseForward with Wt in tiles (inputSparseTile), bit for bit: a block of outputs then
   * lies in contiguous memory rather than on IN pages, so a pass over many rows runs faster.
   */
  inputSparseForwardTiled(
    outRows: Float32Array,
    ptr: Int32Array,
    idx: Int32Array,
    val: Float32Array,
    tiles: Float32Array,
    b: Float32Array,
    B: number,
    IN: number,
    OUT: number,
  ): void;
  /** dW[OUT,IN] = dyRowsᵀ·X over the CSC of X (dW[o,i] = Σ_s x[s,i]·dyRows[s,o]); dyRows is [B, ldDy ≥ OUT]. */
  inputSparseWeightGradient(
    dW: Float32Array,
    colPtr: Int32Array,
    rowIdx: Int32Array,
    colVal: Float32Array,
    dyRows: Float32Array,
    B: number,
    IN: number,
    OUT: number,
    ldDy: number,
  ): void;
  /**
   * The weight gradient dW = dyRowsᵀ·X (as inputSparseWeightGradient) fused with adamStep, both in
   * the layout Wt = Wᵀ [IN, ldW], so W itself is never needed. Without kept lists every entry steps
   * and m, v are laid out like Wt. With them (a pruned layer) only feature i's kept outputs
   * keptIdx[keptPtr[i]..keptPtr[i+1]) (ascending) step, and m, v are compact: entry e's at m[e].
   * Pruned entries are never touched (adamStep with the mask leaves them as they are: zero gradient,
   * zero state). touched[i] (Int32, per feature) turns 1 at feature i's first non-zero input; the
   * step of a feature still untouched is skipped (its gradient and state are zero, so it would change nothing).
   */
  inputSparseAdamStep(
    Wt: Float32Array,
    m: Float32Array,
    v: Float32Array,
    keptPtr: Int32Array | null,
    keptIdx: Int32Array | null,
    touched: Int32Array,
    colPtr: Int32Array,
    rowIdx: Int32Array,
    colVal: Float32Array,
    dyRows: Float32Array,
    B: number,
    IN: number,
    OUT: number,
    ldW: number,
    ldDy: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    step: number,
  ): void;
  /** inputSparseAdamStep's twin for sgdStep (velocity null when momentum is 0; compact with kept lists). */
  inputSparseSgdStep(
    Wt: Float32Array,
    velocity: Float32Array | null,
    keptPtr: Int32Array | null,
    keptIdx: Int32Array | null,
    touched: Int32Array,
    colPtr: Int32Array,
    rowIdx: Int32Array,
    colVal: Float32Array,
    dyRows: Float32Array,
    B: number,
    IN: number,
    OUT: number,
    ldW: number,
    ldDy: number,
    lr: number,
    momentum: number,
  ): void;
  /** out[c·ldOut + r] = in[r·cols + c]: the transpose into rows padded to ldOut ≥ rows. */
  transposeStrided(out: Float32Array, input: Float32Array, rows: number, cols: number, ldOut: number): void;
  /** db[o] = Σ_s dyT[o,s], in batch order (linearBackwardWeight's bias sum on its own). */
  biasGradient(db: Float32Array, dyT: Float32Array, B: number, OUT: number): void;
  /** dst[k] = src[idx[k]] for k < n. */
  gatherValues(dst: Float32Array, src: Float32Array, idx: Int32Array, n: number): void;
  /** dst[idx[k]] = src[k] for k < n. */
  scatterValues(dst: Float32Array, idx: Int32Array, src: Float32Array, n: number): void;
  /** The array's data address modulo 64 (JS cannot see addresses; see alignedFloat32). */
  byteOffsetMod64(array: Float32Array | Int32Array): number;
}

/**
 * A zeroed Float32Array of n elements starting on a 64-byte cache line, where
 * the kernels can tell the address (a vector load straddling two lines costs
 * two: ~30% of the input-sparse forward's time). Falls back to a plain array.
 */
export function alignedFloat32(n: number, kernels?: Partial<SparseKernels>): Float32Array {
  if (!kernels?.byteOffsetMod64 || n === 0) return new Float32Array(n);
  const whole = new Float32Array(n + 16);
  const skip = ((64 - kernels.byteOffsetMod64(whole)) % 64) / 4;
  return whole.subarray(skip, skip + n);
}

/** The outputs per tile of inputSparseTile. */
export const INPUT_TILE = 64;

/** Elements of Wt [IN, OUT] in tiles (inputSparseTile). */
export function tiledLength(IN: number, OUT: number): number {
  return Math.ceil(OUT / INPUT_TILE) * INPUT_TILE * IN;
}

/**
 * The padded row stride of the input-sparse buffers (Wt, dyRows): rows of a
 * power-of-two length in floats (1024 → 4 KiB) all map to the same cache
 * sets and thrash L1 and L2; an odd multiple of 16 floats spreads them.
 */
export function paddedStride(width: number): number {
  const w = Math.ceil(width / 16) * 16;
  return (w / 16) % 2 === 1 ? w : w + 16;
}

/** True when a kernel set also provides the sparse kernels. */
export function hasSparseKernels(k: DenseKernels): k is DenseKernels & SparseKernels {
  return typeof (k as Partial<SparseKernels>).csrMatmul === 'function';
}
