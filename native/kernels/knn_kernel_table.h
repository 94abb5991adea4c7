// The per-ISA table of the nearest-neighbour kernels behind the KSG estimator
// (Kraskov, Stögbauer & Grassberger 2004, algorithm 1; Ross 2014 for a discrete
// variable). One instance per SIMD variant, chosen with the dense table's
// variant (knn_ops.cc). Distances are max-norm over float32 coordinates:
// max_f |fl(a_f − b_f)|, which every variant computes exactly alike, so the
// integer counts below are identical on every variant and thread count.
#pragma once
#include <cstdint>

namespace infoplane {

// Points are feature-major: coordinate f of point j at xT[f * ld + j], ld ≥ n a multiple of
// kKnnPad (the padding columns are never counted).
struct KsgArgs {
  int32_t* count_x;            // [n] #{j ≠ i : dX(i, j) < ε_i}
  int32_t* count_y;            // [n] #{j ≠ i : dY(i, j) < ε_i}; unused in class mode
  const float* xT;             // [dx, ld]
  const float* yT;             // [dy, ld], or null: class mode
  const int32_t* class_begin;  // class mode: i's class is the rows [class_begin[i], class_end[i])
  const int32_t* class_end;
  int n, ld, dx, dy, k;
};

// ε_i: continuous mode, the k-th smallest max(dX, dY)(i, j) over j ≠ i (the joint space);
// class mode, the k-th smallest dX(i, j) over j ≠ i in i's class, k capped at the class size − 1.
// `scratch` holds (2·kKnnQueries + 1)·ld + k floats for the calling thread.
struct KnnKernelTable {
  const char* name;
  void (*ksg_rows)(const KsgArgs& args, int begin, int end, float* scratch);
};

// Columns are padded to a multiple of this (2 vectors of the widest ISA, twice over).
constexpr int kKnnPad = 64;
// Query points whose distance rows are computed in one pass over the points.
constexpr int kKnnQueries = 4;

extern const KnnKernelTable kScalarKnnKernels;
extern const KnnKernelTable kAvx2KnnKernels;
extern const KnnKernelTable kAvx512KnnKernels;

}  // namespace infoplane
