// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/color: kmeans (span and range overloads), quantize, apply_palette,
// rgb_to_lab / lab_to_rgb and ciede2000 with empty data, k larger than the data, NaN and
// infinity, out-of-range magnitudes, bad enumerators, zero and one-pixel images, padded strides.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vecta/color/ciede2000.hpp>
#include <vecta/color/kmeans.hpp>
#include <vecta/color/lab.hpp>
#include <vecta/color/quantize.hpp>
#include <vector>

#include "test_support.hpp"

namespace {
using vecta_test::names;
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
constexpr float inf_f = std::numeric_limits<float>::infinity();

vecta::kmeans_params kp(std::size_t k) {
    vecta::kmeans_params p;
    p.k = k;
    return p;
}

auto km(const std::vector<float>& pts, std::size_t dim, const vecta::kmeans_params& p,
        const std::vector<float>& w = {}) {
    return vecta::kmeans(std::span<const float>(pts), dim, p, std::span<const float>(w));
}
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: kmeans") {
    const std::vector<float> pts{0, 0, 1, 1, 5, 5, 6, 6};  // four 2-D points
    CHECK_BAD(km(pts, 0, kp(1)), "dim");
    CHECK_BAD(km({}, 2, kp(1)), "points");
    CHECK_BAD(km({0, 1, 2}, 2, kp(1)), "points");  // not a multiple of dim
    CHECK_BAD(km(pts, 2, kp(0)), "params.k");
    CHECK_BAD(km(pts, 2, kp(5)), "params.k");  // k larger than the data
    CHECK_BAD(km({0, 0, nan_f, 1}, 2, kp(1)), "points");
    CHECK_BAD(km({0, 0, 1, -inf_f}, 2, kp(1)), "points");
    CHECK_BAD(km({0, 3e19f}, 2, kp(1)), "points");  // squared distances would overflow float
    auto p = kp(2);
    p.max_iter = 0;
    CHECK_BAD(km(pts, 2, p), "params.max_iter");
    p = kp(2);
    p.tol = -1;
    CHECK_BAD(km(pts, 2, p), "params.tol");
    p.tol = std::nan("");
    CHECK_BAD(km(pts, 2, p), "params.tol");
    p = kp(2);
    p.init = static_cast<vecta::kmeans_init>(9);
    CHECK_BAD(km(pts, 2, p), "params.init");
    p = kp(2);
    p.algorithm = static_cast<vecta::kmeans_algorithm>(9);
    CHECK_BAD(km(pts, 2, p), "params.algorithm");
    CHECK_BAD(km(pts, 2, kp(2), {1, 1, 1}), "weights");  // wrong size
    CHECK_BAD(km(pts, 2, kp(2), {1, -1, 1, 1}), "weights");
    CHECK_BAD(km(pts, 2, kp(2), {1, nan_f, 1, 1}), "weights");
    CHECK_BAD(km(pts, 2, kp(2), {1, inf_f, 1, 1}), "weights");
    CHECK_BAD(km(pts, 2, kp(2), {0, 0, 0, 0}), "weights");
    // The range overload checks the same (k larger than the data).
    const std::vector<std::array<double, 3>> three{{0, 0, 0}, {1, 1, 1}};
    CHECK_BAD(vecta::kmeans(three, kp(3)), "params.k");
    // k = n: every point its own centroid, inertia 0; one point, k = 1.
    const auto all = km(pts, 2, kp(4));
    CHECK(all.inertia == 0);
    const auto one = km({3, 4}, 2, kp(1));
    CHECK(one.centroids == std::vector<float>{3, 4});
    CHECK(one.labels == std::vector<std::uint32_t>{0});
    // k = 2 with two zero weights: those points get labels, but do not move centroids.
    const auto w = km(pts, 2, kp(2), {1, 0, 0, 1});
    CHECK(w.labels.size() == 4);
}

