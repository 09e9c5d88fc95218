// SPDX-License-Identifier: MIT
// vecta/core/simd.hpp - the SIMD choice carried by an execution policy: one set of tags.
//
//   vecta::simd::scalar        plain loops (the reference every SIMD path is tested against)
//   vecta::simd::native        the default: the best level the running CPU has
//                              (simd::max_level(), core/cpu.hpp) for the kernels dispatched at
//                              run time; kernels still written over xsimd run
//                              xsimd::default_arch, the architecture the compiler targets
//   vecta::simd::fixed<L>      a fixed level (simd::level::sse2, avx2, avx512, neon), never above
//                              what the CPU has (capped at max_level())
//   vecta::simd::arch<A>       a fixed xsimd architecture A; for dispatched kernels the level of
//                              A's vector width (16 bytes sse2 / neon, 32 avx2, 64 avx512)
// detail::policy_level(policy) gives the level a dispatched kernel runs; xsimd kernels are
// functors with `operator()(Arch, ...)` and `operator()(simd::scalar_t, ...)` run through
// detail::simd_invoke. Which kernels are dispatched, and the numerical promise of each, are in
// docs/simd.md.
#pragma once

#include <cstddef>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "cpu.hpp"

namespace vecta::simd {

/// Plain scalar loops, no xsimd.
struct scalar_t {
    explicit constexpr scalar_t() = default;
};
inline constexpr scalar_t scalar{};

/// The best level the running CPU has (dispatched kernels) or xsimd::default_arch (xsimd kernels).
struct native_t {
    explicit constexpr native_t() = default;
};
inline constexpr native_t native{};

/// A fixed xsimd architecture, e.g. vecta::simd::arch<xsimd::sse4_2>.
template <class Arch>
struct arch_t {
    using arch_type = Arch;
    explicit constexpr arch_t() = default;
};
template <class Arch>
inline constexpr arch_t<Arch> arch{};

/// True when native SIMD is available for this build (false on targets xsimd does not know).
inline constexpr bool native_available = !std::is_same_v<xsimd::default_arch, xsimd::unavailable>;

/// The xsimd architecture compiled in for a level (for the kernels still written over xsimd):
/// xsimd::default_arch at or above the compiled level, else the narrower xsimd architecture the
/// build enables; scalar_t for level::scalar or when xsimd has no architecture.
template <level L>
constexpr auto xsimd_arch_for() noexcept {
    if constexpr (L == level::scalar || !native_available) {
        return scalar_t{};
    } else if constexpr (rank(L) >= rank(compiled_level())) {
        return xsimd::default_arch{};
#if XSIMD_WITH_FMA3_AVX2
    } else if constexpr (L == level::avx2) {
        return xsimd::fma3<xsimd::avx2>{};
#endif
#if XSIMD_WITH_SSE2
    } else if constexpr (L == level::sse2) {
        return xsimd::sse2{};
#endif
    } else {
        return xsimd::default_arch{};
    }
}

/// A fixed run-time level, e.g. vecta::simd::fixed<vecta::simd::level::avx2> (capped at
/// max_level()); xsimd kernels run arch_type (xsimd_arch_for<L>).
template <level L>
struct fixed_t {
    static constexpr simd::level value = L;
    using arch_type = decltype(xsimd_arch_for<L>());
    explicit constexpr fixed_t() = default;
};
template <level L>
inline constexpr fixed_t<L> fixed{};

template <class T>
struct is_simd_tag : std::false_type {};
template <level L>
struct is_simd_tag<fixed_t<L>> : std::true_type {};
template <>
struct is_simd_tag<scalar_t> : std::true_type {};
template <>
struct is_simd_tag<native_t> : std::true_type {};
template <class A>
struct is_simd_tag<arch_t<A>> : std::true_type {};

/// The lower of two levels (by rank).
constexpr level min_level(level a, level b) noexcept { return rank(a) <= rank(b) ? a : b; }

/// The level a SIMD tag selects for the dispatched kernels (see the header comment).
template <class S>
level tag_level() noexcept {
    if constexpr (std::is_same_v<S, scalar_t>) {
        return level::scalar;
    } else if constexpr (std::is_same_v<S, native_t>) {
        return max_level();
    } else if constexpr (requires { S::value; }) {
        return min_level(S::value, max_level());
    } else {
        constexpr std::size_t bytes = sizeof(xsimd::batch<float, typename S::arch_type>);
        constexpr level l = bytes >= 64                       ? level::avx512
                            : bytes >= 32                     ? level::avx2
                            : compiled_level() == level::neon ? level::neon
                                                              : level::sse2;
        return min_level(l, max_level());
    }
}

}  // namespace vecta::simd

namespace vecta::detail {

/// The level a policy's SIMD tag selects for the dispatched kernels.
template <class Policy>
simd::level policy_level(const Policy&) noexcept {
    return simd::tag_level<typename std::remove_cvref_t<Policy>::simd_type>();
}

}  // namespace vecta::detail
