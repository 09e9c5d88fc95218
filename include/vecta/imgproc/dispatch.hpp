// SPDX-License-Identifier: MIT
// vecta/imgproc/dispatch.hpp - runtime CPU dispatch of the integer edge kernels.
//
// xsimd 8 fixes its architecture when a translation unit is compiled (-march), so a header-only
// library built for the x86-64 baseline would run SSE2 code on an AVX-512 machine. The hot
// integer kernels of gaussian_blur (8-bit), sobel and canny are therefore written once as
// always-inline templates over GCC/Clang vector extensions of B bytes, dispatched by
// detail::dispatch_bytes (core/vec.hpp) as every run-time dispatched kernel is: B = 16 in the
// caller (the compile-time target, SSE2 on x86-64), B = 32 and 64 inside the avx2 / avx512
// target functions. The policy picks the width:
//   vecta::simd::scalar_t          plain loops (the reference the tests compare with)
//   vecta::simd::native_t          the widest width of simd::max_level() (core/cpu.hpp)
//   vecta::simd::arch_t<A>         the width of xsimd::batch<uint8_t, A> (16, 32 or 64)
//   detail::vec_width_t<B>         exactly B bytes (tests use it to run every width)
// All these kernels are exact integer arithmetic, so every width gives the same bits as the
// scalar loop. Compilers without vector extensions or targets other than x86 use B = 16 only
// (portable vector extensions) or the scalar loops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"

#define VECTA_IMGPROC_VECTOR_EXT VECTA_VECTOR_EXT
#define VECTA_IMGPROC_INLINE VECTA_ALWAYS_INLINE
#define VECTA_IMGPROC_KERNELS_BEGIN VECTA_VEC_BEGIN
#define VECTA_IMGPROC_KERNELS_END VECTA_VEC_END

namespace vecta::detail {

/// Forces a vector width of B bytes (0 = the scalar loops) for the dispatched imgproc kernels:
/// `vecta::seq | vecta::detail::vec_width<32>`. Meant for tests and benchmarks.
template <int B>
struct vec_width_t {
    explicit constexpr vec_width_t() = default;
};
template <int B>
inline constexpr vec_width_t<B> vec_width{};

}  // namespace vecta::detail

namespace vecta::simd {
template <int B>
struct is_simd_tag<detail::vec_width_t<B>> : std::true_type {};
}  // namespace vecta::simd

namespace vecta::detail {

/// Widest vector width in bytes the dispatched kernels may use: simd::max_level() (core/cpu.hpp).
inline int cpu_vector_bytes() noexcept { return level_bytes(simd::max_level()); }

template <class S>
struct forced_width : std::integral_constant<int, -1> {};
template <int B>
struct forced_width<vec_width_t<B>> : std::integral_constant<int, B> {};

/// The vector width (bytes, 0 = scalar) a policy selects for the dispatched kernels, never more
/// than the CPU supports.
template <class Policy>
int policy_vector_bytes(const Policy&) noexcept {
    using S = typename std::remove_cvref_t<Policy>::simd_type;
    int want = 0;
    if constexpr (std::is_same_v<S, simd::scalar_t>) {
        return 0;
    } else if constexpr (std::is_same_v<S, simd::native_t>) {
        return cpu_vector_bytes();
    } else if constexpr (forced_width<S>::value >= 0) {
        want = forced_width<S>::value;
    } else if constexpr (requires { S::value; }) {
        want = level_bytes(simd::tag_level<S>());
    } else {
        want = int(xsimd::batch<std::uint8_t, typename S::arch_type>::size);
    }
    if (want < 16) return 0;
    const int cpu = cpu_vector_bytes();
    return want < cpu ? want : cpu;
}

#if VECTA_IMGPROC_VECTOR_EXT
VECTA_IMGPROC_KERNELS_BEGIN
template <class VOut, class V, std::size_t... I>
VECTA_IMGPROC_INLINE void narrow_impl(VOut& out, const V& v, std::index_sequence<I...>) noexcept {
    using B8 = vec<std::uint8_t, int(sizeof(V))>;
    constexpr std::size_t step = sizeof(V) / sizeof(VOut);
    B8 b;
    std::memcpy(&b, &v, sizeof b);
    out = __builtin_shufflevector(b, b, int(I * step)...);
}
/// out = the low byte of every lane of the integer vector v (wider lanes), a byte vector with the
/// same lane count (little-endian truncating narrowing, done as one byte shuffle; GCC lowers
/// __builtin_convertvector of such narrowings lane by lane on AVX2).
template <class VOut, class V>
VECTA_IMGPROC_INLINE void narrow(VOut& out, const V& v) noexcept {
    if constexpr (sizeof(V) == 64)
        out = __builtin_convertvector(v, VOut);  // AVX-512BW: one vpmovwb / vpmovdb
    else
        narrow_impl(out, v, std::make_index_sequence<sizeof(VOut)>{});
}

/// True when a byte vector has a non-zero lane.
template <class V>
VECTA_IMGPROC_INLINE bool any_lane(const V& v) noexcept {
    if constexpr (sizeof(V) >= 8) {
        std::uint64_t acc = 0;
        for (std::size_t i = 0; i < sizeof(V); i += 8) {
            std::uint64_t t;
            std::memcpy(&t, reinterpret_cast<const unsigned char*>(&v) + i, 8);
            acc |= t;
        }
        return acc != 0;
    } else {
        std::uint32_t t;
        static_assert(sizeof(V) == 4);
        std::memcpy(&t, &v, 4);
        return t != 0;
    }
}

/// Loads a vector U of narrow lanes from p and converts it lane by lane to V (same lane count).
#define VECTA_IMGPROC_LOAD_CVT(V, U, p) __builtin_convertvector(::vecta::detail::vload<U>(p), V)
VECTA_IMGPROC_KERNELS_END
#endif

}  // namespace vecta::detail

// Defines K##_call(int bytes, Args...) for a kernel struct K (with `template <int B> static void
// run(Args...)` always-inline and `static void scalar(Args...)`): the width switch is
// detail::dispatch_bytes (core/vec.hpp), the one used by every dispatched kernel; PARAMS and
// ARGS are kept for the call sites' readability and are not needed by the switch.
#define VECTA_IMGPROC_DISPATCH(K, PARAMS, ARGS)                                  \
    template <class... A>                                                        \
    inline void K##_call(int bytes, A... a) noexcept {                           \
        ::vecta::detail::dispatch_bytes(bytes, [&](auto w) VECTA_LAMBDA_INLINE { \
            if constexpr (decltype(w)::value == 0)                               \
                K::scalar(a...);                                                 \
            else                                                                 \
                K::template run<decltype(w)::value>(a...);                       \
        });                                                                      \
    }
