// Weight-sparse (CSR) layer kernels, forward and backward side by side, written
// once over `Vec` and compiled per ISA. Included inside an ISA namespace that
// defines Vec, kSparseNv (vectors per accumulator block) and
// transpose_square(Vec*) (a kWidth × kWidth in-register transpose).
//
// The batch is the vector dimension, as in the dense GEMM: activations are
// feature-major X[features, n]. Each output element is the dense GEMM's FMA
// chain with the pruned links left out (see sparse_kernel_table.h), so the
// results equal the dense masked path bit for bit.

// One block of up to kSparseNv·W columns of C's row: acc = init; acc = fma(val[k], X(idx[k], j..), acc).
template <bool FULL>
inline void csr_row_block(float* c, const float* x, long ldx, const int32_t* idx, const float* val, int k0, int k1,
                          float init, int nvalid) {
  constexpr int W = Vec::kWidth;
  const int nv = FULL ? kSparseNv : (nvalid + W - 1) / W;
  Vec acc[kSparseNv];
  for (int v = 0; v < kSparseNv; v++) acc[v] = Vec::set1(init);
  for (int k = k0; k < k1; k++) {
    const float* xr = x + long(idx[k]) * ldx;
    const Vec w = Vec::set1(val[k]);
    if (FULL) {
      for (int v = 0; v < kSparseNv; v++) acc[v] = fma(w, Vec::load(xr + v * W), acc[v]);
    } else {
      for (int v = 0; v < nv; v++) acc[v] = fma(w, Vec::load_partial(xr + v * W, nvalid - v * W), acc[v]);
    }
  }
  for (int v = 0; v < nv; v++) {
    if (FULL) acc[v].store(c + v * W);
    else acc[v].store_partial(c + v * W, nvalid - v * W);
  }
}

// outT = bias + M·X, rows [row_begin, row_end) of C. Column blocks outermost, so a
// block of X (cols × kSparseNv·W floats) stays in cache while every row passes over it.
void csr_matmul_rows(const CsrMatmulArgs& a, int row_begin, int row_end) {
  constexpr int CH = kSparseNv * Vec::kWidth;
  for (int j = 0; j < a.n; j += CH) {
    const int nvalid = a.n - j < CH ? a.n - j : CH;
    for (int r = row_begin; r < row_end; r++) {
      const float init = a.bias ? a.bias[r] : 0.0f;
      float* c = a.c + long(r) * a.n + j;
      if (nvalid == CH) csr_row_block<true>(c, a.x + j, a.n, a.idx, a.val, a.ptr[r], a.ptr[r + 1], init, CH);
      else csr_row_block<false>(c, a.x + j, a.n, a.idx, a.val, a.ptr[r], a.ptr[r + 1], init, nvalid);
    }
  }
}

// The weight gradient at kept entries (differentiates `C(r,:) += val[k]·X(idx[k],:)` w.r.t. val[k]):
//   g[k] = Σ_s dY(r, s) · X(idx[k], s), one FMA chain over s = 0..n-1 from 0, like the dense dW GEMM.
// The lanes of a vector are W kept entries of one row; each s needs X(idx[k_j], s) across the
// lanes, which a W×W transpose of W contiguous loads provides. One group at a time (G = 1):
// with two groups in flight (G = 2) the transposed blocks spill to the stack and the kernel
// runs ~30% slower on Zen 4; the transposes between FMAs hide the latency of the single chain.
template <int G>
inline void csr_grad_groups(float* g, const float* dy, const float* x, int n, const int32_t* idx, int k, const int* count) {
  constexpr int W = Vec::kWidth;
  const float* xr[G][W];
  for (int q = 0; q < G; q++) {
    for (int j = 0; j < W; j++) {
      // Lanes past the group's end repeat its last row: valid memory, results not stored.
      const int jj = j < count[q] ? j : count[q] - 1;
      xr[q][j] = x + long(idx[k + q * W + jj]) * n;
    }
  }
  Vec acc[G];
  for (int q = 0; q < G; q++) acc[q] = Vec::zero();
  int s = 0;
  for (; s + W <= n; s += W) {
    Vec blk[G][W];
    for (int q = 0; q < G; q++) {
      for (int j = 0; j < W; j++) blk[q][j] = Vec::load(xr[q][j] + s);
      transpose_square(blk[q]);
    }
    for (int t = 0; t < W; t++) {
      const Vec d = Vec::set1(dy[s + t]);
      for (int q = 0; q < G; q++) acc[q] = fma(d, blk[q][t], acc[q]);
    }
  }
  if (s < n) {
    const int rem = n - s;
    Vec blk[G][W];
    for (int q = 0; q < G; q++) {
      for (int j = 0; j < W; j++) blk[q][j] = Vec::load_partial(xr[q][j] + s, rem);
      transpose_square(blk[q]);
    }
    for (int t = 0; t < rem; t++) {
      const Vec d = Vec::set1(dy[s + t]);
      for (int q = 0; q < G; q++) acc[q] = fma(d, blk[q][t], acc[q]);
    }
  }
  for (int q = 0; q < G; q++) acc[q].store_partial(g + k + q * W, count[q]);
}

void csr_weight_grad_rows(const CsrGradArgs& a, int row_begin, int row_end) {
  constexpr int W = Vec::kWidth;
  for (int r = row_begin; r < row_end; r++) {
    const float* dy = a.dy + long(r) * a.n;
    const int end = a.ptr[r + 1];
    int k = a.ptr[r];
    for (; k < end; k += W) {
      const int count[1] = {end - k < W ? end - k : W};
      csr_grad_groups<1>(a.g, dy, a.x, a.n, a.idx, k, count);
    }
  }
}
