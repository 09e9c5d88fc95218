// SPDX-License-Identifier: MIT
// vectorize_params::region_colors (region fills, the default for k-means palettes): each region
// is painted with its own mean colour (quantized when there are more regions than fills),
// checked against the means computed naively from the known regions of generated images;
// a small distinct colour that k-means maps to another entry keeps its colour in the SVG and in
// librsvg's render (CIEDE2000 from vecta::ciede2000, itself checked against Sharma et al.'s
// data in test_ciede2000.cpp); flat palettes are unchanged; seq = par; errors named. The stage
// itself, vecta::region_fills, is tested directly in tests/color/test_region_fills.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <regex>
#include <set>
#include <string>
#include <vecta/color/ciede2000.hpp>
#include <vecta/color/lab.hpp>
#include <vector>

#include "render_back.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace region_fills_test {  // named: the pipeline tests are compiled as one unity translation unit

using rgb8 = std::array<std::uint8_t, 3>;

// Every fill colour of a document (#rgb and #rrggbb).
std::set<rgb8> fills(const std::string& doc) {
    std::set<rgb8> out;
    const std::regex re("fill=\"#([0-9a-f]{6}|[0-9a-f]{3})\"");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), re); it != std::sregex_iterator(); ++it) {
        std::string h = (*it)[1];
        if (h.size() == 3) h = {h[0], h[0], h[1], h[1], h[2], h[2]};
        out.insert(rgb8{std::uint8_t(std::stoi(h.substr(0, 2), nullptr, 16)),
                        std::uint8_t(std::stoi(h.substr(2, 2), nullptr, 16)),
                        std::uint8_t(std::stoi(h.substr(4, 2), nullptr, 16))});
    }
    return out;
}

double de00(const rgb8& a, const rgb8& b) {
    const auto la = vecta::rgb_to_lab(a[0], a[1], a[2]), lb = vecta::rgb_to_lab(b[0], b[1], b[2]);
    return vecta::ciede2000({la[0], la[1], la[2]}, {lb[0], lb[1], lb[2]});
}

double nearest_de(const std::set<rgb8>& pal, const rgb8& want) {
    double best = 1e9;
    for (const rgb8& p : pal) best = std::min(best, de00(p, want));
    return best;
}

// 64 x 64, four 32 x 32 quadrants around four colours with +-5 noise; the two reds (top left,
// bottom right) and the two blues (top right, bottom left) are one k-means cluster each at 2
// colours, and the quadrants of one cluster touch only at a corner: four 4-connected regions.
vecta::image<std::uint8_t> quadrants() {
    const rgb8 base[4] = {rgb8{150, 40, 40}, rgb8{40, 60, 160}, rgb8{60, 90, 140}, rgb8{130, 60, 50}};
    const auto noise = vecta_test::random_image(64, 64, 3, 17, -5, 5);
    vecta::image<std::uint8_t> im(64, 64, 3);
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x)
            for (std::size_t c = 0; c < 3; ++c)
                im(x, y, c) = std::uint8_t(base[(y / 32) * 2 + x / 32][c] + int(std::int8_t(noise(x, y, c))));
    return im;
}

TEST_CASE("region fills: each region of a k-means palette is painted with its own mean colour") {
    const auto im = quadrants();
    std::set<rgb8> means;  // the naive reference: the rounded mean of each quadrant
    for (std::size_t q = 0; q < 4; ++q) {
        double s[3] = {0, 0, 0};
        for (std::size_t y = (q / 2) * 32; y < (q / 2) * 32 + 32; ++y)
            for (std::size_t x = (q % 2) * 32; x < (q % 2) * 32 + 32; ++x)
                for (std::size_t c = 0; c < 3; ++c) s[c] += im(x, y, c);
        means.insert(rgb8{std::uint8_t(std::lround(s[0] / 1024)), std::uint8_t(std::lround(s[1] / 1024)),
                          std::uint8_t(std::lround(s[2] / 1024))});
    }
    // 2 colours for 4 noisy quadrants: the palette PSNR is below split_psnr; the fills alone here
    // (region splits: test_region_split.cpp).
    vecta::vectorize_params on{.colors = 2, .palette = vecta::palette_mode::kmeans};
    on.split_psnr = 0;
    vecta::vectorize_params off = on;
    off.region_colors = 0;
    const auto a = vecta::vectorize(im.view(), on), b = vecta::vectorize(im.view(), off);
    CHECK(fills(a.document) == means);
    CHECK(a.stats.colors == 4);
    CHECK(a.stats.regions == 4);
    CHECK(fills(b.document).size() == 2);  // the palette's two entries
    CHECK(b.stats.colors == 2);
    // Fewer fills than regions: quantized, never fewer than `colors` (max(region_colors, colors)).
    vecta::vectorize_params one = on;
    one.region_colors = 1;
    CHECK(vecta::vectorize(im.view(), one).stats.colors == 2);
    // The render is closer to the input with the fills.
    const double pa = vecta_test::psnr(im, vecta_test::render(a.document, 64, 64, "fills_on"));
    const double pb = vecta_test::psnr(im, vecta_test::render(b.document, 64, 64, "fills_off"));
    CHECK(pa > pb + 3);
    CHECK(vecta::vectorize(vecta::par, im.view(), on).document == a.document);
}

