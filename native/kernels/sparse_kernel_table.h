// The per-ISA table of the sparse kernels (issues 6 and 10): weight-sparse
// (CSR) products with the batch as the vector dimension, input-sparse products
// with the output neurons as the vector dimension, and a blocked transpose.
// One instance per SIMD variant, chosen with the dense table's variant
// (sparse_ops.cc). Like the dense table, every entry works on a sub-range so
// that sparse_ops.cc can split work across threads, and each output element is
// computed by exactly one call with a fixed operation order.
//
// Every kernel here computes each output element with the *same* FMA chain as
// the dense GEMM of native/kernels/gemm-inl.h, minus the links whose factor is
// an exact zero (a pruned weight or a zero input): fma(0, x, acc) = acc for
// finite x, so the sparse result equals the dense one bit for bit, on every
// variant and thread count. (The exceptions are IEEE corner cases only: the
// dense chain turns a −0 accumulator into +0 and propagates NaN/Inf times 0.)
// That makes the dense/sparse choice invisible in the results.
#pragma once
#include <cstddef>
#include <cstdint>
#include "kernel_table.h"

namespace infoplane {

// C[rows, n] = (bias) + M[rows, cols] · X[cols, n], M in CSR form:
// C(r, :) = bias[r] + Σ_{k = ptr[r]}^{ptr[r+1]-1} val[k] · X(idx[k], :), k in order.
// X's row j starts at x + j*n; C's row r at c + r*n. bias may be null (0).
// With the CSC arrays of M (the CSR of Mᵀ) this is also dX = Mᵀ·dY.
struct CsrMatmulArgs {
  float* c;
  const float* x;
  const int32_t* ptr;
  const int32_t* idx;
  const float* val;
  const float* bias;
  int n;
};

// Sampled dense–dense product at M's kept entries, the weight gradient of a CSR layer:
// g[k] = Σ_{s=0}^{n-1} dY(r, s) · X(idx[k], s) for every k of row r, summed in s order
// from 0 (the dense dW GEMM's chain). dY's row r at dy + r*n, X's row j at x + j*n.
struct CsrGradArgs {
  float* g;
  const float* dy;
  const float* x;
  const int32_t* ptr;
  const int32_t* idx;
  int n;
};

// Input-sparse forward: out[s, :] = bias + Σ_{k = ptr[s]}^{ptr[s+1]-1} val[k] · Wt[idx[k], :],
// k in order (the non-zero inputs of sample s, ascending feature index).
// out is sample-major [B, out_width]; Wt is Wᵀ, [IN, ldw ≥ out_width] (rows padded so that
// they do not all fall into the same cache sets: a 4 KiB row stride thrashes L1 and L2).
// Or Wt in tiles of kInputTile outputs (tile_stride > 0): tile t holds Wt[i, t·kInputTile + j]
// at t·tile_stride + i·kInputTile + j, so one block of outputs lies in IN·kInputTile contiguous
// floats instead of IN rows 4 KiB apart (a page each).
constexpr int kInputTile = 64;

struct InputSparseForwardArgs {
  float* out;
  const int32_t* order;  // the samples, in the order they are grouped (by non-zero count)
  const int32_t* ptr;
  const int32_t* idx;
  const float* val;
  const float* wt;
  const float* bias;
  int out_width;
  int ldw;
  long tile_stride;  // 0: Wt in rows
};

// Input-sparse weight gradient: dW[o, i] = Σ_{k = ptr[i]}^{ptr[i+1]-1} val[k] · dY[idx[k], o]
// (the non-zero inputs of feature i, ascending sample index), for every i < in_width.
// dW is PyTorch's layout [out, in]; dY is sample-major [B, ldy ≥ out_width] (padded rows, as Wt).
struct InputSparseGradArgs {
  float* dw;
  const int32_t* ptr;
  const int32_t* idx;
  const float* val;
  const float* dy;
  int in_width;
  int out_width;
  int ldy;
};

// The input-sparse layer's weight gradient fused with its optimizer step, all in the Wt layout
// [IN, ld] (no transpose of W or dW, and the gradient never leaves a small tile): for every
// feature i of [begin, end), g[o] = Σ_{k = ptr[i]}^{ptr[i+1]-1} val[k] · dY[idx[k], o] (the
// chain of InputSparseGradArgs), then the optimizer's element step on Wt[i, o] with its state.
// Without kept lists the state is laid out like Wt and every o < out_width steps. With them
// (a pruned layer), only the kept entries o = kept_idx[e], e in [kept_ptr[i], kept_ptr[i+1])
// (ascending), step, and the state is compact: entry e's at state[e]. A feature whose input has
// been zero in every step so far has a zero gradient row and zero state, so its step changes
// nothing and is skipped: touched[i] turns 1 at its first non-zero input (a caller resuming
// from non-zero state marks those rows first).
struct InputSparseStepArgs {
  float* wt;
  float* state0;        // Adam: m; SGD: velocity (null when momentum is 0)
  float* state1;        // Adam: v; SGD: unused
  const int32_t* kept_ptr;  // [IN + 1], or null: every entry steps
  const int32_t* kept_idx;  // [kept_ptr[IN]]: output positions < out_width, ascending per feature
  int32_t* touched;     // [IN]
  const int32_t* ptr;   // the CSC of X: ptr[IN + 1], idx = sample, val
  const int32_t* idx;
  const float* val;
  const float* dy;      // [B, ldy ≥ out_width]
  int ldy;
  int out_width;
  int ld;
  bool adam;
  AdamArgs adam_args;   // the scalars; pointers are set per row
  SgdArgs sgd_args;
};

struct SparseKernelTable {
  const char* name;
  void (*csr_matmul_rows)(const CsrMatmulArgs& args, int row_begin, int row_end);
  void (*csr_weight_grad_rows)(const CsrGradArgs& args, int row_begin, int row_end);
  // The samples args.order[begin..end) of out.
  void (*input_sparse_forward)(const InputSparseForwardArgs& args, int begin, int end);
  // Output rows [begin, end) of dW.
  void (*input_sparse_weight_grad)(const InputSparseGradArgs& args, int out_begin, int out_end);
  // Features [begin, end) of the fused weight gradient and optimizer step.
  void (*input_sparse_weight_step)(const InputSparseStepArgs& args, int begin, int end);
  // out[c * ldo + r] = in[r * cols + c] (out = inᵀ with row stride ldo ≥ rows) for input rows [begin, end).
  void (*transpose_rows)(float* out, int ldo, const float* in, int rows, int cols, int row_begin, int row_end);
  // row[0..n)'s non-zeros (NaN counts, −0 does not) as ascending positions in idx and values in val;
  // returns their count. May write anywhere in idx[0..n) and val[0..n): past the count is scratch.
  int (*sparsify_row)(const float* row, int n, int32_t* idx, float* val);
};

extern const SparseKernelTable kScalarSparseKernels;
extern const SparseKernelTable kAvx2SparseKernels;
extern const SparseKernelTable kAvx512SparseKernels;

}  // namespace infoplane
