// Argument checking for every N-API entry point. Each accessor verifies count,
// type, typed-array kind, backing store, range and length, and throws a JS
// TypeError or RangeError naming the argument; nothing a caller passes reaches a
// kernel unchecked (`As<T>()` alone does no type check).
//
// The accessors never run JavaScript (no coercion, no property reads), so a
// binding that reads its arguments through them, then checks, then computes,
// leaves no gap in which a caller's code could change what was checked.
// Arrays backed by a SharedArrayBuffer are refused: another thread could
// rewrite indices or labels between the check and the kernel.
#pragma once
#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <string>

namespace infoplane::binding {

// The bytes a kernel touches in one array argument, for the overlap checks.
struct Region {
  const void* data;
  uint64_t bytes;
  std::string name;
};

template <class T>
Region region(const T* data, uint64_t count, std::string name) {
  return Region{data, count * sizeof(T), std::move(name)};
}

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* fn, size_t expected);

  // A positive integer dimension in [min, max].
  int dim(size_t i, const char* name, int min = 1, int max = 1 << 28) const;
  double number(size_t i, const char* name) const;        // any finite number
  std::string string(size_t i, const char* name) const;
  // A Float32Array holding at least `needed` elements (buffers may be larger: capacity).
  float* f32(size_t i, const char* name, uint64_t needed) const;
  // Same, but null/undefined is allowed and gives nullptr.
  float* optional_f32(size_t i, const char* name, uint64_t needed) const;
  int32_t* i32(size_t i, const char* name, uint64_t needed) const;
  // The element count of argument i, already checked by f32/i32.
  uint64_t length(size_t i) const;
  bool is_null(size_t i) const { return info_[i].IsNull() || info_[i].IsUndefined(); }

  // A typed array of exactly `needed` elements held in any value (an argument or a
  // property read earlier); kind is "a Float32Array" or "an Int32Array".
  float* exact_f32(Napi::Value v, const std::string& name, uint64_t needed) const;
  int32_t* exact_i32(Napi::Value v, const std::string& name, uint64_t needed) const;

  // `out` shares no byte with `other` (kernels read their inputs while writing).
  void disjoint(const Region& out, const Region& other) const;
  // No output shares a byte with another output or with any input.
  void disjoint(std::initializer_list<Region> outputs, std::initializer_list<Region> inputs) const;
  // Same, except that the very same elements are allowed: elementwise kernels run in place.
  void disjoint_or_same(const Region& out, const Region& other) const;

  [[noreturn]] void range_error(const std::string& what) const;
  [[noreturn]] void type_error(const std::string& what) const;

 private:
  template <class T>
  T* typed(Napi::Value v, const std::string& name, uint64_t needed, bool exact, napi_typedarray_type type,
           const char* kind) const;

  const Napi::CallbackInfo& info_;
  const char* fn_;
};

// At most ~200 characters of a caller's string, for quoting it in an error.
std::string quoted(const std::string& value);

}  // namespace infoplane::binding
