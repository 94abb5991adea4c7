// Binning MI: row codes → 64-bit hash → open-addressing table verified on
// every hash match → plug-in entropies in bits. See mi_histogram.h.
//
// No -ffast-math here (CMakeLists.txt, binding.gyp): log2(1) must be exactly 0,
// p > 0 guards must hold, and the sums must keep their order.
#include "mi_histogram.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <immintrin.h>

#include "ops.h"

namespace infoplane::mi {
namespace {

// ---- hashing ---------------------------------------------------------------

// wyhash's 64×64→128 multiply-fold and secrets (public domain, Wang Yi).
constexpr uint64_t kSecret0 = 0xa0761d6478bd642full;
constexpr uint64_t kSecret1 = 0xe7037ed1a0b428dbull;
constexpr uint64_t kSecret2 = 0x8ebc6af09c88c6e3ull;
constexpr uint64_t kSecret3 = 0x589965cc75374cc3ull;

inline uint64_t mum(uint64_t a, uint64_t b) {
  const __uint128_t r = __uint128_t(a) * b;
  return uint64_t(r) ^ uint64_t(r >> 64);
}

// 8 bytes = two codes, little-endian (x86-64): code 2k in the low half.
inline uint64_t load64(const int32_t* c) {
  uint64_t v;
  std::memcpy(&v, c, sizeof v);
  return v;
}

// Narrower rows hash faster with hash_row than with hash_row_avx2, whose final
// fold is longer.
constexpr int kWideHashRow = 64;

// Codes per hash block: a row is hashed over its width rounded up to this,
// the caller's row buffer holding zeros past the width (the width is the same
// for every row of a call, so the padding is unambiguous).
constexpr int kHashBlock = 16;
inline size_t hash_stride(int width) { return size_t(width + kHashBlock - 1) / kHashBlock * kHashBlock; }

// wyhash-style, four independent lanes of 16 bytes (4 codes) per multiply-fold
// so that the four multiply chains overlap. The hash only orders the probes:
// ids, counts and entropies do not depend on it.
uint64_t hash_row(const int32_t* codes, int width) {
  uint64_t s0 = kSecret0 ^ mum(uint64_t(width) ^ kSecret0, kSecret1);
  uint64_t s1 = s0 ^ kSecret2, s2 = s0 ^ kSecret3, s3 = s0 ^ kSecret1;
  const auto fold = [&](const int32_t* c) {
    s0 = mum(load64(c) ^ kSecret1, load64(c + 2) ^ s0);
    s1 = mum(load64(c + 4) ^ kSecret3, load64(c + 6) ^ s1);
    s2 = mum(load64(c + 8) ^ kSecret2, load64(c + 10) ^ s2);
    s3 = mum(load64(c + 12) ^ kSecret0, load64(c + 14) ^ s3);
  };
  for (size_t i = 0; i < hash_stride(width); i += kHashBlock) fold(codes + i);
  return mum(s0 ^ s2 ^ kSecret1 ^ uint64_t(width), s1 ^ s3 ^ kSecret3);
}

inline uint64_t hash_pair(uint64_t key) { return mum(key ^ kSecret2, kSecret1 ^ (key >> 29)); }

size_t table_capacity(size_t n) {  // power of two ≥ 2n (load ≤ 1/2 with linear probing)
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  return cap;
}

// ---- binning ---------------------------------------------------------------

// A cheap guess at a bounded scheme's code: u(h) = fma(h, scale, shift) in
// float arithmetic (≈ (h − lo)·scale + offset). The exact code of h is
// #{k ∈ 1..M : T_k ≤ h}, M = levels − 1, for thresholds T_k (the least float
// whose code is ≥ k; idnns: the edges). The guess is trusted only where u is
// farther than `slack` from every integer: u is monotone in h, so h and T_k
// are on the same side of each other as u(h) and u(T_k), and slack bounds
// |u(T_k) − k| over all k (measured at set-up with the very operation the
// vector loop runs), so floor(u) is the code. u is clamped to [0.5, M + 0.5]
// first (slack < 1/2 keeps the clamped ends exact). Other lanes (values
// within a few ulps of an edge) take the exact formula.
struct CodeGuess {
  bool usable = false;
  float scale = 0, shift = 0;
  float top = 0;    // M + 0.5
  float slack = 0;  // > max_k |u(T_k) − k|
};

// The thresholds of a scheme with more levels than this are not searched:
// the set-up would cost more than the guesses save.
constexpr int kMaxGuessedLevels = 4096;

// One rounding of the exact h·scale + shift: monotone in h, and the vector
// loop's vfmadd gives the same float.
inline float guess_at(const CodeGuess& g, float h) { return std::fma(h, g.scale, g.shift); }

// u(h) ≈ (h − lo)·scale + offset.
CodeGuess make_guess(const std::vector<float>& thresholds, double lo, double scale, double offset) {
  CodeGuess g;
  g.scale = float(scale);
  g.shift = float(offset - lo * double(g.scale));
  if (!(std::isnormal(g.scale) && g.scale > 0.0f && std::isfinite(g.shift))) return CodeGuess{};  // keeps u free of NaN
  double worst = 0.0;
  for (size_t k = 1; k <= thresholds.size(); k++) {
    const double miss = std::fabs(double(guess_at(g, thresholds[k - 1])) - double(k));
    if (!(miss <= 1.0 / 16.0)) return CodeGuess{};  // NaN or far: the exact formula throughout
    worst = std::max(worst, miss);
  }
  g.top = float(thresholds.size()) + 0.5f;
  g.slack = float(2.0 * worst + 0x1p-22);
  g.usable = true;
  return g;
}

// Finite floats in order as integers (−0 and +0 both map to 0).
inline int32_t float_order(float x) {
  int32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits >= 0 ? bits : -(bits & 0x7fffffff);
}
inline float order_float(int32_t key) {
  const int32_t bits = key >= 0 ? key : int32_t(uint32_t(-key) | 0x80000000u);
  float x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// T_k = the least finite float whose code is ≥ k, k = 1..levels − 1, by
// bisection over the floats (code is monotone in h: every step of the formula
// is a correctly rounded monotone operation); +Inf where no float reaches k.
template <class Code>
std::vector<float> search_thresholds(int levels, const Code& code) {
  std::vector<float> t(size_t(levels - 1));
  const int32_t last = float_order(std::numeric_limits<float>::max());
  int32_t from = -last;
  for (int k = 1; k < levels; k++) {
    if (code(std::numeric_limits<float>::max()) < k) {
      std::fill(t.begin() + (k - 1), t.end(), std::numeric_limits<float>::infinity());
      break;
    }
    int64_t lo = from, hi = last;  // code(order_float(hi)) ≥ k
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (code(order_float(int32_t(mid))) >= k) hi = mid;
      else lo = mid + 1;
    }
    t[size_t(k - 1)] = order_float(int32_t(lo));
    from = int32_t(lo);
  }
  return t;
}

#pragma GCC push_options
#pragma GCC target("avx2,fma")

// The first `lanes` (< 8) lanes set: masked loads and stores of a row's tail.
inline __m256i tail_mask(int lanes) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Codes of one row from the guess, exact lanes re-done with `exact`. After
// the clamp u ≥ 0.5, so truncation is floor; |u − round(u)| is exact
// (Sterbenz) and is u's distance to the nearest integer.
template <class Exact>
void guessed_codes_avx2(int32_t* out, const float* row, int width, const CodeGuess& g, const Exact& exact) {
  const __m256 scale = _mm256_set1_ps(g.scale), shift = _mm256_set1_ps(g.shift);
  const __m256 bottom = _mm256_set1_ps(0.5f), top = _mm256_set1_ps(g.top), slack = _mm256_set1_ps(g.slack);
  const __m256 sign = _mm256_set1_ps(-0.0f);
  const auto codes = [&](__m256 h, int i, int lanes) {
    __m256 u = _mm256_fmadd_ps(h, scale, shift);
    u = _mm256_min_ps(_mm256_max_ps(u, bottom), top);
    const __m256 miss = _mm256_andnot_ps(sign, _mm256_sub_ps(u, _mm256_round_ps(u, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
    const int near = _mm256_movemask_ps(_mm256_cmp_ps(miss, slack, _CMP_LE_OQ)) & ((1 << lanes) - 1);
    const __m256i code = _mm256_cvttps_epi32(u);
    if (lanes == 8) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), code);
    else _mm256_maskstore_epi32(out + i, tail_mask(lanes), code);
    for (int k = 0; near >> k; k++)
      if (near >> k & 1) out[i + k] = exact(row[i + k]);
  };
  int i = 0;
  for (; i + 8 <= width; i += 8) codes(_mm256_loadu_ps(row + i), i, 8);
  if (i < width) codes(_mm256_maskload_ps(row + i, tail_mask(width - i)), i, width - i);
}

// hash_row's job eight 32-bit lanes at a time, for wide rows (kWideHashRow):
// four chains of
// lane = (lane ^ code)·odd constant (a bijection of the lane, so two rows that
// differ in one code always differ in some lane), folded at the end by mum.
uint64_t hash_row_avx2(const int32_t* codes, int width) {
  const __m256i k = _mm256_set1_epi32(int32_t(0x9e3779b1u));
  const auto step = [&](__m256i a, size_t i) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + i));
    return _mm256_mullo_epi32(_mm256_xor_si256(a, c), k);
  };
  __m256i a0 = _mm256_set1_epi32(width), a1 = _mm256_set1_epi32(int32_t(kSecret1));
  __m256i a2 = _mm256_set1_epi32(int32_t(kSecret2)), a3 = _mm256_set1_epi32(int32_t(kSecret3));
  const size_t stride = hash_stride(width);  // a multiple of 16
  size_t i = 0;
  for (; i + 32 <= stride; i += 32) {
    a0 = step(a0, i);
    a1 = step(a1, i + 8);
    a2 = step(a2, i + 16);
    a3 = step(a3, i + 24);
  }
  if (i < stride) {
    a0 = step(a0, i);
    a1 = step(a1, i + 8);
  }
  alignas(32) uint64_t w[16];
  _mm256_store_si256(reinterpret_cast<__m256i*>(w), a0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w + 4), a1);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w + 8), a2);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w + 12), a3);
  uint64_t s0 = kSecret0, s1 = kSecret2;
  for (int j = 0; j < 16; j += 4) {
    s0 = mum(w[j] ^ kSecret1, w[j + 1] ^ s0);
    s1 = mum(w[j + 2] ^ kSecret3, w[j + 3] ^ s1);
  }
  return mum(s0 ^ kSecret1, s1 ^ kSecret3);
}

