// SPDX-License-Identifier: MIT
// vecta/similarity/distance.hpp - the five metrics and their kernels for one pair of vectors:
// dot, cosine, squared Euclidean, Euclidean, Manhattan (f32, f64), and int8 dot with int32
// accumulation.
//
// Definitions (shared by every path: pairwise, matrix, top-k, SIMD and scalar):
//   dot(a, b)         = sum a_i b_i
//   cosine(a, b)      = dot(a, b) / (|a| |b|) (norms and division in double), clamped to
//                       [-1, 1]; 0 when a or b is a zero vector. A pair whose sum of squares
//                       overflows or underflows the input type is recomputed with each vector
//                       divided by its largest magnitude (cosine_scaled), so finite vectors of
//                       any scale get their cosine.
//   sqeuclidean(a, b) = sum (a_i - b_i)^2,  euclidean = sqrt(sqeuclidean)
//   manhattan(a, b)   = sum |a_i - b_i|
// NaN inputs give NaN results (IEEE propagation); infinities follow IEEE arithmetic.
// Accumulation is in the input type. The SIMD path (GCC/Clang vector extensions, dispatched at
// run time on the policy's level, core/cpu.hpp: 16, 32 or 64-byte vectors) keeps 2 x lanes
// partial sums and adds them lane by lane at the end; the scalar path sums in index order. Both are recursive
// summations, so |computed - exact| <= n * eps * sum |term_i| (Higham, Accuracy and Stability of Numerical Algorithms,
// 2nd ed., eq. 4.4) with eps = 2^-24 (float) or 2^-53 (double); the tests check this bound against a double (long
// double for f64) reference.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"
#include "fmadd.hpp"

