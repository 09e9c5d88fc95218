// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <vecta/color/lab.hpp>
#include <vecta/color/quantize.hpp>
#include <vector>

#include "color_test_arch.hpp"
#include "test_support.hpp"

namespace {

using rgb = std::array<std::uint8_t, 3>;

/// A smooth colourful image with noise: many distinct colours.
vecta::image<std::uint8_t> test_image(std::size_t w, std::size_t h, std::uint32_t seed) {
    vecta::image<std::uint8_t> im(w, h, 3);
    std::mt19937 rng(seed);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const int n = int(rng() % 17) - 8;
            im(x, y, 0) = static_cast<std::uint8_t>(std::clamp(int(255 * x / w) + n, 0, 255));
            im(x, y, 1) = static_cast<std::uint8_t>(std::clamp(int(255 * y / h) + n, 0, 255));
            im(x, y, 2) = static_cast<std::uint8_t>(std::clamp(int((x / 8 + y / 8) % 2) * 200 + n + 20, 0, 255));
        }
    return im;
}

rgb pixel(vecta::image_view<const std::uint8_t> v, std::size_t x, std::size_t y) {
    return {v(x, y, 0), v(x, y, 1), v(x, y, 2)};
}

std::array<double, 3> coords(vecta::color_space s, rgb c) {
    if (s == vecta::color_space::lab) {
        const auto l = vecta::rgb_to_lab(c[0], c[1], c[2]);
        return {l[0], l[1], l[2]};
    }
    return {double(c[0]), double(c[1]), double(c[2])};
}

double dist2(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]);
}

/// Brute-force check that every label is the nearest palette entry (exact in rgb, within a
/// float tolerance in lab), and that every palette entry is used and unique.
void check_labels(vecta::image_view<const std::uint8_t> src, const vecta::quantize_result& q,
                  vecta::color_space space) {
    REQUIRE(q.labels.width() == src.width());
    REQUIRE(q.labels.height() == src.height());
    REQUIRE(q.labels.channels() == 1);
    std::vector<std::array<double, 3>> pal;
    for (const auto& p : q.palette) pal.push_back(coords(space, p));
    std::vector<int> used(q.palette.size(), 0);
    int bad = 0;
    for (std::size_t y = 0; y < src.height(); ++y)
        for (std::size_t x = 0; x < src.width(); ++x) {
            const auto c = coords(space, pixel(src, x, y));
            const std::size_t l = q.labels(x, y);
            if (l >= pal.size()) {
                ++bad;
                continue;
            }
            used[l] = 1;
            std::size_t bi = 0;
            for (std::size_t j = 1; j < pal.size(); ++j)
                if (dist2(c, pal[j]) < dist2(c, pal[bi])) bi = j;
            if (space == vecta::color_space::rgb)
                bad += l != bi;  // integer distances: exact, ties to the lower index
            else
                bad += dist2(c, pal[l]) > dist2(c, pal[bi]) + 1e-2;
        }
    CHECK(bad == 0);
    CHECK(std::count(used.begin(), used.end(), 1) == int(q.palette.size()));
    CHECK(std::set<rgb>(q.palette.begin(), q.palette.end()).size() == q.palette.size());
}

bool same(const vecta::quantize_result& a, const vecta::quantize_result& b) {
    return a.palette == b.palette && a.psnr == b.psnr && a.labels.width() == b.labels.width() &&
           std::equal(a.labels.data(), a.labels.data() + a.labels.size(), b.labels.data(),
                      b.labels.data() + b.labels.size());
}

}  // namespace

TEST_CASE("quantize: an image with 3 colours keeps exactly those colours") {
    vecta::image<std::uint8_t> im(23, 17, 3);
    const std::array<rgb, 3> cols{rgb{200, 10, 30}, rgb{0, 0, 0}, rgb{17, 250, 99}};
    for (std::size_t y = 0; y < 17; ++y)
        for (std::size_t x = 0; x < 23; ++x)
            for (int c = 0; c < 3; ++c) im(x, y, c) = cols[(x * 3 + y) % 5 % 3][c];
    for (auto space : {vecta::color_space::rgb, vecta::color_space::lab})
        for (std::size_t colors : {3u, 16u}) {
            const auto q = vecta::quantize(vecta::par, im, {.colors = colors, .space = space});
            CHECK(q.palette.size() == 3);
            CHECK(std::set<rgb>(q.palette.begin(), q.palette.end()) == std::set<rgb>(cols.begin(), cols.end()));
            CHECK(q.psnr == vecta::quantize_psnr_max);
            CHECK(q.psnr == 99.0);
            vecta::image<std::uint8_t> out(23, 17, 3);
            vecta::apply_palette(q, out);
            CHECK(std::equal(out.data(), out.data() + out.size(), im.data()));
            check_labels(im, q, space);
        }
}

