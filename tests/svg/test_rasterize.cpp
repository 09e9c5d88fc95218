// SPDX-License-Identifier: MIT
// svg::render_document and svg::fill_path against closed-form coverage and against librsvg
// (rsvg-convert, a black-box renderer) on a traced document.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vecta/io/image_file.hpp>
#include <vecta/svg/rasterize.hpp>

#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace {
using vecta_test::names;
}  // namespace

TEST_CASE("render_document: pixel-aligned squares are exact, half-pixel edges half covered") {
    const std::string doc =
        "<svg><rect width=\"8\" height=\"6\" fill=\"#000\"/>\n"
        "<path fill=\"#ff0000\" d=\"M2 1h3v2h-3z\"/>\n"
        "<path fill=\"#fff\" d=\"M0.5 4H1.5V5H0.5Z\"/></svg>";
    const auto im = vecta::svg::render_document(doc, 8, 6);
    for (std::size_t y = 0; y < 6; ++y)
        for (std::size_t x = 0; x < 8; ++x) {
            const bool red = x >= 2 && x < 5 && y >= 1 && y < 3;
            CHECK(int(im(x, y, 0)) == (red ? 255 : (y == 4 && (x == 0 || x == 1)) ? 128 : 0));
            CHECK(int(im(x, y, 1)) == ((y == 4 && (x == 0 || x == 1)) ? 128 : 0));
        }
}

TEST_CASE("fill_path: a triangle's coverage sums to its area; both orientations, relative and absolute") {
    for (const char* d : {"M1 1L9 1L1 9Z", "M1 1 1 9 9 1z", "m1 1 8 0-8 8z"}) {
        vecta::image<std::uint8_t> im(10, 10, 3, 0);
        vecta::svg::fill_path(im.view(), d, {255, 255, 255});
        double sum = 0;
        for (std::size_t y = 0; y < 10; ++y)
            for (std::size_t x = 0; x < 10; ++x) sum += im(x, y, 0) / 255.0;
        CHECK(sum == doctest::Approx(32.0).epsilon(0.01));  // 8 x 8 / 2
    }
}

TEST_CASE("fill_path: a shape beyond the canvas covers what is inside, nothing wraps") {
    vecta::image<std::uint8_t> im(6, 4, 3, 0);
    vecta::svg::fill_path(im.view(), "M-5 -5H100V2H-5Z", {255, 255, 255});
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 0; x < 6; ++x) CHECK(int(im(x, y, 0)) == (y < 2 ? 255 : 0));
}

TEST_CASE("render_document matches rsvg-convert on a traced document") {
    // Blobs of colour with soft edges, traced by vectorize (curves, holes, frame-crossing paths).
    vecta::image<std::uint8_t> im(96, 72, 3);
    for (std::size_t y = 0; y < 72; ++y)
        for (std::size_t x = 0; x < 96; ++x) {
            const double a = std::sin(double(x) * 0.11) + std::cos(double(y) * 0.13 + double(x) * 0.03);
            im(x, y, 0) = std::uint8_t(127 + 120 * std::tanh(2 * a));
            im(x, y, 1) = std::uint8_t((x * 2 + y) % 256);
            im(x, y, 2) = std::uint8_t(200 - y);
        }
    const auto r = vecta::vectorize(im.view(), {.colors = 8});
    const auto own = vecta::svg::render_document(r.document, 96, 72);
    const auto dir = std::filesystem::temp_directory_path() / "vecta_rasterize_test";
    std::filesystem::create_directories(dir);
    vecta::io::write_file_atomic(dir / "t.svg", r.document);
    const std::string cmd =
        "rsvg-convert -b white -o '" + (dir / "t.png").string() + "' '" + (dir / "t.svg").string() + "'";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "rsvg-convert failed (tools/bootstrap.sh installs librsvg2-bin)");
    const auto ref = vecta::io::load_image(dir / "t.png", {.channels = 3});
    CHECK(vecta_test::psnr(own, ref) > 40.0);
    // And the PSNR against the input agrees within 0.1 dB.
    CHECK(std::abs(vecta_test::psnr(im, own) - vecta_test::psnr(im, ref)) < 0.1);
}

TEST_CASE("render_document and fill_path reject what they cannot read, without crashing") {
    vecta::image<std::uint8_t> im(4, 4, 3, 0);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(im.view(), "M0 0A1 1 0 0 0 2 2Z", {1, 2, 3}), names("d"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(im.view(), "M0 0L1e300 2Z", {1, 2, 3}), names("d"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(im.view(), "M0 0Lnan 2Z", {1, 2, 3}), names("d"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(im.view(), "0 0L1 2", {1, 2, 3}), names("d"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(im.view(), "M0 0L1", {1, 2, 3}), names("d"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(im.view(), "M0 0H1", {1, 2, 3}, 1.5), names("opacity"),
                         vecta::invalid_argument);
    vecta::image<std::uint8_t> grey(4, 4, 1, 0);
    CHECK_THROWS_WITH_AS(vecta::svg::fill_path(grey.view(), "M0 0H1", {1, 2, 3}), names("dst"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::render_document("<path fill=\"#12\" d=\"M0 0H1V1Z\"/>", 4, 4), names("document"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::render_document("<path fill=\"#123\" d=\"M0 0Q1 1 2 2Z\"/>", 4, 4),
                         names("document"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::render_document("", 0, 4), names("width"), vecta::invalid_argument);
    // Truncated or odd markup: ignored, not read past.
    CHECK_NOTHROW(vecta::svg::render_document("<path fill=\"#123\" d=\"M0 0H1V1Z", 4, 4));
    CHECK_NOTHROW(vecta::svg::render_document("<rect fill=\"none\"/><g><path d=\"M0 0H1V1Z\"/>", 4, 4));
    // Far-away and huge-but-valid coordinates cost no more than the canvas.
    CHECK_NOTHROW(vecta::svg::fill_path(im.view(), "M-1e8 -1e8L1e8 1e8L-1e8 1e8Z", {9, 9, 9}));
}
