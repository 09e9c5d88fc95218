// SPDX-License-Identifier: MIT
// vecta/imgproc/gaussian_blur.hpp - separable Gaussian blur of u8 / u16 / float images (OpenCV semantics).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/simd.hpp"
#include "border.hpp"
#include "dispatch.hpp"

namespace vecta {

/// Parameters of gaussian_blur.
struct gaussian_params {
    /// Kernel size (odd, >= 1, <= max_ksize), the same along x and y; 0 derives it from sigma
    /// as cv::GaussianBlur does: round(6 sigma + 1) | 1 for 8-bit images, round(8 sigma + 1) | 1
    /// for 16-bit and float images.
    std::size_t ksize = 5;
    /// Standard deviation in pixels; <= 0 derives it from ksize as OpenCV does (see gaussian_kernel).
    double sigma = 0;
    /// Pixels outside the image (OpenCV's default BORDER_REFLECT_101).
    border_mode border = border_mode::reflect101;

    /// Largest accepted ksize.
    static constexpr std::size_t max_ksize = 4095;
};

namespace detail {

inline void check_gaussian(std::size_t ksize, double sigma, std::string_view fn, std::string_view ksize_name,
                           std::string_view sigma_name, bool allow_zero_ksize = false) {
    require(std::isfinite(sigma), fn, sigma_name, "must be finite (not NaN or infinite)");
    if (allow_zero_ksize && ksize == 0) {
        require(sigma > 0 && sigma <= 500, fn, ksize_name,
                "may be 0 (derived from sigma) only with 0 < sigma <= 500; otherwise it must be odd, >= 1 and "
                "<= 4095");
    } else {
        require(ksize % 2 == 1 && ksize <= gaussian_params::max_ksize, fn, ksize_name,
                "must be odd, >= 1 and <= 4095 (or 0 with sigma > 0)");
    }
    // sigma^2 must be a normal double, else -0.5 / sigma^2 is infinite (underflow: 0 * inf =
    // NaN at the centre tap) or 0; with it normal every weight is finite (the centre is 1).
    require(sigma <= 0 || std::isnormal(sigma * sigma), fn, sigma_name,
            "must be <= 0 or have a square that is a normal double (about 1.5e-154 < sigma < "
            "1.3e154)");
}

inline std::vector<double> gaussian_kernel_unchecked(std::size_t ksize, double sigma) {
    // OpenCV's getGaussianKernel tables for sigma <= 0 and small sizes.
    static constexpr double t1[] = {1.0};
    static constexpr double t3[] = {0.25, 0.5, 0.25};
    static constexpr double t5[] = {0.0625, 0.25, 0.375, 0.25, 0.0625};
    static constexpr double t7[] = {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125};
    if (sigma <= 0 && ksize <= 7) {
        const double* t = ksize == 1 ? t1 : ksize == 3 ? t3 : ksize == 5 ? t5 : t7;
        return std::vector<double>(t, t + ksize);
    }
    if (sigma <= 0) sigma = 0.3 * ((double(ksize) - 1) * 0.5 - 1) + 0.8;
    std::vector<double> k(ksize);
    const double c = double(ksize / 2), scale = -0.5 / (sigma * sigma);
    double sum = 0;
    for (std::size_t i = 0; i < ksize; ++i) {
        const double x = double(i) - c;
        k[i] = std::exp(scale * x * x);
        sum += k[i];
    }
    for (double& v : k) v /= sum;
    return k;
}

/// The folded symmetric sum both float passes share: out[i] = w[r] t_r + sum_{k<r} w[k] (t_k +
/// t_{2r-k}), in that order, for i in [0, n), where t_k = *tap(k, i) and tap(k, i) points at tap
/// k's element i (tap(k, i + j) = tap(k, i) + j). Separate multiplies and adds (no FMA) at every
/// width B (bytes, core/vec.hpp; 0 = the scalar loop), so all widths give bitwise identical
/// results when the compiler does not contract them (-ffp-contract=off, set by vecta::vecta).
VECTA_VEC_BEGIN
template <int B, class Tap>
VECTA_ALWAYS_INLINE void gaussian_folded_pass(float* out, std::size_t n, const float* w, std::size_t r,
                                              Tap tap) noexcept {
    std::size_t i = 0;
#if VECTA_VECTOR_EXT
    if constexpr (B != 0) {
        using V = vec<float, B>;
        constexpr std::size_t L = B / sizeof(float);
        for (; i + L <= n; i += L) {
            V acc = vload<V>(tap(r, i)) * w[r];
            for (std::size_t k = 0; k < r; ++k) acc = acc + (vload<V>(tap(k, i)) + vload<V>(tap(2 * r - k, i))) * w[k];
            vstore(out + i, acc);
        }
    }
#endif
    for (; i < n; ++i) {
        float acc = w[r] * *tap(r, i);
        for (std::size_t k = 0; k < r; ++k) acc = acc + w[k] * (*tap(k, i) + *tap(2 * r - k, i));
        out[i] = acc;
    }
}

/// Horizontal pass of one row: out[i] = sum_k w[k] * in[i + k * cn] for i in [0, n), where `in`
/// is the row padded by r = ksize / 2 pixels on both sides (n + 2 r cn floats); the symmetric
/// kernel folded as gaussian_folded_pass.
template <int B>
VECTA_ALWAYS_INLINE void gaussian_row_pass(const float* in, float* out, std::size_t n, const float* w, std::size_t r,
                                           std::size_t cn) noexcept {
    gaussian_folded_pass<B>(out, n, w, r,
                            [in, cn](std::size_t k, std::size_t i) VECTA_LAMBDA_INLINE { return in + i + k * cn; });
}

/// Vertical pass of one output row: out[i] = sum_k w[k] * rows[k][i], i in [0, n), folded as
/// gaussian_folded_pass.
template <int B>
VECTA_ALWAYS_INLINE void gaussian_column_pass(const float* const* rows, float* out, std::size_t n, const float* w,
                                              std::size_t r) noexcept {
    gaussian_folded_pass<B>(out, n, w, r,
                            [rows](std::size_t k, std::size_t i) VECTA_LAMBDA_INLINE { return rows[k] + i; });
}
VECTA_VEC_END

/// The run-time level of a vector width from policy_vector_bytes (64 avx512, 32 avx2, 16 the
/// baseline vectors, 0 scalar), for dispatch_width.
inline simd::level bytes_level(int bytes) noexcept {
    return bytes >= 64   ? simd::level::avx512
           : bytes >= 32 ? simd::level::avx2
           : bytes >= 16 ? simd::level::sse2
                         : simd::level::scalar;
}

/// gaussian_row_pass at the width of level l (run-time dispatch, core/vec.hpp).
inline void gaussian_row(simd::level l, const float* in, float* out, std::size_t n, const float* w, std::size_t r,
                         std::size_t cn) noexcept {
    dispatch_width(l, [&](auto b) VECTA_LAMBDA_INLINE { gaussian_row_pass<b()>(in, out, n, w, r, cn); });
}

/// gaussian_column_pass at the width of level l (run-time dispatch, core/vec.hpp).
inline void gaussian_column(simd::level l, const float* const* rows, float* out, std::size_t n, const float* w,
                            std::size_t r) noexcept {
    dispatch_width(l, [&](auto b) VECTA_LAMBDA_INLINE { gaussian_column_pass<b()>(rows, out, n, w, r); });
}

/// Rounds to nearest with ties up, as OpenCV's fixed-point (v + 2^15) >> 16, and saturates;
/// NaN (not produced by validated input) gives 0 rather than an undefined conversion.
inline std::uint8_t round_to_u8(float v) noexcept {
    const double q = std::floor(double(v) + 0.5);  // exact: v + 0.5 cannot round in double
    if (!(q >= 0)) return 0;                       // negative or NaN
    return static_cast<std::uint8_t>(q > 255 ? 255 : q);
}

}  // namespace detail

/// The 1-D Gaussian kernel gaussian_blur uses for u16 and float images (ksize weights summing to
/// 1), as OpenCV 4.x's cv::getGaussianKernel(ksize, sigma, CV_64F) (getGaussianKernelBitExact):
///   - sigma <= 0 and ksize <= 9: the fixed binomial tables {1}, {1,2,1}/4, {1,4,6,4,1}/16,
///     {1,3.5,7,9,7,3.5,1}/32, {4,13,30,51,60,51,30,13,4}/256;
///   - otherwise w_i = exp(-(i - (ksize-1)/2)^2 / (2 sigma^2)) times 1 / sum, with
///     sigma = 0.15 ksize + 0.35 (= 0.3 ((ksize - 1) / 2 - 1) + 0.8) when sigma <= 0.
/// A tiny sigma > 0 (e.g. 1e-3) gives the delta kernel {0, ..., 0, 1, 0, ..., 0}.
/// O(ksize). Throws vecta::invalid_argument if ksize is even, 0 or > 4095 ("ksize") or sigma
/// is NaN or infinite, or positive with sigma^2 not a normal double, i.e. sigma below about
/// 1.5e-154 or above about 1.3e154 ("sigma").
inline std::vector<double> gaussian_kernel(std::size_t ksize, double sigma = 0);

namespace detail {

/// OpenCV's getGaussianKernelBitExact (smooth.dispatch.cpp) in double: the binomial tables for
/// sigma <= 0 and ksize <= 9, else exp(-(2d)^2 / (8 sigma^2)) normalised by one multiply with
/// 1 / sum, sigma = fma(ksize, 0.15, 0.35) when sigma <= 0.
inline std::vector<double> gaussian_kernel_bitexact(std::size_t ksize, double sigma) {
    if (sigma <= 0 && ksize <= 9 && ksize != 7 && ksize != 9) return gaussian_kernel_unchecked(ksize, sigma);
    if (sigma <= 0 && ksize == 7) return gaussian_kernel_unchecked(7, 0);
    if (sigma <= 0 && ksize == 9) {
        const double t[] = {4, 13, 30, 51, 60, 51, 30, 13, 4};
        std::vector<double> k(9);
        for (std::size_t i = 0; i < 9; ++i) k[i] = t[i] / 256.0;
        return k;
    }
    const double s = sigma > 0 ? sigma : std::fma(double(ksize), 0.15, 0.35);
    const double scale2 = -0.125 / (s * s);
    const std::size_t half = (ksize - 1) / 2;
    std::vector<double> values(half);
    double sum = 0;
    long x = 1 - long(ksize);
    for (std::size_t i = 0; i < half; ++i, x += 2) {
        values[i] = std::exp(double(x * x) * scale2);
        sum += values[i];
    }
    sum = sum * 2 + 1;
    const double mul = 1 / sum;
    std::vector<double> k(ksize);
    for (std::size_t i = 0; i < half; ++i) k[i] = k[ksize - 1 - i] = values[i] * mul;
    k[half] = mul;
    return k;
}

/// OpenCV's getGaussianKernelFixedPoint_ED with 8 fraction bits: from the outside inwards
/// a = k_i 256 + err, v = round-half-even(a), err = a - v; mirrored; the centre is 256 - 2 sum v,
/// so the integers sum to exactly 256.
inline std::vector<std::uint16_t> gaussian_kernel_q8_unchecked(std::size_t ksize, double sigma) {
    const std::vector<double> k = gaussian_kernel_bitexact(ksize, sigma);
    std::vector<std::uint16_t> q(ksize);
    const std::size_t half = ksize / 2;
    double err = 0;
    long sum = 0;
    for (std::size_t i = 0; i < half; ++i) {
        const double a = k[i] * 256.0 + err;
        const double v = std::nearbyint(a);  // round half to even (default rounding mode)
        err = a - v;
        q[i] = q[ksize - 1 - i] = static_cast<std::uint16_t>(long(v));
        sum += long(v);
    }
    q[half] = static_cast<std::uint16_t>(256 - 2 * sum);
    return q;
}

/// Resolves ksize 0 (derived from sigma, as cv::GaussianBlur: round(6 sigma + 1) | 1 for 8-bit,
/// round(8 sigma + 1) | 1 otherwise).
inline std::size_t gaussian_ksize(std::size_t ksize, double sigma, bool eight_bit) {
    if (ksize != 0) return ksize;
    const double k = std::nearbyint(sigma * (eight_bit ? 3 : 4) * 2 + 1);
    return std::size_t(k) | 1u;
}

VECTA_IMGPROC_KERNELS_BEGIN
/// Horizontal pass of the 8-bit fixed-point blur over one row: out[i] = sum_j k[j] p[i + j cn],
/// i in [0, n), where p is the row padded by r = ksize / 2 pixels on each side and k the
/// symmetric integer kernel (sum 256). Exact in u16 (<= 255 * 256). R > 0 fixes r at compile time.
struct gauss_q8_row {
    template <int B, std::size_t R = 0>
    static VECTA_IMGPROC_INLINE void body(const std::uint8_t* p, std::uint16_t* out, std::size_t n,
                                          const std::uint16_t* k, std::size_t r, std::size_t cn) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V8 = vec<std::uint8_t, B / 2>;
        using V16 = vec<std::uint16_t, B>;
        constexpr std::size_t L = B / 2;
        const std::size_t rr = R ? R : r;
        std::size_t i = 0;
        for (; i + L <= n; i += L) {
            const std::uint8_t* q = p + i;
            V16 acc = __builtin_convertvector(vload<V8>(q + rr * cn), V16) * k[rr];
            for (std::size_t j = 0; j < rr; ++j)
                acc += (__builtin_convertvector(vload<V8>(q + j * cn), V16) +
                        __builtin_convertvector(vload<V8>(q + (2 * rr - j) * cn), V16)) *
                       k[j];
            vstore(out + i, acc);
        }
        tail(p, out, i, n, k, rr, cn);
#else
        tail(p, out, 0, n, k, r, cn);
#endif
    }
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint8_t* p, std::uint16_t* out, std::size_t n,
                                         const std::uint16_t* k, std::size_t r, std::size_t cn) noexcept {
        if (r == 1)
            body<B, 1>(p, out, n, k, r, cn);
        else if (r == 2)
            body<B, 2>(p, out, n, k, r, cn);
        else if (r == 3)
            body<B, 3>(p, out, n, k, r, cn);
        else
            body<B>(p, out, n, k, r, cn);
    }
    static void scalar(const std::uint8_t* p, std::uint16_t* out, std::size_t n, const std::uint16_t* k, std::size_t r,
                       std::size_t cn) noexcept {
        tail(p, out, 0, n, k, r, cn);
    }
    static void tail(const std::uint8_t* p, std::uint16_t* out, std::size_t i, std::size_t n, const std::uint16_t* k,
                     std::size_t r, std::size_t cn) noexcept {
        for (; i < n; ++i) {
            std::uint32_t acc = 0;
            for (std::size_t j = 0; j <= 2 * r; ++j) acc += std::uint32_t(k[j]) * p[i + j * cn];
            out[i] = static_cast<std::uint16_t>(acc);
        }
    }
};

