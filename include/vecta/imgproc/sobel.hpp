// vecta/imgproc/sobel.hpp - 3x3 Sobel derivatives of 8-bit gray images (OpenCV semantics).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/simd.hpp"
#include "border.hpp"

namespace vecta {

/// Parameters of sobel.
struct sobel_params {
    /// Pixels outside the image (OpenCV's default BORDER_REFLECT_101).
    border_mode border = border_mode::reflect101;
};

/// Parameters of sobel_magnitude.
struct sobel_magnitude_params {
    /// true: sqrt(dx^2 + dy^2); false: |dx| + |dy|.
    bool l2 = true;
    /// Pixels outside the image (OpenCV's default BORDER_REFLECT_101).
    border_mode border = border_mode::reflect101;
};

namespace detail {

/// One output row of the 3x3 Sobel pair from three source rows a (y-1), b (y), c (y+1), each
/// padded by one pixel on both sides (w + 2 values, already border-mapped):
///   vs = a + 2b + c,  vd = c - a                   (vertical smoothing / derivative)
///   dx[x] = vs[x+2] - vs[x],  dy[x] = vd[x] + 2 vd[x+1] + vd[x+2]
/// All values fit int16 (|dx|, |dy| <= 1020), so the arithmetic is exact in both paths.
struct sobel_row_kernel {
    template <class Arch>
    void operator()(Arch, const std::int16_t* a, const std::int16_t* b, const std::int16_t* c, std::int16_t* vs,
                    std::int16_t* vd, std::int16_t* dx, std::int16_t* dy, std::size_t w) const noexcept {
        using B = xsimd::batch<std::int16_t, Arch>;
        constexpr std::size_t N = B::size;
        const std::size_t wp = w + 2;
        std::size_t i = 0;
        for (; i + N <= wp; i += N) {
            const B ba = B::load_unaligned(a + i), bb = B::load_unaligned(b + i), bc = B::load_unaligned(c + i);
            ((ba + bb) + (bb + bc)).store_unaligned(vs + i);
            (bc - ba).store_unaligned(vd + i);
        }
        vertical(a, b, c, vs, vd, i, wp);
        std::size_t x = 0;
        for (; x + N <= w; x += N) {
            (B::load_unaligned(vs + x + 2) - B::load_unaligned(vs + x)).store_unaligned(dx + x);
            const B d1 = B::load_unaligned(vd + x + 1);
            ((B::load_unaligned(vd + x) + d1) + (d1 + B::load_unaligned(vd + x + 2))).store_unaligned(dy + x);
        }
        horizontal(vs, vd, dx, dy, x, w);
    }

