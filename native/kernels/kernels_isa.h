// Instantiates every SIMD kernel body for one ISA. Each kernels_<isa>.cc sets
// the target with a pragma and includes this file inside its own namespace;
// the standard headers come first so that they are compiled without the target.
// (No -march flags: AVX-512 must not leak into the fallbacks.)
#include "gemm-inl.h"
#include "activation-inl.h"
#include "optimizer-inl.h"
