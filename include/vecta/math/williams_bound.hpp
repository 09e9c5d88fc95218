// SPDX-License-Identifier: MIT
// vecta/math/williams_bound.hpp - the sqrt(t) log2(t) space bound used for batch sizing.
//
// R. Williams, "Simulating Time With Square-Root Space" (STOC 2025) proves that every multitape
// Turing machine running in time t can be simulated in space O(sqrt(t log t)). The frame pipeline
// vecta grew from sized its batches with the related quantity sqrt(t) * log2(t). Both functions
// below are HEURISTICS for choosing batch sizes: neither is a consequence of the theorem for a
// particular program (the theorem is asymptotic, hides constants and is about Turing machines).
//
//   space_bound(t)         = sqrt(t) * log2(t)          (1 for t <= 1)
//   sqrt_t_log_t_bound(t)  = sqrt(t * log2(t))          (1 for t <= 1; the bound actually proved)
//   efficiency(t)          = t / space_bound(t)
//   space_saved(t)         = (t - space_bound(t)) / t * 100   percent; negative for 4 < t < 16,
//                            where the bound exceeds t (documented, not hidden)
//
// Published values (kept to 1e-6 by the tests):
//   t = 100:   space_bound 66.438562,   efficiency 1.505150, space_saved 33.561438 %
//   t = 10000: space_bound 1328.771238, efficiency 7.525750, space_saved 86.712288 %
//   t = 1000:  space_bound 315.145770,  efficiency 3.173135, space_saved 68.485423 %
// The value 315.228787 that circulated for t = 1000 with the original code does not follow from
// its own formula (sqrt(1000) * log2(1000) = 31.6227766 * 9.9657843 = 315.145770); vecta follows
// the formula.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/simd.hpp"

