// Single-core (and all-core) FMA peak probe for bench/peak.ts. Not part of the
// addon: bench/peak.ts compiles it at bench time with
//   g++ -O2 -pthread bench/fma-peak.cc -o /tmp/...
// Each variant keeps 12 independent FMA chains in registers (Zen 4/5: FMA
// latency 4 cycles × 2 pipes needs ≥ 8 chains in flight), so the loop is bound
// by FMA throughput alone: 12 FMAs × lanes × 2 flops per iteration.
//
// Usage: fma-peak <avx2|avx512|rows-avx2> <threads> [milliseconds per repetition]
// Prints one JSON line: {"variant":..., "threads":..., "gflops":..., "perThread":[...]}.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

#define FMA_CHAINS(OP) OP(0) OP(1) OP(2) OP(3) OP(4) OP(5) OP(6) OP(7) OP(8) OP(9) OP(10) OP(11)

__attribute__((target("avx2,fma"), noinline)) float chains_avx2(long iters) {
  const __m256 m = _mm256_set1_ps(0.999999f);
  const __m256 a = _mm256_set1_ps(1e-6f);
#define DECL(i) __m256 acc##i = _mm256_set1_ps(float(i));
  FMA_CHAINS(DECL)
#undef DECL
  for (long n = 0; n < iters; n++) {
#define STEP(i) acc##i = _mm256_fmadd_ps(acc##i, m, a);
    FMA_CHAINS(STEP)
#undef STEP
  }
  __m256 s = _mm256_setzero_ps();
#define SUM(i) s = _mm256_add_ps(s, acc##i);
  FMA_CHAINS(SUM)
#undef SUM
  float out[8];
  _mm256_storeu_ps(out, s);
  return out[0] + out[7];
}
constexpr int kFlopsPerIterAvx2 = 12 * 8 * 2;

__attribute__((target("avx512f"), noinline)) float chains_avx512(long iters) {
  const __m512 m = _mm512_set1_ps(0.999999f);
  const __m512 a = _mm512_set1_ps(1e-6f);
#define DECL(i) __m512 acc##i = _mm512_set1_ps(float(i));
  FMA_CHAINS(DECL)
#undef DECL
  for (long n = 0; n < iters; n++) {
#define STEP(i) acc##i = _mm512_fmadd_ps(acc##i, m, a);
    FMA_CHAINS(STEP)
#undef STEP
  }
  __m512 s = _mm512_setzero_ps();
#define SUM(i) s = _mm512_add_ps(s, acc##i);
  FMA_CHAINS(SUM)
#undef SUM
  float out[16];
  _mm512_storeu_ps(out, s);
  return out[0] + out[15];
}
constexpr int kFlopsPerIterAvx512 = 12 * 16 * 2;

// The input-sparse kernels' loop shape with every operand in L1: 3 samples in lockstep, each
// non-zero a broadcast of its value times 4 vectors of a weight row picked by an index (rows of
// a 64-row block, so the shape limits, not the caches). The same 12 chains as chains_avx2, but
// each FMA loads its row vector, as the kernels' must: the ceiling of those loops on this core.
constexpr int kRowBlock = 64, kRowStride = 1040, kRowRun = 152;
float g_rows[kRowBlock * kRowStride];
int32_t g_row_offset[3 * kRowRun];
float g_row_value[3 * kRowRun];

void init_rows() {
  for (int i = 0; i < kRowBlock * kRowStride; i++) g_rows[i] = 1e-3f;
  for (int k = 0; k < 3 * kRowRun; k++) {
    g_row_offset[k] = (k * 7 % kRowBlock) * kRowStride;
    g_row_value[k] = 0.5f;
  }
}

