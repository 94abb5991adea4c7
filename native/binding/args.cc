#include "args.h"

#include <cmath>

namespace infoplane::binding {

Args::Args(const Napi::CallbackInfo& info, const char* fn, size_t expected) : info_(info), fn_(fn) {
  if (info.Length() != expected) {
    type_error("expected " + std::to_string(expected) + " arguments, got " + std::to_string(info.Length()));
  }
}

void Args::range_error(const std::string& what) const {
  throw Napi::RangeError::New(info_.Env(), std::string(fn_) + ": " + what);
}

void Args::type_error(const std::string& what) const {
  throw Napi::TypeError::New(info_.Env(), std::string(fn_) + ": " + what);
}

double Args::number(size_t i, const char* name) const {
  if (!info_[i].IsNumber()) type_error(std::string(name) + " must be a number");
  const double v = info_[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v)) range_error(std::string(name) + " must be finite, got " + std::to_string(v));
  return v;
}

int Args::dim(size_t i, const char* name, int min, int max) const {
  const double v = number(i, name);
  if (v != std::floor(v) || v < min || v > max) {
    range_error(std::string(name) + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                "], got " + std::to_string(v));
  }
  return int(v);
}

std::string Args::string(size_t i, const char* name) const {
  if (!info_[i].IsString()) type_error(std::string(name) + " must be a string");
  return info_[i].As<Napi::String>().Utf8Value();
}

template <class T>
T* Args::typed(Napi::Value v, const std::string& name, uint64_t needed, bool exact, napi_typedarray_type type,
               const char* kind) const {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) type_error(name + " must be " + kind);
  auto array = v.As<Napi::TypedArrayOf<T>>();
  if (!array.ArrayBuffer().IsArrayBuffer()) type_error(name + " must not be backed by a SharedArrayBuffer");
  const uint64_t have = array.ElementLength();
  if (exact ? have != needed : have < needed) {
    range_error(name + " has " + std::to_string(have) + " elements, " + (exact ? "expected " : "needs ") +
                std::to_string(needed));
  }
  return array.Data();
}

float* Args::f32(size_t i, const char* name, uint64_t needed) const {
  return typed<float>(info_[i], name, needed, false, napi_float32_array, "a Float32Array");
}

float* Args::optional_f32(size_t i, const char* name, uint64_t needed) const {
  if (is_null(i)) return nullptr;
  return f32(i, name, needed);
}

int32_t* Args::i32(size_t i, const char* name, uint64_t needed) const {
  return typed<int32_t>(info_[i], name, needed, false, napi_int32_array, "an Int32Array");
}

uint64_t Args::length(size_t i) const { return info_[i].As<Napi::TypedArray>().ElementLength(); }

float* Args::exact_f32(Napi::Value v, const std::string& name, uint64_t needed) const {
  return typed<float>(v, name, needed, true, napi_float32_array, "a Float32Array");
}

int32_t* Args::exact_i32(Napi::Value v, const std::string& name, uint64_t needed) const {
  return typed<int32_t>(v, name, needed, true, napi_int32_array, "an Int32Array");
}

namespace {
bool overlaps(const Region& x, const Region& y) {
  if (!x.data || !y.data || x.bytes == 0 || y.bytes == 0) return false;
  const auto x0 = reinterpret_cast<uintptr_t>(x.data), y0 = reinterpret_cast<uintptr_t>(y.data);
  return x0 < y0 + y.bytes && y0 < x0 + x.bytes;
}
}  // namespace

void Args::disjoint(const Region& out, const Region& other) const {
  if (overlaps(out, other)) range_error(out.name + " and " + other.name + " must not share memory");
}

void Args::disjoint(std::initializer_list<Region> outputs, std::initializer_list<Region> inputs) const {
  for (auto out = outputs.begin(); out != outputs.end(); ++out) {
    for (auto other = out + 1; other != outputs.end(); ++other) disjoint(*out, *other);
    for (const Region& in : inputs) disjoint(*out, in);
  }
}

void Args::disjoint_or_same(const Region& out, const Region& other) const {
  if (out.data == other.data && out.bytes == other.bytes) return;
  if (overlaps(out, other)) range_error(out.name + " and " + other.name + " must be the same elements or not share memory");
}

std::string quoted(const std::string& value) {
  constexpr size_t kMax = 200;
  if (value.size() <= kMax) return "\"" + value + "\"";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) cut--;  // not inside a UTF-8 sequence
  return "\"" + value.substr(0, cut) + "\"… (" + std::to_string(value.size()) + " bytes)";
}

}  // namespace infoplane::binding
