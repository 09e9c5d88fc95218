// SPDX-License-Identifier: MIT
// The dispatched kernels for SSE4.2 (compiled with -msse4.2 -mno-avx).
#define VECTA_DISPATCH_ARCH xsimd::sse4_2
#include "kernels_impl.hpp"
