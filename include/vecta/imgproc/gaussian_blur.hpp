// vecta/imgproc/gaussian_blur.hpp - separable Gaussian blur of 8-bit images (OpenCV semantics).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/simd.hpp"
#include "border.hpp"

namespace vecta {

/// Parameters of gaussian_blur.
struct gaussian_params {
    /// Kernel size (odd, >= 1, <= max_ksize), the same along x and y.
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
                           std::string_view sigma_name) {
    require(ksize % 2 == 1 && ksize <= gaussian_params::max_ksize, fn, ksize_name, "must be odd, >= 1 and <= 4095");
    require(std::isfinite(sigma), fn, sigma_name, "must be finite (not NaN or infinite)");
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

/// Horizontal pass of one row: out[i] = sum_k w[k] * in[i + k * cn] for i in [0, n), where `in`
/// is the row padded by r = ksize / 2 pixels on both sides (n + 2 r cn floats). The symmetric
/// kernel is folded: acc = w[r] in_r + sum_{k<r} w[k] (in_k + in_{2r-k}), in that order, with
/// separate multiplies and adds (no FMA) in both paths so they give bitwise identical results
/// when the compiler does not contract them (-ffp-contract=off, set by vecta::vecta).
struct gaussian_row_kernel {
    template <class Arch>
    void operator()(Arch, const float* in, float* out, std::size_t n, const float* w, std::size_t r,
                    std::size_t cn) const noexcept {
        using B = xsimd::batch<float, Arch>;
        constexpr std::size_t N = B::size;
        std::size_t i = 0;
        for (; i + N <= n; i += N) {
            const float* p = in + i;
            B acc = B(w[r]) * B::load_unaligned(p + r * cn);
            for (std::size_t k = 0; k < r; ++k)
                acc = acc + B(w[k]) * (B::load_unaligned(p + k * cn) + B::load_unaligned(p + (2 * r - k) * cn));
            acc.store_unaligned(out + i);
        }
        tail(in, out, i, n, w, r, cn);
    }

    void operator()(simd::scalar_t, const float* in, float* out, std::size_t n, const float* w, std::size_t r,
                    std::size_t cn) const noexcept {
        tail(in, out, 0, n, w, r, cn);
    }

private:
    static void tail(const float* in, float* out, std::size_t i, std::size_t n, const float* w, std::size_t r,
                     std::size_t cn) noexcept {
        for (; i < n; ++i) {
            const float* p = in + i;
            float acc = w[r] * p[r * cn];
            for (std::size_t k = 0; k < r; ++k) acc = acc + w[k] * (p[k * cn] + p[(2 * r - k) * cn]);
            out[i] = acc;
        }
    }
};

/// Vertical pass of one output row: out[i] = sum_k w[k] * rows[k][i], i in [0, n), folded as in
/// gaussian_row_kernel.
struct gaussian_column_kernel {
    template <class Arch>
    void operator()(Arch, const float* const* rows, float* out, std::size_t n, const float* w,
                    std::size_t r) const noexcept {
        using B = xsimd::batch<float, Arch>;
        constexpr std::size_t N = B::size;
        std::size_t i = 0;
        for (; i + N <= n; i += N) {
            B acc = B(w[r]) * B::load_unaligned(rows[r] + i);
            for (std::size_t k = 0; k < r; ++k)
                acc = acc + B(w[k]) * (B::load_unaligned(rows[k] + i) + B::load_unaligned(rows[2 * r - k] + i));
            acc.store_unaligned(out + i);
        }
        tail(rows, out, i, n, w, r);
    }

    void operator()(simd::scalar_t, const float* const* rows, float* out, std::size_t n, const float* w,
                    std::size_t r) const noexcept {
        tail(rows, out, 0, n, w, r);
    }

private:
    static void tail(const float* const* rows, float* out, std::size_t i, std::size_t n, const float* w,
                     std::size_t r) noexcept {
        for (; i < n; ++i) {
            float acc = w[r] * rows[r][i];
            for (std::size_t k = 0; k < r; ++k) acc = acc + w[k] * (rows[k][i] + rows[2 * r - k][i]);
            out[i] = acc;
        }
    }
};

/// Rounds to nearest with ties up, as OpenCV's fixed-point (v + 2^15) >> 16, and saturates;
/// NaN (not produced by validated input) gives 0 rather than an undefined conversion.
inline std::uint8_t round_to_u8(float v) noexcept {
    const double q = std::floor(double(v) + 0.5);  // exact: v + 0.5 cannot round in double
    if (!(q >= 0)) return 0;                       // negative or NaN
    return static_cast<std::uint8_t>(q > 255 ? 255 : q);
}

}  // namespace detail

/// The 1-D Gaussian kernel gaussian_blur uses (ksize weights summing to 1), as OpenCV's
/// cv::getGaussianKernel(ksize, sigma, CV_64F):
///   - sigma <= 0 and ksize <= 7: the fixed binomial tables {1}, {1,2,1}/4, {1,4,6,4,1}/16,
///     {1,3.5,7,9,7,3.5,1}/32;
///   - otherwise w_i = exp(-(i - (ksize-1)/2)^2 / (2 sigma^2)) normalised to sum 1, with
///     sigma = 0.3 ((ksize - 1) / 2 - 1) + 0.8 when sigma <= 0.
/// A tiny sigma > 0 (e.g. 1e-3) gives the delta kernel {0, ..., 0, 1, 0, ..., 0}.
/// O(ksize). Throws vecta::invalid_argument if ksize is even, 0 or > 4095 ("ksize") or sigma
/// is NaN or infinite, or positive with sigma^2 not a normal double, i.e. sigma below about
/// 1.5e-154 or above about 1.3e154 ("sigma").
inline std::vector<double> gaussian_kernel(std::size_t ksize, double sigma = 0) {
    detail::check_gaussian(ksize, sigma, "vecta::gaussian_kernel", "ksize", "sigma");
    return detail::gaussian_kernel_unchecked(ksize, sigma);
}

/// Gaussian blur of an interleaved 8-bit image with any number of channels (each channel
/// filtered on its own), as cv::GaussianBlur(src, dst, {ksize, ksize}, sigma, sigma, border).
/// Separable: a horizontal then a vertical pass with the float weights of gaussian_kernel,
/// accumulated in float (xsimd batches, or plain loops under vecta::simd::scalar; both do the
/// same plain multiplies and adds, no FMA, in the same order and give bitwise identical output
/// on every instruction set as long as the compiler evaluates them as written: the vecta::vecta
/// CMake target adds -ffp-contract=off for GCC/Clang, single-header users targeting FMA
/// hardware should add it too), then rounded to nearest (ties up) and saturated. The result is within 1 level of the
/// exact convolution. With sigma <= 0 and ksize <= 7 the weights are dyadic, the float sums are exact and the output
/// equals OpenCV's 8-bit fixed-point result bit for bit; otherwise OpenCV's 8-bit path (weights rounded to multiples of
/// 1/256) can differ from this by 1-2 levels. Shapes: src w x h x c, dst w x h x c (caller-owned, may have any stride,
/// must not overlap src: in-place blurring is not supported). Rows run in parallel under vecta::par with identical
/// output. O(w h c ksize) time, O(c w (ksize + block)) scratch per block of rows. Throws vecta::invalid_argument if src
/// is empty ("src"), dst's shape differs or dst overlaps src ("dst"), ksize is even, 0 or > 4095 ("params.ksize"),
/// sigma is NaN or infinite or positive with sigma^2 not a normal double (below about 1.5e-154 or above about 1.3e154)
/// ("params.sigma"), or border is not an enumerator ("params.border").
template <execution_policy P>
void gaussian_blur(const P& policy, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
                   const gaussian_params& params = {}) {
    constexpr std::string_view fn = "vecta::gaussian_blur";
    detail::check_image(src, fn, "src");
    detail::check_same_shape(src, dst, fn, "dst");
    detail::require(!detail::views_overlap(src, dst), fn, "dst",
                    "must not overlap src in memory (in-place blurring is not supported)");
    detail::check_gaussian(params.ksize, params.sigma, fn, "params.ksize", "params.sigma");
    detail::check_border(params.border, fn, "params.border");

    const std::vector<double> kd = detail::gaussian_kernel_unchecked(params.ksize, params.sigma);
    const std::vector<float> w(kd.begin(), kd.end());
    const std::size_t r = params.ksize / 2, cn = src.channels(), width = src.width(), height = src.height(),
                      n = width * cn;
    const auto W = std::ptrdiff_t(width), H = std::ptrdiff_t(height);
    const border_mode border = params.border;
    const std::size_t block = std::max<std::size_t>(32, 4 * r);

    detail::parallel_for(policy, height, block, [&](std::size_t y0, std::size_t y1) {
        // Source rows this block reads, after the border mapping.
        std::ptrdiff_t lo = H, hi = -1;
        bool needs_zero_row = false;
        for (std::ptrdiff_t y = std::ptrdiff_t(y0) - std::ptrdiff_t(r); y < std::ptrdiff_t(y1) + std::ptrdiff_t(r);
             ++y) {
            const std::ptrdiff_t m = detail::border_index(y, H, border);
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

        // Horizontal pass over each needed source row.
        for (std::size_t j = 0; j < rows; ++j) {
            const std::uint8_t* s = src.row(std::size_t(lo) + j);
            for (std::ptrdiff_t x = -std::ptrdiff_t(r); x < W + std::ptrdiff_t(r); ++x) {
                const std::ptrdiff_t m = detail::border_index(x, W, border);
                float* d = padded.data() + std::size_t(x + std::ptrdiff_t(r)) * cn;
                if (m < 0)
                    for (std::size_t c = 0; c < cn; ++c) d[c] = 0.0f;
                else
                    for (std::size_t c = 0; c < cn; ++c) d[c] = float(s[std::size_t(m) * cn + c]);
            }
            detail::simd_invoke(policy, detail::gaussian_row_kernel{}, padded.data(), hbuf.data() + j * n, n, w.data(),
                                r, cn);
        }
        const float* zero_row = hbuf.data() + rows * n;  // zeros, used for constant borders

        // Vertical pass and rounding.
        for (std::size_t y = y0; y < y1; ++y) {
            for (std::size_t k = 0; k <= 2 * r; ++k) {
                const std::ptrdiff_t m = detail::border_index(std::ptrdiff_t(y + k) - std::ptrdiff_t(r), H, border);
                taps[k] = m < 0 ? zero_row : hbuf.data() + std::size_t(m - lo) * n;
            }
            detail::simd_invoke(policy, detail::gaussian_column_kernel{}, taps.data(), out.data(), n, w.data(), r);
            std::uint8_t* d = dst.row(y);
            for (std::size_t i = 0; i < n; ++i) d[i] = detail::round_to_u8(out[i]);
        }
    });
}

/// gaussian_blur(vecta::seq, src, dst, params).
inline void gaussian_blur(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
                          const gaussian_params& params = {}) {
    gaussian_blur(seq, src, dst, params);
}

}  // namespace vecta
