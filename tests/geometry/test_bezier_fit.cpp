// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vecta/geometry/bezier_fit.hpp>
#include <vecta/geometry/douglas_peucker.hpp>
#include <vecta/geometry/find_contours.hpp>
#include <vector>

#include "../test_arch.hpp"

namespace {

struct pt {
    double x, y;
};

constexpr double pi = 3.14159265358979323846;

double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Bernstein form, written independently of the library's evaluator.
pt eval(const vecta::cubic_bezier& c, double t) {
    const double w[4] = {std::pow(1 - t, 3), 3 * t * std::pow(1 - t, 2), 3 * t * t * (1 - t), t * t * t};
    return {w[0] * c.p0.x + w[1] * c.p1.x + w[2] * c.p2.x + w[3] * c.p3.x,
            w[0] * c.p0.y + w[1] * c.p1.y + w[2] * c.p2.y + w[3] * c.p3.y};
}

double dist(pt a, pt b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Distance from p to the curve: dense sampling, then golden-section refinement around the
/// best sample of each segment.
double curve_distance(const std::vector<vecta::cubic_bezier>& segs, pt p) {
    double best = std::numeric_limits<double>::infinity();
    constexpr int samples = 256;
    for (const auto& s : segs) {
        // The curve lies in its control points' bounding box: skip segments that cannot be closer.
        const double x0 = std::min({s.p0.x, s.p1.x, s.p2.x, s.p3.x}), x1 = std::max({s.p0.x, s.p1.x, s.p2.x, s.p3.x});
        const double y0 = std::min({s.p0.y, s.p1.y, s.p2.y, s.p3.y}), y1 = std::max({s.p0.y, s.p1.y, s.p2.y, s.p3.y});
        const double bx = std::max({x0 - p.x, 0.0, p.x - x1}), by = std::max({y0 - p.y, 0.0, p.y - y1});
        if (std::hypot(bx, by) >= best) continue;
        int bi = 0;
        double bd = std::numeric_limits<double>::infinity();
        for (int i = 0; i <= samples; ++i) {
            const double d = dist(eval(s, i / double(samples)), p);
            if (d < bd) {
                bd = d;
                bi = i;
            }
        }
        double lo = std::max(0.0, (bi - 1) / double(samples)), hi = std::min(1.0, (bi + 1) / double(samples));
        const double g = (std::sqrt(5.0) - 1) / 2;
        for (int it = 0; it < 60; ++it) {
            const double m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo);
            if (dist(eval(s, m1), p) < dist(eval(s, m2), p))
                hi = m2;
            else
                lo = m1;
        }
        best = std::min({best, bd, dist(eval(s, 0.5 * (lo + hi)), p)});
    }
    return best;
}

double max_distance(const std::vector<vecta::cubic_bezier>& segs, const std::vector<pt>& pts) {
    double worst = 0;
    for (const pt& p : pts) worst = std::max(worst, curve_distance(segs, p));
    return worst;
}

bool same(vecta::point2d a, vecta::point2d b) { return a.x == b.x && a.y == b.y; }

/// Segments are chained; for rings the last ends where the first starts.
void check_chain(const std::vector<vecta::cubic_bezier>& segs, bool closed) {
    REQUIRE_FALSE(segs.empty());
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) CHECK(same(segs[i].p3, segs[i + 1].p0));
    if (closed) CHECK(same(segs.back().p3, segs.front().p0));
}

/// Unit direction difference between the incoming and outgoing tangents at join i -> i+1.
double g1_gap(const vecta::cubic_bezier& a, const vecta::cubic_bezier& b) {
    const double ix = a.p3.x - a.p2.x, iy = a.p3.y - a.p2.y, ox = b.p1.x - b.p0.x, oy = b.p1.y - b.p0.y;
    const double il = std::hypot(ix, iy), ol = std::hypot(ox, oy);
    if (il == 0 || ol == 0) return 1e9;
    return std::hypot(ix / il - ox / ol, iy / il - oy / ol);
}

