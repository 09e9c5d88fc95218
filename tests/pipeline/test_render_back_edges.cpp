// SPDX-License-Identifier: MIT
// vectorize renders back to its input on drawings that touch the image frame (issue 16): a
// generated set of random shapes clipped by the frame in both polarities, ink on every edge and
// corner, all ink, all paper, one-pixel-wide, one-pixel-tall and 1 x 1 images, nested holes and
// islands; binary and colour mode. Rendered with rsvg-convert (a black-box renderer):
//  - pixel-polygon output (smooth_min_area beyond the image, no speckle filter, colour mode at
//    1x): 0 wrong pixels at 1x;
//  - curves (the defaults but no speckle filter): PSNR > 21 dB (the aliased-input tolerance of test_vectorize's binary
//    disk) and every wrong pixel within 1 pixel of an edge of the input: no region lost,
//    inverted or filled.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "render_back.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace {
struct drawing {
    std::string name;
    vecta::image<std::uint8_t> ink;  // 1 channel: 0 ink (black), 255 paper (white)
};

vecta::image<std::uint8_t> blank(std::size_t w, std::size_t h, std::uint8_t v) { return {w, h, 1, v}; }

/// The reproducer: a 6 px rectangle outline across the full width, y = 30..70, and a
/// 4 px bar from the top edge down to it.
drawing antenna() {
    auto im = blank(100, 100, 255);
    for (std::size_t y = 30; y <= 70; ++y)
        for (std::size_t x = 0; x < 100; ++x)
            if (y < 36 || y > 64 || x < 6 || x > 93) im(x, y) = 0;
    for (std::size_t y = 0; y < 30; ++y)
        for (std::size_t x = 48; x <= 51; ++x) im(x, y) = 0;
    return {"antenna", std::move(im)};
}

std::vector<drawing> generated_set() {
    std::vector<drawing> set;
    set.push_back(antenna());
    std::mt19937 rng(16);
    auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
    // Random ellipses and rectangles, centres anywhere (also outside), clipped by the frame.
    for (int i = 0; i < 12; ++i) {
        const std::size_t w = 20 + rng() % 40, h = 20 + rng() % 40;
        auto im = blank(w, h, 255);
        for (int s = 0, n = 2 + int(rng() % 5); s < n; ++s) {
            const double cx = uni(-5, double(w) + 5), cy = uni(-5, double(h) + 5), rx = uni(3, 14), ry = uni(3, 14);
            const bool ellipse = rng() % 2;
            for (std::size_t y = 0; y < h; ++y)
                for (std::size_t x = 0; x < w; ++x) {
                    const double dx = (double(x) + 0.5 - cx) / rx, dy = (double(y) + 0.5 - cy) / ry;
                    if (ellipse ? dx * dx + dy * dy < 1 : std::abs(dx) < 1 && std::abs(dy) < 1) im(x, y) = 0;
                }
        }
        auto inv = im;
        for (std::size_t k = 0; k < inv.size(); ++k) inv.data()[k] = std::uint8_t(255 - inv.data()[k]);
        set.push_back({"shapes" + std::to_string(i), std::move(im)});
        set.push_back({"shapes" + std::to_string(i) + "_inverted", std::move(inv)});
    }
    {  // ink on every edge and corner: a frame of blobs
        auto im = blank(40, 30, 255);
        for (std::size_t y = 0; y < 30; ++y)
            for (std::size_t x = 0; x < 40; ++x) {
                const bool corner = (x < 5 || x >= 35) && (y < 5 || y >= 25);
                const bool edge_mid =
                    (x >= 17 && x < 23 && (y < 3 || y >= 27)) || (y >= 12 && y < 18 && (x < 3 || x >= 37));
                if (corner || edge_mid) im(x, y) = 0;
            }
        set.push_back({"edges_and_corners", im});
        for (std::size_t k = 0; k < im.size(); ++k) im.data()[k] = std::uint8_t(255 - im.data()[k]);
        set.push_back({"edges_and_corners_inverted", std::move(im)});
    }
    set.push_back({"all_ink", blank(17, 11, 0)});
    set.push_back({"all_paper", blank(17, 11, 255)});
    set.push_back({"one_by_one_ink", blank(1, 1, 0)});
    set.push_back({"one_by_one_paper", blank(1, 1, 255)});
    for (const bool tall : {false, true}) {  // one pixel wide / tall, random ink runs
        auto im = tall ? blank(1, 40, 255) : blank(40, 1, 255);
        for (std::size_t k = 0; k < 40; ++k) im.data()[k] = (k / 3 + k / 7) % 2 ? 0 : 255;
        set.push_back({tall ? "one_wide" : "one_tall", std::move(im)});
    }
    {  // nested: ink square, paper hole, ink island, paper hole in it, ink dot; ink at the corner too
        auto im = blank(48, 48, 255);
        for (std::size_t y = 0; y < 48; ++y)
            for (std::size_t x = 0; x < 48; ++x) {
                const std::size_t d = std::min({x, y, 47 - x, 47 - y});  // distance to the frame
                im(x, y) = (d / 5) % 2 == 0 ? 0 : 255;
            }
        set.push_back({"nested", im});
        for (std::size_t k = 0; k < im.size(); ++k) im.data()[k] = std::uint8_t(255 - im.data()[k]);
        set.push_back({"nested_inverted", std::move(im)});
    }
    return set;
}

