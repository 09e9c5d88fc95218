// SPDX-License-Identifier: MIT
// vecta/svg/curve_path.hpp - closed curves and lattice polygons as SVG path data.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "../core/error.hpp"
#include "../core/point.hpp"
#include "../geometry/closed_curve.hpp"
#include "path_builder.hpp"

namespace vecta {
namespace detail {

/// True when b lies on the segment from a to c, strictly between them (collinear and in order).
inline bool svg_passes_straight(point2d a, point2d b, point2d c) noexcept {
    const double cr = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    const double dt = (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y);
    return std::abs(cr) <= 1e-9 * (1 + std::abs(dt)) && dt > 0;
}

}  // namespace detail

namespace svg {

// The append functions write into any Sink with path_builder's move_to, line_to, cubic_to and
// close: svg::path_builder (path data) or vecta::vector_path (geometry/vector_paths.hpp).

/// Appends a closed lattice polygon (a ring of integer points, first point not repeated, e.g.
/// vecta::crack_outline's or region::outline) as one closed subpath: move to the first point,
/// a line to every later point that is a turn (points passed straight through are dropped),
/// close. Coordinates are divided by `pixels_per_unit` (a polygon traced on a k-times upsampled
/// grid is written in input pixels with k).
/// Shapes: ring of n >= 1 points. O(n).
/// Throws vecta::invalid_argument ("ring") if it is empty, ("pixels_per_unit") unless finite > 0.
template <class Sink = path_builder>
void append_lattice_polygon(Sink& b, std::span<const point2<int>> ring, double pixels_per_unit = 1) {
    constexpr std::string_view fn = "vecta::svg::append_lattice_polygon";
    vecta::detail::require(!ring.empty(), fn, "ring", "must not be empty");
    vecta::detail::require(pixels_per_unit > 0 && std::isfinite(pixels_per_unit), fn, "pixels_per_unit",
                           "must be a finite number > 0");
    const double k = pixels_per_unit;
    const std::size_t n = ring.size();
    b.move_to(ring[0].x / k, ring[0].y / k);
    for (std::size_t i = 1; i < n; ++i) {
        const auto a = ring[i - 1], p = ring[i], c = ring[(i + 1) % n];
        if (std::int64_t(p.x - a.x) * (c.y - p.y) == std::int64_t(p.y - a.y) * (c.x - p.x) &&
            std::int64_t(p.x - a.x) * (c.x - p.x) + std::int64_t(p.y - a.y) * (c.y - p.y) > 0)
            continue;  // not a turn
        b.line_to(p.x / k, p.y / k);
    }
    b.close();
}

/// Appends a vecta::closed_curve as one closed subpath. It starts at the vertex of the first
/// corner (so a polygon needs no extra point), or at the end of the last segment when there is
/// no corner; corners are lines start -> vertex -> end, Bezier segments cubics; runs of
/// collinear lines are merged into one. Coordinates are divided by `pixels_per_unit`.
/// Shapes: curve with m >= 1 segments. O(m).
/// Throws vecta::invalid_argument ("curve") if it has no segment, ("pixels_per_unit") unless
/// finite > 0; path_builder throws for non-finite coordinates.
template <class Sink = path_builder>
void append_closed_curve(Sink& b, const closed_curve& curve, double pixels_per_unit = 1) {
    constexpr std::string_view fn = "vecta::svg::append_closed_curve";
    const std::vector<curve_segment>& segs = curve.segments;
    vecta::detail::require(!segs.empty(), fn, "curve", "must have at least one segment");
    vecta::detail::require(pixels_per_unit > 0 && std::isfinite(pixels_per_unit), fn, "pixels_per_unit",
                           "must be a finite number > 0");
    const double k = pixels_per_unit;
    using kind = curve_segment::kind;
    const std::size_t m = segs.size();
    std::size_t j = m;  // first corner
    for (std::size_t i = 0; i < m && j == m; ++i)
        if (segs[i].type == kind::corner) j = i;
    std::vector<point2d> line;  // pending polyline (its last point is the current point)
    auto flush = [&] {
        for (std::size_t i = 1; i < line.size(); ++i) {
            if (i + 1 < line.size() && vecta::detail::svg_passes_straight(line[i - 1], line[i], line[i + 1])) {
                line[i] = line[i - 1];  // drop the middle point of three collinear ones
                continue;
            }
            b.line_to(line[i].x / k, line[i].y / k);
        }
        const point2d last = line.back();
        line.assign(1, last);
    };
    point2d start;
    std::size_t first;
    if (j < m) {
        start = segs[j].vertex;
        first = j;
        line = {start, segs[j].end};
    } else {
        start = segs[m - 1].end;
        first = m - 1;  // the loop starts with segment 0
        line = {start};
    }
    b.move_to(start.x / k, start.y / k);
    for (std::size_t n = 0; n < m; ++n) {
        const std::size_t i = (first + 1 + n) % m;
        const curve_segment& s = segs[i];
        const bool last = n + 1 == m;
        if (j < m && last) break;  // the corner we started at: closing returns to its vertex
        if (s.type == kind::corner) {
            line.push_back(s.vertex);
            if (!(j == m && last)) line.push_back(s.end);
        } else {
            flush();
            b.cubic_to(s.c1.x / k, s.c1.y / k, s.c2.x / k, s.c2.y / k, s.end.x / k, s.end.y / k);
            line.assign(1, s.end);
        }
    }
    // The closing edge (z draws it): drop a last point collinear with the start.
    if (line.size() >= 2 && vecta::detail::svg_passes_straight(line[line.size() - 2], line.back(), start))
        line.pop_back();
    if (line.size() > 1) flush();
    b.close();
}

}  // namespace svg
}  // namespace vecta
