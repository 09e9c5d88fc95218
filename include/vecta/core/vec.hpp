// SPDX-License-Identifier: MIT
// vecta/core/vec.hpp - GCC / Clang vector extensions for the kernels dispatched at run time.
//
// A dispatched kernel is an always-inline template over the vector width B (16, 32 or 64 bytes)
// written with these types and helpers, instantiated in a plain function (B = 16: SSE2 on
// x86-64, NEON on AArch64) and in functions carrying VECTA_TARGET_AVX2 (B = 32) and
// VECTA_TARGET_AVX512 (B = 64) from core/cpu.hpp; the caller picks one with simd::max_level().
// Vector extensions (unlike xsimd 8's batch types and the intrinsics' wrapper functions) compile
// in any function and take the instruction set of the function they are inlined into.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#include "cpu.hpp"

#if defined(__clang__) || (defined(__GNUC__) && __GNUC__ >= 12)
#define VECTA_VECTOR_EXT 1
#define VECTA_ALWAYS_INLINE inline __attribute__((always_inline))
/// Marks the generic lambda given to dispatch_width (after its parameter list).
#define VECTA_LAMBDA_INLINE __attribute__((always_inline))
// Vectors cross only always-inline helpers; GCC's note that passing AVX vectors without AVX
// enabled changes the ABI does not apply (nothing crosses a call boundary).
#define VECTA_VEC_BEGIN _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpsabi\"")
#define VECTA_VEC_END _Pragma("GCC diagnostic pop")
#else
#define VECTA_VECTOR_EXT 0
#define VECTA_ALWAYS_INLINE inline
#define VECTA_LAMBDA_INLINE
#define VECTA_VEC_BEGIN
#define VECTA_VEC_END
#endif