/// Vertical pass of the 8-bit fixed-point blur: out[i] = (sum_j k[j] rows[j][i] + 2^15) >> 16
/// (OpenCV's ufixedpoint32 rounding). Computed exactly in u16 lanes by splitting each
/// horizontal value h = 256 hi + lo: with A = sum k hi and C = sum k lo (both <= 65280),
/// (256 A + C + 2^15) >> 16 = (A + (C >> 8) + 128) >> 8, and A + (C >> 8) + 128 <= 65408.
struct gauss_q8_col {
    template <int B, std::size_t R = 0>
    static VECTA_IMGPROC_INLINE void body(const std::uint16_t* const* rows, std::uint8_t* out, std::size_t n,
                                          const std::uint16_t* k, std::size_t r) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V8 = vec<std::uint8_t, B / 2>;
        using V16 = vec<std::uint16_t, B>;
        constexpr std::size_t L = B / 2;
        const std::size_t rr = R ? R : r;
        std::size_t i = 0;
        for (; i + L <= n; i += L) {
            const V16 c = vload<V16>(rows[rr] + i);
            V16 hi = (c >> 8) * k[rr], lo = (c & 255) * k[rr];
            for (std::size_t j = 0; j < rr; ++j) {
                const V16 a = vload<V16>(rows[j] + i), b = vload<V16>(rows[2 * rr - j] + i);
                hi += ((a >> 8) + (b >> 8)) * k[j];
                lo += ((a & 255) + (b & 255)) * k[j];
            }
            const V16 res = (hi + (lo >> 8) + 128) >> 8;
            V8 o8;
            narrow(o8, res);
            vstore(out + i, o8);
        }
        tail(rows, out, i, n, k, rr);
#else
        tail(rows, out, 0, n, k, r);
#endif
    }
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint16_t* const* rows, std::uint8_t* out, std::size_t n,
                                         const std::uint16_t* k, std::size_t r) noexcept {
        if (r == 1)
            body<B, 1>(rows, out, n, k, r);
        else if (r == 2)
            body<B, 2>(rows, out, n, k, r);
        else if (r == 3)
            body<B, 3>(rows, out, n, k, r);
        else
            body<B>(rows, out, n, k, r);
    }
    static void scalar(const std::uint16_t* const* rows, std::uint8_t* out, std::size_t n, const std::uint16_t* k,
                       std::size_t r) noexcept {
        tail(rows, out, 0, n, k, r);
    }
    static void tail(const std::uint16_t* const* rows, std::uint8_t* out, std::size_t i, std::size_t n,
                     const std::uint16_t* k, std::size_t r) noexcept {
        for (; i < n; ++i) {
            std::uint64_t acc = 0;
            for (std::size_t j = 0; j <= 2 * r; ++j) acc += std::uint64_t(k[j]) * rows[j][i];
            const std::uint64_t v = (acc + 32768) >> 16;
            out[i] = static_cast<std::uint8_t>(v > 255 ? 255 : v);
        }
    }
};