#pragma GCC pop_options

// Bins one row. Every formula is evaluated in double exactly as written in
// mi_histogram.h so that the TypeScript reference (JS numbers are doubles)
// produces the same codes bit for bit; the AVX2 guess above only skips the
// formula where it provably gives the same code.
class RowBinner {
 public:
  // `values`: how many elements this binner will see (the guess's set-up must pay for itself).
  RowBinner(const Binning& b, std::vector<double>& edges, size_t values) : b_(b), edges_(edges) {
    if (b.scheme == BinScheme::Idnns) {
      // IDNNs and ibsgd hold their edges in float32, like the activations (src/mi/reference.ts idnnsEdges).
      numpy_linspace(edges_, b.lo, b.hi, b.bins);
      for (double& e : edges_) e = double(float(e));
    }
    const bool vector = std::strcmp(current_variant(), "scalar") != 0;
    if (!vector || b.scheme == BinScheme::Width || b.bins > kMaxGuessedLevels || values < 64 * size_t(b.bins)) return;
    if (b.scheme == BinScheme::Idnns) {
      const std::vector<float> edges_f(edges_.begin(), edges_.end());
      guess_ = make_guess(edges_f, b.lo, double(b.bins - 1) / (b.hi - b.lo), 1.0);
    } else if (b.hi - b.lo > 0.0) {
      const std::vector<float> t = search_thresholds(b.bins, [this](float h) { return equal_bin(h); });
      guess_ = make_guess(t, b.lo, double(b.bins) / (b.hi - b.lo), 0.0);
    }
  }

