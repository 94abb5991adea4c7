// The sparse structure of a pruned layer, built once from its weight mask:
// which output neurons survive (rows with at least one kept weight), and the
// kept weights in CSR form (by row, for the forward and weight-gradient
// kernels) and CSC form (by column, for the input gradient). Values are not
// stored here: the engine gathers them from the public W[out, in] array.

/** Output rows of W[OUT, IN] with at least one kept (mask ≠ 0) weight, ascending. */
export function keptRows(mask: Float32Array, OUT: number, IN: number): Int32Array {
  const rows: number[] = [];
  for (let o = 0; o < OUT; o++) {
    for (let i = 0; i < IN; i++) {
      if (mask[o * IN + i] !== 0) {
        rows.push(o);
        break;
      }
    }
  }
  return Int32Array.from(rows);
}

/** The rows of [0, OUT) that are not in `kept` (sorted). */
export function droppedRows(kept: Int32Array, OUT: number): Int32Array {
  const keep = new Uint8Array(OUT);
  for (const o of kept) keep[o] = 1;
  const out: number[] = [];
  for (let o = 0; o < OUT; o++) if (!keep[o]) out.push(o);
  return Int32Array.from(out);
}

/**
 * Maximal runs of consecutive public rows among `kept`: [compactStart, publicStart, length].
 * The optimizer steps a compacted layer run by run, on the public arrays.
 */
export function rowRuns(kept: Int32Array): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (let r = 0; r < kept.length; ) {
    let e = r + 1;
    while (e < kept.length && kept[e] === kept[e - 1] + 1) e++;
    runs.push([r, kept[r], e - r]);
    r = e;
  }
  return runs;
}

export interface CsrStructure {
  /** Compact rows (the kept rows, in order) and input columns. */
  rows: number;
  cols: number;
  nnz: number;
  /** CSR by compact row: entries ptr[r]..ptr[r+1]-1, idx = column, ascending. */
  ptr: Int32Array;
  idx: Int32Array;
  /** Each CSR entry's index in the public W[OUT, IN] array (o·IN + i). */
  pos: Int32Array;
  /** CSC by column: entries cscPtr[i]..cscPtr[i+1]-1, cscIdx = compact row, ascending. */
  cscPtr: Int32Array;
  cscIdx: Int32Array;
  /** The CSR entry of each CSC entry (cscVal[k] = val[cscPerm[k]]). */
  cscPerm: Int32Array;
}

/** The kept weights of W[·, IN] at the rows `kept`, in CSR and CSC form. */
export function buildCsr(mask: Float32Array, IN: number, kept: Int32Array): CsrStructure {
  const rows = kept.length;
  let nnz = 0;
  for (const o of kept) for (let i = 0; i < IN; i++) if (mask[o * IN + i] !== 0) nnz++;
  const ptr = new Int32Array(rows + 1);
  const idx = new Int32Array(nnz);
  const pos = new Int32Array(nnz);
  const colCount = new Int32Array(IN + 1);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const base = kept[r] * IN;
    for (let i = 0; i < IN; i++) {
      if (mask[base + i] !== 0) {
        idx[k] = i;
        pos[k] = base + i;
        colCount[i + 1]++;
        k++;
      }
    }
    ptr[r + 1] = k;
  }
  const cscPtr = new Int32Array(IN + 1);
  for (let i = 0; i < IN; i++) cscPtr[i + 1] = cscPtr[i] + colCount[i + 1];
  const cursor = cscPtr.slice(0, IN);
  const cscIdx = new Int32Array(nnz);
  const cscPerm = new Int32Array(nnz);
  for (let r = 0; r < rows; r++) {
    for (let e = ptr[r]; e < ptr[r + 1]; e++) {
      const at = cursor[idx[e]]++;
      cscIdx[at] = r;
      cscPerm[at] = e;
    }
  }
  return { rows, cols: IN, nnz, ptr, idx, pos, cscPtr, cscIdx, cscPerm };
}

/**
 * The kept weights of W[kept, ·] by input feature, as the first layer's Wt = W[kept]ᵀ steps them:
 * entries ptr[i]..ptr[i+1]-1, idx = compact output row (ascending), pos = index in the public
 * W[OUT, IN] array. null when every weight of those rows is kept.
 */
export interface KeptByFeature {
  count: number;
  ptr: Int32Array;
  idx: Int32Array;
  pos: Int32Array;
}

// Counted, then filled, straight by feature (buildCsr's CSC would also build the CSR and a
// permutation: ~3× the time on a 1024 × 784 mask, paid by every run).
export function keptByFeature(mask: Float32Array, IN: number, kept: Int32Array): KeptByFeature | null {
  const rows = kept.length;
  const ptr = new Int32Array(IN + 1);
  for (let r = 0; r < rows; r++) {
    const base = kept[r] * IN;
    for (let i = 0; i < IN; i++) if (mask[base + i] !== 0) ptr[i + 1]++;
  }
  for (let i = 0; i < IN; i++) ptr[i + 1] += ptr[i];
  const count = ptr[IN];
  if (count === rows * IN) return null;
  const idx = new Int32Array(count);
  const pos = new Int32Array(count);
  const cursor = ptr.slice(0, IN);
  for (let r = 0; r < rows; r++) {
    const base = kept[r] * IN;
    for (let i = 0; i < IN; i++) {
      if (mask[base + i] !== 0) {
        const at = cursor[i]++;
        idx[at] = r;
        pos[at] = base + i;
      }
    }
  }
  return { count, ptr, idx, pos };
}

/** Fraction of non-zero entries among the first rows·features values of x. */
export function inputDensity(x: Float32Array, rows: number, features: number): number {
  const n = rows * features;
  if (n === 0) return 1;
  let nonZero = 0;
  for (let i = 0; i < n; i++) if (x[i] !== 0) nonZero++;
  return nonZero / n;
}
