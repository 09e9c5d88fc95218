// SPDX-License-Identifier: MIT
// vecta::flat_palette on images built with known flat colours and anti-aliasing mixes, and
// vecta::map_to_palette against a naive nearest-colour search and PSNR.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vecta/color/flat_palette.hpp>
#include <vecta/color/palette_map.hpp>
#include <vecta/core/error.hpp>
#include <vector>

using rgb8 = std::array<std::uint8_t, 3>;

TEST_CASE("flat_palette: the flat colours of an icon, not its anti-aliasing mixes; photos give none") {
    // 64 x 64: white background, a red square, a blue bar; a column of red-white mixes between.
    vecta::image<std::uint8_t> im(64, 64, 3, 255);
    for (std::size_t y = 10; y < 40; ++y)
        for (std::size_t x = 10; x < 40; ++x) im(x, y, 0) = 220, im(x, y, 1) = 20, im(x, y, 2) = 30;
    for (std::size_t y = 45; y < 60; ++y)
        for (std::size_t x = 5; x < 60; ++x) im(x, y, 0) = 20, im(x, y, 1) = 40, im(x, y, 2) = 200;
    for (std::size_t y = 10; y < 40; ++y) im(40, y, 0) = 237, im(40, y, 1) = 137, im(40, y, 2) = 142;  // ~50 % mix
    const auto pal = vecta::flat_palette(im.view(), 24);
    const std::vector<rgb8> want = {rgb8{255, 255, 255}, rgb8{220, 20, 30}, rgb8{20, 40, 200}};
    CHECK(pal == want);  // by frequency; the mix column is skipped
    // Two colours leave the blue bar (20 % of the pixels) unexplained: not a flat image.
    CHECK(vecta::flat_palette(im.view(), 2).empty());

    std::mt19937 rng(1);
    vecta::image<std::uint8_t> noise(64, 64, 3);
    for (std::size_t i = 0; i < noise.size(); ++i) noise.data()[i] = std::uint8_t(rng());
    CHECK(vecta::flat_palette(noise.view(), 24).empty());

    // Low-contrast noise (every pixel within a few levels of one grey): each colour is within 16
    // of the mean, but none is frequent, so it is a photo, not a one-colour flat image.
    vecta::image<std::uint8_t> soft(200, 200, 3);
    std::normal_distribution<double> g(0.0, 4.0);
    for (std::size_t i = 0; i < soft.size(); ++i)
        soft.data()[i] = std::uint8_t(std::lround(128 + std::clamp(g(rng), -12.0, 12.0)));
    CHECK(vecta::flat_palette(soft.view(), 24).empty());
    // The same grey with 60 % of the pixels exactly one colour is flat (one colour).
    for (std::size_t i = 0; i < soft.size() / 3 * 6 / 10; ++i)
        for (std::size_t c = 0; c < 3; ++c) soft.data()[3 * i + c] = 128;
    CHECK(vecta::flat_palette(soft.view(), 24) == std::vector<rgb8>{rgb8{128, 128, 128}});
}

TEST_CASE("map_to_palette equals a naive nearest-colour search; PSNR as quantize defines it") {
    std::mt19937 rng(9);
    vecta::image<std::uint8_t> im(33, 17, 3);
    for (std::size_t i = 0; i < im.size(); ++i) im.data()[i] = std::uint8_t(rng());
    std::vector<rgb8> pal(7);
    for (auto& p : pal) p = rgb8{std::uint8_t(rng()), std::uint8_t(rng()), std::uint8_t(rng())};
    pal[5] = pal[2];  // a duplicate: ties go to the lower index
    const auto a = vecta::map_to_palette(vecta::seq, im.view(), std::span<const rgb8>(pal));
    const auto b = vecta::map_to_palette(vecta::par, im.view(), std::span<const rgb8>(pal));
    double se = 0;
    for (std::size_t y = 0; y < 17; ++y)
        for (std::size_t x = 0; x < 33; ++x) {
            std::size_t best = 0;
            double bd = 1e300;
            for (std::size_t i = 0; i < pal.size(); ++i) {
                double d = 0;
                for (std::size_t c = 0; c < 3; ++c) d += std::pow(double(im(x, y, c)) - pal[i][c], 2);
                if (d < bd) bd = d, best = i;
            }
            CHECK(a.labels(x, y) == best);
            CHECK(b.labels(x, y) == best);
            se += bd;
        }
    CHECK(a.psnr == doctest::Approx(10 * std::log10(255.0 * 255.0 * 3 * 33 * 17 / se)).epsilon(1e-12));
    CHECK(a.palette == pal);
    const auto exact = vecta::map_to_palette(vecta::image<std::uint8_t>(4, 4, 3, 7).view(),
                                             std::span<const rgb8>(std::vector<rgb8>{rgb8{7, 7, 7}}));
    CHECK(exact.psnr == vecta::quantize_psnr_max);
}

TEST_CASE("flat_palette and map_to_palette reject bad input by argument name") {
    vecta::image<std::uint8_t> gray(4, 4, 1), rgb(4, 4, 3);
    const std::vector<rgb8> none;
    CHECK_THROWS_WITH_AS(vecta::flat_palette(gray.view(), 4), doctest::Contains("rgb"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::flat_palette(rgb.view(), 0), doctest::Contains("max_colors"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::map_to_palette(gray.view(), std::span<const rgb8>(none)), doctest::Contains("rgb"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::map_to_palette(rgb.view(), std::span<const rgb8>(none)), doctest::Contains("palette"),
                         vecta::invalid_argument);
}