  void operator()(int32_t* out, const float* row, int width) const {
    switch (b_.scheme) {
      case BinScheme::Fixed:
      case BinScheme::Adaptive:
        if (!(b_.hi - b_.lo > 0.0)) std::fill_n(out, width, 0);  // a constant layer: everything in bin 0
        else if (guess_.usable) guessed_codes_avx2(out, row, width, guess_, [this](float h) { return equal_bin(h); });
        else
          for (int i = 0; i < width; i++) out[i] = equal_bin(row[i]);
        break;
      case BinScheme::Idnns:
        if (guess_.usable) guessed_codes_avx2(out, row, width, guess_, [this](float h) { return digitize(h); });
        else
          for (int i = 0; i < width; i++) out[i] = digitize(row[i]);
        break;
      case BinScheme::Width: floor_width(out, row, width); break;
    }
  }

 private:
  // clamp(floor((h − lo)/(hi − lo)·m), 0, m − 1) for hi > lo. Computed as
  // trunc(min(max(q, 0), m − 1)): for q ≥ 0 truncation is floor, and clamping
  // q before rounding gives the same integer as clamping floor(q) after it
  // (q ∈ [m − 1, m) and q ≥ m both end in m − 1; q < 0 ends in 0). Branch-free
  // so that the compiler vectorizes the scalar variant's loop (SSE2 has no floor).
  int32_t equal_bin(float h) const {
    const double m = double(b_.bins), top = m - 1.0;
    double q = (double(h) - b_.lo) / (b_.hi - b_.lo) * m;
    q = q > 0.0 ? q : 0.0;
    q = q < top ? q : top;
    return int32_t(q);
  }

