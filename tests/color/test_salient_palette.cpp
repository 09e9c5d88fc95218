// SPDX-License-Identifier: MIT
// vecta::salient_palette: a tiny salient colour on a large gradient that k-means averages away
// comes back as an entry (CIEDE2000 from vecta::ciede2000, itself checked against Sharma et
// al.'s data in test_ciede2000.cpp); flat palettes; vectorize end to end; determinism; errors.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <regex>
#include <span>
#include <string>
#include <vecta/color/ciede2000.hpp>
#include <vecta/color/flat_palette.hpp>
#include <vecta/color/lab.hpp>
#include <vecta/color/quantize.hpp>
#include <vecta/color/salient_palette.hpp>
#include <vecta/core/error.hpp>
#include <vector>

#include "vectorize_once.hpp"

namespace salient_test {  // named: the colour tests are compiled as one unity translation unit

using rgb8 = std::array<std::uint8_t, 3>;

std::array<double, 3> lab(const rgb8& c) {
    const auto l = vecta::rgb_to_lab(c[0], c[1], c[2]);
    return {l[0], l[1], l[2]};
}

// Smallest CIEDE2000 from `want` to a palette entry.
double nearest_de(const std::vector<rgb8>& pal, const rgb8& want) {
    double best = 1e9;
    for (const rgb8& p : pal) best = std::min(best, vecta::ciede2000(lab(p), lab(want)));
    return best;
}

constexpr rgb8 green{90, 150, 60};  // Delta E00 about 15 from the nearest gradient colour

// 240 x 240 brown-to-grey gradient with noise (+-6) and 19 green 3 x 3 dots: 171 pixels, 0.3 %.
vecta::image<std::uint8_t> gradient_with_dots() {
    vecta::image<std::uint8_t> im(240, 240, 3);
    std::mt19937 rng(5);
    for (std::size_t y = 0; y < 240; ++y)
        for (std::size_t x = 0; x < 240; ++x) {
            const double t = double(x) / 239, s = double(y) / 239;
            const double base[3] = {110 + 40 * s, 70 + 60 * t + 20 * s, 40 + 90 * t};
            for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = std::uint8_t(base[c] + double(rng() % 13) - 6);
        }
    for (std::size_t d = 0; d < 19; ++d) {
        const std::size_t x0 = 10 + (d * 53) % 220, y0 = 8 + (d * 97) % 224;
        for (std::size_t y = y0; y < y0 + 3; ++y)
            for (std::size_t x = x0; x < x0 + 3; ++x)
                for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = green[c];
    }
    return im;
}

TEST_CASE("salient_palette: 0.3 % green dots on a brown/grey gradient keep an entry within Delta E00 5") {
    const auto im = gradient_with_dots();
    const auto q = vecta::quantize(im.view(), {.colors = 8});
    REQUIRE(q.palette.size() == 8);
    CHECK(nearest_de(q.palette, green) > 10);  // k-means alone loses the green
    const auto pal = vecta::salient_palette(im.view(), std::span<const rgb8>(q.palette));
    REQUIRE(pal.size() > q.palette.size());
    CHECK(std::equal(q.palette.begin(), q.palette.end(), pal.begin()));  // given entries first, unchanged
    CHECK(nearest_de(pal, green) < 5);
    CHECK(pal.size() <= q.palette.size() + 2 * 2 * 6);  // rounds * groups * split at most

    // Deterministic, and the same under par.
    CHECK(vecta::salient_palette(im.view(), std::span<const rgb8>(q.palette)) == pal);
    CHECK(vecta::salient_palette(vecta::par, im.view(), std::span<const rgb8>(q.palette)) == pal);

    // A plain gradient (no cluster above the threshold) adds nothing.
    vecta::image<std::uint8_t> plain(64, 64, 3);
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x)
            plain(x, y, 0) = plain(x, y, 1) = plain(x, y, 2) = std::uint8_t(100 + x / 8);
    const auto qp = vecta::quantize(plain.view(), {.colors = 8});
    CHECK(vecta::salient_palette(plain.view(), std::span<const rgb8>(qp.palette)) == qp.palette);
}

