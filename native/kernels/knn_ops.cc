#include "knn_ops.h"

#include <cstring>
#include <vector>

#include "knn_kernel_table.h"
#include "ops.h"

namespace infoplane {
namespace {

// The nearest-neighbour table of the variant the dense kernels run (set_variant switches all).
const KnnKernelTable& table() {
  const char* v = current_variant();
  if (std::strcmp(v, "avx512") == 0) return kAvx512KnnKernels;
  if (std::strcmp(v, "avx2") == 0) return kAvx2KnnKernels;
  return kScalarKnnKernels;
}

int padded(int n) { return (n + kKnnPad - 1) / kKnnPad * kKnnPad; }

// xT[f, ld] = x[rows[j], f] (rows null: the identity), zero in the padding columns.
std::vector<float> feature_major(const float* x, int n, int d, int ld, const int32_t* rows) {
  std::vector<float> xT(size_t(d) * size_t(ld), 0.0f);
  for (int j = 0; j < n; j++) {
    const float* p = x + size_t(rows ? rows[j] : j) * size_t(d);
    for (int f = 0; f < d; f++) xT[size_t(f) * size_t(ld) + size_t(j)] = p[f];
  }
  return xT;
}

// Every row needs one pass over all n points; below ~1e6 coordinate visits the pool costs more than it saves.
void run_rows(const KsgArgs& args, int d) {
  const KnnKernelTable& t = table();
  const double work = double(args.n) * double(args.n) * double(d);
  parallel_for(size_t(args.n), 1, work >= 1e6, [&](size_t begin, size_t end) {
    std::vector<float> scratch((2 * size_t(kKnnQueries) + 1) * size_t(args.ld) + size_t(args.k));
    t.ksg_rows(args, int(begin), int(end), scratch.data());
  });
}

}  // namespace

void ksg_counts(int32_t* count_x, int32_t* count_y, const float* x, int dx, const float* y, int dy, int n, int k) {
  const int ld = padded(n);
  const std::vector<float> xT = feature_major(x, n, dx, ld, nullptr);
  const std::vector<float> yT = feature_major(y, n, dy, ld, nullptr);
  const KsgArgs args{count_x, count_y, xT.data(), yT.data(), nullptr, nullptr, n, ld, dx, dy, k};
  run_rows(args, dx + dy);
}

void ksg_class_counts(int32_t* count_x, const float* x, int dx, const int32_t* labels, int classes, int n, int k) {
  // Rows grouped by class (a stable counting sort), so each class's neighbour search is one contiguous range.
  std::vector<int32_t> start(size_t(classes) + 1, 0);
  for (int i = 0; i < n; i++) start[size_t(labels[i]) + 1]++;
  for (int c = 0; c < classes; c++) start[size_t(c) + 1] += start[size_t(c)];
  const size_t rows = static_cast<size_t>(n);
  std::vector<int32_t> order(rows), begin(rows), end(rows);
  {
    std::vector<int32_t> cursor(start.begin(), start.end() - 1);
    for (int i = 0; i < n; i++) order[size_t(cursor[size_t(labels[i])]++)] = i;
  }
  for (int j = 0; j < n; j++) {
    const int32_t c = labels[order[size_t(j)]];
    begin[size_t(j)] = start[size_t(c)];
    end[size_t(j)] = start[size_t(c) + 1];
  }
  const int ld = padded(n);
  const std::vector<float> xT = feature_major(x, n, dx, ld, order.data());
  std::vector<int32_t> sorted_counts(rows);
  const KsgArgs args{sorted_counts.data(), nullptr, xT.data(), nullptr, begin.data(), end.data(), n, ld, dx, 0, k};
  run_rows(args, dx);
  for (int j = 0; j < n; j++) count_x[order[size_t(j)]] = sorted_counts[size_t(j)];
}

}  // namespace infoplane
