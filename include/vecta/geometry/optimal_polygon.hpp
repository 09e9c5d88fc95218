// SPDX-License-Identifier: MIT
// vecta/geometry/optimal_polygon.hpp - the optimal polygon of a closed lattice outline.
//
// Written from P. Selinger, "Potrace: a polygon-based tracing algorithm" (2003), section 2.2
// (straight paths, possible segments, penalty, optimal polygon), with data structures of our
// own: the outline as unit-step lattice points, per-point direction codes and run ends, and
// prefix sums of x, y, x^2, xy, y^2 in wrapping 64-bit arithmetic (exact for every window whose
// true moment fits in 64 bits, whatever the magnitude of the running total).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <span>
#include <vector>

#include "../core/error.hpp"
#include "../core/point.hpp"

namespace vecta {
namespace detail::outline_trace {

/// A closed outline as unit steps on the pixel-corner lattice (Selinger 2003, section 2.1: a
/// path). Points are stored twice over (index k and k + n hold the same point) so that any
/// cyclic window of fewer than n steps is a plain index range.
struct lattice_path {
    std::size_t n = 0;                  ///< points (= unit steps) of the closed outline
    std::vector<std::int32_t> x, y;     ///< 2n points, relative to the first outline vertex
    std::vector<std::uint8_t> dir;      ///< n step directions: 0 +x, 1 +y, 2 -x, 3 -y
    std::vector<std::int32_t> run_end;  ///< n: last point of the straight run that starts with step k (> k)
    /// 2n + 1 prefix sums of x, y, x*x, x*y, y*y (wrapping uint64: differences are exact).
    std::vector<std::uint64_t> sx, sy, sxx, sxy, syy;
    std::int32_t origin_x = 0, origin_y = 0;  ///< the first outline vertex (absolute)
};

/// Validates a closed rectilinear outline and expands it to unit steps.
/// Throws vecta::invalid_argument naming "outline" for fewer than 4 vertices, a step that is
/// not axis-parallel (including the closing step), a zero-length step, or more than 2^30 steps.
inline void expand_outline(std::span<const point2<int>> outline, const char* fn, lattice_path& p) {
    std::size_t count = outline.size();
    if (count >= 2 && outline[count - 1] == outline[0]) --count;  // an explicitly closed ring
    require(count >= 4, fn, "outline", "must have at least 4 vertices");
    std::int64_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const point2<int> a = outline[i], b = outline[(i + 1) % count];
        const std::int64_t dx = std::int64_t(b.x) - a.x, dy = std::int64_t(b.y) - a.y;
        require((dx == 0) != (dy == 0), fn, "outline",
                "must be closed and rectilinear: consecutive vertices (and last -> first) differ along exactly one axis");
        total += dx < 0 ? -dx : dx;
        total += dy < 0 ? -dy : dy;
        require(total <= (std::int64_t(1) << 30), fn, "outline", "must have at most 2^30 unit steps");
    }
    const std::size_t n = std::size_t(total);
    p.n = n;
    p.origin_x = outline[0].x;
    p.origin_y = outline[0].y;
    p.x.resize(2 * n);
    p.y.resize(2 * n);
    p.dir.resize(n);
    p.run_end.resize(n);
    std::size_t k = 0;
    std::int64_t cx = 0, cy = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const point2<int> a = outline[i], b = outline[(i + 1) % count];
        const std::int64_t dx = std::int64_t(b.x) - a.x, dy = std::int64_t(b.y) - a.y;
        const std::uint8_t d = dx > 0 ? 0 : dy > 0 ? 1 : dx < 0 ? 2 : 3;
        const std::int64_t len = dx != 0 ? (dx < 0 ? -dx : dx) : (dy < 0 ? -dy : dy);
        const int sx = dx > 0 ? 1 : dx < 0 ? -1 : 0, sy = dy > 0 ? 1 : dy < 0 ? -1 : 0;
        for (std::int64_t s = 0; s < len; ++s, ++k) {
            p.x[k] = std::int32_t(cx);  // |cx|, |cy| <= 2^29: relative to the first vertex
            p.y[k] = std::int32_t(cy);
            p.dir[k] = d;
            cx += sx;
            cy += sy;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        p.x[n + i] = p.x[i];
        p.y[n + i] = p.y[i];
    }
    // Runs: scanning backwards twice around the ring gives every step its run's last point.
    bool one_direction = true;
    for (std::size_t i = 1; i < n; ++i) one_direction = one_direction && p.dir[i] == p.dir[0];
    if (one_direction) {  // only a degenerate ring (spike) has one direction: never, but stay defined
        for (std::size_t i = 0; i < n; ++i) p.run_end[i] = std::int32_t(i + n);
    } else {
        std::int64_t end = -1;
        for (std::size_t t = 2 * n; t-- > 0;) {
            const std::size_t i = t % n, next = (t + 1) % n;
            if (t + 1 == 2 * n || p.dir[next] != p.dir[i]) end = std::int64_t(t) + 1;
            if (t < n) p.run_end[i] = std::int32_t(end);
        }
    }
    auto prefix = [&](std::vector<std::uint64_t>& s, auto term) {
        s.resize(2 * n + 1);
        s[0] = 0;
        for (std::size_t i = 0; i < 2 * n; ++i) s[i + 1] = s[i] + term(i);
    };
    auto ux = [&](std::size_t i) { return std::uint64_t(std::int64_t(p.x[i])); };
    auto uy = [&](std::size_t i) { return std::uint64_t(std::int64_t(p.y[i])); };
    prefix(p.sx, ux);
    prefix(p.sy, uy);
    prefix(p.sxx, [&](std::size_t i) { return ux(i) * ux(i); });
    prefix(p.sxy, [&](std::size_t i) { return ux(i) * uy(i); });
    prefix(p.syy, [&](std::size_t i) { return uy(i) * uy(i); });
}

/// Moments of points i..j (i <= j < 2n) about point a = (ax, ay): count, sums of dx, dy,
/// dx^2, dx dy, dy^2. Exact in wrapping arithmetic when the true values fit in 64 bits.
struct moments {
    double count, x, y, xx, xy, yy;
};
inline moments window_moments(const lattice_path& p, std::size_t i, std::size_t j, std::int64_t ax,
                              std::int64_t ay) noexcept {
    const std::uint64_t c = j - i + 1, uax = std::uint64_t(ax), uay = std::uint64_t(ay);
    const std::uint64_t sx = p.sx[j + 1] - p.sx[i], sy = p.sy[j + 1] - p.sy[i];
    const std::uint64_t xx = (p.sxx[j + 1] - p.sxx[i]) - 2 * uax * sx + c * uax * uax;
    const std::uint64_t yy = (p.syy[j + 1] - p.syy[i]) - 2 * uay * sy + c * uay * uay;
    const std::uint64_t xy = (p.sxy[j + 1] - p.sxy[i]) - uax * sy - uay * sx + c * uax * uay;
    return {double(c), double(std::int64_t(sx - c * uax)), double(std::int64_t(sy - c * uay)),
            double(std::int64_t(xx)), double(std::int64_t(xy)), double(std::int64_t(yy))};
}

/// Penalty of the polygon edge p_i -> p_j (Selinger 2003, section 2.2.3): the edge's length
/// times the root mean square Euclidean distance of the path points p_i..p_j from the line
/// through p_i and p_j, which equals sqrt(sum of cross(p_j - p_i, p_k - p_i)^2 / count).
inline double edge_penalty(const lattice_path& p, std::size_t i, std::size_t j) noexcept {
    const std::int64_t ax = p.x[i], ay = p.y[i];
    const double ux = double(p.x[j] - ax), uy = double(p.y[j] - ay);
    const moments m = window_moments(p, i, j, ax, ay);
    const double s = ux * ux * m.yy - 2 * ux * uy * m.xy + uy * uy * m.xx;
    return std::sqrt(std::max(s, 0.0) / m.count);
}

struct vec2l {
    std::int64_t x, y;
};
inline std::int64_t cross(vec2l a, vec2l b) noexcept { return a.x * b.y - a.y * b.x; }

/// The directions (from the anchor, in doubled coordinates) of the lines through the anchor
/// that meet the closed unit square (half side 1 when doubled) centred at offset q, the anchor
/// strictly outside it, form a cone [right, left] of less than 90 degrees, and its opposite.
/// Its edges pass through the two corners of the square that are angularly extreme as seen
/// from the anchor.
inline void square_cone(vec2l q, vec2l& right, vec2l& left) noexcept {
    // Rotate q by quarter turns into x > 0, y >= 0, where the extremes are known.
    int turns = 0;  // quarter turns counter-clockwise applied to q
    vec2l c = q;
    while (!(c.x > 0 && c.y >= 0)) {
        c = {-c.y, c.x};
        ++turns;
    }
    vec2l r, l;
    if (c.y == 0) {
        r = {c.x - 1, -1};
        l = {c.x - 1, 1};
    } else if (c.x == 1) {  // the square straddles the y axis: its near corners are on it
        r = {c.x + 1, c.y - 1};
        l = {0, c.y - 1};
    } else {
        r = {c.x + 1, c.y - 1};
        l = {c.x - 1, c.y + 1};
    }
    for (int t = 0; t < (4 - turns) % 4; ++t) {  // undo: the remaining quarter turns
        r = {-r.y, r.x};
        l = {-l.y, l.x};
    }
    right = r;
    left = l;
}

/// Intersects the oriented cone [lo, hi] (less than 90 degrees) with the cone [a, b]; false
/// when empty (the cone is then unchanged).
inline bool clip_cone(vec2l& lo, vec2l& hi, vec2l a, vec2l b) noexcept {
    const vec2l nlo = cross(lo, a) > 0 ? a : lo, nhi = cross(hi, b) < 0 ? b : hi;
    auto inside = [&](vec2l v) {
        return cross(lo, v) >= 0 && cross(v, hi) >= 0 && cross(a, v) >= 0 && cross(v, b) >= 0;
    };
    if (cross(nlo, nhi) < 0 || !inside(nlo) || !inside(nhi)) return false;
    lo = nlo;
    hi = nhi;
    return true;
}

/// The lines through the anchor that are still possible: a cone and its opposite, or every
/// line while no point has constrained them.
struct line_cone {
    vec2l lo{}, hi{};
    bool open = true;
};

/// Adds point k's constraint to the lines through the anchor (doubled coordinates): the line
/// must pass within L-infinity distance 1/2 of p_k, i.e. through its closed unit square.
inline bool admit_point(const lattice_path& p, vec2l anchor, std::size_t k, line_cone& cone) noexcept {
    const vec2l q{2 * std::int64_t(p.x[k]) - anchor.x, 2 * std::int64_t(p.y[k]) - anchor.y};
    if ((q.x < 0 ? -q.x : q.x) + (q.y < 0 ? -q.y : q.y) <= 1) return true;  // the anchor is on its square
    vec2l r, l;
    square_cone(q, r, l);
    if (cone.open) {
        cone = {r, l, false};
        return true;
    }
    if (clip_cone(cone.lo, cone.hi, r, l)) return true;
    return clip_cone(cone.lo, cone.hi, {-r.x, -r.y}, {-l.x, -l.y});
}

/// Straight subpaths (Selinger 2003, section 2.2.1, in our variant): p_a..p_b is straight when
/// its steps do not use all four directions and some line through the midpoint of its first
/// step passes within L-infinity distance 1/2 of every point. (The paper allows any line; a
/// line through that midpoint lets a polygon edge end exactly at a corner of the outline, as
/// the paper's line y = 1/2 does along a rectangle's side, and makes the test one cone.)
/// For every a, returns f(a) - a for the last f(a) in (a, a + n - 1] with p_a..p_f(a)
/// straight. The cone of feasible lines is narrowed point by point; it is a single cone of
/// less than 90 degrees (and its opposite), as every square's cone is. Only the ends of
/// straight runs need testing: a line meeting the squares of both ends of a run meets every
/// square between them (convexity); the run where the cone empties is bisected.
/// O(n * turns per straight subpath), no allocation besides the result.
inline void straight_reach(const lattice_path& p, std::vector<std::int32_t>& reach) {
    const std::size_t n = p.n;
    reach.resize(n);
    for (std::size_t a = 0; a < n; ++a) {
        const std::size_t limit = a + n - 1;
        const vec2l anchor{std::int64_t(p.x[a]) + p.x[a + 1], std::int64_t(p.y[a]) + p.y[a + 1]};
        line_cone cone;
        unsigned used = 0;
        std::size_t k = a, result;
        for (;;) {
            const std::size_t kk = k < n ? k : k - n;
            const unsigned bit = 1u << p.dir[kk];
            if (!(used & bit)) {
                if (std::popcount(used) == 3) {
                    result = k;
                    break;
                }
                used |= bit;
            }
            const std::size_t r = std::min<std::size_t>(std::size_t(p.run_end[kk]) + (k - kk), limit);
            line_cone next = cone;
            if (admit_point(p, anchor, r, next)) {
                cone = next;
                if (r == limit) {
                    result = r;
                    break;
                }
                k = r;
                continue;
            }
            std::size_t good = k, bad = r;  // p_good is admitted, p_bad is not
            while (bad - good > 1) {
                const std::size_t mid = good + (bad - good) / 2;
                line_cone trial = cone;
                (admit_point(p, anchor, mid, trial) ? good : bad) = mid;
            }
            result = good;
            break;
        }
        reach[a] = std::int32_t(result - a);
    }
}

/// Indices (into the unit-step path, ascending, in [0, n)) of the optimal polygon
/// (Selinger 2003, section 2.2.2-2.2.4): a cycle of possible segments with the fewest segments,
/// and among those the least total penalty. Segment i -> j is possible when j - i <= n - 3 and
/// p_{i-1}..p_{j+1} is straight (so that an edge cannot cut a corner of the outline), and
/// always when j = i + 1. The cycle is found exactly: every polygon has a vertex in a
/// window [t, M] of the cut t chosen to make the window shortest (M = farthest end of a
/// segment jumping over t); a shortest-path dynamic programme runs from each vertex of the
/// window once around the ring. O(n * w * s) for window w and segment span s.
inline void optimal_polygon_indices(const lattice_path& p, std::vector<std::int32_t>& out) {
    const std::size_t n = p.n;
    std::vector<std::int32_t> reach;
    straight_reach(p, reach);
    // span[i]: the farthest j - i of a possible segment from i.
    std::vector<std::int32_t> span(n);
    // Segment i -> j is possible when p_{i-1}..p_{j+1} is straight (j + 1 <= i - 1 + reach[i-1])
    // and j - i <= n - 3; i -> i + 1 always is.
    for (std::size_t i = 0; i < n; ++i)
        span[i] = std::max<std::int32_t>(1, std::min<std::int32_t>(reach[(i + n - 1) % n] - 2, std::int32_t(n) - 3));
    // Cut t minimising the window: farthest end max_{i in (t - n, t)} (i + span[i]), by a
    // monotone deque over i = -n+1 .. n-1 (a sliding maximum).
    std::size_t cut = 0, window = n + 1;
    {
        std::deque<std::int64_t> dq;  // indices i (unwrapped), ends decreasing
        auto end_of = [&](std::int64_t i) { return i + span[std::size_t((i % std::int64_t(n) + std::int64_t(n)) % std::int64_t(n))]; };
        std::int64_t next = -std::int64_t(n) + 1;
        for (std::int64_t t = 0; t < std::int64_t(n); ++t) {
            for (; next < t; ++next) {
                while (!dq.empty() && end_of(dq.back()) <= end_of(next)) dq.pop_back();
                dq.push_back(next);
            }
            while (dq.front() <= t - std::int64_t(n)) dq.pop_front();
            const std::int64_t far = std::max(end_of(dq.front()), t);
            const std::size_t w = std::size_t(far - t + 1);
            if (w < window) {
                window = w;
                cut = std::size_t(t);
            }
        }
    }
    // Shortest cycle through each start s in [cut, cut + window): positions s..s+n, relative
    // to the cut so that every index stays below 2n (+ cut).
    std::vector<std::int32_t> count(n + 1), from(n + 1);
    std::vector<double> pen(n + 1);
    constexpr std::int32_t unreached = std::numeric_limits<std::int32_t>::max();
    std::int32_t best_count = unreached;
    double best_pen = 0;
    std::size_t best_start = cut;
    auto run = [&](std::size_t s) {  // fills count/pen/from for positions s + 0..n
        std::fill(count.begin(), count.end(), unreached);
        count[0] = 0;
        pen[0] = 0;
        for (std::size_t r = 0; r < n; ++r) {
            if (count[r] == unreached) continue;
            const std::int32_t c1 = count[r] + 1;
            if (c1 > best_count) continue;  // cannot beat the best cycle
            const std::size_t i = s + r, ii = i % n;
            const std::size_t last = std::min<std::size_t>(r + std::size_t(span[ii]), n);
            for (std::size_t q = r + 1; q <= last; ++q) {
                if (count[q] < c1) continue;
                const double e = edge_penalty(p, ii, ii + (q - r));  // j < 2n: the doubled path
                const double total = pen[r] + e;
                if (count[q] > c1 || total < pen[q]) {
                    count[q] = c1;
                    pen[q] = total;
                    from[q] = std::int32_t(r);
                }
            }
        }
    };
    for (std::size_t w = 0; w < window; ++w) {
        const std::size_t s = (cut + w) % n;
        run(s);
        if (count[n] < best_count || (count[n] == best_count && pen[n] < best_pen)) {
            best_count = count[n];
            best_pen = pen[n];
            best_start = s;
        }
    }
    best_count = unreached;  // rerun the winner without pruning to recover its vertices
    run(best_start);
    out.clear();
    for (std::size_t q = n; q != 0; q = std::size_t(from[q])) out.push_back(std::int32_t((best_start + q) % n));
    std::sort(out.begin(), out.end());
}

}  // namespace detail::outline_trace

