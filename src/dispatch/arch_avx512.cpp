// SPDX-License-Identifier: MIT
// The dispatched kernels for AVX-512 F/CD/DQ/BW (compiled with -mavx512f -mavx512cd -mavx512dq
// -mavx512bw -mavx512vl -mavx2 -mfma).
#define VECTA_DISPATCH_ARCH xsimd::avx512bw
#include "kernels_impl.hpp"
