// Register-blocked GEMM micro-kernel, written once over `Vec` and compiled per ISA.
// Included inside an ISA namespace that defines Vec, kMr (rows per tile) and
// kNrVecs (vectors per tile row).
//
// Every C element is one fused multiply-add chain over k = 0..K-1 in order,
// started from 0, its row bias or its old value. No reassociation anywhere, so
// the result of C(i,j) does not depend on the tile it falls in, the thread that
// computes it, or the vector width: scalar, AVX2 and AVX-512 agree bit for bit.

template <int MR, bool FULL>
inline void gemm_tile(const GemmArgs& g, GemmInit init, int k0, int k1, int i, int j, int nvalid) {
  constexpr int W = Vec::kWidth;
  Vec acc[MR][kNrVecs];
  for (int r = 0; r < MR; r++) {
    float* crow = g.c + (i + r) * g.ldc + j;
    for (int v = 0; v < kNrVecs; v++) {
      if (init == GemmInit::Accumulate) acc[r][v] = FULL ? Vec::load(crow + v * W) : Vec::load_partial(crow + v * W, nvalid - v * W);
      else if (init == GemmInit::RowBias) acc[r][v] = Vec::set1(g.row_bias[i + r]);
      else acc[r][v] = Vec::zero();
    }
  }
  const float* arow[MR];
  for (int r = 0; r < MR; r++) arow[r] = g.a + (i + r) * g.a_row;
  const float* bk = g.b + long(k0) * g.ldb + j;
  for (int k = k0; k < k1; k++, bk += g.ldb) {
    Vec bv[kNrVecs];
    for (int v = 0; v < kNrVecs; v++) bv[v] = FULL ? Vec::load(bk + v * W) : Vec::load_partial(bk + v * W, nvalid - v * W);
    const long ak = k * g.a_col;
    for (int r = 0; r < MR; r++) {
      const Vec av = Vec::set1(arow[r][ak]);
      for (int v = 0; v < kNrVecs; v++) acc[r][v] = fma(av, bv[v], acc[r][v]);
    }
  }
  for (int r = 0; r < MR; r++) {
    float* crow = g.c + (i + r) * g.ldc + j;
    for (int v = 0; v < kNrVecs; v++) {
      if (FULL) acc[r][v].store(crow + v * W);
      else acc[r][v].store_partial(crow + v * W, nvalid - v * W);
    }
  }
}

// Columns [j0, j1) of rows i..i+MR-1, over k in [k0, k1).
template <int MR>
inline void gemm_row_block(const GemmArgs& g, GemmInit init, int k0, int k1, int i, int j0, int j1) {
  constexpr int NR = kNrVecs * Vec::kWidth;
  int j = j0;
  for (; j + NR <= j1; j += NR) gemm_tile<MR, true>(g, init, k0, k1, i, j, NR);
  if (j < j1) gemm_tile<MR, false>(g, init, k0, k1, i, j, j1 - j);
}

// Cache blocking: a block of at most kNc columns of B, and of kKc rows when the
// whole column block would not fit in L2 (kL2Floats), stays in cache while
// every row block of A passes over it. Splitting k into blocks only stores and
// reloads the accumulators between blocks; each element's FMA chain is unchanged.
constexpr int kKc = 256;
constexpr int kNc = 256;
constexpr long kL2Floats = 128 * 1024;

// Rows [row_begin, row_end) of C; callers split rows at multiples of kMr.
void gemm_rows(const GemmArgs& g, int row_begin, int row_end) {
  static_assert(kMr == 6, "the tail switch below assumes 6-row tiles");
  const int k_step = long(g.k) * (g.n < kNc ? g.n : kNc) > kL2Floats ? kKc : (g.k > 0 ? g.k : 1);
  for (int jc = 0; jc < g.n; jc += kNc) {
    const int jend = jc + kNc < g.n ? jc + kNc : g.n;
    for (int kc = 0; kc < g.k || kc == 0; kc += k_step) {
      const int kend = kc + k_step < g.k ? kc + k_step : g.k;
      const GemmInit init = kc == 0 ? g.init : GemmInit::Accumulate;
      int i = row_begin;
      for (; i + kMr <= row_end; i += kMr) gemm_row_block<kMr>(g, init, kc, kend, i, jc, jend);
      switch (row_end - i) {  // the last, partial row block
        case 5: gemm_row_block<5>(g, init, kc, kend, i, jc, jend); break;
        case 4: gemm_row_block<4>(g, init, kc, kend, i, jc, jend); break;
        case 3: gemm_row_block<3>(g, init, kc, kend, i, jc, jend); break;
        case 2: gemm_row_block<2>(g, init, kc, kend, i, jc, jend); break;
        case 1: gemm_row_block<1>(g, init, kc, kend, i, jc, jend); break;
        default: break;
      }
      if (g.k == 0) break;
    }
  }
}
