// Standard headers shared by the per-ISA sparse translation units; included
// before the target pragma, like kernels_common.h.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>
#include <immintrin.h>
#include "sparse_kernel_table.h"

namespace infoplane {
// row[i..n)'s non-zeros appended at idx/val[count..): the scalar sparsify_row, and the wide
// ones' tail. Branch-free: every element is written at the cursor, which advances past the
// non-zeros only (the input's zero pattern is data, so a branch would mispredict ~20% of the
// time on MNIST). Returns the new count.
inline int sparsify_scalar(const float* row, int i, int n, int32_t* idx, float* val, int count) {
  for (; i < n; i++) {
    idx[count] = i;
    val[count] = row[i];
    count += !(row[i] == 0.0f);
  }
  return count;
}
}  // namespace infoplane

#define INFOPLANE_SPARSE_KERNEL_TABLE(NAME, LABEL)                                                       \
  const SparseKernelTable NAME = {LABEL, ISA_NS::csr_matmul_rows, ISA_NS::csr_weight_grad_rows,         \
                                  ISA_NS::input_sparse_forward, ISA_NS::input_sparse_weight_grad, \
                                  ISA_NS::input_sparse_weight_step, \
                                  ISA_NS::transpose_rows, ISA_NS::sparsify_row};