TEST_CASE("salient_palette: flat palettes get the exact small colour back, not anti-aliasing mixes") {
    // 256 x 256 white, a red square with a one-pixel red-white mix column, one 3 x 3 green dot
    // (9 pixels: under flat_palette's minimum of pixels / 4000 = 16).
    vecta::image<std::uint8_t> im(256, 256, 3, 255);
    for (std::size_t y = 40; y < 200; ++y)
        for (std::size_t x = 40; x < 200; ++x) im(x, y, 0) = 220, im(x, y, 1) = 20, im(x, y, 2) = 30;
    for (std::size_t y = 40; y < 200; ++y) im(200, y, 0) = 237, im(200, y, 1) = 137, im(200, y, 2) = 142;
    for (std::size_t y = 10; y < 13; ++y)
        for (std::size_t x = 10; x < 13; ++x) im(x, y, 0) = 0, im(x, y, 1) = 160, im(x, y, 2) = 0;
    const auto flat = vecta::flat_palette(im.view(), 24);
    REQUIRE(flat.size() == 2);
    const auto pal = vecta::salient_palette(im.view(), std::span<const rgb8>(flat), {.skip_mixes = true});
    const std::vector<rgb8> want = {rgb8{255, 255, 255}, rgb8{220, 20, 30}, rgb8{0, 160, 0}};
    CHECK(pal == want);
}

TEST_CASE("vectorize: params.salient keeps the green dots' colour in the SVG") {
    const auto im = gradient_with_dots();
    auto fills = [](const std::string& doc) {
        std::vector<rgb8> out;
        const std::regex re("#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})\\b");
        for (auto it = std::sregex_iterator(doc.begin(), doc.end(), re); it != std::sregex_iterator(); ++it)
            out.push_back(rgb8{std::uint8_t(std::stoi((*it)[1], nullptr, 16)),
                               std::uint8_t(std::stoi((*it)[2], nullptr, 16)),
                               std::uint8_t(std::stoi((*it)[3], nullptr, 16))});
        return out;
    };
    // Palette colours only (region_colors = 0): region fills, the default, keep the green too
    // (tests/pipeline/test_region_fills.cpp).
    const auto off = vecta::vectorize(im.view(), {.colors = 8, .salient = false, .region_colors = 0});
    const auto on = vecta::vectorize(im.view(), {.colors = 8, .salient = true, .region_colors = 0});
    CHECK(nearest_de(fills(off.document), green) > 10);
    CHECK(nearest_de(fills(on.document), green) < 5);
    CHECK(vecta::vectorize(vecta::par, im.view(), {.colors = 8, .salient = true, .region_colors = 0}).document ==
          on.document);
}

TEST_CASE("salient_palette: bad arguments are named") {
    const auto im = gradient_with_dots();
    const std::vector<rgb8> pal = {rgb8{0, 0, 0}, rgb8{255, 255, 255}};
    const std::span<const rgb8> p(pal);
    auto throws_naming = [](auto&& f, const std::string& name) {
        try {
            f();
        } catch (const vecta::invalid_argument& e) {
            return std::string(e.what()).find(name) != std::string::npos;
        }
        return false;
    };
    vecta::image<std::uint8_t> gray(8, 8, 1, 0);
    CHECK(throws_naming([&] { vecta::salient_palette(gray.view(), p); }, "rgb"));
    CHECK(throws_naming([&] { vecta::salient_palette(vecta::image_view<const std::uint8_t>(), p); }, "rgb"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), std::span<const rgb8>()); }, "palette"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), p, {.threshold = 0}); }, "params.threshold"));
    CHECK(
        throws_naming([&] { vecta::salient_palette(im.view(), p, {.threshold = std::nan("")}); }, "params.threshold"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), p, {.min_pixels = 0}); }, "params.min_pixels"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), p, {.rounds = 0}); }, "params.rounds"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), p, {.groups = 0}); }, "params.groups"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), p, {.split = 0}); }, "params.split"));
    CHECK(throws_naming([&] { vecta::salient_palette(im.view(), p, {.split = 65}); }, "params.split"));
    CHECK(throws_naming([&] { vecta::vectorize(im.view(), {.salient = true, .salient_colors = {.threshold = -1}}); },
                        "params.salient_colors.threshold"));
}

}  // namespace salient_test
