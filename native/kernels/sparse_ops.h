// The sparse kernels as the binding sees them: whole operations on plain
// pointers and dimensions, split across the thread pool, dispatched to the
// SIMD variant the dense kernels use (ops.h). No N-API here. The binding
// validates every index before it gets here; these functions trust them.
//
// Layouts follow ops.h: activations feature-major XT[features, n] unless the
// name says "Rows" (sample-major [n, features]); weights PyTorch's W[out, in].
#pragma once
#include <cstddef>
#include <cstdint>
#include "sparse_kernel_table.h"

namespace infoplane {

// outT[ROWS, n] = bias + M·xT[COLS, n], M in CSR (ptr, idx, val); bias may be null.
// With M's CSC arrays it is the input gradient dxT = Mᵀ·dyT.
void csr_matmul(float* outT, const float* xT, const int32_t* ptr, const int32_t* idx, const float* val, const float* bias,
                int n, int rows);
// g[k] = Σ_s dyT[row(k), s]·xT[idx[k], s] at M's kept entries (the weight gradient of a CSR layer).
void csr_weight_gradient(float* g, const float* dyT, const float* xT, const int32_t* ptr, const int32_t* idx, int n,
                         int rows);

// The non-zero entries of x[B, IN] (row-major), as CSR by sample (ptr[B+1], idx = feature, val),
// and, when col_ptr is non-null, as CSC by feature (col_ptr[IN+1], row_idx = sample, col_val),
// both in ascending index order. Returns the number of non-zeros. Capacity: B·IN entries each.
int64_t sparsify_rows(int32_t* ptr, int32_t* idx, float* val, int32_t* col_ptr, int32_t* row_idx, float* col_val,
                      const float* x, int B, int IN);

// outRows[B, OUT] = X·Wᵀ + b through the CSR of X and Wt = Wᵀ [IN, ldw ≥ OUT], or, with
// tile_stride > 0, Wt in tiles (InputSparseForwardArgs; ldw is then ignored).
void input_sparse_forward(float* outRows, const int32_t* ptr, const int32_t* idx, const float* val, const float* Wt,
                          int ldw, long tile_stride, const float* b, int B, int OUT);
// Wt [IN, ldw ≥ OUT] into tiles of kInputTile outputs, [ceil(OUT / kInputTile)][IN][kInputTile], zero
// past OUT.
void input_sparse_tile(float* tiles, const float* Wt, int ldw, int IN, int OUT);
// dW[OUT, IN] = dyRowsᵀ·X through the CSC of X; dyRows is [B, ldy ≥ OUT].
void input_sparse_weight_gradient(float* dW, const int32_t* col_ptr, const int32_t* row_idx, const float* col_val,
                                  const float* dyRows, int ldy, int IN, int OUT);

// The weight gradient of dW = dyRowsᵀ·X fused with the optimizer step on Wt = Wᵀ [IN, ld] and
// its state in the same layout (InputSparseStepArgs; the args' IN-wide fields set by the caller).
void input_sparse_weight_step(const InputSparseStepArgs& args, int IN);

// A row stride ≥ width for the padded [rows, width] buffers above: a multiple of 16 floats that is
// an odd multiple of 16, so consecutive rows do not map to the same cache sets.
int padded_stride(int width);

// db[OUT] = Σ_s dyT[:, s], in batch order (the dense linear_backward_weight's bias sum).
void bias_gradient(float* db, const float* dyT, int B, int OUT);

// dst[k] = src[idx[k]];  dst[idx[k]] = src[k].
void gather_values(float* dst, const float* src, const int32_t* idx, size_t n);
void scatter_values(float* dst, const int32_t* idx, const float* src, size_t n);

// out[c * ldo + r] = in[r * cols + c] (out = inᵀ, rows of out padded to ldo ≥ rows), SIMD blocked.
void transpose_blocked(float* out, int ldo, const float* in, int rows, int cols);

}  // namespace infoplane