namespace vecta {

/// The similarity / distance metrics. dot and cosine are similarities (higher is better);
/// sqeuclidean, euclidean and manhattan are distances (lower is better).
enum class metric { dot, cosine, sqeuclidean, euclidean, manhattan };

/// True for dot and cosine (ranked highest first), false for the distances (lowest first).
constexpr bool is_similarity(metric m) noexcept { return m == metric::dot || m == metric::cosine; }

constexpr std::string_view to_string(metric m) noexcept {
    switch (m) {
        case metric::dot: return "dot";
        case metric::cosine: return "cosine";
        case metric::sqeuclidean: return "sqeuclidean";
        case metric::euclidean: return "euclidean";
        case metric::manhattan: return "manhattan";
    }
    return "?";
}

namespace detail {

/// The reduction a metric needs: the dot product, the three sums of the cosine, squared
/// differences, absolute differences.
enum class reduction { dot, cos3, l2sq, l1 };

constexpr reduction reduction_of(metric m) noexcept {
    switch (m) {
        case metric::dot: return reduction::dot;
        case metric::cosine: return reduction::cos3;
        case metric::sqeuclidean:
        case metric::euclidean: return reduction::l2sq;
        case metric::manhattan: return reduction::l1;
    }
    return reduction::dot;
}

/// cosine from the dot product and the squared norms (the one definition of the zero case).
/// dot / (sqrt(aa) sqrt(bb)) evaluated in double (no overflow for float; for float inputs x
/// with itself it rounds to exactly 1), clamped to [-1, 1]; 0 when aa or bb is 0.
template <class T>
inline T finish_cosine(T dot, T aa, T bb) noexcept {
    if (aa == T(0) || bb == T(0)) return T(0);
    const double c = double(dot) / (std::sqrt(double(aa)) * std::sqrt(double(bb)));
    return static_cast<T>(c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c));  // NaN passes through
}

// The cosine's rare path. Sums of squares in the input type overflow (float |x| ~ 1e20, double
// 1e155) or underflow (float 1e-23, double 1e-162) for finite vectors, which made cosine(x, x)
// NaN or 0. A squared norm ss is trusted when ss >= 2^40 x the smallest normal number (the
// largest squares did not underflow; the dropped ones are below 2^-40 ss) and finite: then the
// dot product is accurate too (|a.b| <= |a| |b|, products underflow by less than 2^-63 |a| |b|).
// Otherwise the pair is recomputed by cosine_scaled (pairwise) or the row is multiplied by the
// power of two that brings its largest magnitude to [1, 2) before the fast kernels run
// (similarity_matrix, topk: cosine does not depend on a row's scale). The fast paths only compare ss.

/// True when a squared norm summed in T can be used as is (see above); NaN is trusted (NaN in
/// gives NaN out).
template <class T>
inline bool cosine_norm_trusted(T ss) noexcept {
    constexpr T tiny = sizeof(T) == 4 ? T(0x1p-86) : T(0x1p-982);
    return !(ss < tiny) && ss != std::numeric_limits<T>::infinity();
}

/// max |x_i| of n values, NaN when one is NaN. O(n).
template <class T>
inline T max_abs(const T* x, std::size_t n) noexcept {
    T m(0);
    for (std::size_t i = 0; i < n; ++i) {
        const T a = std::abs(x[i]);
        m = (a > m || a != a) ? a : m;
        if (a != a) break;
    }
    return m;
}

/// The norm of x in double for cosine from ss = sum x_i^2 summed in T: sqrt(ss) when trusted;
/// else 0 for a zero vector, sqrt(ss) (inf or NaN) when x holds an infinity or NaN, and -1 for a
/// finite nonzero x (to be rescaled, see above). O(1), O(n) when not trusted.
template <class T>
inline double cosine_norm(T ss, const T* x, std::size_t n) noexcept {
    if (cosine_norm_trusted(ss)) return std::sqrt(double(ss));
    const T m = max_abs(x, n);
    return m == T(0) ? 0.0 : std::isfinite(m) ? -1.0 : std::sqrt(double(ss));
}

/// Two powers of two whose product brings m (finite, nonzero) to [1, 2): x * first * second is
/// exact unless the result underflows (parts below 2^-126 resp. 2^-1022 of m, which a sum of squares
/// does not see). Two factors since 2^-ilogb(m) need not be a number of T (m subnormal).
template <class T>
inline std::pair<T, T> unit_scale(T m) noexcept {
    const int e = std::ilogb(m);
    return {std::ldexp(T(1), -e / 2), std::ldexp(T(1), -e - (-e / 2))};
}

/// Cosine of a and b recomputed with each vector scaled by unit_scale of its largest magnitude and
/// the three sums in double (no overflow or underflow whatever the scale), clamped to [-1, 1]; 0
/// when either is a zero vector, NaN when one holds a NaN or an infinity. O(n), scalar.
template <class T>
inline T cosine_scaled(const T* a, const T* b, std::size_t n) noexcept {
    const T ma = max_abs(a, n), mb = max_abs(b, n);
    if (ma == T(0) || mb == T(0)) return T(0);
    if (!std::isfinite(ma) || !std::isfinite(mb)) return std::numeric_limits<T>::quiet_NaN();
    const auto [a1, a2] = unit_scale(ma);
    const auto [b1, b2] = unit_scale(mb);
    double s = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = a[i] * a1 * a2, y = b[i] * b1 * b2;
        s += x * y;
        aa += x * x;
        bb += y * y;
    }
    const double c = s / (std::sqrt(aa) * std::sqrt(bb));
    return static_cast<T>(c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c));  // NaN passes through
}

/// Sums of one pair of vectors; for cos3 also the squared norms.
template <class T>
struct pair_sums {
    T s = 0, aa = 0, bb = 0;
};

template <reduction R>
struct pair_kernel {
    template <class T>
    pair_sums<T> operator()(simd::scalar_t, const T* a, const T* b, std::size_t n) const noexcept {
        pair_sums<T> r;
        for (std::size_t i = 0; i < n; ++i) {
            if constexpr (R == reduction::dot) {
                r.s = r.s + a[i] * b[i];
            } else if constexpr (R == reduction::cos3) {
                r.s = r.s + a[i] * b[i];
                r.aa = r.aa + a[i] * a[i];
                r.bb = r.bb + b[i] * b[i];
            } else if constexpr (R == reduction::l2sq) {
                const T d = a[i] - b[i];
                r.s = r.s + d * d;
            } else {
                r.s = r.s + std::abs(a[i] - b[i]);
            }
        }
        return r;
    }