VECTA_IMGPROC_DISPATCH(gauss_q8_row,
                       (const std::uint8_t* p, std::uint16_t* out, std::size_t n, const std::uint16_t* k, std::size_t r,
                        std::size_t cn),
                       (p, out, n, k, r, cn))
VECTA_IMGPROC_DISPATCH(gauss_q8_col,
                       (const std::uint16_t* const* rows, std::uint8_t* out, std::size_t n, const std::uint16_t* k,
                        std::size_t r),
                       (rows, out, n, k, r))
VECTA_IMGPROC_KERNELS_END

/// Copies source row `s` (w pixels of cn channels) into `p` padded by r pixels on each side
/// following the border rule (zeros for constant).
template <class T, class U>
void pad_row(const T* s, U* p, std::size_t w, std::size_t cn, std::size_t r, border_mode border) noexcept {
    const auto W = std::ptrdiff_t(w);
    if constexpr (std::is_same_v<T, U>)
        std::memcpy(p + r * cn, s, w * cn * sizeof(T));
    else
        for (std::size_t i = 0; i < w * cn; ++i) p[r * cn + i] = static_cast<U>(s[i]);
    for (std::size_t k = 1; k <= r; ++k) {
        const std::ptrdiff_t l = border_index(-std::ptrdiff_t(k), W, border);
        const std::ptrdiff_t rt = border_index(W - 1 + std::ptrdiff_t(k), W, border);
        for (std::size_t c = 0; c < cn; ++c) {
            p[(r - k) * cn + c] = l < 0 ? U(0) : static_cast<U>(s[std::size_t(l) * cn + c]);
            p[(r + w - 1 + k) * cn + c] = rt < 0 ? U(0) : static_cast<U>(s[std::size_t(rt) * cn + c]);
        }
    }
}

