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
T* Args::typed(size_t i, const char* name, uint64_t needed, napi_typedarray_type type, const char* type_name) const {
  if (!info_[i].IsTypedArray() || info_[i].As<Napi::TypedArray>().TypedArrayType() != type) {
    type_error(std::string(name) + " must be a " + type_name);
  }
  auto array = info_[i].As<Napi::TypedArrayOf<T>>();
  if (array.ElementLength() < needed) {
    range_error(std::string(name) + " has " + std::to_string(array.ElementLength()) + " elements, needs " +
                std::to_string(needed));
  }
  return array.Data();
}

float* Args::f32(size_t i, const char* name, uint64_t needed) const {
  return typed<float>(i, name, needed, napi_float32_array, "Float32Array");
}

float* Args::optional_f32(size_t i, const char* name, uint64_t needed) const {
  if (info_[i].IsNull() || info_[i].IsUndefined()) return nullptr;
  return f32(i, name, needed);
}

int32_t* Args::i32(size_t i, const char* name, uint64_t needed) const {
  return typed<int32_t>(i, name, needed, napi_int32_array, "Int32Array");
}

}  // namespace infoplane::binding
