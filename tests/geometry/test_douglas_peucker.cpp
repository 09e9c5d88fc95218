// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <type_traits>
#include <vecta/geometry/douglas_peucker.hpp>
#include <vector>

namespace dp_test {  // named: the geometry tests are compiled as one unity translation unit

namespace {

struct pt {
    double x, y;
};
struct fpt {
    float x, y;
    int tag;  // carried through with the point
};

/// Uniform double in [lo, hi) from 53 random bits (no std::uniform_*_distribution).
double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// The plain recursive Ramer-Douglas-Peucker, written from the textbook definition.
double ref_dist(const pt& p, const pt& a, const pt& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len = std::sqrt(dx * dx + dy * dy);
    if (len == 0) return std::sqrt((p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y));
    return std::fabs((p.x - a.x) * dy - (p.y - a.y) * dx) / len;
}

void ref_rec(const std::vector<pt>& p, std::size_t a, std::size_t b, double eps, std::vector<bool>& keep) {
    if (b <= a + 1) return;
    double best = -1;
    std::size_t at = a;
    for (std::size_t i = a + 1; i < b; ++i) {
        const double d = ref_dist(p[i], p[a], p[b]);
        if (d > best) {
            best = d;
            at = i;
        }
    }
    if (best > eps) {
        keep[at] = true;
        ref_rec(p, a, at, eps, keep);
        ref_rec(p, at, b, eps, keep);
    }
}

std::vector<std::size_t> reference(const std::vector<pt>& p, double eps, bool closed) {
    const std::size_t n = p.size();
    std::vector<std::size_t> out;
    if (n <= 2) {
        for (std::size_t i = 0; i < n; ++i) out.push_back(i);
        return out;
    }
    std::vector<bool> keep(n + 1, false);
    keep[0] = true;
    if (!closed) {
        keep[n - 1] = true;
        ref_rec(p, 0, n - 1, eps, keep);
    } else {
        std::size_t k = 1;
        double far = -1;
        for (std::size_t i = 1; i < n; ++i) {
            const double d = std::sqrt((p[i].x - p[0].x) * (p[i].x - p[0].x) + (p[i].y - p[0].y) * (p[i].y - p[0].y));
            if (d > far) {
                far = d;
                k = i;
            }
        }
        keep[k] = true;
        std::vector<pt> ring = p;
        ring.push_back(p[0]);
        ref_rec(ring, 0, k, eps, keep);
        ref_rec(ring, k, n, eps, keep);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) out.push_back(i);
    return out;
}

}  // namespace

TEST_CASE("douglas_peucker matches a recursive reference on random noisy polylines") {
    std::mt19937_64 rng(2024);
    for (int trial = 0; trial < 400; ++trial) {
        CAPTURE(trial);
        const std::size_t n = 1 + rng() % 300;
        const double noise = uniform(rng, 0.0, 3.0), eps = uniform(rng, 0.0, 4.0);
        const bool closed = (trial % 2) == 1;
        std::vector<pt> p(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double t = 6.283185307179586 * static_cast<double>(i) / static_cast<double>(n);
            const double r = closed ? 40.0 : 0.0;
            p[i] = {closed ? r * std::cos(t) : static_cast<double>(i), closed ? r * std::sin(t) : 10 * std::sin(t * 3)};
            p[i].x += uniform(rng, -noise, noise);
            p[i].y += uniform(rng, -noise, noise);
        }
        const auto expected = reference(p, eps, closed);
        const auto idx = vecta::douglas_peucker_indices(p, {.epsilon = eps, .closed = closed});
        CHECK(idx == expected);
        const auto kept = vecta::douglas_peucker(p, {.epsilon = eps, .closed = closed});
        REQUIRE(kept.size() == expected.size());
        for (std::size_t i = 0; i < kept.size(); ++i) {
            CHECK(kept[i].x == p[expected[i]].x);
            CHECK(kept[i].y == p[expected[i]].y);
        }
    }
}

TEST_CASE("douglas_peucker collapses collinear points and keeps every bend at epsilon 0") {
    std::vector<pt> line;
    for (int i = 0; i < 50; ++i) line.push_back({static_cast<double>(i), 2.0 * i + 1});
    const auto kept = vecta::douglas_peucker(line, {.epsilon = 0.0});
    REQUIRE(kept.size() == 2);
    CHECK(kept[0].x == 0);
    CHECK(kept[1].x == 49);
    // Back-and-forth on one line: the far end is off the chord's endpoints but on its line.
    std::vector<pt> back = {{0, 0}, {4, 0}, {2, 0}, {6, 0}};
    CHECK(vecta::douglas_peucker_indices(back, {.epsilon = 0.0}) == std::vector<std::size_t>{0, 3});

    std::vector<pt> parabola;  // strictly convex: no point is on a chord
    for (int i = -20; i <= 20; ++i) parabola.push_back({static_cast<double>(i), 0.25 * i * i});
    CHECK(vecta::douglas_peucker(parabola, {.epsilon = 0.0}).size() == parabola.size());
    // Epsilon is strict: a point exactly epsilon away is dropped.
    std::vector<pt> tri = {{0, 0}, {5, 1}, {10, 0}};
    CHECK(vecta::douglas_peucker(tri, {.epsilon = 1.0}).size() == 2);
    CHECK(vecta::douglas_peucker(tri, {.epsilon = 0.999}).size() == 3);
    // Degenerate chord (first == last): distances to the endpoint.
    std::vector<pt> loop = {{0, 0}, {3, 4}, {0, 0}};
    CHECK(vecta::douglas_peucker_indices(loop, {.epsilon = 4.9}) == std::vector<std::size_t>{0, 1, 2});
    CHECK(vecta::douglas_peucker_indices(loop, {.epsilon = 5.0}) == std::vector<std::size_t>{0, 2});
}

TEST_CASE("douglas_peucker on closed rings keeps the start and the farthest point") {
    // A square with midpoints on every side, starting at a midpoint.
    std::vector<pt> sq = {{5, 0}, {10, 0}, {10, 5}, {10, 10}, {5, 10}, {0, 10}, {0, 5}, {0, 0}};
    CHECK(vecta::douglas_peucker_indices(sq, {.epsilon = 0.5, .closed = true}) ==
          std::vector<std::size_t>{0, 1, 3, 5, 7});
    // Open: the same kept points here (hand-computed).
    CHECK(vecta::douglas_peucker_indices(sq, {.epsilon = 0.5, .closed = false}) ==
          std::vector<std::size_t>{0, 1, 3, 5, 7});
    std::vector<pt> sq2 = {{0, 0}, {5, 0}, {10, 0}, {10, 5}, {10, 10}, {5, 10}, {0, 10}, {0, 5}};
    CHECK(vecta::douglas_peucker_indices(sq2, {.epsilon = 0.5, .closed = true}) ==
          std::vector<std::size_t>{0, 2, 4, 6});
    CHECK(vecta::douglas_peucker_indices(sq2, {.epsilon = 0.5, .closed = false}) ==
          std::vector<std::size_t>{0, 2, 4, 6, 7});
    // Closed ring of identical points: the start and the (first) farthest point.
    std::vector<pt> same(5, pt{1, 1});
    CHECK(vecta::douglas_peucker_indices(same, {.epsilon = 0.0, .closed = true}) == std::vector<std::size_t>{0, 1});
}

TEST_CASE("douglas_peucker: empty, one and two points; long inputs need no recursion") {
    std::vector<pt> none;
    CHECK(vecta::douglas_peucker(none, {.epsilon = 1.0}).empty());
    CHECK(vecta::douglas_peucker(none, {.epsilon = 1.0, .closed = true}).empty());
    std::vector<pt> one = {{3, 4}};
    CHECK(vecta::douglas_peucker(one, {.epsilon = 1.0}).size() == 1);
    std::vector<pt> two = {{3, 4}, {3, 4}};
    CHECK(vecta::douglas_peucker_indices(two, {.epsilon = 1.0, .closed = true}) == std::vector<std::size_t>{0, 1});

    // A long noisy input: same answer as the recursive reference.
    std::mt19937_64 rng(7);
    std::vector<pt> big;
    for (int i = 0; i < 100000; ++i)
        big.push_back({static_cast<double>(i) * 0.01, std::sin(i * 0.001) * 50 + uniform(rng, -0.3, 0.3)});
    const auto kept = vecta::douglas_peucker_indices(big, {.epsilon = 0.25});
    CHECK(kept == reference(big, 0.25, false));
    CHECK(kept.size() > 100);
}

TEST_CASE("douglas_peucker works on Eigen, std::array and plain structs, keeping the type") {
    std::vector<Eigen::Vector2f> ev = {{0, 0}, {1, 0.01f}, {2, 0}, {3, 5}, {4, 0}};
    auto e = vecta::douglas_peucker(ev, {.epsilon = 0.1});
    static_assert(std::is_same_v<decltype(e), std::vector<Eigen::Vector2f>>);
    REQUIRE(e.size() == 4);
    CHECK(e[2].x() == 3.0f);

    std::vector<std::array<double, 2>> av = {{0, 0}, {1, 0.01}, {2, 0}, {3, 5}, {4, 0}};
    auto a = vecta::douglas_peucker(av, {.epsilon = 0.1});
    static_assert(std::is_same_v<decltype(a), std::vector<std::array<double, 2>>>);
    CHECK(a.size() == 4);

    std::vector<fpt> sv = {{0, 0, 10}, {1, 0.01f, 11}, {2, 0, 12}, {3, 5, 13}, {4, 0, 14}};
    auto s = vecta::douglas_peucker(std::span<const fpt>(sv), {.epsilon = 0.1});
    REQUIRE(s.size() == 4);
    CHECK(s[0].tag == 10);
    CHECK(s[1].tag == 12);
    CHECK(s[2].tag == 13);
    CHECK(s[3].tag == 14);
    CHECK(vecta::douglas_peucker(vecta::par, sv, {.epsilon = 0.1}).size() == 4);
    CHECK(vecta::douglas_peucker_indices(vecta::seq, sv, {.epsilon = 0.1}) == std::vector<std::size_t>{0, 2, 3, 4});
    const std::array<vecta::point2<int>, 3> arr = {{{0, 0}, {1, 1}, {2, 0}}};
    CHECK(vecta::douglas_peucker(arr, {.epsilon = 0.5}).size() == 3);
}

namespace {

// 3-D reference: |u x (p - a)| / |u|, recursion, first maximum.
using p3 = std::array<double, 3>;
double ref_dist3(const p3& p, const p3& a, const p3& b) {
    const double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
    const double X = p[0] - a[0], Y = p[1] - a[1], Z = p[2] - a[2];
    const double len = std::sqrt(ux * ux + uy * uy + uz * uz);
    if (len == 0) return std::sqrt(X * X + Y * Y + Z * Z);
    const double cx = uy * Z - uz * Y, cy = uz * X - ux * Z, cz = ux * Y - uy * X;
    return std::sqrt(cx * cx + cy * cy + cz * cz) / len;
}
void ref_rec3(const std::vector<p3>& p, std::size_t a, std::size_t b, double eps, std::vector<bool>& keep) {
    if (b <= a + 1) return;
    double best = -1;
    std::size_t at = a;
    for (std::size_t i = a + 1; i < b; ++i)
        if (const double d = ref_dist3(p[i], p[a], p[b]); d > best) {
            best = d;
            at = i;
        }
    if (best > eps) {
        keep[at] = true;
        ref_rec3(p, a, at, eps, keep);
        ref_rec3(p, at, b, eps, keep);
    }
}

/// Noisy polylines of the kinds the pruning must handle: a straight line with uniform noise
/// (the plain algorithm's worst case), a random walk, a sine with Gaussian-like noise, and
/// integer lattices with many exactly tied distances.
std::vector<pt> noisy(int kind, std::size_t n, std::mt19937_64& rng) {
    std::vector<pt> p(n);
    double x = 0, y = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i);
        switch (kind) {
            case 0: p[i] = {t, uniform(rng, -2, 2)}; break;
            case 1: p[i] = {x += uniform(rng, -1.7, 1.7), y += uniform(rng, -1.7, 1.7)}; break;
            case 2: p[i] = {t * 0.01, 50 * std::sin(t * 0.001) + uniform(rng, -1.5, 1.5)}; break;
            case 3: p[i] = {static_cast<double>(i % 997), static_cast<double>((i / 997) % 3)}; break;
            default: p[i] = {std::round(x += uniform(rng, -2, 2)), std::round(y += uniform(rng, -2, 2))}; break;
        }
    }
    return p;
}

}  // namespace

