// SPDX-License-Identifier: MIT
// vecta/imgproc/border.hpp - how filters read pixels outside the image.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta {

/// Rule for the pixels a filter reads outside the image, as OpenCV's cv::BorderTypes.
/// With n pixels along an axis (indices 0..n-1):
///   reflect101  mirror without repeating the edge:  ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...
///               (OpenCV BORDER_REFLECT_101 = BORDER_DEFAULT; reflected again as often as needed;
///               for n == 1 every index maps to 0)
///   replicate   repeat the edge pixel:              ... 0 0 | 0 1 2 ... n-1 | n-1 n-1 ...
///               (OpenCV BORDER_REPLICATE)
///   constant    zeros outside the image (OpenCV BORDER_CONSTANT with value 0)
enum class border_mode { reflect101, replicate, constant };

namespace detail {

/// Maps the (possibly out-of-range) index i along an axis of n >= 1 pixels to an index in
/// [0, n), or to -1 for border_mode::constant when i is outside (the caller reads 0 there).
/// O(1); reflect101 reflects as many times as needed (kernels wider than the image).
constexpr std::ptrdiff_t border_index(std::ptrdiff_t i, std::ptrdiff_t n, border_mode mode) noexcept {
    if (i >= 0 && i < n) return i;
    switch (mode) {
        case border_mode::replicate: return i < 0 ? 0 : n - 1;
        case border_mode::reflect101: {
            if (n == 1) return 0;
            const std::ptrdiff_t period = 2 * (n - 1);
            std::ptrdiff_t j = i % period;
            if (j < 0) j += period;
            return j < n ? j : period - j;
        }
        case border_mode::constant:
        default: return -1;
    }
}

/// Throws vecta::invalid_argument naming `name` unless `mode` is one of the enumerators.
inline void check_border(border_mode mode, std::string_view function, std::string_view name) {
    require(mode == border_mode::reflect101 || mode == border_mode::replicate || mode == border_mode::constant,
            function, name, "must be border_mode::reflect101, replicate or constant");
}

}  // namespace detail
}  // namespace vecta
