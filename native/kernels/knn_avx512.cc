// AVX-512 nearest-neighbour kernels: sixteen distances per compare.
#include "knn_common.h"

// GCC 12 reports a false -Wmaybe-uninitialized inside its own AVX-512 headers (_mm512_set1_ps and friends).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,popcnt")
namespace infoplane {
namespace knn_avx512_isa {
#include "simd/vec_avx512.h"
inline unsigned lt_mask(Vec a, Vec t) { return unsigned(_mm512_cmp_ps_mask(a.v, t.v, _CMP_LT_OQ)); }
inline int count_lt(Vec a, Vec t) { return __builtin_popcount(lt_mask(a, t)); }
inline bool any_lt(Vec a, Vec t) { return lt_mask(a, t) != 0; }
#include "knn-inl.h"
}  // namespace knn_avx512_isa
}  // namespace infoplane
#pragma GCC pop_options

namespace infoplane {
#define ISA_NS knn_avx512_isa
INFOPLANE_KNN_KERNEL_TABLE(kAvx512KnnKernels, "avx512")
}  // namespace infoplane
