// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <vecta/geometry/trace_regions.hpp>

#include "test_support.hpp"

namespace trace_regions_test {  // named: the geometry tests are compiled as one unity translation unit

namespace {
// Even-odd point-in-polygon at pixel centres: an independent rasterizer of the outlines.
bool covers(const std::vector<vecta::point2<int>>& poly, double px, double py) {
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const double xi = poly[i].x, yi = poly[i].y, xj = poly[j].x, yj = poly[j].y;
        if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}

// Paints the outlines in decreasing enclosed area and returns the painted labels.
vecta::image<std::uint16_t> repaint(const std::vector<vecta::region>& regions, std::size_t w, std::size_t h) {
    std::vector<std::size_t> order(regions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return regions[a].enclosed_area > regions[b].enclosed_area; });
    vecta::image<std::uint16_t> out(w, h, 1, 0xFFFF);
    for (auto i : order)
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x)
                if (covers(regions[i].outline, double(x) + 0.5, double(y) + 0.5))
                    out(x, y) = static_cast<std::uint16_t>(regions[i].label);
    return out;
}
}  // namespace

TEST_CASE("a single pixel is a unit square, clockwise on screen") {
    vecta::image<std::uint8_t> im(3, 3, 1, 0);
    im(1, 1) = 1;
    auto regions = vecta::trace_regions(im);
    REQUIRE(regions.size() == 2);
    CHECK(regions[0].area == 8);
    CHECK(regions[0].enclosed_area == 9);
    CHECK(regions[1].area == 1);
    CHECK(regions[1].enclosed_area == 1);
    const std::vector<vecta::point2<int>> square{{1, 1}, {2, 1}, {2, 2}, {1, 2}};
    CHECK(regions[1].outline == square);
}

TEST_CASE("diagonal pixels are separate 4-connected regions") {
    vecta::image<std::uint8_t> im(2, 2, 1, 0);
    im(0, 0) = 1;
    im(1, 1) = 1;
    auto regions = vecta::trace_regions(im);
    CHECK(regions.size() == 4);
    for (auto& r : regions) CHECK(r.area == 1);
}

TEST_CASE("a ring encloses its hole; repainting the outlines by enclosed area restores the labels") {
    vecta::image<std::uint8_t> im(6, 6, 1, 0);
    for (std::size_t y = 1; y < 5; ++y)
        for (std::size_t x = 1; x < 5; ++x) im(x, y) = (x == 1 || x == 4 || y == 1 || y == 4) ? 1 : 2;
    auto regions = vecta::trace_regions(im);
    REQUIRE(regions.size() == 3);
    CHECK(regions[1].area == 12);
    CHECK(regions[1].enclosed_area == 16);
    CHECK(regions[1].outline.size() == 4);
    auto back = repaint(regions, 6, 6);
    for (std::size_t y = 0; y < 6; ++y)
        for (std::size_t x = 0; x < 6; ++x) CHECK(back(x, y) == im(x, y));
}

TEST_CASE("random label images are reproduced exactly by their outlines") {
    for (std::uint32_t seed = 1; seed <= 6; ++seed) {
        const std::size_t w = 9 + seed, h = 7 + 2 * seed;
        auto im = vecta_test::random_image<std::uint16_t>(w, h, 1, seed, 0, int(seed % 3) + 1);
        auto regions = vecta::trace_regions(im.view());
        std::size_t total = 0;
        for (auto& r : regions) {
            total += r.area;
            CHECK(r.enclosed_area >= r.area);
            CHECK(r.outline.size() >= 4);
            CHECK(r.outline.size() % 2 == 0);  // rectilinear polygon
        }
        CHECK(total == w * h);
        auto back = repaint(regions, w, h);
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x) CHECK(back(x, y) == im(x, y));
    }
}

TEST_CASE("trace_regions rejects empty and multi-channel label images") {
    CHECK_THROWS_WITH_AS(vecta::trace_regions(vecta::image_view<const std::uint8_t>{}), doctest::Contains("labels"),
                         vecta::invalid_argument);
    vecta::image<std::uint8_t> two(3, 3, 2);
    CHECK_THROWS_WITH_AS(vecta::trace_regions(two.view()), doctest::Contains("channel"), vecta::invalid_argument);
}

}  // namespace trace_regions_test
