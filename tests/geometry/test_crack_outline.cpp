// SPDX-License-Identifier: MIT
// vecta::crack_outline against an independent reference: the boundary edges of a pixel set,
// counted directly, and the even-odd rasterization of the ring at pixel centres.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vecta/core/error.hpp>
#include <vecta/geometry/crack_outline.hpp>
#include <vecta/geometry/label_regions.hpp>
#include <vector>

namespace {
bool covers(const std::vector<vecta::point2<int>>& poly, double px, double py) {
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const double xi = poly[i].x, yi = poly[i].y, xj = poly[j].x, yj = poly[j].y;
        if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}
}  // namespace

TEST_CASE("crack_outline: a 2 x 1 bar, clockwise from the first pixel's top-left corner, turns only") {
    const std::vector<std::uint8_t> m = {0, 0, 0, 0,  //
                                         0, 1, 1, 0,  //
                                         0, 0, 0, 0};
    const auto ring = vecta::crack_outline(4, 3, 5, [&](std::size_t x, std::size_t y) { return m[y * 4 + x] == 1; });
    const std::vector<vecta::point2<int>> want{{1, 1}, {3, 1}, {3, 2}, {1, 2}};
    CHECK(ring == want);
    CHECK(vecta::twice_signed_area(ring) == 4);
}

TEST_CASE(
    "crack_outline: saddles read 4-connected; the ring of a random region fills exactly the region plus its holes") {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        const std::size_t w = 1 + rng() % 12, h = 1 + rng() % 12;
        std::vector<std::uint8_t> m(w * h);
        for (auto& v : m) v = std::uint8_t(rng() % 2);
        const auto regions = vecta::label_regions(vecta::image_view<const std::uint8_t>(m.data(), w, h));
        // Per-pixel region ids.
        std::vector<std::uint32_t> id(w * h);
        for (std::size_t r = 0; r < regions.runs.size(); ++r)
            for (std::size_t x = regions.runs[r].x0; x < regions.runs[r].x1; ++x)
                id[regions.runs[r].y * w + x] = regions.region_of[r];
        for (std::uint32_t k = 0; k < regions.count(); ++k) {
            const auto ring = vecta::crack_outline(w, h, regions.first_pixel[k],
                                                   [&](std::size_t x, std::size_t y) { return id[y * w + x] == k; });
            // Every pixel of the region is covered; pixels covered but not in the region are
            // holes: not reachable from outside the image through pixels off the region.
            std::vector<std::uint8_t> outside(w * h, 0);
            std::vector<std::size_t> stack;
            for (std::size_t i = 0; i < w * h; ++i)
                if (id[i] != k && (i % w == 0 || i % w == w - 1 || i / w == 0 || i / w == h - 1))
                    outside[i] = 1, stack.push_back(i);
            while (!stack.empty()) {  // 8-connected: the complement of a 4-connected region
                const std::size_t i = stack.back();
                stack.pop_back();
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const long long x = (long long)(i % w) + dx, y = (long long)(i / w) + dy;
                        if (x < 0 || y < 0 || x >= (long long)w || y >= (long long)h) continue;
                        const std::size_t j = std::size_t(y) * w + std::size_t(x);
                        if (id[j] != k && !outside[j]) outside[j] = 1, stack.push_back(j);
                    }
            }
            std::size_t enclosed = 0;
            for (std::size_t y = 0; y < h; ++y)
                for (std::size_t x = 0; x < w; ++x) {
                    const bool in = covers(ring, double(x) + 0.5, double(y) + 0.5);
                    REQUIRE(in == !outside[y * w + x]);
                    enclosed += in;
                }
            CHECK(vecta::twice_signed_area(ring) == 2 * (long long)enclosed);  // clockwise: positive
            // Only turning vertices, axis-aligned unit-lattice edges.
            for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
                const auto a = ring[(i + n - 1) % n], p = ring[i], c = ring[(i + 1) % n];
                CHECK(((p.x == a.x) != (p.y == a.y)));
                CHECK(((p.x == a.x) != (p.x == c.x)));  // the direction changes at p
            }
        }
    }
}

TEST_CASE("crack_outline: a first pixel whose left neighbour is in the set starts at the next turn") {
    // Set: row 0 = x 0..3, row 1 = x 0..3; start at pixel (2, 0): its top edge lies on the outer
    // boundary, the corner (2, 0) is passed straight through.
    const auto ring = vecta::crack_outline(4, 2, 2, [](std::size_t, std::size_t) { return true; });
    const std::vector<vecta::point2<int>> want{{4, 0}, {4, 2}, {0, 2}, {0, 0}};
    CHECK(ring == want);
}

TEST_CASE("crack_outline rejects bad input by argument name") {
    auto all = [](std::size_t, std::size_t) { return true; };
    auto none = [](std::size_t, std::size_t) { return false; };
    CHECK_THROWS_WITH_AS(vecta::crack_outline(0, 3, 0, all), doctest::Contains("width"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::crack_outline(3, 3, 9, all), doctest::Contains("first_pixel"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::crack_outline(3, 3, 4, none), doctest::Contains("first_pixel"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::crack_outline(3, 3, 4, all), doctest::Contains("first_pixel"),
                         vecta::invalid_argument);  // the pixel above is in the set
}
