// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <vecta/imgproc/border.hpp>

#include "imgproc_test_util.hpp"

using vecta::border_mode;
using vecta::detail::border_index;

TEST_CASE("border_index follows OpenCV's reflect101, replicate and constant rules") {
    // Hand-written cases for n = 5: ... 2 1 | 0 1 2 3 4 | 3 2 ...
    CHECK(border_index(-1, 5, border_mode::reflect101) == 1);
    CHECK(border_index(-2, 5, border_mode::reflect101) == 2);
    CHECK(border_index(5, 5, border_mode::reflect101) == 3);
    CHECK(border_index(6, 5, border_mode::reflect101) == 2);
    CHECK(border_index(3, 5, border_mode::reflect101) == 3);
    CHECK(border_index(-1, 5, border_mode::replicate) == 0);
    CHECK(border_index(9, 5, border_mode::replicate) == 4);
    CHECK(border_index(-1, 5, border_mode::constant) == -1);
    CHECK(border_index(5, 5, border_mode::constant) == -1);
    CHECK(border_index(4, 5, border_mode::constant) == 4);
    // Width 1: everything maps to 0 (reflect101 and replicate).
    for (std::ptrdiff_t i = -7; i <= 7; ++i) {
        CHECK(border_index(i, 1, border_mode::reflect101) == 0);
        CHECK(border_index(i, 1, border_mode::replicate) == 0);
    }
    // Width 2 reflect101 alternates 0 1 0 1.
    CHECK(border_index(-1, 2, border_mode::reflect101) == 1);
    CHECK(border_index(-2, 2, border_mode::reflect101) == 0);
    CHECK(border_index(2, 2, border_mode::reflect101) == 0);
    CHECK(border_index(3, 2, border_mode::reflect101) == 1);
}

TEST_CASE("border_index agrees with repeated reflection far outside the image") {
    for (long n = 1; n <= 9; ++n)
        for (long i = -40; i <= 40; ++i)
            for (auto mode : imgproc_test::all_borders) {
                CAPTURE(n);
                CAPTURE(i);
                CHECK(border_index(i, n, mode) == imgproc_test::ref_border(i, n, mode));
            }
}

TEST_CASE("check_border rejects values that are not enumerators") {
    CHECK_NOTHROW(vecta::detail::check_border(border_mode::constant, "f", "border"));
    CHECK_THROWS_WITH_AS(vecta::detail::check_border(static_cast<border_mode>(9), "f", "border"),
                         doctest::Contains("border"), vecta::invalid_argument);
}

TEST_CASE("views_overlap detects shared memory") {
    std::uint8_t buf[100] = {};
    vecta::image_view<std::uint8_t> a(buf, 10, 5), b(buf + 50, 10, 5), c(buf + 45, 5, 2);
    CHECK_FALSE(vecta::detail::views_overlap(a, b));
    CHECK(vecta::detail::views_overlap(a, c));
    CHECK(vecta::detail::views_overlap(b, c));
    CHECK(vecta::detail::views_overlap(a, a));
    // Overlap through different element types.
    vecta::image_view<std::int16_t> s(reinterpret_cast<std::int16_t*>(buf + 48), 1, 1);
    CHECK(vecta::detail::views_overlap(a, s));
    CHECK_FALSE(vecta::detail::views_overlap(b, s));
    CHECK_FALSE(vecta::detail::views_overlap(a, vecta::image_view<std::uint8_t>{}));
}
