// Input-sparse kernels for the first layer (issue 10), forward and weight
// gradient side by side, written once over `Vec`. Included inside an ISA
// namespace that defines Vec, kSparseNv, kLockSamples, kLockNv, kGradFeatures, kGradNv and
// transpose_square(Vec*). (The lockstep sizes were measured on Zen 4: with zmm, 4 × 4 beat 2 × 8,
// 8 × 2 and 8 × 4 for both kernels; with ymm, 3 samples × 4 beat 4 × 2 by ~6% on the MI pass's
// 1 024-row chunks and tied on training batches, and 2 features × 4 beat 4 × 2 by ~20%.)
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

// S samples in lockstep over a block of kLockNv·W outputs: the first min-length non-zeros of
// each in turn, then each one's rest. S·kLockNv independent FMA chains hide the FMA latency
// with a Wt block (IN × kLockNv·W floats) small enough that the rows the S samples share
// come from L1 rather than L2 (the single-sample loop is L2-bandwidth-bound). Each sample's
// chain is still its own non-zeros in ascending order. (Cutting the features into segments whose
// Wt block fits L1, one sample × 8 vectors, measured 10–23% slower on MNIST batches on Zen 3:
// every segment reloads and stores each sample's partial sums. Groups of 4 samples run densely
// over the union of their features, so each row load serves 4 FMAs, were only 6% faster before
// counting the cost of grouping them: grouped greedily by overlap, 64% of the FMAs are useful.
// Samples as the lanes instead, so that a pruned weight costs nothing: groups of 8 sharing most
// of their features, each kept Wt[i, o] one FMA into the group's accumulators for o, in L1. Bitwise
// equal, but 1.4× slower than this kernel on the 65% pruned default net: the accumulators'
// load-FMA-store runs at ~0.4 a cycle. With kLockNv = 1 (Wt's block in L1) 6 or 8 samples were
// 1.8–1.9× slower; 4 × 2, 5 × 2 and 6 × 2 were 1.1–1.3× slower, 2 × 4 tied. Wt's rows are 4 KiB
// apart, so a block spans 784 pages: read from tiles (block_args) this forward runs 11–16% faster
// with tiles of 32 outputs, ~12% with 64, none with 128 or more; 2 MiB pages gave no steady gain.
// Training keeps Wt in rows: the fused step, which walks Wt by rows, ran 1.4–1.8× slower on
// tiles, prefetched or not. So only a long evaluation, the MI pass, tiles a copy of Wt.
// With every non-zero mapped onto 32 rows, so that the block sits in L1, this loop ran 1.5×
// faster: it waits on Wt's rows coming from L2. The layouts measured that keep them in L1 cost
// more: tiles of 8 outputs (25 KiB) with 4 or 6 samples × 1 vector, 1.7–1.9× slower (three loads
// per FMA); the batch feature by feature, Wt's block row in registers and each sample's outputs
// updated in a 16 KiB L1 tile, 1.2–1.3× slower (a load and a store per FMA).)
template <int S>
inline void input_sparse_lockstep(const InputSparseForwardArgs& a, const int32_t* samples, int o) {
  constexpr int W = Vec::kWidth, NV = kLockNv;
  Vec acc[S][NV];
  int k[S], e[S];
  int len = 1 << 30;
  for (int q = 0; q < S; q++) {
    k[q] = a.ptr[samples[q]];
    e[q] = a.ptr[samples[q] + 1];
    len = e[q] - k[q] < len ? e[q] - k[q] : len;
    for (int v = 0; v < NV; v++) acc[q][v] = Vec::load(a.bias + o + v * W);
  }
  const float* wt = a.wt + o;
  for (int t = 0; t < len; t++) {
    for (int q = 0; q < S; q++) {
      const float* row = wt + long(a.idx[k[q] + t]) * a.ldw;
      const Vec x = Vec::set1(a.val[k[q] + t]);
      for (int v = 0; v < NV; v++) acc[q][v] = fma(x, Vec::load(row + v * W), acc[q][v]);
    }
  }
  for (int q = 0; q < S; q++) {
    for (int kk = k[q] + len; kk < e[q]; kk++) {
      const float* row = wt + long(a.idx[kk]) * a.ldw;
      const Vec x = Vec::set1(a.val[kk]);
      for (int v = 0; v < NV; v++) acc[q][v] = fma(x, Vec::load(row + v * W), acc[q][v]);
    }
    float* out = a.out + long(samples[q]) * a.out_width + o;
    for (int v = 0; v < NV; v++) acc[q][v].store(out + v * W);
  }
}

