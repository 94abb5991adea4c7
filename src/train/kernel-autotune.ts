// The start-up measurement behind `kernels: auto`: each candidate kernel of a
// pruned layer runs the native calls of one training step (forward, weight
// gradient, input gradient where the layer has one, and the syncs it needs)
// on the layer's own mask and shape at the training batch size, and the
// fastest wins. Every candidate gives bit-identical results (see
// native/kernels/sparse_kernel_table.h), so timing noise can change the speed
// of a run, never its numbers.
import { type DenseKernels, paddedStride, type SparseKernels } from '../backend/kernels.ts';
import type { Layer } from './model.ts';
import { timeFastest } from '../core/fastest.ts';
import { fillLcg } from '../core/lcg-fill.ts';
import { buildCsr } from './sparse-structure.ts';

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

/** Seconds per training step of each candidate kernel on this problem. */
export function measureCandidates(
  k: DenseKernels & SparseKernels, p: CandidateProblem, candidates: readonly LayerKernel[],
): Record<LayerKernel, number> {
  const { layer, n } = p;
  const IN = layer.in;
  const keep = p.keep ?? Int32Array.from({ length: layer.out }, (_, o) => o);
  const width = keep.length;
  const mask = layer.weightMask;
  const W = new Float32Array(width * IN);
  keep.forEach((o, r) => W.set(layer.weight.subarray(o * IN, (o + 1) * IN), r * IN));
  const b = new Float32Array(width);
  keep.forEach((o, r) => (b[r] = layer.bias[o]));
  const x = p.input ? p.input.slice(0, n * IN) : fillLcg(new Float32Array(n * IN), 1);
  const xT = new Float32Array(IN * n);
  k.transpose(xT, x, n, IN);
  const dy = fillLcg(new Float32Array(width * n), 2, 0.01);
  const out = new Float32Array(width * n);
  const dx = new Float32Array(IN * n);
  const gW = new Float32Array(width * IN);
  const db = new Float32Array(width);
  const result = {} as Record<LayerKernel, number>;
  for (const c of candidates) {
    if (c === 'dense') {
      result.dense = timeFastest(() => {
        k.linearForward(out, xT, W, b, n, IN, width);
        k.linearBackwardWeight(gW, db, dy, x, n, IN, width);
        if (p.inputGradient) k.linearBackwardInput(dx, dy, W, n, IN, width);
      });
    } else if (c === 'csr') {
      const compactMask = new Float32Array(width * IN);
      keep.forEach((o, r) => compactMask.set(mask ? mask.subarray(o * IN, (o + 1) * IN) : new Float32Array(IN).fill(1), r * IN));
      const s = buildCsr(compactMask, IN, Int32Array.from({ length: width }, (_, r) => r));
      const val = new Float32Array(s.nnz);
      const cscVal = new Float32Array(s.nnz);
      const g = new Float32Array(s.nnz);
      result.csr = timeFastest(() => {
        k.gatherValues(val, W, s.pos, s.nnz);
        k.gatherValues(cscVal, val, s.cscPerm, s.nnz);
        k.csrMatmul(out, xT, s.ptr, s.idx, val, b, n, width, IN);
        k.csrWeightGradient(g, dy, xT, s.ptr, s.idx, n, width, IN);
        if (p.inputGradient) k.csrMatmul(dx, dy, s.cscPtr, s.cscIdx, cscVal, null, n, IN, width);
        k.scatterValues(W, s.pos, val, s.nnz);
      });
    } else {
      const ldw = paddedStride(width);
      const Wt = new Float32Array(IN * ldw);
      const cap = n * IN;
      const [ptr, idx, val] = [new Int32Array(n + 1), new Int32Array(cap), new Float32Array(cap)];
      const [colPtr, rowIdx, colVal] = [new Int32Array(IN + 1), new Int32Array(cap), new Float32Array(cap)];
      const rows = new Float32Array(n * width);
      const dyRows = new Float32Array(n * ldw);
      result['input-sparse'] = timeFastest(() => {
        k.transposeStrided(Wt, W, width, IN, ldw);
        k.sparsifyRows(ptr, idx, val, colPtr, rowIdx, colVal, x, n, IN);
        k.inputSparseForward(rows, ptr, idx, val, Wt, b, n, IN, width, ldw);
        k.transpose(out, rows, n, width);
        k.transposeStrided(dyRows, dy, width, n, ldw);
        k.inputSparseWeightGradient(gW, colPtr, rowIdx, colVal, dyRows, n, IN, width, ldw);
      });
    }
  }
  return result;
}
