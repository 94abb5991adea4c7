// Optimizer steps, written once over `Vec`. Included inside an ISA namespace.
// Plain mul/add (no fma) in PyTorch's order, so the TypeScript reference, which
// rounds to float32 after each operation, matches exactly.
// A pruned entry (mask 0) has its gradient zeroed first; its weight, first and
// second moments start at 0 and therefore stay exactly 0.

inline Vec masked_grad(const float* g, const float* mask, size_t i, int n) {
  Vec gv = Vec::load_partial(g + i, n);
  return mask ? gv * Vec::load_partial(mask + i, n) : gv;
}

// torch.optim.Adam (1.13, single tensor):
//   m = m·β1 + (1−β1)·g;  v = v·β2 + (1−β2)·g·g
//   w = w − step_size · m / (sqrt(v)/sqrt(1−β2^t) + eps),  step_size = lr/(1−β1^t)
void adam(const AdamArgs& a, size_t begin, size_t end) {
  constexpr size_t W = Vec::kWidth;
  const Vec b1 = Vec::set1(a.beta1), one_minus_b1 = Vec::set1(1.0f - a.beta1);
  const Vec b2 = Vec::set1(a.beta2), one_minus_b2 = Vec::set1(1.0f - a.beta2);
  const Vec eps = Vec::set1(a.eps), step = Vec::set1(a.step_size), bc2 = Vec::set1(a.bias_correction2_sqrt);
  for (size_t i = begin; i < end; i += W) {
    const int n = int(end - i < W ? end - i : W);
    const Vec g = masked_grad(a.g, a.mask, i, n);
    const Vec m = Vec::load_partial(a.m + i, n) * b1 + one_minus_b1 * g;
    const Vec v = Vec::load_partial(a.v + i, n) * b2 + one_minus_b2 * g * g;
    const Vec denom = vsqrt(v) / bc2 + eps;
    const Vec w = Vec::load_partial(a.w + i, n) - step * (m / denom);
    m.store_partial(a.m + i, n);
    v.store_partial(a.v + i, n);
    w.store_partial(a.w + i, n);
  }
}

// torch.optim.SGD with momentum μ (dampening 0): buf = μ·buf + g;  w = w − lr·buf.
void sgd(const SgdArgs& a, size_t begin, size_t end) {
  constexpr size_t W = Vec::kWidth;
  const Vec lr = Vec::set1(a.lr), mu = Vec::set1(a.momentum);
  for (size_t i = begin; i < end; i += W) {
    const int n = int(end - i < W ? end - i : W);
    Vec step = masked_grad(a.g, a.mask, i, n);
    if (a.velocity) {
      step = mu * Vec::load_partial(a.velocity + i, n) + step;
      step.store_partial(a.velocity + i, n);
    }
    (Vec::load_partial(a.w + i, n) - lr * step).store_partial(a.w + i, n);
  }
}