/// Turning angle (degrees) of the input at point q, found among pts (ring or open).
double turning_at(const std::vector<pt>& pts, vecta::point2d q, bool closed) {
    const std::size_t n = pts.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (pts[i].x != q.x || pts[i].y != q.y) continue;
        if (!closed && (i == 0 || i == n - 1)) return 180;
        const pt a = pts[(i + n - 1) % n], b = pts[i], c = pts[(i + 1) % n];
        const double d1x = b.x - a.x, d1y = b.y - a.y, d2x = c.x - b.x, d2y = c.y - b.y;
        const double cosang = (d1x * d2x + d1y * d2y) / (std::hypot(d1x, d1y) * std::hypot(d2x, d2y));
        return std::acos(std::clamp(cosang, -1.0, 1.0)) * 180 / pi;
    }
    return -1;  // not an input point
}

std::vector<pt> circle(double r, int n, double cx = 0, double cy = 0, double phase = 0) {
    std::vector<pt> p;
    for (int i = 0; i < n; ++i) {
        const double t = phase + 2 * pi * i / n;
        p.push_back({cx + r * std::cos(t), cy + r * std::sin(t)});
    }
    return p;
}

}  // namespace

TEST_CASE("bezier_fit: a sampled circle takes a few cubics within max_error, G1 everywhere") {
    for (int n : {24, 60, 200}) {
        CAPTURE(n);
        const auto pts = circle(50, n, 100, 80, 0.3);
        const auto segs = vecta::bezier_fit(pts, {.max_error = 0.5, .closed = true});
        check_chain(segs, true);
        CHECK(segs.size() <= 8);
        CHECK(max_distance(segs, pts) <= 0.5);
        for (std::size_t i = 0; i < segs.size(); ++i) CHECK(g1_gap(segs[i], segs[(i + 1) % segs.size()]) <= 1e-6);
        // Every segment stays near the circle between the points too.
        for (const auto& s : segs)
            for (int k = 0; k <= 50; ++k) {
                const pt q = eval(s, k / 50.0);
                CHECK(std::abs(std::hypot(q.x - 100, q.y - 80) - 50) < 1.0);
            }
    }
    // Open arc: a quarter circle is one cubic.
    auto arc = circle(50, 400);
    arc.resize(101);
    const auto one = vecta::bezier_fit(arc, {.max_error = 0.1});
    CHECK(one.size() == 1);
    CHECK(max_distance(one, arc) <= 0.1);
}

TEST_CASE("bezier_fit: a densely sampled circle of radius 100 is 4 cubics close to the closed-form quarter arcs") {
    // One cubic approximates a quarter circle with handles k r, k = 4 (sqrt 2 - 1) / 3, to within
    // 2.7e-4 r (0.027 px here), so 4 cubics fit within max_error = 0.5; fewer cannot (a
    // half circle by one cubic misses by about 2% of r).
    constexpr double kappa = 0.5522847498;
    for (int n : {200, 400}) {
        CAPTURE(n);
        const auto pts = circle(100, n, 0, 0, 0.3);
        const auto segs = vecta::bezier_fit(pts, {.max_error = 0.5, .closed = true});
        check_chain(segs, true);
        REQUIRE(segs.size() == 4);
        CHECK(max_distance(segs, pts) <= 0.5);
        for (std::size_t i = 0; i < 4; ++i) {
            CHECK(g1_gap(segs[i], segs[(i + 1) % 4]) <= 1e-6);
            // Pieces need not be quarters (the splits fall at worst points: 46 and 134 degrees
            // here), but each stays within 0.5 of the circle throughout.
            const auto& s = segs[i];
            const double a0 = std::atan2(s.p0.y, s.p0.x), a3 = std::atan2(s.p3.y, s.p3.x);
            double span = std::fmod(a3 - a0 + 4 * pi, 2 * pi) * 180 / pi;
            CHECK(span > 30);
            CHECK(span < 150);
            for (int k = 0; k <= 64; ++k) {
                const pt q = eval(s, k / 64.0);
                CHECK(std::abs(std::hypot(q.x, q.y) - 100) <= 0.5);
            }
            // Handles near the closed form k r tan(span / 4) / tan(22.5 deg).
            const double expect = kappa * 100 * std::tan(span * pi / 720) / std::tan(pi / 8);
            CHECK(std::abs(std::hypot(s.p1.x - s.p0.x, s.p1.y - s.p0.y) - expect) < 0.15 * expect);
        }
    }
}

