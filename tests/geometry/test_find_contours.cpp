// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <set>
#include <utility>
#include <vecta/geometry/find_contours.hpp>
#include <vector>

namespace find_contours_test {  // named: the geometry tests are compiled as one unity translation unit

namespace {

using pt = vecta::point2<int>;

/// Binary image from rows of '#' (foreground) and '.' (background).
vecta::image<std::uint8_t> from_ascii(const std::vector<const char*>& rows) {
    const std::size_t h = rows.size(), w = std::string_view(rows[0]).size();
    vecta::image<std::uint8_t> im(w, h);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) im(x, y) = rows[y][x] == '#' ? 255 : 0;
    return im;
}

long long shoelace2(const std::vector<pt>& p) {
    long long s = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const pt& a = p[i];
        const pt& b = p[(i + 1) % p.size()];
        s += static_cast<long long>(a.x) * b.y - static_cast<long long>(b.x) * a.y;
    }
    return s;
}

bool eight_adjacent(pt a, pt b) { return std::abs(a.x - b.x) <= 1 && std::abs(a.y - b.y) <= 1 && !(a == b); }

std::set<std::pair<int, int>> as_set(const std::vector<pt>& p) {
    std::set<std::pair<int, int>> s;
    for (const pt& q : p) s.insert({q.x, q.y});
    return s;
}

/// Connected-component labels by flood fill over a padded grid (w + 2) x (h + 2); cells with
/// value `fg` are labelled 1.., others 0. eight: 8- or 4-connectivity.
std::vector<int> label(const std::vector<int>& grid, int w, int h, int fg, bool eight, int& count) {
    std::vector<int> lab(grid.size(), 0);
    count = 0;
    std::vector<int> stack;
    for (int i = 0; i < w * h; ++i) {
        if (grid[i] != fg || lab[i] != 0) continue;
        lab[i] = ++count;
        stack.push_back(i);
        while (!stack.empty()) {
            const int c = stack.back();
            stack.pop_back();
            const int cx = c % w, cy = c / w;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0)) continue;
                    const int nx = cx + dx, ny = cy + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    const int nb = ny * w + nx;
                    if (grid[nb] == fg && lab[nb] == 0) {
                        lab[nb] = count;
                        stack.push_back(nb);
                    }
                }
        }
    }
    return lab;
}

}  // namespace

TEST_CASE("find_contours: a single pixel is a one-point outer border") {
    auto im = from_ascii({".....", ".....", ".....", "..#..", "....."});
    const auto cs = vecta::find_contours(im);
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].points == std::vector<pt>{{2, 3}});
    CHECK_FALSE(cs[0].hole);
    CHECK(cs[0].parent == -1);
}

TEST_CASE("find_contours: a filled rectangle gives its perimeter once, counter-clockwise on screen") {
    auto im = from_ascii({"......", ".####.", ".####.", ".####.", "......"});
    const auto cs = vecta::find_contours(im, {.mode = vecta::retrieval::tree});
    REQUIRE(cs.size() == 1);
    // Starts at the top-left pixel and goes down the left side first (hand-traced).
    const std::vector<pt> expected = {{1, 1}, {1, 2}, {1, 3}, {2, 3}, {3, 3}, {4, 3}, {4, 2}, {4, 1}, {3, 1}, {2, 1}};
    CHECK(cs[0].points == expected);
    CHECK(as_set(cs[0].points).size() == cs[0].points.size());  // no duplicates
    CHECK(shoelace2(cs[0].points) < 0);
    CHECK_FALSE(cs[0].hole);
    CHECK(cs[0].parent == -1);
}

TEST_CASE("find_contours: a ring has an outer and a hole border") {
    auto im = from_ascii({".......", ".#####.", ".#...#.", ".#...#.", ".#...#.", ".#####.", "......."});
    for (auto mode : {vecta::retrieval::list, vecta::retrieval::tree}) {
        const auto cs = vecta::find_contours(im, {.mode = mode});
        REQUIRE(cs.size() == 2);
        CHECK_FALSE(cs[0].hole);
        CHECK(cs[1].hole);
        CHECK(cs[0].parent == -1);
        CHECK(cs[1].parent == (mode == vecta::retrieval::tree ? 0 : -1));
        CHECK(cs[0].points.size() == 16);  // every ring pixel
        // The hole border: ring pixels 4-adjacent to the hole (all but the 4 corners).
        std::set<std::pair<int, int>> hole;
        for (int i = 2; i <= 4; ++i) {
            hole.insert({1, i});
            hole.insert({5, i});
            hole.insert({i, 1});
            hole.insert({i, 5});
        }
        CHECK(as_set(cs[1].points) == hole);
        CHECK(cs[1].points.size() == 12);
        CHECK(shoelace2(cs[0].points) < 0);
        CHECK(shoelace2(cs[1].points) > 0);  // holes run the other way
    }
}

