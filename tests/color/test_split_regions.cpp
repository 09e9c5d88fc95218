// SPDX-License-Identifier: MIT
// vecta::split_regions against a naive reference: per-pixel CIELAB (vecta::rgb_to_lab), the
// region's Lab covariance and its principal axis by Jacobi rotations, the sides by the sign of
// each pixel's projection. A colour ramp is cut across the ramp where the reference cuts it; a
// flat region, a region under min_area and a threshold above the reference's lambda sqrt(A) stay
// whole; parts of a side under min_part pixels join the other side; seq = par; bad arguments
// named.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vecta/color/lab.hpp>
#include <vecta/color/split_regions.hpp>
#include <vecta/core/error.hpp>
#include <vecta/geometry/label_regions.hpp>
#include <vector>

#include "test_support.hpp"

namespace split_regions_test {  // named: the colour tests are compiled as one unity translation unit

// Eigenvalues and vectors of a symmetric 3x3 matrix by cyclic Jacobi rotations (the reference for
// the library's power iteration). Returns the largest eigenvalue and its unit vector.
std::pair<double, std::array<double, 3>> jacobi_top(std::array<std::array<double, 3>, 3> a) {
    std::array<std::array<double, 3>, 3> v{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    for (int sweep = 0; sweep < 50; ++sweep)
        for (int p = 0; p < 3; ++p)
            for (int q = p + 1; q < 3; ++q) {
                if (std::abs(a[p][q]) < 1e-15) continue;
                const double th = 0.5 * std::atan2(2 * a[p][q], a[q][q] - a[p][p]);
                const double c = std::cos(th), s = std::sin(th);
                for (int k = 0; k < 3; ++k) {  // A = J^T A J, columns then rows
                    const double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq, a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < 3; ++k) {
                    const double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk, a[q][k] = s * apk + c * aqk;
                }
                for (int k = 0; k < 3; ++k) {
                    const double vkp = v[k][p], vkq = v[k][q];
                    v[k][p] = c * vkp - s * vkq, v[k][q] = s * vkp + c * vkq;
                }
            }
    int top = 0;
    for (int i = 1; i < 3; ++i)
        if (a[i][i] > a[top][top]) top = i;
    return {a[top][top], {v[0][top], v[1][top], v[2][top]}};
}

// The reference for the one region covering the whole image: lambda (Lab variance along the
// principal axis) and each pixel's side (projection on that axis above the mean).
struct reference {
    double lambda = 0;
    std::vector<int> side;
};
reference naive(const vecta::image<std::uint8_t>& rgb) {
    const std::size_t n = rgb.width() * rgb.height();
    std::vector<std::array<double, 3>> lab(n);
    std::array<double, 3> mu{0, 0, 0};
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = rgb.data() + 3 * i;
        const auto l = vecta::rgb_to_lab(p[0], p[1], p[2]);
        for (int k = 0; k < 3; ++k) lab[i][k] = l[k], mu[k] += l[k] / double(n);
    }
    std::array<std::array<double, 3>, 3> cov{};
    for (const auto& l : lab)
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c) cov[r][c] += (l[r] - mu[r]) * (l[c] - mu[c]) / double(n);
    const auto [lambda, axis] = jacobi_top(cov);
    reference ref{lambda, std::vector<int>(n)};
    for (std::size_t i = 0; i < n; ++i)
        ref.side[i] = (lab[i][0] - mu[0]) * axis[0] + (lab[i][1] - mu[1]) * axis[1] + (lab[i][2] - mu[2]) * axis[2] > 0;
    return ref;
}

// A w x h horizontal ramp from (r0, g0, b0) to (r1, g1, b1), one label.
vecta::image<std::uint8_t> ramp(std::size_t w, std::size_t h, std::array<int, 3> from, std::array<int, 3> to) {
    vecta::image<std::uint8_t> rgb(w, h, 3);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            for (std::size_t c = 0; c < 3; ++c)
                rgb(x, y, c) = std::uint8_t(std::lround(from[c] + (to[c] - from[c]) * double(x) / double(w - 1)));
    return rgb;
}

