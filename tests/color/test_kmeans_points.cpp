// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <array>
#include <vecta/color/kmeans.hpp>
#include <vector>

namespace {
struct pt {
    double x, y;
};
}  // namespace

TEST_CASE("kmeans over ranges of point types equals kmeans over the flattened span") {
    std::vector<std::array<float, 4>> a;
    std::vector<float> flat;
    for (int i = 0; i < 200; ++i) {
        std::array<float, 4> p{float(i % 7), float((i * 3) % 11), float(i % 5) * 0.5f, float((i * i) % 13)};
        a.push_back(p);
        flat.insert(flat.end(), p.begin(), p.end());
    }
    const auto r1 = vecta::kmeans(vecta::par, a, {.k = 5, .seed = 3});
    const auto r2 = vecta::kmeans<float>(vecta::par, flat, 4, {.k = 5, .seed = 3});
    CHECK(r1.dim == 4);
    CHECK(r1.labels == r2.labels);
    CHECK(r1.centroids == r2.centroids);

    std::vector<pt> s;
    std::vector<Eigen::Vector2d> e;
    for (int i = 0; i < 50; ++i) {
        s.push_back({double(i % 4), double(i / 10)});
        e.emplace_back(double(i % 4), double(i / 10));
    }
    const auto rs = vecta::kmeans(s, {.k = 3, .seed = 1});
    const auto re = vecta::kmeans(e, {.k = 3, .seed = 1});
    CHECK(rs.dim == 2);
    CHECK(rs.labels == re.labels);
    CHECK(rs.centroids == re.centroids);
}

TEST_CASE("kmeans over ranges validates like the span overload") {
    std::vector<std::array<double, 3>> none;
    CHECK_THROWS_WITH_AS(vecta::kmeans(none, {.k = 1}), doctest::Contains("points"), vecta::invalid_argument);
    std::vector<std::array<double, 3>> two{{0, 0, 0}, {1, 1, 1}};
    CHECK_THROWS_WITH_AS(vecta::kmeans(two, {.k = 3}), doctest::Contains("k"), vecta::invalid_argument);
}