/// The 8-bit fixed-point blur (OpenCV's GaussianBlur CV_8U path), rows [y0, y1).
inline void gaussian_q8_rows(int bytes, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
                             const std::vector<std::uint16_t>& k, border_mode border, std::size_t y0, std::size_t y1) {
    const std::size_t r = k.size() / 2, cn = src.channels(), w = src.width(), n = w * cn;
    const auto H = std::ptrdiff_t(src.height());
    const std::size_t ring = 2 * r + 1;
    std::vector<std::uint8_t> padded((w + 2 * r) * cn + 64);
    std::vector<std::uint16_t> hbuf((ring + 1) * n + 32, 0);
    std::uint16_t* zero_row = hbuf.data() + ring * n;  // constant border rows
    std::vector<const std::uint16_t*> rowp(ring);
    std::vector<const std::uint16_t*> taps(ring);
    const auto R = std::ptrdiff_t(r);
    if (std::size_t(H) < ring) {
        // Kernel taller than the image: one horizontal pass per source row, shared by every
        // virtual row that maps to it (instead of one per virtual row).
        std::vector<std::uint16_t> all(std::size_t(H) * n + 32);
        for (std::size_t m = 0; m < std::size_t(H); ++m) {
            pad_row(src.row(m), padded.data(), w, cn, r, border);
            gauss_q8_row_call(bytes, static_cast<const std::uint8_t*>(padded.data()), all.data() + m * n, n, k.data(),
                              r, cn);
        }
        for (std::size_t y = y0; y < y1; ++y) {
            for (std::size_t j = 0; j < ring; ++j) {
                const std::ptrdiff_t m = border_index(std::ptrdiff_t(y) - R + std::ptrdiff_t(j), H, border);
                taps[j] = m < 0 ? zero_row : all.data() + std::size_t(m) * n;
            }
            gauss_q8_col_call(bytes, static_cast<const std::uint16_t* const*>(taps.data()), dst.row(y), n, k.data(), r);
        }
        return;
    }
    // rowp[v mod ring] holds the horizontal pass of virtual row v.
    auto make_row = [&](std::ptrdiff_t v) {
        const std::size_t slot = std::size_t((v % std::ptrdiff_t(ring) + std::ptrdiff_t(ring)) % std::ptrdiff_t(ring));
        const std::ptrdiff_t m = border_index(v, H, border);
        if (m < 0) {
            rowp[slot] = zero_row;
            return;
        }
        pad_row(src.row(std::size_t(m)), padded.data(), w, cn, r, border);
        std::uint16_t* out = hbuf.data() + slot * n;
        gauss_q8_row_call(bytes, static_cast<const std::uint8_t*>(padded.data()), out, n, k.data(), r, cn);
        rowp[slot] = out;
    };
    for (std::ptrdiff_t v = std::ptrdiff_t(y0) - R; v < std::ptrdiff_t(y0) + R; ++v) make_row(v);
    for (std::size_t y = y0; y < y1; ++y) {
        const auto yy = std::ptrdiff_t(y);
        make_row(yy + R);
        for (std::size_t j = 0; j < ring; ++j) {
            const std::ptrdiff_t v = yy - R + std::ptrdiff_t(j);
            taps[j] = rowp[std::size_t((v % std::ptrdiff_t(ring) + std::ptrdiff_t(ring)) % std::ptrdiff_t(ring))];
        }
        gauss_q8_col_call(bytes, static_cast<const std::uint16_t* const*>(taps.data()), dst.row(y), n, k.data(), r);
    }
}

