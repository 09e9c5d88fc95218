// SPDX-License-Identifier: MIT
// vecta/imgproc/gray.hpp - RGB(A) to gray, BT.601 luma as OpenCV's cvtColor(RGB2GRAY).
#pragma once

#include <cstddef>
#include <cstdint>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "border.hpp"

namespace vecta {

namespace detail {

/// BT.601 luma of 8-bit R, G, B in OpenCV 4.x's fixed point for 8-bit cv::cvtColor RGB2GRAY:
/// the weights 0.299, 0.587, 0.114 times 2^15 (9798, 19235, 3735; they sum to 2^15), rounded
/// half up. Equal to OpenCV 4.6's result on every colour (tests/imgproc/test_opencv_parity.cpp).
constexpr std::uint32_t bt601_luma(std::uint32_t r, std::uint32_t g, std::uint32_t b) noexcept {
    return (r * 9798u + g * 19235u + b * 3735u + 16384u) >> 15;
}

inline void to_gray_rows(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst, std::size_t y0,
                         std::size_t y1) noexcept {
    const std::size_t cn = src.channels(), w = src.width();
    for (std::size_t y = y0; y < y1; ++y) {
        const std::uint8_t* s = src.row(y);
        std::uint8_t* d = dst.row(y);
        for (std::size_t x = 0; x < w; ++x, s += cn) d[x] = static_cast<std::uint8_t>(bt601_luma(s[0], s[1], s[2]));
    }
}

}  // namespace detail

/// Converts an interleaved RGB (3 channels) or RGBA (4 channels, alpha ignored) 8-bit image to
/// 8-bit gray with the ITU-R BT.601 luma weights in OpenCV 4.x's 15-bit fixed point
/// (cv::cvtColor COLOR_RGB2GRAY / COLOR_RGBA2GRAY, bit-exact):
///   gray = (9798 R + 19235 G + 3735 B + 16384) >> 15   (0.299 R + 0.587 G + 0.114 B, rounded)
/// Channel order is R, G, B as stb_image loads it (for BGR data swap the result's meaning).
/// Shapes: src w x h x {3,4}, dst w x h x 1 (caller-owned). O(w h).
/// Throws vecta::invalid_argument if src is empty or has not 3 or 4 channels ("src"), if dst
/// is not w x h with 1 channel, or if dst overlaps src in memory ("dst").
template <execution_policy P>
void to_gray(const P& policy, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst) {
    constexpr std::string_view fn = "vecta::to_gray";
    detail::check_image(src, fn, "src");
    detail::require(src.channels() == 3 || src.channels() == 4, fn, "src", "must have 3 (RGB) or 4 (RGBA) channels");
    detail::require(dst.width() == src.width() && dst.height() == src.height() && dst.channels() == 1, fn, "dst",
                    "must have the width and height of src and 1 channel");
    detail::require(!detail::views_overlap(src, dst), fn, "dst", "must not overlap src in memory");
    detail::parallel_for(policy, src.height(), 64,
                         [&](std::size_t y0, std::size_t y1) { detail::to_gray_rows(src, dst, y0, y1); });
}

/// to_gray(vecta::seq, src, dst).
inline void to_gray(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst) { to_gray(seq, src, dst); }

/// Returns a new w x h x 1 gray image of src (see to_gray(policy, src, dst)).
/// Throws vecta::invalid_argument as to_gray(policy, src, dst) does for "src".
template <execution_policy P>
image<std::uint8_t> to_gray(const P& policy, image_view<const std::uint8_t> src) {
    detail::check_image(src, "vecta::to_gray", "src");
    image<std::uint8_t> out(src.width(), src.height(), 1);
    to_gray(policy, src, out.view());
    return out;
}

/// to_gray(vecta::seq, src).
inline image<std::uint8_t> to_gray(image_view<const std::uint8_t> src) { return to_gray(seq, src); }

}  // namespace vecta