TEST_CASE("bezier_fit: a square keeps its corners as segment endpoints") {
    std::vector<pt> sq;
    const pt corners[4] = {{0, 0}, {20, 0}, {20, 20}, {0, 20}};
    for (int side = 0; side < 4; ++side) {
        const pt a = corners[side], b = corners[(side + 1) % 4];
        for (int k = 0; k < 5; ++k) sq.push_back({a.x + (b.x - a.x) * k / 5, a.y + (b.y - a.y) * k / 5});
    }
    // Start the ring in the middle of a side: the fit starts at the first corner instead.
    std::rotate(sq.begin(), sq.begin() + 2, sq.end());
    const auto segs = vecta::bezier_fit(sq, {.closed = true});
    check_chain(segs, true);
    REQUIRE(segs.size() == 4);
    for (int i = 0; i < 4; ++i) {
        const pt c = corners[(i + 1) % 4];
        CHECK(segs[i].p0.x == c.x);
        CHECK(segs[i].p0.y == c.y);
        // Straight: the handles lie on the side.
        const auto& s = segs[i];
        const double cr1 = (s.p3.x - s.p0.x) * (s.p1.y - s.p0.y) - (s.p3.y - s.p0.y) * (s.p1.x - s.p0.x);
        const double cr2 = (s.p3.x - s.p0.x) * (s.p2.y - s.p0.y) - (s.p3.y - s.p0.y) * (s.p2.x - s.p0.x);
        CHECK(std::abs(cr1) < 1e-9);
        CHECK(std::abs(cr2) < 1e-9);
    }
    CHECK(max_distance(segs, sq) <= 0.5);

    // Only the 4 vertices: 2-point spans become straight cubics with handles at 1/3 and 2/3.
    std::vector<pt> four(corners, corners + 4);
    const auto s4 = vecta::bezier_fit(four, {.closed = true});
    REQUIRE(s4.size() == 4);
    for (int i = 0; i < 4; ++i) {
        const pt a = corners[i], b = corners[(i + 1) % 4];
        CHECK(s4[i].p0.x == a.x);
        CHECK(s4[i].p0.y == a.y);
        CHECK(s4[i].p1.x == doctest::Approx(a.x + (b.x - a.x) / 3));
        CHECK(s4[i].p1.y == doctest::Approx(a.y + (b.y - a.y) / 3));
        CHECK(s4[i].p2.x == doctest::Approx(a.x + 2 * (b.x - a.x) / 3));
        CHECK(s4[i].p2.y == doctest::Approx(a.y + 2 * (b.y - a.y) / 3));
    }
    // With corner_angle_deg = 180 nothing is a corner: the ring is fitted smoothly.
    const auto smooth = vecta::bezier_fit(sq, {.corner_angle_deg = 180, .closed = true});
    check_chain(smooth, true);
    CHECK(max_distance(smooth, sq) <= 0.5);
}

TEST_CASE("bezier_fit: a straight line is one segment; two points are a straight cubic") {
    std::vector<pt> line;
    for (int i = 0; i < 30; ++i) line.push_back({1.5 * i, 3.0 - 0.5 * i});
    const auto segs = vecta::bezier_fit(line);
    REQUIRE(segs.size() == 1);
    CHECK(same(segs[0].p0, {line.front().x, line.front().y}));
    CHECK(same(segs[0].p3, {line.back().x, line.back().y}));
    CHECK(max_distance(segs, line) <= 1e-9);

    std::vector<pt> two = {{1, 1}, {4, 7}};
    const auto s2 = vecta::bezier_fit(two);
    REQUIRE(s2.size() == 1);
    CHECK(s2[0].p1.x == doctest::Approx(2));
    CHECK(s2[0].p1.y == doctest::Approx(3));
    CHECK(s2[0].p2.x == doctest::Approx(3));
    CHECK(s2[0].p2.y == doctest::Approx(5));
}

