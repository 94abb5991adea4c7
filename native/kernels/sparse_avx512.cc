// AVX-512F sparse kernels: blocks of 8 zmm (128 floats, a whole batch of 128)
// per accumulator row.
#include "sparse_common.h"

// GCC 12 reports a false -Wmaybe-uninitialized inside its own AVX-512 headers (_mm512_set1_ps and friends).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma")
namespace infoplane {
namespace sparse_avx512_isa {
#include "simd/vec_avx512.h"
constexpr int kSparseNv = 8;
// The input-sparse forward's lockstep: samples per group, vectors per sample.
constexpr int kLockSamples = 4;
constexpr int kLockNv = 4;
// The input-sparse weight gradient\'s lockstep: features per group, vectors per feature.
constexpr int kGradFeatures = 4;
constexpr int kGradNv = 4;

inline __m512 unpacklo_pd(__m512 a, __m512 b) { return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a), _mm512_castps_pd(b))); }
inline __m512 unpackhi_pd(__m512 a, __m512 b) { return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a), _mm512_castps_pd(b))); }

// 16×16 transpose: r[i] lane j ← r[j] lane i. Rows a..p; "abcd4" = a4 b4 c4 d4 in one 128-bit block.
inline void transpose_square(Vec* r) {
  __m512 t[16], u[16];
  for (int i = 0; i < 8; i++) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i].v, r[2 * i + 1].v);      // per block k: a4k b4k a4k+1 b4k+1
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i].v, r[2 * i + 1].v);  // a4k+2 b4k+2 a4k+3 b4k+3
  }
  for (int i = 0; i < 4; i++) {
    u[4 * i + 0] = unpacklo_pd(t[4 * i + 0], t[4 * i + 2]);  // abcd(4k)
    u[4 * i + 1] = unpackhi_pd(t[4 * i + 0], t[4 * i + 2]);  // abcd(4k+1)
    u[4 * i + 2] = unpacklo_pd(t[4 * i + 1], t[4 * i + 3]);  // abcd(4k+2)
    u[4 * i + 3] = unpackhi_pd(t[4 * i + 1], t[4 * i + 3]);  // abcd(4k+3)
  }
  for (int j = 0; j < 4; j++) {
    t[j] = _mm512_shuffle_f32x4(u[j], u[j + 4], 0x88);           // abcd j, abcd j+8, efgh j, efgh j+8
    t[j + 4] = _mm512_shuffle_f32x4(u[j], u[j + 4], 0xdd);       // abcd j+4, abcd j+12, efgh j+4, efgh j+12
    t[j + 8] = _mm512_shuffle_f32x4(u[j + 8], u[j + 12], 0x88);  // ijkl j, ijkl j+8, mnop j, mnop j+8
    t[j + 12] = _mm512_shuffle_f32x4(u[j + 8], u[j + 12], 0xdd);
  }
  for (int j = 0; j < 8; j++) {
    r[j].v = _mm512_shuffle_f32x4(t[j], t[j + 8], 0x88);      // column j
    r[j + 8].v = _mm512_shuffle_f32x4(t[j], t[j + 8], 0xdd);  // column j+8
  }
}
#include "sparsify_pack-inl.h"
#include "sparse_isa.h"
}  // namespace sparse_avx512_isa
}  // namespace infoplane
#pragma GCC pop_options

namespace infoplane {
#define ISA_NS sparse_avx512_isa
INFOPLANE_SPARSE_KERNEL_TABLE(kAvx512SparseKernels, "avx512")
}  // namespace infoplane