  // np.digitize(h, edges), right=False: the number of edges ≤ h (values < lo → 0,
  // values ≥ hi → m). A guess from the uniform step, then corrected against
  // the (float32-valued) edges themselves, so the answer is exactly numpy's.
  int32_t digitize(float hf) const {
    const double* e = edges_.data();
    const int m = b_.bins;
    const double h = double(hf), step = (b_.hi - b_.lo) / double(m - 1);
    double g = std::floor((h - b_.lo) / step) + 1.0;
    g = g < 0.0 ? 0.0 : (g > double(m) ? double(m) : g);
    int k = int(g);
    while (k > 0 && e[k - 1] > h) k--;
    while (k < m && e[k] <= h) k++;
    return k;
  }

  // floor(h / w), Saxe et al.'s simplebinmi.bin_calc_information2. The
  // binding has checked that every quotient's floor fits int32, so truncation
  // minus one where it rounded up is floor (branch-free, vectorizable).
  void floor_width(int32_t* out, const float* row, int width) const {
    const double w = b_.width;
    for (int i = 0; i < width; i++) {
      const double q = double(row[i]) / w;
      const int32_t k = int32_t(q);
      out[i] = k - (double(k) > q ? 1 : 0);
    }
  }

  const Binning& b_;
  std::vector<double>& edges_;
  CodeGuess guess_;
};

// ---- the row table -----------------------------------------------------------

struct Slot {
  uint64_t hash;
  int32_t id;  // < 0: empty
};

struct PairSlot {
  uint64_t key;  // (x << 32) | t, exact: no verification needed
  int32_t id;    // < 0: empty
};

// Buffers kept between calls (per thread: worker_threads each get their own),
// grown and never shrunk: first-touch page faults are paid once.
struct Workspace {
  std::vector<Slot> slots;
  std::vector<int32_t> ids, first_row, counts, label_counts;
  std::vector<int32_t> row_codes, rebinned;  // two rows of hash_stride(width), one row
  std::vector<int32_t> stored;               // codes of the first distinct rows, up to kStoredCodes
  std::vector<double> edges;
  std::vector<PairSlot> pair_slots;
  std::vector<int32_t> pair_counts, pair_x;
  std::vector<int32_t> class_sizes;
  std::vector<double> class_sums;
};

thread_local Workspace tl_workspace;

template <class T>
void grow(std::vector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
}

// Codes kept for the first distinct rows (4 MiB): enough for every row of a
// layer with few distinct rows, where hash matches are frequent.
constexpr size_t kStoredCodes = size_t(1) << 20;

