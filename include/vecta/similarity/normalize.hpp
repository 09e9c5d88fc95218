// SPDX-License-Identifier: MIT
// vecta/similarity/normalize.hpp - row normalization (L1, L2, max) of a row-major matrix, in
// place or into an output; float and double, plus float16 / bfloat16 input into float output.
//
// Each row x becomes x * (1 / ||x||): L1 ||x|| = sum |x_i|, L2 = sqrt(sum x_i^2), max =
// max |x_i|. Zero rows (norm 0) are left as they are (all zeros). NaN in a row makes the whole
// row NaN; infinities follow IEEE arithmetic (an L2 or L1 norm that overflows the type gives
// 0 * finite = 0 and inf * 0 = NaN). Accumulation is in the element type (float16/bfloat16
// rows are converted to float first, scalar: xsimd 8.1 has no 16-bit float batches), with the
// recursive-summation bound of distance.hpp; the result has relative error <= (n + 3) eps per
// element. SIMD and scalar differ only in the norm's order of additions (the max norm is exact:
// every level gives the same bits). The SIMD row kernel is dispatched at run time on the
// policy's level (core/cpu.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"
#include "float16.hpp"
#include "matrix_view.hpp"

namespace vecta {

/// The norm vecta::normalize divides by.
enum class norm_kind {
    l1,   ///< sum |x_i|
    l2,   ///< sqrt(sum x_i^2)
    max,  ///< max |x_i| (L-infinity)
};

/// Parameters of vecta::normalize.
struct normalize_params {
    norm_kind norm = norm_kind::l2;  ///< which norm
};

namespace detail {

template <norm_kind K>
struct normalize_kernel {
    template <class T>
    static T finish(T acc) noexcept {
        if constexpr (K == norm_kind::l2)
            return std::sqrt(acc);
        else
            return acc;
    }

    template <class T>
    void operator()(simd::scalar_t, const T* in, T* out, std::size_t n) const noexcept {
        T acc(0);
        for (std::size_t i = 0; i < n; ++i) {
            if constexpr (K == norm_kind::l1) {
                acc = acc + std::abs(in[i]);
            } else if constexpr (K == norm_kind::l2) {
                acc = acc + in[i] * in[i];
            } else {
                const T a = std::abs(in[i]);
                acc = (a > acc || std::isnan(a)) ? a : acc;
            }
        }
        scale(finish(acc), in, out, n);
    }

    /// True when out = in * (1 / norm) is accurate: the norm is NaN (the row becomes NaN) or at least
    /// 2^20 sqrt(smallest normal) (the largest squares did not underflow, 1 / norm is finite) and
    /// finite (the sum did not overflow). Otherwise the row goes through `careful`.
    template <class T>
    static bool plain_ok(T norm) noexcept {
        constexpr T tiny = sizeof(T) == 4 ? T(0x1p-43) : T(0x1p-491);
        return !(norm < tiny) && norm != std::numeric_limits<T>::infinity();
    }
    /// A row whose norm is 0, tiny or infinite: zero rows are copied; rows of finite values are
    /// divided by their largest magnitude m first (no overflow or underflow), then by the norm of
    /// x / m; rows holding an infinity keep the plain x * (1 / norm). O(n), scalar.
    template <class T>
    static void careful(T norm, const T* in, T* out, std::size_t n) noexcept {
        T m(0);
        for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::abs(in[i]));
        if (m == T(0)) {
            if (out != in)
                for (std::size_t i = 0; i < n; ++i) out[i] = in[i];
            return;
        }
        if (!std::isfinite(m)) {
            const T inv = T(1) / norm;
            for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * inv;
            return;
        }
        T acc(0);
        for (std::size_t i = 0; i < n; ++i) {
            const T y = in[i] / m;
            if constexpr (K == norm_kind::l1) acc = acc + std::abs(y);
            if constexpr (K == norm_kind::l2) acc = acc + y * y;
        }
        const T d = K == norm_kind::max ? T(1) : finish(acc);
        for (std::size_t i = 0; i < n; ++i) out[i] = in[i] / m / d;
    }

    template <class T>
    static void scale(T norm, const T* in, T* out, std::size_t n) noexcept {
        if (!plain_ok(norm)) return careful(norm, in, out, n);
        const T inv = T(1) / norm;
        for (std::size_t i = 0; i < n; ++i) out[i] = in[i] * inv;
    }