TEST_CASE("bezier_fit: the error bound and G1 hold on random smooth curves") {
    std::mt19937_64 rng(99);
    for (int trial = 0; trial < 60; ++trial) {
        CAPTURE(trial);
        const bool closed = trial % 2 == 0;
        const double tol = uniform(rng, 0.1, 1.5);
        const int n = 20 + static_cast<int>(rng() % 200);
        // A random Fourier curve (ring) or a random smooth open curve.
        double ax[4], ay[4], px[4], py[4];
        for (int k = 0; k < 4; ++k) {
            ax[k] = uniform(rng, 5, 60) / (k + 1);
            ay[k] = uniform(rng, 5, 60) / (k + 1);
            px[k] = uniform(rng, 0, 2 * pi);
            py[k] = uniform(rng, 0, 2 * pi);
        }
        std::vector<pt> pts;
        double t = 0;
        for (int i = 0; i < n; ++i) {
            t += closed ? 2 * pi / n : uniform(rng, 0.2, 1.8) * 4.0 / n;
            double x = 0, y = 0;
            for (int k = 0; k < 4; ++k) {
                x += ax[k] * std::cos((k + 1) * t + px[k]);
                y += ay[k] * std::sin((k + 1) * t + py[k]);
            }
            pts.push_back({x, y});
        }
        const vecta::bezier_params params{.max_error = tol, .corner_angle_deg = 60, .closed = closed};
        const auto segs = vecta::bezier_fit(pts, params);
        check_chain(segs, closed);
        CHECK(max_distance(segs, pts) <= tol);
        // G1 at every join whose vertex is not a corner.
        const std::size_t joins = closed ? segs.size() : segs.size() - 1;
        for (std::size_t i = 0; i < joins; ++i) {
            const auto& a = segs[i];
            const auto& b = segs[(i + 1) % segs.size()];
            const double turn = turning_at(pts, a.p3, closed);
            REQUIRE(turn >= 0);
            if (turn <= 60) CHECK(g1_gap(a, b) <= 1e-6);
        }
        // Every corner vertex is a segment endpoint.
        for (std::size_t i = 0; i < pts.size(); ++i) {
            if (!closed && (i == 0 || i + 1 == pts.size())) continue;
            const vecta::point2d q{pts[i].x, pts[i].y};
            if (turning_at(pts, q, closed) > 60) {
                bool found = false;
                for (const auto& s : segs) found = found || same(s.p0, q);
                CHECK(found);
            }
        }
    }
}

TEST_CASE("bezier_fit: rough input (lattice walks with reversals, spikes) stays bounded and finite") {
    std::mt19937_64 rng(4242);
    for (int trial = 0; trial < 200; ++trial) {
        CAPTURE(trial);
        const bool closed = rng() % 2 == 0;
        const double tol = uniform(rng, 0.05, 2.0);
        const double corner = trial % 5 == 0 ? 180.0 : uniform(rng, 1.0, 180.0);
        const int n = 2 + static_cast<int>(rng() % 80);
        std::vector<pt> pts;
        int x = 0, y = 0;
        for (int i = 0; i < n; ++i) {
            pts.push_back({double(x), double(y)});
            x += static_cast<int>(rng() % 5) - 2;  // steps in [-2, 2]: duplicates and reversals
            y += static_cast<int>(rng() % 5) - 2;
        }
        std::vector<pt> distinct;  // the fit needs 2 distinct points
        for (const pt& p : pts)
            if (distinct.empty() || p.x != distinct.front().x || p.y != distinct.front().y) distinct.push_back(p);
        if (distinct.size() < 2) continue;
        const auto segs = vecta::bezier_fit(pts, {.max_error = tol, .corner_angle_deg = corner, .closed = closed});
        check_chain(segs, closed);
        for (const auto& s : segs)
            for (double v : {s.p1.x, s.p1.y, s.p2.x, s.p2.y}) CHECK(std::isfinite(v));
        CHECK(max_distance(segs, pts) <= tol);
    }
}