namespace vecta::detail {

/// Vector width in bytes of the dispatched kernels at a level: 64 (avx512), 32 (avx2), 16 (sse2,
/// neon), 0 (scalar, and every level where vector extensions are missing); on x86 only with
/// GCC / Clang target attributes (VECTA_X86_DISPATCH) are 32 and 64 available.
constexpr int level_bytes(simd::level l) noexcept {
#if VECTA_VECTOR_EXT && VECTA_X86_DISPATCH
    return l == simd::level::avx512 ? 64 : l == simd::level::avx2 ? 32 : l == simd::level::scalar ? 0 : 16;
#elif VECTA_VECTOR_EXT
    return l == simd::level::scalar ? 0 : 16;
#else
    (void)l;
    return 0;
#endif
}

/// The width a dispatched kernel body is called with: B bytes (64, 32, 16; 0 = the scalar loops).
template <int B>
using width_t = std::integral_constant<int, B>;

// The scalar loops (width 0) are the same code in every build: GCC's auto-vectorizer is off in
// the one function they run in, so `-march=native` cannot turn simd::scalar into AVX-512 code
// and a default build cannot turn it into SSE2 (it did both before: the scalar Sobel x/y row
// ran 1.6x faster in a native build). Clang has no per-function switch; its scalar loops follow
// the compiler flags.
#if defined(__GNUC__) && !defined(__clang__)
#define VECTA_SCALAR_LOOPS __attribute__((noinline, optimize("no-tree-vectorize")))
#elif defined(__clang__)
#define VECTA_SCALAR_LOOPS __attribute__((noinline))
#else
#define VECTA_SCALAR_LOOPS
#endif
template <class F>
VECTA_SCALAR_LOOPS decltype(auto) dispatch_scalar(F& body) {
    return body(width_t<0>{});
}

#if VECTA_VECTOR_EXT && VECTA_X86_DISPATCH
template <class F>
VECTA_TARGET_AVX2 decltype(auto) dispatch_avx2(F& body) {
    return body(width_t<32>{});
}
template <class F>
VECTA_TARGET_AVX512 decltype(auto) dispatch_avx512(F& body) {
    return body(width_t<64>{});
}
#endif

/// The one width switch of the dispatched kernels: body(width_t<B>{}) for the largest available
/// B <= bytes (64, 32, 16; 0 = the scalar loops). B = 64 and 32 run inside a function compiled
/// with VECTA_TARGET_AVX512 / VECTA_TARGET_AVX2 (one per body type), 0 inside one with GCC's
/// auto-vectorizer off (dispatch_scalar), 16 in the caller. The
/// body is a generic lambda marked VECTA_LAMBDA_INLINE that calls the always-inline kernel of
/// width B, so that both are inlined into the target function and compiled for its instruction
/// set. B = 64 and 32 exist only on x86 with GCC / Clang, 16 only with vector extensions; a
/// width above what the CPU has must not be asked for (callers cap it: level_bytes of
/// simd::max_level() or of a policy's level).
template <class F>
VECTA_ALWAYS_INLINE decltype(auto) dispatch_bytes(int bytes, F&& body) {
#if VECTA_VECTOR_EXT
#if VECTA_X86_DISPATCH
    if (bytes >= 64) return dispatch_avx512(body);
    if (bytes >= 32) return dispatch_avx2(body);
#endif
    if (bytes >= 16) return body(width_t<16>{});
#endif
    (void)bytes;
    return dispatch_scalar(body);
}

/// dispatch_bytes at a level: body(width_t<level_bytes(l)>{}), e.g.
///     dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE { return kernel<w()>(...); });
template <class F>
VECTA_ALWAYS_INLINE decltype(auto) dispatch_width(simd::level l, F&& body) {
    return dispatch_bytes(level_bytes(l), std::forward<F>(body));
}

#if VECTA_VECTOR_EXT
template <class T, int Bytes>
struct vector_type {
    typedef T type __attribute__((vector_size(Bytes)));
};
/// A GCC/Clang vector of Bytes bytes of T.
template <class T, int Bytes>
using vec = typename vector_type<T, Bytes>::type;

VECTA_VEC_BEGIN
template <class V, class T>
VECTA_ALWAYS_INLINE V vload(const T* p) noexcept {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class V, class T>
VECTA_ALWAYS_INLINE void vstore(T* p, const V& v) noexcept {
    std::memcpy(p, &v, sizeof v);
}

/// acc = x * y + acc, rounded once on the 32- and 64-byte widths (FMA: avx2 and avx512 levels),
/// twice (a multiply, then an add) on 16 bytes (SSE2 has no FMA; NEON is kept alike so that the
/// 16-byte level gives the scalar loop's bits). GCC expands the x86 builtins in the target
/// function the helper is inlined into; Clang fuses the contractable a * b + c there. (Vectors
/// by reference: GCC warns about the ABI of wide vectors passed by value at the end of the
/// translation unit, outside any diagnostic pragma.)
template <class V>
VECTA_ALWAYS_INLINE void vfma(V& acc, const V& x, const V& y) noexcept {
    if constexpr (sizeof(V) == 16) {
        acc = x * y + acc;
    } else {
#if defined(__clang__)
#pragma clang fp contract(fast)
        acc = x * y + acc;
#elif VECTA_X86_DISPATCH
        using T = std::remove_cvref_t<decltype(x[0])>;
        if constexpr (sizeof(V) == 64 && std::is_same_v<T, float>)
            acc = __builtin_ia32_vfmaddps512_mask(x, y, acc, static_cast<__mmask16>(-1), 4);
        else if constexpr (sizeof(V) == 64)
            acc = __builtin_ia32_vfmaddpd512_mask(x, y, acc, static_cast<__mmask8>(-1), 4);
        else if constexpr (std::is_same_v<T, float>)
            acc = __builtin_ia32_vfmaddps256(x, y, acc);
        else
            acc = __builtin_ia32_vfmaddpd256(x, y, acc);
#else
        acc = x * y + acc;
#endif
    }
}

/// acc = acc + |x| lane by lane (x's sign bit cleared), float or double vectors.
template <class V>
VECTA_ALWAYS_INLINE void vadd_abs(V& acc, const V& x) noexcept {
    using T = std::remove_cvref_t<decltype(x[0])>;
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    using VU = vec<U, int(sizeof(V))>;
    acc = acc + (V)((VU)x & (~U(0) >> 1));
}

/// r = m ? a : b lane by lane, for a mask m from a vector comparison (all ones or all zeros per
/// lane, an integer vector of the lanes' width). r may be a or b.
template <class V, class M>
VECTA_ALWAYS_INLINE void vselect(V& r, const M& m, const V& a, const V& b) noexcept {
    r = (V)(((M)a & m) | ((M)b & ~m));
}

/// r = sqrt(x) lane by lane for a float or double vector (correctly rounded, as std::sqrt): the
/// SSE / AVX / AVX-512 square-root instruction of the width on GCC x86, Clang's elementwise
/// builtin, else lane by lane.
template <class V>
VECTA_ALWAYS_INLINE void vsqrt(V& r, const V& x) noexcept {
    using T = std::remove_cvref_t<decltype(x[0])>;
#if defined(__clang__) && __has_builtin(__builtin_elementwise_sqrt)
    r = __builtin_elementwise_sqrt(x);
#elif VECTA_X86_DISPATCH && !defined(__clang__)
    if constexpr (sizeof(V) == 64 && std::is_same_v<T, float>)
        r = __builtin_ia32_sqrtps512_mask(x, x, static_cast<__mmask16>(-1), 4);
    else if constexpr (sizeof(V) == 64)
        r = __builtin_ia32_sqrtpd512_mask(x, x, static_cast<__mmask8>(-1), 4);
    else if constexpr (sizeof(V) == 32 && std::is_same_v<T, float>)
        r = __builtin_ia32_sqrtps256(x);
    else if constexpr (sizeof(V) == 32)
        r = __builtin_ia32_sqrtpd256(x);
    else if constexpr (std::is_same_v<T, float>)
        r = __builtin_ia32_sqrtps(x);
    else
        r = __builtin_ia32_sqrtpd(x);
#else
    for (std::size_t i = 0; i < sizeof(V) / sizeof(T); ++i) r[i] = std::sqrt(x[i]);
#endif
}

/// True when any lane of a comparison mask m is set (an OR reduction of its halves).
template <class M>
VECTA_ALWAYS_INLINE bool vany(const M& m) noexcept {
    if constexpr (sizeof(M) <= 16) {
        std::uint64_t h[2] = {0, 0};
        std::memcpy(h, &m, sizeof m);
        return (h[0] | h[1]) != 0;
    } else {
        using H = vec<std::uint64_t, int(sizeof(M)) / 2>;
        H lo, hi;
        std::memcpy(&lo, &m, sizeof lo);
        std::memcpy(&hi, reinterpret_cast<const unsigned char*>(&m) + sizeof lo, sizeof hi);
        const H r = lo | hi;
        return vany(r);
    }
}
VECTA_VEC_END
#endif

}  // namespace vecta::detail
