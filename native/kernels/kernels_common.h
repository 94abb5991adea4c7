// Standard headers shared by the per-ISA translation units; included before the
// target pragma so that library code is compiled for the baseline ISA.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>
#include "kernel_table.h"

#define INFOPLANE_KERNEL_TABLE(NAME, LABEL)                                       \
  const KernelTable NAME = {LABEL, ISA_NS::kMr, ISA_NS::gemm_rows, ISA_NS::activation_forward, \
                            ISA_NS::activation_backward, ISA_NS::adam, ISA_NS::sgd};
