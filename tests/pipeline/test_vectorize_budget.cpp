// SPDX-License-Identifier: MIT
// vectorize's budgets (params.max_bytes, params.min_psnr; vectorize_budget.hpp) on generated
// images: the byte cap always holds, quality targets are reached as rsvg-convert renders them,
// unreachable targets are reported, bad values are named.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>
#include <utility>
#include <vecta/io/image_file.hpp>
#include <vecta/svg/rasterize.hpp>
#include <vector>

#include "render_back.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace {
using vecta_test::names;

/// A photo-like test image: smooth colour fields, hard-edged shapes and a little noise.
vecta::image<std::uint8_t> scene(std::size_t w, std::size_t h) {
    vecta::image<std::uint8_t> im(w, h, 3);
    std::uint32_t rng = 12345;
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const double u = double(x) / double(w), v = double(y) / double(h);
            double r = 60 + 150 * u, g = 40 + 170 * v * v, b = 120 + 100 * std::sin(6 * u + 3 * v);
            if ((u - 0.3) * (u - 0.3) + (v - 0.4) * (v - 0.4) < 0.04) r = 230, g = 200, b = 30;  // disk
            if (u > 0.6 && u < 0.85 && v > 0.2 && v < 0.7) r = 20, g = 90 + 60 * v, b = 40;      // box
            rng = rng * 1664525u + 1013904223u;
            const double n = double(rng >> 24) / 255.0 * 16 - 8;
            im(x, y, 0) = std::uint8_t(std::clamp(r + n, 0.0, 255.0));
            im(x, y, 1) = std::uint8_t(std::clamp(g + n, 0.0, 255.0));
            im(x, y, 2) = std::uint8_t(std::clamp(b + n, 0.0, 255.0));
        }
    return im;
}
}  // namespace

TEST_CASE("max_bytes: the document never exceeds the cap, and more bytes buy quality") {
    const auto im = scene(160, 120);
    const auto free = vecta::vectorize(im.view(), {});
    double prev_psnr = 0;
    std::vector<std::size_t> caps{200, 1500, 6000, 20000, free.stats.bytes / 2, std::size_t(1) << 20};
    std::sort(caps.begin(), caps.end());
    for (const std::size_t cap : caps) {
        CAPTURE(cap);
        const auto r = vecta::vectorize(vecta::par, im.view(), {.max_bytes = cap});
        CHECK(r.document.size() <= cap);
        CHECK(r.stats.bytes == r.document.size());
        CHECK(r.budget_met);  // no quality target: met
        CHECK(r.stats.budget.passes >= 1);
        CHECK(r.stats.budget.colors >= 1);
        // The PSNR the search reports is the render's, as librsvg renders it.
        const auto back = vecta_test::render(r.document, 160, 120, "budget_cap");
        CHECK(std::abs(vecta_test::psnr(im, back) - r.stats.budget.psnr) < 0.15);
        CHECK(r.stats.budget.psnr >= prev_psnr - 0.3);  // a bigger budget is not (much) worse
        prev_psnr = std::max(prev_psnr, r.stats.budget.psnr);
    }
    // A generous cap can buy more than the defaults give.
    const auto big = vecta::vectorize(im.view(), {.max_bytes = std::size_t(1) << 20});
    const auto back = vecta_test::render(free.document, 160, 120, "budget_free");
    CHECK(big.stats.budget.psnr >= vecta_test::psnr(im, back) - 0.05);
}

namespace budget_test {  // named: the pipeline tests are compiled as one unity translation unit

/// Render PSNR of a document (svg::render_document, the search's own scorer) against im.
double render_psnr(const vecta::image<std::uint8_t>& im, const std::string& doc) {
    return vecta_test::psnr(im, vecta::svg::render_document(doc, im.width(), im.height()));
}

/// tools/budget_sweep.py's sweep of the flags by hand at each of the given split_psnr values
/// (the default 31; 0 = no region splits): the bytes and render PSNR of every setting.
std::vector<std::pair<std::size_t, double>> sweep(const vecta::image<std::uint8_t>& im,
                                                  std::vector<double> splits = {31}) {
    std::vector<std::pair<std::size_t, double>> rows;
    for (const double split : splits)
        for (const std::size_t c : {2, 4, 8, 16, 24, 48})
            for (const std::size_t s :
                 {vecta::vectorize_params::auto_speckle, std::size_t(16), std::size_t(64), std::size_t(256)})
                for (const double t : {0.15, 1.0})
                    for (const int p : {0, 1}) {
                        vecta::vectorize_params q{.colors = c, .tolerance = t, .precision = p, .speckle = s};
                        q.split_psnr = split;
                        const auto r = vecta::vectorize(vecta::par, im.view(), q);
                        rows.emplace_back(r.stats.bytes, render_psnr(im, r.document));
                    }
    return rows;
}

/// The best render PSNR within cap of a sweep (0 if no setting fits).
double best_within(const std::vector<std::pair<std::size_t, double>>& rows, std::size_t cap) {
    double best = 0;
    for (const auto& [bytes, psnr] : rows)
        if (bytes <= cap) best = std::max(best, psnr);
    return best;
}

/// The best render PSNR within cap of the sweep at the default split_psnr.
double sweep_best(const vecta::image<std::uint8_t>& im, std::size_t cap) { return best_within(sweep(im), cap); }

}  // namespace budget_test

