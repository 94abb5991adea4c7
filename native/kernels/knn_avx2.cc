// AVX2 nearest-neighbour kernels: eight distances per compare.
#include "knn_common.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma,popcnt")
namespace infoplane {
namespace knn_avx2_isa {
#include "simd/vec_avx2.h"
inline int lt_mask(Vec a, Vec t) { return _mm256_movemask_ps(_mm256_cmp_ps(a.v, t.v, _CMP_LT_OQ)); }
inline int count_lt(Vec a, Vec t) { return __builtin_popcount(unsigned(lt_mask(a, t))); }
inline bool any_lt(Vec a, Vec t) { return lt_mask(a, t) != 0; }
#include "knn-inl.h"
}  // namespace knn_avx2_isa
}  // namespace infoplane
#pragma GCC pop_options

namespace infoplane {
#define ISA_NS knn_avx2_isa
INFOPLANE_KNN_KERNEL_TABLE(kAvx2KnnKernels, "avx2")
}  // namespace infoplane
