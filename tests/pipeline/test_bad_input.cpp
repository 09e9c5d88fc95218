// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta::vectorize: every parameter out of range, NaN and infinity, zero and
// one-pixel images, padded strides, more colours than the image has, and the path and node caps.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace {
using vecta_test::names;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

vecta::vectorize_params with(auto&& set) {
    vecta::vectorize_params p;
    set(p);
    return p;
}

/// A w x h RGB checkerboard of 1-pixel black and white squares: w * h regions.
vecta::image<std::uint8_t> checkerboard(std::size_t w, std::size_t h) {
    vecta::image<std::uint8_t> im(w, h, 3);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = (x + y) % 2 ? 255 : 0;
    return im;
}
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: vectorize parameters") {
    const auto im = vecta_test::random_image(4, 4, 3, 1);
    const auto v = im.view();
    CHECK_BAD(vecta::vectorize(vecta::image_view<const std::uint8_t>()), "src");
    const auto five = vecta_test::random_image(2, 2, 5, 1);
    CHECK_BAD(vecta::vectorize(five.view()), "src");
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.mode = static_cast<vecta::trace_mode>(3); })), "params.mode");
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.colors = 0; })), "params.colors");
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.colors = 65537; })), "params.colors");
    for (double t : {0.0, -1.0, nan_v, inf_v, -inf_v})
        CHECK_BAD(vecta::vectorize(v, with([&](auto& p) { p.tolerance = t; })), "params.tolerance");
    for (double a : {0.0, -5.0, 180.001, nan_v, inf_v})
        CHECK_BAD(vecta::vectorize(v, with([&](auto& p) { p.corner_angle_deg = a; })), "params.corner_angle_deg");
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.precision = -2; })),
              "params.precision");  // -1 is auto_precision
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.precision = 7; })), "params.precision");
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.max_paths = 0; })), "params.max_paths");
    CHECK_BAD(vecta::vectorize(v, with([](auto& p) { p.max_nodes = 0; })), "params.max_nodes");
}

TEST_CASE("bad input: vectorize sizes and shapes") {
    // One pixel in every channel count: the background rectangle only (grey+alpha, RGBA flattened over
    // white; with its transparency kept a translucent pixel is no background).
    for (std::size_t c = 1; c <= 4; ++c) {
        const auto px = vecta_test::random_image(1, 1, c, 5);
        vecta::vectorize_params params;
        if (c == 2 || c == 4) params.background = std::array<std::uint8_t, 3>{255, 255, 255};
        const auto r = vecta::vectorize(px.view(), params);
        CHECK(r.stats.paths == 1);
        CHECK(r.document.find("<rect width=\"1\" height=\"1\"") != std::string::npos);
    }
    // 1 x n and n x 1 strips: a valid document over the whole canvas.
    for (const auto& strip : {checkerboard(9, 1), checkerboard(1, 9)}) {
        const auto r = vecta::vectorize(strip.view());
        CHECK(r.stats.paths >= 2);
        CHECK(r.stats.colors == 2);
        CHECK(r.document.ends_with("</svg>\n"));
    }
    // More colours requested than the image has: the palette is the distinct colours.
    const auto two = checkerboard(4, 4);
    const auto r = vecta::vectorize(two.view(), with([](auto& p) { p.colors = 65536; }));
    CHECK(r.stats.colors == 2);
    // A padded stride gives the document of the packed image.
    const auto packed = vecta_test::random_image(5, 3, 3, 8, 0, 1);
    std::vector<std::uint8_t> padded(3 * 17, 200);
    for (std::size_t y = 0; y < 3; ++y)
        for (std::size_t i = 0; i < 15; ++i) padded[y * 17 + i] = packed.data()[y * 15 + i];
    CHECK(vecta::vectorize(vecta::image_view<const std::uint8_t>(padded.data(), 5, 3, 3, 17)).document ==
          vecta::vectorize(packed.view()).document);
}

TEST_CASE("bad input: vectorize path and node caps") {
    // An 8 x 8 checkerboard: 64 one-pixel regions. The caps are exact: the figures of an
    // unlimited run pass, one less throws naming the cap.
    const auto board = checkerboard(8, 8);
    const auto full = vecta::vectorize(board.view());
    REQUIRE(full.stats.paths >= 2);
    REQUIRE(full.stats.nodes >= 32);
    CHECK_NOTHROW(vecta::vectorize(board.view(), with([&](auto& p) {
                                       p.max_paths = full.stats.paths;
                                       p.max_nodes = full.stats.nodes;
                                   })));
    CHECK_BAD(vecta::vectorize(board.view(), with([](auto& p) { p.max_paths = 1; })), "params.max_paths");
    CHECK_BAD(vecta::vectorize(board.view(), with([&](auto& p) { p.max_paths = full.stats.paths - 1; })),
              "params.max_paths");
    CHECK_BAD(vecta::vectorize(board.view(), with([&](auto& p) { p.max_nodes = full.stats.nodes - 1; })),
              "params.max_nodes");
    CHECK_BAD(vecta::vectorize(vecta::par, board.view(), with([](auto& p) { p.max_nodes = 1; })), "params.max_nodes");
}
