// The portable variant: one lane per Vec; also the oracle the wide variants must match.
#include "kernels_common.h"

namespace infoplane {
namespace scalar_isa {
#include "simd/vec_scalar.h"
constexpr int kMr = 6;
constexpr int kNrVecs = 4;
#include "kernels_isa.h"
}  // namespace scalar_isa
#define ISA_NS scalar_isa
INFOPLANE_KERNEL_TABLE(kScalarKernels, "scalar")
}  // namespace infoplane