    /// The sums at a SIMD level (level_bytes: 64, 32, 16 or 0 = the scalar loop above).
    template <class T>
    pair_sums<T> operator()(simd::level l, const T* a, const T* b, std::size_t n) const noexcept;
};

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// The vector pair kernel of B bytes: 2 x lanes partial sums, added lane by lane at the end,
/// the tail by the scalar loop.
template <reduction R, int B, class T>
VECTA_ALWAYS_INLINE void pair_vec(const T* a, const T* b, std::size_t n, pair_sums<T>& r) noexcept {
    using V = vec<T, B>;
    constexpr std::size_t L = B / sizeof(T);
    V s0{}, s1{}, x0{}, x1{}, y0{}, y1{};
    std::size_t i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
        const V a0 = vload<V>(a + i), a1 = vload<V>(a + i + L), b0 = vload<V>(b + i), b1 = vload<V>(b + i + L);
        if constexpr (R == reduction::l2sq) {
            const V d0 = a0 - b0, d1 = a1 - b1;
            vfma(s0, d0, d0);
            vfma(s1, d1, d1);
        } else if constexpr (R == reduction::l1) {
            vadd_abs(s0, a0 - b0);
            vadd_abs(s1, a1 - b1);
        } else {
            vfma(s0, a0, b0);
            vfma(s1, a1, b1);
            if constexpr (R == reduction::cos3) {
                vfma(x0, a0, a0);
                vfma(x1, a1, a1);
                vfma(y0, b0, b0);
                vfma(y1, b1, b1);
            }
        }
    }
    if (i + L <= n) {
        const V a0 = vload<V>(a + i), b0 = vload<V>(b + i);
        if constexpr (R == reduction::l2sq) {
            const V d0 = a0 - b0;
            vfma(s0, d0, d0);
        } else if constexpr (R == reduction::l1) {
            vadd_abs(s0, a0 - b0);
        } else {
            vfma(s0, a0, b0);
            if constexpr (R == reduction::cos3) {
                vfma(x0, a0, a0);
                vfma(y0, b0, b0);
            }
        }
        i += L;
    }
    const V s = s0 + s1, x = x0 + x1, y = y0 + y1;
    const pair_sums<T> t = pair_kernel<R>{}(simd::scalar, a + i, b + i, n - i);
    T rs = 0, ra = 0, rb = 0;
    for (std::size_t k = 0; k < L; ++k) rs = rs + s[k], ra = ra + x[k], rb = rb + y[k];
    r.s = rs + t.s;
    r.aa = ra + t.aa;
    r.bb = rb + t.bb;
}
VECTA_VEC_END
#endif

template <reduction R>
template <class T>
pair_sums<T> pair_kernel<R>::operator()(simd::level l, const T* a, const T* b, std::size_t n) const noexcept {
    return dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) {
            pair_sums<T> r;
            pair_vec<R, w()>(a, b, n, r);
            return r;
        } else
#endif
            return (*this)(simd::scalar, a, b, n);
    });
}

template <metric M, class T>
inline T finish(const pair_sums<T>& r) noexcept {
    if constexpr (M == metric::cosine)
        return finish_cosine(r.s, r.aa, r.bb);
    else if constexpr (M == metric::euclidean)
        return std::sqrt(r.s);
    else
        return r.s;
}

template <class R>
using range_value_t = std::remove_cv_t<std::ranges::range_value_t<R>>;

template <class A, class B>
concept float_vector_pair = std::ranges::contiguous_range<A> && std::ranges::sized_range<A> &&
    std::ranges::contiguous_range<B> && std::ranges::sized_range<B> &&
    std::is_same_v<range_value_t<A>, range_value_t<B>> &&
    (std::is_same_v<range_value_t<A>, float> || std::is_same_v<range_value_t<A>, double>);

