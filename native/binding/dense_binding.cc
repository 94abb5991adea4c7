// Dense layer kernels: linear forward/backward, activations, loss, optimizers.
// Argument order follows the kernels: outputs, then inputs, then dimensions.
#include <cmath>

#include "args.h"
#include "optimizer_args.h"
#include "register.h"
#include "../kernels/ops.h"

namespace infoplane::binding {
namespace {

using u64 = uint64_t;

Activation activation_arg(const Args& args, size_t i) {
  const std::string name = args.string(i, "activation");
  if (name == "tanh") return Activation::Tanh;
  if (name == "relu") return Activation::Relu;
  if (name == "linear") return Activation::Linear;
  args.range_error("activation must be tanh, relu or linear, got " + quoted(name));
}

// linearForward(outT, xT, W, b, B, IN, OUT)
Napi::Value LinearForward(const Napi::CallbackInfo& info) {
  Args a(info, "linearForward", 7);
  const int B = a.dim(4, "B"), IN = a.dim(5, "IN"), OUT = a.dim(6, "OUT");
  float* out = a.f32(0, "outT", u64(OUT) * B);
  const float* x = a.f32(1, "xT", u64(IN) * B);
  const float* w = a.f32(2, "W", u64(OUT) * IN);
  const float* b = a.f32(3, "b", u64(OUT));
  a.disjoint({region(out, u64(OUT) * B, "outT")},
             {region(x, u64(IN) * B, "xT"), region(w, u64(OUT) * IN, "W"), region(b, u64(OUT), "b")});
  linear_forward(out, x, w, b, B, IN, OUT);
  return info.Env().Undefined();
}

// linearBackwardInput(dxT, dyT, W, B, IN, OUT)
Napi::Value LinearBackwardInput(const Napi::CallbackInfo& info) {
  Args a(info, "linearBackwardInput", 6);
  const int B = a.dim(3, "B"), IN = a.dim(4, "IN"), OUT = a.dim(5, "OUT");
  float* dx = a.f32(0, "dxT", u64(IN) * B);
  const float* dy = a.f32(1, "dyT", u64(OUT) * B);
  const float* w = a.f32(2, "W", u64(OUT) * IN);
  a.disjoint({region(dx, u64(IN) * B, "dxT")}, {region(dy, u64(OUT) * B, "dyT"), region(w, u64(OUT) * IN, "W")});
  linear_backward_input(dx, dy, w, B, IN, OUT);
  return info.Env().Undefined();
}

// linearBackwardWeight(dW, db, dyT, x, B, IN, OUT)
Napi::Value LinearBackwardWeight(const Napi::CallbackInfo& info) {
  Args a(info, "linearBackwardWeight", 7);
  const int B = a.dim(4, "B"), IN = a.dim(5, "IN"), OUT = a.dim(6, "OUT");
  float* dw = a.f32(0, "dW", u64(OUT) * IN);
  float* db = a.f32(1, "db", u64(OUT));
  const float* dy = a.f32(2, "dyT", u64(OUT) * B);
  const float* x = a.f32(3, "x", u64(B) * IN);
  a.disjoint({region(dw, u64(OUT) * IN, "dW"), region(db, u64(OUT), "db")},
             {region(dy, u64(OUT) * B, "dyT"), region(x, u64(B) * IN, "x")});
  linear_backward_weight(dw, db, dy, x, B, IN, OUT);
  return info.Env().Undefined();
}

// activationForward(activation, y, x, n)
Napi::Value ActivationForward(const Napi::CallbackInfo& info) {
  Args a(info, "activationForward", 4);
  const Activation act = activation_arg(a, 0);
  const int n = a.dim(3, "n", 0, 1 << 30);
  float* y = a.f32(1, "y", u64(n));
  const float* x = a.f32(2, "x", u64(n));
  a.disjoint_or_same(region(y, u64(n), "y"), region(x, u64(n), "x"));
  activation_forward(act, y, x, size_t(n));
  return info.Env().Undefined();
}

// activationBackward(activation, dx, dy, y, n)
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  Args a(info, "activationBackward", 5);
  const Activation act = activation_arg(a, 0);
  const int n = a.dim(4, "n", 0, 1 << 30);
  float* dx = a.f32(1, "dx", u64(n));
  const float* dy = a.f32(2, "dy", u64(n));
  const float* y = a.f32(3, "y", u64(n));
  a.disjoint_or_same(region(dx, u64(n), "dx"), region(dy, u64(n), "dy"));
  a.disjoint_or_same(region(dx, u64(n), "dx"), region(y, u64(n), "y"));
  activation_backward(act, dx, dy, y, size_t(n));
  return info.Env().Undefined();
}

// softmaxCrossEntropy(dlogitsT, logitsT, labels, B, C) → [lossSum, correct]
Napi::Value SoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  Args a(info, "softmaxCrossEntropy", 5);
  const int B = a.dim(3, "B"), C = a.dim(4, "C", 2, 1 << 16);
  float* dlogits = a.f32(0, "dlogitsT", u64(C) * B);
  const float* logits = a.f32(1, "logitsT", u64(C) * B);
  const int32_t* labels = a.i32(2, "labels", u64(B));
  a.disjoint({region(dlogits, u64(C) * B, "dlogitsT")},
             {region(logits, u64(C) * B, "logitsT"), region(labels, u64(B), "labels")});
  for (int b = 0; b < B; b++) {
    if (labels[b] < 0 || labels[b] >= C) {
      a.range_error("labels[" + std::to_string(b) + "] = " + std::to_string(labels[b]) + " is outside [0, " +
                    std::to_string(C) + ")");
    }
  }
  const LossResult r = softmax_cross_entropy(dlogits, logits, labels, B, C);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(uint32_t(0), r.loss_sum);
  out.Set(uint32_t(1), r.correct);
  return out;
}

