// Instantiates every sparse kernel body for one ISA (like kernels_isa.h for the
// dense ones). Each sparse_<isa>.cc sets the target, defines Vec, kSparseNv and
// transpose_square, and includes this file inside its own namespace.
#include "sparse-inl.h"
#include "optimizer-inl.h"
#include "input_sparse-inl.h"
#include "transpose-inl.h"
