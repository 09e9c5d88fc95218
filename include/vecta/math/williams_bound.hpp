// SPDX-License-Identifier: MIT
// vecta/math/williams_bound.hpp - the sqrt(t) log2(t) space bound used for batch sizing.
//
// R. Williams, "Simulating Time With Square-Root Space" (STOC 2025) proves that every multitape
// Turing machine running in time t can be simulated in space O(sqrt(t log t)). The frame pipeline
// vecta grew from sized its batches with the related quantity sqrt(t) * log2(t). Both functions
// below are HEURISTICS for choosing batch sizes: neither is a consequence of the theorem for a
// particular program (the theorem is asymptotic, hides constants and is about Turing machines).
//
//   space_bound(t)         = sqrt(t) * log2(t)          (1 for 0 <= t <= 1)
//   sqrt_t_log_t_bound(t)  = sqrt(t * log2(t))          (1 for 0 <= t <= 1; the bound actually proved)
//   efficiency(t)          = t / space_bound(t)
//   space_saved(t)         = (t - space_bound(t)) / t * 100   percent; negative for 4 < t < 16,
//                            where the bound exceeds t (documented, not hidden)
// t is a running time (a count of steps): NaN and negative t are refused (invalid_argument naming
// t), as the Python functions do (they refused them first: efficiency(-5) was -5).
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
#include "../core/vec.hpp"

