// The N-API module: each family of entry points registers itself.
#include <napi.h>

#include "binding/register.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  infoplane::binding::register_runtime(env, exports);
  infoplane::binding::register_dense(env, exports);
  infoplane::binding::register_mi(env, exports);
  infoplane::binding::register_sparse(env, exports);
  infoplane::binding::register_ksg(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(infoplane, Init)
