// The portable variant of the nearest-neighbour kernels: one lane per Vec.
#include "knn_common.h"

namespace infoplane {
namespace knn_scalar_isa {
#include "simd/vec_scalar.h"
inline int count_lt(Vec a, Vec t) { return a.v < t.v ? 1 : 0; }
inline bool any_lt(Vec a, Vec t) { return a.v < t.v; }
#include "knn-inl.h"
}  // namespace knn_scalar_isa
#define ISA_NS knn_scalar_isa
INFOPLANE_KNN_KERNEL_TABLE(kScalarKnnKernels, "scalar")
}  // namespace infoplane