vecta::image<std::uint8_t> as_rgb(const vecta::image<std::uint8_t>& g) {
    vecta::image<std::uint8_t> out(g.width(), g.height(), 3);
    for (std::size_t y = 0; y < g.height(); ++y)
        for (std::size_t x = 0; x < g.width(); ++x)
            for (std::size_t c = 0; c < 3; ++c) out(x, y, c) = g(x, y);
    return out;
}

/// Wrong pixels: the render's luma on the other side of 128 from the input's.
std::size_t wrong_pixels(const vecta::image<std::uint8_t>& in, const vecta::image<std::uint8_t>& back,
                         std::size_t* far_from_edge = nullptr) {
    std::size_t wrong = 0, far = 0;
    const std::size_t w = in.width(), h = in.height();
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const bool ink = in(x, y) < 128;
            const int luma = (299 * back(x, y, 0) + 587 * back(x, y, 1) + 114 * back(x, y, 2)) / 1000;
            if (ink == (luma < 128)) continue;
            ++wrong;
            bool near_edge = false;  // a pixel of the other colour within 1 pixel in the input
            for (std::size_t yy = y > 0 ? y - 1 : 0; yy <= std::min(h - 1, y + 1); ++yy)
                for (std::size_t xx = x > 0 ? x - 1 : 0; xx <= std::min(w - 1, x + 1); ++xx)
                    near_edge = near_edge || ((in(xx, yy) < 128) != ink);
            far += near_edge ? 0 : 1;
        }
    if (far_from_edge) *far_from_edge = far;
    return wrong;
}
}  // namespace

TEST_CASE("binary and colour mode render back exactly as pixel polygons on frame-touching drawings") {
    for (const auto& d : generated_set()) {
        const auto rgb = as_rgb(d.ink);
        for (const auto mode : {vecta::trace_mode::binary, vecta::trace_mode::color}) {
            const bool binary = mode == vecta::trace_mode::binary;
            CAPTURE(d.name);
            CAPTURE(binary);
            vecta::vectorize_params p{.mode = mode, .smooth_min_area = ~std::size_t(0) / 2, .speckle = 0, .upscale = 1};
            const auto r = vecta::vectorize(binary ? d.ink.view() : rgb.view(), p);
            const auto back = vecta_test::render(r.document, d.ink.width(), d.ink.height(), "edges_" + d.name);
            CHECK(wrong_pixels(d.ink, back) == 0);
            if (binary) CHECK(r.document.find("<rect") == std::string::npos);  // the page is the paper
        }
    }
}

TEST_CASE("binary and colour mode render back within the curve tolerance on frame-touching drawings") {
    for (const auto& d : generated_set()) {
        const auto rgb = as_rgb(d.ink);
        for (const auto mode : {vecta::trace_mode::binary, vecta::trace_mode::color}) {
            const bool binary = mode == vecta::trace_mode::binary;
            CAPTURE(d.name);
            CAPTURE(binary);
            // No speckle filter: it removes features under `speckle` pixels by design (the 1-pixel
            // runs of the one-pixel images); the defaults otherwise (curves, 2x in colour mode).
            const auto r = vecta::vectorize(binary ? d.ink.view() : rgb.view(), {.mode = mode, .speckle = 0});
            const auto back = vecta_test::render(r.document, d.ink.width(), d.ink.height(), "edges_c_" + d.name);
            std::size_t far = 0;
            const std::size_t wrong = wrong_pixels(d.ink, back, &far);
            CAPTURE(wrong);
            CHECK(far == 0);
            if (wrong > 0) CHECK(vecta_test::psnr(rgb.view(), back.view()) > 21.0);
        }
    }
}

TEST_CASE("the issue's reproducer: ink touching the top edge keeps a white page in binary mode") {
    const auto d = antenna();
    const auto r = vecta::vectorize(d.ink.view(), {.mode = vecta::trace_mode::binary});
    CHECK(r.document.find("<rect") == std::string::npos);
    const auto back = vecta_test::render(r.document, 100, 100, "antenna_default");
    CHECK(wrong_pixels(d.ink, back) == 0);
}