TEST_CASE("bezier_fit: a digitised disk's Douglas-Peucker outline is fitted within 1 px") {
    for (double r : {6.0, 12.5, 25.0}) {
        CAPTURE(r);
        const double cx = 31.3, cy = 30.6;
        vecta::image<std::uint8_t> im(64, 64);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x) im(x, y) = std::hypot(x - cx, y - cy) <= r ? 255 : 0;
        const auto cs = vecta::find_contours(im);
        REQUIRE(cs.size() == 1);
        const auto poly = vecta::douglas_peucker(cs[0].points, {.epsilon = 1.0, .closed = true});
        std::vector<pt> v;
        for (const auto& p : poly) v.push_back({double(p.x), double(p.y)});
        const auto segs = vecta::bezier_fit(poly, {.max_error = 1.0, .closed = true});
        check_chain(segs, true);
        CHECK(max_distance(segs, v) <= 1.0);
        CHECK(segs.size() <= v.size());
        // The curve follows the disk's boundary pixel centres (radius between r - 1 and r).
        for (const auto& s : segs)
            for (int k = 0; k <= 40; ++k) {
                const pt q = eval(s, k / 40.0);
                const double d = std::hypot(q.x - cx, q.y - cy);
                CHECK(d > r - 2.0);
                CHECK(d < r + 1.0);
            }
        // The same outline on the half-integer lattice of pixel corners.
        std::vector<pt> half;
        for (const pt& p : v) half.push_back({p.x + 0.5, p.y - 0.5});
        const auto hs = vecta::bezier_fit(half, {.max_error = 1.0, .closed = true});
        check_chain(hs, true);
        CHECK(max_distance(hs, half) <= 1.0);
    }
}

TEST_CASE("bezier_fit: a raw pixel staircase (dense 8-connected outline) needs few segments") {
    const double r = 100, cx = 110.3, cy = 109.8;
    vecta::image<std::uint8_t> im(224, 224);
    for (int y = 0; y < 224; ++y)
        for (int x = 0; x < 224; ++x) im(x, y) = std::hypot(x - cx, y - cy) <= r ? 1 : 0;
    const auto cs = vecta::find_contours(im);
    REQUIRE(cs.size() == 1);
    std::vector<pt> v;
    for (const auto& p : cs[0].points) v.push_back({double(p.x), double(p.y)});
    const auto segs = vecta::bezier_fit(cs[0].points, {.max_error = 1.0, .closed = true});
    check_chain(segs, true);
    CHECK(max_distance(segs, v) <= 1.0);
    // Tangents averaged over several staircase steps: a handful of cubics, not one per step.
    CHECK(segs.size() <= 12);
    for (std::size_t i = 0; i < segs.size(); ++i) CHECK(g1_gap(segs[i], segs[(i + 1) % segs.size()]) <= 1e-6);
}

TEST_CASE("bezier_fit ignores duplicate points and a repeated closing point") {
    const auto pts = circle(30, 40);
    std::vector<pt> dup;
    for (const pt& p : pts) {
        dup.push_back(p);
        dup.push_back(p);
    }
    dup.push_back(pts.front());
    const auto a = vecta::bezier_fit(pts, {.closed = true});
    const auto b = vecta::bezier_fit(dup, {.closed = true});
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(same(a[i].p0, b[i].p0));
        CHECK(same(a[i].p1, b[i].p1));
        CHECK(same(a[i].p2, b[i].p2));
        CHECK(same(a[i].p3, b[i].p3));
    }
    // Two distinct points as a ring: out and back.
    std::vector<pt> two = {{0, 0}, {5, 0}, {5, 0}};
    const auto t = vecta::bezier_fit(two, {.closed = true});
    check_chain(t, true);
    CHECK(t.size() == 2);
}

