// The sparse kernels in plain TypeScript: the specification the native ones are
// tested against. Sums run in double and are rounded to float32 once, when
// stored, like reference/dense.ts.
import { INPUT_TILE, type SparseKernels } from '../kernels.ts';
import { referenceKernels } from './dense.ts';

/** Feature i's gradient row over OUT outputs (inputSparseWeightGradient's sums), marking it touched. */
function featureGradient(
  g: Float32Array,
  i: number,
  touched: Int32Array,
  colPtr: Int32Array,
  rowIdx: Int32Array,
  colVal: Float32Array,
  dyRows: Float32Array,
  OUT: number,
  ldDy: number,
): boolean {
  if (colPtr[i + 1] > colPtr[i]) touched[i] = 1;
  for (let o = 0; o < OUT; o++) {
    let sum = 0;
    for (let k = colPtr[i]; k < colPtr[i + 1]; k++) sum += colVal[k] * dyRows[rowIdx[k] * ldDy + o];
    g[o] = sum;
  }
  return touched[i] !== 0;
}

/** Kept lists of the fused steps: per feature, the output positions that step (null: all of them). */
interface KeptLists {
  keptPtr: Int32Array | null;
  keptIdx: Int32Array | null;
}

/**
 * Feature i's step with its gradient row g: `step(w, g, state offset, n)` on Wt's whole row and the
 * state at the same offset, or, with kept lists, on the kept entries gathered into contiguous
 * arrays with the compact state, the weights scattered back (as the native kernel).
 */
function stepRow(
  Wt: Float32Array,
  g: Float32Array,
  i: number,
  ldW: number,
  OUT: number,
  { keptPtr, keptIdx }: KeptLists,
  step: (w: Float32Array, g: Float32Array, at: number, n: number) => void,
): void {
  const base = i * ldW;
  if (!keptPtr || !keptIdx) {
    step(Wt.subarray(base, base + OUT), g, base, OUT);
    return;
  }
  const idx = keptIdx.subarray(keptPtr[i], keptPtr[i + 1]);
  const w = Float32Array.from(idx, (o) => Wt[base + o]);
  step(
    w,
    Float32Array.from(idx, (o) => g[o]),
    keptPtr[i],
    idx.length,
  );
  idx.forEach((o, j) => (Wt[base + o] = w[j]));
}

/** Where Wt[i, o] lies among the tiles of inputSparseTile: tile ⌊o / INPUT_TILE⌋, its row i. */
function tiledAt(IN: number, i: number, o: number): number {
  return (Math.floor(o / INPUT_TILE) * IN + i) * INPUT_TILE + (o % INPUT_TILE);
}

