// Optimizer steps, written once over `Vec`. Included inside an ISA namespace.
// Plain mul/add (no fma) in PyTorch's order, so the TypeScript reference, which
// rounds to float32 after each operation, matches exactly.
// A pruned entry (mask 0) has its gradient zeroed first; its weight, first and
// second moments start at 0 and therefore stay exactly 0.

// Full loads and stores in a loop's body, masked ones on its tail only: a masked store is
// several times slower than a plain one on AMD cores.
template <bool FULL>
inline Vec load_lanes(const float* p, int n) {
  return FULL ? Vec::load(p) : Vec::load_partial(p, n);
}
template <bool FULL>
inline void store_lanes(Vec v, float* p, int n) {
  FULL ? v.store(p) : v.store_partial(p, n);
}

// torch.optim.Adam (1.13, single tensor):
//   m = m·β1 + (1−β1)·g;  v = v·β2 + (1−β2)·g·g
//   w = w − step_size · m / (sqrt(v)/sqrt(1−β2^t) + eps),  step_size = lr/(1−β1^t)
// Adam's scalars as lanes, set once per call.
struct AdamLanes {
  Vec b1, one_minus_b1, b2, one_minus_b2, eps, step, bc2;
  explicit AdamLanes(const AdamArgs& a)
      : b1(Vec::set1(a.beta1)),
        one_minus_b1(Vec::set1(1.0f - a.beta1)),
        b2(Vec::set1(a.beta2)),
        one_minus_b2(Vec::set1(1.0f - a.beta2)),
        eps(Vec::set1(a.eps)),
        step(Vec::set1(a.step_size)),
        bc2(Vec::set1(a.bias_correction2_sqrt)) {}
};

// One element step over W lanes, n of them live.
template <bool FULL>
inline void adam_lanes(const AdamArgs& a, const AdamLanes& c, size_t i, int n) {
  const Vec gv = load_lanes<FULL>(a.g + i, n);
  const Vec g = a.mask ? gv * load_lanes<FULL>(a.mask + i, n) : gv;
  const Vec m = load_lanes<FULL>(a.m + i, n) * c.b1 + c.one_minus_b1 * g;
  const Vec v = load_lanes<FULL>(a.v + i, n) * c.b2 + c.one_minus_b2 * g * g;
  const Vec denom = vsqrt(v) / c.bc2 + c.eps;
  const Vec w = load_lanes<FULL>(a.w + i, n) - c.step * (m / denom);
  store_lanes<FULL>(m, a.m + i, n);
  store_lanes<FULL>(v, a.v + i, n);
  store_lanes<FULL>(w, a.w + i, n);
}

void adam(const AdamArgs& a, size_t begin, size_t end) {
  constexpr size_t W = Vec::kWidth;
  const AdamLanes c(a);
  size_t i = begin;
  for (; i + W <= end; i += W) adam_lanes<true>(a, c, i, int(W));
  if (i < end) adam_lanes<false>(a, c, i, int(end - i));
}

// torch.optim.SGD with momentum μ (dampening 0): buf = μ·buf + g;  w = w − lr·buf.
template <bool FULL>
inline void sgd_lanes(const SgdArgs& a, size_t i, int n, Vec lr, Vec mu) {
  const Vec gv = load_lanes<FULL>(a.g + i, n);
  Vec step = a.mask ? gv * load_lanes<FULL>(a.mask + i, n) : gv;
  if (a.velocity) {
    step = mu * load_lanes<FULL>(a.velocity + i, n) + step;
    store_lanes<FULL>(step, a.velocity + i, n);
  }
  store_lanes<FULL>(load_lanes<FULL>(a.w + i, n) - lr * step, a.w + i, n);
}

void sgd(const SgdArgs& a, size_t begin, size_t end) {
  constexpr size_t W = Vec::kWidth;
  const Vec lr = Vec::set1(a.lr), mu = Vec::set1(a.momentum);
  size_t i = begin;
  for (; i + W <= end; i += W) sgd_lanes<true>(a, i, int(W), lr, mu);
  if (i < end) sgd_lanes<false>(a, i, int(end - i), lr, mu);
}