TEST_CASE("bezier_fit works on Eigen, std::array and integer points, with and without a policy") {
    std::vector<Eigen::Vector2f> ev;
    std::vector<std::array<double, 2>> av;
    for (const pt& p : circle(20, 30)) {
        ev.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
        av.push_back({p.x, p.y});
    }
    const auto e = vecta::bezier_fit(ev, {.closed = true});
    const auto a = vecta::bezier_fit(vecta::par, std::span<const std::array<double, 2>>(av), {.closed = true});
    check_chain(e, true);
    check_chain(a, true);
    const auto s = vecta::bezier_fit(vecta::seq, av, {.closed = true});
    CHECK(s.size() == a.size());
    // cubic_bezier::point_at agrees with the Bernstein form.
    for (double t : {0.0, 0.25, 0.6, 1.0}) {
        const auto q = a[0].point_at(t);
        const pt r = eval(a[0], t);
        CHECK(q.x == doctest::Approx(r.x));
        CHECK(q.y == doctest::Approx(r.y));
    }
}

TEST_CASE("bezier_fit: every run-time SIMD level gives the scalar path's segments bitwise") {
    // Smooth rings and open curves (the Newton rounds and merges of attempt()) and a long ring
    // (the dispatched square roots of the edge lengths, every tail size).
    std::mt19937_64 rng(515);
    for (int trial = 0; trial < 24; ++trial) {
        CAPTURE(trial);
        const bool closed = trial % 2 == 0;
        const int n = trial == 0 ? 2003 : 20 + static_cast<int>(rng() % 300);
        std::vector<pt> pts;
        const double a = uniform(rng, 50, 300), b = uniform(rng, 50, 300), w = uniform(rng, 3, 11);
        for (int i = 0; i < n; ++i) {
            const double t = (closed ? 2 * pi : 3.0) * i / n;
            pts.push_back({a * std::cos(t) + 0.1 * a * std::cos(w * t) + uniform(rng, -0.3, 0.3),
                           b * std::sin(t) + uniform(rng, -0.3, 0.3)});
        }
        const vecta::bezier_params params{.max_error = uniform(rng, 0.2, 1.5), .closed = closed};
        const auto ref = vecta::bezier_fit(vecta::seq | vecta::simd::scalar, pts, params);
        vecta::test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            const auto segs = vecta::bezier_fit(policy, pts, params);
            REQUIRE(segs.size() == ref.size());
            CHECK(std::memcmp(segs.data(), ref.data(), segs.size() * sizeof(segs[0])) == 0);
        });
        CHECK(max_distance(ref, pts) <= params.max_error);
    }
}

TEST_CASE("bezier_fit rejects bad input with the argument's name") {
    const auto pts = circle(10, 12);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(pts, {.max_error = 0}), doctest::Contains("max_error"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(pts, {.max_error = -1}), doctest::Contains("max_error"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(pts, {.max_error = std::nan("")}), doctest::Contains("max_error"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(pts, {.corner_angle_deg = 0}), doctest::Contains("corner_angle_deg"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(pts, {.corner_angle_deg = 180.5}), doctest::Contains("corner_angle_deg"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(pts, {.corner_angle_deg = std::nan("")}),
                         doctest::Contains("corner_angle_deg"), vecta::invalid_argument);
    auto bad = pts;
    bad[3].x = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(bad), doctest::Contains("points"), vecta::invalid_argument);
    bad[3].x = -std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(bad), doctest::Contains("points"), vecta::invalid_argument);
    std::vector<pt> none, one = {{1, 2}}, same3 = {{1, 2}, {1, 2}, {1, 2}};
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(none), doctest::Contains("points"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(one), doctest::Contains("points"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::bezier_fit(same3, {.closed = true}), doctest::Contains("points"),
                         vecta::invalid_argument);
}