// The args for the block of outputs starting at o: with Wt in tiles, its tile's rows (stride
// kInputTile), shifted so that wt + o is still the block's first weight.
inline InputSparseForwardArgs block_args(const InputSparseForwardArgs& a, int o) {
  if (!a.tile_stride) return a;
  InputSparseForwardArgs b = a;
  b.wt = a.wt + long(o / kInputTile) * a.tile_stride + o % kInputTile - o;
  b.ldw = kInputTile;
  return b;
}

// out[s, :] = b + Σ_k val[k]·Wt[idx[k], :] for the samples a.order[begin..end). Output blocks
// outermost (a block of Wt stays in cache across the samples); within a block, groups of
// kLockSamples samples in lockstep (a.order lists the samples by non-zero count, so a group's
// lengths are close), the output tail past the last full block one sample at a time.
void input_sparse_forward(const InputSparseForwardArgs& a, int begin, int end) {
  constexpr int CHL = kLockNv * Vec::kWidth, CH = kSparseNv * Vec::kWidth;
  // A tile holds whole lockstep blocks, and the tail past them (< CHL ≤ CH) lies in one tile.
  static_assert(kInputTile % CHL == 0 && CHL <= CH, "blocks tile the input tiles");
  int o = 0;
  for (; o + CHL <= a.out_width; o += CHL) {
    const InputSparseForwardArgs b = block_args(a, o);
    int p = begin;
    for (; p + kLockSamples <= end; p += kLockSamples) input_sparse_lockstep<kLockSamples>(b, a.order + p, o);
    for (; p < end; p++) input_sparse_lockstep<1>(b, a.order + p, o);
  }
  for (; o < a.out_width; o += CH) {
    const InputSparseForwardArgs b = block_args(a, o);
    const int nvalid = a.out_width - o < CH ? a.out_width - o : CH;
    for (int p = begin; p < end; p++) {
      const int s = a.order[p];
      float* out = a.out + long(s) * a.out_width + o;
      if (nvalid == CH) input_sparse_block<true>(out, b.wt + o, b.ldw, a.idx, a.val, a.ptr[s], a.ptr[s + 1], a.bias + o, CH);
      else input_sparse_block<false>(out, b.wt + o, b.ldw, a.idx, a.val, a.ptr[s], a.ptr[s + 1], a.bias + o, nvalid);
    }
  }
}

// The weight gradient (differentiates `out[s,:] += x[s,i]·Wt[i,:]` w.r.t. W[:, i]):
//   dW[o, i] = Σ_{s: x[s,i] ≠ 0} x[s,i]·dY[s, o], over s ascending from 0.
// Accumulated per feature over a block of outputs (contiguous rows of dY), W
// features into a small tile, then written into dW[o, i..i+W) through W×W
// transposes, so dW comes out in PyTorch's [out, in] layout for the optimizer.
// A feature with no non-zero input in the batch gets an exact 0.
// One feature's gradient over a block of up to kSparseNv·W outputs, into a tile row (kept in
// registers: a separate function per FULL, so the compiler never spills the accumulators).
template <bool FULL>
inline void input_sparse_grad_feature(float* tile_row, const float* dy, int ldy, const int32_t* idx, const float* val,
                                      int k0, int k1, int no) {
  constexpr int W = Vec::kWidth;
  const int nv = FULL ? kSparseNv : (no + W - 1) / W;
  Vec acc[kSparseNv];
  for (int v = 0; v < kSparseNv; v++) acc[v] = Vec::zero();
  for (int k = k0; k < k1; k++) {
    const float* row = dy + long(idx[k]) * ldy;
    const Vec x = Vec::set1(val[k]);
    if (FULL) {
      for (int v = 0; v < kSparseNv; v++) acc[v] = fma(x, Vec::load(row + v * W), acc[v]);
    } else {
      for (int v = 0; v < nv; v++) acc[v] = fma(x, Vec::load_partial(row + v * W, no - v * W), acc[v]);
    }
  }
  for (int v = 0; v < kSparseNv; v++) acc[v].store(tile_row + v * W);
}

