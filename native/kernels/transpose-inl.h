// A blocked transpose over `Vec`: W×W blocks, loaded as W row vectors,
// transposed in registers (transpose_square) and stored as W row vectors of
// the output. Included inside an ISA namespace. A pure copy, so any blocking
// gives the same bytes; it replaces a scalar 32×32-blocked loop that spent
// ~2 ns per element on the engine's [batch, width] ↔ [width, batch] copies.

// out[c * ldo + r] = in[r * cols + c], input rows [row_begin, row_end).
void transpose_rows(float* out, int ldo, const float* in, int /*rows*/, int cols, int row_begin, int row_end) {
  constexpr int W = Vec::kWidth;
  for (int r = row_begin; r < row_end; r += W) {
    const int nr = row_end - r < W ? row_end - r : W;
    for (int c = 0; c < cols; c += W) {
      const int nc = cols - c < W ? cols - c : W;
      Vec blk[W];
      if (nr == W && nc == W) {
        for (int i = 0; i < W; i++) blk[i] = Vec::load(in + long(r + i) * cols + c);
        transpose_square(blk);
        for (int j = 0; j < W; j++) blk[j].store(out + long(c + j) * ldo + r);
      } else {
        for (int i = 0; i < W; i++) blk[i] = i < nr ? Vec::load_partial(in + long(r + i) * cols + c, nc) : Vec::zero();
        transpose_square(blk);
        for (int j = 0; j < nc; j++) blk[j].store_partial(out + long(c + j) * ldo + r, nr);
      }
    }
  }
}
