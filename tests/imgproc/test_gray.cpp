// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <vecta/imgproc/gray.hpp>

#include "imgproc_test_util.hpp"

namespace {
// BT.601 luma in double, rounded half up, with OpenCV 4.x's integer weights / 2^15.
std::uint8_t ref_gray(int r, int g, int b) {
    const double v = (r * 9798.0 + g * 19235.0 + b * 3735.0) / 32768.0;
    return static_cast<std::uint8_t>(std::floor(v + 0.5));
}
}  // namespace

TEST_CASE("to_gray matches BT.601 on hand-picked colours") {
    std::uint8_t px[] = {255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 128, 64, 32};
    vecta::image_view<const std::uint8_t> src(px, 6, 1, 3);
    auto g = vecta::to_gray(src);
    REQUIRE(g.width() == 6);
    REQUIRE(g.channels() == 1);
    CHECK(g(0, 0) == 255);
    CHECK(g(1, 0) == 76);   // red:   0.299 * 255 = 76.2
    CHECK(g(2, 0) == 150);  // green: 0.587 * 255 = 149.7
    CHECK(g(3, 0) == 29);   // blue:  0.114 * 255 = 29.1
    CHECK(g(4, 0) == 0);
    CHECK(g(5, 0) == 79);  // (128*9798 + 64*19235 + 32*3735) / 2^15 = 79.49
}

TEST_CASE("to_gray on random RGB and RGBA equals the double formula, seq and par, strided") {
    for (std::size_t cn : {3u, 4u}) {
        auto src = imgproc_test::random_u8(53, 131, cn, 11 + cn);
        auto sv = imgproc_test::strided_copy<std::uint8_t>(src.view(), 5);
        imgproc_test::strided<std::uint8_t> dst(53, 131, 1, 3);
        vecta::to_gray(vecta::par, sv.view, dst.view);
        auto seq = vecta::to_gray(vecta::seq, src);
        std::size_t bad = 0;
        for (std::size_t y = 0; y < 131; ++y)
            for (std::size_t x = 0; x < 53; ++x) {
                const auto e = ref_gray(src(x, y, 0), src(x, y, 1), src(x, y, 2));
                bad += dst.view(x, y) != e;
                bad += seq(x, y) != e;
            }
        CHECK(bad == 0);
    }
}

TEST_CASE("to_gray ignores alpha") {
    auto a = imgproc_test::random_u8(9, 7, 4, 3);
    auto b = vecta::image<std::uint8_t>::from(a.view());
    for (std::size_t i = 3; i < b.size(); i += 4) b.data()[i] = static_cast<std::uint8_t>(255 - b.data()[i]);
    CHECK(imgproc_test::equal_pixels<std::uint8_t>(vecta::to_gray(a), vecta::to_gray(b)));
}

TEST_CASE("to_gray rejects bad input with the argument's name") {
    auto rgb = imgproc_test::random_u8(4, 3, 3, 1);
    auto one = imgproc_test::random_u8(4, 3, 1, 1);
    auto two = imgproc_test::random_u8(4, 3, 2, 1);
    vecta::image<std::uint8_t> dst(4, 3, 1), wrong(3, 3, 1), three(4, 3, 3);
    CHECK_THROWS_WITH_AS(vecta::to_gray(vecta::image_view<const std::uint8_t>{}, dst.view()), doctest::Contains("src"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::to_gray(one, dst.view()), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::to_gray(two), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::to_gray(rgb, wrong.view()), doctest::Contains("dst"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::to_gray(rgb, three.view()), doctest::Contains("dst"), vecta::invalid_argument);
    // dst inside src's memory.
    vecta::image_view<std::uint8_t> alias(rgb.data(), 4, 3, 1);
    CHECK_THROWS_WITH_AS(vecta::to_gray(vecta::par, rgb, alias), doctest::Contains("dst"), vecta::invalid_argument);
    CHECK_NOTHROW(vecta::to_gray(rgb, dst.view()));
}