TEST_CASE("split_regions: a colour ramp is cut across the ramp where the naive CIELAB reference cuts it") {
    const vecta::image<std::uint8_t> rgb = ramp(80, 30, {40, 90, 160}, {200, 150, 60});
    const vecta::image<std::uint8_t> one(80, 30, 1);  // zeros: one region
    const vecta::region_runs regions = vecta::label_regions(one.view());
    REQUIRE(regions.count() == 1);
    const reference ref = naive(rgb);
    // Without smoothing the sides are the pixels' own: every pixel agrees with the reference but
    // for the columns next to the cut (first-order Lab there).
    const auto cut = vecta::split_regions(regions, rgb.view(), {.smoothing = 0});
    CHECK(cut.split == 1);
    std::size_t differ = 0, cut_column = 0;
    for (std::size_t y = 0; y < 30; ++y)
        for (std::size_t x = 0; x < 80; ++x) {
            const std::uint32_t l = cut.labels(x, y);
            CHECK((l == 0 || l == 1));
            differ += int(l) != ref.side[y * 80 + x];
            if (y == 0 && x > 0 && cut.labels(x, y) != cut.labels(x - 1, y)) cut_column = x;
        }
    CHECK(differ <= 2 * 30);  // at most the two columns beside the cut
    // A straight cut between two columns, near the middle of the ramp (colour spacing is even).
    CHECK(cut_column >= 30);
    CHECK(cut_column <= 50);
    for (std::size_t y = 0; y < 30; ++y)
        for (std::size_t x = 0; x < 80; ++x) CHECK((cut.labels(x, y) != cut.labels(0, y)) == (x >= cut_column));
    // The threshold compares lambda sqrt(A) (A = 2400 pixels) with the reference's lambda, on a
    // ramp as narrow as the colours of one palette entry (the library's Lab is first-order).
    const vecta::image<std::uint8_t> narrow = ramp(80, 30, {100, 120, 140}, {124, 132, 122});
    const double score = naive(narrow).lambda * std::sqrt(2400.0);
    CHECK(score > 100);
    CHECK(vecta::split_regions(regions, narrow.view(), {.threshold = score * 0.97}).split == 1);
    CHECK(vecta::split_regions(regions, narrow.view(), {.threshold = score * 1.03}).split == 0);
    // Regions under min_area stay whole.
    CHECK(vecta::split_regions(regions, rgb.view(), {.min_area = 2401}).split == 0);
    CHECK(vecta::split_regions(regions, rgb.view(), {.min_area = 2400}).split == 1);
    // seq = par; the default smoothing gives the same straight cut on a noiseless ramp.
    const auto par = vecta::split_regions(vecta::par, regions, rgb.view(), {.smoothing = 0});
    CHECK(std::equal(par.labels.data(), par.labels.data() + 80 * 30, cut.labels.data()));
    const auto smooth = vecta::split_regions(regions, rgb.view());
    std::size_t moved = 0;
    for (std::size_t i = 0; i < 80 * 30; ++i) moved += smooth.labels.data()[i] != cut.labels.data()[i];
    CHECK(moved <= 30);
}

TEST_CASE("split_regions: flat regions stay whole; every region keeps label 2 r; specks of a side rejoin") {
    // Two regions: left half a flat colour with +-1 noise, right half a steep ramp.
    vecta::image<std::uint8_t> rgb(60, 20, 3), labels(60, 20, 1);
    const auto noise = vecta_test::random_image(60, 20, 3, 5, -1, 1);
    for (std::size_t y = 0; y < 20; ++y)
        for (std::size_t x = 0; x < 60; ++x) {
            labels(x, y) = x < 30 ? 0 : 1;
            for (std::size_t c = 0; c < 3; ++c)
                rgb(x, y, c) = x < 30 ? std::uint8_t(120 + int(std::int8_t(noise(x, y, c))))
                                      : std::uint8_t(20 + 7 * (x - 30) + 2 * c);
        }
    // A speck of a far colour in the ramp's low side: its own side by projection, 1 pixel.
    for (std::size_t c = 0; c < 3; ++c) rgb(33, 10, c) = 250;
    const vecta::region_runs regions = vecta::label_regions(labels.view());
    REQUIRE(regions.count() == 2);
    const auto cut = vecta::split_regions(regions, rgb.view(), {.smoothing = 0, .min_part = 4});
    CHECK(cut.split == 1);
    for (std::size_t y = 0; y < 20; ++y)
        for (std::size_t x = 0; x < 30; ++x) CHECK(cut.labels(x, y) == 0);  // flat: 2 * 0
    CHECK(cut.labels(33, 10) == cut.labels(32, 10));                        // the speck rejoined its surroundings
    // Every part of a side has at least min_part pixels.
    const vecta::region_runs parts = vecta::label_regions(cut.labels.view());
    for (std::size_t i = 0; i < parts.count(); ++i) CHECK(parts.area[i] >= 4);
    CHECK(parts.count() == 3);
    // Without the min_part rule the speck is its own part.
    const auto raw = vecta::split_regions(regions, rgb.view(), {.smoothing = 0, .min_part = 0});
    CHECK(raw.labels(33, 10) != raw.labels(32, 10));
}

