// SPDX-License-Identifier: MIT
// vecta::upsample_bilinear against a double-precision bilinear reference, and rgb_over_white
// against the compositing formula evaluated in doubles.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vecta/core/error.hpp>
#include <vecta/imgproc/over_white.hpp>
#include <vecta/imgproc/upsample.hpp>
#include <vector>

TEST_CASE("upsample_bilinear is within 1 of exact bilinear interpolation with centres aligned") {
    std::mt19937 rng(3);
    for (int round = 0; round < 20; ++round) {
        const std::size_t w = 1 + rng() % 9, h = 1 + rng() % 9, cn = 1 + rng() % 4;
        const int k = 1 + int(rng() % 4);
        vecta::image<std::uint8_t> src(w, h, cn);
        for (std::size_t i = 0; i < src.size(); ++i) src.data()[i] = std::uint8_t(rng());
        const auto out = vecta::upsample_bilinear(src.view(), k);
        REQUIRE(out.width() == w * std::size_t(k));
        REQUIRE(out.height() == h * std::size_t(k));
        REQUIRE(out.channels() == cn);
        int worst = 0;
        for (std::size_t Y = 0; Y < out.height(); ++Y)
            for (std::size_t X = 0; X < out.width(); ++X)
                for (std::size_t c = 0; c < cn; ++c) {
                    const double sx = std::clamp((double(X) + 0.5) / k - 0.5, 0.0, double(w - 1));
                    const double sy = std::clamp((double(Y) + 0.5) / k - 0.5, 0.0, double(h - 1));
                    const auto x0 = std::size_t(sx), y0 = std::size_t(sy);
                    const std::size_t x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
                    const double fx = sx - double(x0), fy = sy - double(y0);
                    const double v = (src(x0, y0, c) * (1 - fx) + src(x1, y0, c) * fx) * (1 - fy) +
                                     (src(x0, y1, c) * (1 - fx) + src(x1, y1, c) * fx) * fy;
                    worst = std::max(worst, std::abs(int(out(X, Y, c)) - int(std::lround(v))));
                }
        CHECK(worst <= 1);
    }
    // k = 1 is the identity.
    vecta::image<std::uint8_t> one(5, 4, 3);
    for (std::size_t i = 0; i < one.size(); ++i) one.data()[i] = std::uint8_t(i * 7);
    const auto same = vecta::upsample_bilinear(one.view(), 1);
    CHECK(std::equal(one.data(), one.data() + one.size(), same.data()));
}

TEST_CASE("rgb_over_white composites straight alpha over white, rounded") {
    std::mt19937 rng(5);
    for (std::size_t cn = 1; cn <= 4; ++cn) {
        vecta::image<std::uint8_t> src(7, 3, cn);
        for (std::size_t i = 0; i < src.size(); ++i) src.data()[i] = std::uint8_t(rng());
        const auto out = vecta::rgb_over_white(src.view());
        REQUIRE(out.channels() == 3);
        for (std::size_t y = 0; y < 3; ++y)
            for (std::size_t x = 0; x < 7; ++x)
                for (std::size_t c = 0; c < 3; ++c) {
                    const double a = (cn == 2 || cn == 4) ? src(x, y, cn - 1) / 255.0 : 1.0;
                    const double v = cn <= 2 ? src(x, y, 0) : src(x, y, c);
                    CHECK(std::abs(out(x, y, c) - (v * a + 255.0 * (1 - a))) <= 0.5 + 1e-9);
                }
    }
}

TEST_CASE("upsample_bilinear and rgb_over_white reject bad input by argument name") {
    vecta::image<std::uint8_t> im(4, 4, 3), five(2, 2, 5);
    CHECK_THROWS_WITH_AS(vecta::upsample_bilinear(vecta::image_view<const std::uint8_t>(), 2), doctest::Contains("src"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::upsample_bilinear(im.view(), 0), doctest::Contains("k"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::upsample_bilinear(im.view(), 17), doctest::Contains("k"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::rgb_over_white(five.view()), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::rgb_over_white(vecta::image_view<const std::uint8_t>()), doctest::Contains("src"),
                         vecta::invalid_argument);
}
