// Binning mutual-information estimator (DESIGN.md, "The science in one page"):
// quantize each unit of a layer T[N, width] (row-major, one sample per row)
// into an integer bin code, treat each row of codes as one discrete symbol,
// count the symbols in a hashed table that is verified against the stored row
// on every hash match (counts are exact: a collision never merges two rows),
// and return plug-in entropies in bits. No N-API here.
//
// Compiler-flag hazard: this file must never see -ffast-math; the entropy
// sums rely on log2(1) == 0, on p > 0 guards and on a fixed summation order
// (order of first appearance of each distinct row) for bitwise determinism.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace infoplane::mi {

enum class BinScheme : int {
  Fixed = 0,     // m equal bins over [lo, hi]: clamp(floor((h − lo)/(hi − lo)·m), 0, m − 1)
  Idnns = 1,     // np.digitize(h, float32(np.linspace(lo, hi, m))): m EDGES, codes 0..m
  Width = 2,     // floor(h / w) (Saxe et al.'s simplebinmi), unbounded int32
  Adaptive = 3,  // Fixed over [min, max] of the layer (or a caller's global range)
};

enum class HashMode : int {
  Normal = 0,
  CollideAll = 1,  // test hook: every row hashes to 0, so every probe is a hash match
};

struct Binning {
  BinScheme scheme = BinScheme::Fixed;
  int bins = 30;           // Fixed/Adaptive: bins (≥ 1); Idnns: edges (≥ 2)
  double lo = -1, hi = 1;  // Fixed, Idnns; Adaptive when has_range
  bool has_range = true;   // Adaptive only: false ⇒ the layer's own min/max
  double width = 0.5;      // Width only (> 0)
};

// One pass over a layer: the first non-finite element (or `count` when none),
// the min/max of the finite elements before it, and how many of them lie
// outside [lo, hi] (h < lo or h > hi, compared as doubles; a NaN bound counts
// nothing: pass NaN where there is no range yet).
struct ActivationScan {
  size_t first_non_finite;
  float min, max;
  size_t outside;
};
ActivationScan scan_activations(const float* t, size_t count, double lo, double hi);

// numpy.linspace(lo, hi, num) in float64, exactly as numpy computes it:
// step = (hi − lo)/(num − 1); edges[i] = i·step + lo; edges[num − 1] = hi.
void numpy_linspace(std::vector<double>& edges, double lo, double hi, int num);

// codes[N, width] = the bin codes of t[N, width] under `binning` with its range
// already resolved (Adaptive: has_range must be true here; see resolve_binning).
void bin_codes(int32_t* codes, const float* t, size_t n, int width, const Binning& binning);

// Adaptive without a range takes [min, max] of the scan; everything else is unchanged.
Binning resolve_binning(const Binning& binning, const ActivationScan& scan);

struct LayerMi {
  double h_t;           // H(T), bits
  double h_t_given_y;   // H(T|Y) = Σ_y p(y) H(T|Y=y)
  double h_y;           // H(Y): the ceiling of I(T;Y)
  double i_xt;          // I(X;T): H(T) (each sample its own x) or H(T) − H(T|X) (binned X)
  double i_ty;          // I(T;Y) = H(T) − H(T|Y)
  double h_x;           // H(X): log2 N when each sample is its own x
  double h_t_given_x;   // 0 when each sample is its own x
  int64_t distinct;     // distinct rows of T
  int64_t distinct_x;   // distinct x symbols (N when each sample is its own x)
  double lo, hi;        // the range used (Fixed, Idnns, Adaptive); NaN for Width
};

// The information-plane quantities of one layer T[N, width].
//   labels[N] in [0, classes); x_ids[N] in [0, x_classes) or null (each
//   sample is its own x). Arguments must already be validated: finite t,
//   labels and x_ids in range, binning valid and resolved (resolve_binning),
//   codes within int32 (Width: |h|/w < 2^31).
// `check` non-null: t is not yet known to be finite. It is scanned in the
//   same pass as it is binned (one read from memory instead of two), into
//   *check as scan_activations(t, n·width, lo, hi) would report it; the
//   binning must then be bounded with its range given (Fixed, Idnns, Adaptive
//   with has_range). A non-finite value stops the computation: then
//   check->first_non_finite < n·width and the LayerMi means nothing.
LayerMi layer_mi(const float* t, size_t n, int width, const int32_t* labels, int classes, const int32_t* x_ids,
                 int x_classes, const Binning& binning, HashMode mode, ActivationScan* check = nullptr);

// ids[N] = the symbol of each row of the binned t[N, width], numbered 0, 1, ...
// in order of first appearance; returns the number of distinct rows. This is
// how a binned input X becomes x_ids for layer_mi. Same preconditions.
int64_t row_symbols(int32_t* ids, const float* t, size_t n, int width, const Binning& binning, HashMode mode);

}  // namespace infoplane::mi
