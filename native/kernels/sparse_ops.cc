#include "sparse_ops.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"

namespace infoplane {
namespace {

// The sparse table of the variant the dense kernels run (set_variant switches both).
const SparseKernelTable& table() {
  const char* v = current_variant();
  if (std::strcmp(v, "avx512") == 0) return kAvx512SparseKernels;
  if (std::strcmp(v, "avx2") == 0) return kAvx2SparseKernels;
  return kScalarSparseKernels;
}

// Below this many multiply-adds a product runs on the calling thread (as in ops.cc).
constexpr double kParallelMacs = 1e5;
constexpr size_t kParallelElements = 1 << 15;

}  // namespace

void csr_matmul(float* outT, const float* xT, const int32_t* ptr, const int32_t* idx, const float* val, const float* bias,
                int n, int rows) {
  const SparseKernelTable& t = table();
  const CsrMatmulArgs args{outT, xT, ptr, idx, val, bias, n};
  const double macs = double(ptr[rows]) * n + double(rows) * n;
  parallel_for(size_t(rows), 1, macs >= kParallelMacs,
               [&](size_t begin, size_t end) { t.csr_matmul_rows(args, int(begin), int(end)); });
}

void csr_weight_gradient(float* g, const float* dyT, const float* xT, const int32_t* ptr, const int32_t* idx, int n,
                         int rows) {
  const SparseKernelTable& t = table();
  const CsrGradArgs args{g, dyT, xT, ptr, idx, n};
  const double macs = double(ptr[rows]) * n;
  parallel_for(size_t(rows), 1, macs >= kParallelMacs,
               [&](size_t begin, size_t end) { t.csr_weight_grad_rows(args, int(begin), int(end)); });
}

int64_t sparsify_rows(int32_t* ptr, int32_t* idx, float* val, int32_t* col_ptr, int32_t* row_idx, float* col_val,
                      const float* x, int B, int IN) {
  // NaN counts as non-zero (it must reach the output); −0 does not (it contributes nothing).
  // Row s's scratch writes stay below nnz + IN ≤ (s + 1)·IN: inside idx and val.
  const SparseKernelTable& t = table();
  int64_t nnz = 0;
  ptr[0] = 0;
  for (int s = 0; s < B; s++) {
    nnz += t.sparsify_row(x + int64_t(s) * IN, IN, idx + nnz, val + nnz);
    ptr[s + 1] = int32_t(nnz);
  }
  if (col_ptr) {
    // Counting sort by feature; samples stay ascending within a feature.
    std::fill(col_ptr, col_ptr + IN + 1, 0);
    for (int64_t k = 0; k < nnz; k++) col_ptr[idx[k] + 1]++;
    for (int i = 0; i < IN; i++) col_ptr[i + 1] += col_ptr[i];
    for (int s = 0; s < B; s++) {
      for (int32_t k = ptr[s]; k < ptr[s + 1]; k++) {
        const int32_t at = col_ptr[idx[k]]++;
        row_idx[at] = s;
        col_val[at] = val[k];
      }
    }
    for (int i = IN; i > 0; i--) col_ptr[i] = col_ptr[i - 1];  // the cursors ended at the next start
    col_ptr[0] = 0;
  }
  return nnz;
}

int padded_stride(int width) {
  const int w = (width + 15) / 16 * 16;
  return (w / 16) % 2 == 1 ? w : w + 16;
}

void input_sparse_forward(float* outRows, const int32_t* ptr, const int32_t* idx, const float* val, const float* Wt,
                          int ldw, long tile_stride, const float* b, int B, int OUT) {
  const SparseKernelTable& t = table();
  // The samples by non-zero count (a stable counting sort), so lockstep groups have similar lengths.
  // Which group a sample falls in never changes its own chain, so the order changes no result.
  std::vector<int32_t> order(static_cast<size_t>(B));
  {
    int32_t longest = 0;
    for (int s = 0; s < B; s++) longest = std::max(longest, ptr[s + 1] - ptr[s]);
    std::vector<int32_t> start(size_t(longest) + 2, 0);
    for (int s = 0; s < B; s++) start[size_t(ptr[s + 1] - ptr[s]) + 1]++;
    for (size_t c = 1; c < start.size(); c++) start[c] += start[c - 1];
    for (int s = 0; s < B; s++) order[size_t(start[size_t(ptr[s + 1] - ptr[s])]++)] = s;
  }
  const InputSparseForwardArgs args{outRows, order.data(), ptr, idx, val, Wt, b, OUT, ldw, tile_stride};
  const double macs = (double(ptr[B]) + B) * OUT;
  parallel_for(size_t(B), 4, macs >= kParallelMacs,
               [&](size_t begin, size_t end) { t.input_sparse_forward(args, int(begin), int(end)); });
}

void input_sparse_tile(float* tiles, const float* Wt, int ldw, int IN, int OUT) {
  for (int o = 0; o < OUT; o += kInputTile) {
    const int n = std::min(kInputTile, OUT - o);
    float* tile = tiles + long(o / kInputTile) * IN * kInputTile;
    for (int i = 0; i < IN; i++) {
      std::copy(Wt + long(i) * ldw + o, Wt + long(i) * ldw + o + n, tile + long(i) * kInputTile);
      std::fill(tile + long(i) * kInputTile + n, tile + long(i + 1) * kInputTile, 0.0f);
    }
  }
}

void input_sparse_weight_gradient(float* dW, const int32_t* col_ptr, const int32_t* row_idx, const float* col_val,
                                  const float* dyRows, int ldy, int IN, int OUT) {
  const SparseKernelTable& t = table();
  const InputSparseGradArgs args{dW, col_ptr, row_idx, col_val, dyRows, IN, OUT, ldy};
  const double macs = (double(col_ptr[IN]) + IN) * OUT;
  // Output rows in blocks of 128 (the widest accumulator block), so no block is split across threads.
  parallel_for(size_t(OUT), 128, macs >= kParallelMacs,
               [&](size_t begin, size_t end) { t.input_sparse_weight_grad(args, int(begin), int(end)); });
}

void input_sparse_weight_step(const InputSparseStepArgs& args, int IN) {
  const SparseKernelTable& t = table();
  const double macs = (double(args.ptr[IN]) + IN) * args.out_width;
  // Features in groups of 4 (the widest lockstep group), so no group is split across threads.
  parallel_for(size_t(IN), 4, macs >= kParallelMacs,
               [&](size_t begin, size_t end) { t.input_sparse_weight_step(args, int(begin), int(end)); });
}

void bias_gradient(float* db, const float* dyT, int B, int OUT) {
  // Each db[o] is one sum in batch order from 0, like linear_backward_weight's bias sum; eight
  // rows' chains interleaved, so the adds overlap instead of waiting on each other's latency.
  constexpr int R = 8;
  int o = 0;
  for (; o + R <= OUT; o += R) {
    float s[R] = {};
    const float* row = dyT + size_t(o) * B;
    for (int bi = 0; bi < B; bi++) {
      for (int r = 0; r < R; r++) s[r] += row[size_t(r) * B + bi];
    }
    for (int r = 0; r < R; r++) db[o + r] = s[r];
  }
  for (; o < OUT; o++) {
    float s = 0.0f;
    const float* row = dyT + size_t(o) * B;
    for (int bi = 0; bi < B; bi++) s += row[bi];
    db[o] = s;
  }
}

void gather_values(float* dst, const float* src, const int32_t* idx, size_t n) {
  for (size_t k = 0; k < n; k++) dst[k] = src[idx[k]];
}

void scatter_values(float* dst, const int32_t* idx, const float* src, size_t n) {
  for (size_t k = 0; k < n; k++) dst[idx[k]] = src[k];
}

void transpose_blocked(float* out, int ldo, const float* in, int rows, int cols) {
  const SparseKernelTable& t = table();
  parallel_for(size_t(rows), 16, size_t(rows) * size_t(cols) >= kParallelElements * 4,
               [&](size_t begin, size_t end) { t.transpose_rows(out, ldo, in, rows, cols, int(begin), int(end)); });
}

}  // namespace infoplane