// transpose(out, in, rows, cols): out[cols, rows] = in[rows, cols]ᵀ
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Args a(info, "transpose", 4);
  const int rows = a.dim(2, "rows"), cols = a.dim(3, "cols");
  const float* in = a.f32(1, "in", u64(rows) * cols);
  float* out = a.f32(0, "out", u64(rows) * cols);
  a.disjoint(region(out, u64(rows) * cols, "out"), region(in, u64(rows) * cols, "in"));
  transpose(out, in, rows, cols);
  return info.Env().Undefined();
}

// adamStep(w, g, m, v, mask|null, n, lr, beta1, beta2, eps, step)
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  Args a(info, "adamStep", 11);
  const int n = a.dim(5, "n", 0, 1 << 30);
  AdamArgs args = adam_scalars(a, 6);
  args.w = a.f32(0, "w", u64(n));
  args.g = a.f32(1, "g", u64(n));
  args.m = a.f32(2, "m", u64(n));
  args.v = a.f32(3, "v", u64(n));
  args.mask = a.optional_f32(4, "mask", u64(n));
  // The kernel updates w, m and v from g element by element: aliases would feed one update into another.
  a.disjoint({region(args.w, u64(n), "w"), region(args.m, u64(n), "m"), region(args.v, u64(n), "v")},
             {region(args.g, u64(n), "g"), region(args.mask, u64(n), "mask")});
  adam_step(args, size_t(n));
  return info.Env().Undefined();
}

// sgdStep(w, g, velocity|null, mask|null, n, lr, momentum)
Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  Args a(info, "sgdStep", 7);
  const int n = a.dim(4, "n", 0, 1 << 30);
  SgdArgs args = sgd_scalars(a, 5);
  args.w = a.f32(0, "w", u64(n));
  args.g = a.f32(1, "g", u64(n));
  args.velocity = a.optional_f32(2, "velocity", u64(n));
  args.mask = a.optional_f32(3, "mask", u64(n));
  if (args.momentum > 0.0f && !args.velocity) a.range_error("velocity is required when momentum > 0");
  a.disjoint({region(args.w, u64(n), "w"), region(args.velocity, u64(n), "velocity")},
             {region(args.g, u64(n), "g"), region(args.mask, u64(n), "mask")});
  sgd_step(args, size_t(n));
  return info.Env().Undefined();
}

}  // namespace

void register_dense(Napi::Env env, Napi::Object exports) {
  exports.Set("linearForward", Napi::Function::New(env, LinearForward, "linearForward"));
  exports.Set("linearBackwardInput", Napi::Function::New(env, LinearBackwardInput, "linearBackwardInput"));
  exports.Set("linearBackwardWeight", Napi::Function::New(env, LinearBackwardWeight, "linearBackwardWeight"));
  exports.Set("activationForward", Napi::Function::New(env, ActivationForward, "activationForward"));
  exports.Set("activationBackward", Napi::Function::New(env, ActivationBackward, "activationBackward"));
  exports.Set("softmaxCrossEntropy", Napi::Function::New(env, SoftmaxCrossEntropy, "softmaxCrossEntropy"));
  exports.Set("transpose", Napi::Function::New(env, Transpose, "transpose"));
  exports.Set("adamStep", Napi::Function::New(env, AdamStep, "adamStep"));
  exports.Set("sgdStep", Napi::Function::New(env, SgdStep, "sgdStep"));
}

}  // namespace infoplane::binding