/// Float blur of u16 or float images (OpenCV's sepFilter2D path with float weights), rows [y0, y1).
template <class P, class T>
void gaussian_float_rows(const P& policy, image_view<const T> src, image_view<T> dst, const std::vector<float>& w,
                         border_mode border, std::size_t y0, std::size_t y1) {
    const std::size_t r = w.size() / 2, cn = src.channels(), width = src.width(), n = width * cn;
    const simd::level lvl = bytes_level(policy_vector_bytes(policy));
    const auto H = std::ptrdiff_t(src.height());
    std::ptrdiff_t lo = H, hi = -1;
    bool needs_zero_row = false;
    for (std::ptrdiff_t y = std::ptrdiff_t(y0) - std::ptrdiff_t(r); y < std::ptrdiff_t(y1) + std::ptrdiff_t(r); ++y) {
        const std::ptrdiff_t m = border_index(y, H, border);
        if (m < 0) {
            needs_zero_row = true;
            continue;
        }
        lo = std::min(lo, m);
        hi = std::max(hi, m);
    }
    const std::size_t rows = std::size_t(hi - lo + 1);
    std::vector<float> padded((width + 2 * r) * cn, 0.0f);
    std::vector<float> hbuf((rows + (needs_zero_row ? 1 : 0)) * n, 0.0f);
    std::vector<float> out(n);
    std::vector<const float*> taps(2 * r + 1);
    for (std::size_t j = 0; j < rows; ++j) {
        pad_row(src.row(std::size_t(lo) + j), padded.data(), width, cn, r, border);
        gaussian_row(lvl, padded.data(), hbuf.data() + j * n, n, w.data(), r, cn);
    }
    const float* zero_row = hbuf.data() + rows * n;
    for (std::size_t y = y0; y < y1; ++y) {
        for (std::size_t k = 0; k <= 2 * r; ++k) {
            const std::ptrdiff_t m = border_index(std::ptrdiff_t(y + k) - std::ptrdiff_t(r), H, border);
            taps[k] = m < 0 ? zero_row : hbuf.data() + std::size_t(m - lo) * n;
        }
        gaussian_column(lvl, taps.data(), out.data(), n, w.data(), r);
        T* d = dst.row(y);
        if constexpr (std::is_same_v<T, float>) {
            std::copy(out.begin(), out.end(), d);
        } else {
            // saturate_cast<ushort>(float): round half to even (cvRound), clamp to [0, 65535].
            for (std::size_t i = 0; i < n; ++i) {
                const float v = std::nearbyint(out[i]);
                d[i] = !(v >= 0) ? T(0) : v > 65535.0f ? T(65535) : static_cast<T>(v);
            }
        }
    }
}

