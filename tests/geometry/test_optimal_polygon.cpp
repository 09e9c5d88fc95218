// SPDX-License-Identifier: MIT
// optimal_polygon against a brute force of the definitions (Selinger 2003, section 2.2):
// straightness checked directly (every candidate line through the anchor tried against every
// point), every cyclic start tried in an exhaustive shortest-cycle search.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <thread>
#include <vecta/geometry/optimal_polygon.hpp>
#include <vecta/geometry/trace_regions.hpp>

namespace {

using ipt = vecta::point2<int>;

std::vector<ipt> unit_steps(const std::vector<ipt>& ring) {
    std::vector<ipt> out;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        ipt a = ring[i];
        const ipt b = ring[(i + 1) % ring.size()];
        while (!(a == b)) {
            out.push_back(a);
            a.x += (b.x > a.x) - (b.x < a.x);
            a.y += (b.y > a.y) - (b.y < a.y);
        }
    }
    return out;
}

struct brute {
    std::vector<ipt> p;  // unit steps
    std::size_t n;
    explicit brute(const std::vector<ipt>& ring) : p(unit_steps(ring)), n(p.size()) {}
    ipt at(std::size_t k) const { return p[k % n]; }

    // p_a..p_b (unwrapped, b - a < n) straight: < 4 step directions and a line within
    // L-infinity distance 1/2 of every point. A line with direction d meets the unit square
    // around p iff |cross(d, p) - c| <= (|d.x| + |d.y|) / 2 for its offset c, so some line of
    // direction d works iff the spread of cross(d, p_k) is at most |d.x| + |d.y|. That spread
    // over |d|_1 is piecewise linear-fractional in d and smallest where two cross(d, p_k)
    // tie or d is an axis: checking d = p_k - p_l and the axes decides it exactly, in integers.
    bool straight(std::size_t a, std::size_t b) const {
        bool dirs[4] = {};
        for (std::size_t k = a; k < b; ++k) {
            const ipt s = at(k), t = at(k + 1);
            dirs[t.x > s.x ? 0 : t.y > s.y ? 1 : t.x < s.x ? 2 : 3] = true;
        }
        if (dirs[0] && dirs[1] && dirs[2] && dirs[3]) return false;
        auto ok = [&](std::int64_t dx, std::int64_t dy) {
            if (dx == 0 && dy == 0) return false;
            std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
            for (std::size_t k = a; k <= b; ++k) {
                const std::int64_t c = dx * at(k).y - dy * at(k).x;
                lo = std::min(lo, c);
                hi = std::max(hi, c);
            }
            return hi - lo <= std::llabs(dx) + std::llabs(dy);
        };
        if (ok(1, 0) || ok(0, 1)) return true;
        for (std::size_t k = a; k <= b; ++k)
            for (std::size_t l = k + 1; l <= b; ++l)
                if (ok(at(l).x - at(k).x, at(l).y - at(k).y)) return true;
        return false;
    }
    mutable std::vector<signed char> memo;               // possible(i, j) by (i mod n, j - i)
    bool possible(std::size_t i, std::size_t j) const {  // i < j unwrapped, i >= 1
        if (j - i > n - 3 || j - i > (n - 1) / 2) return false;
        if (memo.empty()) memo.assign(n * n, -1);
        signed char& m = memo[(i % n) * n + (j - i)];
        if (m < 0) m = (j == i + 1 || straight(i - 1, j + 1)) ? 1 : 0;
        return m == 1;
    }
    double penalty(std::size_t i, std::size_t j) const {
        const ipt a = at(i), b = at(j);
        const double ux = b.x - a.x, uy = b.y - a.y, len = std::hypot(ux, uy);
        double sum = 0;
        for (std::size_t k = i; k <= j; ++k) {
            const double d = (ux * (at(k).y - a.y) - uy * (at(k).x - a.x)) / len;
            sum += d * d;
        }
        return len * std::sqrt(sum / double(j - i + 1));
    }
    // Fewest segments, then least penalty, over every cycle: a shortest path from every start.
    std::pair<int, double> optimum() const {
        std::pair<int, double> best{std::numeric_limits<int>::max(), 0};
        for (std::size_t s = n; s < 2 * n; ++s) {
            std::vector<std::pair<int, double>> c(n + 1, {std::numeric_limits<int>::max(), 0});
            c[0] = {0, 0};
            for (std::size_t r = 0; r < n; ++r) {
                if (c[r].first == std::numeric_limits<int>::max()) continue;
                for (std::size_t q = r + 1; q <= n; ++q) {
                    if (!possible(s + r, s + q)) continue;
                    const std::pair<int, double> v{c[r].first + 1, c[r].second + penalty(s + r, s + q)};
                    if (v.first < c[q].first || (v.first == c[q].first && v.second < c[q].second)) c[q] = v;
                }
            }
            if (c[n].first < best.first || (c[n].first == best.first && c[n].second < best.second)) best = c[n];
        }
        return best;
    }
    // Count and penalty of a given polygon (vertices in outline order); -1 if an edge is
    // impossible. A lattice point the outline passes twice (a saddle) has two indices: each
    // choice for the first vertex is tried, the next vertices taken at their next occurrence.
    std::pair<int, double> score(const std::vector<ipt>& poly) const {
        std::pair<int, double> best{-1, 0};
        for (std::size_t first = 0; first < n; ++first) {
            if (!(p[first] == poly[0])) continue;
            std::vector<std::size_t> idx{first + n};
            for (std::size_t k = 1; k < poly.size(); ++k) {
                std::size_t i = idx.back() + 1;
                while (i < idx[0] + n && !(at(i) == poly[k])) ++i;
                idx.push_back(i);
            }
            if (idx.back() >= idx[0] + n) continue;
            double pen = 0;
            bool ok = true;
            for (std::size_t k = 0; k < idx.size() && ok; ++k) {
                const std::size_t i = idx[k], j = k + 1 < idx.size() ? idx[k + 1] : idx[0] + n;
                ok = possible(i, j);
                if (ok) pen += penalty(i, j);
            }
            if (ok && (best.first < 0 || pen < best.second)) best = {int(idx.size()), pen};
        }
        return best;
    }
};

