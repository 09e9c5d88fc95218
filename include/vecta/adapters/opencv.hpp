// SPDX-License-Identifier: MIT
// vecta/adapters/opencv.hpp - zero-copy vecta::image_view from and to cv::Mat.
//
// Compiled only when VECTA_WITH_OPENCV is 1 (CMake: -DVECTA_WITH_OPENCV=ON and the target
// vecta::opencv, which links opencv_core); otherwise this header is empty. Both directions
// share the pixels (no copy): the source must outlive the result. Layouts match: OpenCV and
// vecta store interleaved channels row by row; cv::Mat::step (bytes) becomes the view's
// stride (elements) and back.
#pragma once

#if defined(VECTA_WITH_OPENCV) && VECTA_WITH_OPENCV

#include <climits>
#include <cstddef>
#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string>
#include <type_traits>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta::opencv {

/// OpenCV depth code (CV_8U, ...) of a pixel type; compile error for types OpenCV lacks.
template <class T>
constexpr int depth_of() noexcept {
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_same_v<U, std::uint8_t>)
        return CV_8U;
    else if constexpr (std::is_same_v<U, std::int8_t>)
        return CV_8S;
    else if constexpr (std::is_same_v<U, std::uint16_t>)
        return CV_16U;
    else if constexpr (std::is_same_v<U, std::int16_t>)
        return CV_16S;
    else if constexpr (std::is_same_v<U, std::int32_t>)
        return CV_32S;
    else if constexpr (std::is_same_v<U, float>)
        return CV_32F;
    else if constexpr (std::is_same_v<U, double>)
        return CV_64F;
    else
        static_assert(sizeof(U) == 0, "vecta::opencv: no OpenCV depth for this pixel type");
}

namespace detail {
template <class T>
image_view<T> view_of(const cv::Mat& mat, T* data, std::string_view fn) {
    if (mat.empty()) return {};
    vecta::detail::require(mat.dims == 2, fn, "mat",
                           "must be 2-dimensional, has " + std::to_string(mat.dims) + " dims");
    vecta::detail::require(
        mat.depth() == depth_of<T>(), fn, "mat",
        "must have depth " + std::to_string(depth_of<T>()) + " (the pixel type), has " + std::to_string(mat.depth()));
    // OpenCV guarantees that step[0] is a multiple of the element size (cv::Mat's constructor
    // refuses other steps).
    return image_view<T>(data, std::size_t(mat.cols), std::size_t(mat.rows), std::size_t(mat.channels()),
                         mat.step[0] / sizeof(T));
}
}  // namespace detail

/// Read-only view of a cv::Mat's pixels (no copy): width = cols, height = rows, channels =
/// mat.channels(), stride = step / sizeof(T). An empty Mat gives an empty view. O(1).
/// Throws vecta::invalid_argument naming "mat" if it is not 2-dimensional, its depth is not
/// the one of T (CV_8U for std::uint8_t, CV_16S for std::int16_t, CV_32F for float, ...).
template <class T>
image_view<const T> to_view(const cv::Mat& mat) {
    return detail::view_of<const T>(mat, reinterpret_cast<const T*>(mat.data), "vecta::opencv::to_view");
}

/// Writable view of a cv::Mat's pixels (no copy); as above.
template <class T>
image_view<T> to_view(cv::Mat& mat) {
    return detail::view_of<T>(mat, reinterpret_cast<T*>(mat.data), "vecta::opencv::to_view");
}

/// A cv::Mat header over a view's pixels (no copy; the Mat does not own them, so the view's
/// storage must outlive it): rows = height, cols = width, type CV_MAKETYPE(depth_of<T>,
/// channels), step = stride * sizeof(T). For a view of const T the Mat must only be read
/// (OpenCV has no read-only Mat). An empty view gives an empty Mat. O(1).
/// Throws vecta::invalid_argument naming "view" if channels > CV_CN_MAX (512) or width or
/// height > INT_MAX.
template <class T>
cv::Mat to_mat(image_view<T> view) {
    constexpr std::string_view fn = "vecta::opencv::to_mat";
    if (view.empty()) return cv::Mat();
    vecta::detail::require(view.channels() <= CV_CN_MAX, fn, "view", "must have at most 512 channels (CV_CN_MAX)");
    vecta::detail::require(view.width() <= INT_MAX && view.height() <= INT_MAX, fn, "view",
                           "width and height must be <= INT_MAX");
    using U = std::remove_cv_t<T>;
    return cv::Mat(static_cast<int>(view.height()), static_cast<int>(view.width()),
                   CV_MAKETYPE(depth_of<U>(), static_cast<int>(view.channels())), const_cast<U*>(view.data()),
                   view.stride() * sizeof(U));
}

/// to_mat(image.view()) for an owning vecta::image.
template <class T>
cv::Mat to_mat(image<T>& img) {
    return to_mat(img.view());
}

}  // namespace vecta::opencv

#endif  // VECTA_WITH_OPENCV