namespace vecta::williams {

namespace detail {

inline void check_t(double t, const char* fn, const char* arg = "t") {
    vecta::detail::require(!std::isnan(t), fn, arg, "must not be NaN");
    vecta::detail::require(t >= 0.0, fn, arg, "must be >= 0");
}

inline double space_bound_unchecked(double t) noexcept { return t <= 1.0 ? 1.0 : std::sqrt(t) * std::log2(t); }
inline double sqrt_t_log_t_unchecked(double t) noexcept { return t <= 1.0 ? 1.0 : std::sqrt(t * std::log2(t)); }

enum class bound_kind { space_bound, sqrt_t_log_t };

/// out[i] = bound(t[i]) for i < n with std::sqrt and std::log2 (the single-value functions'
/// arithmetic); returns true when some t[i] is NaN or negative.
template <bound_kind Kind>
bool bound_scalar(const double* t, double* out, std::size_t n) noexcept {
    bool nan = false;
    for (std::size_t i = 0; i < n; ++i) {
        nan = nan || !(t[i] >= 0.0);
        out[i] = Kind == bound_kind::space_bound ? space_bound_unchecked(t[i]) : sqrt_t_log_t_unchecked(t[i]);
    }
    return nan;
}

#if VECTA_VECTOR_EXT
using vecta::detail::vany;
using vecta::detail::vec;
using vecta::detail::vload;
using vecta::detail::vselect;
using vecta::detail::vsqrt;
using vecta::detail::vstore;

VECTA_VEC_BEGIN
/// The bound of one vector of B bytes (B / 8 doubles) with its own log2, the same operations at
/// every B, so every vector level gives the same bits. x = 2^e m with m in (sqrt(1/2), sqrt(2)]
/// from the bits (only x > 1 and +inf reach it; other lanes are replaced by 2 and masked), and
/// log(m) = log(1 + f) = 2 atanh(s), s = f / (2 + f), |s| < 0.1716, written as
/// f - (f^2/2 - s (f^2/2 + R)) with R = sum_k 2 s^2k / (2k + 1), k = 1..9 (the atanh series,
/// e.g. J.-M. Muller, "Elementary Functions", 3rd ed., ch. 11; its first omitted term is below
/// 2^-55 of the result); log2 x = e + log(m) / ln 2. Then sqrt (correctly rounded, vsqrt) and
/// one multiply. Measured against a long double reference: within 4 ulp (tests).
template <bound_kind Kind, int B>
VECTA_ALWAYS_INLINE void bound_vec1(const double* t, double* out, vec<std::int64_t, B>& nan) noexcept {
    using V = vec<double, B>;
    using I = vec<std::int64_t, B>;
    using U = vec<std::uint64_t, B>;
    const V x = vload<V>(t);
    nan |= ~(I)(x >= 0.0);  // NaN or negative
    const I le1 = (I)(x <= 1.0);
    V xs;
    vselect(xs, le1, V{} + 2.0, x);
    const U bits = (U)xs;
    const U ebits = bits >> 52;
    V m = (V)((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);  // [1, 2)
    const I big = (I)(m > 1.4142135623730951);
    vselect(m, big, m * 0.5, m);
    // The exponent as a double, exactly: 2^52 + ebits from the bits, minus 2^52 and the bias.
    V e = (V)(ebits | 0x4330000000000000ull) - 0x1p52;
    e = (e - 1023.0) + (V)((U)(V{} + 1.0) & (U)big);
    const V f = m - 1.0;  // exact (Sterbenz)
    const V s = f / (f + 2.0), z = s * s;
    V r = V{} + 2.0 / 19;
    r = r * z + 2.0 / 17;
    r = r * z + 2.0 / 15;
    r = r * z + 2.0 / 13;
    r = r * z + 2.0 / 11;
    r = r * z + 2.0 / 9;
    r = r * z + 2.0 / 7;
    r = r * z + 2.0 / 5;
    r = r * z + 2.0 / 3;
    r = r * z;
    const V hfsq = 0.5 * f * f;
    const V lg = f - (hfsq - s * (hfsq + r));
    const V l2 = e + lg * 1.4426950408889634;  // 1 / ln 2
    V res;
    if constexpr (Kind == bound_kind::space_bound) {
        V sq;
        vsqrt(sq, xs);
        res = sq * l2;
    } else {
        vsqrt(res, xs * l2);
    }
    vselect(res, le1, V{} + 1.0, res);
    vstore(out, res);
}

/// bound_vec1 over n values; the last partial vector is padded with 2 (results discarded), so a
/// value's result does not depend on its position.
template <bound_kind Kind, int B>
VECTA_ALWAYS_INLINE bool bound_vec(const double* t, double* out, std::size_t n) noexcept {
    constexpr std::size_t W = B / sizeof(double);
    vec<std::int64_t, B> nan{};
    std::size_t i = 0;
    for (; i + W <= n; i += W) bound_vec1<Kind, B>(t + i, out + i, nan);
    if (i < n) {
        double in[W], res[W];
        for (std::size_t j = 0; j < W; ++j) in[j] = i + j < n ? t[i + j] : 2.0;
        bound_vec1<Kind, B>(in, res, nan);
        for (std::size_t j = 0; i + j < n; ++j) out[i + j] = res[j];
    }
    return vany(nan);
}
VECTA_VEC_END
#endif

/// out[i] = bound(t[i]) for i < n at SIMD level l (run-time dispatch, core/vec.hpp): the vector
/// kernel at every vector level (identical bits at sse2, neon, avx2, avx512; within 4 ulp of the
/// scalar loop), the std::sqrt / std::log2 loop at level scalar. Returns true when some t[i] is NaN
/// or negative.
template <bound_kind Kind>
bool bound_kernel(simd::level l, const double* t, double* out, std::size_t n) noexcept {
    return vecta::detail::dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) return bound_vec<Kind, w()>(t, out, n);
#endif
        return bound_scalar<Kind>(t, out, n);
    });
}

template <bound_kind Kind, class Policy>
void batched(const Policy& policy, std::span<const double> t, std::span<double> out, const char* fn) {
    vecta::detail::require(out.size() == t.size(), fn, "out", "must have the size of t");
    constexpr std::size_t block = 1 << 14;
    const std::size_t blocks = (t.size() + block - 1) / block;
    std::vector<unsigned char> nan(blocks, 0);
    const simd::level lvl = vecta::detail::policy_level(policy);
    vecta::detail::parallel_for(policy, t.size(), block, [&](std::size_t b, std::size_t e) {
        nan[b / block] = bound_kernel<Kind>(lvl, t.data() + b, out.data() + b, e - b);
    });
    for (unsigned char x : nan) vecta::detail::require(!x, fn, "t", "must not contain NaN or negative values");
}

}  // namespace detail

/// sqrt(t) * log2(t), the batch-sizing heuristic; 1 for 0 <= t <= 1; +inf for t = +inf. O(1).
/// Throws vecta::invalid_argument ("t") for NaN or t < 0 (-0 is 0).
/// space_bound(100) = 66.438562, space_bound(1000) = 315.145770, space_bound(10000) = 1328.771238.
inline double space_bound(double t) {
    detail::check_t(t, "vecta::williams::space_bound");
    return detail::space_bound_unchecked(t);
}