std::vector<std::vector<ipt>> blob_outlines(std::uint32_t seed, std::size_t side = 8) {
    std::mt19937 rng(seed);
    vecta::image<std::uint8_t> im(side, side, 1, 0);
    const double fill = std::uniform_real_distribution<double>(0.3, 0.8)(rng);
    for (std::size_t i = 0; i < side * side; ++i) im.data()[i] = std::bernoulli_distribution(fill)(rng) ? 1 : 0;
    std::vector<std::vector<ipt>> out;
    for (const auto& r : vecta::trace_regions(im))
        if (r.label == 1) out.push_back(r.outline);
    return out;
}

}  // namespace

TEST_CASE("optimal_polygon: a rectangle is its four corners, a pixel its square") {
    const std::vector<ipt> rect{{2, 3}, {9, 3}, {9, 7}, {2, 7}};
    CHECK(vecta::optimal_polygon(rect) == rect);
    const std::vector<ipt> px{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    CHECK(vecta::optimal_polygon(px) == px);
    // Unit steps and the other orientation give the same vertices.
    const auto steps = unit_steps(rect);
    CHECK(vecta::optimal_polygon(steps) == rect);
    std::vector<ipt> rev(rect.rbegin(), rect.rend());
    auto poly = vecta::optimal_polygon(rev);
    CHECK(poly.size() == 4);
    for (const ipt& v : rect) CHECK(std::find(poly.begin(), poly.end(), v) != poly.end());
}

TEST_CASE("optimal_polygon: a long diagonal staircase is one straight edge, an L shape keeps its 6 corners") {
    // A staircase of 1x1 steps from (0,0) to (k,k), closed by a corner at (k,0): a right triangle.
    std::vector<ipt> ring;
    const int k = 12;
    for (int i = 0; i < k; ++i) {
        ring.push_back({i, i});
        ring.push_back({i, i + 1});
    }
    ring.push_back({k, k});
    ring.push_back({k, 0});
    // Orientation: (0,0) -> down the staircase -> (k,k) -> up to (k,0) -> back to (0,0).
    const auto poly = vecta::optimal_polygon(ring);
    CHECK(poly.size() <= 4);  // the staircase is one edge; the sharp 45-degree corner may take two
    const brute b(ring);
    CHECK(b.score(poly) == b.optimum());

    const std::vector<ipt> ell{{0, 0}, {3, 0}, {3, 7}, {8, 7}, {8, 10}, {0, 10}};
    CHECK(vecta::optimal_polygon(ell) == ell);
}

TEST_CASE("optimal_polygon: fewest segments and least penalty equal an exhaustive search on random blobs") {
    int tested = 0;
    for (std::uint32_t seed = 1; seed <= 120; ++seed) {
        for (const auto& outline : blob_outlines(seed)) {
            const brute b(outline);
            const auto poly = vecta::optimal_polygon(outline);
            const auto got = b.score(poly);
            const auto want = b.optimum();
            INFO("seed " << seed << " n " << b.n);
            REQUIRE(got.first == want.first);
            CHECK(got.second == doctest::Approx(want.second).epsilon(1e-9));
            // The unit-step form and the reversed ring give the same optimum.
            const auto steps = unit_steps(outline);
            CHECK(b.score(vecta::optimal_polygon(steps)).first == want.first);
            std::vector<ipt> rev(outline.rbegin(), outline.rend());
            const brute br(rev);
            const auto r = br.score(vecta::optimal_polygon(rev));
            const auto rw = br.optimum();
            CHECK(r.first == rw.first);
            CHECK(r.second == doctest::Approx(rw.second).epsilon(1e-9));
            ++tested;
        }
    }
    CHECK(tested > 100);
}

TEST_CASE("optimal_polygon: bad outlines are named") {
    auto throws = [](std::vector<ipt> o) {
        try {
            (void)vecta::optimal_polygon(o);
        } catch (const vecta::invalid_argument& e) {
            return std::string(e.what()).find("outline") != std::string::npos;
        }
        return false;
    };
    CHECK(throws({}));
    CHECK(throws({{0, 0}, {1, 0}, {1, 1}}));                                  // 3 vertices
    CHECK(throws({{0, 0}, {2, 0}, {2, 2}, {1, 3}}));                          // diagonal closing step
    CHECK(throws({{0, 0}, {2, 1}, {2, 2}, {0, 2}}));                          // diagonal step
    CHECK(throws({{0, 0}, {2, 0}, {2, 0}, {2, 2}, {0, 2}}));                  // zero-length step
    CHECK(throws({{0, 0}, {1 << 30, 0}, {1 << 30, 1 << 30}, {0, 1 << 30}}));  // too long
    // An explicitly closed ring is accepted.
    CHECK(vecta::optimal_polygon(std::vector<ipt>{{0, 0}, {3, 0}, {3, 2}, {0, 2}, {0, 0}}).size() == 4);
}

TEST_CASE("optimal_polygon: line_set::meets (the non-narrowing probe) and try_admit agree with narrowing a copy") {
    // The straightness search probes points with meets() and narrows only at the run ends it
    // accepts; the probe must say exactly whether admit() would leave any line.
    using vecta::detail::outline_trace::line_set;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> step(-1, 2);
    int probes = 0, refused = 0;
    for (int trial = 0; trial < 400; ++trial) {
        line_set lines;
        lines.reset();
        std::int64_t x = 0, y = 0;
        for (int k = 0; k < 40 && !lines.empty(); ++k) {
            // A random walk biased along +x, +y: long straight-ish runs, then a break.
            const int s = step(rng);
            x += s >= 1 ? 1 : 0;
            y += s == 0 || s == 2 ? 1 : s < 0 ? -1 : 0;
            line_set copy = lines;
            const bool kept = copy.admit(x, y);
            CHECK(lines.meets(x, y) == kept);
            // try_admit: the probe and the narrowing in one, nothing narrowed when refused.
            line_set tried = lines;
            CHECK(tried.try_admit(x, y) == kept);
            const line_set& want = kept ? copy : lines;
            for (int o = 0; o < 2; ++o) {
                REQUIRE(tried.region[o].count == want.region[o].count);
                for (int i = 0; i < want.region[o].count; ++i) {
                    CHECK(tried.region[o].a[i] == want.region[o].a[i]);
                    CHECK(tried.region[o].b[i] == want.region[o].b[i]);
                }
            }
            ++probes;
            refused += kept ? 0 : 1;
            if (kept) lines = copy;
        }
    }
    CHECK(probes > 1000);
    CHECK(refused > 100);
}

TEST_CASE("optimal_polygon: results do not depend on earlier calls (per-thread buffers reused)") {
    const auto big = blob_outlines(3, 24), small = blob_outlines(5);
    REQUIRE(!big.empty());
    REQUIRE(!small.empty());
    std::vector<std::vector<ipt>> first;
    for (const auto& o : big) first.push_back(vecta::optimal_polygon(o));
    for (const auto& o : small) (void)vecta::optimal_polygon(o);
    CHECK_THROWS_AS((void)vecta::optimal_polygon(std::vector<ipt>{{0, 0}, {2, 1}, {2, 2}, {0, 2}}),
                    vecta::invalid_argument);
    for (std::size_t i = 0; i < big.size(); ++i) CHECK(vecta::optimal_polygon(big[i]) == first[i]);
    // And on another thread, whose buffers start empty.
    std::vector<std::vector<ipt>> other(big.size());
    std::thread t([&] {
        for (std::size_t i = 0; i < big.size(); ++i) other[i] = vecta::optimal_polygon(big[i]);
    });
    t.join();
    CHECK(other == first);
}

TEST_CASE("optimal_polygon: straight reach with hints equals the brute force; walked penalties equal direct ones") {
    // straight_reach_from takes a known-straight prefix and an upper bound from evaluated
    // neighbours; any valid pair must give the reach the definition gives. penalty_walk updates
    // the moments point by point and must give the same bits as windows_from::penalty.
    namespace ot = vecta::detail::outline_trace;
    std::mt19937 rng(11);
    int checked = 0, walked = 0;
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        for (const auto& outline : blob_outlines(seed, 12)) {
            const brute b(outline);
            ot::lattice_path p;
            ot::expand_outline(outline, "test", p);
            REQUIRE(p.n == b.n);
            const std::size_t n = p.n;
            ot::line_set lines;
            for (std::size_t a = 0; a < n; ++a) {
                const std::size_t f = a + std::size_t(ot::straight_reach_from(p, a, a, a + n - 1, lines));
                // The last straight end (brute force on the same unit steps, which start at the
                // outline's first vertex as expand_outline's do).
                CHECK(b.straight(a, f));
                if (f < a + n - 1) CHECK_FALSE(b.straight(a, f + 1));
                const std::size_t known = a + std::uniform_int_distribution<std::size_t>(0, f - a)(rng);
                const std::size_t bound =
                    std::min(a + n - 1, f + std::uniform_int_distribution<std::size_t>(0, 3)(rng));
                CHECK(a + std::size_t(ot::straight_reach_from(p, a, known, bound, lines)) == f);
                ++checked;
            }
            for (std::size_t i = 0; i < n; ++i) {
                const ot::windows_from w(p, i);
                ot::penalty_walk walk(w, i + 1);
                for (std::size_t j = i + 1; j < i + n; ++j) {
                    const double s = walk.next_square_sum();
                    CHECK(walk.penalty(s) == w.penalty(j));
                    ++walked;
                }
            }
        }
    }
    CHECK(checked > 1000);
    CHECK(walked > 10000);
}

