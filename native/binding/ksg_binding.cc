// KSG nearest-neighbour counts (native/kernels/knn_ops.h). Every argument is
// checked and named here: exact array lengths, finite coordinates (a NaN
// distance would compare false everywhere and silently shrink every count),
// 1 ≤ k < n, labels in [0, classes) with at least two rows in every class that
// occurs (a lone row has no neighbour in its class).
#include <cmath>
#include <string>
#include <vector>

#include "args.h"
#include "register.h"
#include "../kernels/knn_ops.h"

namespace infoplane::binding {
namespace {

constexpr int kMaxRows = 1 << 24;
constexpr int kMaxWidth = 1 << 20;
constexpr int kMaxClasses = 1 << 16;

// A typed array of exactly `needed` elements: the points' shape, not a capacity.
void check_length(const Args& a, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t needed) {
  const uint64_t have = info[i].As<Napi::TypedArray>().ElementLength();
  if (have != needed) {
    a.range_error(std::string(name) + " has " + std::to_string(have) + " elements, expected " + std::to_string(needed));
  }
}

const float* points_arg(const Args& a, const Napi::CallbackInfo& info, size_t i, const char* name, int n, int d) {
  const uint64_t needed = uint64_t(n) * uint64_t(d);
  const float* p = a.f32(i, name, needed);
  check_length(a, info, i, name, needed);
  for (uint64_t e = 0; e < needed; e++) {
    if (!std::isfinite(p[e])) {
      a.range_error(std::string(name) + "[" + std::to_string(e / uint64_t(d)) + ", " + std::to_string(e % uint64_t(d)) +
                    "] must be finite, got " + std::to_string(p[e]));
    }
  }
  return p;
}

int32_t* counts_arg(const Args& a, const Napi::CallbackInfo& info, size_t i, const char* name, int n) {
  int32_t* p = a.i32(i, name, uint64_t(n));
  check_length(a, info, i, name, uint64_t(n));
  return p;
}

// ksgCounts(countX, countY, x, dx, y, dy, n, k)
Napi::Value KsgCounts(const Napi::CallbackInfo& info) {
  Args a(info, "ksgCounts", 8);
  const int n = a.dim(6, "n", 2, kMaxRows);
  const int dx = a.dim(3, "dx", 1, kMaxWidth);
  const int dy = a.dim(5, "dy", 1, kMaxWidth);
  const int k = a.dim(7, "k", 1, n - 1);
  int32_t* count_x = counts_arg(a, info, 0, "countX", n);
  int32_t* count_y = counts_arg(a, info, 1, "countY", n);
  const float* x = points_arg(a, info, 2, "x", n, dx);
  const float* y = points_arg(a, info, 4, "y", n, dy);
  ksg_counts(count_x, count_y, x, dx, y, dy, n, k);
  return info.Env().Undefined();
}

// ksgClassCounts(countX, x, dx, labels, classes, n, k)
Napi::Value KsgClassCounts(const Napi::CallbackInfo& info) {
  Args a(info, "ksgClassCounts", 7);
  const int n = a.dim(5, "n", 2, kMaxRows);
  const int dx = a.dim(2, "dx", 1, kMaxWidth);
  const int classes = a.dim(4, "classes", 1, kMaxClasses);
  const int k = a.dim(6, "k", 1, n - 1);
  int32_t* count_x = counts_arg(a, info, 0, "countX", n);
  const float* x = points_arg(a, info, 1, "x", n, dx);
  const int32_t* labels = counts_arg(a, info, 3, "labels", n);
  std::vector<int> size(size_t(classes), 0);
  for (int i = 0; i < n; i++) {
    if (labels[i] < 0 || labels[i] >= classes) {
      a.range_error("labels[" + std::to_string(i) + "] must be in [0, " + std::to_string(classes) + "), got " +
                    std::to_string(labels[i]));
    }
    size[size_t(labels[i])]++;
  }
  for (int c = 0; c < classes; c++) {
    if (size[size_t(c)] == 1) {
      a.range_error("labels: class " + std::to_string(c) + " has a single row (each class needs ≥ 2 for a neighbour)");
    }
  }
  ksg_class_counts(count_x, x, dx, labels, classes, n, k);
  return info.Env().Undefined();
}

}  // namespace

void register_ksg(Napi::Env env, Napi::Object exports) {
  exports.Set("ksgCounts", Napi::Function::New(env, KsgCounts, "ksgCounts"));
  exports.Set("ksgClassCounts", Napi::Function::New(env, KsgClassCounts, "ksgClassCounts"));
}

}  // namespace infoplane::binding