/// sqrt(t * log2(t)): the O(sqrt(t log t)) space bound proved by R. Williams, "Simulating Time
/// With Square-Root Space" (STOC 2025), without its hidden constant; 1 for 0 <= t <= 1. Like
/// space_bound it is only a heuristic for batch sizes here. O(1). Throws vecta::invalid_argument
/// ("t") for NaN or t < 0.
inline double sqrt_t_log_t_bound(double t) {
    detail::check_t(t, "vecta::williams::sqrt_t_log_t_bound");
    return detail::sqrt_t_log_t_unchecked(t);
}

/// t / space_bound(t): how many items per unit of bound (equals t for 0 <= t <= 1). O(1).
/// +inf for t = +inf (the limit; inf / inf would be NaN).
/// Throws vecta::invalid_argument ("t") for NaN or t < 0. efficiency(100) = 1.505150.
inline double efficiency(double t) {
    detail::check_t(t, "vecta::williams::efficiency");
    if (std::isinf(t) && t > 0) return t;
    return t / detail::space_bound_unchecked(t);
}

/// (t - space_bound(t)) / t * 100, in percent. Negative where the bound exceeds t: for
/// 4 < t < 16 (sqrt(t) log2(t) > t there) and for 0 < t < 1 (the bound is 1: (t - 1) / t * 100,
/// down to about -DBL_MAX); 0 at t = 1, 4, 16; 100 for t = +inf (the limit). O(1).
/// Throws vecta::invalid_argument ("t") for NaN, t <= 0 (undefined) and 0 < t < 100 / DBL_MAX
/// (about 5.56e-307), whose percentage does not fit a double (it was -inf).
/// space_saved(100) = 33.561438, space_saved(10000) = 86.712288.
inline double space_saved(double t) {
    constexpr const char* fn = "vecta::williams::space_saved";
    vecta::detail::require(!std::isnan(t), fn, "t", "must not be NaN");
    vecta::detail::require(t > 0.0, fn, "t", "must be > 0");
    if (std::isinf(t)) return 100.0;  // (inf - inf) / inf would be NaN
    const double r = (t - detail::space_bound_unchecked(t)) / t * 100.0;
    vecta::detail::require(std::isfinite(r), fn, "t",
                           "must be >= 100 / DBL_MAX (about 5.56e-307): the percentage of a smaller t overflows");
    return r;
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

/// 0.85 + 0.15 * min(efficiency(n) / 10, 1); 0.85 for 0 <= n <= 1, 1 for n = +inf. Ranges over
/// [0.85, 1]. O(1). Throws vecta::invalid_argument ("n") for NaN or n < 0.
inline double confidence_multiplier(double n) {
    detail::check_t(n, "vecta::williams::confidence_multiplier", "n");
    if (n <= 1.0) return 0.85;
    if (std::isinf(n)) return 1.0;
    return 0.85 + 0.15 * std::min(n / detail::space_bound_unchecked(n) / 10.0, 1.0);
}

/// min(1, base * confidence_multiplier(n)). O(1). Throws vecta::invalid_argument for base NaN or
/// outside [0, 1] ("base") or n NaN or negative ("n").
inline double enhance_confidence(double base, double n) {
    vecta::detail::require(base >= 0.0 && base <= 1.0, "vecta::williams::enhance_confidence", "base",
                           "must be in [0, 1]");
    detail::check_t(n, "vecta::williams::enhance_confidence", "n");
    return std::min(1.0, base * confidence_multiplier(n));
}

/// Batched space_bound: out[i] = space_bound(t[i]) for spans of equal size, split into blocks under
/// vecta::par. Dispatched at run time (core/cpu.hpp: the policy's level, VECTA_SIMD_LEVEL caps
/// it): every vector level (sse2, neon, avx2, avx512) runs one vector log2 and gives the same
/// bits, within 4 ulp of the single-value space_bound; `vecta::seq | vecta::simd::scalar` runs
/// the single-value function's exact arithmetic (std::sqrt, std::log2). seq and par agree. O(n).
/// Throws vecta::invalid_argument when out.size() != t.size() ("out") or some t[i] is NaN or
/// negative ("t"; out is then partly written).
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