TEST_CASE("bad input: quantize and apply_palette") {
    const auto im = vecta_test::random_image(4, 3, 3, 2);
    CHECK_BAD(vecta::quantize(vecta::image_view<const std::uint8_t>()), "src");
    const auto grey = vecta_test::random_image(4, 3, 1, 2);
    CHECK_BAD(vecta::quantize(grey.view()), "src");
    vecta::quantize_params p;
    p.colors = 0;
    CHECK_BAD(vecta::quantize(im.view(), p), "params.colors");
    p.colors = 65537;
    CHECK_BAD(vecta::quantize(im.view(), p), "params.colors");
    p = {};
    p.max_iter = 0;
    CHECK_BAD(vecta::quantize(im.view(), p), "params.max_iter");
    p = {};
    p.tol = std::nan("");
    CHECK_BAD(vecta::quantize(im.view(), p), "params.tol");
    p.tol = -1;
    CHECK_BAD(vecta::quantize(im.view(), p), "params.tol");
    p = {};
    p.space = static_cast<vecta::color_space>(5);
    CHECK_BAD(vecta::quantize(im.view(), p), "params.space");
    p = {};
    p.init = static_cast<vecta::kmeans_init>(5);
    CHECK_BAD(vecta::quantize(im.view(), p), "params.init");
    p = {};
    p.algorithm = static_cast<vecta::kmeans_algorithm>(5);
    CHECK_BAD(vecta::quantize(im.view(), p), "params.algorithm");
    // LocalSearch++ steps are bounded (10^9 ran about 40 minutes on 20 x 20 pixels).
    p = {};
    p.local_search = vecta::quantize_local_search_max + 1;
    CHECK_BAD(vecta::quantize(im.view(), p), "params.local_search");
    p.local_search = std::size_t(1000000000);
    CHECK_BAD(vecta::quantize(im.view(), p), "params.local_search");
    p.local_search = vecta::quantize_local_search_max;
    CHECK(vecta::quantize(im.view(), p).palette.size() >= 1);
    // One pixel, with and without dithering, in both spaces: a one-colour palette, exact.
    const auto px = vecta_test::random_image(1, 1, 3, 7);
    for (bool dither : {false, true})
        for (auto space : {vecta::color_space::rgb, vecta::color_space::lab}) {
            vecta::quantize_params q;
            q.dither = dither;
            q.space = space;
            q.colors = 65536;  // more than the image has
            const auto r = vecta::quantize(px.view(), q);
            REQUIRE(r.palette.size() == 1);
            CHECK(r.palette[0] == std::array<std::uint8_t, 3>{px(0, 0, 0), px(0, 0, 1), px(0, 0, 2)});
        }
    // A padded stride gives the result of the packed image.
    std::vector<std::uint8_t> padded(3 * 16, 99);
    for (std::size_t y = 0; y < 3; ++y)
        for (std::size_t i = 0; i < 12; ++i) padded[y * 16 + i] = im.data()[y * 12 + i];
    vecta::quantize_params four;
    four.colors = 4;
    const auto a = vecta::quantize(im.view(), four);
    const auto b = vecta::quantize(vecta::image_view<const std::uint8_t>(padded.data(), 4, 3, 3, 16), four);
    CHECK(a.palette == b.palette);
    CHECK(std::equal(a.labels.data(), a.labels.data() + a.labels.size(), b.labels.data()));
    // apply_palette: empty, wrong channels or size, labels outside the palette.
    vecta::image<std::uint8_t> dst(4, 3, 3), wrong(3, 3, 3), grey_dst(4, 3, 1);
    CHECK_BAD(vecta::apply_palette(a, vecta::image_view<std::uint8_t>()), "dst");
    CHECK_BAD(vecta::apply_palette(a, wrong.view()), "dst");
    CHECK_BAD(vecta::apply_palette(a, grey_dst.view()), "dst");
    auto broken = a;
    broken.labels(0, 0) = std::uint16_t(broken.palette.size());
    CHECK_BAD(vecta::apply_palette(broken, dst.view()), "result");
    CHECK_NOTHROW(vecta::apply_palette(a, dst.view()));
}

TEST_CASE("bad input: Lab conversions and CIEDE2000") {
    CHECK_BAD(vecta::lab_to_rgb(nan_f, 0, 0), "L");
    CHECK_BAD(vecta::lab_to_rgb(50, inf_f, 0), "a");
    CHECK_BAD(vecta::lab_to_rgb(50, 0, -inf_f), "b");
    // Out-of-gamut but finite values clamp.
    CHECK(vecta::lab_to_rgb(1e30f, 0, 0) == std::array<std::uint8_t, 3>{255, 255, 255});
    CHECK(vecta::lab_to_rgb(-1e30f, 0, 0) == std::array<std::uint8_t, 3>{0, 0, 0});
    // ciede2000 never throws: NaN in, NaN out (documented); equal colours give 0.
    CHECK(std::isnan(vecta::ciede2000({std::nan(""), 0, 0}, {50, 0, 0})));
    CHECK(vecta::ciede2000({50, 10, -10}, {50, 10, -10}) == 0);
}
