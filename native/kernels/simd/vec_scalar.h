// One lane: the portable fallback and the tail of nothing. Every operation is
// the same IEEE operation the vector types perform per lane (fma is a fused
// multiply-add, not mul+add), so scalar results equal AVX2 and AVX-512 bit for bit.
struct Vec {
  static constexpr int kWidth = 1;
  float v;
  static Vec zero() { return {0.0f}; }
  static Vec set1(float x) { return {x}; }
  static Vec load(const float* p) { return {*p}; }
  static Vec load_partial(const float* p, int n) { return {n > 0 ? *p : 0.0f}; }
  void store(float* p) const { *p = v; }
  void store_partial(float* p, int n) const { if (n > 0) *p = v; }
};

// Lane-wise operations (free functions, so they take the ISA pragma like any other definition).
inline Vec fma(Vec a, Vec b, Vec c) { return {std::fma(a.v, b.v, c.v)}; }
inline Vec operator+(Vec a, Vec b) { return {a.v + b.v}; }
inline Vec operator-(Vec a, Vec b) { return {a.v - b.v}; }
inline Vec operator*(Vec a, Vec b) { return {a.v * b.v}; }
inline Vec operator/(Vec a, Vec b) { return {a.v / b.v}; }
inline Vec vmin(Vec a, Vec b) { return {a.v < b.v ? a.v : b.v}; }
inline Vec vmax(Vec a, Vec b) { return {a.v > b.v ? a.v : b.v}; }
inline Vec vsqrt(Vec a) { return {std::sqrt(a.v)}; }
inline Vec vabs(Vec a) { return {std::fabs(a.v)}; }
// Lane-wise `x < y ? a : b`.
inline Vec select_lt(Vec x, Vec y, Vec a, Vec b) { return {x.v < y.v ? a.v : b.v}; }
inline Vec copysign_of(Vec magnitude, Vec sign) { return {std::copysign(magnitude.v, sign.v)}; }
// 2^n for integral-valued n in [-126, 127], by building the exponent bits.
inline Vec pow2i(Vec n) {
  const float safe = n.v == n.v ? n.v : 0.0f;  // NaN: any bits do, the polynomial is NaN already
  int32_t bits = (static_cast<int32_t>(safe) + 127) << 23;
  float r;
  std::memcpy(&r, &bits, sizeof r);
  return {r};
}
inline Vec round_nearest(Vec a) { return {std::nearbyint(a.v)}; }
