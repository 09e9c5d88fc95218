// SPDX-License-Identifier: MIT
// Runs a check once per fixed xsimd architecture the build enables and once per run-time SIMD
// level the CPU has (core/cpu.hpp), so that SIMD == scalar is tested on every instruction set
// (SSE2 ... AVX-512) in a build with or without -march, not only on the best one.
#pragma once

#include <vecta/core/execution.hpp>
#include <vecta/core/simd.hpp>

namespace vecta::test {

/// Calls f(policy, name) with vecta::seq | vecta::simd::arch<A> for each xsimd architecture A
/// enabled at compile time (XSIMD_WITH_* of xsimd's config), with vecta::seq |
/// vecta::simd::fixed<L> for each run-time level L up to simd::max_level() (the dispatched
/// kernels; VECTA_SIMD_LEVEL caps it), then with plain vecta::seq (native).
template <class F>
void for_each_arch(F&& f) {
    using vecta::seq;
    namespace vs = vecta::simd;
#if XSIMD_WITH_SSE2
    f(seq | vs::arch<xsimd::sse2>, "sse2");
#endif
#if XSIMD_WITH_SSE4_1
    f(seq | vs::arch<xsimd::sse4_1>, "sse4_1");
#endif
#if XSIMD_WITH_SSE4_2
    f(seq | vs::arch<xsimd::sse4_2>, "sse4_2");
#endif
#if XSIMD_WITH_FMA3_SSE
    f(seq | vs::arch<xsimd::fma3<xsimd::sse4_2>>, "fma3<sse4_2>");
#endif
#if XSIMD_WITH_AVX
    f(seq | vs::arch<xsimd::avx>, "avx");
#endif
#if XSIMD_WITH_FMA3_AVX
    f(seq | vs::arch<xsimd::fma3<xsimd::avx>>, "fma3<avx>");
#endif
#if XSIMD_WITH_AVX2
    f(seq | vs::arch<xsimd::avx2>, "avx2");
#endif
#if XSIMD_WITH_FMA3_AVX2
    f(seq | vs::arch<xsimd::fma3<xsimd::avx2>>, "fma3<avx2>");
#endif
#if XSIMD_WITH_AVX512F && !XSIMD_WITH_AVX512BW
    // Only without AVX512BW: xsimd 8 emulates 8/16-bit lanes on avx512f with 256-bit halves,
    // which makes GCC 12 warn (-Wmaybe-uninitialized) inside its own intrinsics headers.
    // Floating-point lanes are the same instructions under avx512bw, tested below.
    f(seq | vs::arch<xsimd::avx512f>, "avx512f");
#endif
#if XSIMD_WITH_AVX512BW
    f(seq | vs::arch<xsimd::avx512bw>, "avx512bw");
#endif
#if XSIMD_WITH_NEON64
    f(seq | vs::arch<xsimd::neon64>, "neon64");
#elif XSIMD_WITH_NEON
    f(seq | vs::arch<xsimd::neon>, "neon");
#endif
    using vs::level;
    const int top = vs::rank(vs::max_level());
    if (top >= 1 && vs::compiled_level() == level::neon) f(seq | vs::fixed<level::neon>, "level neon");
    if (top >= 1 && vs::dispatchable(level::sse2)) f(seq | vs::fixed<level::sse2>, "level sse2");
    if (top >= 2 && vs::dispatchable(level::avx2)) f(seq | vs::fixed<level::avx2>, "level avx2");
    if (top >= 3 && vs::dispatchable(level::avx512)) f(seq | vs::fixed<level::avx512>, "level avx512");
    f(seq, "native");
}

}  // namespace vecta::test