    void operator()(simd::scalar_t, const std::int16_t* a, const std::int16_t* b, const std::int16_t* c,
                    std::int16_t* vs, std::int16_t* vd, std::int16_t* dx, std::int16_t* dy,
                    std::size_t w) const noexcept {
        vertical(a, b, c, vs, vd, 0, w + 2);
        horizontal(vs, vd, dx, dy, 0, w);
    }

private:
    static void vertical(const std::int16_t* a, const std::int16_t* b, const std::int16_t* c, std::int16_t* vs,
                         std::int16_t* vd, std::size_t i, std::size_t n) noexcept {
        for (; i < n; ++i) {
            vs[i] = static_cast<std::int16_t>(a[i] + 2 * b[i] + c[i]);
            vd[i] = static_cast<std::int16_t>(c[i] - a[i]);
        }
    }
    static void horizontal(const std::int16_t* vs, const std::int16_t* vd, std::int16_t* dx, std::int16_t* dy,
                           std::size_t x, std::size_t w) noexcept {
        for (; x < w; ++x) {
            dx[x] = static_cast<std::int16_t>(vs[x + 2] - vs[x]);
            dy[x] = static_cast<std::int16_t>(vd[x] + 2 * vd[x + 1] + vd[x + 2]);
        }
    }
};

/// Computes the Sobel rows y0..y1-1 of a validated 1-channel src and calls
/// row_fn(y, const int16_t* dx, const int16_t* dy) for each, in order. Block-local scratch.
template <class P, class RowFn>
void sobel_block(const P& policy, image_view<const std::uint8_t> src, border_mode border, std::size_t y0,
                 std::size_t y1, RowFn&& row_fn) {
    const std::size_t w = src.width();
    const auto W = std::ptrdiff_t(w), H = std::ptrdiff_t(src.height());
    std::ptrdiff_t lo = H, hi = -1;
    for (std::ptrdiff_t y = std::ptrdiff_t(y0) - 1; y <= std::ptrdiff_t(y1); ++y) {
        const std::ptrdiff_t m = border_index(y, H, border);
        if (m < 0) continue;
        lo = std::min(lo, m);
        hi = std::max(hi, m);
    }
    const std::size_t rows = std::size_t(hi - lo + 1), wp = w + 2;
    // Converted, column-padded source rows lo..hi, then one zero row (constant border).
    std::vector<std::int16_t> conv((rows + 1) * wp, 0);
    for (std::size_t j = 0; j < rows; ++j) {
        const std::uint8_t* s = src.row(std::size_t(lo) + j);
        std::int16_t* d = conv.data() + j * wp;
        for (std::size_t x = 0; x < w; ++x) d[x + 1] = s[x];
        const std::ptrdiff_t l = border_index(-1, W, border), r = border_index(W, W, border);
        d[0] = l < 0 ? std::int16_t(0) : std::int16_t(s[l]);
        d[w + 1] = r < 0 ? std::int16_t(0) : std::int16_t(s[r]);
    }
    const std::int16_t* zero = conv.data() + rows * wp;
    auto row_of = [&](std::ptrdiff_t y) {
        const std::ptrdiff_t m = border_index(y, H, border);
        return m < 0 ? zero : conv.data() + std::size_t(m - lo) * wp;
    };
    std::vector<std::int16_t> vs(wp), vd(wp), dx(w), dy(w);
    for (std::size_t y = y0; y < y1; ++y) {
        const auto yy = std::ptrdiff_t(y);
        simd_invoke(policy, sobel_row_kernel{}, row_of(yy - 1), row_of(yy), row_of(yy + 1), vs.data(), vd.data(),
                    dx.data(), dy.data(), w);
        row_fn(y, static_cast<const std::int16_t*>(dx.data()), static_cast<const std::int16_t*>(dy.data()));
    }
}

inline constexpr std::size_t sobel_block_rows = 64;

}  // namespace detail

/// 3x3 Sobel derivatives of an 8-bit gray image, as cv::Sobel(src, CV_16S, 1, 0, 3) into dx and
/// cv::Sobel(src, CV_16S, 0, 1, 3) into dy (scale 1, delta 0, exact integers in [-1020, 1020]):
///   dx = [-1 0 1; -2 0 2; -1 0 1] * src,   dy = [-1 -2 -1; 0 0 0; 1 2 1] * src
/// (x grows to the right, y downwards; correlation as OpenCV filters). Pixels outside the image
/// follow params.border (default reflect101, OpenCV's default BORDER_REFLECT_101). Shapes: src, dx and dy w x h x 1;
/// dx and dy are caller-owned. Rows run in parallel under vecta::par; xsimd int16 batches
/// (exact, so SIMD and scalar agree). O(w h).
/// Throws vecta::invalid_argument if src is empty or not 1-channel ("src"), if dx or dy is not
/// w x h x 1 or overlaps src or the other output ("dx", "dy"), or if params.border is not an
/// enumerator ("params.border").
template <execution_policy P>
void sobel(const P& policy, image_view<const std::uint8_t> src, image_view<std::int16_t> dx,
           image_view<std::int16_t> dy, const sobel_params& params = {}) {
    constexpr std::string_view fn = "vecta::sobel";
    detail::check_image(src, fn, "src", 1);
    detail::check_same_shape(src, dx, fn, "dx");
    detail::check_same_shape(src, dy, fn, "dy");
    detail::require(!detail::views_overlap(src, dx), fn, "dx", "must not overlap src in memory");
    detail::require(!detail::views_overlap(src, dy), fn, "dy", "must not overlap src in memory");
    detail::require(!detail::views_overlap(dx, dy), fn, "dy", "must not overlap dx in memory");
    detail::check_border(params.border, fn, "params.border");
    const std::size_t w = src.width();
    detail::parallel_for(policy, src.height(), detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        detail::sobel_block(policy, src, params.border, y0, y1,
                            [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) {
                                std::copy(gx, gx + w, dx.row(y));
                                std::copy(gy, gy + w, dy.row(y));
                            });
    });
}

/// sobel(vecta::seq, src, dx, dy, params).
inline void sobel(image_view<const std::uint8_t> src, image_view<std::int16_t> dx, image_view<std::int16_t> dy,
                  const sobel_params& params = {}) {
    sobel(seq, src, dx, dy, params);
}

/// Gradient magnitude of the 3x3 Sobel derivatives (see sobel) as float:
///   params.l2 = true (default):  sqrt(dx^2 + dy^2)  (in [0, 1442.5]),
///   params.l2 = false:           |dx| + |dy|        (in [0, 2040]),
/// with params.border for the pixels outside the image (default reflect101).
/// Shapes: src w x h x 1, dst w x h x 1 float (caller-owned). O(w h).
/// Throws vecta::invalid_argument if src is empty or not 1-channel ("src"), dst is not
/// w x h x 1 or overlaps src ("dst"), or params.border is not an enumerator ("params.border").
template <execution_policy P>
void sobel_magnitude(const P& policy, image_view<const std::uint8_t> src, image_view<float> dst,
                     const sobel_magnitude_params& params = {}) {
    constexpr std::string_view fn = "vecta::sobel_magnitude";
    detail::check_image(src, fn, "src", 1);
    detail::check_same_shape(src, dst, fn, "dst");
    detail::require(!detail::views_overlap(src, dst), fn, "dst", "must not overlap src in memory");
    detail::check_border(params.border, fn, "params.border");
    const std::size_t w = src.width();
    const bool l2 = params.l2;
    detail::parallel_for(policy, src.height(), detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        detail::sobel_block(policy, src, params.border, y0, y1,
                            [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) {
                                float* d = dst.row(y);
                                for (std::size_t x = 0; x < w; ++x) {
                                    const int a = gx[x], b = gy[x];
                                    d[x] = l2 ? std::sqrt(float(a * a + b * b)) : float(std::abs(a) + std::abs(b));
                                }
                            });
    });
}

/// sobel_magnitude(vecta::seq, src, dst, params).
inline void sobel_magnitude(image_view<const std::uint8_t> src, image_view<float> dst,
                            const sobel_magnitude_params& params = {}) {
    sobel_magnitude(seq, src, dst, params);
}

}  // namespace vecta