TEST_CASE("douglas_peucker: long noisy polylines (box pruning) equal the recursive reference at every SIMD level") {
    std::mt19937_64 rng(99);
    for (int kind = 0; kind < 5; ++kind) {
        const std::size_t n = kind == 0 ? 20000 : 60000;
        const auto p = noisy(kind, n, rng);
        for (double eps : {0.0, 0.5, 1.0, 2.0}) {
            for (bool closed : {false, true}) {
                CAPTURE(kind);
                CAPTURE(eps);
                CAPTURE(closed);
                const auto expected = reference(p, eps, closed);
                CHECK(vecta::douglas_peucker_indices(p, {.epsilon = eps, .closed = closed}) == expected);
                CHECK(vecta::douglas_peucker_indices(vecta::seq | vecta::simd::scalar, p,
                                                     {.epsilon = eps, .closed = closed}) == expected);
                // The run-time levels below the best one (capped at what the CPU has).
                using vecta::simd::level;
                CHECK(vecta::douglas_peucker_indices(vecta::seq | vecta::simd::fixed<level::sse2>, p,
                                                     {.epsilon = eps, .closed = closed}) == expected);
                CHECK(vecta::douglas_peucker_indices(vecta::seq | vecta::simd::fixed<level::avx2>, p,
                                                     {.epsilon = eps, .closed = closed}) == expected);
            }
        }
    }
}

