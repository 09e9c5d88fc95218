// SPDX-License-Identifier: MIT
// vecta/core/cpu.hpp - the run-time SIMD level: the one CPU check of vecta, its cap, and the
// target attributes the dispatched kernels are compiled with.
//
// A header-only library cannot rely on -march: a default build targets the x86-64 baseline
// (SSE2). Hot kernels are therefore compiled several times in the same translation unit, as
// functions carrying __attribute__((target(...))) (GCC, Clang; the approach of simdjson's single
// header and Highway's dynamic dispatch), and called through the level this header reports:
//   scalar  plain loops
//   sse2    128-bit vectors, the x86-64 baseline (no FMA)
//   avx2    256-bit vectors, AVX2 + FMA (+ BMI1/2, POPCNT)
//   avx512  512-bit vectors, AVX-512 F/BW/VL/DQ (+ the AVX2 set)
//   neon    128-bit vectors on AArch64 (always present there)
// simd::cpu_level() runs CPUID once (with the XGETBV check that the OS saves the AVX / AVX-512
// register state), cached in a function-local static. When the compiler already targets the
// widest level (-march=native on an AVX-512 machine: __AVX512F__ ... defined) it returns that
// level without a check. simd::max_level() is cpu_level() capped by the environment variable
// VECTA_SIMD_LEVEL (scalar, sse2, neon, avx2 or avx512; read once; other values are ignored)
// and by simd::set_level_cap (a test hook, process-wide).
#pragma once

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string_view>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>  // declares the x86 builtins the dispatched kernels use (GCC)
#define VECTA_X86_DISPATCH 1
/// Target attributes of the dispatched kernels (GCC, Clang).
#define VECTA_TARGET_AVX2 __attribute__((target("avx2,fma,bmi,bmi2,popcnt")))
#define VECTA_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,bmi,bmi2,popcnt")))
#else
#define VECTA_X86_DISPATCH 0
#endif

namespace vecta::simd {

/// Instruction-set levels of the dispatched kernels (see the header comment).
enum class level : unsigned char { scalar, sse2, neon, avx2, avx512 };

/// Rank for capping: scalar 0, sse2 / neon 1, avx2 2, avx512 3.
constexpr int rank(level l) noexcept {
    return l == level::scalar ? 0 : l == level::sse2 || l == level::neon ? 1 : l == level::avx2 ? 2 : 3;
}

/// The level's name: "scalar", "sse2", "neon", "avx2", "avx512".
constexpr std::string_view name(level l) noexcept {
    switch (l) {
        case level::scalar: return "scalar";
        case level::sse2: return "sse2";
        case level::neon: return "neon";
        case level::avx2: return "avx2";
        case level::avx512: break;
    }
    return "avx512";
}

/// The level the compiler targets (from -march: __AVX512F__, __AVX2__, __SSE2__, __ARM_NEON).
constexpr level compiled_level() noexcept {
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__) && defined(__FMA__)
    return level::avx512;
#elif defined(__AVX2__) && defined(__FMA__)
    return level::avx2;
#elif defined(__SSE2__) || defined(_M_X64)
    return level::sse2;
#elif defined(__aarch64__) && defined(__ARM_NEON)
    return level::neon;
#else
    return level::scalar;
#endif
}

}  // namespace vecta::simd

