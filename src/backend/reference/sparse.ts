// The sparse kernels in plain TypeScript: the specification the native ones are
// tested against. Sums run in double and are rounded to float32 once, when
// stored, like reference/dense.ts.
import type { SparseKernels } from '../kernels.ts';
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

/** A row of Wt (and of its state and mask) as the dense step's arrays. */
const row = (a: Float32Array, i: number, ldW: number, OUT: number) => a.subarray(i * ldW, i * ldW + OUT);

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

  inputSparseWeightGradient(dW, colPtr, rowIdx, colVal, dyRows, _B, IN, OUT, ldDy) {
    for (let o = 0; o < OUT; o++) {
      for (let i = 0; i < IN; i++) {
        let sum = 0;
        for (let k = colPtr[i]; k < colPtr[i + 1]; k++) sum += colVal[k] * dyRows[rowIdx[k] * ldDy + o];
        dW[o * IN + i] = sum;
      }
    }
  },

  inputSparseAdamStep(Wt, m, v, mask, touched, colPtr, rowIdx, colVal, dyRows, _B, IN, OUT, ldW, ldDy, lr, beta1, beta2, eps, step) {
    const g = new Float32Array(OUT);
    for (let i = 0; i < IN; i++) {
      if (!featureGradient(g, i, touched, colPtr, rowIdx, colVal, dyRows, OUT, ldDy)) continue;
      const at = (a: Float32Array) => row(a, i, ldW, OUT);
      referenceKernels.adamStep(at(Wt), g, at(m), at(v), mask && at(mask), OUT, lr, beta1, beta2, eps, step);
    }
  },

  inputSparseSgdStep(Wt, velocity, mask, touched, colPtr, rowIdx, colVal, dyRows, _B, IN, OUT, ldW, ldDy, lr, momentum) {
    const g = new Float32Array(OUT);
    for (let i = 0; i < IN; i++) {
      if (!featureGradient(g, i, touched, colPtr, rowIdx, colVal, dyRows, OUT, ldDy)) continue;
      const at = (a: Float32Array) => row(a, i, ldW, OUT);
      referenceKernels.sgdStep(at(Wt), g, velocity && at(velocity), mask && at(mask), OUT, lr, momentum);
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