namespace vecta::williams {

namespace detail {

inline void check_t(double t, const char* fn, const char* arg = "t") {
    vecta::detail::require(!std::isnan(t), fn, arg, "must not be NaN");
}

inline double space_bound_unchecked(double t) noexcept { return t <= 1.0 ? 1.0 : std::sqrt(t) * std::log2(t); }
inline double sqrt_t_log_t_unchecked(double t) noexcept { return t <= 1.0 ? 1.0 : std::sqrt(t * std::log2(t)); }

enum class bound_kind { space_bound, sqrt_t_log_t };

/// out[i] = bound(t[i]) over [begin, end); returns true when some t[i] is NaN.
template <bound_kind Kind>
struct bound_kernel {
    template <class Arch>
    bool operator()(Arch, const double* t, double* out, std::size_t n) const noexcept {
        using B = xsimd::batch<double, Arch>;
        constexpr std::size_t N = B::size;
        // With 2 lanes (SSE2, NEON) xsimd's log2 is slower than the C library's (measured in W8):
        // the scalar loop is used there.
        if constexpr (N < 4) return (*this)(simd::scalar, t, out, n);
        const B one(1.0);
        auto nan = (B(0.0) != B(0.0));  // all false
        std::size_t i = 0;
        for (; i + N <= n; i += N) {
            const B x = B::load_unaligned(t + i);
            nan = nan | xsimd::isnan(x);  // not x != x: xsimd 8.1 compares ordered on AVX-512
            B r;
            if constexpr (Kind == bound_kind::space_bound)
                r = xsimd::sqrt(x) * xsimd::log2(x);
            else
                r = xsimd::sqrt(x * xsimd::log2(x));
            xsimd::select(x <= one, one, r).store_unaligned(out + i);
        }
        return (*this)(simd::scalar, t + i, out + i, n - i) || xsimd::any(nan);
    }
    bool operator()(simd::scalar_t, const double* t, double* out, std::size_t n) const noexcept {
        bool nan = false;
        for (std::size_t i = 0; i < n; ++i) {
            nan = nan || std::isnan(t[i]);
            out[i] = Kind == bound_kind::space_bound ? space_bound_unchecked(t[i]) : sqrt_t_log_t_unchecked(t[i]);
        }
        return nan;
    }
};

template <bound_kind Kind, class Policy>
void batched(const Policy& policy, std::span<const double> t, std::span<double> out, const char* fn) {
    vecta::detail::require(out.size() == t.size(), fn, "out", "must have the size of t");
    constexpr std::size_t block = 1 << 14;
    const std::size_t blocks = (t.size() + block - 1) / block;
    std::vector<unsigned char> nan(blocks, 0);
    vecta::detail::parallel_for(policy, t.size(), block, [&](std::size_t b, std::size_t e) {
        nan[b / block] = vecta::detail::simd_invoke(policy, bound_kernel<Kind>{}, t.data() + b, out.data() + b, e - b);
    });
    for (unsigned char x : nan) vecta::detail::require(!x, fn, "t", "must not contain NaN");
}

}  // namespace detail

/// sqrt(t) * log2(t), the batch-sizing heuristic; 1 for t <= 1 (including negative t and -inf);
/// +inf for t = +inf. O(1). Throws vecta::invalid_argument ("t") for NaN.
/// space_bound(100) = 66.438562, space_bound(1000) = 315.145770, space_bound(10000) = 1328.771238.
inline double space_bound(double t) {
    detail::check_t(t, "vecta::williams::space_bound");
    return detail::space_bound_unchecked(t);
}

/// sqrt(t * log2(t)): the O(sqrt(t log t)) space bound proved by R. Williams, "Simulating Time
/// With Square-Root Space" (STOC 2025), without its hidden constant; 1 for t <= 1. Like
/// space_bound it is only a heuristic for batch sizes here. O(1). Throws vecta::invalid_argument
/// ("t") for NaN.
inline double sqrt_t_log_t_bound(double t) {
    detail::check_t(t, "vecta::williams::sqrt_t_log_t_bound");
    return detail::sqrt_t_log_t_unchecked(t);
}

/// t / space_bound(t): how many items per unit of bound (equals t for t <= 1). O(1).
/// +inf for t = +inf (the limit; inf / inf would be NaN).
/// Throws vecta::invalid_argument ("t") for NaN. efficiency(100) = 1.505150.
inline double efficiency(double t) {
    detail::check_t(t, "vecta::williams::efficiency");
    if (std::isinf(t) && t > 0) return t;
    return t / detail::space_bound_unchecked(t);
}

/// (t - space_bound(t)) / t * 100, in percent. Negative where the bound exceeds t: for
/// 4 < t < 16 (sqrt(t) log2(t) > t there) and for 0 < t < 1 (the bound is 1); 0 at t = 1, 4, 16.
/// O(1). Throws vecta::invalid_argument ("t") for NaN or t <= 0 (undefined).
/// space_saved(100) = 33.561438, space_saved(10000) = 86.712288.
inline double space_saved(double t) {
    detail::check_t(t, "vecta::williams::space_saved");
    vecta::detail::require(t > 0.0, "vecta::williams::space_saved", "t", "must be > 0");
    return (t - detail::space_bound_unchecked(t)) / t * 100.0;
}

/// Batch size for n items: floor(space_bound(n)) clamped to [1, n]. O(1).
/// Throws vecta::invalid_argument ("n") for n = 0.
inline std::size_t batch_size(std::size_t n) {
    vecta::detail::require(n >= 1, "vecta::williams::batch_size", "n", "must be >= 1");
    const double b = std::floor(detail::space_bound_unchecked(static_cast<double>(n)));
    if (!(b < static_cast<double>(n))) return n;  // also covers b >= 2^64
    return std::max<std::size_t>(1, static_cast<std::size_t>(b));
}

/// Memory-aware batch size: min(batch_size(n), max(1, budget_bytes / item_bytes)). O(1).
/// Throws vecta::invalid_argument for n = 0 ("n"), budget_bytes = 0 ("budget_bytes") or
/// item_bytes = 0 ("item_bytes").
inline std::size_t batch_size(std::size_t n, std::size_t budget_bytes, std::size_t item_bytes) {
    vecta::detail::require(budget_bytes >= 1, "vecta::williams::batch_size", "budget_bytes", "must be >= 1");
    vecta::detail::require(item_bytes >= 1, "vecta::williams::batch_size", "item_bytes", "must be >= 1");
    const std::size_t by_memory = std::max<std::size_t>(1, budget_bytes / item_bytes);
    return std::min(batch_size(n), by_memory);
}

/// 0.85 + 0.15 * min(efficiency(n) / 10, 1); 0.85 for n <= 1, 1 for n = +inf. Ranges over
/// [0.85, 1]. O(1). Throws vecta::invalid_argument ("n") for NaN.
inline double confidence_multiplier(double n) {
    detail::check_t(n, "vecta::williams::confidence_multiplier", "n");
    if (n <= 1.0) return 0.85;
    if (std::isinf(n)) return 1.0;
    return 0.85 + 0.15 * std::min(n / detail::space_bound_unchecked(n) / 10.0, 1.0);
}

/// min(1, base * confidence_multiplier(n)). O(1). Throws vecta::invalid_argument for base NaN or
/// outside [0, 1] ("base") or n NaN ("n").
inline double enhance_confidence(double base, double n) {
    vecta::detail::require(base >= 0.0 && base <= 1.0, "vecta::williams::enhance_confidence", "base",
                           "must be in [0, 1]");
    vecta::detail::require(!std::isnan(n), "vecta::williams::enhance_confidence", "n", "must not be NaN");
    return std::min(1.0, base * confidence_multiplier(n));
}

/// Batched space_bound: out[i] = space_bound(t[i]) for spans of equal size, vectorized with xsimd
/// (`vecta::seq | vecta::simd::scalar` runs the scalar function's exact arithmetic; the SIMD path,
/// taken for 4 or more lanes (AVX2, AVX-512), uses xsimd's sqrt/log2 and agrees within 4 ulp), split
/// into blocks under vecta::par. O(n).
/// Throws vecta::invalid_argument when out.size() != t.size() ("out") or some t[i] is NaN ("t";
/// out is then partly written).
template <execution_policy Policy>
void space_bound(const Policy& policy, std::span<const double> t, std::span<double> out) {
    detail::batched<detail::bound_kind::space_bound>(policy, t, out, "vecta::williams::space_bound");
}
inline void space_bound(std::span<const double> t, std::span<double> out) { space_bound(seq, t, out); }

/// Batched sqrt_t_log_t_bound, with the same contract as the batched space_bound.
template <execution_policy Policy>
void sqrt_t_log_t_bound(const Policy& policy, std::span<const double> t, std::span<double> out) {
    detail::batched<detail::bound_kind::sqrt_t_log_t>(policy, t, out, "vecta::williams::sqrt_t_log_t_bound");
}
inline void sqrt_t_log_t_bound(std::span<const double> t, std::span<double> out) { sqrt_t_log_t_bound(seq, t, out); }

}  // namespace vecta::williams
