// vecta/imgproc/canny.hpp - Canny edge detector on 8-bit gray images (OpenCV semantics).
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
#include "border.hpp"
#include "sobel.hpp"

namespace vecta {

/// Parameters of canny. Thresholds are in units of the gradient magnitude of the 3x3 Sobel
/// operator (|dx| + |dy| <= 2040, or sqrt(dx^2 + dy^2) <= 1443 with l2_gradient).
struct canny_params {
    /// Hysteresis low threshold (>= 0, <= high): weaker local maxima are dropped.
    double low = 50;
    /// Hysteresis high threshold: local maxima with magnitude > high start edges.
    double high = 150;
    /// true: magnitude sqrt(dx^2 + dy^2); false: |dx| + |dy| (OpenCV's default).
    bool l2_gradient = false;
    /// Border of the Sobel pass. cv::Canny uses BORDER_REPLICATE internally.
    border_mode border = border_mode::replicate;
};

namespace detail {

/// Canny map values, as OpenCV's: 0 = weak candidate, 1 = not an edge, 2 = edge.
inline constexpr std::uint8_t canny_weak = 0, canny_none = 1, canny_edge = 2;

/// A threshold t >= 0 as the integer T with (m > t) == (m > T) for every integer magnitude m:
/// floor(t), or floor(t^2) for the squared L2 magnitude (OpenCV clamps t to 32767 first).
inline std::int64_t canny_threshold(double t, bool l2) noexcept {
    if (l2) {
        t = std::min(t, 32767.0);
        t = t * t;
    } else {
        t = std::min(t, 1e15);
    }
    return static_cast<std::int64_t>(std::floor(t));
}

}  // namespace detail

/// Canny edge detector (J. Canny, "A Computational Approach to Edge Detection", IEEE PAMI 1986)
/// as cv::Canny(src, dst, low, high, 3, l2_gradient), without internal smoothing (blur first,
/// e.g. with gaussian_blur, for noisy input):
///  1. 3x3 Sobel dx, dy (see sobel) with params.border (default replicate, as cv::Canny).
///  2. Magnitude m = |dx| + |dy|, or dx^2 + dy^2 compared with squared thresholds for l2.
///     Outside the image m is 0.
///  3. Non-maximum suppression with OpenCV's 15-bit fixed-point tangent test
///     (TG22 = round(tan(22.5 deg) 2^15) = 13573; for 8-bit input it equals the exact test):
///     |dy| 2^15 < TG22 |dx|          horizontal: keep if m > m(x-1) and m >= m(x+1);
///     |dy| 2^15 > (TG22 + 2^16) |dx| vertical:   keep if m > m(y-1) and m >= m(y+1);
///     otherwise diagonal: keep if m is > both neighbours along the gradient's diagonal
///     (up-left/down-right when dx and dy have the same sign, else up-right/down-left).
///     Only pixels with m > low are considered.
///  4. Hysteresis: kept pixels with m > high are edges; kept pixels with m > low become edges
///     when 8-connected to an edge through such pixels.
/// Output: dst = 255 on edges, else 0. Pixels on the image border can be edges.
/// Shapes: src, dst w x h x 1 (dst caller-owned, must not overlap src: no in-place).
/// Steps 1-3 run in parallel under vecta::par; hysteresis is a sequential flood fill whose
/// result does not depend on order, so seq and par give identical output.
/// O(w h) time; scratch about 9 bytes per pixel plus the hysteresis stack.
/// Throws vecta::invalid_argument if src is empty or not 1-channel ("src"), dst is not
/// w x h x 1 or overlaps src ("dst"), a threshold is NaN or negative ("params.low",
/// "params.high"), low > high ("params.low"; cv::Canny swaps them instead), or border is not
/// an enumerator ("params.border").
template <execution_policy P>
void canny(const P& policy, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
           const canny_params& params = {}) {
    constexpr std::string_view fn = "vecta::canny";
    detail::check_image(src, fn, "src", 1);
    detail::check_same_shape(src, dst, fn, "dst");
    detail::require(!detail::views_overlap(src, dst), fn, "dst",
                    "must not overlap src in memory (in-place Canny is not supported)");
    detail::require(!std::isnan(params.low) && params.low >= 0, fn, "params.low", "must be >= 0 and not NaN");
    detail::require(!std::isnan(params.high) && params.high >= 0, fn, "params.high", "must be >= 0 and not NaN");
    detail::require(params.low <= params.high, fn, "params.low", "must be <= params.high");
    detail::check_border(params.border, fn, "params.border");

    const bool l2 = params.l2_gradient;
    const std::int64_t low = detail::canny_threshold(params.low, l2);
    const std::int64_t high = detail::canny_threshold(params.high, l2);
    const std::size_t w = src.width(), h = src.height(), mw = w + 2;

    // Gradients, and magnitudes framed by one pixel of zeros.
    std::vector<std::int16_t> gx(w * h), gy(w * h);
    std::vector<std::int32_t> mag(mw * (h + 2), 0);
    detail::parallel_for(policy, h, detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        detail::sobel_block(policy, src, params.border, y0, y1,
                            [&](std::size_t y, const std::int16_t* dx, const std::int16_t* dy) {
                                std::copy(dx, dx + w, gx.data() + y * w);
                                std::copy(dy, dy + w, gy.data() + y * w);
                                std::int32_t* m = mag.data() + (y + 1) * mw + 1;
                                for (std::size_t x = 0; x < w; ++x) {
                                    const std::int32_t a = dx[x], b = dy[x];
                                    m[x] = l2 ? a * a + b * b : std::abs(a) + std::abs(b);
                                }
                            });
    });