template <metric M, class P, class A, class B>
auto pair_metric(const P& policy, const A& a, const B& b, std::string_view fn) {
    using T = range_value_t<A>;
    const std::size_t n = std::ranges::size(a);
    require(std::ranges::size(b) == n, fn, "b.size()", "must equal a.size()");
    const T* pa = std::ranges::data(a);
    const T* pb = std::ranges::data(b);
    const pair_sums<T> r = pair_kernel<reduction_of(M)>{}(policy_level(policy), pa, pb, n);
    if constexpr (M == metric::cosine)
        if (!cosine_norm_trusted(r.aa) || !cosine_norm_trusted(r.bb))
            if (cosine_norm(r.aa, pa, n) < 0.0 || cosine_norm(r.bb, pb, n) < 0.0) return cosine_scaled(pa, pb, n);
    return finish<M>(r);
}

}  // namespace detail

/// Dot product sum a_i b_i of two vectors of equal length (float or double; contiguous ranges
/// such as std::vector, std::span, std::array). O(n). Error bound: see the header comment.
/// Throws vecta::invalid_argument if the sizes differ. Empty vectors give 0.
template <execution_policy P, class A, class B>
requires detail::float_vector_pair<A, B>
auto dot(const P& policy, const A& a, const B& b) {
    return detail::pair_metric<metric::dot>(policy, a, b, "vecta::dot");
}
/// Cosine similarity dot / (|a| |b|), clamped to [-1, 1], 0 when either vector is zero. O(n).
/// Throws vecta::invalid_argument if the sizes differ.
template <execution_policy P, class A, class B>
requires detail::float_vector_pair<A, B>
auto cosine(const P& policy, const A& a, const B& b) {
    return detail::pair_metric<metric::cosine>(policy, a, b, "vecta::cosine");
}
/// Squared Euclidean distance sum (a_i - b_i)^2. O(n). Throws vecta::invalid_argument if the
/// sizes differ.
template <execution_policy P, class A, class B>
requires detail::float_vector_pair<A, B>
auto sqeuclidean(const P& policy, const A& a, const B& b) {
    return detail::pair_metric<metric::sqeuclidean>(policy, a, b, "vecta::sqeuclidean");
}
/// Euclidean distance sqrt(sum (a_i - b_i)^2). O(n). Throws vecta::invalid_argument if the
/// sizes differ.
template <execution_policy P, class A, class B>
requires detail::float_vector_pair<A, B>
auto euclidean(const P& policy, const A& a, const B& b) {
    return detail::pair_metric<metric::euclidean>(policy, a, b, "vecta::euclidean");
}
/// Manhattan (L1) distance sum |a_i - b_i|. O(n). Throws vecta::invalid_argument if the sizes
/// differ.
template <execution_policy P, class A, class B>
requires detail::float_vector_pair<A, B>
auto manhattan(const P& policy, const A& a, const B& b) {
    return detail::pair_metric<metric::manhattan>(policy, a, b, "vecta::manhattan");
}
/// Any of the five metrics chosen at run time.
template <execution_policy P, class A, class B>
requires detail::float_vector_pair<A, B>
auto distance(const P& policy, metric m, const A& a, const B& b) {
    detail::require(unsigned(m) <= unsigned(metric::manhattan), "vecta::distance", "m",
                    "must be a vecta::metric enumerator");
    switch (m) {
        case metric::dot: return dot(policy, a, b);
        case metric::cosine: return cosine(policy, a, b);
        case metric::sqeuclidean: return sqeuclidean(policy, a, b);
        case metric::euclidean: return euclidean(policy, a, b);
        case metric::manhattan: break;
    }
    return manhattan(policy, a, b);
}

