// SPDX-License-Identifier: MIT
// vecta::label_regions (runs, word-at-a-time run scan, union-find) against a naive per-pixel
// flood fill for 8-, 16- and 32-bit labels; merge_speckles against a direct check.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <random>
#include <span>
#include <vecta/core/error.hpp>
#include <vecta/geometry/label_regions.hpp>
#include <vector>

namespace {
/// 4-connected components of equal labels, numbered in raster order of their first pixel.
template <class L>
std::vector<std::uint32_t> flood_fill(const std::vector<L>& l, std::size_t w, std::size_t h, std::size_t& count) {
    constexpr std::uint32_t none = 0xFFFFFFFFu;
    std::vector<std::uint32_t> id(w * h, none);
    std::vector<std::size_t> stack;
    count = 0;
    for (std::size_t s = 0; s < w * h; ++s) {
        if (id[s] != none) continue;
        const auto c = std::uint32_t(count++);
        id[s] = c;
        stack.assign(1, s);
        while (!stack.empty()) {
            const std::size_t p = stack.back();
            stack.pop_back();
            const std::size_t x = p % w, y = p / w;
            auto visit = [&](std::size_t q) {
                if (id[q] == none && l[q] == l[p]) id[q] = c, stack.push_back(q);
            };
            if (x > 0) visit(p - 1);
            if (x + 1 < w) visit(p + 1);
            if (y > 0) visit(p - w);
            if (y + 1 < h) visit(p + w);
        }
    }
    return id;
}

template <class L>
void check_against_flood_fill(std::uint32_t seed) {
    std::mt19937 rng(seed);
    for (int round = 0; round < 60; ++round) {
        const std::size_t w = 1 + rng() % 70, h = 1 + rng() % 12;
        const std::size_t values = 1 + rng() % (sizeof(L) == 1 ? 3 : 700);
        const std::size_t run_max = 1 + rng() % 40;  // long runs exercise the 8-byte steps
        std::vector<L> l(w * h);
        for (std::size_t i = 0; i < l.size();) {
            const L v = L(rng() % values * (sizeof(L) == 1 ? 1 : 91));  // 16-bit: high bytes differ too
            for (std::size_t n = 1 + rng() % run_max; n > 0 && i < l.size(); --n) l[i++] = v;
        }
        std::size_t count = 0;
        const auto id = flood_fill(l, w, h, count);
        const auto c = vecta::label_regions(vecta::image_view<const L>(l.data(), w, h));
        REQUIRE(c.count() == count);
        std::vector<std::size_t> area(count, 0);
        for (std::size_t y = 0; y < h; ++y) {
            std::size_t x = 0;
            for (std::size_t r = c.row_start[y]; r < c.row_start[y + 1]; ++r) {
                const auto& run = c.runs[r];
                REQUIRE(run.y == y);
                REQUIRE(run.x0 == x);  // runs tile the row, each maximal
                REQUIRE(run.x1 > run.x0);
                if (r > c.row_start[y]) CHECK(c.runs[r - 1].label != run.label);
                for (; x < run.x1; ++x) {
                    REQUIRE(l[y * w + x] == run.label);
                    REQUIRE(id[y * w + x] == c.region_of[r]);
                }
                area[c.region_of[r]] += run.x1 - run.x0;
            }
            REQUIRE(x == w);
        }
        for (std::size_t k = 0; k < count; ++k) {
            CHECK(c.area[k] == area[k]);
            CHECK(id[c.first_pixel[k]] == k);
            CHECK(c.label[k] == l[c.first_pixel[k]]);
            const std::size_t fx = c.first_pixel[k] % w, fy = c.first_pixel[k] / w;
            CHECK(c.depth[k] == (fy == 0 ? 0u : c.depth[id[(fy - 1) * w + fx]] + 1));
            bool border = false;
            for (std::size_t i = 0; i < w * h; ++i)
                border = border || (id[i] == k && (i % w == 0 || i % w == w - 1 || i / w == 0 || i / w == h - 1));
            CHECK(bool(c.on_border[k]) == border);
        }
    }
}
}  // namespace

TEST_CASE("label_regions equals a naive flood fill (8-, 16- and 32-bit labels)") {
    check_against_flood_fill<std::uint8_t>(1);
    check_against_flood_fill<std::uint16_t>(2);
    check_against_flood_fill<std::uint32_t>(3);
}