// Counts the distinct binned rows of t[n, width]. Fills ws.ids[n] (first-
// appearance ids), ws.counts[distinct], and, with labels, ws.label_counts
// [distinct, classes] in the same pass. On a hash match the stored row's
// codes are compared code by code with the new row's, so counts are exact
// whatever the hash does. Codes are stored for the first distinct rows only
// (kStoredCodes); beyond that a stored row's codes are recomputed from its
// activations (binning is a pure function of the row), so that no N×width
// code buffer is needed — a layer with that many distinct rows is nearly
// saturated and hash matches (duplicates) are rare.
//
// `check` non-null: t is scanned here (scan_activations over the range of a
// resolved bounded binning), a block of rows at a time just before they are
// binned, so that the layer is read from memory once. A non-finite value
// stops the count: check->first_non_finite < n·width and the result is -1.
// noclone: a copy specialised to ws = tl_workspace would look the thread-local
// up (__tls_get_addr) at every use inside its loops.
__attribute__((noclone)) int32_t count_rows(Workspace& ws, const float* t, size_t n, int width,
                                            const Binning& binning, HashMode mode, const int32_t* labels,
                                            int classes, ActivationScan* check) {
  const size_t cap = table_capacity(n), mask = cap - 1;
  grow(ws.slots, cap);
  std::fill_n(ws.slots.begin(), cap, Slot{0, -1});
  grow(ws.ids, n);
  grow(ws.first_row, n);
  grow(ws.counts, n);
  if (labels) {
    grow(ws.label_counts, n * size_t(classes));
    std::fill_n(ws.label_counts.begin(), n * size_t(classes), 0);  // one fill, not one per new row
  }
  const size_t stride = hash_stride(width);
  grow(ws.row_codes, 2 * stride);  // two rows: see the loop below
  std::fill_n(ws.row_codes.begin(), 2 * stride, 0);
  grow(ws.rebinned, size_t(width));
  const size_t stored_rows = std::min(n, kStoredCodes / size_t(width));
  grow(ws.stored, stored_rows * size_t(width));
  const RowBinner bin(binning, ws.edges, n * size_t(width));
  const size_t row_bytes = size_t(width) * sizeof(int32_t);
  const bool vector_hash = width >= kWideHashRow && std::strcmp(current_variant(), "scalar") != 0;

  // Row r is binned and hashed, and its slot prefetched, before row r − 1 is
  // placed: the slot's cache miss overlaps the binning. Rows are still placed
  // in order, so ids keep their order of first appearance.
  int32_t distinct = 0;
  const auto place = [&](size_t r, const int32_t* row, uint64_t h) {
    size_t s = size_t(h) & mask;
    int32_t id;
    for (;;) {
      Slot& slot = ws.slots[s];
      if (slot.id < 0) {  // a new row
        id = distinct++;
        slot = Slot{h, id};
        ws.first_row[id] = int32_t(r);
        ws.counts[id] = 0;
        if (size_t(id) < stored_rows) std::memcpy(ws.stored.data() + size_t(id) * width, row, row_bytes);
        break;
      }
      if (slot.hash == h) {
        const int32_t* stored = ws.rebinned.data();
        if (size_t(slot.id) < stored_rows) stored = ws.stored.data() + size_t(slot.id) * width;
        else bin(ws.rebinned.data(), t + size_t(ws.first_row[slot.id]) * size_t(width), width);
        if (std::memcmp(stored, row, row_bytes) == 0) {
          id = slot.id;
          break;
        }
      }
      s = (s + 1) & mask;
    }
    ws.counts[id]++;
    ws.ids[r] = id;
    if (labels) ws.label_counts[size_t(id) * classes + labels[r]]++;
  };
  // Blocks of about 16 KiB: still in L1 when their rows are binned.
  const size_t check_rows = std::max<size_t>(1, 4096 / size_t(width));
  if (check) *check = ActivationScan{0, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), 0};
  uint64_t hashes[2] = {0, 0};
  for (size_t r = 0; r < n; r++) {
    if (check && r % check_rows == 0) {
      const size_t begin = r * size_t(width), count = (std::min(n, r + check_rows) - r) * size_t(width);
      const ActivationScan block = scan_activations(t + begin, count, binning.lo, binning.hi);
      if (block.first_non_finite < count) {
        check->first_non_finite = begin + block.first_non_finite;
        return -1;
      }
      check->min = std::min(check->min, block.min);
      check->max = std::max(check->max, block.max);
      check->outside += block.outside;
    }
    // The row one block ahead: its memory arrives while this block is binned and hashed.
    if (check && r + check_rows < n) {
      const char* ahead = reinterpret_cast<const char*>(t + (r + check_rows) * size_t(width));
      for (size_t b = 0; b < size_t(width) * sizeof(float); b += 64) __builtin_prefetch(ahead + b);
    }
    int32_t* row = ws.row_codes.data() + (r & 1) * stride;
    bin(row, t + r * size_t(width), width);
    hashes[r & 1] = mode == HashMode::Normal ? (vector_hash ? hash_row_avx2(row, width) : hash_row(row, width)) : 0;
    __builtin_prefetch(&ws.slots[size_t(hashes[r & 1]) & mask]);
    if (r > 0) place(r - 1, ws.row_codes.data() + ((r - 1) & 1) * stride, hashes[(r - 1) & 1]);
  }
  if (n > 0) place(n - 1, ws.row_codes.data() + ((n - 1) & 1) * stride, hashes[(n - 1) & 1]);
  if (check) check->first_non_finite = n * size_t(width);
  return distinct;
}

