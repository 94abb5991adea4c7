// Sparse layer kernels (native/kernels/sparse_ops.h): weight-sparse CSR products,
// input-sparse first-layer products, and the small gathers the engine needs.
// Argument order follows the kernels: outputs, then inputs, then dimensions.
// Every index array is checked here (bounds, monotone row pointers), so a bad
// structure from JS is a RangeError, never an out-of-bounds access.
#include <algorithm>
#include <string>

#include "args.h"
#include "optimizer_args.h"
#include "register.h"
#include "../kernels/sparse_ops.h"

namespace infoplane::binding {
namespace {

using u64 = uint64_t;

std::string at(const char* name, u64 k) { return std::string(name) + "[" + std::to_string(k) + "]"; }

// A row-pointer array over `rows` rows: ptr[0] = 0, non-decreasing. Returns ptr[rows] (the entry count).
int32_t check_ptr(const Args& a, const int32_t* ptr, const char* name, int rows) {
  if (ptr[0] != 0) a.range_error(at(name, 0) + " must be 0, got " + std::to_string(ptr[0]));
  for (int r = 0; r < rows; r++) {
    if (ptr[r + 1] < ptr[r]) {
      a.range_error(std::string(name) + " must be non-decreasing: " + at(name, r + 1) + " = " + std::to_string(ptr[r + 1]) +
                    " < " + at(name, r) + " = " + std::to_string(ptr[r]));
    }
  }
  return ptr[rows];
}

// Validation runs on every call (hundreds of thousands of indices per training step), so each
// check is a branch-free pass over a block that the compiler vectorizes; only a block that fails
// is scanned again to name its first offender.
constexpr int32_t kCheckBlock = 4096;

// Every index in [0, limit).
void check_indices(const Args& a, const int32_t* idx, const char* name, int32_t count, int limit) {
  for (int32_t k0 = 0; k0 < count; k0 += kCheckBlock) {
    const int32_t k1 = std::min(count, k0 + kCheckBlock);
    uint32_t outside = 0;
    for (int32_t k = k0; k < k1; k++) outside |= uint32_t(idx[k]) >= uint32_t(limit);
    if (!outside) continue;
    for (int32_t k = k0; k < k1; k++) {
      if (idx[k] < 0 || idx[k] >= limit) {
        a.range_error(at(name, k) + " = " + std::to_string(idx[k]) + " is outside [0, " + std::to_string(limit) + ")");
      }
    }
  }
}

// Strictly ascending within each row of a CSR layout (ptr already checked).
void check_ascending(const Args& a, const int32_t* ptr, const int32_t* idx, const char* name, int rows) {
  for (int r = 0; r < rows; r++) {
    uint32_t unordered = 0;
    for (int32_t k = ptr[r] + 1; k < ptr[r + 1]; k++) unordered |= idx[k] <= idx[k - 1];
    if (!unordered) continue;
    for (int32_t k = ptr[r] + 1; k < ptr[r + 1]; k++) {
      if (idx[k] <= idx[k - 1]) {
        a.range_error(std::string(name) + " must be ascending within each feature: " + at(name, u64(k)) + " = " +
                      std::to_string(idx[k]) + " <= " + at(name, u64(k - 1)) + " = " + std::to_string(idx[k - 1]));
      }
    }
  }
}

// csrMatmul(outT, xT, ptr, idx, val, bias|null, n, ROWS, COLS):  outT[ROWS,n] = bias + M·xT[COLS,n]
Napi::Value CsrMatmul(const Napi::CallbackInfo& info) {
  Args a(info, "csrMatmul", 9);
  const int n = a.dim(6, "n"), rows = a.dim(7, "ROWS"), cols = a.dim(8, "COLS");
  float* out = a.f32(0, "outT", u64(rows) * n);
  const float* x = a.f32(1, "xT", u64(cols) * n);
  const int32_t* ptr = a.i32(2, "ptr", u64(rows) + 1);
  const int32_t nnz = check_ptr(a, ptr, "ptr", rows);
  const int32_t* idx = a.i32(3, "idx", u64(nnz));
  const float* val = a.f32(4, "val", u64(nnz));
  const float* bias = a.optional_f32(5, "bias", u64(rows));
  check_indices(a, idx, "idx", nnz, cols);
  a.disjoint({region(out, u64(rows) * n, "outT")}, {region(x, u64(cols) * n, "xT"), region(ptr, u64(rows) + 1, "ptr"),
                                                     region(idx, u64(nnz), "idx"), region(val, u64(nnz), "val"),
                                                     region(bias, u64(rows), "bias")});
  csr_matmul(out, x, ptr, idx, val, bias, n, rows);
  return info.Env().Undefined();
}

// csrWeightGradient(g, dyT, xT, ptr, idx, n, ROWS, COLS):  g[k] = Σ_s dyT[row(k),s]·xT[idx[k],s]
Napi::Value CsrWeightGradient(const Napi::CallbackInfo& info) {
  Args a(info, "csrWeightGradient", 8);
  const int n = a.dim(5, "n"), rows = a.dim(6, "ROWS"), cols = a.dim(7, "COLS");
  const int32_t* ptr = a.i32(3, "ptr", u64(rows) + 1);
  const int32_t nnz = check_ptr(a, ptr, "ptr", rows);
  float* g = a.f32(0, "g", u64(nnz));
  const float* dy = a.f32(1, "dyT", u64(rows) * n);
  const float* x = a.f32(2, "xT", u64(cols) * n);
  const int32_t* idx = a.i32(4, "idx", u64(nnz));
  check_indices(a, idx, "idx", nnz, cols);
  a.disjoint({region(g, u64(nnz), "g")}, {region(dy, u64(rows) * n, "dyT"), region(x, u64(cols) * n, "xT"),
                                          region(ptr, u64(rows) + 1, "ptr"), region(idx, u64(nnz), "idx")});
  csr_weight_gradient(g, dy, x, ptr, idx, n, rows);
  return info.Env().Undefined();
}

// sparsifyRows(ptr, idx, val, colPtr|null, rowIdx|null, colVal|null, x, B, IN) → nnz
Napi::Value SparsifyRows(const Napi::CallbackInfo& info) {
  Args a(info, "sparsifyRows", 9);
  const int B = a.dim(7, "B"), IN = a.dim(8, "IN");
  const u64 cap = u64(B) * IN;
  if (cap > u64(INT32_MAX)) a.range_error("B·IN must be < 2^31, got " + std::to_string(cap));
  int32_t* ptr = a.i32(0, "ptr", u64(B) + 1);
  int32_t* idx = a.i32(1, "idx", cap);
  float* val = a.f32(2, "val", cap);
  const bool csc = !a.is_null(3);
  int32_t* col_ptr = csc ? a.i32(3, "colPtr", u64(IN) + 1) : nullptr;
  int32_t* row_idx = nullptr;
  float* col_val = nullptr;
  if (csc) {
    row_idx = a.i32(4, "rowIdx", cap);
    col_val = a.f32(5, "colVal", cap);
  } else if (!a.is_null(4) || !a.is_null(5)) {
    a.range_error("rowIdx and colVal must be null when colPtr is null");
  }
  const float* x = a.f32(6, "x", cap);
  a.disjoint({region(ptr, u64(B) + 1, "ptr"), region(idx, cap, "idx"), region(val, cap, "val"),
              region(col_ptr, u64(IN) + 1, "colPtr"), region(row_idx, cap, "rowIdx"), region(col_val, cap, "colVal")},
             {region(x, cap, "x")});
  return Napi::Number::New(info.Env(), double(sparsify_rows(ptr, idx, val, col_ptr, row_idx, col_val, x, B, IN)));
}

// A row stride argument: an integer in [width, 2^28].
int stride_arg(const Args& a, size_t i, const char* name, int width) { return a.dim(i, name, width); }

// Elements a [rows, ld] buffer with `width` used columns needs: the last row only to its width.
u64 strided_len(int rows, int ld, int width) { return u64(rows - 1) * ld + width; }

// Elements of Wt in tiles of kInputTile outputs (input_sparse_tile).
u64 tiled_len(int IN, int OUT) { return u64((OUT + kInputTile - 1) / kInputTile) * kInputTile * IN; }

// The input-sparse forward with Wt (argument 4, `name`) of wt_len elements: in rows (tile_stride 0)
// or in tiles; the dimensions B, IN, OUT are arguments 6–8.
void input_sparse_forward_call(const Args& a, const char* name, int ldw, long tile_stride, u64 wt_len) {
  const int B = a.dim(6, "B"), IN = a.dim(7, "IN"), OUT = a.dim(8, "OUT");
  float* out = a.f32(0, "outRows", u64(B) * OUT);
  const int32_t* ptr = a.i32(1, "ptr", u64(B) + 1);
  const int32_t nnz = check_ptr(a, ptr, "ptr", B);
  const int32_t* idx = a.i32(2, "idx", u64(nnz));
  const float* val = a.f32(3, "val", u64(nnz));
  const float* wt = a.f32(4, name, wt_len);
  const float* b = a.f32(5, "b", u64(OUT));
  check_indices(a, idx, "idx", nnz, IN);
  a.disjoint({region(out, u64(B) * OUT, "outRows")},
             {region(ptr, u64(B) + 1, "ptr"), region(idx, u64(nnz), "idx"), region(val, u64(nnz), "val"),
              region(wt, wt_len, name), region(b, u64(OUT), "b")});
  input_sparse_forward(out, ptr, idx, val, wt, ldw, tile_stride, b, B, OUT);
}

// inputSparseForward(outRows, ptr, idx, val, Wt, b, B, IN, OUT, ldW):  outRows[s,:] = b + Σ_i x[s,i]·Wt[i,:]
Napi::Value InputSparseForward(const Napi::CallbackInfo& info) {
  Args a(info, "inputSparseForward", 10);
  const int IN = a.dim(7, "IN"), OUT = a.dim(8, "OUT"), ldw = stride_arg(a, 9, "ldW", OUT);
  input_sparse_forward_call(a, "Wt", ldw, 0, strided_len(IN, ldw, OUT));
  return info.Env().Undefined();
}

// inputSparseForwardTiled(outRows, ptr, idx, val, tiles, b, B, IN, OUT): the same, Wt in tiles
Napi::Value InputSparseForwardTiled(const Napi::CallbackInfo& info) {
  Args a(info, "inputSparseForwardTiled", 9);
  const int IN = a.dim(7, "IN"), OUT = a.dim(8, "OUT");
  input_sparse_forward_call(a, "tiles", kInputTile, long(IN) * kInputTile, tiled_len(IN, OUT));
  return info.Env().Undefined();
}

// inputSparseTile(tiles, Wt, IN, OUT, ldW):  tiles[t][i][j] = Wt[i, t·64 + j], zero past OUT
Napi::Value InputSparseTile(const Napi::CallbackInfo& info) {
  Args a(info, "inputSparseTile", 5);
  const int IN = a.dim(2, "IN"), OUT = a.dim(3, "OUT"), ldw = stride_arg(a, 4, "ldW", OUT);
  float* tiles = a.f32(0, "tiles", tiled_len(IN, OUT));
  const float* wt = a.f32(1, "Wt", strided_len(IN, ldw, OUT));
  a.disjoint(region(tiles, tiled_len(IN, OUT), "tiles"), region(wt, strided_len(IN, ldw, OUT), "Wt"));
  input_sparse_tile(tiles, wt, ldw, IN, OUT);
  return info.Env().Undefined();
}

// inputSparseWeightGradient(dW, colPtr, rowIdx, colVal, dyRows, B, IN, OUT, ldDy):  dW[OUT,IN] = dyRowsᵀ·X
Napi::Value InputSparseWeightGradient(const Napi::CallbackInfo& info) {
  Args a(info, "inputSparseWeightGradient", 9);
  const int B = a.dim(5, "B"), IN = a.dim(6, "IN"), OUT = a.dim(7, "OUT"), ldy = stride_arg(a, 8, "ldDy", OUT);
  float* dw = a.f32(0, "dW", u64(OUT) * IN);
  const int32_t* col_ptr = a.i32(1, "colPtr", u64(IN) + 1);
  const int32_t nnz = check_ptr(a, col_ptr, "colPtr", IN);
  const int32_t* row_idx = a.i32(2, "rowIdx", u64(nnz));
  const float* col_val = a.f32(3, "colVal", u64(nnz));
  const float* dy = a.f32(4, "dyRows", strided_len(B, ldy, OUT));
  check_indices(a, row_idx, "rowIdx", nnz, B);
  a.disjoint({region(dw, u64(OUT) * IN, "dW")},
             {region(col_ptr, u64(IN) + 1, "colPtr"), region(row_idx, u64(nnz), "rowIdx"),
              region(col_val, u64(nnz), "colVal"), region(dy, strided_len(B, ldy, OUT), "dyRows")});
  input_sparse_weight_gradient(dw, col_ptr, row_idx, col_val, dy, ldy, IN, OUT);
  return info.Env().Undefined();
}

// The arguments both fused steps share, from `first` on: keptPtr|null, keptIdx|null, touched, colPtr,
// rowIdx, colVal, dyRows, B, IN, OUT, ldW, ldDy (Wt is [IN, ldW]; the state arrays, checked by the
// caller, are state_len(args) long).
InputSparseStepArgs input_sparse_step_args(const Args& a, size_t first, int* in_width, u64* dy_len) {
  const size_t f = first;
  const int B = a.dim(f + 7, "B"), IN = a.dim(f + 8, "IN"), OUT = a.dim(f + 9, "OUT");
  const int ld = stride_arg(a, f + 10, "ldW", OUT), ldy = stride_arg(a, f + 11, "ldDy", OUT);
  InputSparseStepArgs args{};
  args.wt = a.f32(0, "Wt", strided_len(IN, ld, OUT));
  if (!a.is_null(f)) {
    args.kept_ptr = a.i32(f, "keptPtr", u64(IN) + 1);
    const int32_t kept = check_ptr(a, args.kept_ptr, "keptPtr", IN);
    args.kept_idx = a.i32(f + 1, "keptIdx", u64(kept));
    check_indices(a, args.kept_idx, "keptIdx", kept, OUT);
    // Ascending within a feature: a repeated entry would be stepped twice from the same weight.
    check_ascending(a, args.kept_ptr, args.kept_idx, "keptIdx", IN);
  } else if (!a.is_null(f + 1)) {
    a.range_error("keptIdx must be null when keptPtr is null");
  }
  args.touched = a.i32(f + 2, "touched", u64(IN));
  args.ptr = a.i32(f + 3, "colPtr", u64(IN) + 1);
  const int32_t nnz = check_ptr(a, args.ptr, "colPtr", IN);
  args.idx = a.i32(f + 4, "rowIdx", u64(nnz));
  args.val = a.f32(f + 5, "colVal", u64(nnz));
  args.dy = a.f32(f + 6, "dyRows", strided_len(B, ldy, OUT));
  check_indices(a, args.idx, "rowIdx", nnz, B);
  args.ldy = ldy;
  args.out_width = OUT;
  args.ld = ld;
  *in_width = IN;
  *dy_len = strided_len(B, ldy, OUT);
  return args;
}

// The state arrays' length: the kept entries (compact state), or Wt's [IN, ldW] layout.
u64 state_len(const InputSparseStepArgs& s, int IN) {
  return s.kept_ptr ? u64(s.kept_ptr[IN]) : strided_len(IN, s.ld, s.out_width);
}

// The fused step writes Wt, its state and touched while reading the rest: no output may share memory with anything.
void check_step_regions(const Args& a, const InputSparseStepArgs& s, const char* state0, int IN, u64 dy_len) {
  const int32_t nnz = s.ptr[IN];
  const u64 len = strided_len(IN, s.ld, s.out_width), state = state_len(s, IN);
  const u64 kept = s.kept_ptr ? u64(s.kept_ptr[IN]) : 0;
  a.disjoint({region(s.wt, len, "Wt"), region(s.state0, s.state0 ? state : 0, state0), region(s.state1, s.state1 ? state : 0, "v"),
              region(s.touched, u64(IN), "touched")},
             {region(s.kept_ptr, s.kept_ptr ? u64(IN) + 1 : 0, "keptPtr"), region(s.kept_idx, kept, "keptIdx"),
              region(s.ptr, u64(IN) + 1, "colPtr"), region(s.idx, u64(nnz), "rowIdx"), region(s.val, u64(nnz), "colVal"),
              region(s.dy, dy_len, "dyRows")});
}

// inputSparseAdamStep(Wt, m, v, keptPtr|null, keptIdx|null, touched, colPtr, rowIdx, colVal, dyRows, B, IN, OUT,
//                     ldW, ldDy, lr, beta1, beta2, eps, step):  dW = dyRowsᵀ·X, then adamStep on Wt = Wᵀ [IN, ldW]
//                     (its kept entries only, with compact m and v, where kept lists are given), in one pass
Napi::Value InputSparseAdamStep(const Napi::CallbackInfo& info) {
  Args a(info, "inputSparseAdamStep", 20);
  int IN = 0;
  u64 dy_len = 0;
  InputSparseStepArgs args = input_sparse_step_args(a, 3, &IN, &dy_len);
  args.state0 = a.f32(1, "m", state_len(args, IN));
  args.state1 = a.f32(2, "v", state_len(args, IN));
  check_step_regions(a, args, "m", IN, dy_len);
  args.adam = true;
  args.adam_args = adam_scalars(a, 15);
  input_sparse_weight_step(args, IN);
  return info.Env().Undefined();
}

// inputSparseSgdStep(Wt, velocity|null, keptPtr|null, keptIdx|null, touched, colPtr, rowIdx, colVal, dyRows, B, IN,
//                    OUT, ldW, ldDy, lr, momentum):  dW = dyRowsᵀ·X, then sgdStep on Wt = Wᵀ [IN, ldW], in one pass
Napi::Value InputSparseSgdStep(const Napi::CallbackInfo& info) {
  Args a(info, "inputSparseSgdStep", 16);
  int IN = 0;
  u64 dy_len = 0;
  InputSparseStepArgs args = input_sparse_step_args(a, 2, &IN, &dy_len);
  args.state0 = a.optional_f32(1, "velocity", state_len(args, IN));
  check_step_regions(a, args, "velocity", IN, dy_len);
  args.sgd_args = sgd_scalars(a, 14);
  if (args.sgd_args.momentum > 0.0f && a.is_null(1)) a.range_error("velocity is required when momentum > 0");
  input_sparse_weight_step(args, IN);
  return info.Env().Undefined();
}

// transposeStrided(out, in, rows, cols, ldOut):  out[c·ldOut + r] = in[r·cols + c]
Napi::Value TransposeStrided(const Napi::CallbackInfo& info) {
  Args a(info, "transposeStrided", 5);
  const int rows = a.dim(2, "rows"), cols = a.dim(3, "cols"), ldo = stride_arg(a, 4, "ldOut", rows);
  float* out = a.f32(0, "out", strided_len(cols, ldo, rows));
  const float* in = a.f32(1, "in", u64(rows) * cols);
  a.disjoint(region(out, strided_len(cols, ldo, rows), "out"), region(in, u64(rows) * cols, "in"));
  transpose_blocked(out, ldo, in, rows, cols);
  return info.Env().Undefined();
}

// biasGradient(db, dyT, B, OUT):  db[o] = Σ_s dyT[o,s]
Napi::Value BiasGradient(const Napi::CallbackInfo& info) {
  Args a(info, "biasGradient", 4);
  const int B = a.dim(2, "B"), OUT = a.dim(3, "OUT");
  float* db = a.f32(0, "db", u64(OUT));
  const float* dy = a.f32(1, "dyT", u64(OUT) * B);
  a.disjoint(region(db, u64(OUT), "db"), region(dy, u64(OUT) * B, "dyT"));
  bias_gradient(db, dy, B, OUT);
  return info.Env().Undefined();
}

// gatherValues(dst, src, idx, n):  dst[k] = src[idx[k]]
Napi::Value GatherValues(const Napi::CallbackInfo& info) {
  Args a(info, "gatherValues", 4);
  const int n = a.dim(3, "n", 0, 1 << 30);
  float* dst = a.f32(0, "dst", u64(n));
  const float* src = a.f32(1, "src", 0);
  const int32_t* idx = a.i32(2, "idx", u64(n));
  const u64 len = a.length(1);
  check_indices(a, idx, "idx", n, int(len < u64(INT32_MAX) ? len : u64(INT32_MAX)));
  a.disjoint({region(dst, u64(n), "dst")}, {region(src, len, "src"), region(idx, u64(n), "idx")});
  gather_values(dst, src, idx, size_t(n));
  return info.Env().Undefined();
}

// scatterValues(dst, idx, src, n):  dst[idx[k]] = src[k]
Napi::Value ScatterValues(const Napi::CallbackInfo& info) {
  Args a(info, "scatterValues", 4);
  const int n = a.dim(3, "n", 0, 1 << 30);
  float* dst = a.f32(0, "dst", 0);
  const int32_t* idx = a.i32(1, "idx", u64(n));
  const float* src = a.f32(2, "src", u64(n));
  const u64 len = a.length(0);
  check_indices(a, idx, "idx", n, int(len < u64(INT32_MAX) ? len : u64(INT32_MAX)));
  a.disjoint({region(dst, len, "dst")}, {region(src, u64(n), "src"), region(idx, u64(n), "idx")});
  scatter_values(dst, idx, src, size_t(n));
  return info.Env().Undefined();
}

// byteOffsetMod64(a): the data address of a typed array modulo 64. JS cannot see addresses, and a
// vector load that straddles two cache lines costs two: the engine offsets its hot buffers by
// this much to start them on a cache line (backing stores of large arrays never move).
Napi::Value ByteOffsetMod64(const Napi::CallbackInfo& info) {
  Args a(info, "byteOffsetMod64", 1);
  if (!info[0].IsTypedArray()) a.type_error("array must be a typed array");
  const auto array = info[0].As<Napi::TypedArray>();
  if (!array.ArrayBuffer().IsArrayBuffer()) a.type_error("array must not be backed by a SharedArrayBuffer");
  const auto address = reinterpret_cast<uintptr_t>(static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset());
  return Napi::Number::New(info.Env(), double(address % 64));
}

}  // namespace

void register_sparse(Napi::Env env, Napi::Object exports) {
  exports.Set("csrMatmul", Napi::Function::New(env, CsrMatmul, "csrMatmul"));
  exports.Set("csrWeightGradient", Napi::Function::New(env, CsrWeightGradient, "csrWeightGradient"));
  exports.Set("sparsifyRows", Napi::Function::New(env, SparsifyRows, "sparsifyRows"));
  exports.Set("inputSparseForward", Napi::Function::New(env, InputSparseForward, "inputSparseForward"));
  exports.Set("inputSparseForwardTiled", Napi::Function::New(env, InputSparseForwardTiled, "inputSparseForwardTiled"));
  exports.Set("inputSparseTile", Napi::Function::New(env, InputSparseTile, "inputSparseTile"));
  exports.Set("inputSparseWeightGradient", Napi::Function::New(env, InputSparseWeightGradient, "inputSparseWeightGradient"));
  exports.Set("inputSparseAdamStep", Napi::Function::New(env, InputSparseAdamStep, "inputSparseAdamStep"));
  exports.Set("inputSparseSgdStep", Napi::Function::New(env, InputSparseSgdStep, "inputSparseSgdStep"));
  exports.Set("transposeStrided", Napi::Function::New(env, TransposeStrided, "transposeStrided"));
  exports.Set("biasGradient", Napi::Function::New(env, BiasGradient, "biasGradient"));
  exports.Set("gatherValues", Napi::Function::New(env, GatherValues, "gatherValues"));
  exports.Set("scatterValues", Napi::Function::New(env, ScatterValues, "scatterValues"));
  exports.Set("byteOffsetMod64", Napi::Function::New(env, ByteOffsetMod64, "byteOffsetMod64"));
}

}  // namespace infoplane::binding
