// SPDX-License-Identifier: MIT
// vecta/similarity/fmadd.hpp - detail::fmadd, the fused multiply-add of the similarity kernels.
#pragma once

#include <type_traits>
#include <xsimd/xsimd.hpp>

namespace vecta::detail {

/// x * y + z with one rounding where the architecture has FMA. xsimd 8.1 has no AVX-512
/// specialization of xsimd::fma (it falls back to x * y + z, which -ffp-contract=off keeps as a
/// multiply and an add), so AVX-512 calls the intrinsic directly.
template <class Arch, class T>
inline xsimd::batch<T, Arch> fmadd(const xsimd::batch<T, Arch>& x, const xsimd::batch<T, Arch>& y,
                                   const xsimd::batch<T, Arch>& z) noexcept {
#if XSIMD_WITH_AVX512F
    if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) {
        if constexpr (std::is_same_v<T, float>)
            return _mm512_fmadd_ps(x, y, z);
        else
            return _mm512_fmadd_pd(x, y, z);
    } else
#endif
        return xsimd::fma(x, y, z);
}

}  // namespace vecta::detail