// H = log2 n − Σ_k (c_k / n)·log2 c_k, in the given order, c_k > 1 only: a
// count of 1 adds exactly +0 (log2 1 = 0) to a sum that starts at +0, and
// most counts are 1 in a saturated layer. (This form gives log2 n exactly
// when every c_k = 1 and 0 when one c_k = n.)
double plugin_entropy(const int32_t* counts, size_t k, int64_t n) {
  const double dn = double(n);
  double s = 0.0;
  for (size_t i = 0; i < k; i++) {
    if (counts[i] > 1) s += double(counts[i]) / dn * std::log2(double(counts[i]));
  }
  return std::log2(dn) - s;
}

// H(T|S) = Σ_s (n_s/n)·(log2 n_s − s_s), s_s = Σ_t (c_ts/n_s)·log2 c_ts, where
// the inner sums run over `cells` (t, s, c) in the order given and the outer
// sum over s = 0, 1, ... . ws.class_sizes[s] must hold n_s.
template <class ForEachCell>
double conditional_entropy(Workspace& ws, int symbols, int64_t n, ForEachCell&& for_each_cell) {
  grow(ws.class_sums, size_t(symbols));
  std::fill_n(ws.class_sums.begin(), symbols, 0.0);
  double* sums = ws.class_sums.data();
  const int32_t* sizes = ws.class_sizes.data();
  for_each_cell([&](int32_t s, int32_t c) {
    if (c > 1) sums[s] += double(c) / double(sizes[s]) * std::log2(double(c));  // c = 1 adds +0: see plugin_entropy
  });
  double h = 0.0;
  for (int s = 0; s < symbols; s++) {
    if (sizes[s] > 0) h += double(sizes[s]) / double(n) * (std::log2(double(sizes[s])) - sums[s]);
  }
  return h;
}

}  // namespace

// The float bounds that decide h < lo and h > hi exactly for every float h:
// the least float ≥ lo and the greatest float ≤ hi (NaN stays NaN).
float float_at_or_above(double lo) {
  const float f = float(lo);
  return double(f) < lo ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}
float float_at_or_below(double hi) {
  const float f = float(hi);
  return double(f) > hi ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}

namespace {

// Folds a vector scan's per-lane extremes into lo and hi.
void fold_extremes(const float* lane_lo, const float* lane_hi, int lanes, float& lo, float& hi) {
  for (int k = 0; k < lanes; k++) {
    lo = lane_lo[k] < lo ? lane_lo[k] : lo;
    hi = lane_hi[k] > hi ? lane_hi[k] : hi;
  }
}

constexpr size_t kScanBlock = 1024;  // floats per block: ≤ 2^31 per int32 lane of the outside counts

// The AVX2 scan runs from the last element to the first: the binning that
// follows reads the layer from its first row, which is then the part most
// likely to be still in cache. False (and nothing in `out`) at the first block
// holding a non-finite value: the forward scan below reports the first one.
__attribute__((target("avx2"))) bool scan_backward_avx2(const float* t, size_t count, float below, float above,
                                                        ActivationScan& out) {
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  size_t outside = 0, end = count;
  for (; end % 8 != 0; end--) {
    const float v = t[end - 1];
    if (!std::isfinite(v)) return false;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    outside += v < below || v > above;
  }
  const __m256i exponent = _mm256_set1_epi32(0x7f800000);
  const __m256 vbelow = _mm256_set1_ps(below), vabove = _mm256_set1_ps(above);
  __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
  while (end > 0) {
    const size_t begin = end > kScanBlock ? end - kScanBlock : 0;
    __m256i bad = _mm256_setzero_si256(), out8 = _mm256_setzero_si256();
    for (size_t k = end; k > begin; k -= 8) {
      const __m256 v = _mm256_loadu_ps(t + k - 8);
      bad = _mm256_or_si256(bad, _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_castps_si256(v), exponent), exponent));
      vlo = _mm256_min_ps(vlo, v);
      vhi = _mm256_max_ps(vhi, v);
      const __m256 outside8 = _mm256_or_ps(_mm256_cmp_ps(v, vbelow, _CMP_LT_OQ), _mm256_cmp_ps(v, vabove, _CMP_GT_OQ));
      out8 = _mm256_sub_epi32(out8, _mm256_castps_si256(outside8));
    }
    if (!_mm256_testz_si256(bad, bad)) return false;
    alignas(32) int32_t o8[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(o8), out8);
    for (int k = 0; k < 8; k++) outside += size_t(o8[k]);
    end = begin;
  }
  alignas(32) float l8[8], h8[8];
  _mm256_store_ps(l8, vlo);
  _mm256_store_ps(h8, vhi);
  fold_extremes(l8, h8, 8, lo, hi);
  out = ActivationScan{count, lo + 0.0f, hi + 0.0f, outside};
  return true;
}

}  // namespace

