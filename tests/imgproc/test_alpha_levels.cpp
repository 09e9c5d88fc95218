// SPDX-License-Identifier: MIT
// alpha_levels (imgproc/alpha_levels.hpp) and rgb_over / has_transparency (imgproc/over_white.hpp),
// against hand-computed expectations.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vecta/core/error.hpp>
#include <vecta/imgproc/alpha_levels.hpp>
#include <vecta/imgproc/over_white.hpp>
#include <vector>

TEST_CASE("alpha_levels: a hard shape with an anti-aliased edge has the levels 0 and 255, its edge snapped at half") {
    vecta::image<std::uint8_t> a(40, 30, 1, 0);
    for (std::size_t y = 0; y < 30; ++y)
        for (std::size_t x = 0; x < 40; ++x) a(x, y) = x < 20 ? 255 : x == 20 ? 170 : 0;  // edge at 2/3 coverage
    const auto r = vecta::alpha_levels(a.view());
    CHECK(r.levels == std::vector<std::uint8_t>{0, 255});
    CHECK(r.edge(20, 10) == 1);
    CHECK(r.edge(5, 10) == 0);   // 5 x 5 window all opaque
    CHECK(r.edge(19, 10) == 1);  // the window reaches the transparent side
    CHECK(r.edge(18, 10) == 0);  // 255 and 170 only: a range of 85
    CHECK(r.edge_level[127] == 0);
    CHECK(r.edge_level[128] == 1);
    CHECK(r.level[170] == 1);
}

TEST_CASE("alpha_levels: a flat translucent area is a level; its soft rim and a one-pixel seam snap to flat levels") {
    vecta::image<std::uint8_t> a(200, 100, 1, 0);  // 0.5 % = 100 pixels
    for (std::size_t y = 5; y < 95; ++y)
        for (std::size_t x = 5; x < 195; ++x) a(x, y) = 90;  // a shadow, alpha 90
    for (std::size_t y = 5; y < 95; ++y) a(4, y) = 45;       // its rim, between 0 and 90 (90 pixels)
    for (std::size_t y = 10; y < 30; ++y)
        for (std::size_t x = 30; x < 50; ++x) a(x, y) = 255;  // an opaque object on it
    for (std::size_t x = 30; x < 50; ++x) a(x, 20) = 214;     // a seam through the object
    const auto r = vecta::alpha_levels(a.view());
    CHECK(r.levels == std::vector<std::uint8_t>{0, 90, 255});
    CHECK(r.edge(4, 20) == 1);   // rim: a step between the flat levels 0 and 90
    CHECK(r.edge(40, 20) == 1);  // seam: both neighbours across it more opaque
    CHECK(r.edge(15, 20) == 0);  // inside the shadow
    CHECK(r.levels[r.edge_level[214]] == 255);
    CHECK(r.levels[r.level[95]] == 90);
}

TEST_CASE("alpha_levels: an alpha gradient gets grid levels at the means of the values nearest them") {
    vecta::image<std::uint8_t> a(256, 8, 1, 0);
    for (std::size_t y = 0; y < 8; ++y)
        for (std::size_t x = 0; x < 256; ++x) a(x, y) = std::uint8_t(x);  // a ramp 0..255
    const auto r = vecta::alpha_levels(a.view());
    // Flat: 0 and 255 only (no value holds 0.5 %: each has 8 of 2048 pixels = 0.39 %).
    // Grid 32, 64, ..., 224; the one nearest 0 (32) takes the values 13..48 (12 and below are
    // within 12 of the level 0; ties go to the lower grid level): mean 30.5 -> 31.
    // 64: 49..80 -> 65, ..., 224: 209..242 (243 and above are within 12 of 255) -> 226.
    CHECK(r.levels == std::vector<std::uint8_t>{0, 31, 65, 97, 129, 161, 193, 226, 255});
    CHECK(r.levels[r.level[40]] == 31);
    CHECK(r.levels[r.level[6]] == 0);
    CHECK(r.edge(100, 4) == 0);
}

TEST_CASE("rgb_over composites straight alpha over a colour; has_transparency; bad input by name") {
    vecta::image<std::uint8_t> rgba(2, 1, 4, 0);
    rgba(0, 0, 0) = 200, rgba(0, 0, 3) = 128;  // red 200 at alpha 128
    rgba(1, 0, 1) = 50, rgba(1, 0, 3) = 255;
    const auto out = vecta::rgb_over(rgba.view(), {10, 20, 30});
    CHECK(out(0, 0, 0) == (200 * 128 + 10 * 127 + 127) / 255);
    CHECK(out(0, 0, 1) == (0 * 128 + 20 * 127 + 127) / 255);
    CHECK(out(1, 0, 1) == 50);
    CHECK(vecta::has_transparency(rgba.view()));
    rgba(0, 0, 3) = 255;
    CHECK(!vecta::has_transparency(rgba.view()));
    vecta::image<std::uint8_t> rgb(2, 2, 3, 0);
    CHECK(!vecta::has_transparency(rgb.view()));
    CHECK_THROWS_WITH_AS(vecta::alpha_levels(rgb.view()), doctest::Contains("alpha"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::alpha_levels(vecta::image_view<const std::uint8_t>{}), doctest::Contains("alpha"),
                         vecta::invalid_argument);
}