TEST_CASE("merge_speckles: a small region takes the neighbour nearest its mean colour") {
    using rgb8 = std::array<std::uint8_t, 3>;
    // 8 x 4: left half label 0 (black), right half label 1 (white); one pixel of label 2 (dark
    // grey) inside the black half and one of label 3 (light grey) on the border between halves.
    std::vector<std::uint8_t> l(32);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 0; x < 8; ++x) l[y * 8 + x] = x < 4 ? 0 : 1;
    l[1 * 8 + 1] = 2;
    l[2 * 8 + 4] = 3;
    const std::vector<rgb8> pal = {rgb8{0, 0, 0}, rgb8{255, 255, 255}, rgb8{40, 40, 40}, rgb8{200, 200, 200}};
    vecta::image_view<std::uint8_t> v(l.data(), 8, 4);
    auto r = vecta::label_regions(v);
    REQUIRE(r.count() == 4);
    CHECK(vecta::merge_speckles(v, r, {}, std::span<const rgb8>(pal), 2));
    CHECK(l[1 * 8 + 1] == 0);  // dark grey, surrounded by black
    CHECK(l[2 * 8 + 4] == 1);  // light grey: white is nearer than black
    r = vecta::label_regions(v);
    CHECK(r.count() == 2);
    CHECK_FALSE(vecta::merge_speckles(v, r, {}, std::span<const rgb8>(pal), 2));  // nothing left to merge
    CHECK_FALSE(vecta::merge_speckles(v, r, {}, std::span<const rgb8>(pal), 0));  // min_area 0: a no-op
}

TEST_CASE("label_regions and merge_speckles reject bad input by argument name") {
    using rgb8 = std::array<std::uint8_t, 3>;
    std::vector<std::uint8_t> l(12, 0), two(24, 0);
    CHECK_THROWS_WITH_AS(vecta::label_regions(vecta::image_view<const std::uint8_t>()), doctest::Contains("labels"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::label_regions(vecta::image_view<const std::uint8_t>(two.data(), 4, 3, 2)),
                         doctest::Contains("labels"), vecta::invalid_argument);
    vecta::image_view<std::uint8_t> v(l.data(), 4, 3);
    const auto r = vecta::label_regions(v);
    const std::vector<rgb8> pal = {rgb8{0, 0, 0}};
    const std::vector<rgb8> none;
    CHECK_THROWS_WITH_AS(
        vecta::merge_speckles(vecta::image_view<std::uint8_t>(l.data(), 3, 4), r, {}, std::span<const rgb8>(pal), 2),
        doctest::Contains("labels"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::merge_speckles(v, r, vecta::image_view<const std::uint8_t>(two.data(), 4, 3, 2),
                                               std::span<const rgb8>(pal), 2),
                         doctest::Contains("rgb"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::merge_speckles(v, r, {}, std::span<const rgb8>(none), 2), doctest::Contains("palette"),
                         vecta::invalid_argument);
    // Runs that are not label_regions' (a caller-built region_runs): refused before any read.
    auto bad_regions = [&](auto&& edit) {
        vecta::region_runs b = r;
        edit(b);
        CHECK_THROWS_WITH_AS(vecta::merge_speckles(v, b, {}, std::span<const rgb8>(pal), 2),
                             doctest::Contains("regions"), vecta::invalid_argument);
    };
    bad_regions([](vecta::region_runs& b) { b.row_start.pop_back(); });
    bad_regions([](vecta::region_runs& b) { b.row_start[1] = 99; });
    bad_regions([](vecta::region_runs& b) { b.runs[0].x1 = 3; });          // a gap in row 0
    bad_regions([](vecta::region_runs& b) { b.runs[1].y = 7; });           // a run of another row
    bad_regions([](vecta::region_runs& b) { b.region_of[0] = 5; });        // no such region
    bad_regions([](vecta::region_runs& b) { b.runs[2].label = 1; });       // not its region's label
    bad_regions([](vecta::region_runs& b) { b.area[0] = 11; });            // not the runs' area
    bad_regions([](vecta::region_runs& b) { b = vecta::region_runs{}; });  // nothing at all
}