// Finiteness by the exponent bits (all ones ⇔ ±Inf or NaN), min/max and the
// out-of-range count, with AVX2 backwards (above) or with SSE2 (baseline on
// x86-64) forwards in blocks; a block holding a non-finite value is rescanned
// to report the first one. Min/max are exact (no arithmetic), and a zero
// extreme is reported as +0 whatever the sign of the zeros seen.
ActivationScan scan_activations(const float* t, size_t count, double range_lo, double range_hi) {
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  const float below = float_at_or_above(range_lo), above = float_at_or_below(range_hi);
  ActivationScan finite;
  if (std::strcmp(current_variant(), "scalar") != 0 && scan_backward_avx2(t, count, below, above, finite)) return finite;
  size_t outside = 0;
  size_t i = 0;
#if defined(__SSE2__)
  constexpr size_t kBlock = kScanBlock;
  const __m128i exponent = _mm_set1_epi32(0x7f800000);
  const __m128 vbelow = _mm_set1_ps(below), vabove = _mm_set1_ps(above);
  __m128 vlo = _mm_set1_ps(lo), vhi = _mm_set1_ps(hi);
  while (i + 4 <= count) {
    const size_t end = std::min(count & ~size_t(3), i + kBlock);
    __m128i bad = _mm_setzero_si128(), out = _mm_setzero_si128();
    for (size_t k = i; k < end; k += 4) {
      const __m128 v = _mm_loadu_ps(t + k);
      bad = _mm_or_si128(bad, _mm_cmpeq_epi32(_mm_and_si128(_mm_castps_si128(v), exponent), exponent));
      vlo = _mm_min_ps(vlo, v);
      vhi = _mm_max_ps(vhi, v);
      out = _mm_sub_epi32(out, _mm_castps_si128(_mm_or_ps(_mm_cmplt_ps(v, vbelow), _mm_cmpgt_ps(v, vabove))));
    }
    if (_mm_movemask_epi8(bad) != 0) break;  // the scalar loop below finds it (and recounts the block)
    alignas(16) int32_t o4[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(o4), out);
    outside += size_t(o4[0]) + size_t(o4[1]) + size_t(o4[2]) + size_t(o4[3]);
    i = end;
  }
  alignas(16) float l4[4], h4[4];
  _mm_store_ps(l4, vlo);
  _mm_store_ps(h4, vhi);
  fold_extremes(l4, h4, 4, lo, hi);
#endif
  for (; i < count; i++) {
    const float v = t[i];
    if (!std::isfinite(v)) return ActivationScan{i, lo + 0.0f, hi + 0.0f, outside};
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    outside += v < below || v > above;
  }
  return ActivationScan{count, lo + 0.0f, hi + 0.0f, outside};
}

void numpy_linspace(std::vector<double>& edges, double lo, double hi, int num) {
  edges.assign(size_t(num), 0.0);
  if (num == 1) {
    edges[0] = lo;
    return;
  }
  const double step = (hi - lo) / double(num - 1);
  for (int i = 0; i < num; i++) edges[i] = double(i) * step + lo;
  edges[num - 1] = hi;
}

Binning resolve_binning(const Binning& binning, const ActivationScan& scan) {
  Binning r = binning;
  if (r.scheme == BinScheme::Adaptive && !r.has_range) {
    r.lo = scan.min <= scan.max ? double(scan.min) : 0.0;  // an empty layer gets [0, 0]
    r.hi = scan.min <= scan.max ? double(scan.max) : 0.0;
    r.has_range = true;
  }
  return r;
}

