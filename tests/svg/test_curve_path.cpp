// SPDX-License-Identifier: MIT
// vecta::svg::append_lattice_polygon and append_closed_curve against the path data written by
// hand with path_builder's own commands (the expected drawing, worked out on paper).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vecta/core/error.hpp>
#include <vecta/svg/curve_path.hpp>
#include <vector>

namespace {
vecta::curve_segment corner(double vx, double vy, double ex, double ey) {
    vecta::curve_segment s;
    s.type = vecta::curve_segment::kind::corner;
    s.vertex = {vx, vy};
    s.end = {ex, ey};
    return s;
}
vecta::curve_segment bezier(double x1, double y1, double x2, double y2, double ex, double ey) {
    vecta::curve_segment s;
    s.type = vecta::curve_segment::kind::bezier;
    s.c1 = {x1, y1};
    s.c2 = {x2, y2};
    s.end = {ex, ey};
    return s;
}
}  // namespace

TEST_CASE("append_lattice_polygon: points passed straight through are dropped, coordinates divided") {
    const std::vector<vecta::point2<int>> ring{{0, 0}, {2, 0}, {4, 0}, {4, 3}, {0, 3}, {0, 1}};
    vecta::svg::path_builder got(1), want(1);
    vecta::svg::append_lattice_polygon(got, ring);
    want.move_to(0, 0);
    want.line_to(4, 0);
    want.line_to(4, 3);
    want.line_to(0, 3);
    want.close();
    CHECK(got.str() == want.str());
    CHECK(got.str() == "m0 0h4v3h-4z");
    vecta::svg::path_builder half(2);
    vecta::svg::append_lattice_polygon(half, ring, 2.0);  // a polygon traced at 2x
    CHECK(half.str() == "m0 0h2v1.5h-2z");
}

TEST_CASE("append_closed_curve: starts at the first corner's vertex, merges collinear lines, writes cubics") {
    // A square (0,0)-(4,4) whose bottom side is a cubic bulging down, drawn from (4,4) to (0,4);
    // the right side is split into two collinear corners.
    vecta::closed_curve c;
    c.segments = {corner(4, 0, 4, 2),  // from (0,0): to the vertex (4,0), then to (4,2)
                  corner(4, 3, 4, 4),  // collinear with the previous line: merged
                  bezier(3, 5, 1, 5, 0, 4), corner(0, 0, 2, 0)};
    vecta::svg::path_builder got(1), want(1);
    vecta::svg::append_closed_curve(got, c);
    // First corner is segment 0: start at its vertex (4,0).
    want.move_to(4, 0);
    want.line_to(4, 4);  // (4,2), (4,3) merged away
    want.cubic_to(3, 5, 1, 5, 0, 4);
    want.line_to(0, 0);
    want.close();  // back to (4,0) through (2,0): collinear with the closing edge, dropped
    CHECK(got.str() == want.str());

    vecta::closed_curve smooth;  // no corner: starts at the end of the last segment
    smooth.segments = {bezier(1, -1, 3, -1, 4, 0), bezier(3, 1, 1, 1, 0, 0)};
    vecta::svg::path_builder s(1), ws(1);
    vecta::svg::append_closed_curve(s, smooth, 2.0);
    ws.move_to(0, 0);
    ws.cubic_to(0.5, -0.5, 1.5, -0.5, 2, 0);
    ws.cubic_to(1.5, 0.5, 0.5, 0.5, 0, 0);
    ws.close();
    CHECK(s.str() == ws.str());
}

TEST_CASE("curve_path rejects bad input by argument name") {
    vecta::svg::path_builder b(1);
    const std::vector<vecta::point2<int>> empty, ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    CHECK_THROWS_WITH_AS(vecta::svg::append_lattice_polygon(b, empty), doctest::Contains("ring"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::append_lattice_polygon(b, ring, 0.0), doctest::Contains("pixels_per_unit"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::append_closed_curve(b, vecta::closed_curve{}), doctest::Contains("curve"),
                         vecta::invalid_argument);
    vecta::closed_curve c;
    c.segments = {corner(1, 0, 0, 0)};
    CHECK_THROWS_WITH_AS(vecta::svg::append_closed_curve(b, c, std::numeric_limits<double>::infinity()),
                         doctest::Contains("pixels_per_unit"), vecta::invalid_argument);
}
