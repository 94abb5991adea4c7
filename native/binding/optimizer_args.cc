#include "optimizer_args.h"

#include <cmath>
#include <string>

namespace infoplane::binding {
namespace {

// Both return the caller's double: torch computes Adam's bias corrections from the Python floats.
double probability(const Args& a, size_t i, const char* name) {
  const double v = a.number(i, name);
  if (v < 0.0 || v >= 1.0) a.range_error(std::string(name) + " must be in [0, 1), got " + std::to_string(v));
  return v;
}

double non_negative(const Args& a, size_t i, const char* name) {
  const double v = a.number(i, name);
  if (v < 0.0) a.range_error(std::string(name) + " must be >= 0, got " + std::to_string(v));
  return v;
}

}  // namespace

AdamArgs adam_scalars(const Args& a, size_t first) {
  AdamArgs args{};
  const double lr = non_negative(a, first, "lr"), beta1 = probability(a, first + 1, "beta1"), beta2 = probability(a, first + 2, "beta2");
  args.lr = float(lr);
  args.beta1 = float(beta1);
  args.beta2 = float(beta2);
  args.eps = float(non_negative(a, first + 3, "eps"));
  const int step = a.dim(first + 4, "step", 1, 1 << 30);
  // torch computes the bias corrections in double from the unrounded Python floats (rounding
  // β2 = 0.999 to float first moves 1 − β2^t by ~1e-5 relative at early steps) and uses them as scalars.
  const double bc1 = 1.0 - std::pow(beta1, step), bc2 = 1.0 - std::pow(beta2, step);
  args.step_size = float(lr / bc1);
  args.bias_correction2_sqrt = float(std::sqrt(bc2));
  return args;
}

SgdArgs sgd_scalars(const Args& a, size_t first) {
  SgdArgs args{};
  args.lr = float(non_negative(a, first, "lr"));
  args.momentum = float(probability(a, first + 1, "momentum"));
  return args;
}

}  // namespace infoplane::binding