template <class P, class T>
void gaussian_blur_impl(const P& policy, image_view<const T> src, image_view<T> dst, const gaussian_params& params) {
    constexpr std::string_view fn = "vecta::gaussian_blur";
    check_image(src, fn, "src");
    check_same_shape(src, dst, fn, "dst");
    require(!views_overlap(src, dst), fn, "dst", "must not overlap src in memory (in-place blurring is not supported)");
    check_gaussian(params.ksize, params.sigma, fn, "params.ksize", "params.sigma", true);
    check_border(params.border, fn, "params.border");
    constexpr bool u8 = std::is_same_v<T, std::uint8_t>;
    const std::size_t ksize = gaussian_ksize(params.ksize, params.sigma, u8);
    require(ksize <= gaussian_params::max_ksize, fn, "params.ksize", "derived from sigma exceeds 4095");
    const std::size_t height = src.height();
    if constexpr (u8) {
        const std::vector<std::uint16_t> k = gaussian_kernel_q8_unchecked(ksize, params.sigma);
        const int bytes = policy_vector_bytes(policy);
        const std::size_t block = std::max<std::size_t>(64, 4 * (ksize / 2));
        parallel_for(policy, height, block, [&](std::size_t y0, std::size_t y1) {
            gaussian_q8_rows(bytes, src, dst, k, params.border, y0, y1);
        });
    } else {
        const std::vector<double> kd = gaussian_kernel_bitexact(ksize, params.sigma);
        const std::vector<float> w(kd.begin(), kd.end());
        const std::size_t block = std::max<std::size_t>(32, 4 * (ksize / 2));
        parallel_for(policy, height, block, [&](std::size_t y0, std::size_t y1) {
            gaussian_float_rows(policy, src, dst, w, params.border, y0, y1);
        });
    }
}

}  // namespace detail