    /// One row at a SIMD level (level_bytes: 64, 32, 16, or 0 = the scalar loop above).
    template <class T>
    void operator()(simd::level l, const T* in, T* out, std::size_t n) const noexcept;
};

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// The vector row kernel of B bytes: 2 x lanes partial norms, combined lane by lane at the end,
/// the tail in the scalar loop's order; then the row times 1 / norm.
template <norm_kind K, int B, class T>
VECTA_ALWAYS_INLINE void normalize_vec(const T* in, T* out, std::size_t n) noexcept {
    using V = vec<T, B>;
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    using VU = vec<U, B>;
    constexpr std::size_t L = B / sizeof(T);
    V a0{}, a1{};
    std::size_t i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
        const V x0 = vload<V>(in + i), x1 = vload<V>(in + i + L);
        if constexpr (K == norm_kind::l1) {
            vadd_abs(a0, x0);
            vadd_abs(a1, x1);
        } else if constexpr (K == norm_kind::l2) {
            vfma(a0, x0, x0);
            vfma(a1, x1, x1);
        } else {
            // NaN-propagating max of |x| on the bits: with the sign cleared, the signed integer order
            // of the bits is the float order and every NaN is above +inf, so a NaN lane stays NaN.
            // (The float form (y > a) | (y != y) gives the same set, but GCC 12 scalarizes the
            // self-compare of 64-byte vectors in the AVX-512 function of a build without -mavx512f.)
            using VS = vec<std::make_signed_t<U>, B>;
            const VS y0 = (VS)((VU)x0 & (~U(0) >> 1)), y1 = (VS)((VU)x1 & (~U(0) >> 1));
            const VS m0 = y0 > (VS)a0, m1 = y1 > (VS)a1;
            a0 = (V)((y0 & m0) | ((VS)a0 & ~m0));
            a1 = (V)((y1 & m1) | ((VS)a1 & ~m1));
        }
    }
    T acc(0);
    if constexpr (K == norm_kind::max) {
        for (std::size_t t = 0; t < L; ++t)
            for (const T y : {T(a0[t]), T(a1[t])}) acc = (y > acc || std::isnan(y)) ? y : acc;
        for (; i < n; ++i) {
            const T a = std::abs(in[i]);
            acc = (a > acc || std::isnan(a)) ? a : acc;
        }
    } else {
        const V s = a0 + a1;
        for (std::size_t t = 0; t < L; ++t) acc = acc + s[t];
        for (; i < n; ++i) {
            if constexpr (K == norm_kind::l1)
                acc = acc + std::abs(in[i]);
            else
                acc = acc + in[i] * in[i];
        }
    }
    const T norm = normalize_kernel<K>::finish(acc);
    if (!normalize_kernel<K>::plain_ok(norm)) return normalize_kernel<K>::careful(norm, in, out, n);
    const T sinv = T(1) / norm;
    const V inv = V{} + sinv;
    std::size_t t = 0;
    for (; t + L <= n; t += L) vstore(out + t, vload<V>(in + t) * inv);
    for (; t < n; ++t) out[t] = in[t] * sinv;
}
VECTA_VEC_END
#endif

template <norm_kind K>
template <class T>
void normalize_kernel<K>::operator()(simd::level l, const T* in, T* out, std::size_t n) const noexcept {
    dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) return normalize_vec<K, w()>(in, out, n);
#endif
        (*this)(simd::scalar, in, out, n);
    });
}

template <class P, class TI, class TO>
void normalize_impl(const P& policy, matrix_view<const TI> in, matrix_view<TO> out, norm_kind kind) {
    const simd::level l = policy_level(policy);
    auto run = [&](auto kernel) {
        parallel_for(policy, in.rows(), 256, [&](std::size_t r0, std::size_t r1) {
            if constexpr (is_half_v<TI>) {
                std::vector<float> buf(in.cols());
                for (std::size_t r = r0; r < r1; ++r) {
                    const TI* src = in.row(r);
                    for (std::size_t j = 0; j < in.cols(); ++j) buf[j] = src[j].to_float();
                    kernel(l, static_cast<const float*>(buf.data()), out.row(r), in.cols());
                }
            } else {
                for (std::size_t r = r0; r < r1; ++r) kernel(l, in.row(r), out.row(r), in.cols());
            }
        });
    };
    switch (kind) {
        case norm_kind::l1: return run(normalize_kernel<norm_kind::l1>{});
        case norm_kind::l2: return run(normalize_kernel<norm_kind::l2>{});
        case norm_kind::max: return run(normalize_kernel<norm_kind::max>{});
    }
}

}  // namespace detail

/// Normalizes every row of `in` into the same row of `out` (same shape). Element types: float
/// or double (out the same type), or float16 / bfloat16 (out float). Zero rows stay zero; rows of
/// huge or tiny values (whose sum of squares would overflow or underflow) are first divided by
/// their largest magnitude, so they come out normalized too.
/// O(rows * cols), one read and one write per element. `out` may be `in` itself (same data and
/// stride) but must not overlap it otherwise. Throws vecta::invalid_argument on a shape
/// mismatch, cols == 0, partial overlap or a params.norm that is no enumerator.
template <execution_policy P, class TI, class TO>
requires((std::is_same_v<std::remove_const_t<TI>, TO> && (std::is_same_v<TO, float> || std::is_same_v<TO, double>)) ||
         (detail::is_half_v<std::remove_const_t<TI>> &&
          std::is_same_v<TO, float>)) void normalize(const P& policy, matrix_view<TI> in, matrix_view<TO> out,
                                                     normalize_params params = {}) {
    constexpr std::string_view fn = "vecta::normalize";
    detail::require(in.cols() >= 1, fn, "in.cols()", "must be >= 1");
    detail::require(params.norm == norm_kind::l1 || params.norm == norm_kind::l2 || params.norm == norm_kind::max, fn,
                    "params.norm", "must be a vecta::norm_kind enumerator");
    detail::require(out.rows() == in.rows() && out.cols() == in.cols(), fn, "out", "must have the shape of in");
    const bool same = static_cast<const void*>(in.data()) == static_cast<const void*>(out.data()) &&
                      in.stride() == out.stride() && sizeof(TI) == sizeof(TO);
    detail::require(same || !detail::views_overlap(in, out), fn, "out", "must be in itself or not overlap it");
    detail::normalize_impl(policy, matrix_view<const std::remove_const_t<TI>>(in), out, params.norm);
}

/// Normalizes every row of `m` in place (float or double). Zero rows stay zero.
/// Throws vecta::invalid_argument if cols == 0.
template <execution_policy P, class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) void normalize(const P& policy, matrix_view<T> m,
                                                                               normalize_params params = {}) {
    normalize(policy, matrix_view<const T>(m), m, params);
}

template <class TI, class TO>
void normalize(matrix_view<TI> in, matrix_view<TO> out, normalize_params params = {}) {
    normalize(seq, in, out, params);
}
template <class T>
void normalize(matrix_view<T> m, normalize_params params = {}) {
    normalize(seq, m, params);
}

}  // namespace vecta
