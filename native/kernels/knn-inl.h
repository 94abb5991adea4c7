// The KSG neighbour counts, one body for every ISA: knn_<isa>.cc defines Vec,
// count_lt (lanes of a below t) and any_lt, then includes this file inside its
// own namespace. No standard-library templates here: an instantiation compiled
// under an ISA pragma could be merged with the baseline one by the linker.

// Insertion into the ascending list best[0..k) of the k smallest distances so far
// (k is small: 3 by default), dropping the largest.
inline void insert_sorted(float* best, int k, float v) {
  if (!(v < best[k - 1])) return;
  int q = k - 1;
  while (q > 0 && best[q - 1] > v) {
    best[q] = best[q - 1];
    q--;
  }
  best[q] = v;
}

// rows[q·ld + j] = max_f |xT[f, j] − xT[f, i0 + q]| for q < Q, j in [0, ld): the max-norm
// distances from Q query points at once. Each column block is loaded once for all Q queries:
// for one query at a time the whole xT (d·ld floats, 800 KB at 10 000 × 20) streams from L2/L3
// per query and the loads, not the arithmetic, set the pace.
template <int Q>
inline void max_norm_rows(float* rows, const float* xT, int ld, int d, int i0) {
  constexpr int W = Vec::kWidth;
  constexpr int U = 2;  // Q·U accumulators + U columns + Q queries fit the 16 ymm registers at Q = 4
  for (int j = 0; j < ld; j += W * U) {  // ld is a multiple of W·U
    Vec acc[Q][U];
    for (int q = 0; q < Q; q++)
      for (int u = 0; u < U; u++) acc[q][u] = Vec::zero();
    for (int f = 0; f < d; f++) {
      const float* col = xT + size_t(f) * size_t(ld);
      Vec c[U];
      for (int u = 0; u < U; u++) c[u] = Vec::load(col + j + u * W);
      for (int q = 0; q < Q; q++) {
        const Vec xi = Vec::set1(col[i0 + q]);
        for (int u = 0; u < U; u++) acc[q][u] = vmax(acc[q][u], vabs(c[u] - xi));
      }
    }
    for (int q = 0; q < Q; q++)
      for (int u = 0; u < U; u++) acc[q][u].store(rows + size_t(q) * size_t(ld) + j + u * W);
  }
}

// best[0..k) ← the k smallest of row[b, e) ascending (k ≤ e − b); returns the k-th.
// A vector of lanes none of which beats the current k-th is skipped in one compare.
inline float kth_smallest(const float* row, int b, int e, int k, float* best) {
  constexpr int W = Vec::kWidth;
  for (int q = 0; q < k; q++) best[q] = INFINITY;
  int j = b;
  for (; j + W <= e; j += W) {
    if (!any_lt(Vec::load(row + j), Vec::set1(best[k - 1]))) continue;
    for (int l = 0; l < W; l++) insert_sorted(best, k, row[j + l]);
  }
  for (; j < e; j++) insert_sorted(best, k, row[j]);
  return best[k - 1];
}

// #{j < n : row[j] < eps}.
inline int count_below(const float* row, int n, float eps) {
  constexpr int W = Vec::kWidth;
  const Vec t = Vec::set1(eps);
  int c = 0, j = 0;
  for (; j + W <= n; j += W) c += count_lt(Vec::load(row + j), t);
  for (; j < n; j++) c += row[j] < eps ? 1 : 0;
  return c;
}

// ε and the counts of point i from its distance rows rx (and ry: continuous mode).
inline void ksg_point(const KsgArgs& a, int i, float* rx, float* ry, float* joint, float* best) {
  rx[i] = INFINITY;  // a point is not its own neighbour
  if (a.yT) {
    ry[i] = INFINITY;
    for (int j = 0; j < a.ld; j += Vec::kWidth) vmax(Vec::load(rx + j), Vec::load(ry + j)).store(joint + j);
    const float eps = kth_smallest(joint, 0, a.n, a.k, best);
    a.count_x[i] = count_below(rx, a.n, eps);
    a.count_y[i] = count_below(ry, a.n, eps);
  } else {
    const int b = a.class_begin[i], e = a.class_end[i];
    const int k = a.k < e - b - 1 ? a.k : e - b - 1;
    a.count_x[i] = count_below(rx, a.n, kth_smallest(rx, b, e, k, best));
  }
}

// Points [begin, end) in blocks of kKnnQueries; scratch: (2·kKnnQueries + 1)·ld + k floats.
void ksg_rows(const KsgArgs& a, int begin, int end, float* scratch) {
  constexpr int Q = kKnnQueries;
  const size_t ld = size_t(a.ld);
  float* rx = scratch;
  float* ry = scratch + Q * ld;
  float* joint = scratch + 2 * Q * ld;
  float* best = joint + ld;
  int i = begin;
  for (; i + Q <= end; i += Q) {
    max_norm_rows<Q>(rx, a.xT, a.ld, a.dx, i);
    if (a.yT) max_norm_rows<Q>(ry, a.yT, a.ld, a.dy, i);
    for (int q = 0; q < Q; q++) ksg_point(a, i + q, rx + q * ld, ry + q * ld, joint, best);
  }
  for (; i < end; i++) {
    max_norm_rows<1>(rx, a.xT, a.ld, a.dx, i);
    if (a.yT) max_norm_rows<1>(ry, a.yT, a.ld, a.dy, i);
    ksg_point(a, i, rx, ry, joint, best);
  }
}