TEST_CASE("douglas_peucker: float coordinates are read exactly (as double)") {
    std::mt19937_64 rng(5);
    std::vector<vecta::point2f> f;
    std::vector<pt> d;
    for (int i = 0; i < 5000; ++i) {
        const auto x = static_cast<float>(i) * 0.25f, y = static_cast<float>(uniform(rng, -1, 1));
        f.push_back({x, y});
        d.push_back({x, y});
    }
    for (double eps : {0.25, 0.5, 1.0})
        CHECK(vecta::douglas_peucker_indices(f, {.epsilon = eps}) == reference(d, eps, false));
    const auto kept = vecta::douglas_peucker(f, {.epsilon = 0.5});
    static_assert(std::is_same_v<decltype(kept), const std::vector<vecta::point2f>>);
}

TEST_CASE("douglas_peucker: 3-D points are measured in space") {
    // A helix seen from above is a circle; its z matters for the distance.
    std::vector<p3> helix;
    for (int i = 0; i < 200; ++i) {
        const double t = i * 0.1;
        helix.push_back({10 * std::cos(t), 10 * std::sin(t), 2 * t});
    }
    // A line along z with a bump in z only: 2-D distances would be 0.
    std::vector<p3> zline = {{0, 0, 0}, {0.001, 0, 1}, {0.002, 0, 2}, {1, 0, 3}};
    CHECK(vecta::douglas_peucker_indices(zline, {.epsilon = 0.1}) == std::vector<std::size_t>{0, 2, 3});
    std::mt19937_64 rng(3);
    std::vector<p3> walk(30000);
    double x = 0, y = 0, z = 0;
    for (auto& q : walk) q = {x += uniform(rng, -1, 1), y += uniform(rng, -1, 1), z += uniform(rng, -1, 1)};
    std::vector<p3> line(30000);
    for (std::size_t i = 0; i < line.size(); ++i)
        line[i] = {static_cast<double>(i), uniform(rng, -1, 1), uniform(rng, -1, 1)};
    for (const auto* poly : {&helix, &walk, &line})
        for (double eps : {0.0, 0.5, 1.5}) {
            CAPTURE(eps);
            std::vector<bool> keep(poly->size(), false);
            keep.front() = keep.back() = true;
            ref_rec3(*poly, 0, poly->size() - 1, eps, keep);
            std::vector<std::size_t> expected;
            for (std::size_t i = 0; i < keep.size(); ++i)
                if (keep[i]) expected.push_back(i);
            CHECK(vecta::douglas_peucker_indices(*poly, {.epsilon = eps}) == expected);
        }
    // Types with members x, y, z and Eigen 3-vectors are 3-D too; Eigen 2-vectors stay 2-D.
    struct xyz {
        float x, y, z;
    };
    std::vector<xyz> s = {{0, 0, 0}, {0, 0, 5}, {0, 0, 10}, {1, 0, 0}};
    CHECK(vecta::douglas_peucker(std::span<const xyz>(s), {.epsilon = 0.5}).size() == 3);
    std::vector<Eigen::Vector3d> e3 = {{0, 0, 0}, {1, 0, 3}, {2, 0, 0}};
    CHECK(vecta::douglas_peucker(e3, {.epsilon = 1.0}).size() == 3);
    std::vector<Eigen::Vector2d> e2 = {{0, 0}, {1, 0.5}, {2, 0}};
    CHECK(vecta::douglas_peucker(e2, {.epsilon = 1.0}).size() == 2);
}

TEST_CASE("douglas_peucker rejects bad input with the argument's name") {
    std::vector<pt> p = {{0, 0}, {1, 1}, {2, 0}};
    CHECK_THROWS_WITH_AS(vecta::douglas_peucker(p, {.epsilon = -1.0}), doctest::Contains("epsilon"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::douglas_peucker(p, {.epsilon = std::nan("")}), doctest::Contains("epsilon"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::douglas_peucker_indices(p, {.epsilon = -0.5, .closed = true}),
                         doctest::Contains("epsilon"), vecta::invalid_argument);
    p[1].y = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(vecta::douglas_peucker(p, {.epsilon = 1.0}), doctest::Contains("points"),
                         vecta::invalid_argument);
    p[1].y = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(vecta::douglas_peucker_indices(p, {.epsilon = 1.0}), doctest::Contains("points"),
                         vecta::invalid_argument);
    std::vector<pt> none;
    CHECK_THROWS_AS(vecta::douglas_peucker(none, {.epsilon = -1.0}), vecta::invalid_argument);
}

}  // namespace dp_test