TEST_CASE("split_regions: on a noisy cut line no part of either side stays under min_part") {
    // A 120 x 80 ramp with +-40 noise, cut on the pixels themselves: along the cut line small parts
    // of both sides touch. Flipped in one pass they swapped sides and 32 parts under 16 pixels
    // stayed; every part must now have min_part pixels, each label 0 or 1 (one region).
    const std::size_t w = 120, h = 80;
    vecta::image<std::uint8_t> rgb(w, h, 3);
    const vecta::image<std::uint8_t> one(w, h, 1);
    std::mt19937 rng(7);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const int n = int(rng() % 81) - 40;
            for (int c = 0; c < 3; ++c) rgb(x, y, c) = std::uint8_t(std::clamp(60 + int(x) + n + 20 * c, 0, 255));
        }
    const vecta::region_runs regions = vecta::label_regions(one.view());
    for (const std::size_t min_part : {2, 16, 40}) {
        const auto cut = vecta::split_regions(regions, rgb.view(), {.smoothing = 0, .min_part = min_part});
        CHECK(cut.split == 1);
        for (std::size_t i = 0; i < w * h; ++i) CHECK(cut.labels.data()[i] <= 1);
        const vecta::region_runs parts = vecta::label_regions(cut.labels.view());
        CHECK(parts.count() >= 2);  // still cut
        for (std::size_t i = 0; i < parts.count(); ++i) CHECK(parts.area[i] >= min_part);
    }
}

TEST_CASE("split_regions: the principal axis is the top eigenvector even with no component on the largest diagonal") {
    // Top eigenvalue 1.9 on (0, 1, 1)/sqrt 2, 1.5 on (1, 0, 0): the largest diagonal (1.5, entry 0)
    // is orthogonal to the top axis; from that column alone the power iteration returned 1.5 and
    // (1, 0, 0). Coupled by e the top pair moves little; Jacobi is the reference.
    for (const double e : {0.0, 1e-12, 1e-8, 1e-5, 1e-2}) {
        const std::array<double, 9> m{1.5, e, e, e, 1.0, 0.9, e, 0.9, 1.0};
        const auto [v, lambda] = vecta::detail::principal_axis(m);
        const auto [ref_lambda, ref_v] = jacobi_top({{{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]}}});
        CHECK(lambda == doctest::Approx(ref_lambda).epsilon(1e-7));
        CHECK(std::abs(v[0] * ref_v[0] + v[1] * ref_v[1] + v[2] * ref_v[2]) == doctest::Approx(1).epsilon(1e-6));
    }
}

TEST_CASE("split_regions: argument errors") {
    const vecta::image<std::uint8_t> rgb = ramp(8, 8, {0, 0, 0}, {255, 255, 255}), one(8, 8, 1);
    const vecta::region_runs regions = vecta::label_regions(one.view());
    const vecta::image<std::uint8_t> small(4, 8, 3), gray(8, 8, 1);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, small.view()), vecta_test::names("rgb"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, gray.view()), vecta_test::names("rgb"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, rgb.view(), {.min_area = 1}),
                         vecta_test::names("params.min_area"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, rgb.view(), {.threshold = std::nan("")}),
                         vecta_test::names("params.threshold"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, rgb.view(), {.threshold = -1}),
                         vecta_test::names("params.threshold"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, rgb.view(), {.smoothing = 4}),
                         vecta_test::names("params.smoothing"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_regions(regions, rgb.view(), {.smoothing = 33}),
                         vecta_test::names("params.smoothing"), vecta::invalid_argument);
    vecta::region_runs broken = regions;
    broken.area[0] += 1;
    CHECK_THROWS_WITH_AS(vecta::split_regions(broken, rgb.view()), vecta_test::names("regions"),
                         vecta::invalid_argument);
}

}  // namespace split_regions_test
