// SPDX-License-Identifier: MIT
// vecta/geometry/outline_curve.hpp - a smooth closed curve (corners and cubic Beziers) fitted to a
// closed lattice outline: optimal polygon, vertex adjustment, smoothing, curve optimisation.
//
// Written from P. Selinger, "Potrace: a polygon-based tracing algorithm" (2003), sections 2.2
// (optimal polygon, see optimal_polygon.hpp), 2.3 (vertex adjustment), 2.4 (smoothing and
// corner detection) and 2.5 (curve optimisation). The tolerance test of 2.5 is ours: the joined
// curve is compared with the pieces it replaces at the points where their tangents agree.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "../core/error.hpp"
#include "../core/point.hpp"
#include "closed_curve.hpp"
#include "optimal_polygon.hpp"

namespace vecta {

/// Parameters of fit_outline_curve.
struct outline_curve_params {
    /// Corner threshold (section 2.4): a vertex whose smoothing parameter alpha is at least this
    /// is a corner. 0 keeps every clearly turning vertex a corner, 4/3 makes none. [0, 4/3].
    double alphamax = 1.0;
    /// A vertex whose polygon turn (angle between the incoming and outgoing edge directions)
    /// exceeds this is a corner whatever its alpha (spikes stay sharp). Degrees, (0, 180];
    /// 180 disables the rule.
    double corner_angle_deg = 135;
    /// Curve optimisation (section 2.5): runs of Bezier segments are joined into one when the
    /// joined curve stays within this distance of them (pixels); 0 disables it. >= 0.
    double opttolerance = 0.2;
};

namespace detail::outline_trace {

struct vec2 {
    double x, y;
};
inline vec2 operator+(vec2 a, vec2 b) noexcept { return {a.x + b.x, a.y + b.y}; }
inline vec2 operator-(vec2 a, vec2 b) noexcept { return {a.x - b.x, a.y - b.y}; }
inline vec2 operator*(double s, vec2 a) noexcept { return {s * a.x, s * a.y}; }
inline double dot(vec2 a, vec2 b) noexcept { return a.x * b.x + a.y * b.y; }
inline double cross(vec2 a, vec2 b) noexcept { return a.x * b.y - a.y * b.x; }
inline vec2 midpoint(vec2 a, vec2 b) noexcept { return {(a.x + b.x) / 2, (a.y + b.y) / 2}; }

/// A line n . z = c with unit normal n.
struct line2 {
    double nx, ny, c;
};

/// Least-squares line through the path points i..j (Selinger 2003, section 2.3): through their
/// centroid, normal to the principal axis of their covariance.
inline line2 fit_line(const lattice_path& p, std::size_t i, std::size_t j) noexcept {
    const double ax = p.x[i], ay = p.y[i];
    const moments m = windows_from(p, i).to(j);
    const double mx = m.x / m.count, my = m.y / m.count;
    const double a = m.xx / m.count - mx * mx, b = m.xy / m.count - mx * my, d = m.yy / m.count - my * my;
    const double half = (a - d) / 2, lambda = (a + d) / 2 - std::sqrt(half * half + b * b);  // smaller eigenvalue
    // Eigenvector of the smaller eigenvalue: the line's normal.
    double nx = b, ny = lambda - a;
    const double nx2 = lambda - d, ny2 = b;
    if (nx2 * nx2 + ny2 * ny2 > nx * nx + ny * ny) {
        nx = nx2;
        ny = ny2;
    }
    double len = std::hypot(nx, ny);
    if (!(len > 1e-12)) {  // isotropic spread: fall back to the chord's normal
        nx = -(double(p.y[j]) - ay);
        ny = double(p.x[j]) - ax;
        len = std::hypot(nx, ny);
    }
    nx /= len;
    ny /= len;
    return {nx, ny, nx * (ax + mx) + ny * (ay + my)};
}

/// Vertex adjustment (Selinger 2003, section 2.3): the point of the unit square (L-infinity
/// radius 1/2) around lattice vertex v that minimises the sum of squared distances to the two
/// lines fitted to the adjacent edges. The quadratic is convex: its stationary point when that
/// lies inside the square, otherwise the best point of the square's boundary.
inline vec2 adjust_vertex(vec2 v, const line2& l0, const line2& l1) noexcept {
    const double axx = l0.nx * l0.nx + l1.nx * l1.nx, axy = l0.nx * l0.ny + l1.nx * l1.ny,
                 ayy = l0.ny * l0.ny + l1.ny * l1.ny;
    const double bx = l0.c * l0.nx + l1.c * l1.nx, by = l0.c * l0.ny + l1.c * l1.ny;
    auto q = [&](double x, double y) { return axx * x * x + 2 * axy * x * y + ayy * y * y - 2 * (bx * x + by * y); };
    const double det = axx * ayy - axy * axy;
    if (det > 1e-9) {
        const double x = (ayy * bx - axy * by) / det, y = (axx * by - axy * bx) / det;
        if (std::abs(x - v.x) <= 0.5 && std::abs(y - v.y) <= 0.5) return {x, y};
    }
    vec2 best = v;
    double best_q = q(v.x, v.y);
    auto consider = [&](double x, double y) {
        const double val = q(x, y);
        if (val < best_q) {
            best_q = val;
            best = {x, y};
        }
    };
    for (const double sx : {-0.5, 0.5}) {
        const double x = v.x + sx;  // vertical side: minimise over y
        double y = ayy > 1e-12 ? (by - axy * x) / ayy : v.y;
        consider(x, std::clamp(y, v.y - 0.5, v.y + 0.5));
        const double yy = v.y + sx;  // horizontal side: minimise over x
        double xx = axx > 1e-12 ? (bx - axy * yy) / axx : v.x;
        consider(std::clamp(xx, v.x - 0.5, v.x + 0.5), yy);
    }
    return best;
}

/// Area between the cubic a, a + l (o - a), b + l (o - b), b and its chord, as a fraction of the
/// triangle a, o, b: 3 l (4 - l) / 10.
inline double bezier_area_ratio(double l) noexcept { return 0.3 * l * (4 - l); }

/// One smoothed vertex (section 2.4): the segment from the previous edge's midpoint to the next.
struct smooth_piece {
    vec2 start, vertex, end;  ///< b_{k-1}, z_k, b_k
    double alpha;             ///< control points at start + alpha (vertex - start), end + alpha (vertex - end)
    double turn;              ///< signed turn angle at the vertex, radians
    bool corner;
};

inline vec2 bezier_point(vec2 p0, vec2 p1, vec2 p2, vec2 p3, double t) noexcept {
    const double s = 1 - t;
    return (s * s * s) * p0 + (3 * s * s * t) * p1 + (3 * s * t * t) * p2 + (t * t * t) * p3;
}

/// The parameter in [0, 1] where the cubic's tangent points along e (or -1 if none): the root
/// of cross(B'(t), e) = 0 with dot(B'(t), e) > 0.
inline double tangent_parameter(vec2 p0, vec2 p1, vec2 p2, vec2 p3, vec2 e) noexcept {
    const vec2 d0 = p1 - p0, d1 = p2 - p1, d2 = p3 - p2;
    const double a0 = cross(d0, e), a1 = cross(d1, e), a2 = cross(d2, e);
    const double A = a0 - 2 * a1 + a2, B = 2 * (a1 - a0), C = a0;
    double roots[2];
    int count = 0;
    if (std::abs(A) < 1e-12 * (std::abs(B) + std::abs(C) + 1e-300)) {
        if (B != 0) roots[count++] = -C / B;
    } else {
        const double disc = B * B - 4 * A * C;
        if (disc >= 0) {
            const double sq = std::sqrt(disc), qq = -0.5 * (B + (B >= 0 ? sq : -sq));
            roots[count++] = qq / A;
            if (qq != 0) roots[count++] = C / qq;
        }
    }
    for (int r = 0; r < count; ++r) {
        const double t = roots[r];
        if (!(t >= -1e-9 && t <= 1 + 1e-9)) continue;
        const double s = 1 - t;
        const vec2 d = (s * s) * d0 + (2 * s * t) * d1 + (t * t) * d2;
        if (dot(d, e) > 0) return std::clamp(t, 0.0, 1.0);
    }
    return -1;
}

/// Tries to replace pieces first..last (all smooth, turning one way, less than half a turn in
/// total) by one cubic (section 2.5): its end tangents are those of the run, its inner control
/// points sit at the same fraction l of the way to the tangents' intersection, and l is chosen
/// so that the area between curve and chord equals the run's. Accepted when, at every joint of
/// the run and at every piece's apex, the point of the new curve with the same tangent lies
/// within `tolerance` of the tangent line there; `penalty` is then the sum of those squared
/// distances.
inline bool join_pieces(const std::vector<smooth_piece>& pc, std::size_t first, std::size_t count, double tolerance,
                        vec2& c1, vec2& c2, double& penalty) noexcept {
    const std::size_t m = pc.size();
    const smooth_piece& f = pc[first];
    const smooth_piece& l = pc[(first + count - 1) % m];
    const vec2 p0 = f.start, p3 = l.end, t0 = f.vertex - f.start, t3 = l.vertex - l.end;
    // Tangent lines p0 + s t0 and p3 + u t3 meet at o.
    const double den = cross(t0, t3);
    if (std::abs(den) < 1e-12) return false;
    const double s = cross(p3 - p0, t3) / den, u = cross(p3 - p0, t0) / den;
    if (!(s > 0 && u > 0)) return false;
    const vec2 o = p0 + s * t0;
    // Area of the run against the chord p0 -> p3: the polygon of joints plus each piece's bulge.
    double area = 0;
    vec2 prev = p0;
    for (std::size_t r = 0; r < count; ++r) {
        const smooth_piece& q = pc[(first + r) % m];
        area += cross(prev - p0, q.end - p0) / 2;
        area += cross(q.vertex - q.start, q.end - q.start) / 2 * bezier_area_ratio(q.alpha);
        prev = q.end;
    }
    const double tri = cross(o - p0, p3 - p0) / 2;
    if (!(std::abs(tri) > 1e-12)) return false;
    const double ratio = area / tri;
    if (!(ratio > 0 && ratio <= 1.2)) return false;
    const double lam = 2 - std::sqrt(4 - ratio / 0.3);
    c1 = p0 + lam * (o - p0);
    c2 = p3 + lam * (o - p3);
    penalty = 0;
    double last_t = 0;
    auto check = [&](vec2 point, vec2 e) {
        const double len = std::hypot(e.x, e.y);
        if (!(len > 1e-12)) return true;
        const double t = tangent_parameter(p0, c1, c2, p3, e);
        if (t < 0 || t + 1e-9 < last_t) return false;
        last_t = t;
        const double dev = cross(e, bezier_point(p0, c1, c2, p3, t) - point) / len;
        if (std::abs(dev) > tolerance) return false;
        penalty += dev * dev;
        return true;
    };
    for (std::size_t r = 0; r < count; ++r) {
        const smooth_piece& q = pc[(first + r) % m];
        // The piece's apex (t = 1/2), where its tangent is parallel to its chord.
        const vec2 apex = bezier_point(q.start, q.start + q.alpha * (q.vertex - q.start),
                                       q.end + q.alpha * (q.vertex - q.end), q.end, 0.5);
        if (!check(apex, q.end - q.start)) return false;
        if (r + 1 < count && !check(q.end, pc[(first + r + 1) % m].vertex - q.vertex)) return false;
    }
    return true;
}

/// Buffers of fit_outline_curve's later stages, kept per thread between calls.
struct curve_workspace {
    std::vector<line2> lines;
    std::vector<vec2> z, run_c1, run_c2;
    std::vector<smooth_piece> pc;
    std::vector<std::int32_t> best_count, from;
    std::vector<double> best_pen;
    std::vector<std::size_t> cuts;
};

}  // namespace detail::outline_trace

/// Fits a closed curve of corners and cubic Bezier segments to a closed outline on the
/// pixel-corner lattice, as Selinger's method does (P. Selinger, "Potrace: a polygon-based
/// tracing algorithm", 2003): the optimal polygon (section 2.2, see vecta::optimal_polygon);
/// each vertex moved, within the unit square around it, to the point nearest (least squares)
/// the lines fitted to its two edges (2.3); each vertex then becomes a segment from the
/// midpoint of its incoming edge to the midpoint of its outgoing edge, a corner (two straight
/// lines through the vertex) when its alpha >= alphamax or its turn exceeds corner_angle_deg,
/// else a cubic with controls at alpha (clamped to [0.55, 1]) of the way to the vertex, alpha
/// chosen so that the curve touches the square around the vertex (2.4) but at least that of the
/// circular arc tangent to both edges at their midpoints (ours); finally runs of cubics
/// turning one way by less than half a turn are joined when one cubic fits them within
/// opttolerance (2.5; the cycle is cut at a corner, or before segment 0 when there is none).
/// Shapes: outline as for vecta::optimal_polygon (closed, rectilinear, unit steps or turning
/// vertices only, either orientation). Returns one segment per polygon vertex (fewer after
/// joining), in outline order, starting with the first corner when there is one (else with
/// the polygon's first vertex); coordinates in pixels (the outline's units).
/// Complexity: that of optimal_polygon, plus O(m * r^2) for m polygon vertices and runs of r.
/// Allocation: only the result; the working buffers are kept per thread (thread_local) and
/// reused, growing to the largest outline traced on that thread.
/// Throws vecta::invalid_argument naming "outline" (as optimal_polygon does) or
/// "params.alphamax" (not in [0, 4/3]), "params.corner_angle_deg" (not in (0, 180]) or
/// "params.opttolerance" (negative or not finite).
inline closed_curve fit_outline_curve(std::span<const point2<int>> outline, const outline_curve_params& params = {}) {
    using namespace detail::outline_trace;
    constexpr const char* fn = "vecta::fit_outline_curve";
    detail::require(params.alphamax >= 0 && params.alphamax <= 4.0 / 3.0, fn, "params.alphamax", "must be in [0, 4/3]");
    detail::require(params.corner_angle_deg > 0 && params.corner_angle_deg <= 180, fn, "params.corner_angle_deg",
                    "must be in (0, 180]");
    detail::require(params.opttolerance >= 0 && std::isfinite(params.opttolerance), fn, "params.opttolerance",
                    "must be finite and >= 0");
    tracer_workspace& tw = thread_workspace();
    thread_local curve_workspace cw;
    expand_outline(outline, fn, tw.path);
    optimal_polygon_indices(tw.path, tw.vertices, tw.polygon);
    const lattice_path& path = tw.path;
    const std::vector<std::int32_t>& idx = tw.vertices;
    const std::size_t m = idx.size(), n = path.n;

    // 2.3: least-squares line of each edge k (vertex k -> vertex k+1), then adjusted vertices.
    std::vector<line2>& lines = cw.lines;
    lines.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
        const std::size_t i = std::size_t(idx[k]);
        std::size_t j = std::size_t(idx[(k + 1) % m]);
        if (j <= i) j += n;
        lines[k] = fit_line(path, i, j);
    }
    std::vector<vec2>& z = cw.z;
    z.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
        const std::size_t i = std::size_t(idx[k]);
        z[k] = adjust_vertex({double(path.x[i]), double(path.y[i])}, lines[(k + m - 1) % m], lines[k]);
    }

    // 2.4: smoothing and corners.
    const double corner_cos = std::cos(params.corner_angle_deg * 3.14159265358979323846 / 180.0);
    std::vector<smooth_piece>& pc = cw.pc;
    pc.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
        const vec2 zp = z[(k + m - 1) % m], zk = z[k], zn = z[(k + 1) % m];
        smooth_piece& q = pc[k];
        q.start = midpoint(zp, zk);
        q.vertex = zk;
        q.end = midpoint(zk, zn);
        const vec2 ein = zk - zp, eout = zn - zk;
        const double lin = std::hypot(ein.x, ein.y), lout = std::hypot(eout.x, eout.y);
        q.turn = std::atan2(cross(ein, eout), dot(ein, eout));
        const vec2 chord = q.end - q.start;
        const double clen = std::hypot(chord.x, chord.y);
        bool corner = !(lin > 1e-12 && lout > 1e-12 && clen > 1e-12);  // degenerate: keep the vertex
        double alpha = 0;
        if (!corner) {
            corner = dot(ein, eout) < corner_cos * lin * lout;
            // alpha: the cubic's apex (at 3/4 alpha of the way from the chord's midpoint to the
            // vertex) lies on the line parallel to the chord that touches the unit square around
            // the vertex on the chord's side: gamma = 1 - s / h, alpha = 4/3 gamma.
            const double nx = -chord.y / clen, ny = chord.x / clen;
            const double h = std::abs(nx * (zk.x - q.start.x) + ny * (zk.y - q.start.y));
            const double s = (std::abs(nx) + std::abs(ny)) / 2;
            alpha = h > s ? 4.0 / 3.0 * (1 - s / h) : 0;
            if (alpha >= params.alphamax && h > s) corner = true;
            // Ours: never flatter than the circular arc tangent to both edges at their
            // midpoints, whose cubic has alpha = 4/3 tan(turn/4) / tan(turn/2) =
            // 2/3 (1 - tan^2(turn/4)). The rule above takes alpha towards 0 at gentle turns,
            // flattening round shapes between vertices (measured on the shared line art:
            // +0.1 to +0.6 dB against the bitmap, fewer segments after joining).
            const double t4 = std::tan(std::abs(q.turn) / 4);
            alpha = std::max(alpha, 2.0 / 3.0 * (1 - t4 * t4));
        }
        q.corner = corner;
        q.alpha = corner ? 0 : std::clamp(alpha, 0.55, 1.0);
    }

    // 2.5: curve optimisation by dynamic programming over the pieces, from a corner.
    closed_curve out;
    const point2d origin{double(path.origin_x), double(path.origin_y)};
    auto to_point = [&](vec2 v) { return point2d{v.x + origin.x, v.y + origin.y}; };
    auto emit_piece = [&](const smooth_piece& q) {
        curve_segment s;
        if (q.corner) {
            s.type = curve_segment::kind::corner;
            s.vertex = to_point(q.vertex);
        } else {
            s.type = curve_segment::kind::bezier;
            s.c1 = to_point(q.start + q.alpha * (q.vertex - q.start));
            s.c2 = to_point(q.end + q.alpha * (q.vertex - q.end));
        }
        s.end = to_point(q.end);
        out.segments.push_back(s);
    };
    if (params.opttolerance <= 0 || m < 3) {
        out.segments.reserve(m);
        for (const smooth_piece& q : pc) emit_piece(q);
        return out;
    }
    std::size_t start = 0;
    for (std::size_t k = 0; k < m; ++k)
        if (pc[k].corner) {
            start = k;
            break;
        }
    std::vector<std::int32_t>& best_count = cw.best_count;
    std::vector<std::int32_t>& from = cw.from;
    std::vector<double>& best_pen = cw.best_pen;
    std::vector<vec2>& run_c1 = cw.run_c1;
    std::vector<vec2>& run_c2 = cw.run_c2;
    best_count.assign(m + 1, std::numeric_limits<std::int32_t>::max());
    from.resize(m + 1);
    best_pen.assign(m + 1, 0);
    run_c1.resize(m + 1);
    run_c2.resize(m + 1);
    best_count[0] = 0;
    constexpr double max_turn = 3.14159265358979323846 * 179.0 / 180.0;
    for (std::size_t a = 0; a < m; ++a) {
        if (best_count[a] == std::numeric_limits<std::int32_t>::max()) continue;
        const std::int32_t c = best_count[a] + 1;
        // One piece alone.
        if (c < best_count[a + 1] || (c == best_count[a + 1] && best_pen[a] < best_pen[a + 1])) {
            best_count[a + 1] = c;
            best_pen[a + 1] = best_pen[a];
            from[a + 1] = std::int32_t(a);
        }
        const smooth_piece& first = pc[(start + a) % m];
        if (first.corner) continue;
        double turn = std::abs(first.turn);
        const double sign = first.turn;
        for (std::size_t b = a + 2; b <= m; ++b) {
            const smooth_piece& q = pc[(start + b - 1) % m];
            if (q.corner || q.turn * sign < 0) break;
            turn += std::abs(q.turn);
            if (!(turn < max_turn)) break;
            vec2 c1, c2;
            double pen;
            if (!join_pieces(pc, (start + a) % m, b - a, params.opttolerance, c1, c2, pen)) continue;
            const double total = best_pen[a] + pen;
            if (c < best_count[b] || (c == best_count[b] && total < best_pen[b])) {
                best_count[b] = c;
                best_pen[b] = total;
                from[b] = std::int32_t(a);
                run_c1[b] = c1;
                run_c2[b] = c2;
            }
        }
    }
    std::vector<std::size_t>& cuts = cw.cuts;
    cuts.clear();
    for (std::size_t b = m; b != 0; b = std::size_t(from[b])) cuts.push_back(b);
    out.segments.reserve(cuts.size());
    std::size_t a = 0;
    for (auto it = cuts.rbegin(); it != cuts.rend(); ++it) {
        const std::size_t b = *it;
        if (b == a + 1) {
            emit_piece(pc[(start + a) % m]);
        } else {
            curve_segment s;
            s.type = curve_segment::kind::bezier;
            s.c1 = to_point(run_c1[b]);
            s.c2 = to_point(run_c2[b]);
            s.end = to_point(pc[(start + b - 1) % m].end);
            out.segments.push_back(s);
        }
        a = b;
    }
    return out;
}

}  // namespace vecta
