// Input-sparse kernels for the first layer (issue 10), forward and weight
// gradient side by side, written once over `Vec`. Included inside an ISA
// namespace that defines Vec, kSparseNv and transpose_square(Vec*).
//
// The output neurons are the vector dimension: every non-zero input x[s,i] is
// one broadcast-FMA over a contiguous row Wt[i, :] (W kept transposed for
// this), so zero inputs cost nothing. Each output element is still the dense
// GEMM's chain (forward: from b[o], over i ascending; dW: from 0, over s
// ascending) with the zero-input links left out: bitwise the dense result.

template <bool FULL>
inline void input_sparse_block(float* out, const float* wt, int ldw, const int32_t* idx, const float* val, int k0, int k1,
                               const float* bias, int nvalid) {
  constexpr int W = Vec::kWidth;
  const int nv = FULL ? kSparseNv : (nvalid + W - 1) / W;
  Vec acc[kSparseNv];
  for (int v = 0; v < nv; v++) acc[v] = FULL ? Vec::load(bias + v * W) : Vec::load_partial(bias + v * W, nvalid - v * W);
  for (int k = k0; k < k1; k++) {
    const float* row = wt + long(idx[k]) * ldw;
    const Vec x = Vec::set1(val[k]);
    if (FULL) {
      for (int v = 0; v < kSparseNv; v++) acc[v] = fma(x, Vec::load(row + v * W), acc[v]);
    } else {
      for (int v = 0; v < nv; v++) acc[v] = fma(x, Vec::load_partial(row + v * W, nvalid - v * W), acc[v]);
    }
  }
  for (int v = 0; v < nv; v++) {
    if (FULL) acc[v].store(out + v * W);
    else acc[v].store_partial(out + v * W, nvalid - v * W);
  }
}

// out[s, :] = b + Σ_k val[k]·Wt[idx[k], :] for samples [s_begin, s_end). Output blocks
// outermost: a block of Wt (IN × kSparseNv·W floats) stays in cache across the samples.
void input_sparse_forward(const InputSparseForwardArgs& a, int s_begin, int s_end) {
  constexpr int CH = kSparseNv * Vec::kWidth;
  for (int o = 0; o < a.out_width; o += CH) {
    const int nvalid = a.out_width - o < CH ? a.out_width - o : CH;
    for (int s = s_begin; s < s_end; s++) {
      float* out = a.out + long(s) * a.out_width + o;
      if (nvalid == CH) input_sparse_block<true>(out, a.wt + o, a.ldw, a.idx, a.val, a.ptr[s], a.ptr[s + 1], a.bias + o, CH);
      else input_sparse_block<false>(out, a.wt + o, a.ldw, a.idx, a.val, a.ptr[s], a.ptr[s + 1], a.bias + o, nvalid);
    }
  }
}

// The weight gradient (differentiates `out[s,:] += x[s,i]·Wt[i,:]` w.r.t. W[:, i]):
//   dW[o, i] = Σ_{s: x[s,i] ≠ 0} x[s,i]·dY[s, o], over s ascending from 0.
// Accumulated per feature over a block of outputs (contiguous rows of dY), W
// features into a small tile, then written into dW[o, i..i+W) through W×W
// transposes, so dW comes out in PyTorch's [out, in] layout for the optimizer.
// A feature with no non-zero input in the batch gets an exact 0.
void input_sparse_weight_grad(const InputSparseGradArgs& a, int o_begin, int o_end) {
  constexpr int W = Vec::kWidth, NV = kSparseNv, CH = NV * W;
  alignas(64) float tile[W][CH];
  for (int o = o_begin; o < o_end; o += CH) {
    const int no = o_end - o < CH ? o_end - o : CH;
    const int nv = (no + W - 1) / W;
    const float* dy = a.dy + o;
    for (int i0 = 0; i0 < a.in_width; i0 += W) {
      const int ni = a.in_width - i0 < W ? a.in_width - i0 : W;
      for (int f = 0; f < W; f++) {
        Vec acc[NV];
        for (int v = 0; v < NV; v++) acc[v] = Vec::zero();
        if (f < ni) {
          const int i = i0 + f;
          for (int k = a.ptr[i]; k < a.ptr[i + 1]; k++) {
            const float* row = dy + long(a.idx[k]) * a.ldy;
            const Vec x = Vec::set1(a.val[k]);
            if (no == CH) {
              for (int v = 0; v < NV; v++) acc[v] = fma(x, Vec::load(row + v * W), acc[v]);
            } else {
              for (int v = 0; v < nv; v++) acc[v] = fma(x, Vec::load_partial(row + v * W, no - v * W), acc[v]);
            }
          }
        }
        for (int v = 0; v < NV; v++) acc[v].store(tile[f] + v * W);
      }
      for (int v = 0; v < nv; v++) {
        Vec blk[W];
        for (int f = 0; f < W; f++) blk[f] = Vec::load(tile[f] + v * W);
        transpose_square(blk);  // blk[t] lane f = dW[o + v·W + t, i0 + f]
        const int nt = no - v * W < W ? no - v * W : W;
        for (int t = 0; t < nt; t++) {
          float* dst = a.dw + long(o + v * W + t) * a.in_width + i0;
          if (ni == W) blk[t].store(dst);
          else blk[t].store_partial(dst, ni);
        }
      }
    }
  }
}