/// The optimal polygon of a closed outline on the pixel-corner lattice (Selinger 2003,
/// "Potrace: a polygon-based tracing algorithm", section 2.2): the polygon whose vertices are
/// outline lattice points, each edge approximating a straight part of the outline (the outline
/// points from the one before a vertex to the one after the next vertex use at most three of
/// the four directions and lie within L-infinity distance 1/2 of a line through the midpoint
/// of their first step; an edge spans at most n - 3 steps), with the fewest edges and, among those, the least sum of edge penalties
/// (edge length times the RMS distance of the covered outline points from the edge's line).
/// Shapes: outline is a closed ring of integer vertices (pixel corners); consecutive vertices
/// and last -> first differ along one axis only; either every unit step or only the turning
/// vertices; either orientation; a repeated first vertex at the end is accepted. Returns the
/// polygon's vertices in outline order, starting from the one nearest the outline's start.
/// Units: pixels. Complexity: O(n * s) for the straight subpaths and O(n * w * s) for the
/// polygon, n unit steps, s the longest straight span, w <= s the shortest window of starts
/// (small at corners); memory O(n).
/// Throws vecta::invalid_argument naming "outline" if it has fewer than 4 vertices, a step that
/// is not axis-parallel or of length zero, or more than 2^30 unit steps.
inline std::vector<point2<int>> optimal_polygon(std::span<const point2<int>> outline) {
    detail::outline_trace::lattice_path path;
    detail::outline_trace::expand_outline(outline, "vecta::optimal_polygon", path);
    std::vector<std::int32_t> idx;
    detail::outline_trace::optimal_polygon_indices(path, idx);
    std::vector<point2<int>> out;
    out.reserve(idx.size());
    for (const std::int32_t k : idx) out.push_back({path.origin_x + path.x[std::size_t(k)], path.origin_y + path.y[std::size_t(k)]});
    return out;
}

}  // namespace vecta