namespace vecta::detail {

#if VECTA_X86_DISPATCH
/// CPUID + XGETBV: the widest level the CPU and the OS support.
inline simd::level detect_x86() noexcept {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return simd::level::sse2;
    const bool osxsave = c & (1u << 27), avx = c & (1u << 28), fma = c & (1u << 12), popcnt = c & (1u << 23);
    if (!(osxsave && avx && fma && popcnt)) return simd::level::sse2;
    unsigned xlo = 0, xhi = 0;
    __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
    if ((xlo & 0x6u) != 0x6u) return simd::level::sse2;  // XMM and YMM state saved by the OS
    if (__get_cpuid_max(0, nullptr) < 7) return simd::level::sse2;
    __cpuid_count(7, 0, a, b, c, d);
    const bool avx2 = b & (1u << 5), bmi1 = b & (1u << 3), bmi2 = b & (1u << 8);
    if (!(avx2 && bmi1 && bmi2)) return simd::level::sse2;
    const bool f = b & (1u << 16), dq = b & (1u << 17), bw = b & (1u << 30), vl = b & (1u << 31);
    if (f && dq && bw && vl && (xlo & 0xE6u) == 0xE6u) return simd::level::avx512;  // + opmask, ZMM state
    return simd::level::avx2;
}
#endif

/// The cap from VECTA_SIMD_LEVEL, or avx512 (no cap) when unset or unknown.
inline simd::level env_cap() noexcept {
    const char* v = std::getenv("VECTA_SIMD_LEVEL");
    const std::string_view s = v ? v : "";
    for (simd::level l :
         {simd::level::scalar, simd::level::sse2, simd::level::neon, simd::level::avx2, simd::level::avx512})
        if (s == simd::name(l)) return l;
    return simd::level::avx512;
}

inline std::atomic<int>& cap_rank() noexcept {
    static std::atomic<int> r{simd::rank(env_cap())};
    return r;
}

/// max_level() + 1, or 0 until computed (constant-initialized: no guard variable, so the level
/// check of a per-key call such as split_block_bloom_filter::contains is one load and compare).
inline std::atomic<int> max_level_cache{0};
/// rank(max_level()) + 1, or 0 until computed (simd::reaches).
inline std::atomic<int> max_rank_cache{0};

/// Computes max_level() (cpu_level() capped) and caches it; set_level_cap calls it again.
inline int compute_max_level() noexcept;

}  // namespace vecta::detail

namespace vecta::simd {

/// The widest level the running CPU supports (see the header comment). Thread-safe; the check
/// runs once.
inline level cpu_level() noexcept {
#if VECTA_X86_DISPATCH
    if constexpr (compiled_level() == level::avx512) {
        return level::avx512;
    } else {
        static const level l = vecta::detail::detect_x86();
        return rank(l) > rank(compiled_level()) ? l : compiled_level();
    }
#else
    return compiled_level();
#endif
}

/// Caps the level of every dispatched kernel at `l` (process-wide, for tests and benchmarks;
/// VECTA_SIMD_LEVEL sets the initial cap). Returns the previous cap.
inline level set_level_cap(level l) noexcept {
    const int old = vecta::detail::cap_rank().exchange(rank(l), std::memory_order_relaxed);
    vecta::detail::compute_max_level();
    const level all[] = {level::scalar, compiled_level() == level::neon ? level::neon : level::sse2, level::avx2,
                         level::avx512};
    return all[old];
}

/// The level the dispatched kernels run: cpu_level() capped (VECTA_SIMD_LEVEL, set_level_cap).
/// After the first call one relaxed atomic load.
inline level max_level() noexcept {
    int v = vecta::detail::max_level_cache.load(std::memory_order_relaxed);
    if (v == 0) [[unlikely]]
        v = vecta::detail::compute_max_level();
    return static_cast<level>(v - 1);
}

/// True when a build of this compiler and target can run level `l` through dispatch (scalar;
/// the compiled level; on x86 with GCC or Clang also sse2, avx2 and avx512).
constexpr bool dispatchable(level l) noexcept {
    if (l == level::scalar || l == compiled_level()) return true;
#if VECTA_X86_DISPATCH
    return l != level::neon;
#else
    return false;
#endif
}

/// Whether the kernels of level `l` may run: `l` is dispatchable on this target (so neon is
/// never reached on x86, nor sse2 on AArch64) and rank(l) <= rank(max_level()). After the first
/// call one load and compare with no other branch, for per-key calls
/// (split_block_bloom_filter::contains) that cannot amortize a dispatch.
inline bool reaches(level l) noexcept {
    if (!dispatchable(l)) return false;  // constant for a constant l
    const int v = vecta::detail::max_rank_cache.load(std::memory_order_relaxed);
    if (v > rank(l)) [[likely]]
        return true;
    if (v == 0) vecta::detail::compute_max_level();
    return vecta::detail::max_rank_cache.load(std::memory_order_relaxed) > rank(l);
}

}  // namespace vecta::simd

namespace vecta::detail {
inline int compute_max_level() noexcept {
    const simd::level c = simd::cpu_level();
    const int cap = cap_rank().load();
    const simd::level l = simd::rank(c) <= cap ? c
                          : cap <= 0           ? simd::level::scalar
                          : cap == 1           ? (c == simd::level::neon ? simd::level::neon : simd::level::sse2)
                                               : simd::level::avx2;
    const int v = static_cast<int>(l) + 1;
    max_rank_cache.store(simd::rank(l) + 1);
    max_level_cache.store(v);
    // A set_level_cap between the load of the cap and the store: store its level instead.
    return cap_rank().load() == cap ? v : compute_max_level();
}
}  // namespace vecta::detail
