// Activations, forward and backward side by side, written once over `Vec`.
// Included inside an ISA namespace. No -ffast-math anywhere: tanh must saturate
// to exactly ±1 (binning puts values >= 1 in their own bin) and NaN must pass
// through so a diverged run shows a NaN loss.

// e^x for x in [0, 20] (all tanh needs): Cephes expf's range reduction and polynomial.
inline Vec exp_small(Vec x) {
  const Vec n = round_nearest(x * Vec::set1(1.44269504088896341f));
  Vec r = fma(n, Vec::set1(-0.693359375f), x);   // ln 2 split in two parts (Cody–Waite)
  r = fma(n, Vec::set1(2.12194440e-4f), r);
  Vec p = Vec::set1(1.9875691500e-4f);
  p = fma(p, r, Vec::set1(1.3981999507e-3f));
  p = fma(p, r, Vec::set1(8.3334519073e-3f));
  p = fma(p, r, Vec::set1(4.1665795894e-2f));
  p = fma(p, r, Vec::set1(1.6666665459e-1f));
  p = fma(p, r, Vec::set1(5.0000001201e-1f));
  p = fma(p, r * r, r + Vec::set1(1.0f));
  return p * pow2i(n);
}

// tanh as Cephes tanhf: an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|}+1)
// above. |x| is clamped at 10, beyond which float32 tanh is exactly ±1.
inline Vec tanh_vec(Vec x) {
  const Vec ax = vmin(Vec::set1(10.0f), vabs(x));  // min(10, NaN) keeps the NaN
  const Vec z = x * x;
  Vec p = Vec::set1(-5.70498872745e-3f);
  p = fma(p, z, Vec::set1(2.06390887954e-2f));
  p = fma(p, z, Vec::set1(-5.37397155531e-2f));
  p = fma(p, z, Vec::set1(1.33314422036e-1f));
  p = fma(p, z, Vec::set1(-3.33332819422e-1f));
  const Vec small = fma(p * z, x, x);
  const Vec e = exp_small(ax + ax);
  const Vec large = copysign_of(Vec::set1(1.0f) - Vec::set1(2.0f) / (e + Vec::set1(1.0f)), x);
  return select_lt(ax, Vec::set1(0.625f), small, large);
}

inline Vec activate(Activation act, Vec x) {
  switch (act) {
    case Activation::Tanh: return tanh_vec(x);
    case Activation::Relu: return vmax(x, Vec::zero());
    default: return x;
  }
}

// Backward of `y = act(x)`, from the saved output y:
//   tanh: dx = dy * (1 − y·y);  relu: dx = y > 0 ? dy : 0;  linear: dx = dy.
inline Vec activate_backward(Activation act, Vec dy, Vec y) {
  switch (act) {
    case Activation::Tanh: return dy * (Vec::set1(1.0f) - y * y);
    case Activation::Relu: return select_lt(Vec::zero(), y, dy, Vec::zero());
    default: return dy;
  }
}

void activation_forward(Activation act, float* y, const float* x, size_t begin, size_t end) {
  constexpr size_t W = Vec::kWidth;
  size_t i = begin;
  for (; i + W <= end; i += W) activate(act, Vec::load(x + i)).store(y + i);
  if (i < end) activate(act, Vec::load_partial(x + i, int(end - i))).store_partial(y + i, int(end - i));
}

void activation_backward(Activation act, float* dx, const float* dy, const float* y, size_t begin, size_t end) {
  constexpr size_t W = Vec::kWidth;
  size_t i = begin;
  for (; i + W <= end; i += W) activate_backward(act, Vec::load(dy + i), Vec::load(y + i)).store(dx + i);
  if (i < end) {
    const int n = int(end - i);
    activate_backward(act, Vec::load_partial(dy + i, n), Vec::load_partial(y + i, n)).store_partial(dx + i, n);
  }
}