TEST_CASE("find_contours: nested squares give the full hierarchy in raster order") {
    auto im = from_ascii({
        ".............",
        ".###########.",
        ".#.........#.",
        ".#.#######.#.",
        ".#.#######.#.",
        ".#.##...##.#.",
        ".#.##.#.##.#.",
        ".#.##...##.#.",
        ".#.#######.#.",
        ".#.#######.#.",
        ".#.........#.",
        ".###########.",
        ".............",
    });
    const auto cs = vecta::find_contours(im, {.mode = vecta::retrieval::tree});
    REQUIRE(cs.size() == 5);
    const bool holes[5] = {false, true, false, true, false};
    const int parents[5] = {-1, 0, 1, 2, 3};
    for (int i = 0; i < 5; ++i) {
        CAPTURE(i);
        CHECK(cs[i].hole == holes[i]);
        CHECK(cs[i].parent == parents[i]);
    }
    CHECK(cs[0].points.front() == pt{1, 1});
    CHECK(cs[2].points.front() == pt{3, 3});
    CHECK(cs[4].points == std::vector<pt>{{6, 6}});
    const auto flat = vecta::find_contours(im);
    REQUIRE(flat.size() == 5);
    for (int i = 0; i < 5; ++i) {
        CHECK(flat[i].points == cs[i].points);
        CHECK(flat[i].parent == -1);
    }
}

TEST_CASE("find_contours: pixels on the image border are traced (the frame is not cleared)") {
    auto one = from_ascii({"#..", "...", "..."});
    auto cs = vecta::find_contours(one);
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].points == std::vector<pt>{{0, 0}});

    vecta::image<std::uint8_t> full(4, 3, 1, 1);
    cs = vecta::find_contours(full);
    REQUIRE(cs.size() == 1);
    const std::vector<pt> expected = {{0, 0}, {0, 1}, {0, 2}, {1, 2}, {2, 2}, {3, 2}, {3, 1}, {3, 0}, {2, 0}, {1, 0}};
    CHECK(cs[0].points == expected);

    vecta::image<std::uint8_t> px(1, 1, 1, 7);
    cs = vecta::find_contours(px);
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].points == std::vector<pt>{{0, 0}});
    CHECK(vecta::find_contours(vecta::image<std::uint8_t>(3, 2)).empty());
}

TEST_CASE("find_contours: a strided view is read through its stride") {
    // 3 x 2 view inside rows of 5; the padding columns hold foreground that must be ignored.
    std::uint8_t buf[10] = {0, 9, 0, 9, 9, 0, 9, 0, 9, 9};
    vecta::image_view<const std::uint8_t> v(buf, 3, 2, 1, 5);
    const auto cs = vecta::find_contours(vecta::par, v);
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].points == std::vector<pt>{{1, 0}, {1, 1}});
}