// Issue 19's acceptance: max_bytes within 0.5 dB of the best of a sweep by hand at that size. On
// these icons the walk over colour counts alone fell 2.4, 3.1 and 1.1 dB short (the ladder's
// order: speckle 256 at 8 colours for the house, precision 1 at tolerance 1 for the heart, 3-4
// of the 8 colours of a flat palette requested as 24 for the home); the local search finds them.
// On the gradient icon weather-storm the search fell 1.7 dB short until the most colours that
// fit at the caller's precision were scored (16 colours at precision 1 against 32 at 0), on the
// fire 0.8 dB until the local search paid for precision 1 with speckle 256.
TEST_CASE("max_bytes: within 0.5 dB of the best of a sweep by hand on icons the ladder missed") {
    using namespace budget_test;
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !std::filesystem::exists(dir / "icons")) {
        std::cout << "[skip] shared data not found (set VECTA_DATA_DIR): budget sweep test skipped\n";
        return;
    }
    for (const auto& [name, cap] :
         {std::pair{"twemoji-1f3e0-house-building", std::size_t(8192)},
          std::pair{"adwaita-emblem-favorite-symbolic", std::size_t(2048)},
          std::pair{"tango-user-home", std::size_t(32768)}, std::pair{"tango-weather-storm", std::size_t(32768)},
          std::pair{"twemoji-1f525-fire", std::size_t(8192)}}) {
        CAPTURE(name);
        const auto im = vecta::io::load_image(dir / "icons" / (std::string(name) + ".png"), {.channels = 3});
        const auto r = vecta::vectorize(vecta::par, im.view(), {.max_bytes = cap});
        CHECK(r.stats.bytes <= cap);
        CHECK(std::abs(render_psnr(im, r.document) - r.stats.budget.psnr) < 1e-9);
        const double hand = sweep_best(im, cap);
        std::cout << "[figure] " << name << " at " << cap << " B: search " << r.stats.budget.psnr << " dB in "
                  << r.stats.budget.passes << " passes, sweep by hand " << hand << " dB\n";
        CHECK(r.stats.budget.psnr >= hand - 0.5);
    }
}

// Region splits (split_psnr, vectorize step 2b) buy PSNR with bytes: on a crop of a photo the
// palette is below split_psnr at the colour counts a small budget needs, and there no document
// with splits fits as well as one without (at 2 KB none with splits fits at any swept setting;
// the search with splits only fell to one colour, 13.4 dB, where the sweep without splits
// reaches 18.1 dB). The search runs with and without them; the sweep by hand may set
// --split-psnr 0 too.
TEST_CASE("max_bytes: within 0.5 dB of a sweep by hand with and without region splits on a photo") {
    using namespace budget_test;
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !std::filesystem::exists(dir / "photos")) {
        std::cout << "[skip] shared data not found (set VECTA_DATA_DIR): budget split test skipped\n";
        return;
    }
    const auto full = vecta::io::load_image(dir / "photos" / "kde-fallenleaf-1024.png", {.channels = 3});
    REQUIRE(full.width() >= 640);
    REQUIRE(full.height() >= 480);
    vecta::image<std::uint8_t> im(160, 120, 3);  // a crop of the leaves, 4x4 box-filtered
    for (std::size_t y = 0; y < 120; ++y)
        for (std::size_t x = 0; x < 160; ++x)
            for (std::size_t ch = 0; ch < 3; ++ch) {
                unsigned sum = 0;
                for (std::size_t dy = 0; dy < 4; ++dy)
                    for (std::size_t dx = 0; dx < 4; ++dx) sum += full(x * 4 + dx, y * 4 + dy, ch);
                im(x, y, ch) = std::uint8_t((sum + 8) / 16);
            }
    const auto with = sweep(im), without = sweep(im, {0});
    for (const std::size_t cap : {std::size_t(2048), std::size_t(8192), std::size_t(32768)}) {
        CAPTURE(cap);
        const auto r = vecta::vectorize(vecta::par, im.view(), {.max_bytes = cap});
        CHECK(r.stats.bytes <= cap);
        CHECK(std::abs(render_psnr(im, r.document) - r.stats.budget.psnr) < 1e-9);
        const double split = best_within(with, cap), plain = best_within(without, cap);
        std::cout << "[figure] fallenleaf crop at " << cap << " B: search " << r.stats.budget.psnr << " dB ("
                  << r.stats.regions_split << " regions split) in " << r.stats.budget.passes
                  << " passes, sweep by hand " << split << " dB with splits, " << plain << " dB without\n";
        CHECK(r.stats.budget.psnr >= std::max(split, plain) - 0.5);
        // The search without splits is part of the search with them.
        vecta::vectorize_params q{.max_bytes = cap};
        q.split_psnr = 0;
        CHECK(r.stats.budget.psnr >= vecta::vectorize(vecta::par, im.view(), q).stats.budget.psnr - 1e-9);
    }
}

