// SPDX-License-Identifier: MIT
// User units other than pixels: svg::path_builder and svg::document with units_per_pixel, and
// svg::render_document reading the viewBox. The same geometry written with 1 decimal in pixels
// and as whole numbers of tenths of a pixel must render to the same pixels (render_document and
// the closed-form square), and the tenths must be shorter on curves.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vecta/svg/document.hpp>
#include <vecta/svg/path_builder.hpp>
#include <vecta/svg/rasterize.hpp>

#include "test_support.hpp"

namespace svg_units_test {  // named: the svg tests are compiled as one unity translation unit

// Random closed shapes (lines and cubics) in a 48 x 40 canvas, written with path_builder(p, u).
std::string shapes(int precision, int units, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> at(2.0, 38.0);
    vecta::svg::document doc(48, 40, units);
    doc.add_background({250, 250, 250});
    for (int s = 0; s < 6; ++s) {
        vecta::svg::path_builder b(precision, units);
        b.move_to(at(rng), at(rng));
        b.line_to(at(rng), at(rng));
        b.cubic_to(at(rng), at(rng), at(rng), at(rng), at(rng), at(rng));
        b.line_to(at(rng), at(rng));
        b.close();
        doc.add_path(b.str(), {std::uint8_t(40 * s), 90, std::uint8_t(200 - 30 * s)});
    }
    return doc.str();
}

}  // namespace svg_units_test

TEST_CASE("svg units: tenths of a pixel as whole numbers are precision 1 without decimal points") {
    using namespace svg_units_test;
    vecta::svg::path_builder px(1), tenths(0, 10);
    for (auto* b : {&px, &tenths}) {
        b->move_to(1.25, 2.5);
        b->line_to(3.5, 2.5);
        b->cubic_to(4.04, 3.06, 5.5, 0.5, 6, 7);
        b->close();
    }
    CHECK(px.str() == "m1.3 2.5h2.2c.5.6 2-2 2.5 4.5z");
    CHECK(tenths.str() == "m13 25h22c5 6 20-20 25 45z");
    vecta::svg::document doc(30, 20, 10);
    doc.add_background({255, 0, 0});
    const std::string s = doc.str();
    CHECK(s.find("width=\"30\" height=\"20\" viewBox=\"0 0 300 200\"") != std::string::npos);
    CHECK(s.find("<rect width=\"300\" height=\"200\" fill=\"#f00\"/>") != std::string::npos);
    CHECK(doc.units_per_pixel() == 10);
    CHECK_THROWS_WITH_AS(vecta::svg::path_builder(0, 0), vecta_test::names("units_per_pixel"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::document(4, 4, 1000001), vecta_test::names("units_per_pixel"),
                         vecta::invalid_argument);
}

TEST_CASE("svg units: render_document maps the viewBox; both encodings render the same pixels") {
    using namespace svg_units_test;
    // A square from (2, 1) to (5, 3) pixels, written in tenths: exact coverage 1 inside, 0 outside.
    const auto sq = vecta::svg::render_document(
        "<svg width=\"8\" height=\"6\" viewBox=\"0 0 80 60\"><rect width=\"80\" height=\"60\" fill=\"#000\"/>"
        "<path fill=\"#fff\" d=\"m20 10h30v20h-30z\"/></svg>",
        8, 6);
    for (std::size_t y = 0; y < 6; ++y)
        for (std::size_t x = 0; x < 8; ++x) CHECK(int(sq(x, y, 0)) == (x >= 2 && x < 5 && y >= 1 && y < 3 ? 255 : 0));
    for (unsigned seed = 1; seed <= 5; ++seed) {
        CAPTURE(seed);
        const std::string a = shapes(1, 1, seed), b = shapes(0, 10, seed);
        CHECK(b.size() < a.size());
        CHECK(b.find('.', b.find(" d=\"")) == std::string::npos);  // no decimal point in the path data
        const auto ra = vecta::svg::render_document(a, 48, 40), rb = vecta::svg::render_document(b, 48, 40);
        int worst = 0;
        for (std::size_t y = 0; y < 40; ++y)
            for (std::size_t x = 0; x < 48; ++x)
                for (std::size_t c = 0; c < 3; ++c)
                    worst = std::max(worst, std::abs(int(ra(x, y, c)) - int(rb(x, y, c))));
        CHECK(worst <= 1);  // float rounding of the scaled coordinates only
    }
    CHECK_THROWS_WITH_AS(vecta::svg::render_document("<svg viewBox=\"0 0 0 5\">", 4, 4), vecta_test::names("document"),
                         vecta::invalid_argument);
}
