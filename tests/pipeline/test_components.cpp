// SPDX-License-Identifier: MIT
// vectorize's region labelling (detail::vz::label_components, with its word-at-a-time run scan)
// against a naive per-pixel flood fill, for 8- and 16-bit labels.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vecta/vectorize.hpp>
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
        const auto c = vecta::detail::vz::label_components(l, w, h);
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
                    REQUIRE(id[y * w + x] == c.comp[r]);
                }
                area[c.comp[r]] += run.x1 - run.x0;
            }
            REQUIRE(x == w);
        }
        for (std::size_t k = 0; k < count; ++k) {
            CHECK(c.area[k] == area[k]);
            CHECK(id[c.first[k]] == k);
            CHECK(c.label[k] == l[c.first[k]]);
        }
    }
}
}  // namespace

TEST_CASE("label_components equals a naive flood fill (8-bit ink labels, 16-bit palette labels)") {
    check_against_flood_fill<std::uint8_t>(1);
    check_against_flood_fill<std::uint16_t>(2);
}
