// SPDX-License-Identifier: MIT
// vecta/imgproc/upsample.hpp - bilinear upsampling by an integer factor.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta {

/// Bilinear upsampling of an 8-bit image by an integer factor k: output pixel (X, Y) samples the
/// input at ((X + 0.5) / k - 0.5, (Y + 0.5) / k - 0.5) (pixel centres aligned, as OpenCV's
/// INTER_LINEAR), the border clamped; weights in 1/256, rounded to nearest.
/// Shapes: src w x h x c (any c >= 1) -> (k w) x (k h) x c. O(k^2 w h c).
/// Throws vecta::invalid_argument ("src") if it is empty or the result would overflow,
/// ("k") unless 1 <= k <= 16.
inline image<std::uint8_t> upsample_bilinear(image_view<const std::uint8_t> src, int k) {
    constexpr std::string_view fn = "vecta::upsample_bilinear";
    detail::check_image(src, fn, "src");
    detail::require(k >= 1 && k <= 16, fn, "k", "must be in 1..16");
    const std::size_t w = src.width(), h = src.height(), cn = src.channels();
    detail::require(w <= (std::size_t(1) << 28) / std::size_t(k) && h <= (std::size_t(1) << 28) / std::size_t(k), fn,
                    "src", "is too large to upsample by k");
    const std::size_t W = w * std::size_t(k), H = h * std::size_t(k);
    image<std::uint8_t> out(W, H, cn);
    std::vector<std::size_t> x0(W), x1(W);
    std::vector<int> fx(W);  // weight of x1 in 1/256
    for (std::size_t X = 0; X < W; ++X) {
        const double sx = (double(X) + 0.5) / k - 0.5;
        const double fl = std::floor(sx);
        x0[X] = std::size_t(std::clamp(fl, 0.0, double(w - 1))) * cn;
        x1[X] = std::size_t(std::clamp(fl + 1, 0.0, double(w - 1))) * cn;
        fx[X] = int(std::lround((sx - fl) * 256));
    }
    for (std::size_t Y = 0; Y < H; ++Y) {
        const double sy = (double(Y) + 0.5) / k - 0.5;
        const double fl = std::floor(sy);
        const auto y0 = std::size_t(std::clamp(fl, 0.0, double(h - 1)));
        const auto y1 = std::size_t(std::clamp(fl + 1, 0.0, double(h - 1)));
        const int fy = int(std::lround((sy - fl) * 256));
        const std::uint8_t *r0 = src.row(y0), *r1 = src.row(y1);
        std::uint8_t* d = out.view().row(Y);
        for (std::size_t X = 0; X < W; ++X)
            for (std::size_t c = 0; c < cn; ++c) {
                const int a = r0[x0[X] + c] * (256 - fx[X]) + r0[x1[X] + c] * fx[X];
                const int b = r1[x0[X] + c] * (256 - fx[X]) + r1[x1[X] + c] * fx[X];
                d[X * cn + c] = std::uint8_t((a * (256 - fy) + b * fy + (1 << 15)) >> 16);
            }
    }
    return out;
}

}  // namespace vecta
