// SPDX-License-Identifier: MIT
// vecta/core/simd.hpp - the SIMD choice carried by an execution policy.
//
// A kernel is written once as a functor with two call operators:
//   template <class Arch> R operator()(Arch, args...) const noexcept;   // xsimd::batch<T, Arch>
//   R operator()(vecta::simd::scalar_t, args...) const noexcept;       // plain loop
// and is run through detail::simd_invoke(policy, kernel, args...). By default the architecture is
// the one the compiler targets (xsimd::default_arch, set by the user's -march); the policy
// `vecta::seq | vecta::simd::scalar` forces the plain loop. Tests run both and compare.
#pragma once

#include <type_traits>
#include <xsimd/xsimd.hpp>

namespace vecta::simd {

/// Plain scalar loops, no xsimd.
struct scalar_t {
    explicit constexpr scalar_t() = default;
};
inline constexpr scalar_t scalar{};

/// xsimd's best architecture enabled at compile time (xsimd::default_arch).
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

template <class T>
struct is_simd_tag : std::false_type {};
template <>
struct is_simd_tag<scalar_t> : std::true_type {};
template <>
struct is_simd_tag<native_t> : std::true_type {};
template <class A>
struct is_simd_tag<arch_t<A>> : std::true_type {};

/// True when native SIMD is available for this build (false on targets xsimd does not know).
inline constexpr bool native_available = !std::is_same_v<xsimd::default_arch, xsimd::unavailable>;

}  // namespace vecta::simd