TEST_CASE("find_contours: random images against flood-fill references") {
    std::mt19937_64 rng(12345);
    for (int trial = 0; trial < 300; ++trial) {
        CAPTURE(trial);
        const int w = 1 + static_cast<int>(rng() % 24), h = 1 + static_cast<int>(rng() % 18);
        const unsigned density = 20 + static_cast<unsigned>(rng() % 60);  // percent
        vecta::image<std::uint8_t> im(w, h);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) im(x, y) = (rng() % 100) < density ? 1 : 0;

        const auto tree = vecta::find_contours(im, {.mode = vecta::retrieval::tree});
        const auto list = vecta::find_contours(vecta::seq, im);

        // Padded grid for the references.
        const int pw = w + 2, ph = h + 2;
        std::vector<int> grid(pw * ph, 0);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) grid[(y + 1) * pw + x + 1] = im(x, y) ? 1 : 0;
        auto g = [&](int x, int y) { return grid[(y + 1) * pw + x + 1]; };
        int nfg = 0, nbg = 0;
        const auto fg = label(grid, pw, ph, 1, true, nfg);
        const auto bg = label(grid, pw, ph, 0, false, nbg);
        auto fg_of = [&](pt p) { return fg[(p.y + 1) * pw + p.x + 1]; };
        auto bg_of = [&](int x, int y) { return bg[(y + 1) * pw + x + 1]; };
        const int outside = bg[0];  // the frame's background component

        // Border pixels: foreground with a background 4-neighbour (outside the image counts).
        std::set<std::pair<int, int>> border, traced;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                if (g(x, y) && (!g(x - 1, y) || !g(x + 1, y) || !g(x, y - 1) || !g(x, y + 1))) border.insert({x, y});

        int outers = 0, holes = 0;
        REQUIRE(list.size() == tree.size());
        for (std::size_t i = 0; i < tree.size(); ++i) {
            const auto& c = tree[i];
            REQUIRE_FALSE(c.points.empty());
            CHECK(list[i].points == c.points);
            CHECK(list[i].hole == c.hole);
            CHECK(list[i].parent == -1);
            (c.hole ? holes : outers)++;
            const int comp = fg_of(c.points[0]);
            for (std::size_t k = 0; k < c.points.size(); ++k) {
                const pt p = c.points[k];
                REQUIRE(p.x >= 0);
                REQUIRE(p.y >= 0);
                REQUIRE(p.x < w);
                REQUIRE(p.y < h);
                CHECK(border.count({p.x, p.y}) == 1);
                CHECK(fg_of(p) == comp);  // one region per border
                traced.insert({p.x, p.y});
                if (c.points.size() > 1) CHECK(eight_adjacent(p, c.points[(k + 1) % c.points.size()]));
            }
            // Orientation: outer borders counter-clockwise on screen, holes clockwise.
            if (c.hole)
                CHECK(shoelace2(c.points) > 0);
            else
                CHECK(shoelace2(c.points) <= 0);
            const pt s = c.points[0];
            if (!c.hole) {
                // An outer border starts at its region's first pixel in raster order.
                bool first = true;
                for (int y = 0; y <= s.y && first; ++y)
                    for (int x = 0; x < w && first; ++x) {
                        if (y == s.y && x >= s.x) break;
                        if (g(x, y) && fg_of({x, y}) == comp) first = false;
                    }
                CHECK(first);
                // Its parent is the hole border of the background around it, or none.
                const int around = bg_of(s.x - 1, s.y);
                if (around == outside) {
                    CHECK(c.parent == -1);
                } else {
                    REQUIRE(c.parent >= 0);
                    REQUIRE(c.parent < static_cast<int>(i));
                    const auto& par = tree[c.parent];
                    CHECK(par.hole);
                    CHECK(bg_of(par.points[0].x + 1, par.points[0].y) == around);
                }
            } else {
                // A hole border's parent is the outer border of the same region.
                CHECK(bg_of(s.x + 1, s.y) != outside);
                REQUIRE(c.parent >= 0);
                REQUIRE(c.parent < static_cast<int>(i));
                CHECK_FALSE(tree[c.parent].hole);
                CHECK(fg_of(tree[c.parent].points[0]) == comp);
            }
        }
        CHECK(traced == border);
        CHECK(outers == nfg);
        CHECK(holes == nbg - 1);
    }
}

TEST_CASE("find_contours rejects bad input with the argument's name") {
    vecta::image_view<const std::uint8_t> empty;
    CHECK_THROWS_WITH_AS(vecta::find_contours(empty), doctest::Contains("binary"), vecta::invalid_argument);
    vecta::image<std::uint8_t> rgb(4, 4, 3);
    CHECK_THROWS_WITH_AS(vecta::find_contours(rgb), doctest::Contains("binary"), vecta::invalid_argument);
    vecta::image<std::uint8_t> ok(4, 4);
    CHECK_THROWS_WITH_AS(vecta::find_contours(ok, {.mode = static_cast<vecta::retrieval>(7)}),
                         doctest::Contains("params.mode"), vecta::invalid_argument);
}

}  // namespace find_contours_test