TEST_CASE("quantize: labels are the nearest palette entry, psnr matches") {
    const auto im = test_image(64, 48, 1);
    for (auto space : {vecta::color_space::rgb, vecta::color_space::lab})
        for (std::size_t colors : {1u, 5u, 16u}) {
            INFO("space ", int(space), " colors ", colors);
            const auto q = vecta::quantize(vecta::par, im, {.colors = colors, .space = space, .seed = 3});
            CHECK(q.palette.size() >= 1);
            CHECK(q.palette.size() <= colors);
            check_labels(im, q, space);
            vecta::image<std::uint8_t> out(64, 48, 3);
            vecta::apply_palette(vecta::par, q, out);
            const double ref = vecta_test::psnr(im, out);
            CHECK(std::abs(q.psnr - ref) < 1e-9);
            CHECK(q.psnr < 99.0);
        }
}

TEST_CASE("quantize: one colour is the mean colour") {
    const auto im = test_image(30, 20, 2);
    double sum[3] = {0, 0, 0};
    for (std::size_t i = 0; i < im.size(); ++i) sum[i % 3] += im.data()[i];
    const auto q = vecta::quantize(im, {.colors = 1});
    REQUIRE(q.palette.size() == 1);
    for (int c = 0; c < 3; ++c) CHECK(std::abs(double(q.palette[0][c]) - sum[c] / 600.0) <= 0.5 + 1e-6);
}

TEST_CASE("quantize: more colours give a higher PSNR") {
    const auto im = test_image(80, 60, 5);
    const double p4 = vecta::quantize(im, {.colors = 4}).psnr;
    const double p32 = vecta::quantize(im, {.colors = 32}).psnr;
    CHECK(p4 > 12.0);
    CHECK(p32 > p4 + 3.0);
}

TEST_CASE("quantize: seq == par == scalar; strided views; deterministic by seed") {
    const auto im = test_image(97, 61, 9);
    for (auto space : {vecta::color_space::rgb, vecta::color_space::lab}) {
        const vecta::quantize_params p{.colors = 12, .space = space, .max_iter = 20, .seed = 4};
        const auto a = vecta::quantize(vecta::seq, im, p);
        CHECK(same(a, vecta::quantize(vecta::par, im, p)));
        CHECK(same(a, vecta::quantize(vecta::par | vecta::simd::scalar, im, p)));
        CHECK(same(a, vecta::quantize(im, p)));
        // The same pixels in a padded buffer.
        const std::size_t stride = 97 * 3 + 5;
        std::vector<std::uint8_t> buf(stride * 61, 7);
        for (std::size_t y = 0; y < 61; ++y)
            std::copy(im.data() + y * 97 * 3, im.data() + (y + 1) * 97 * 3, buf.data() + y * stride);
        const vecta::image_view<const std::uint8_t> strided(buf.data(), 97, 61, 3, stride);
        CHECK(same(a, vecta::quantize(vecta::par, strided, p)));
        auto q = p;
        q.seed = 5;
        CHECK_FALSE(same(a, vecta::quantize(vecta::par, im, q)));
    }
}

TEST_CASE("quantize: every SIMD level equals the scalar path") {
    const auto im = test_image(53, 37, 21);
    for (auto space : {vecta::color_space::rgb, vecta::color_space::lab}) {
        const vecta::quantize_params p{.colors = 10, .space = space, .max_iter = 15, .seed = 8};
        const auto ref = vecta::quantize(vecta::seq | vecta::simd::scalar, im, p);
        color_test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            CAPTURE(int(space));
            CHECK(same(ref, vecta::quantize(policy, im, p)));
        });
    }
}

