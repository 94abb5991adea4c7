// The native kernels as the binding sees them: whole operations on plain
// pointers and dimensions, split across the thread pool, dispatched to the
// chosen SIMD variant. No N-API here (both build systems and tests share it).
//
// Layout: activations are feature-major, X[features, batch] ("ᵀ" below), so
// the batch is the vector dimension of every product; weights are PyTorch's
// W[out, in].
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>
#include "kernel_table.h"

namespace infoplane {

// SIMD variant and thread count, process-wide.
std::vector<std::string> available_variants();  // those this CPU runs, up to $INFOPLANE_SIMD
std::string simd_env_error();                    // "" unless $INFOPLANE_SIMD is not a variant name
const char* current_variant();
bool set_variant(const std::string& name);  // false when unknown or unsupported by this CPU
int current_threads();
void set_threads(int threads);             // 1 ≤ threads ≤ 256

// Runs body(begin, end) over [0, n) split into at most `threads` contiguous
// pieces whose boundaries are multiples of `align`, on the kernels' pool when
// worth_it (else on the calling thread). Shared with sparse_ops.cc.
void parallel_for(size_t n, size_t align, bool worth_it, const std::function<void(size_t, size_t)>& body);

// outT[OUT,B] = W[OUT,IN] · xT[IN,B] + b
void linear_forward(float* outT, const float* xT, const float* W, const float* b, int B, int IN, int OUT);
// dxT[IN,B] = Wᵀ · dyT[OUT,B]   (differentiates the line above w.r.t. x)
void linear_backward_input(float* dxT, const float* dyT, const float* W, int B, int IN, int OUT);
// dW[OUT,IN] = dyT[OUT,B] · x[B,IN];  db[OUT] = Σ_b dyT[:,b]   (w.r.t. W and b)
void linear_backward_weight(float* dW, float* db, const float* dyT, const float* x, int B, int IN, int OUT);

void activation_forward(Activation act, float* y, const float* x, size_t n);
void activation_backward(Activation act, float* dx, const float* dy, const float* y, size_t n);

// Mean softmax cross-entropy over B samples of logitsT[C,B]; writes
// dlogitsT = (softmax − onehot)/B and returns the summed loss (double) and the
// number of correct argmax predictions (ties: lowest class).
struct LossResult { double loss_sum; int correct; };
LossResult softmax_cross_entropy(float* dlogitsT, const float* logitsT, const int* labels, int B, int C);

// out[cols, rows] = in[rows, cols]ᵀ
void transpose(float* out, const float* in, int rows, int cols);

void adam_step(const AdamArgs& args, size_t n);
void sgd_step(const SgdArgs& args, size_t n);

}  // namespace infoplane