TEST_CASE("region fills: small green dots that k-means maps to brown keep their green (default parameters)") {
    // 240 x 240 brown-to-grey gradient with +-6 noise and 12 green 4 x 4 dots (0.3 % of the pixels).
    constexpr rgb8 green{90, 150, 60};
    vecta::image<std::uint8_t> im(240, 240, 3);
    const auto noise = vecta_test::random_image(240, 240, 3, 5, -6, 6);
    for (std::size_t y = 0; y < 240; ++y)
        for (std::size_t x = 0; x < 240; ++x) {
            const double t = double(x) / 239, s = double(y) / 239;
            const double base[3] = {110 + 40 * s, 70 + 60 * t + 20 * s, 40 + 90 * t};
            for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = std::uint8_t(base[c] + int(std::int8_t(noise(x, y, c))));
        }
    std::vector<std::array<std::size_t, 2>> dots;
    for (std::size_t d = 0; d < 12; ++d) {
        const std::size_t x0 = 10 + (d * 53) % 220, y0 = 8 + (d * 97) % 224;
        dots.push_back({x0, y0});
        for (std::size_t y = y0; y < y0 + 4; ++y)
            for (std::size_t x = x0; x < x0 + 4; ++x)
                for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = green[c];
    }
    vecta::vectorize_params off{.colors = 8};
    off.region_colors = 0;
    const auto on = vecta::vectorize(im.view(), {.colors = 8});  // photo-like: k-means
    const auto plain = vecta::vectorize(im.view(), off);
    CHECK(nearest_de(fills(plain.document), green) > 10);  // the palette alone loses the green
    CHECK(nearest_de(fills(on.document), green) < 3);
    // Rendered back: the mean CIEDE2000 over the dots' inner 2 x 2 pixels.
    auto dots_de = [&](const std::string& doc, const char* name) {
        const auto back = vecta_test::render(doc, 240, 240, name);
        double sum = 0;
        for (const auto& d : dots)
            for (std::size_t y = d[1] + 1; y < d[1] + 3; ++y)
                for (std::size_t x = d[0] + 1; x < d[0] + 3; ++x)
                    sum += de00(green, rgb8{back(x, y, 0), back(x, y, 1), back(x, y, 2)});
        return sum / double(dots.size() * 4);
    };
    CHECK(dots_de(on.document, "dots_on") < 5);
    CHECK(dots_de(plain.document, "dots_off") > 10);
}

TEST_CASE("region fills: flat palettes are unchanged; region_colors is checked") {
    vecta::image<std::uint8_t> im(48, 48, 3, 255);
    for (std::size_t y = 10; y < 30; ++y)
        for (std::size_t x = 8; x < 40; ++x) im(x, y, 0) = 200, im(x, y, 1) = 30, im(x, y, 2) = 40;
    vecta::vectorize_params off{};
    off.region_colors = 0;
    CHECK(vecta::vectorize(im.view()).document == vecta::vectorize(im.view(), off).document);
    vecta::vectorize_params bad{};
    bad.region_colors = 65537;
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), bad), doctest::Contains("params.region_colors"),
                         vecta::invalid_argument);
}

}  // namespace region_fills_test
