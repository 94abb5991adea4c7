// The KSG neighbour counts as the binding sees them: row-major points in,
// counts out, split across the thread pool and dispatched to the SIMD variant
// the dense kernels use (ops.h). No N-API here; the binding has checked every
// argument (finite values, 1 ≤ k < n, labels in range, ≥ 2 rows per class).
#pragma once
#include <cstdint>

namespace infoplane {

// Kraskov et al. 2004 algorithm 1 on points (x_i, y_i), x[n, dx] and y[n, dy] row-major:
// ε_i = the max-norm distance from (x_i, y_i) to its k-th nearest neighbour in the joint space,
// count_x[i] = #{j ≠ i : ‖x_j − x_i‖∞ < ε_i}, count_y[i] likewise in y.
void ksg_counts(int32_t* count_x, int32_t* count_y, const float* x, int dx, const float* y, int dy, int n, int k);

// Ross 2014 (continuous x, discrete label): ε_i = the distance from x_i to its k-th nearest
// neighbour among the rows of its own class (k capped at the class size − 1),
// count_x[i] = #{j ≠ i : ‖x_j − x_i‖∞ < ε_i} over all rows.
void ksg_class_counts(int32_t* count_x, const float* x, int dx, const int32_t* labels, int classes, int n, int k);

}  // namespace infoplane
