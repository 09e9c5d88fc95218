// SPDX-License-Identifier: MIT
// The dispatched kernels for AVX2 + FMA (compiled with -mavx2 -mfma -mno-avx512f).
#define VECTA_DISPATCH_ARCH xsimd::fma3<xsimd::avx2>
#include "kernels_impl.hpp"