inline std::vector<double> gaussian_kernel(std::size_t ksize, double sigma) {
    detail::check_gaussian(ksize, sigma, "vecta::gaussian_kernel", "ksize", "sigma");
    return detail::gaussian_kernel_bitexact(ksize, sigma);
}

/// The 8-bit fixed-point kernel gaussian_blur uses for u8 images: ksize integers summing to 256,
/// as OpenCV's getGaussianKernelBitExact + getGaussianKernelFixedPoint_ED (smooth.dispatch.cpp):
/// the double kernel (binomial tables {1}, {1,2,1}/4, {1,4,6,4,1}/16, {1,3.5,7,9,7,3.5,1}/32,
/// {4,13,30,51,60,51,30,13,4}/256 for sigma <= 0 and ksize <= 9; else Gaussian weights with
/// sigma = 0.15 ksize + 0.35 when sigma <= 0) scaled by 256 and rounded with error diffusion from
/// the outside in, the centre taking the remainder. E.g. (5, 0) -> 16 64 96 64 16,
/// (5, 1) -> 14 62 104 62 14. O(ksize). Throws as gaussian_kernel.
inline std::vector<std::uint16_t> gaussian_kernel_q8(std::size_t ksize, double sigma = 0) {
    detail::check_gaussian(ksize, sigma, "vecta::gaussian_kernel_q8", "ksize", "sigma");
    return detail::gaussian_kernel_q8_unchecked(ksize, sigma);
}

