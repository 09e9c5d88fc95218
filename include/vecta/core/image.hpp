// SPDX-License-Identifier: MIT
// vecta/core/image.hpp - image_view<T> (non-owning) and image<T> (owning, aligned).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>
#include <xsimd/memory/xsimd_aligned_allocator.hpp>

#include "error.hpp"

namespace vecta {

namespace detail {
/// a * b, throwing vecta::invalid_argument naming `what` when the product overflows size_t.
inline std::size_t checked_mul(std::size_t a, std::size_t b, std::string_view function, std::string_view what) {
    if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
        throw_invalid(function, what, "overflows std::size_t");
    return a * b;
}
}  // namespace detail

/// Non-owning view of an interleaved image, as stb and OpenCV lay it out: pixel (x, y), channel
/// c sits at data[y * stride + x * channels + c]. The stride is counted in elements (not bytes)
/// and is at least width * channels. A view with width or height 0 is empty; functions that
/// need pixels reject empty views with vecta::invalid_argument.
template <class T>
class image_view {
public:
    using value_type = std::remove_cv_t<T>;
    using element_type = T;

    constexpr image_view() noexcept = default;

    /// Wraps `data`. `stride` 0 means tightly packed (width * channels).
    /// Throws vecta::invalid_argument if channels is 0, stride < width * channels, the extent in
    /// bytes exceeds PTRDIFF_MAX, or data is null for a non-empty image.
    image_view(T* data, std::size_t width, std::size_t height, std::size_t channels = 1, std::size_t stride = 0)
        : data_(data),
          width_(width),
          height_(height),
          channels_(channels),
          stride_(stride == 0 ? width * channels : stride) {
        constexpr std::string_view fn = "vecta::image_view";
        detail::require(channels >= 1, fn, "channels", "must be >= 1");
        const std::size_t row = detail::checked_mul(width, channels, fn, "width * channels");
        detail::require(stride == 0 || stride >= row, fn, "stride", "must be >= width * channels");
        if (height > 0) {
            const std::size_t elems = detail::checked_mul(stride_, height, fn, "stride * height");
            detail::require(elems <= std::size_t(std::numeric_limits<std::ptrdiff_t>::max()) / sizeof(T), fn,
                            "stride * height", "exceeds the addressable size in bytes");
        }
        detail::require(data != nullptr || width == 0 || height == 0, fn, "data",
                        "must not be null for a non-empty image");
    }

    /// image_view<T> converts to image_view<const T>.
    template <class U>
    requires(std::is_same_v<const U, T> &&
             !std::is_same_v<U, T>) constexpr image_view(const image_view<U>& other) noexcept
        : data_(other.data()),
          width_(other.width()),
          height_(other.height()),
          channels_(other.channels()),
          stride_(other.stride()) {}

    constexpr T* data() const noexcept { return data_; }
    constexpr std::size_t width() const noexcept { return width_; }
    constexpr std::size_t height() const noexcept { return height_; }
    constexpr std::size_t channels() const noexcept { return channels_; }
    /// Row stride in elements.
    constexpr std::size_t stride() const noexcept { return stride_; }
    constexpr bool empty() const noexcept { return width_ == 0 || height_ == 0; }
    constexpr std::size_t pixel_count() const noexcept { return width_ * height_; }
    /// True when rows follow each other without padding.
    constexpr bool contiguous() const noexcept { return stride_ == width_ * channels_; }

    constexpr T* row(std::size_t y) const noexcept { return data_ + y * stride_; }
    constexpr T& operator()(std::size_t x, std::size_t y, std::size_t c = 0) const noexcept {
        return data_[y * stride_ + x * channels_ + c];
    }

private:
    T* data_ = nullptr;
    std::size_t width_ = 0, height_ = 0, channels_ = 1, stride_ = 0;
};

/// Owning interleaved image, tightly packed, with 64-byte aligned storage (zero-initialised).
/// Converts implicitly to image_view<T> and image_view<const T>.
template <class T>
class image {
    static_assert(std::is_arithmetic_v<T>, "vecta::image holds arithmetic pixels");

public:
    using value_type = T;

    image() = default;

