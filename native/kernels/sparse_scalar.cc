// The portable variant of the sparse kernels: one lane per Vec (the oracle
// the wide variants match bit for bit).
#include "sparse_common.h"

namespace infoplane {
namespace sparse_scalar_isa {
#include "simd/vec_scalar.h"
constexpr int kSparseNv = 8;
// The input-sparse forward's lockstep: samples per group, vectors per sample.
constexpr int kLockSamples = 1;
constexpr int kLockNv = 8;
// The input-sparse weight gradient\'s lockstep: features per group, vectors per feature.
constexpr int kGradFeatures = 1;
constexpr int kGradNv = 8;
// A 1×1 block is its own transpose.
inline void transpose_square(Vec*) {}

inline int sparsify_row(const float* row, int n, int32_t* idx, float* val) { return sparsify_scalar(row, 0, n, idx, val, 0); }
#include "sparse_isa.h"
}  // namespace sparse_scalar_isa
#define ISA_NS sparse_scalar_isa
INFOPLANE_SPARSE_KERNEL_TABLE(kScalarSparseKernels, "scalar")
}  // namespace infoplane
