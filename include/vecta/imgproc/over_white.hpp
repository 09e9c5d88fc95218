// SPDX-License-Identifier: MIT
// vecta/imgproc/over_white.hpp - any 8-bit image with 1-4 channels as RGB on a background colour (white by default).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta {

/// Converts an 8-bit image with 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels to RGB,
/// compositing straight (non-premultiplied) alpha over the colour `background`:
///   out = (v * alpha + bg * (255 - alpha) + 127) / 255   (integer division, per channel)
/// so that the result is what the image looks like on that background. RGB input is copied.
/// Shapes: src w x h x {1,2,3,4} -> w x h x 3. O(w h).
/// Source: Porter & Duff, "Compositing digital images", 1984 (the over operator).
/// Throws vecta::invalid_argument ("src") if it is empty or has more than 4 channels.
inline image<std::uint8_t> rgb_over(image_view<const std::uint8_t> src, std::array<std::uint8_t, 3> background) {
    constexpr std::string_view fn = "vecta::rgb_over";
    detail::check_image(src, fn, "src");
    detail::require(src.channels() <= 4, fn, "src", "must have 1 to 4 channels");
    const std::size_t c = src.channels();
    if (c == 3) return image<std::uint8_t>::from(src);
    image<std::uint8_t> out(src.width(), src.height(), 3);
    for (std::size_t y = 0; y < src.height(); ++y) {
        const std::uint8_t* s = src.row(y);
        std::uint8_t* d = out.view().row(y);
        for (std::size_t x = 0; x < src.width(); ++x, s += c, d += 3) {
            const bool gray = c <= 2;
            const unsigned alpha = (c == 2 || c == 4) ? s[c - 1] : 255u;
            for (std::size_t k = 0; k < 3; ++k) {
                const unsigned v = gray ? s[0] : s[k];
                d[k] = static_cast<std::uint8_t>((v * alpha + unsigned(background[k]) * (255u - alpha) + 127u) / 255u);
            }
        }
    }
    return out;
}

/// rgb_over with a white background: what the image looks like on a white page.
/// Throws vecta::invalid_argument ("src") if it is empty or has more than 4 channels.
inline image<std::uint8_t> rgb_over_white(image_view<const std::uint8_t> src) { return rgb_over(src, {255, 255, 255}); }

/// True when src has an alpha channel (2 or 4 channels) and some pixel's alpha is below 255.
/// O(w h). Throws vecta::invalid_argument ("src") if it is empty or has more than 4 channels.
inline bool has_transparency(image_view<const std::uint8_t> src) {
    detail::check_image(src, "vecta::has_transparency", "src");
    detail::require(src.channels() <= 4, "vecta::has_transparency", "src", "must have 1 to 4 channels");
    const std::size_t c = src.channels();
    if (c != 2 && c != 4) return false;
    for (std::size_t y = 0; y < src.height(); ++y) {
        const std::uint8_t* s = src.row(y);
        for (std::size_t x = 0; x < src.width(); ++x)
            if (s[x * c + c - 1] != 255) return true;
    }
    return false;
}

}  // namespace vecta
