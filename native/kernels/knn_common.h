// Standard headers shared by the per-ISA nearest-neighbour translation units;
// included before the target pragma, like kernels_common.h.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <immintrin.h>
#include "knn_kernel_table.h"

#define INFOPLANE_KNN_KERNEL_TABLE(NAME, LABEL) const KnnKernelTable NAME = {LABEL, ISA_NS::ksg_rows};
