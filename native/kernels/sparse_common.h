// Standard headers shared by the per-ISA sparse translation units; included
// before the target pragma, like kernels_common.h.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>
#include <immintrin.h>
#include "sparse_kernel_table.h"

#define INFOPLANE_SPARSE_KERNEL_TABLE(NAME, LABEL)                                                       \
  const SparseKernelTable NAME = {LABEL, ISA_NS::csr_matmul_rows, ISA_NS::csr_weight_grad_rows,         \
                                  ISA_NS::input_sparse_forward, ISA_NS::input_sparse_weight_grad, \
                                  ISA_NS::input_sparse_weight_step, \
                                  ISA_NS::transpose_rows, ISA_NS::sparsify_row};