TEST_CASE("optimal_polygon: straight reach from shared known parts equals the brute force, in any order") {
    // With a known_part_regions, p_a..p_m comes from entries built for earlier starts (extended
    // backwards, rebuilt when the pivot is past the part known straight): ascending starts with
    // the previous reach as the known part (as the polygon search mostly asks), descending
    // starts, and random starts with random known parts and bounds must all give the reach of
    // the definition.
    namespace ot = vecta::detail::outline_trace;
    std::mt19937 rng(23);
    int checked = 0, shared_used = 0;
    for (std::uint32_t seed = 1; seed <= 30; ++seed) {
        for (const auto& outline : blob_outlines(seed, 14)) {
            const brute b(outline);
            ot::lattice_path p;
            ot::expand_outline(outline, "test", p);
            const std::size_t n = p.n;
            std::vector<std::size_t> f(n);
            for (std::size_t a = 0; a < n; ++a) {  // the definition
                std::size_t e = a + 1;
                while (e + 1 <= a + n - 1 && b.straight(a, e + 1)) ++e;
                f[a] = e;
            }
            ot::line_set lines;
            ot::known_part_regions shared;
            for (int order = 0; order < 3; ++order) {
                shared.clear();
                for (std::size_t i = 0; i < n; ++i) {
                    const std::size_t a = order == 0   ? i
                                          : order == 1 ? n - 1 - i
                                                       : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
                    std::size_t known = a;
                    if (order == 0 && a > 0) known = std::max(a, f[a - 1]);
                    if (order >= 1) known = a + std::uniform_int_distribution<std::size_t>(0, f[a] - a)(rng);
                    const std::size_t bound =
                        order == 2 ? std::min(a + n - 1, f[a] + std::uniform_int_distribution<std::size_t>(0, 3)(rng))
                                   : a + n - 1;
                    const std::size_t got =
                        a + std::size_t(ot::straight_reach_from(p, a, known, bound, lines, &shared));
                    CHECK(got == f[a]);
                    ++checked;
                    shared_used += shared.pivot != ot::known_part_regions::none && shared.pivot < known ? 1 : 0;
                }
            }
        }
    }
    CHECK(checked > 3000);
    CHECK(shared_used > 500);  // the shared entries were really used, not rebuilt every time
}
