// SPDX-License-Identifier: MIT
// distance_transform against a brute-force search for the nearest background pixel.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vecta/imgproc/distance_transform.hpp>

#include "test_support.hpp"

namespace {

/// Nearest background pixel by exhaustive search; outside pixels count when `outside`.
double brute(const vecta::image<std::uint8_t>& m, std::size_t x, std::size_t y, bool outside) {
    if (!m(x, y)) return 0;
    const long W = long(m.width()), H = long(m.height());
    double best = std::numeric_limits<double>::infinity();
    for (long v = outside ? -1 : 0; v <= (outside ? H : H - 1); ++v)
        for (long u = outside ? -1 : 0; u <= (outside ? W : W - 1); ++u) {
            const bool bg = u < 0 || v < 0 || u >= W || v >= H || !m(std::size_t(u), std::size_t(v));
            if (!bg) continue;
            const double dx = double(u) - double(x), dy = double(v) - double(y);
            best = std::min(best, std::sqrt(dx * dx + dy * dy));
        }
    return best;
}

}  // namespace

TEST_CASE("distance_transform: exact Euclidean distances, against a brute-force search") {
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        const std::size_t w = 7 + seed * 3, h = 5 + seed * 2;
        auto noise = vecta_test::random_image(w, h, 1, seed);
        vecta::image<std::uint8_t> m(w, h);
        const int keep = seed % 3 == 0 ? 250 : 200;  // sparse and very sparse background
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x) m(x, y) = noise(x, y) < keep;
        for (const bool outside : {true, false}) {
            vecta::image<float> d(w, h);
            vecta::distance_transform(m.view(), d.view(), {.outside_is_background = outside});
            for (std::size_t y = 0; y < h; ++y)
                for (std::size_t x = 0; x < w; ++x) {
                    const double b = brute(m, x, y, outside);
                    if (std::isinf(b))
                        CHECK(std::isinf(d(x, y)));
                    else
                        CHECK(double(d(x, y)) == doctest::Approx(b).epsilon(1e-6));
                }
        }
    }
    vecta::image<std::uint8_t> ink(9, 4, 1, 1);  // no background: infinity, or distance to the border
    vecta::image<float> d(9, 4);
    vecta::distance_transform(ink.view(), d.view(), {.outside_is_background = false});
    CHECK(std::isinf(d(4, 2)));
    vecta::distance_transform(ink.view(), d.view());
    CHECK(d(4, 1) == 2.0f);
    CHECK(d(0, 0) == 1.0f);
}

TEST_CASE("distance_transform: bad arguments are named") {
    vecta::image<std::uint8_t> m(4, 4), rgb(4, 4, 3);
    vecta::image<float> d(4, 4), small(3, 4);
    CHECK_THROWS_WITH_AS(vecta::distance_transform(rgb.view(), d.view()), doctest::Contains("mask"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::distance_transform(m.view(), small.view()), doctest::Contains("dist"),
                         vecta::invalid_argument);
    vecta::image<std::uint8_t> none;
    CHECK_THROWS_WITH_AS(vecta::distance_transform(none.view(), d.view()), doctest::Contains("mask"),
                         vecta::invalid_argument);
}