export const referenceSparseKernels: SparseKernels = {
  csrMatmul(outT, xT, ptr, idx, val, bias, n, ROWS) {
    for (let r = 0; r < ROWS; r++) {
      for (let s = 0; s < n; s++) {
        let sum = bias ? bias[r] : 0;
        for (let k = ptr[r]; k < ptr[r + 1]; k++) sum += val[k] * xT[idx[k] * n + s];
        outT[r * n + s] = sum;
      }
    }
  },

  csrWeightGradient(g, dyT, xT, ptr, idx, n, ROWS) {
    for (let r = 0; r < ROWS; r++) {
      for (let k = ptr[r]; k < ptr[r + 1]; k++) {
        let sum = 0;
        for (let s = 0; s < n; s++) sum += dyT[r * n + s] * xT[idx[k] * n + s];
        g[k] = sum;
      }
    }
  },

  sparsifyRows(ptr, idx, val, colPtr, rowIdx, colVal, x, B, IN) {
    let nnz = 0;
    ptr[0] = 0;
    for (let s = 0; s < B; s++) {
      for (let i = 0; i < IN; i++) {
        const v = x[s * IN + i];
        if (v !== 0) {
          idx[nnz] = i;
          val[nnz] = v;
          nnz++;
        }
      }
      ptr[s + 1] = nnz;
    }
    if (colPtr && rowIdx && colVal) {
      let at = 0;
      for (let i = 0; i < IN; i++) {
        colPtr[i] = at;
        for (let s = 0; s < B; s++) {
          const v = x[s * IN + i];
          if (v !== 0) {
            rowIdx[at] = s;
            colVal[at] = v;
            at++;
          }
        }
      }
      colPtr[IN] = at;
    }
    return nnz;
  },

  inputSparseForward(outRows, ptr, idx, val, Wt, b, B, _IN, OUT, ldW) {
    for (let s = 0; s < B; s++) {
      for (let o = 0; o < OUT; o++) {
        let sum = b[o];
        for (let k = ptr[s]; k < ptr[s + 1]; k++) sum += val[k] * Wt[idx[k] * ldW + o];
        outRows[s * OUT + o] = sum;
      }
    }
  },

  inputSparseTile(tiles, Wt, IN, OUT, ldW) {
    const padded = Math.ceil(OUT / INPUT_TILE) * INPUT_TILE;
    for (let i = 0; i < IN; i++) for (let o = 0; o < padded; o++) tiles[tiledAt(IN, i, o)] = o < OUT ? Wt[i * ldW + o] : 0;
  },

  inputSparseForwardTiled(outRows, ptr, idx, val, tiles, b, B, IN, OUT) {
    // Back into rows, then the forward above: the tiles hold the same weights.
    const Wt = new Float32Array(IN * OUT);
    for (let i = 0; i < IN; i++) for (let o = 0; o < OUT; o++) Wt[i * OUT + o] = tiles[tiledAt(IN, i, o)];
    referenceSparseKernels.inputSparseForward(outRows, ptr, idx, val, Wt, b, B, IN, OUT, OUT);
  },

  inputSparseWeightGradient(dW, colPtr, rowIdx, colVal, dyRows, _B, IN, OUT, ldDy) {
    for (let o = 0; o < OUT; o++) {
      for (let i = 0; i < IN; i++) {
        let sum = 0;
        for (let k = colPtr[i]; k < colPtr[i + 1]; k++) sum += colVal[k] * dyRows[rowIdx[k] * ldDy + o];
        dW[o * IN + i] = sum;
      }
    }
  },

  inputSparseAdamStep(Wt, m, v, keptPtr, keptIdx, touched, colPtr, rowIdx, colVal, dyRows, _B, IN, OUT, ldW, ldDy, lr, beta1, beta2, eps, step) {
    const g = new Float32Array(OUT);
    for (let i = 0; i < IN; i++) {
      if (!featureGradient(g, i, touched, colPtr, rowIdx, colVal, dyRows, OUT, ldDy)) continue;
      stepRow(Wt, g, i, ldW, OUT, { keptPtr, keptIdx }, (w, gk, at, n) =>
        referenceKernels.adamStep(w, gk, m.subarray(at, at + n), v.subarray(at, at + n), null, n, lr, beta1, beta2, eps, step),
      );
    }
  },

  inputSparseSgdStep(Wt, velocity, keptPtr, keptIdx, touched, colPtr, rowIdx, colVal, dyRows, _B, IN, OUT, ldW, ldDy, lr, momentum) {
    const g = new Float32Array(OUT);
    for (let i = 0; i < IN; i++) {
      if (!featureGradient(g, i, touched, colPtr, rowIdx, colVal, dyRows, OUT, ldDy)) continue;
      stepRow(Wt, g, i, ldW, OUT, { keptPtr, keptIdx }, (w, gk, at, n) =>
        referenceKernels.sgdStep(w, gk, velocity?.subarray(at, at + n) ?? null, null, n, lr, momentum),
      );
    }
  },

  transposeStrided(out, input, rows, cols, ldOut) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * ldOut + r] = input[r * cols + c];
  },

  biasGradient(db, dyT, B, OUT) {
    for (let o = 0; o < OUT; o++) {
      let sum = 0;
      for (let s = 0; s < B; s++) sum += dyT[o * B + s];
      db[o] = sum;
    }
  },

  gatherValues(dst, src, idx, n) {
    for (let k = 0; k < n; k++) dst[k] = src[idx[k]];
  },

  scatterValues(dst, idx, src, n) {
    for (let k = 0; k < n; k++) dst[idx[k]] = src[k];
  },

  // Plain TypeScript cannot see addresses: everything counts as aligned.
  byteOffsetMod64() {
    return 0;
  },
};