    // Non-maximum suppression into a map framed by canny_none.
    std::vector<std::uint8_t> map(mw * (h + 2), detail::canny_none);
    detail::parallel_for(policy, h, detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        constexpr std::int64_t tg22 = 13573;  // (int)(0.4142135623730950488 * 2^15 + 0.5)
        for (std::size_t y = y0; y < y1; ++y) {
            const std::int32_t* up = mag.data() + y * mw + 1;
            const std::int32_t* cur = up + mw;
            const std::int32_t* down = cur + mw;
            std::uint8_t* mp = map.data() + (y + 1) * mw + 1;
            const std::int16_t* dxr = gx.data() + y * w;
            const std::int16_t* dyr = gy.data() + y * w;
            for (std::size_t x = 0; x < w; ++x) {
                const std::int32_t m = cur[x];
                if (m <= low) continue;
                const std::int64_t xs = dxr[x], ys = dyr[x];
                const std::int64_t ax = std::abs(xs), ay = std::abs(ys) << 15;
                const std::int64_t tg22x = ax * tg22;
                bool keep;
                if (ay < tg22x) {
                    keep = m > cur[x - 1] && m >= cur[x + 1];
                } else if (ay > tg22x + (ax << 16)) {
                    keep = m > up[x] && m >= down[x];
                } else {
                    const std::ptrdiff_t s = (xs < 0) != (ys < 0) ? -1 : 1;
                    const auto xi = std::ptrdiff_t(x);
                    keep = m > up[xi - s] && m > down[xi + s];
                }
                if (keep) mp[x] = m > high ? detail::canny_edge : detail::canny_weak;
            }
        }
    });

    // Hysteresis: flood from the edges through 8-connected weak candidates.
    std::vector<std::size_t> stack;
    for (std::size_t i = mw; i < mw * (h + 1); ++i)
        if (map[i] == detail::canny_edge) stack.push_back(i);
    const std::size_t offsets[4] = {1, mw - 1, mw, mw + 1};
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        for (std::size_t k = 0; k < 4; ++k) {
            // The frame holds canny_none, so i +- offset stays inside the map.
            for (const std::size_t j : {i + offsets[k], i - offsets[k]}) {
                if (map[j] == detail::canny_weak) {
                    map[j] = detail::canny_edge;
                    stack.push_back(j);
                }
            }
        }
    }

    detail::parallel_for(policy, h, 256, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint8_t* mp = map.data() + (y + 1) * mw + 1;
            std::uint8_t* d = dst.row(y);
            for (std::size_t x = 0; x < w; ++x) d[x] = mp[x] == detail::canny_edge ? 255 : 0;
        }
    });
}

/// canny(vecta::seq, src, dst, params).
inline void canny(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst, const canny_params& params = {}) {
    canny(seq, src, dst, params);
}

}  // namespace vecta
