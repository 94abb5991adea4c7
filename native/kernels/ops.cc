#include "ops.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "sparse_ops.h"
#include "thread_pool.h"

namespace infoplane {
namespace {

// $INFOPLANE_SIMD caps the variants this process may run (scalar < avx2 < avx512), so a
// whole test suite can run on the scalar kernels without touching each test.
enum Level { kBadLevel = -1, kScalar, kAvx2, kAvx512 };
Level simd_ceiling() {
  static const Level level = [] {
    const char* v = std::getenv("INFOPLANE_SIMD");
    if (!v || !*v || std::strcmp(v, "avx512") == 0) return kAvx512;
    if (std::strcmp(v, "avx2") == 0) return kAvx2;
    if (std::strcmp(v, "scalar") == 0) return kScalar;
    return kBadLevel;
  }();
  return level;
}

bool cpu_has_avx2() {
  return simd_ceiling() >= kAvx2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool cpu_has_avx512() {
  return simd_ceiling() >= kAvx512 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") && cpu_has_avx2();
}

const KernelTable* best_table() {
  __builtin_cpu_init();  // we may run from a static initializer, before libgcc has probed the CPU
  if (cpu_has_avx512()) return &kAvx512Kernels;
  if (cpu_has_avx2()) return &kAvx2Kernels;
  return &kScalarKernels;
}

const KernelTable* g_table = best_table();
int g_threads = std::max(1, int(std::thread::hardware_concurrency()));
std::unique_ptr<ThreadPool> g_pool;
std::mutex g_pool_mutex;

ThreadPool& pool() {
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (!g_pool || g_pool->size() != g_threads) g_pool = std::make_unique<ThreadPool>(g_threads);
  return *g_pool;
}

// Below this many flops a product runs on the calling thread: waking workers
// would cost more than it saves. Either way each element is computed the same.
constexpr double kParallelFlops = 2e5;
constexpr size_t kParallelElements = 1 << 15;

// Splits [0, n) into `chunks` contiguous pieces whose boundaries are multiples of `align`.
template <class F>
void parallel_ranges(size_t n, size_t align, bool worth_it, F&& body) {
  const int threads = worth_it ? g_threads : 1;
  const size_t units = (n + align - 1) / align;
  const int chunks = int(std::min<size_t>(size_t(threads), std::max<size_t>(units, 1)));
  if (chunks <= 1) {
    body(size_t(0), n);
    return;
  }
  const std::function<void(int)> task = [&](int c) {
    size_t begin = std::min(n, units * size_t(c) / size_t(chunks) * align);
    size_t end = std::min(n, units * size_t(c + 1) / size_t(chunks) * align);
    if (begin < end) body(begin, end);
  };
  pool().run(chunks, task);
}

void gemm(const GemmArgs& g) {
  const double flops = 2.0 * g.m * double(g.n) * g.k;
  parallel_ranges(size_t(g.m), size_t(g_table->gemm_rows_per_tile), flops >= kParallelFlops,
                  [&](size_t begin, size_t end) { g_table->gemm_rows(g, int(begin), int(end)); });
}

}  // namespace

std::string simd_env_error() {
  if (simd_ceiling() != kBadLevel) return "";
  return "INFOPLANE_SIMD must be scalar, avx2 or avx512 (a ceiling on the SIMD variant)";
}

std::vector<std::string> available_variants() {
  std::vector<std::string> v{"scalar"};
  if (cpu_has_avx2()) v.push_back("avx2");
  if (cpu_has_avx512()) v.push_back("avx512");
  return v;
}

const char* current_variant() { return g_table->name; }

bool set_variant(const std::string& name) {
  if (name == "scalar") g_table = &kScalarKernels;
  else if (name == "avx2" && cpu_has_avx2()) g_table = &kAvx2Kernels;
  else if (name == "avx512" && cpu_has_avx512()) g_table = &kAvx512Kernels;
  else if (name == "auto") g_table = best_table();
  else return false;
  return true;
}

int current_threads() { return g_threads; }
void set_threads(int threads) { g_threads = std::clamp(threads, 1, 256); }

void parallel_for(size_t n, size_t align, bool worth_it, const std::function<void(size_t, size_t)>& body) {
  parallel_ranges(n, align, worth_it, body);
}

void linear_forward(float* outT, const float* xT, const float* W, const float* b, int B, int IN, int OUT) {
  gemm(GemmArgs{outT, B, W, IN, 1, xT, B, b, OUT, B, IN, GemmInit::RowBias});
}

void linear_backward_input(float* dxT, const float* dyT, const float* W, int B, int IN, int OUT) {
  // A = Wᵀ: A(i,k) = W[k*IN + i]
  gemm(GemmArgs{dxT, B, W, 1, IN, dyT, B, nullptr, IN, B, OUT, GemmInit::Zero});
}

void linear_backward_weight(float* dW, float* db, const float* dyT, const float* x, int B, int IN, int OUT) {
  gemm(GemmArgs{dW, IN, dyT, B, 1, x, IN, nullptr, OUT, IN, B, GemmInit::Zero});
  for (int o = 0; o < OUT; o++) {  // in batch order, like the GEMM's k loop
    float s = 0.0f;
    for (int bi = 0; bi < B; bi++) s += dyT[size_t(o) * B + bi];
    db[o] = s;
  }
}

void activation_forward(Activation act, float* y, const float* x, size_t n) {
  parallel_ranges(n, 64, n >= kParallelElements, [&](size_t begin, size_t end) { g_table->activation_forward(act, y, x, begin, end); });
}

void activation_backward(Activation act, float* dx, const float* dy, const float* y, size_t n) {
  parallel_ranges(n, 64, n >= kParallelElements, [&](size_t begin, size_t end) { g_table->activation_backward(act, dx, dy, y, begin, end); });
}

LossResult softmax_cross_entropy(float* dlogitsT, const float* logitsT, const int* labels, int B, int C) {
  LossResult result{0.0, 0};
  const float inv_b = 1.0f / float(B);
  for (int b = 0; b < B; b++) {
    float max_logit = logitsT[b];
    int arg = 0;
    for (int c = 1; c < C; c++) {
      const float z = logitsT[size_t(c) * B + b];
      if (z > max_logit) { max_logit = z; arg = c; }
    }
    float sum = 0.0f;
    for (int c = 0; c < C; c++) sum += std::exp(logitsT[size_t(c) * B + b] - max_logit);
    const int y = labels[b];
    // −log softmax_y = log Σ e^{z_c − max} − (z_y − max)
    result.loss_sum += double(std::log(sum) - (logitsT[size_t(y) * B + b] - max_logit));
    result.correct += arg == y;
    for (int c = 0; c < C; c++) {
      const float p = std::exp(logitsT[size_t(c) * B + b] - max_logit) / sum;
      dlogitsT[size_t(c) * B + b] = (p - (c == y ? 1.0f : 0.0f)) * inv_b;
    }
  }
  return result;
}

void transpose(float* out, const float* in, int rows, int cols) {
  // A pure copy, so any blocking gives the same bytes: the SIMD W×W-block transpose (sparse_ops.cc).
  transpose_blocked(out, rows, in, rows, cols);
}

void adam_step(const AdamArgs& args, size_t n) {
  parallel_ranges(n, 64, n >= kParallelElements, [&](size_t begin, size_t end) { g_table->adam(args, begin, end); });
}

void sgd_step(const SgdArgs& args, size_t n) {
  parallel_ranges(n, 64, n >= kParallelElements, [&](size_t begin, size_t end) { g_table->sgd(args, begin, end); });
}

}  // namespace infoplane
