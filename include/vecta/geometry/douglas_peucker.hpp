// vecta/geometry/douglas_peucker.hpp - Ramer-Douglas-Peucker polyline simplification.
//
// Works on any point type that vecta::point_like accepts (plain structs with x/y, Eigen
// vectors, std::array<T, 2>, std::pair). Distances are measured in the x-y plane in double
// precision; a third coordinate (std::array<T, 3>) is ignored for the distances and copied
// through with its point.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/point.hpp"
#include "point_range.hpp"

namespace vecta {

namespace detail {

/// Distance from p to the line through a and b, or to a when a == b.
inline double dp_distance(double px, double py, double ax, double ay, double bx, double by) noexcept {
    const double dx = bx - ax, dy = by - ay;
    const double len = std::hypot(dx, dy);
    if (len == 0.0) return std::hypot(px - ax, py - ay);
    return std::abs(dx * (py - ay) - dy * (px - ax)) / len;
}

/// Marks keep[i] for the points of (first, last) that RDP keeps (first and last themselves are
/// not touched). Point i is read as pts(i) -> pair of doubles. Iterative, explicit stack.
template <class Get>
void dp_span(const Get& pts, std::size_t first, std::size_t last, double epsilon, std::vector<char>& keep,
             std::vector<std::pair<std::size_t, std::size_t>>& stack) {
    stack.clear();
    stack.emplace_back(first, last);
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        if (b <= a + 1) continue;
        const auto [ax, ay] = pts(a);
        const auto [bx, by] = pts(b);
        double dmax = -1.0;
        std::size_t imax = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const auto [px, py] = pts(i);
            const double d = dp_distance(px, py, ax, ay, bx, by);
            if (d > dmax) {
                dmax = d;
                imax = i;
            }
        }
        if (dmax > epsilon) {
            keep[imax] = 1;
            stack.emplace_back(imax, b);
            stack.emplace_back(a, imax);
        }
    }
}

template <point_like P>
std::vector<std::size_t> dp_indices(std::span<const P> points, double epsilon, bool closed, std::string_view fn) {
    detail::require(!std::isnan(epsilon) && epsilon >= 0.0, fn, "epsilon", "must be >= 0 and not NaN");
    for (const P& p : points)
        detail::require(std::isfinite(get_x(p)) && std::isfinite(get_y(p)), fn, "points",
                        "must have finite coordinates (no NaN or infinity)");
    const std::size_t n = points.size();
    std::vector<std::size_t> out;
    if (n <= 2) {
        for (std::size_t i = 0; i < n; ++i) out.push_back(i);
        return out;
    }
    std::vector<char> keep(n, 0);
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    keep[0] = 1;
    if (!closed) {
        keep[n - 1] = 1;
        auto get = [&](std::size_t i) { return std::pair{get_x(points[i]), get_y(points[i])}; };
        dp_span(get, 0, n - 1, epsilon, keep, stack);
    } else {
        // Split the ring at point 0 and the point farthest from it (first maximum).
        const double x0 = get_x(points[0]), y0 = get_y(points[0]);
        double dmax = -1.0;
        std::size_t k = 1;
        for (std::size_t i = 1; i < n; ++i) {
            const double d = std::hypot(get_x(points[i]) - x0, get_y(points[i]) - y0);
            if (d > dmax) {
                dmax = d;
                k = i;
            }
        }
        keep[k] = 1;
        // Ring index n stands for point 0 again.
        auto get = [&](std::size_t i) {
            const P& p = points[i == n ? 0 : i];
            return std::pair{get_x(p), get_y(p)};
        };
        std::vector<char> keep_ring(n + 1, 0);
        dp_span(get, 0, k, epsilon, keep_ring, stack);
        dp_span(get, k, n, epsilon, keep_ring, stack);
        for (std::size_t i = 1; i < n; ++i) keep[i] = keep[i] | keep_ring[i];
    }
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) out.push_back(i);
    return out;
}

}  // namespace detail

/// Ramer-Douglas-Peucker simplification (U. Ramer 1972; D. Douglas, T. Peucker 1973): the
/// indices, ascending, of the points kept. Within a span, the point farthest from the chord is
/// kept when its distance exceeds epsilon (strictly), and both halves are simplified in turn;
/// the first and last points are always kept. The distance to the chord is the perpendicular
/// distance to the chord's line, or the distance to its endpoint when the chord is degenerate
/// (first == last). Ties go to the lowest index.
///
/// closed: the points form a ring (first point not repeated at the end); the ring is split at
/// point 0 and the point farthest from it (both kept), and both halves are simplified. An empty
/// input returns an empty result; 1 or 2 points are returned unchanged.
/// Units: those of the points. Complexity: O(n log n) typical, O(n^2) worst case; an explicit
/// stack, so no recursion depth limit.
/// Throws vecta::invalid_argument if epsilon is negative or NaN, or a coordinate is NaN or
/// infinite ("points").
template <point_like P>
std::vector<std::size_t> douglas_peucker_indices(std::span<const P> points, double epsilon, bool closed = false) {
    return detail::dp_indices(points, epsilon, closed, "vecta::douglas_peucker_indices");
}

/// douglas_peucker_indices over a contiguous range of points (std::vector<P>, std::array, ...).
template <detail::point_range R>
std::vector<std::size_t> douglas_peucker_indices(const R& points, double epsilon, bool closed = false) {
    return douglas_peucker_indices(detail::as_point_span(points), epsilon, closed);
}

/// Ramer-Douglas-Peucker simplification: copies of the kept points, in input order, of the
/// input's type (see douglas_peucker_indices for the rule, ring handling and errors). For a
/// closed ring the result is again a ring starting at point 0, not repeated at the end.
template <point_like P>
std::vector<P> douglas_peucker(std::span<const P> points, double epsilon, bool closed = false) {
    const auto idx = detail::dp_indices(points, epsilon, closed, "vecta::douglas_peucker");
    std::vector<P> out;
    out.reserve(idx.size());
    for (std::size_t i : idx) out.push_back(points[i]);
    return out;
}

/// douglas_peucker over a contiguous range of points (std::vector<P>, std::array, ...).
template <detail::point_range R>
std::vector<detail::point_range_value<R>> douglas_peucker(const R& points, double epsilon, bool closed = false) {
    return douglas_peucker(detail::as_point_span(points), epsilon, closed);
}

/// The policy overloads: accepted for a uniform call shape; the simplification is sequential.
template <execution_policy Policy, point_like P>
std::vector<P> douglas_peucker(const Policy&, std::span<const P> points, double epsilon, bool closed = false) {
    return douglas_peucker(points, epsilon, closed);
}
template <execution_policy Policy, detail::point_range R>
std::vector<detail::point_range_value<R>> douglas_peucker(const Policy&, const R& points, double epsilon,
                                                          bool closed = false) {
    return douglas_peucker(detail::as_point_span(points), epsilon, closed);
}
template <execution_policy Policy, point_like P>
std::vector<std::size_t> douglas_peucker_indices(const Policy&, std::span<const P> points, double epsilon,
                                                 bool closed = false) {
    return douglas_peucker_indices(points, epsilon, closed);
}
template <execution_policy Policy, detail::point_range R>
std::vector<std::size_t> douglas_peucker_indices(const Policy&, const R& points, double epsilon, bool closed = false) {
    return douglas_peucker_indices(detail::as_point_span(points), epsilon, closed);
}

}  // namespace vecta
