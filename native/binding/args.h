// Argument checking for every N-API entry point. Each accessor verifies count,
// type, typed-array kind, range and length, and throws a JS TypeError or
// RangeError naming the argument; nothing a caller passes reaches a kernel
// unchecked (`As<T>()` alone does no type check).
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace infoplane::binding {

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

  [[noreturn]] void range_error(const std::string& what) const;
  [[noreturn]] void type_error(const std::string& what) const;

 private:
  template <class T>
  T* typed(size_t i, const char* name, uint64_t needed, napi_typedarray_type type, const char* type_name) const;

  const Napi::CallbackInfo& info_;
  const char* fn_;
};

}  // namespace infoplane::binding
