// SPDX-License-Identifier: MIT
// Colour line art in centerline mode (issue 20, vectorize_params::stroke_colors): a generated
// two-colour drawing (a red pen line and a blue pen circle, anti-aliased by 8 x 8 supersampling
// on white) comes out as one red and one blue stroked centerline, each at its true place and
// width; the render (rsvg-convert) matches the input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "render_back.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace cl_colors {

constexpr std::size_t W = 200, H = 160;
constexpr double line_y = 36, line_x0 = 25, line_x1 = 175, line_w = 6;  // red: (25, 36) - (175, 36)
constexpr double cx = 100, cy = 100, rad = 35, ring_w = 5;              // blue: circle about (100, 100)

/// The drawing: white paper, the red line (round caps) and the blue circle, coverage by 8 x 8
/// samples per pixel (pixel (x, y) covers [x, x+1] x [y, y+1]).
vecta::image<std::uint8_t> drawing() {
    vecta::image<std::uint8_t> im(W, H, 3);
    for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x) {
            int red = 0, blue = 0;
            for (int j = 0; j < 8; ++j)
                for (int i = 0; i < 8; ++i) {
                    const double px = double(x) + (i + 0.5) / 8, py = double(y) + (j + 0.5) / 8;
                    const double qx = std::clamp(px, line_x0, line_x1);
                    if (std::hypot(px - qx, py - line_y) <= line_w / 2) ++red;
                    if (std::abs(std::hypot(px - cx, py - cy) - rad) <= ring_w / 2) ++blue;
                }
            const double r = red / 64.0, b = blue / 64.0;  // the two never overlap
            im(x, y, 0) = std::uint8_t(std::lround(255 * (1 - b)));
            im(x, y, 1) = std::uint8_t(std::lround(255 * (1 - r - b)));
            im(x, y, 2) = std::uint8_t(std::lround(255 * (1 - r)));
        }
    return im;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
    return n;
}

TEST_CASE("centerline mode, stroke_colors: a red line and a blue circle become a red and a blue stroke") {
    const auto img = drawing();
    const auto layers = vecta::detail::centerline_color_layers(vecta::seq, img.view(), 24, false, 0, {});
    REQUIRE(layers.size() == 2);
    for (const auto& layer : layers) {
        REQUIRE(layer.traced.strokes.size() == 1);
        CHECK(layer.traced.fill_rings.empty());
        const auto& s = layer.traced.strokes[0];
        double err = 0;
        if (layer.color == std::array<std::uint8_t, 3>{255, 0, 0}) {
            CHECK(!s.closed);
            CHECK(std::abs(s.measured_width - line_w) < 0.5);
            for (const auto& p : s.points) err += std::abs(p.y - line_y);
            double lo = 1e9, hi = -1e9;  // the ends, under the round caps
            for (const auto& p : s.points) lo = std::min(lo, p.x), hi = std::max(hi, p.x);
            CHECK(std::abs(lo - line_x0) < 1.0);
            CHECK(std::abs(hi - line_x1) < 1.0);
        } else {
            CHECK(layer.color == std::array<std::uint8_t, 3>{0, 0, 255});
            CHECK(s.closed);
            CHECK(std::abs(s.measured_width - ring_w) < 0.5);
            for (const auto& p : s.points) err += std::abs(std::hypot(p.x - cx, p.y - cy) - rad);
        }
        err /= double(s.points.size());
        MESSAGE("colour layer mean centerline error " << err << " px, width " << s.measured_width);
        CHECK(err < 0.5);
    }

    vecta::vectorize_params p{.mode = vecta::trace_mode::centerline};
    p.stroke_colors = true;
    const auto r = vecta::vectorize(img.view(), p);
    CHECK(r.stats.colors == 2);
    CHECK(r.stats.paths == 2);
    CHECK(count(r.document, "stroke=\"#f00\"") == 1);
    CHECK(count(r.document, "stroke=\"#00f\"") == 1);
    CHECK(count(r.document, "stroke-linecap=\"round\"") == 2);
    const auto back = vecta_test::render(r.document, W, H, "centerline-colors");
    const double db = vecta_test::psnr(back.view(), img.view());
    MESSAGE("stroke_colors render-back PSNR " << db << " dB");
    CHECK(db > 30.0);

    // Without stroke_colors the same image is one black layer of both strokes.
    p.stroke_colors = false;
    const auto mono = vecta::vectorize(img.view(), p);
    CHECK(mono.stats.colors == 1);
    CHECK(mono.stats.paths == 2);
    CHECK(count(mono.document, "stroke=\"#000\"") == 1);

    // keep_paths carries each stroke's colour and width.
    p.stroke_colors = true;
    p.keep_paths = true;
    const auto kept = vecta::vectorize(img.view(), p);
    REQUIRE(kept.paths.paths.size() == 2);
    for (const auto& vp : kept.paths.paths) {
        CHECK(vp.stroke_width > 0);
        CHECK(
            (vp.color == std::array<std::uint8_t, 3>{255, 0, 0} || vp.color == std::array<std::uint8_t, 3>{0, 0, 255}));
    }
}

TEST_CASE("centerline mode, stroke_colors: paper only gives no layer; bad parameters are named") {
    vecta::image<std::uint8_t> paper(40, 30, 3);
    std::fill(paper.data(), paper.data() + paper.size(), std::uint8_t(255));
    vecta::vectorize_params p{.mode = vecta::trace_mode::centerline};
    p.stroke_colors = true;
    const auto r = vecta::vectorize(paper.view(), p);
    CHECK(r.stats.paths == 0);
    CHECK(r.document.find("<path") == std::string::npos);
    p.centerline.curve_tolerance = 0;
    CHECK_THROWS_WITH_AS(vecta::vectorize(drawing().view(), p),
                         doctest::Contains("vecta::vectorize: params.centerline.curve_tolerance"),
                         vecta::invalid_argument);
    // stroke_colors belongs to centerline mode: in another mode it is an error, not ignored.
    for (const auto mode : {vecta::trace_mode::color, vecta::trace_mode::binary}) {
        vecta::vectorize_params q{.mode = mode};
        q.stroke_colors = true;
        CHECK_THROWS_WITH_AS(vecta::vectorize(drawing().view(), q),
                             doctest::Contains("vecta::vectorize: params.stroke_colors"), vecta::invalid_argument);
    }
}

}  // namespace cl_colors