    /// Throws vecta::invalid_argument if channels is 0 or the size in bytes overflows.
    image(std::size_t width, std::size_t height, std::size_t channels = 1, T fill = T{})
        : width_(width), height_(height), channels_(channels) {
        constexpr std::string_view fn = "vecta::image";
        detail::require(channels >= 1, fn, "channels", "must be >= 1");
        const std::size_t n = detail::checked_mul(detail::checked_mul(width, height, fn, "width * height"), channels,
                                                  fn, "width * height * channels");
        detail::require(n <= std::size_t(std::numeric_limits<std::ptrdiff_t>::max()) / sizeof(T), fn,
                        "width * height * channels", "exceeds the addressable size");
        pixels_.assign(n, fill);
    }

    /// Deep copy of a view.
    static image from(image_view<const T> v) {
        image out(v.width(), v.height(), v.channels());
        for (std::size_t y = 0; y < v.height(); ++y) {
            const T* s = v.row(y);
            std::copy(s, s + v.width() * v.channels(), out.view().row(y));
        }
        return out;
    }

    std::size_t width() const noexcept { return width_; }
    std::size_t height() const noexcept { return height_; }
    std::size_t channels() const noexcept { return channels_; }
    std::size_t stride() const noexcept { return width_ * channels_; }
    bool empty() const noexcept { return width_ == 0 || height_ == 0; }
    std::size_t size() const noexcept { return pixels_.size(); }
    T* data() noexcept { return pixels_.data(); }
    const T* data() const noexcept { return pixels_.data(); }
    T& operator()(std::size_t x, std::size_t y, std::size_t c = 0) noexcept {
        return pixels_[(y * width_ + x) * channels_ + c];
    }
    const T& operator()(std::size_t x, std::size_t y, std::size_t c = 0) const noexcept {
        return pixels_[(y * width_ + x) * channels_ + c];
    }

    image_view<T> view() noexcept { return make_view<T>(pixels_.data()); }
    image_view<const T> view() const noexcept { return make_view<const T>(pixels_.data()); }
    operator image_view<T>() noexcept { return view(); }
    operator image_view<const T>() const noexcept { return view(); }

private:
    template <class U>
    image_view<U> make_view(U* p) const noexcept {
        if (empty()) return {};
        return image_view<U>(p, width_, height_, channels_);
    }

    std::size_t width_ = 0, height_ = 0, channels_ = 1;
    std::vector<T, xsimd::aligned_allocator<T, 64>> pixels_;
};

namespace detail {
/// Public-boundary check shared by the kernels: non-empty, and the expected channel count
/// (0 = any).
template <class T>
void check_image(const image_view<T>& v, std::string_view function, std::string_view name, std::size_t channels = 0) {
    if (v.empty()) throw_invalid(function, name, "must not be empty (width and height >= 1)");
    if (channels != 0 && v.channels() != channels)
        throw_invalid(function, name,
                      "must have " + std::to_string(channels) + " channel(s), has " + std::to_string(v.channels()));
}

/// True when the memory spans of two views intersect (the span of a view runs from its first
/// element to the last element of its last row). Used to reject in-place calls of kernels that
/// read neighbouring rows.
template <class T, class U>
bool views_overlap(const image_view<T>& a, const image_view<U>& b) noexcept {
    if (a.empty() || b.empty()) return false;
    const auto begin_of = [](const auto& v) { return reinterpret_cast<std::uintptr_t>(v.data()); };
    const auto end_of = [](const auto& v) {
        using E = std::remove_cv_t<typename std::remove_reference_t<decltype(v)>::element_type>;
        const std::size_t elems = (v.height() - 1) * v.stride() + v.width() * v.channels();
        return reinterpret_cast<std::uintptr_t>(v.data()) + elems * sizeof(E);
    };
    return begin_of(a) < end_of(b) && begin_of(b) < end_of(a);
}

/// Checks that `dst` has the same width, height and channel count as `src`.
template <class T, class U>
void check_same_shape(const image_view<T>& src, const image_view<U>& dst, std::string_view function,
                      std::string_view dst_name) {
    if (dst.width() != src.width() || dst.height() != src.height() || dst.channels() != src.channels())
        throw_invalid(function, dst_name, "must have the width, height and channels of src");
}
}  // namespace detail

}  // namespace vecta