template <class A, class B>
requires detail::float_vector_pair<A, B>
auto dot(const A& a, const B& b) { return dot(seq, a, b); }
template <class A, class B>
requires detail::float_vector_pair<A, B>
auto cosine(const A& a, const B& b) { return cosine(seq, a, b); }
template <class A, class B>
requires detail::float_vector_pair<A, B>
auto sqeuclidean(const A& a, const B& b) { return sqeuclidean(seq, a, b); }
template <class A, class B>
requires detail::float_vector_pair<A, B>
auto euclidean(const A& a, const B& b) { return euclidean(seq, a, b); }
template <class A, class B>
requires detail::float_vector_pair<A, B>
auto manhattan(const A& a, const B& b) { return manhattan(seq, a, b); }
template <class A, class B>
requires detail::float_vector_pair<A, B>
auto distance(metric m, const A& a, const B& b) { return distance(seq, m, a, b); }

namespace detail {
/// int8 dot product with int32 accumulation: exact while n * 127 * 128 < 2^31 (n < 131,072;
/// longer vectors are summed in int64 per 65,536-element chunk and must fit int32 in the end).
/// A plain loop that GCC and Clang vectorize at -O3 (pmaddwd class instructions), compiled
/// three times for the run-time dispatch (the baseline, VECTA_TARGET_AVX2, VECTA_TARGET_AVX512:
/// core/cpu.hpp). Integer arithmetic: every level gives the same result.
VECTA_ALWAYS_INLINE std::int64_t dot_i8_loop(const std::int8_t* a, const std::int8_t* b, std::size_t n) noexcept {
    std::int32_t s = 0;
    for (std::size_t i = 0; i < n; ++i) s += std::int32_t(a[i]) * std::int32_t(b[i]);
    return s;
}
inline std::int64_t dot_i8_base(const std::int8_t* a, const std::int8_t* b, std::size_t n) noexcept {
    return dot_i8_loop(a, b, n);
}
#if VECTA_X86_DISPATCH
VECTA_TARGET_AVX2 inline std::int64_t dot_i8_avx2(const std::int8_t* a, const std::int8_t* b, std::size_t n) noexcept {
    return dot_i8_loop(a, b, n);
}
VECTA_TARGET_AVX512 inline std::int64_t dot_i8_avx512(const std::int8_t* a, const std::int8_t* b,
                                                      std::size_t n) noexcept {
    return dot_i8_loop(a, b, n);
}
#endif
/// One chunk (n <= 65,536) at SIMD level `l`.
inline std::int64_t dot_i8_chunk(simd::level l, const std::int8_t* a, const std::int8_t* b, std::size_t n) noexcept {
#if VECTA_X86_DISPATCH
    if (l == simd::level::avx512) return dot_i8_avx512(a, b, n);
    if (l == simd::level::avx2) return dot_i8_avx2(a, b, n);
#endif
    (void)l;
    return dot_i8_base(a, b, n);
}
}  // namespace detail

/// int8 dot product with int32 accumulation (exact). Throws vecta::invalid_argument if the sizes
/// differ or the exact result does not fit std::int32_t.
/// Sequential; the policy's SIMD level chooses the compiled loop (run-time dispatch, every level
/// exact and identical; simd::scalar runs the baseline build's loop).
template <execution_policy P>
std::int32_t dot(const P& policy, std::span<const std::int8_t> a, std::span<const std::int8_t> b) {
    detail::require(a.size() == b.size(), "vecta::dot", "b.size()", "must equal a.size()");
    const simd::level lvl = detail::policy_level(policy);
    std::int64_t s = 0;
    constexpr std::size_t chunk = 65536;
    for (std::size_t i = 0; i < a.size(); i += chunk)
        s += detail::dot_i8_chunk(lvl, a.data() + i, b.data() + i, std::min(chunk, a.size() - i));
    detail::require(s >= INT32_MIN && s <= INT32_MAX, "vecta::dot", "a, b", "give a dot product outside int32");
    return static_cast<std::int32_t>(s);
}
inline std::int32_t dot(std::span<const std::int8_t> a, std::span<const std::int8_t> b) { return dot(seq, a, b); }

}  // namespace vecta
