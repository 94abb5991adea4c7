// AVX2 + FMA sparse kernels: blocks of 8 ymm (64 floats) per accumulator row.
#include "sparse_common.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace infoplane {
namespace sparse_avx2_isa {
#include "simd/vec_avx2.h"
constexpr int kSparseNv = 8;
// The input-sparse forward's lockstep: samples per group, vectors per sample.
constexpr int kLockSamples = 3;
constexpr int kLockNv = 4;
// The input-sparse weight gradient\'s lockstep: features per group, vectors per feature.
constexpr int kGradFeatures = 2;
constexpr int kGradNv = 4;

// 8×8 transpose: r[i] lane j ← r[j] lane i.
inline void transpose_square(Vec* r) {
  __m256 t[8], s[8];
  for (int i = 0; i < 4; i++) {
    t[2 * i] = _mm256_unpacklo_ps(r[2 * i].v, r[2 * i + 1].v);      // a0 b0 a1 b1 | a4 b4 a5 b5
    t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i].v, r[2 * i + 1].v);  // a2 b2 a3 b3 | a6 b6 a7 b7
  }
  for (int i = 0; i < 2; i++) {
    s[4 * i + 0] = _mm256_shuffle_ps(t[4 * i + 0], t[4 * i + 2], 0x44);  // a0 b0 c0 d0 | a4 ..
    s[4 * i + 1] = _mm256_shuffle_ps(t[4 * i + 0], t[4 * i + 2], 0xEE);  // a1 b1 c1 d1 | a5 ..
    s[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);  // a2 .. | a6 ..
    s[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);  // a3 .. | a7 ..
  }
  for (int j = 0; j < 4; j++) {
    r[j].v = _mm256_permute2f128_ps(s[j], s[j + 4], 0x20);      // columns 0..3: low halves
    r[j + 4].v = _mm256_permute2f128_ps(s[j], s[j + 4], 0x31);  // columns 4..7: high halves
  }
}
#include "sparsify_pack-inl.h"
#include "sparse_isa.h"
}  // namespace sparse_avx2_isa
}  // namespace infoplane
#pragma GCC pop_options

namespace infoplane {
#define ISA_NS sparse_avx2_isa
INFOPLANE_SPARSE_KERNEL_TABLE(kAvx2SparseKernels, "avx2")
}  // namespace infoplane