TEST_CASE("quantize and apply_palette reject bad input") {
    using vecta::invalid_argument;
    const auto im = test_image(8, 8, 1);
    const vecta::image<std::uint8_t> gray(8, 8, 1), four(8, 8, 4);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, {.colors = 0}), doctest::Contains("params.colors"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, {.colors = 65537}), doctest::Contains("params.colors"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(gray), doctest::Contains("src"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(vecta::par, four), doctest::Contains("src"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(vecta::image_view<const std::uint8_t>{}), doctest::Contains("src"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, {.max_iter = 0}), doctest::Contains("params.max_iter"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, {.tol = -1}), doctest::Contains("params.tol"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, {.tol = std::nan("")}), doctest::Contains("params.tol"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, {.space = static_cast<vecta::color_space>(2)}),
                         doctest::Contains("params.space"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::quantize(vecta::par, im, {.space = static_cast<vecta::color_space>(-1)}),
                         doctest::Contains("params.space"), invalid_argument);

    auto q = vecta::quantize(im, {.colors = 4});
    vecta::image<std::uint8_t> ok(8, 8, 3), small(7, 8, 3), one(8, 8, 1);
    CHECK_NOTHROW(vecta::apply_palette(q, ok));
    CHECK_THROWS_WITH_AS(vecta::apply_palette(q, small), doctest::Contains("dst"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::apply_palette(q, one), doctest::Contains("dst"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::apply_palette(q, vecta::image_view<std::uint8_t>{}), doctest::Contains("dst"),
                         invalid_argument);
    q.labels(3, 3) = static_cast<std::uint16_t>(q.palette.size());
    CHECK_THROWS_WITH_AS(vecta::apply_palette(vecta::par, q, ok), doctest::Contains("result"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::apply_palette(vecta::quantize_result{}, ok), doctest::Contains("dst"),
                         invalid_argument);
}

TEST_CASE("psnr_u8: closed form, cap and bad input") {
    // One sample off by 255 out of one: MSE = 255^2, PSNR 0 dB.
    CHECK(vecta::psnr_u8(255 * 255, 1) == doctest::Approx(0.0));
    // MSE 1 -> 20 log10(255) = 48.1308 dB.
    CHECK(vecta::psnr_u8(300, 300) == doctest::Approx(20.0 * std::log10(255.0)));
    CHECK(vecta::psnr_u8(0, 7) == vecta::quantize_psnr_max);
    CHECK(vecta::psnr_u8(1, std::uint64_t(1) << 62) == vecta::quantize_psnr_max);
    CHECK_THROWS_WITH_AS(vecta::psnr_u8(1, 0), doctest::Contains("samples"), vecta::invalid_argument);
}

TEST_CASE("quantize: the sorted colour table (small images) equals the bitset (large ones)") {
    // b: 150 x 150 (22,500 pixels: sorted layout); a: b tiled 2 x 2 (90,000 pixels: bitset).
    const auto b = test_image(150, 150, 11);
    vecta::image<std::uint8_t> a(300, 300, 3);
    for (std::size_t y = 0; y < 300; ++y)
        for (std::size_t x = 0; x < 300; ++x)
            for (int c = 0; c < 3; ++c) a(x, y, c) = b(x % 150, y % 150, c);
    REQUIRE(b.width() * b.height() <= vecta::detail::color_table::sort_max);
    REQUIRE(a.width() * a.height() > vecta::detail::color_table::sort_max);
    vecta::detail::color_table ta, tb;
    vecta::detail::distinct_colors(vecta::par, a.view(), ta);
    vecta::detail::distinct_colors(vecta::seq, b.view(), tb);
    CHECK(ta.pixel.empty());
    CHECK(tb.bits.empty());
    REQUIRE(ta.keys == tb.keys);
    CHECK(std::is_sorted(tb.keys.begin(), tb.keys.end()));
    std::vector<std::uint64_t> naive(tb.keys.size(), 0);  // counts by a linear search per pixel
    int bad = 0;
    for (std::size_t y = 0; y < 150; ++y)
        for (std::size_t x = 0; x < 150; ++x) {
            const std::uint32_t key = vecta::detail::color_table::key_at(b.view().row(y) + 3 * x);
            const auto it = std::find(tb.keys.begin(), tb.keys.end(), key);
            const auto i = static_cast<std::uint32_t>(it - tb.keys.begin());
            ++naive[i];
            bad += tb.pixel[y * 150 + x] != i || ta.index_of(key) != i;
            tb.pixel_index(b.view(), [&](auto index) { bad += index(y, x) != i; });
            ta.pixel_index(a.view(), [&](auto index) { bad += index(y + 150, x) != i; });
        }
    CHECK(bad == 0);
    CHECK(tb.counts == naive);
    for (std::size_t i = 0; i < naive.size(); ++i) bad += ta.counts[i] != 4 * naive[i];
    CHECK(bad == 0);
    // Weights scaled by 4 (a power of two: exact) give the same k-means, so the same palette and
    // the labels of b tiled.
    const auto qa = vecta::quantize(vecta::par, a, {.colors = 16});
    const auto qb = vecta::quantize(vecta::par, b, {.colors = 16});
    CHECK(qa.palette == qb.palette);
    CHECK(qa.psnr == qb.psnr);
    for (std::size_t y = 0; y < 300; ++y)
        for (std::size_t x = 0; x < 300; ++x) bad += qa.labels(x, y) != qb.labels(x % 150, y % 150);
    CHECK(bad == 0);
    check_labels(b, qb, vecta::color_space::rgb);
}
