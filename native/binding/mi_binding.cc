// Binning mutual information (native/kernels/mi_histogram.h). Every argument is
// checked here and named in the TypeError/RangeError; the kernels see only
// validated, finite data and resolved binning parameters.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "args.h"
#include "register.h"
#include "../kernels/mi_histogram.h"

namespace infoplane::binding {
namespace {

using mi::Binning;
using mi::BinScheme;
using mi::HashMode;
using u64 = uint64_t;

constexpr int kMaxBins = 1 << 30;
constexpr int kMaxEdges = 1 << 24;  // idnns allocates its edges
constexpr int kMaxClasses = 1 << 16;
constexpr uint32_t kMaxLayers = 1 << 16;
constexpr u64 kMaxLabelCells = u64(1) << 26;  // n × classes label counts (256 MiB)

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// lo/hi: a finite number, or null where the scheme allows it (returns false).
bool optional_number(const Args& a, const Napi::CallbackInfo& info, size_t i, const char* name, double* out) {
  if (info[i].IsNull() || info[i].IsUndefined()) return false;
  if (!info[i].IsNumber()) a.type_error(std::string(name) + " must be a number or null");
  *out = a.number(i, name);
  return true;
}

// (scheme, bins, lo, hi, binWidth) starting at argument `first`.
Binning binning_args(const Args& a, const Napi::CallbackInfo& info, size_t first) {
  Binning b;
  const std::string scheme = a.string(first, "scheme");
  if (scheme == "fixed") b.scheme = BinScheme::Fixed;
  else if (scheme == "idnns") b.scheme = BinScheme::Idnns;
  else if (scheme == "width") b.scheme = BinScheme::Width;
  else if (scheme == "adaptive") b.scheme = BinScheme::Adaptive;
  else a.range_error("scheme must be fixed, idnns, width or adaptive, got " + quoted(scheme));

  const double bins = a.number(first + 1, "bins");
  const double bin_width = a.number(first + 4, "binWidth");
  double lo = 0, hi = 0;
  const bool has_lo = optional_number(a, info, first + 2, "lo", &lo);
  const bool has_hi = optional_number(a, info, first + 3, "hi", &hi);

  if (b.scheme == BinScheme::Width) {
    if (!(bin_width > 0.0)) a.range_error("binWidth must be > 0, got " + num(bin_width));
    if (has_lo || has_hi) a.range_error("lo and hi must be null for width binning (it is unbounded)");
    b.width = bin_width;
    b.has_range = false;
    return b;
  }
  const int min_bins = b.scheme == BinScheme::Idnns ? 2 : 1;
  const int max_bins = b.scheme == BinScheme::Idnns ? kMaxEdges : kMaxBins;
  if (bins != std::floor(bins) || bins < min_bins || bins > max_bins) {
    a.range_error(std::string("bins must be an integer in [") + std::to_string(min_bins) + ", " +
                  std::to_string(max_bins) + "] for " + scheme + " binning" +
                  (b.scheme == BinScheme::Idnns ? " (np.linspace edges)" : "") + ", got " + num(bins));
  }
  b.bins = int(bins);
  if (has_lo != has_hi) a.range_error("lo and hi must both be numbers or both be null");
  if (!has_lo) {
    if (b.scheme != BinScheme::Adaptive) a.type_error(std::string("lo and hi must be numbers for ") + scheme + " binning");
    b.has_range = false;
    return b;
  }
  if (!(lo < hi)) a.range_error("lo must be < hi, got lo = " + num(lo) + ", hi = " + num(hi));
  if (!std::isfinite(hi - lo)) a.range_error("hi − lo must be finite, got lo = " + num(lo) + ", hi = " + num(hi));
  b.lo = lo;
  b.hi = hi;
  b.has_range = true;
  return b;
}

HashMode hash_mode_arg(const Args& a, size_t i) {
  const std::string mode = a.string(i, "hashMode");
  if (mode == "normal") return HashMode::Normal;
  if (mode == "collide-all") return HashMode::CollideAll;
  a.range_error("hashMode must be normal or collide-all, got " + quoted(mode));
}

float* activations_arg(const Args& a, Napi::Value v, const std::string& name, size_t n, int width) {
  return a.exact_f32(v, name, u64(n) * u64(width));
}

// Binning NaN or ±Infinity is meaningless: the error names the first one.
[[noreturn]] void non_finite(const Args& a, const std::string& name, const float* t, int width, size_t k) {
  a.range_error(name + "[" + std::to_string(k) + "] (row " + std::to_string(k / size_t(width)) + ", unit " +
                std::to_string(k % size_t(width)) + ") is " + num(double(t[k])) +
                "; activations must be finite to be binned");
}

// Finite activations (binning NaN or ±Infinity is meaningless) whose codes fit
// int32; resolves an adaptive range from the data. `outside`, when given,
// receives how many values lie outside the range (none for width binning or
// a range taken from the data).
Binning checked_binning(const Args& a, const std::string& name, const float* t, size_t n, int width,
                        const Binning& b, size_t* outside = nullptr) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const bool ranged = b.scheme != BinScheme::Width && b.has_range;
  const mi::ActivationScan scan =
      mi::scan_activations(t, n * size_t(width), ranged ? b.lo : nan, ranged ? b.hi : nan);
  if (outside) *outside = scan.outside;
  if (scan.first_non_finite < n * size_t(width)) non_finite(a, name, t, width, scan.first_non_finite);
  if (b.scheme == BinScheme::Width) {
    const double lo_code = std::floor(double(scan.min) / b.width), hi_code = std::floor(double(scan.max) / b.width);
    if (lo_code < -2147483648.0 || hi_code > 2147483647.0) {
      a.range_error(name + " spans [" + num(scan.min) + ", " + num(scan.max) + "]: with binWidth " + num(b.width) +
                    " the codes floor(h / binWidth) overflow int32");
    }
  }
  return mi::resolve_binning(b, scan);
}

void set_range(Napi::Object out, const Binning& b) {
  Napi::Env env = out.Env();
  if (b.scheme == BinScheme::Width) {
    out.Set("lo", env.Null());
    out.Set("hi", env.Null());
  } else {
    out.Set("lo", b.lo);
    out.Set("hi", b.hi);
  }
}

// miBinCodes(codes, activations, n, width, scheme, bins, lo, hi, binWidth) → {lo, hi}
//   codes[n, width] = the bin codes of activations[n, width] (row-major).
Napi::Value MiBinCodes(const Napi::CallbackInfo& info) {
  Args a(info, "miBinCodes", 9);
  const int n = a.dim(2, "n"), width = a.dim(3, "width");
  const Binning b0 = binning_args(a, info, 4);
  int32_t* codes = a.exact_i32(info[0], "codes", u64(n) * u64(width));
  const float* t = activations_arg(a, info[1], "activations", size_t(n), width);
  a.disjoint(region(codes, u64(n) * u64(width), "codes"), region(t, u64(n) * u64(width), "activations"));
  const Binning b = checked_binning(a, "activations", t, size_t(n), width, b0);
  mi::bin_codes(codes, t, size_t(n), width, b);
  Napi::Object out = Napi::Object::New(info.Env());
  set_range(out, b);
  return out;
}

// miRowSymbols(ids, activations, n, width, scheme, bins, lo, hi, binWidth, hashMode) → {distinct, lo, hi}
//   ids[n] = symbol of each binned row, numbered in order of first appearance.
Napi::Value MiRowSymbols(const Napi::CallbackInfo& info) {
  Args a(info, "miRowSymbols", 10);
  const int n = a.dim(2, "n"), width = a.dim(3, "width");
  const Binning b0 = binning_args(a, info, 4);
  const HashMode mode = hash_mode_arg(a, 9);
  int32_t* ids = a.exact_i32(info[0], "ids", u64(n));
  const float* t = activations_arg(a, info[1], "activations", size_t(n), width);
  a.disjoint(region(ids, u64(n), "ids"), region(t, u64(n) * u64(width), "activations"));
  const Binning b = checked_binning(a, "activations", t, size_t(n), width, b0);
  const int64_t distinct = mi::row_symbols(ids, t, size_t(n), width, b, mode);
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("distinct", double(distinct));
  set_range(out, b);
  return out;
}

// miInformationPlane(layers, labels, n, classes, scheme, bins, lo, hi, binWidth, xSymbols|null, hashMode)
//   layers: [{activations: Float32Array[n·width], width}], one evaluation's layers.
//   → [{ht, htGivenY, hy, ixt, ity, hx, htGivenX, distinct, distinctX, outside, lo, hi}] in bits;
//   outside: how many activations lie outside [lo, hi] (0 for width binning).
Napi::Value MiInformationPlane(const Napi::CallbackInfo& info) {
  Args a(info, "miInformationPlane", 11);
  Napi::Env env = info.Env();
  const int n = a.dim(2, "n");
  const int classes = a.dim(3, "classes", 1, kMaxClasses);
  if (u64(n) * u64(classes) > kMaxLabelCells) {
    a.range_error("n × classes = " + std::to_string(u64(n) * u64(classes)) + " exceeds " +
                  std::to_string(kMaxLabelCells) + " label counts");
  }
  const Binning b0 = binning_args(a, info, 4);
  const HashMode mode = hash_mode_arg(a, 10);

  // Read every layer's properties first: they may be getters, and no caller code may
  // run once labels and activations have been checked and their pointers taken.
  if (!info[0].IsArray()) a.type_error("layers must be an array of {activations, width}");
  Napi::Array layers = info[0].As<Napi::Array>();
  const uint32_t count = layers.Length();
  if (count == 0) a.range_error("layers must hold at least one layer");
  if (count > kMaxLayers) a.range_error("layers holds " + std::to_string(count) + " layers, at most " + std::to_string(kMaxLayers));
  struct Read {
    std::string name;
    Napi::Value width, activations;
  };
  std::vector<Read> read;
  read.reserve(count);
  for (uint32_t i = 0; i < count; i++) {
    const std::string name = "layers[" + std::to_string(i) + "]";
    Napi::Value item = layers.Get(i);
    if (!item.IsObject() || item.IsTypedArray() || item.IsArray()) a.type_error(name + " must be {activations, width}");
    Napi::Object layer = item.As<Napi::Object>();
    Napi::Value width = layer.Get("width");
    read.push_back(Read{name, width, layer.Get("activations")});
  }

  // From here on no JavaScript runs.
  const int32_t* labels = a.exact_i32(info[1], "labels", u64(n));
  for (int r = 0; r < n; r++) {
    if (labels[r] < 0 || labels[r] >= classes) {
      a.range_error("labels[" + std::to_string(r) + "] = " + std::to_string(labels[r]) + " is outside [0, " +
                    std::to_string(classes) + ")");
    }
  }
  const int32_t* x_ids = nullptr;
  int x_classes = 0;
  if (!a.is_null(9)) {
    x_ids = a.exact_i32(info[9], "xSymbols", u64(n));
    for (int r = 0; r < n; r++) {
      if (x_ids[r] < 0 || x_ids[r] >= n) {
        a.range_error("xSymbols[" + std::to_string(r) + "] = " + std::to_string(x_ids[r]) + " is outside [0, n = " +
                      std::to_string(n) + ")");
      }
      x_classes = std::max(x_classes, x_ids[r] + 1);
    }
  }
  // A bounded binning with its range given is checked in the kernel's one
  // pass over each layer (mi_histogram.h, layer_mi's `check`); the others need
  // the layer's min/max first. Errors come out as if every layer were checked
  // in turn before any was computed: a layer's shape error waits for the
  // layers before it to be scanned, and the layers are computed in order.
  const bool fused = b0.scheme != BinScheme::Width && b0.has_range;
  struct Layer {
    std::string name;
    const float* t;
    int width;
    Binning binning;
    size_t outside;
  };
  std::vector<Layer> checked;
  checked.reserve(count);
  for (const Read& r : read) {
    const float* t = nullptr;
    int width = 0;
    try {
      if (!r.width.IsNumber()) a.type_error(r.name + ".width must be a number");
      const double wv = r.width.As<Napi::Number>().DoubleValue();
      if (!(wv >= 1 && wv <= (1 << 24) && wv == std::floor(wv))) {
        a.range_error(r.name + ".width must be an integer in [1, 16777216], got " + num(wv));
      }
      width = int(wv);
      t = activations_arg(a, r.activations, r.name + ".activations", size_t(n), width);
    } catch (const Napi::Error&) {
      if (fused) {
        for (const Layer& l : checked) checked_binning(a, l.name, l.t, size_t(n), l.width, b0);
      }
      throw;
    }
    Layer l{r.name + ".activations", t, width, b0, 0};
    if (!fused) l.binning = checked_binning(a, l.name, t, size_t(n), width, b0, &l.outside);
    checked.push_back(l);
  }

  std::vector<mi::LayerMi> results;
  results.reserve(count);
  for (Layer& l : checked) {
    mi::ActivationScan scan{};
    results.push_back(mi::layer_mi(l.t, size_t(n), l.width, labels, classes, x_ids, x_classes, l.binning, mode,
                                   fused ? &scan : nullptr));
    if (!fused) continue;
    if (scan.first_non_finite < size_t(n) * size_t(l.width)) non_finite(a, l.name, l.t, l.width, scan.first_non_finite);
    l.outside = scan.outside;
  }

  Napi::Array out = Napi::Array::New(env, count);
  for (uint32_t i = 0; i < count; i++) {
    const Layer& l = checked[i];
    const mi::LayerMi& r = results[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("ht", r.h_t);
    o.Set("htGivenY", r.h_t_given_y);
    o.Set("hy", r.h_y);
    o.Set("ixt", r.i_xt);
    o.Set("ity", r.i_ty);
    o.Set("hx", r.h_x);
    o.Set("htGivenX", r.h_t_given_x);
    o.Set("distinct", double(r.distinct));
    o.Set("distinctX", double(r.distinct_x));
    o.Set("outside", double(l.outside));
    set_range(o, l.binning);
    out.Set(i, o);
  }
  return out;
}

}  // namespace

void register_mi(Napi::Env env, Napi::Object exports) {
  exports.Set("miBinCodes", Napi::Function::New(env, MiBinCodes, "miBinCodes"));
  exports.Set("miRowSymbols", Napi::Function::New(env, MiRowSymbols, "miRowSymbols"));
  exports.Set("miInformationPlane", Napi::Function::New(env, MiInformationPlane, "miInformationPlane"));
}

}  // namespace infoplane::binding
