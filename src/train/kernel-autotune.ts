// The start-up measurement behind `kernels: auto`: each candidate kernel of a
// pruned layer runs the native calls of one training step (forward, weight
// gradient, input gradient where the layer has one, the syncs it needs, and
// an Adam step over the weights it keeps: all of them for dense and
// input-sparse, the kept ones packed for CSR — on a large first layer the
// step costs as much as the products) on the layer's own mask and shape at
// the training batch size, and the fastest wins; `infoplane bench` times the
// same steps part by part. Every candidate gives bit-identical results (see
// native/kernels/sparse_kernel_table.h), so timing noise can change the speed
// of a run, never its numbers.
import { alignedFloat32, type DenseKernels, paddedStride, type SparseKernels } from '../backend/kernels.ts';
import type { Layer } from './model.ts';
import { timeFastest } from '../core/fastest.ts';
import { fillLcg } from '../core/lcg-fill.ts';
import { buildCsr, keptByFeature } from './sparse-structure.ts';

export type LayerKernel = 'dense' | 'csr' | 'input-sparse';

export interface CandidateProblem {
  layer: Layer;
  /** Kept output rows (compaction), or null for all. */
  keep: Int32Array | null;
  /** Batch rows to time. */
  n: number;
  /** The layer's input, row-major [≥ n, IN]: real data for the first layer; null → uniform in [−1, 1]. */
  input: Float32Array | null;
  /** Whether the layer's input gradient is needed (every layer but the first). */
  inputGradient: boolean;
}

/**
 * One training step of a candidate kernel on a problem, in parts that run its
 * native calls on buffers built once (cache-line aligned, as the engine's).
 */
export interface CandidateStep {
  /** The per-step layout work: value gathers and scatter (csr), the Wᵀ refresh (input-sparse); nothing for dense. */
  sync(): void;
  /** The layer's product into `out`, feature-major [width, n] (input-sparse: sparsifying the batch included). */
  forward(): void;
  /** Weight and bias gradients. */
  weight(): void;
  /** Input gradient, where the problem needs one. */
  input(): void;
  /** An Adam step over the kept weights: its cost, whichever optimizer trains (input-sparse: fused into `weight`). */
  optimizer(): void;
  readonly out: Float32Array;
  /** The weight gradient as [width, IN] (csr: its kept entries scattered into zeros); input-sparse fuses it into the step. */
  weightGradient?(): Float32Array;
}