// F features in lockstep over a block of kGradNv·W outputs (as input_sparse_lockstep): the
// dY rows [B, kLockNv·W] fit L1, and neighbouring pixels share most of their samples. `len` is
// the shortest of the F lists. Feature q's block goes to out + q·ld_out. Inlined only into the
// two noinline callers below: inlined into the fused step itself, GCC also stores every
// accumulator to the stack on each pass of the inner loop (~5% of an epoch).
template <int F>
__attribute__((always_inline)) inline void grad_lockstep_block(float* out, int ld_out, const float* dy, int ldy, const int32_t* idx,
                                                                const float* val, const int* k0, const int* k1, int len) {
  constexpr int W = Vec::kWidth, NV = kGradNv;
  Vec acc[F][NV];
  for (int q = 0; q < F; q++) {
    for (int v = 0; v < NV; v++) acc[q][v] = Vec::zero();
  }
  for (int t = 0; t < len; t++) {
    for (int q = 0; q < F; q++) {
      const float* row = dy + long(idx[k0[q] + t]) * ldy;
      const Vec x = Vec::set1(val[k0[q] + t]);
      for (int v = 0; v < NV; v++) acc[q][v] = fma(x, Vec::load(row + v * W), acc[q][v]);
    }
  }
  // Unrolled, so that each feature's accumulators stay in registers rather than going through the stack.
#pragma GCC unroll 4
  for (int q = 0; q < F; q++) {
    for (int k = k0[q] + len; k < k1[q]; k++) {
      const float* row = dy + long(idx[k]) * ldy;
      const Vec x = Vec::set1(val[k]);
      for (int v = 0; v < NV; v++) acc[q][v] = fma(x, Vec::load(row + v * W), acc[q][v]);
    }
    for (int v = 0; v < NV; v++) acc[q][v].store(out + long(q) * ld_out + v * W);
  }
}

template <int F>
inline int shortest(const int* k0, const int* k1) {
  int len = 1 << 30;
  for (int q = 0; q < F; q++) len = k1[q] - k0[q] < len ? k1[q] - k0[q] : len;
  return len;
}

// One block (grad_lockstep_block), for the standalone weight gradient.
template <int F>
__attribute__((noinline)) void input_sparse_grad_lockstep(float* out, int ld_out, const float* dy, int ldy,
                                                          const int32_t* idx, const float* val, const int* k0, const int* k1) {
  grad_lockstep_block<F>(out, ld_out, dy, ldy, idx, val, k0, k1, shortest<F>(k0, k1));
}

// The first `blocks` blocks of outputs in one call: per block, a call of its own cost 3–7% of the
// fused step (arguments, frame, the lists' bounds again).
template <int F>
__attribute__((noinline)) void input_sparse_grad_lockstep_row(float* out, int ld_out, const float* dy, int ldy, int blocks,
                                                              const int32_t* idx, const float* val, const int* k0, const int* k1) {
  constexpr int CHL = kGradNv * Vec::kWidth;
  const int len = shortest<F>(k0, k1);
  for (int b = 0; b < blocks; b++) grad_lockstep_block<F>(out + b * CHL, ld_out, dy + b * CHL, ldy, idx, val, k0, k1, len);
}

