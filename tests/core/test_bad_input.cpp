// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/core: image_view and image with zero and one-pixel sizes, strides
// smaller than the row, sizes whose product overflows size_t, null data, zero channels.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vecta/core/image.hpp>

#include "test_support.hpp"

namespace {
constexpr std::size_t max_size = std::numeric_limits<std::size_t>::max();
using vecta_test::names;
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: image_view shapes, strides and overflow") {
    std::uint8_t buf[16] = {};
    CHECK_BAD(vecta::image_view<std::uint8_t>(buf, 2, 2, 0), "channels");
    CHECK_BAD(vecta::image_view<std::uint8_t>(buf, 3, 2, 1, 2), "stride");  // stride < row
    CHECK_BAD(vecta::image_view<std::uint8_t>(buf, 2, 2, 3, 5), "stride");  // stride < width * channels
    CHECK_BAD(vecta::image_view<std::uint8_t>(buf, max_size / 2 + 1, 1, 2), "width * channels");
    CHECK_BAD(vecta::image_view<std::uint8_t>(buf, max_size / 4, 8, 1), "stride * height");
    std::uint32_t wide[4] = {};
    CHECK_BAD(vecta::image_view<std::uint32_t>(wide, std::size_t(1) << 62, 1, 1), "stride * height");
    CHECK_BAD(vecta::image_view<std::uint8_t>(nullptr, 1, 1), "data");
    // Zero sizes are empty views (null data allowed), one pixel is a normal view.
    CHECK(vecta::image_view<std::uint8_t>(nullptr, 0, 5).empty());
    CHECK(vecta::image_view<std::uint8_t>(nullptr, 5, 0).empty());
    const vecta::image_view<std::uint8_t> one(buf, 1, 1, 4);
    CHECK(!one.empty());
    CHECK(one.stride() == 4);
    CHECK(one.pixel_count() == 1);
    // A padded stride is kept; stride 0 means packed.
    CHECK(vecta::image_view<std::uint8_t>(buf, 2, 2, 1, 7).stride() == 7);
    CHECK(vecta::image_view<std::uint8_t>(buf, 2, 2, 3).stride() == 6);
}

TEST_CASE("bad input: image sizes") {
    CHECK_BAD(vecta::image<std::uint8_t>(2, 2, 0), "channels");
    CHECK_BAD(vecta::image<std::uint8_t>(max_size / 2 + 1, 2, 1), "width * height");
    CHECK_BAD(vecta::image<std::uint8_t>(max_size / 4, 2, 3), "width * height * channels");
    CHECK_BAD(vecta::image<double>(std::size_t(1) << 30, std::size_t(1) << 30, 16), "width * height * channels");
    const vecta::image<std::uint8_t> empty(0, 3);
    CHECK(empty.empty());
    CHECK(empty.view().empty());
    const vecta::image<std::uint16_t> one(1, 1, 1, 7);
    CHECK(one(0, 0) == 7);
    CHECK(vecta::image<std::uint16_t>::from(one.view())(0, 0) == 7);
}

TEST_CASE("bad input: check_image and views_overlap on empty and one-pixel views") {
    std::uint8_t buf[4] = {};
    CHECK_BAD(vecta::detail::check_image(vecta::image_view<const std::uint8_t>(), "f", "src"), "src");
    CHECK_BAD(vecta::detail::check_image(vecta::image_view<const std::uint8_t>(buf, 1, 1, 2), "f", "src", 3), "src");
    CHECK_NOTHROW(vecta::detail::check_image(vecta::image_view<const std::uint8_t>(buf, 1, 1, 3), "f", "src", 3));
    CHECK(!vecta::detail::views_overlap(vecta::image_view<const std::uint8_t>(),
                                        vecta::image_view<const std::uint8_t>(buf, 1, 1)));
    CHECK(vecta::detail::views_overlap(vecta::image_view<const std::uint8_t>(buf, 1, 1),
                                       vecta::image_view<const std::uint8_t>(buf, 1, 1)));
}
