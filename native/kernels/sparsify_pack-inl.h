// One row's non-zeros packed to the left eight lanes at a time (AVX2), for sparsify_rows.
// Included inside the AVX2 and the AVX-512 namespaces (whose target includes AVX2): the
// lists come out the same at any width, and 8 lanes already keep up with the row's reads.
//
// Each 8-float block's non-zero lanes (NaN included, −0 not: `!(v == 0)`, as the scalar
// loop) are moved to the front by one lane permutation looked up by their mask, and
// stored whole at the cursor; the cursor then advances by their count. The stores reach
// at most 8 entries past the cursor, which never runs ahead of the block being read, so
// they stay inside [0, n) of idx and val; entries past the count are scratch.

struct PackLanes {
  alignas(32) int32_t lanes[256][8];
};

constexpr PackLanes make_pack_lanes() {
  PackLanes t{};
  for (int mask = 0; mask < 256; mask++) {
    int n = 0;
    for (int b = 0; b < 8; b++)
      if ((mask >> b) & 1) t.lanes[mask][n++] = b;
  }
  return t;
}

inline constexpr PackLanes kPackLanes = make_pack_lanes();

inline int sparsify_row(const float* row, int n, int32_t* idx, float* val) {
  const __m256 zero = _mm256_setzero_ps();
  int count = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(row + i);
    const int mask = _mm256_movemask_ps(_mm256_cmp_ps(v, zero, _CMP_NEQ_UQ));
    if (mask == 0) continue;  // MNIST's borders: whole blocks of zeros, in runs
    const __m256i lanes = _mm256_load_si256(reinterpret_cast<const __m256i*>(kPackLanes.lanes[mask]));
    _mm256_storeu_ps(val + count, _mm256_permutevar8x32_ps(v, lanes));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(idx + count), _mm256_add_epi32(lanes, _mm256_set1_epi32(i)));
    count += __builtin_popcount(unsigned(mask));
  }
  return sparsify_scalar(row, i, n, idx, val, count);
}
