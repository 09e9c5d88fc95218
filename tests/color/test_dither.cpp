// SPDX-License-Identifier: MIT
// Floyd-Steinberg dithering in vecta::quantize against a naive reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vecta/color/quantize.hpp>
#include <vector>

#include "test_support.hpp"

namespace {

vecta::image<std::uint8_t> gradient_image(std::size_t w, std::size_t h, std::uint32_t seed) {
    vecta::image<std::uint8_t> im(w, h, 3);
    std::mt19937 rng(seed);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const int n = int(rng() % 9) - 4;
            im(x, y, 0) = static_cast<std::uint8_t>(std::clamp(int(255 * x / w) + n, 0, 255));
            im(x, y, 1) = static_cast<std::uint8_t>(std::clamp(int(255 * y / h) + n, 0, 255));
            im(x, y, 2) = static_cast<std::uint8_t>(std::clamp(int(128 + 100 * ((x + y) % 13) / 13) + n, 0, 255));
        }
    return im;
}

/// Naive Floyd-Steinberg: a full-size float error image, serpentine scan, nearest palette entry
/// of the clamped error-adjusted colour (float squared distance, first minimum), error spread
/// 7/16 ahead, 3/16 below-behind, 5/16 below, 1/16 below-ahead; neighbours outside are dropped.
std::vector<std::uint16_t> reference_fs(const vecta::image<std::uint8_t>& im,
                                        const std::vector<std::array<std::uint8_t, 3>>& pal) {
    const int w = int(im.width()), h = int(im.height());
    std::vector<float> err(std::size_t(w * h * 3), 0.0f);
    std::vector<std::uint16_t> out(std::size_t(w * h));
    auto spread = [&](int x, int y, const float* e, float f) {
        if (x < 0 || x >= w || y >= h) return;
        for (int c = 0; c < 3; ++c) err[std::size_t((y * w + x) * 3 + c)] += e[c] * f;
    };
    for (int y = 0; y < h; ++y) {
        const int dir = y % 2 == 0 ? 1 : -1;
        for (int s = 0; s < w; ++s) {
            const int x = dir == 1 ? s : w - 1 - s;
            float v[3];
            for (int c = 0; c < 3; ++c)
                v[c] = std::clamp(
                    float(im(std::size_t(x), std::size_t(y), std::size_t(c))) + err[std::size_t((y * w + x) * 3 + c)],
                    0.0f, 255.0f);
            std::size_t best = 0;
            float bd = 0;
            for (std::size_t j = 0; j < pal.size(); ++j) {
                float acc = 0;
                for (int c = 0; c < 3; ++c) {
                    const float d = v[c] - float(pal[j][std::size_t(c)]);
                    acc = acc + d * d;
                }
                if (j == 0 || acc < bd) bd = acc, best = j;
            }
            out[std::size_t(y * w + x)] = std::uint16_t(best);
            float e[3];
            for (int c = 0; c < 3; ++c) e[c] = v[c] - float(pal[best][std::size_t(c)]);
            spread(x + dir, y, e, 7.0f / 16.0f);
            spread(x - dir, y + 1, e, 3.0f / 16.0f);
            spread(x, y + 1, e, 5.0f / 16.0f);
            spread(x + dir, y + 1, e, 1.0f / 16.0f);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("quantize with dither: labels equal a naive serpentine Floyd-Steinberg on the same palette") {
    for (auto space : {vecta::color_space::rgb, vecta::color_space::lab})
        for (std::size_t colors : {2u, 6u, 16u}) {
            const auto im = gradient_image(57, 41, std::uint32_t(colors));
            const vecta::quantize_params p{.colors = colors, .space = space, .seed = 2, .dither = true};
            const auto q = vecta::quantize(vecta::par, im, p);
            auto pn = p;
            pn.dither = false;
            const auto plain = vecta::quantize(vecta::par, im, pn);
            CAPTURE(int(space));
            CAPTURE(colors);
            CHECK(q.palette == plain.palette);  // dithering changes the mapping only
            const auto ref = reference_fs(im, q.palette);
            CHECK(std::equal(ref.begin(), ref.end(), q.labels.data()));
            vecta::image<std::uint8_t> out(57, 41, 3);
            vecta::apply_palette(q, out);
            CHECK(std::abs(q.psnr - vecta_test::psnr(im, out)) < 1e-9);
            // seq == par == scalar.
            const auto s = vecta::quantize(vecta::seq | vecta::simd::scalar, im, p);
            CHECK(s.palette == q.palette);
            CHECK(std::equal(s.labels.data(), s.labels.data() + s.labels.size(), q.labels.data()));
            CHECK(s.psnr == q.psnr);
        }
}

TEST_CASE("dithering keeps the local mean colour of a ramp with a 2-colour palette") {
    // A grey ramp 0..255 over 64 columns: 2-means puts the palette near 64 and 191.
    vecta::image<std::uint8_t> im(64, 64, 3);
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x)
            for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = static_cast<std::uint8_t>(x * 255 / 63);
    const auto q = vecta::quantize(im, {.colors = 2, .dither = true});
    const auto plain = vecta::quantize(im, {.colors = 2});
    REQUIRE(q.palette.size() == 2);
    // Columns 16..31 (values 64..125, mean about 95): all mapped to the dark entry without
    // dithering, a mix of both that keeps the mean with it.
    auto mean_band = [&](const vecta::quantize_result* r) {
        double s = 0;
        for (std::size_t y = 0; y < 64; ++y)
            for (std::size_t x = 16; x < 32; ++x) s += r ? r->palette[r->labels(x, y)][0] : im(x, y, 0);
        return s / (64.0 * 16.0);
    };
    const double orig = mean_band(nullptr);
    CHECK(std::abs(mean_band(&q) - orig) < 6.0);
    CHECK(std::abs(mean_band(&plain) - orig) > 20.0);
}

TEST_CASE("dithering an image with few colours keeps it exact") {
    vecta::image<std::uint8_t> im(10, 10, 3);
    for (std::size_t y = 0; y < 10; ++y)
        for (std::size_t x = 0; x < 10; ++x)
            for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = (x + y) % 2 ? 200 : 10;
    const auto q = vecta::quantize(im, {.colors = 4, .dither = true});
    CHECK(q.palette.size() == 2);
    CHECK(q.psnr == vecta::quantize_psnr_max);
}

TEST_CASE("quantize rejects bad init and algorithm values") {
    const vecta::image<std::uint8_t> im(4, 4, 3);
    vecta::quantize_params p;
    p.init = static_cast<vecta::kmeans_init>(9);
    CHECK_THROWS_WITH_AS(vecta::quantize(im, p), doctest::Contains("params.init"), vecta::invalid_argument);
    p = {};
    p.algorithm = static_cast<vecta::kmeans_algorithm>(9);
    CHECK_THROWS_WITH_AS(vecta::quantize(vecta::par, im, p), doctest::Contains("params.algorithm"),
                         vecta::invalid_argument);
}

TEST_CASE("quantize: Hamerly and plain Lloyd give the same result") {
    const auto im = gradient_image(91, 67, 4);
    for (auto space : {vecta::color_space::rgb, vecta::color_space::lab}) {
        vecta::quantize_params p{.colors = 9,
                                 .space = space,
                                 .max_iter = 30,
                                 .tol = 0.0,
                                 .seed = 1,
                                 .algorithm = vecta::kmeans_algorithm::hamerly};
        const auto a = vecta::quantize(vecta::par, im, p);
        p.algorithm = vecta::kmeans_algorithm::lloyd;
        const auto b = vecta::quantize(vecta::par, im, p);
        CHECK(a.palette == b.palette);
        CHECK(a.psnr == b.psnr);
        CHECK(std::equal(a.labels.data(), a.labels.data() + a.labels.size(), b.labels.data()));
    }
}