void bin_codes(int32_t* codes, const float* t, size_t n, int width, const Binning& binning) {
  std::vector<double> edges;
  const RowBinner bin(binning, edges, n * size_t(width));
  for (size_t r = 0; r < n; r++) bin(codes + r * size_t(width), t + r * size_t(width), width);
}

int64_t row_symbols(int32_t* ids, const float* t, size_t n, int width, const Binning& binning, HashMode mode) {
  Workspace& ws = tl_workspace;
  const int32_t distinct = count_rows(ws, t, n, width, binning, mode, nullptr, 0, nullptr);
  std::copy_n(ws.ids.begin(), n, ids);
  return distinct;
}

LayerMi layer_mi(const float* t, size_t n, int width, const int32_t* labels, int classes, const int32_t* x_ids,
                 int x_classes, const Binning& binning, HashMode mode, ActivationScan* check) {
  Workspace& ws = tl_workspace;
  const int64_t nn = int64_t(n);
  LayerMi out{};
  const int32_t distinct = count_rows(ws, t, n, width, binning, mode, labels, classes, check);
  if (distinct < 0) return out;
  out.distinct = distinct;
  out.lo = binning.scheme == BinScheme::Width ? std::numeric_limits<double>::quiet_NaN() : binning.lo;
  out.hi = binning.scheme == BinScheme::Width ? std::numeric_limits<double>::quiet_NaN() : binning.hi;
  out.h_t = plugin_entropy(ws.counts.data(), size_t(distinct), nn);

  // H(Y) and H(T|Y) from the per-row label counts, rows in first-appearance order.
  grow(ws.class_sizes, size_t(classes));
  std::fill_n(ws.class_sizes.begin(), classes, 0);
  for (size_t r = 0; r < n; r++) ws.class_sizes[labels[r]]++;
  out.h_y = plugin_entropy(ws.class_sizes.data(), size_t(classes), nn);
  const int32_t* lc = ws.label_counts.data();
  out.h_t_given_y = conditional_entropy(ws, classes, nn, [&](auto&& cell) {
    for (int32_t id = 0; id < distinct; id++)
      for (int y = 0; y < classes; y++) cell(y, lc[size_t(id) * classes + y]);
  });
  out.i_ty = out.h_t - out.h_t_given_y;

  if (!x_ids) {  // each sample its own x: H(T|X) = 0, I(X;T) = H(T)
    out.h_x = std::log2(double(n));
    out.h_t_given_x = 0.0;
    out.distinct_x = nn;
    out.i_xt = out.h_t;
    return out;
  }

  // Binned X: joint counts of (x, t) in a second table keyed exactly by the
  // pair, pairs numbered in order of first appearance.
  grow(ws.class_sizes, size_t(x_classes));
  std::fill_n(ws.class_sizes.begin(), x_classes, 0);
  for (size_t r = 0; r < n; r++) ws.class_sizes[x_ids[r]]++;
  int64_t distinct_x = 0;
  for (int x = 0; x < x_classes; x++) distinct_x += ws.class_sizes[x] > 0;
  out.distinct_x = distinct_x;
  out.h_x = plugin_entropy(ws.class_sizes.data(), size_t(x_classes), nn);

  const size_t cap = table_capacity(n), mask = cap - 1;
  grow(ws.pair_slots, cap);
  std::fill_n(ws.pair_slots.begin(), cap, PairSlot{0, -1});
  grow(ws.pair_counts, n);
  grow(ws.pair_x, n);
  int32_t pairs = 0;
  for (size_t r = 0; r < n; r++) {
    const uint64_t key = (uint64_t(uint32_t(x_ids[r])) << 32) | uint32_t(ws.ids[r]);
    size_t s = size_t(hash_pair(key)) & mask;
    while (ws.pair_slots[s].id >= 0 && ws.pair_slots[s].key != key) s = (s + 1) & mask;
    PairSlot& slot = ws.pair_slots[s];
    if (slot.id < 0) {
      slot = PairSlot{key, pairs};
      ws.pair_counts[pairs] = 0;
      ws.pair_x[pairs] = x_ids[r];
      pairs++;
    }
    ws.pair_counts[slot.id]++;
  }
  out.h_t_given_x = conditional_entropy(ws, x_classes, nn, [&](auto&& cell) {
    for (int32_t p = 0; p < pairs; p++) cell(ws.pair_x[p], ws.pair_counts[p]);
  });
  out.i_xt = out.h_t - out.h_t_given_x;
  return out;
}

}  // namespace infoplane::mi
