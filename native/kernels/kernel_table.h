// The per-ISA kernel table: one instance per SIMD variant (scalar, avx2, avx512),
// chosen once at load by CPU features and forceable from tests. Every entry works
// on a sub-range so that ops.cc can split work across threads; each output element
// is computed by exactly one call with a fixed operation order, which makes
// results independent of the thread count (and, for the FMA-chained kernels,
// of the variant).
#pragma once
#include <cstddef>
#include <cstdint>

namespace infoplane {

enum class Activation : int { Linear = 0, Tanh = 1, Relu = 2 };

// C[M,N] = init + A[M,K]·B[K,N], where A(i,k) = a[i*a_row + k*a_col] (any strides,
// so W and Wᵀ are both plain A operands), B's row k starts at b + k*ldb and is
// contiguous over N, C's row i starts at c + i*ldc.
enum class GemmInit : int { Zero = 0, RowBias = 1, Accumulate = 2 };
struct GemmArgs {
  float* c; long ldc;
  const float* a; long a_row, a_col;
  const float* b; long ldb;
  const float* row_bias;  // GemmInit::RowBias: C(i,:) starts at row_bias[i]
  int m, n, k;
  GemmInit init;
};

struct AdamArgs {
  float* w; float* m; float* v;
  const float* g; const float* mask;  // mask may be null; pruned entries (0) never change
  float lr, beta1, beta2, eps;
  float step_size;             // lr / (1 - beta1^t)
  float bias_correction2_sqrt; // sqrt(1 - beta2^t)
};

struct SgdArgs {
  float* w; float* velocity;   // velocity may be null when momentum == 0
  const float* g; const float* mask;
  float lr, momentum;
};

struct KernelTable {
  const char* name;
  int gemm_rows_per_tile;
  void (*gemm_rows)(const GemmArgs& args, int row_begin, int row_end);
  void (*activation_forward)(Activation act, float* y, const float* x, size_t begin, size_t end);
  // dx = dy * act'(x) expressed through the forward output y.
  void (*activation_backward)(Activation act, float* dx, const float* dy, const float* y, size_t begin, size_t end);
  void (*adam)(const AdamArgs& args, size_t begin, size_t end);
  void (*sgd)(const SgdArgs& args, size_t begin, size_t end);
};

extern const KernelTable kScalarKernels;
extern const KernelTable kAvx2Kernels;
extern const KernelTable kAvx512Kernels;

}  // namespace infoplane
