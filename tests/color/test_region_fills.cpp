// SPDX-License-Identifier: MIT
// vecta::region_fills against region means computed naively from the known regions of a
// generated label image (blocks with noisy colours): each region's pixels share one label whose
// fill is the region's rounded mean when there are fills enough; fewer fills quantize the means
// (still one label per region), as vecta::quantize of the image of means with plain k-means++
// seeding does; seq = par; bad arguments named.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <vecta/color/region_fills.hpp>
#include <vecta/core/error.hpp>
#include <vecta/geometry/label_regions.hpp>
#include <vector>

#include "test_support.hpp"

namespace region_fills_color_test {  // named: the colour tests are compiled as one unity translation unit

using rgb8 = std::array<std::uint8_t, 3>;

// 60 x 40 in 6 x 4 blocks of 10 x 10, block (bx, by) labelled (bx + 2 by) % 3: neighbours differ
// along rows and columns, so each block is one 4-connected region (24 regions). Colours: a
// per-block base with +-20 noise.
struct scene {
    vecta::image<std::uint8_t> labels{60, 40, 1}, rgb{60, 40, 3};
    scene() {
        const auto noise = vecta_test::random_image(60, 40, 3, 23, -20, 20);
        for (std::size_t y = 0; y < 40; ++y)
            for (std::size_t x = 0; x < 60; ++x) {
                const std::size_t bx = x / 10, by = y / 10;
                labels(x, y) = std::uint8_t((bx + 2 * by) % 3);
                for (std::size_t c = 0; c < 3; ++c)
                    rgb(x, y, c) =
                        std::uint8_t(40 + 30 * ((bx * 7 + by * 5 + c * 3) % 6) + int(std::int8_t(noise(x, y, c))));
            }
    }
    // The naive reference: the rounded mean colour of the block holding (x, y).
    rgb8 mean(std::size_t x, std::size_t y) const {
        const std::size_t x0 = x / 10 * 10, y0 = y / 10 * 10;
        double s[3] = {0, 0, 0};
        for (std::size_t v = y0; v < y0 + 10; ++v)
            for (std::size_t u = x0; u < x0 + 10; ++u)
                for (std::size_t c = 0; c < 3; ++c) s[c] += rgb(u, v, c);
        return {std::uint8_t(std::floor(s[0] / 100 + 0.5)), std::uint8_t(std::floor(s[1] / 100 + 0.5)),
                std::uint8_t(std::floor(s[2] / 100 + 0.5))};
    }
};

TEST_CASE("region_fills: each region takes its mean colour; fewer fills quantize the means") {
    const scene s;
    const vecta::region_runs regions = vecta::label_regions(s.labels.view());
    REQUIRE(regions.count() == 24);
    const auto all = vecta::region_fills(regions, s.rgb.view(), {.colors = 256});
    REQUIRE(all.labels.width() == 60);
    REQUIRE(all.labels.height() == 40);
    std::set<rgb8> want;
    bool exact = true;
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 60; ++x) {
            want.insert(s.mean(x, y));
            exact = exact && all.palette.at(all.labels(x, y)) == s.mean(x, y);
        }
    CHECK(exact);
    CHECK(std::set<rgb8>(all.palette.begin(), all.palette.end()) == want);
    CHECK(all.psnr == vecta::quantize_psnr_max);

    // 4 fills for the 24 means: 4 entries, every region still one label.
    const auto few = vecta::region_fills(vecta::par, regions, s.rgb.view(), {.colors = 4, .seed = 3});
    CHECK(few.palette.size() == 4);
    bool uniform = true;
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 60; ++x)
            uniform = uniform && few.labels(x, y) == few.labels(x / 10 * 10, y / 10 * 10);
    CHECK(uniform);
    const auto few_seq = vecta::region_fills(vecta::seq, regions, s.rgb.view(), {.colors = 4, .seed = 3});
    CHECK(few_seq.palette == few.palette);
    bool same = true;
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 60; ++x) same = same && few_seq.labels(x, y) == few.labels(x, y);
    CHECK(same);

    // The same fills as vecta::quantize (plain k-means++ seeding) of the naive image of means.
    vecta::image<std::uint8_t> means(60, 40, 3);
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 60; ++x)
            for (std::size_t c = 0; c < 3; ++c) means(x, y, c) = s.mean(x, y)[c];
    const auto ref = vecta::quantize(means.view(), {.colors = 4, .seed = 3, .init = vecta::kmeans_init::plus_plus});
    CHECK(ref.palette == few.palette);
    CHECK(ref.psnr == few.psnr);
    bool as_ref = true;
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 60; ++x) as_ref = as_ref && ref.labels(x, y) == few.labels(x, y);
    CHECK(as_ref);
}

TEST_CASE("region_fills: bad arguments are named") {
    const scene s;
    const vecta::region_runs regions = vecta::label_regions(s.labels.view());
    auto throws = [](auto f, const char* name) {
        CHECK_THROWS_WITH_AS(f(), doctest::Contains(name), vecta::invalid_argument);
    };
    const vecta::image<std::uint8_t> small(59, 40, 3), gray(60, 40, 1);
    throws([&] { return vecta::region_fills(regions, small.view()); }, "rgb");
    throws([&] { return vecta::region_fills(regions, gray.view()); }, "rgb");
    throws([&] { return vecta::region_fills(regions, s.rgb.view(), {.colors = 0}); }, "params.colors");
    throws([&] { return vecta::region_fills(regions, s.rgb.view(), {.colors = 65537}); }, "params.colors");
    throws([&] { return vecta::region_fills(vecta::region_runs{}, s.rgb.view()); }, "regions");
    vecta::region_runs wide = regions;
    wide.runs.back().x1 = 61;  // past the width
    throws([&] { return vecta::region_fills(wide, s.rgb.view()); }, "regions");
    vecta::region_runs stray = regions;
    stray.region_of[3] = 24;  // no such region
    throws([&] { return vecta::region_fills(stray, s.rgb.view()); }, "regions");
    vecta::region_runs short_of = regions;
    short_of.region_of.pop_back();
    throws([&] { return vecta::region_fills(short_of, s.rgb.view()); }, "regions");
    // Runs that leave a gap, overlap, or disagree with the areas and labels: every pixel must be
    // covered once, or the fills would be weighed and written wrongly.
    vecta::region_runs gap = regions;
    gap.runs[0].x1 -= 1;  // pixel 9 of row 0 uncovered
    throws([&] { return vecta::region_fills(gap, s.rgb.view()); }, "regions");
    vecta::region_runs overlap = regions;
    overlap.runs[1].x0 -= 1;  // pixel 9 of row 0 twice
    throws([&] { return vecta::region_fills(overlap, s.rgb.view()); }, "regions");
    vecta::region_runs area = regions;
    area.area[0] += 1;
    throws([&] { return vecta::region_fills(area, s.rgb.view()); }, "regions");
    vecta::region_runs relabel = regions;
    relabel.runs[0].label ^= 1;
    throws([&] { return vecta::region_fills(relabel, s.rgb.view()); }, "regions");
    vecta::region_runs rows = regions;
    rows.row_start.pop_back();
    throws([&] { return vecta::region_fills(rows, s.rgb.view()); }, "regions");
    vecta::region_runs empty_only;  // one region of no pixels and no runs
    empty_only.width = empty_only.height = 2;
    empty_only.row_start = {0, 0, 0};
    empty_only.area = {0};
    empty_only.label = {0};
    throws([&] { return vecta::region_fills(empty_only, vecta::image<std::uint8_t>(2, 2, 3).view()); }, "regions");
}

}  // namespace region_fills_color_test