/// Gaussian blur of an interleaved image with any number of channels (each filtered on its own),
/// as cv::GaussianBlur(src, dst, {ksize, ksize}, sigma, sigma, border) on a whole Mat.
///  - 8-bit: OpenCV's bit-exact fixed-point path: the kernel gaussian_kernel_q8 (integers summing
///    to 256), a horizontal pass exact in u16 and dst = (sum_ij ky_i kx_j src + 2^15) >> 16,
///    equal to OpenCV 4.x pixel for pixel (tested against cv::GaussianBlur). The integer kernels
///    run with runtime CPU dispatch (SSE2 / AVX2 / AVX-512BW, see dispatch.hpp); every width and
///    the scalar loop give the same bits.
///  - u16 and float: the float weights of gaussian_kernel, a horizontal and a vertical float pass
///    (run-time dispatch SSE2 / AVX2 / AVX-512, no FMA, bitwise identical to the scalar path), u16 results rounded half
///    to even and saturated; within 0.55 levels (u16) / 1e-5 (float in [0, 1]) of the exact convolution with those
///    weights (tests: within 2 of 65535 levels of cv::GaussianBlur for u16, 1e-4 for float).
/// ksize 0 derives the size from sigma as OpenCV (round(6 sigma + 1) | 1 for 8-bit, 8 sigma for
/// others). Borders: params.border (default reflect101 = BORDER_DEFAULT, replicate, constant 0).
/// Shapes: src w x h x c, dst w x h x c caller-owned (any stride, must not overlap src).
/// Rows run in parallel under vecta::par with identical output. O(w h c ksize).
/// Throws vecta::invalid_argument if src is empty ("src"), dst's shape differs or dst overlaps src
/// ("dst"), ksize is even or > 4095, or 0 without a sigma in (0, 500] ("params.ksize"), sigma is
/// NaN or infinite or positive with sigma^2 not a normal double ("params.sigma"), or border is not
/// an enumerator ("params.border").
template <execution_policy P>
void gaussian_blur(const P& policy, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
                   const gaussian_params& params = {}) {
    detail::gaussian_blur_impl(policy, src, dst, params);
}
/// 16-bit overload (float weights, rounded half to even).
template <execution_policy P>
void gaussian_blur(const P& policy, image_view<const std::uint16_t> src, image_view<std::uint16_t> dst,
                   const gaussian_params& params = {}) {
    detail::gaussian_blur_impl(policy, src, dst, params);
}
/// float overload.
template <execution_policy P>
void gaussian_blur(const P& policy, image_view<const float> src, image_view<float> dst,
                   const gaussian_params& params = {}) {
    detail::gaussian_blur_impl(policy, src, dst, params);
}

/// gaussian_blur(vecta::seq, src, dst, params).
inline void gaussian_blur(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
                          const gaussian_params& params = {}) {
    gaussian_blur(seq, src, dst, params);
}
/// gaussian_blur(vecta::seq, src, dst, params), 16-bit.
inline void gaussian_blur(image_view<const std::uint16_t> src, image_view<std::uint16_t> dst,
                          const gaussian_params& params = {}) {
    gaussian_blur(seq, src, dst, params);
}
/// gaussian_blur(vecta::seq, src, dst, params), float.
inline void gaussian_blur(image_view<const float> src, image_view<float> dst, const gaussian_params& params = {}) {
    gaussian_blur(seq, src, dst, params);
}

}  // namespace vecta
