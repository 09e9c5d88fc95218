// SPDX-License-Identifier: MIT
// The stages under trace_centerlines: vecta::thinning (Guo-Hall) checked for its defining
// properties against independent references (a flood fill counting 8-components of ink and
// 4-components of paper, before and after; no deletable pixel left by a brute-force reading
// of the paper's conditions), and vecta::build_skeleton_graph on shapes of known topology.
#include <doctest/doctest.h>

#include <vecta/geometry/skeleton_graph.hpp>
#include <vecta/geometry/thinning.hpp>

#include "test_support.hpp"

namespace {

/// Connected components of pixels equal to `value` (outside the image: paper, joined to the
/// paper components it touches when value == 0), 8- or 4-connected, by flood fill.
int components(const vecta::image<std::uint8_t>& m, bool value, bool eight) {
    const long W = long(m.width()) + 2, H = long(m.height()) + 2;  // padded with paper
    auto at = [&](long x, long y) {
        if (x == 0 || y == 0 || x == W - 1 || y == H - 1) return false;
        return m(std::size_t(x - 1), std::size_t(y - 1)) != 0;
    };
    std::vector<char> seen(std::size_t(W * H), 0);
    int count = 0;
    std::vector<std::pair<long, long>> stack;
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x) {
            if (at(x, y) != value || seen[std::size_t(y * W + x)]) continue;
            ++count;
            stack.assign(1, {x, y});
            seen[std::size_t(y * W + x)] = 1;
            while (!stack.empty()) {
                const auto [cx, cy] = stack.back();
                stack.pop_back();
                for (long dy = -1; dy <= 1; ++dy)
                    for (long dx = -1; dx <= 1; ++dx) {
                        if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0)) continue;
                        const long nx = cx + dx, ny = cy + dy;
                        if (nx < 0 || ny < 0 || nx >= W || ny >= H || at(nx, ny) != value ||
                            seen[std::size_t(ny * W + nx)])
                            continue;
                        seen[std::size_t(ny * W + nx)] = 1;
                        stack.push_back({nx, ny});
                    }
            }
        }
    return count;
}

/// Blobs: random discs and bars on a w x h canvas.
vecta::image<std::uint8_t> blobs(std::size_t w, std::size_t h, std::uint32_t seed) {
    auto r = vecta_test::random_image(16, 1, 1, seed);
    vecta::image<std::uint8_t> m(w, h, 1, 0);
    for (int k = 0; k < 4; ++k) {
        const double cx = double(r(std::size_t(4 * k), 0)) / 255 * double(w),
                     cy = double(r(std::size_t(4 * k + 1), 0)) / 255 * double(h);
        const double rad = 2 + double(r(std::size_t(4 * k + 2), 0)) / 255 * 10;
        const bool bar = r(std::size_t(4 * k + 3), 0) & 1;
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x) {
                const double dx = double(x) - cx, dy = double(y) - cy;
                if (bar ? (std::abs(dy) < rad / 2 && std::abs(dx) < 4 * rad) : dx * dx + dy * dy < rad * rad)
                    m(x, y) = 1;
            }
    }
    return m;
}

}  // namespace

TEST_CASE("thinning: topology kept, one pixel thin, a subset of the ink, in place allowed") {
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        auto m = blobs(60, 50, seed);
        vecta::image<std::uint8_t> sk(60, 50);
        vecta::thinning(m.view(), sk.view());
        CHECK(components(sk, true, true) == components(m, true, true));
        CHECK(components(sk, false, false) == components(m, false, false));
        std::size_t blocks = 0;
        for (std::size_t y = 0; y < 50; ++y)
            for (std::size_t x = 0; x < 60; ++x) {
                if (sk(x, y)) CHECK(m(x, y));
                if (x + 1 < 60 && y + 1 < 50 && sk(x, y) && sk(x + 1, y) && sk(x, y + 1) && sk(x + 1, y + 1)) ++blocks;
            }
        CHECK(blocks == 0);  // no 2 x 2 square of skeleton
        // No pixel left that either subiteration would delete (brute-force reading of the rule).
        const auto& t = vecta::detail::thin_table();
        for (std::size_t y = 0; y < 50; ++y)
            for (std::size_t x = 0; x < 60; ++x) {
                if (!sk(x, y)) continue;
                auto at = [&](long u, long v) {
                    return u >= 0 && v >= 0 && u < 60 && v < 50 && sk(std::size_t(u), std::size_t(v)) ? 1u : 0u;
                };
                const long X = long(x), Y = long(y);
                const unsigned bits = at(X, Y - 1) | at(X + 1, Y - 1) << 1 | at(X + 1, Y) << 2 | at(X + 1, Y + 1) << 3 |
                                      at(X, Y + 1) << 4 | at(X - 1, Y + 1) << 5 | at(X - 1, Y) << 6 |
                                      at(X - 1, Y - 1) << 7;
                CHECK(!t[0][bits]);
                CHECK(!t[1][bits]);
            }
        vecta::thinning(m.view(), m.view());  // in place
        for (std::size_t y = 0; y < 50; ++y)
            for (std::size_t x = 0; x < 60; ++x) CHECK((m(x, y) != 0) == (sk(x, y) != 0));
    }
    vecta::image<std::uint8_t> a(4, 4), rgb(4, 4, 3), small(3, 4);
    CHECK_THROWS_WITH_AS(vecta::thinning(rgb.view(), a.view()), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::thinning(a.view(), small.view()), doctest::Contains("dst"), vecta::invalid_argument);
}

TEST_CASE("build_skeleton_graph: ends, junctions, branches and rings") {
    vecta::image<std::uint8_t> s(40, 40, 1, 0);
    for (std::size_t k = 5; k < 35; ++k) s(k, 20) = s(20, k) = 1;  // a '+' of 1-pixel lines
    auto g = vecta::build_skeleton_graph(s.view());
    std::size_t ends = 0, junctions = 0;
    for (const auto& n : g.nodes) {
        if (n.edges.size() == 1) ++ends;
        if (n.edges.size() == 4) ++junctions;
    }
    CHECK(ends == 4);
    CHECK(junctions == 1);
    CHECK(g.edges.size() == 4);
    std::size_t pixels = 0;
    for (const auto& n : g.nodes) pixels += n.pixels.size();
    for (const auto& e : g.edges) pixels += e.pixels.size();
    CHECK(pixels == 59);                            // every skeleton pixel once
    vecta::image<std::uint8_t> ring(30, 30, 1, 0);  // a ring of pixels: one edge, no node
    for (std::size_t k = 6; k < 24; ++k) ring(k, 5) = ring(k, 24) = ring(5, k) = ring(24, k) = 1;  // corners cut
    g = vecta::build_skeleton_graph(ring.view());
    CHECK(g.nodes.empty());
    REQUIRE(g.edges.size() == 1);
    CHECK(g.edges[0].a == vecta::skeleton_graph::none);
    CHECK(g.edges[0].pixels.size() == 72);
    vecta::image<std::uint8_t> dot(5, 5, 1, 0);
    dot(2, 2) = 1;
    g = vecta::build_skeleton_graph(dot.view());
    REQUIRE(g.nodes.size() == 1);
    CHECK(g.nodes[0].edges.empty());
    CHECK(g.nodes[0].position.x == 2.5);
    vecta::image<std::uint8_t> rgb(4, 4, 3);
    CHECK_THROWS_WITH_AS(vecta::build_skeleton_graph(rgb.view()), doctest::Contains("skeleton"),
                         vecta::invalid_argument);
}