// W×W transposes of a tile [W features][nv·W outputs] into dW[o.., i0..i0+ni).
inline void store_grad_tile(float* dw, int in_width, const float* tile, int ld_tile, int o, int no, int i0, int ni) {
  constexpr int W = Vec::kWidth;
  const int nv = (no + W - 1) / W;
  for (int v = 0; v < nv; v++) {
    Vec blk[W];
    for (int f = 0; f < W; f++) blk[f] = Vec::load(tile + f * ld_tile + v * W);
    transpose_square(blk);  // blk[t] lane f = dW[o + v·W + t, i0 + f]
    const int nt = no - v * W < W ? no - v * W : W;
    for (int t = 0; t < nt; t++) {
      float* dst = dw + long(o + v * W + t) * in_width + i0;
      if (ni == W) blk[t].store(dst);
      else blk[t].store_partial(dst, ni);
    }
  }
}

void input_sparse_weight_grad(const InputSparseGradArgs& a, int o_begin, int o_end) {
  constexpr int W = Vec::kWidth, NV = kSparseNv, CH = NV * W, CHL = kGradNv * W, F = kGradFeatures;
  static_assert(W % F == 0, "lockstep groups tile the W features of a tile");
  int o = o_begin;
  {
    alignas(64) float tile[W][CHL];
    for (; o + CHL <= o_end; o += CHL) {
      const float* dy = a.dy + o;
      for (int i0 = 0; i0 < a.in_width; i0 += W) {
        const int ni = a.in_width - i0 < W ? a.in_width - i0 : W;
        for (int f = 0; f < W; f += F) {
          int k0[F], k1[F];
          for (int q = 0; q < F; q++) {
            // Features past the end (f + q ≥ ni) get an empty range: zeros, never stored to dW.
            k0[q] = f + q < ni ? a.ptr[i0 + f + q] : 0;
            k1[q] = f + q < ni ? a.ptr[i0 + f + q + 1] : 0;
          }
          input_sparse_grad_lockstep<F>(tile[f], CHL, dy, a.ldy, a.idx, a.val, k0, k1);
        }
        store_grad_tile(a.dw, a.in_width, &tile[0][0], CHL, o, CHL, i0, ni);
      }
    }
  }
  alignas(64) float tile[W][CH];
  for (; o < o_end; o += CH) {
    const int no = o_end - o < CH ? o_end - o : CH;
    const int nv = (no + W - 1) / W;
    const float* dy = a.dy + o;
    for (int i0 = 0; i0 < a.in_width; i0 += W) {
      const int ni = a.in_width - i0 < W ? a.in_width - i0 : W;
      for (int f = 0; f < W; f++) {
        const int k0 = f < ni ? a.ptr[i0 + f] : 0, k1 = f < ni ? a.ptr[i0 + f + 1] : 0;
        if (no == CH) input_sparse_grad_feature<true>(tile[f], dy, a.ldy, a.idx, a.val, k0, k1, no);
        else input_sparse_grad_feature<false>(tile[f], dy, a.ldy, a.idx, a.val, k0, k1, no);
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

// The optimizer's element step (optimizer-inl.h, unchanged arithmetic) on n contiguous entries:
// w, the state at s0/s1 (either may be null where unused), their gradient in g.
inline void step_entries(const InputSparseStepArgs& a, float* w, float* s0, float* s1, const float* g, int n) {
  if (a.adam) {
    AdamArgs s = a.adam_args;
    s.w = w;
    s.m = s0;
    s.v = s1;
    s.g = g;
    s.mask = nullptr;
    adam(s, 0, size_t(n));
  } else {
    SgdArgs s = a.sgd_args;
    s.w = w;
    s.velocity = s0;
    s.g = g;
    s.mask = nullptr;
    sgd(s, 0, size_t(n));
  }
}

// Feature i's step, its gradient row in g. Without kept lists, over the whole row of Wt and its
// state. With them, over the row's kept entries only: their gradient and weights gathered into
// contiguous buffers (gk, wk), stepped with the compact state, the weights scattered back. A
// pruned entry is never read or written: the masked step would leave it exactly as it is (zero
// gradient, zero state), so skipping it changes no bit.
inline void step_row(const InputSparseStepArgs& a, const float* g, int i, float* gk, float* wk) {
  float* w = a.wt + long(i) * a.ld;
  if (!a.kept_ptr) {
    const long at = long(i) * a.ld;
    step_entries(a, w, a.state0 ? a.state0 + at : nullptr, a.state1 ? a.state1 + at : nullptr, g, a.out_width);
    return;
  }
  const int k0 = a.kept_ptr[i], n = a.kept_ptr[i + 1] - k0;
  const int32_t* idx = a.kept_idx + k0;
  for (int j = 0; j < n; j++) {
    gk[j] = g[idx[j]];
    wk[j] = w[idx[j]];
  }
  step_entries(a, wk, a.state0 ? a.state0 + k0 : nullptr, a.state1 ? a.state1 + k0 : nullptr, gk, n);
  for (int j = 0; j < n; j++) w[idx[j]] = wk[j];
}

// Features in lockstep groups of kGradFeatures: the group's gradient rows over all outputs
// (blocks of kGradNv·W by input_sparse_grad_lockstep_row, so each g[o] is the same chain; the tail
// by input_sparse_grad_feature) into a small buffer that stays in L1/L2, then each row's step
// in one contiguous pass over Wt and its state. (Measured on Zen 3 against two orders that keep
// more of dY in cache: stretches of 128–512 outputs at a time were 18–33% slower, each stretch
// paying every row's gather and step again; all gradient rows first, 32 outputs at a time, then
// the steps, was no faster: writing and rereading the gradient cost what dY's L1 blocks saved.
// Groups of 4 features run densely over the union of their samples, 4 consecutive pixels or a 2×2
// square, were 2–4% faster per step: 2.7× fewer dY row loads barely moved the gradient's time.
// Nor did where dY sits: groups of 8–32 features sharing each dY block in L1 were 2–3% faster,
// dY copied into tiles of the block's width (a block in 4 pages, not 128) no faster, prefetching
// the next block 8–10% slower, samples in ascending order accumulating into an L1 tile of dW for
// 8 outputs (dY's 8 values in a register) 1.4–1.5× slower. The gradient alone, outside the step:
// 8% faster on dY tiles, 1.6× with every sample mapped onto 8 dY rows, which no layout gives
// 128 samples. The lockstep runs at ~0.5 FMA a cycle: ~25% of its time was the ~80 cycles each
// (feature pair, block) cost beyond its FMAs, when each block was a call of its own.
// Running both features to the longer list, on zeros past the shorter's end, so that only one
// loop exit can mispredict: 9% slower with selects (GCC makes them branches), 19% with masks.)
void input_sparse_weight_step(const InputSparseStepArgs& a, int begin, int end) {
  constexpr int W = Vec::kWidth, CHL = kGradNv * W, F = kGradFeatures;
  // Room past the last full block for the tail's whole kSparseNv·W store.
  const int ldg = a.out_width / CHL * CHL + kSparseNv * W;
  std::vector<float> rows(size_t(F) * size_t(ldg) + 2 * size_t(a.out_width));
  float* g = rows.data();
  float* gk = g + size_t(F) * size_t(ldg);
  float* wk = gk + a.out_width;
  for (int i0 = begin; i0 < end; i0 += F) {
    const int nf = end - i0 < F ? end - i0 : F;
    int k0[F], k1[F];
    bool live[F];
    bool any = false;
    for (int q = 0; q < F; q++) {
      k0[q] = q < nf ? a.ptr[i0 + q] : 0;
      k1[q] = q < nf ? a.ptr[i0 + q + 1] : 0;
      if (k1[q] > k0[q]) a.touched[i0 + q] = 1;
      live[q] = q < nf && a.touched[i0 + q] != 0;
      any = any || live[q];
    }
    if (!any) continue;
    const int blocks = a.out_width / CHL;
    const int o = blocks * CHL;
    input_sparse_grad_lockstep_row<F>(g, ldg, a.dy, a.ldy, blocks, a.idx, a.val, k0, k1);
    for (int q = 0; q < nf; q++) {
      if (!live[q]) continue;
      float* row = g + long(q) * ldg;
      if (o < a.out_width) input_sparse_grad_feature<false>(row + o, a.dy + o, a.ldy, a.idx, a.val, k0[q], k1[q], a.out_width - o);
      step_row(a, row, i0 + q, gk, wk);
    }
  }
}
