// AVX2 + FMA: 6×16 register tiles (12 ymm accumulators).
#include "kernels_common.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace infoplane {
namespace avx2_isa {
#include "simd/vec_avx2.h"
constexpr int kMr = 6;
constexpr int kNrVecs = 2;
#include "kernels_isa.h"
}  // namespace avx2_isa
}  // namespace infoplane
#pragma GCC pop_options

namespace infoplane {
#define ISA_NS avx2_isa
INFOPLANE_KERNEL_TABLE(kAvx2Kernels, "avx2")
}  // namespace infoplane