TEST_CASE("max_bytes in binary mode") {
    vecta::image<std::uint8_t> im(120, 90, 1, 255);
    for (std::size_t y = 0; y < 90; ++y)
        for (std::size_t x = 0; x < 120; ++x)
            if ((x / 7 + y / 5) % 3 == 0 || (x - 60) * (x - 60) + (y - 45) * (y - 45) < 400) im(x, y) = 0;
    const auto full = vecta::vectorize(im.view(), {.mode = vecta::trace_mode::binary});
    const auto r = vecta::vectorize(im.view(), {.mode = vecta::trace_mode::binary, .max_bytes = full.stats.bytes / 2});
    CHECK(r.document.size() <= full.stats.bytes / 2);
    CHECK(r.stats.budget.precision == 0);  // precision goes first
}

TEST_CASE("min_psnr: reached at fewer bytes than the defaults when the defaults overshoot") {
    const auto im = scene(160, 120);
    const auto free = vecta::vectorize(im.view(), {});
    const auto free_psnr = vecta_test::psnr(im, vecta_test::render(free.document, 160, 120, "budget_q0"));
    const double target = free_psnr - 3;
    const auto r = vecta::vectorize(im.view(), {.min_psnr = target});
    CHECK(r.budget_met);
    CHECK(r.stats.bytes < free.stats.bytes);
    const auto back = vecta_test::render(r.document, 160, 120, "budget_q1");
    CHECK(vecta_test::psnr(im, back) >= target - 0.15);  // our renderer vs librsvg: within 0.15 dB
    CHECK(r.stats.budget.psnr >= target);
}

TEST_CASE("an unreachable target is reported, and the cap still holds") {
    const auto im = scene(120, 90);
    const auto r = vecta::vectorize(im.view(), {.min_psnr = 95});
    CHECK_FALSE(r.budget_met);
    CHECK(r.stats.budget.psnr < 95);
    CHECK(r.document.find("<svg") == 0);
    const auto capped = vecta::vectorize(im.view(), {.max_bytes = 3000, .min_psnr = 60});
    CHECK_FALSE(capped.budget_met);
    CHECK(capped.document.size() <= 3000);
    // Both: a reachable target within a loose cap is met, within the cap.
    const auto both = vecta::vectorize(im.view(), {.max_bytes = 1 << 20, .min_psnr = 15});
    CHECK(both.budget_met);
    CHECK(both.stats.budget.psnr >= 15);
}

TEST_CASE("bad budgets are named") {
    const auto im = scene(40, 30);
    constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
    for (const double q : {-1.0, nan_v, std::numeric_limits<double>::infinity(), 100.0})
        CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.min_psnr = q}), names("params.min_psnr"),
                             vecta::invalid_argument);
    // Smaller than the one-colour document (the svg element and a background rectangle).
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.max_bytes = 50}), names("params.max_bytes"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.mode = vecta::trace_mode::centerline, .max_bytes = 5000}),
                         names("params.max_bytes"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.colors = 0, .max_bytes = 5000}), names("params.colors"),
                         vecta::invalid_argument);
}
