// features(), setVariant(), setThreads(): what the loader reports and tests force.
#include "args.h"
#include "register.h"
#include "../kernels/ops.h"

namespace infoplane::binding {
namespace {

Napi::Value Features(const Napi::CallbackInfo& info) {
  Args args(info, "features", 0);
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("variant", current_variant());
  Napi::Array variants = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& v : available_variants()) variants.Set(i++, v);
  out.Set("variants", variants);
  out.Set("threads", current_threads());
  return out;
}

Napi::Value SetVariant(const Napi::CallbackInfo& info) {
  Args args(info, "setVariant", 1);
  const std::string name = args.string(0, "variant");
  if (!set_variant(name)) args.range_error("variant " + quoted(name) + " is unknown or not supported here");
  return info.Env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Args args(info, "setThreads", 1);
  set_threads(args.dim(0, "threads", 1, 256));
  return info.Env().Undefined();
}

}  // namespace

void register_runtime(Napi::Env env, Napi::Object exports) {
  if (const std::string error = simd_env_error(); !error.empty()) throw Napi::Error::New(env, error);
  exports.Set("features", Napi::Function::New(env, Features, "features"));
  exports.Set("setVariant", Napi::Function::New(env, SetVariant, "setVariant"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
}

}  // namespace infoplane::binding
