// The optimizer scalars of a step binding, checked and converted once for the
// dense step (adamStep, sgdStep) and the fused input-sparse one.
#pragma once
#include <cstddef>

#include "args.h"
#include "../kernels/kernel_table.h"

namespace infoplane::binding {

// lr, beta1, beta2, eps, step at arguments first..first+4; AdamArgs' pointers left null.
AdamArgs adam_scalars(const Args& a, size_t first);
// lr, momentum at arguments first, first+1; SgdArgs' pointers left null.
SgdArgs sgd_scalars(const Args& a, size_t first);

}  // namespace infoplane::binding