/** Builds a candidate's step on the layer's kept rows, its mask, the given input (or uniform [−1, 1]) and dY = 0.01·uniform. */
export function candidateStep(k: DenseKernels & SparseKernels, p: CandidateProblem, candidate: LayerKernel): CandidateStep {
  const f32 = (n: number) => alignedFloat32(n, k);
  const { layer, n } = p;
  const IN = layer.in;
  const keep = p.keep ?? Int32Array.from({ length: layer.out }, (_, o) => o);
  const width = keep.length;
  const W = f32(width * IN);
  keep.forEach((o, r) => W.set(layer.weight.subarray(o * IN, (o + 1) * IN), r * IN));
  const b = f32(width);
  keep.forEach((o, r) => (b[r] = layer.bias[o]));
  const x = f32(n * IN);
  if (p.input) x.set(p.input.subarray(0, n * IN));
  else fillLcg(x, 1);
  const xT = f32(IN * n);
  k.transpose(xT, x, n, IN);
  const dy = fillLcg(f32(width * n), 2, 0.01);
  const out = f32(width * n);
  const dx = f32(IN * n);
  const gW = f32(width * IN);
  const db = f32(width);
  const none = () => {};
  const mask = layer.weightMask;
  const compactMask = new Float32Array(width * IN);
  keep.forEach((o, r) => compactMask.set(mask ? mask.subarray(o * IN, (o + 1) * IN) : new Float32Array(IN).fill(1), r * IN));
  const compactRows = Int32Array.from({ length: width }, (_, r) => r);
  const adam = (w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, stepMask: Float32Array | null, count: number) =>
    k.adamStep(w, g, m, v, stepMask, count, 1e-3, 0.9, 0.999, 1e-8, 1);
  if (candidate === 'dense') {
    const [m, v] = [f32(width * IN), f32(width * IN)];
    return {
      sync: none,
      forward: () => k.linearForward(out, xT, W, b, n, IN, width),
      weight: () => k.linearBackwardWeight(gW, db, dy, x, n, IN, width),
      input: p.inputGradient ? () => k.linearBackwardInput(dx, dy, W, n, IN, width) : none,
      optimizer: () => adam(W, gW, m, v, compactMask, width * IN),
      out,
      weightGradient: () => gW,
    };
  }
  if (candidate === 'csr') {
    const s = buildCsr(compactMask, IN, compactRows);
    const val = f32(s.nnz);
    const cscVal = f32(s.nnz);
    const g = f32(s.nnz);
    const [m, v] = [f32(s.nnz), f32(s.nnz)];
    return {
      sync: () => {
        k.gatherValues(val, W, s.pos, s.nnz);
        k.gatherValues(cscVal, val, s.cscPerm, s.nnz);
        k.scatterValues(W, s.pos, val, s.nnz);
      },
      forward: () => k.csrMatmul(out, xT, s.ptr, s.idx, val, b, n, width, IN),
      weight: () => {
        k.csrWeightGradient(g, dy, xT, s.ptr, s.idx, n, width, IN);
        k.biasGradient(db, dy, n, width);
      },
      input: p.inputGradient ? () => k.csrMatmul(dx, dy, s.cscPtr, s.cscIdx, cscVal, null, n, IN, width) : none,
      optimizer: () => adam(val, g, m, v, null, s.nnz),
      out,
      weightGradient: () => {
        const full = new Float32Array(width * IN);
        s.pos.forEach((at, e) => (full[at] = g[e]));
        return full;
      },
    };
  }
  const ldw = paddedStride(width);
  const Wt = f32(IN * ldw);
  const cap = n * IN;
  const [ptr, idx, val] = [new Int32Array(n + 1), new Int32Array(cap), f32(cap)];
  const [colPtr, rowIdx, colVal] = [new Int32Array(IN + 1), new Int32Array(cap), f32(cap)];
  const rows = f32(n * width);
  const dyRows = f32(n * ldw);
  // The engine's step: the kept weights only, with compact state, where some are pruned.
  const kept = keptByFeature(compactMask, IN, compactRows);
  const stateLength = kept ? kept.count : IN * ldw;
  const [m, v] = [f32(stateLength), f32(stateLength)];
  const [keptPtr, keptIdx] = kept ? [kept.ptr, kept.idx] : [null, null];
  k.transposeStrided(Wt, W, width, IN, ldw);
  // Every feature steps, as after the first epoch (untouched ones are skipped only until their first non-zero input).
  const touched = new Int32Array(IN).fill(1);
  return {
    // Wᵀ is the engine's copy of the weights between steps: no per-step layout work.
    sync: none,
    forward: () => {
      k.sparsifyRows(ptr, idx, val, colPtr, rowIdx, colVal, x, n, IN);
      k.inputSparseForward(rows, ptr, idx, val, Wt, b, n, IN, width, ldw);
      k.transpose(out, rows, n, width);
    },
    // The weight gradient and its Adam step in one pass over the non-zero inputs.
    weight: () => {
      k.transposeStrided(dyRows, dy, width, n, ldw);
      k.inputSparseAdamStep(Wt, m, v, keptPtr, keptIdx, touched, colPtr, rowIdx, colVal, dyRows, n, IN, width, ldw, ldw, 1e-3, 0.9, 0.999, 1e-8, 1);
      k.biasGradient(db, dy, n, width);
    },
    // The engine never needs a first layer's input gradient.
    input: none,
    optimizer: none,
    out,
  };
}

/** Seconds per training step of each candidate kernel on this problem. */
export function measureCandidates(k: DenseKernels & SparseKernels, p: CandidateProblem, candidates: readonly LayerKernel[]): Record<LayerKernel, number> {
  const result = {} as Record<LayerKernel, number>;
  for (const c of candidates) {
    const step = candidateStep(k, p, c);
    result[c] = timeFastest(() => {
      step.sync();
      step.forward();
      step.weight();
      step.input();
      step.optimizer();
    });
  }
  return result;
}