// Spelled out (as FMA_CHAINS above) so that -O2 keeps the 12 accumulators in registers.
#define ROW_SAMPLES(OP) OP(0) OP(1) OP(2)
__attribute__((target("avx2,fma"), noinline)) float rows_avx2(long iters) {
#define DECL(q) __m256 a##q##0 = _mm256_setzero_ps(), a##q##1 = a##q##0, a##q##2 = a##q##0, a##q##3 = a##q##0;
  ROW_SAMPLES(DECL)
#undef DECL
  for (long n = 0; n < iters; n++) {
    for (int t = 0; t < kRowRun; t++) {
#define STEP(q)                                                               \
  {                                                                           \
    const float* row = g_rows + g_row_offset[q * kRowRun + t];                \
    const __m256 x = _mm256_set1_ps(g_row_value[q * kRowRun + t]);            \
    a##q##0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row), a##q##0);              \
    a##q##1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row + 8), a##q##1);          \
    a##q##2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row + 16), a##q##2);         \
    a##q##3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(row + 24), a##q##3);         \
  }
      ROW_SAMPLES(STEP)
#undef STEP
    }
  }
  __m256 s = _mm256_setzero_ps();
#define SUM(q) s = _mm256_add_ps(_mm256_add_ps(s, _mm256_add_ps(a##q##0, a##q##1)), _mm256_add_ps(a##q##2, a##q##3));
  ROW_SAMPLES(SUM)
#undef SUM
  float out[8];
  _mm256_storeu_ps(out, s);
  return out[0] + out[7];
}
constexpr int kFlopsPerIterRows = kRowRun * 12 * 8 * 2;

enum class Variant { Avx2, Avx512, RowsAvx2 };

volatile float g_sink;

// Best GFLOP/s of `reps` repetitions of roughly `ms` milliseconds each.
double measure(Variant variant, double ms, int reps) {
  auto run = [&](long iters) {
    g_sink = variant == Variant::Avx512 ? chains_avx512(iters) : variant == Variant::RowsAvx2 ? rows_avx2(iters) : chains_avx2(iters);
  };
  const double flops_per_iter = variant == Variant::Avx512 ? kFlopsPerIterAvx512 : variant == Variant::RowsAvx2 ? kFlopsPerIterRows : kFlopsPerIterAvx2;
  long iters = variant == Variant::RowsAvx2 ? 1 << 10 : 1 << 20;
  // Calibrate: grow until one call takes ≥ 20 ms, then scale to `ms`.
  for (;;) {
    const auto t0 = Clock::now();
    run(iters);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (s >= 0.02) {
      iters = std::max(1L, long(iters * (ms / 1000.0) / s));
      break;
    }
    iters *= 2;
  }
  double best = 0;
  for (int r = 0; r < reps; r++) {
    const auto t0 = Clock::now();
    run(iters);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, iters * flops_per_iter / s / 1e9);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <avx2|avx512|rows-avx2> <threads> [ms]\n", argv[0]);
    return 2;
  }
  const bool avx512 = std::strcmp(argv[1], "avx512") == 0;
  const bool rows = std::strcmp(argv[1], "rows-avx2") == 0;
  if (!avx512 && !rows && std::strcmp(argv[1], "avx2") != 0) {
    std::fprintf(stderr, "unknown variant %s\n", argv[1]);
    return 2;
  }
  const Variant variant = avx512 ? Variant::Avx512 : rows ? Variant::RowsAvx2 : Variant::Avx2;
  init_rows();
  __builtin_cpu_init();
  if (avx512 ? !__builtin_cpu_supports("avx512f") : !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
    std::printf("{\"variant\":\"%s\",\"supported\":false}\n", argv[1]);
    return 0;
  }
  const int threads = std::max(1, std::atoi(argv[2]));
  const double ms = argc > 3 ? std::atof(argv[3]) : 150.0;
  std::vector<double> per(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) pool.emplace_back([&, t] { per[t] = measure(variant, ms, 5); });
  for (auto& th : pool) th.join();
  double total = 0;
  for (double g : per) total += g;
  std::printf("{\"variant\":\"%s\",\"supported\":true,\"threads\":%d,\"gflops\":%.3f,\"perThread\":[", argv[1], threads, total);
  for (int t = 0; t < threads; t++) std::printf("%s%.3f", t ? "," : "", per[t]);
  std::printf("]}\n");
  return 0;
}
