// Each binding file adds its family of entry points to the addon's exports.
#pragma once
#include <napi.h>

namespace infoplane::binding {
void register_runtime(Napi::Env env, Napi::Object exports);
void register_dense(Napi::Env env, Napi::Object exports);
void register_mi(Napi::Env env, Napi::Object exports);
void register_sparse(Napi::Env env, Napi::Object exports);
void register_ksg(Napi::Env env, Napi::Object exports);
}  // namespace infoplane::binding
