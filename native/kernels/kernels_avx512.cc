// AVX-512F: 6×64 register tiles (24 zmm accumulators of the 32).
#include "kernels_common.h"

// GCC 12 reports a false -Wmaybe-uninitialized inside its own AVX-512 headers (_mm512_set1_ps and friends).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")
namespace infoplane {
namespace avx512_isa {
#include "simd/vec_avx512.h"
constexpr int kMr = 6;
constexpr int kNrVecs = 4;
#include "kernels_isa.h"
}  // namespace avx512_isa
}  // namespace infoplane
#pragma GCC pop_options

namespace infoplane {
#define ISA_NS avx512_isa
INFOPLANE_KERNEL_TABLE(kAvx512Kernels, "avx512")
}  // namespace infoplane
