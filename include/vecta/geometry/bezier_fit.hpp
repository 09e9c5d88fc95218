// vecta/geometry/bezier_fit.hpp - least-squares cubic Bezier fitting of polylines (Schneider).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/point.hpp"
#include "point_range.hpp"

namespace vecta {

/// One cubic Bezier segment: B(t) = (1-t)^3 p0 + 3(1-t)^2 t p1 + 3(1-t) t^2 p2 + t^3 p3.
struct cubic_bezier {
    point2d p0, p1, p2, p3;

    /// B(t) for t in [0, 1].
    constexpr point2d point_at(double t) const noexcept {
        const double s = 1.0 - t;
        const double b0 = s * s * s, b1 = 3 * s * s * t, b2 = 3 * s * t * t, b3 = t * t * t;
        return {b0 * p0.x + b1 * p1.x + b2 * p2.x + b3 * p3.x, b0 * p0.y + b1 * p1.y + b2 * p2.y + b3 * p3.y};
    }
};

struct bezier_params {
    double max_error = 0.5;        ///< max distance (units of the points) from an input point to the curve; > 0
    double corner_angle_deg = 60;  ///< a vertex turning by more than this (degrees) is a corner; in (0, 180]
    bool closed = false;           ///< the polyline is a ring (first point not repeated at the end)
};

namespace detail::bezier {

struct v2 {
    double x = 0, y = 0;
    friend constexpr v2 operator+(v2 a, v2 b) noexcept { return {a.x + b.x, a.y + b.y}; }
    friend constexpr v2 operator-(v2 a, v2 b) noexcept { return {a.x - b.x, a.y - b.y}; }
    friend constexpr v2 operator-(v2 a) noexcept { return {-a.x, -a.y}; }
    friend constexpr v2 operator*(v2 a, double s) noexcept { return {a.x * s, a.y * s}; }
    friend constexpr v2 operator*(double s, v2 a) noexcept { return {a.x * s, a.y * s}; }
    friend constexpr bool operator==(v2 a, v2 b) noexcept = default;
};
constexpr double dot(v2 a, v2 b) noexcept { return a.x * b.x + a.y * b.y; }
constexpr double cross(v2 a, v2 b) noexcept { return a.x * b.y - a.y * b.x; }
/// |a| as sqrt(x^2 + y^2) (not std::hypot, which is several times slower; coordinates are
/// assumed below 1e150 in magnitude).
inline double norm(v2 a) noexcept { return std::sqrt(a.x * a.x + a.y * a.y); }
inline double norm2(v2 a) noexcept { return a.x * a.x + a.y * a.y; }
inline v2 unit(v2 a) noexcept {
    const double n = norm(a);
    return n > 0 ? v2{a.x / n, a.y / n} : v2{};
}

struct curve {
    v2 p[4];
    v2 at(double t) const noexcept {
        const double s = 1.0 - t;
        return p[0] * (s * s * s) + p[1] * (3 * s * s * t) + p[2] * (3 * s * t * t) + p[3] * (t * t * t);
    }
    v2 d1(double t) const noexcept {
        const double s = 1.0 - t;
        return (p[1] - p[0]) * (3 * s * s) + (p[2] - p[1]) * (6 * s * t) + (p[3] - p[2]) * (3 * t * t);
    }
    v2 d2(double t) const noexcept {
        return (p[2] - p[1] * 2.0 + p[0]) * (6 * (1.0 - t)) + (p[3] - p[2] * 2.0 + p[1]) * (6 * t);
    }
};

/// Unit forward tangent at q[c] of the polyline q[0..count): the derivative at c of the
/// least-squares quadratic through the window, parameterised by signed chord length (exact
/// interpolation for 3 points, the Bessel tangent). Falls back to the chord q[c+1] - q[c-1],
/// then to an adjacent edge, when the estimate is degenerate or points backwards. Consecutive
/// points must be distinct.
inline v2 forward_tangent(const v2* q, std::size_t count, std::size_t c) noexcept {
    const std::size_t lo = c > 0 ? c - 1 : 0, hi = c + 1 < count ? c + 1 : count - 1;
    v2 ref = q[hi] - q[lo];
    if (norm(ref) == 0) ref = c + 1 < count ? q[c + 1] - q[c] : q[c] - q[c - 1];
    ref = unit(ref);
    if (count < 3) return ref;
    // Signed chord-length parameters relative to q[c], scaled to [-1, 1]; the normal equations
    // of the quadratic fit are built from the power sums of t.
    double before = 0, after = 0;
    for (std::size_t k = c + 1; k < count; ++k) after += norm(q[k] - q[k - 1]);
    for (std::size_t k = c; k > 0; --k) before += norm(q[k] - q[k - 1]);
    const double scale = std::max(before, after);
    if (!(scale > 0)) return ref;
    const double inv = 1.0 / scale;
    double S1 = 0, S2 = 0, S3 = 0, S4 = 0, rx[3] = {}, ry[3] = {};
    auto add = [&](v2 p, double t) noexcept {
        const double t2 = t * t, px = p.x - q[c].x, py = p.y - q[c].y;
        S1 += t;
        S2 += t2;
        S3 += t2 * t;
        S4 += t2 * t2;
        rx[0] += px;
        rx[1] += t * px;
        rx[2] += t2 * px;
        ry[0] += py;
        ry[1] += t * py;
        ry[2] += t2 * py;
    };
    double s = 0;
    for (std::size_t k = c + 1; k < count; ++k) add(q[k], (s += norm(q[k] - q[k - 1])) * inv);
    s = 0;
    for (std::size_t k = c; k > 0; --k) add(q[k - 1], -(s += norm(q[k] - q[k - 1])) * inv);
    const double S0 = static_cast<double>(count);  // q[c] itself adds t = 0 and p - q[c] = 0
    const double m[3][3] = {{S0, S1, S2}, {S1, S2, S3}, {S2, S3, S4}};
    auto det3 = [](const double a[3][3]) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
               a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    };
    const double d = det3(m);
    if (!(std::abs(d) > 1e-12)) return ref;
    // Cramer's rule for the linear coefficient (column 1).
    auto solve1 = [&](const double r[3]) {
        double a[3][3];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) a[i][j] = j == 1 ? r[i] : m[i][j];
        return det3(a) / d;
    };
    const v2 t = unit({solve1(rx), solve1(ry)});
    if (!(dot(t, ref) > 0.0) || !std::isfinite(t.x) || !std::isfinite(t.y)) return ref;
    return t;
}

/// How far a tangent estimate looks: at least `min_points` neighbours on a side (when there),
/// more while they lie within `reach` arc length (a multiple of max_error, so that pixel
/// staircases are averaged over several steps), at most `max_points`.
struct tangent_window {
    std::size_t min_points;
    double reach;
    static constexpr std::size_t max_points = 64;

    /// Number of neighbours to take walking from point i by `step` (+1 or -1 in ring order,
    /// read through get), with at most `avail` available.
    template <class Get>
    std::size_t extent(const Get& get, std::ptrdiff_t i, std::ptrdiff_t step, std::size_t avail) const noexcept {
        std::size_t k = 0;
        double arc = 0;
        while (k < avail && k < max_points) {
            const double next = arc + norm(get(i + step * std::ptrdiff_t(k + 1)) - get(i + step * std::ptrdiff_t(k)));
            if (k >= min_points && next > reach) break;
            arc = next;
            ++k;
        }
        return k;
    }
};

/// Unit forward tangent at path[i] from neighbours inside [lo, hi]; `back` / `ahead` say which
/// sides to use.
inline v2 window_tangent(const std::vector<v2>& path, std::size_t i, std::size_t lo, std::size_t hi, bool back,
                         bool ahead, const tangent_window& w) noexcept {
    auto get = [&](std::ptrdiff_t k) { return path[std::size_t(k)]; };
    const auto ii = std::ptrdiff_t(i);
    const std::size_t nb = back ? w.extent(get, ii, -1, i - lo) : 0;
    const std::size_t na = ahead ? w.extent(get, ii, +1, hi - i) : 0;
    return forward_tangent(path.data() + (i - nb), nb + na + 1, nb);
}

struct fitter {
    const std::vector<v2>& path;
    double tol;
    tangent_window centre_window;
    std::vector<cubic_bezier>& out;
    std::vector<double> u, u2;
    std::vector<double> cum;  // cum[k]: arc length of path from 0 to k

    void init_arc() {
        cum.resize(path.size());
        cum[0] = 0;
        for (std::size_t k = 1; k < path.size(); ++k) cum[k] = cum[k - 1] + norm(path[k] - path[k - 1]);
    }

    void emit(const curve& c) {
        auto P = [](v2 v) { return point2d{v.x, v.y}; };
        out.push_back({P(c.p[0]), P(c.p[1]), P(c.p[2]), P(c.p[3])});
    }

    // Least-squares handle lengths along the fixed unit tangents t1 (at a) and t2 (at b).
    curve generate(std::size_t a, std::size_t b, const std::vector<double>& par, v2 t1, v2 t2,
                   double arc) const noexcept {
        const v2 p0 = path[a], p3 = path[b];
        double c00 = 0, c01 = 0, c11 = 0, x0 = 0, x1 = 0;
        for (std::size_t k = 0; k <= b - a; ++k) {
            const double t = par[k], s = 1.0 - t;
            const double b0 = s * s * s, b1 = 3 * s * s * t, b2 = 3 * s * t * t, b3 = t * t * t;
            const v2 a1 = t1 * b1, a2 = t2 * b2;
            c00 += dot(a1, a1);
            c01 += dot(a1, a2);
            c11 += dot(a2, a2);
            const v2 r = path[a + k] - (p0 * (b0 + b1) + p3 * (b2 + b3));
            x0 += dot(a1, r);
            x1 += dot(a2, r);
        }
        const double det = c00 * c11 - c01 * c01;
        double al = 0, ar = 0;
        if (det != 0) {
            al = (x0 * c11 - x1 * c01) / det;
            ar = (c00 * x1 - c01 * x0) / det;
        }
        const double seg = norm(p3 - p0), eps = 1e-6 * seg;
        if (!(al > eps) || !(ar > eps) || !(al <= arc) || !(ar <= arc)) al = ar = seg / 3.0;
        return {{p0, p0 + t1 * al, p3 + t2 * ar, p3}};
    }

    // Max distance from the interior points to the curve at their parameters, and its index.
    std::pair<double, std::size_t> max_error(std::size_t a, std::size_t b, const curve& c,
                                             const std::vector<double>& par) const noexcept {
        double worst = 0;
        std::size_t split = a + (b - a) / 2;
        for (std::size_t k = 1; k < b - a; ++k) {
            const double d = norm2(c.at(par[k]) - path[a + k]);
            if (d > worst || std::isnan(d)) {
                worst = std::isnan(d) ? std::numeric_limits<double>::infinity() : d;
                split = a + k;
            }
        }
        return {std::sqrt(worst), split};
    }

    // max_error, and at the same time one Newton-Raphson step per point towards the closest
    // point of the curve, into u2 (Schneider's Reparameterize).
    std::pair<double, std::size_t> max_error_and_step(std::size_t a, std::size_t b, const curve& c) noexcept {
        u2.resize(u.size());
        u2.front() = u.front();
        u2.back() = u.back();
        double worst = 0;
        std::size_t split = a + (b - a) / 2;
        for (std::size_t k = 1; k < b - a; ++k) {
            const double t = u[k];
            const v2 d = c.at(t) - path[a + k];
            const double e = norm2(d);
            if (e > worst || std::isnan(e)) {
                worst = std::isnan(e) ? std::numeric_limits<double>::infinity() : e;
                split = a + k;
            }
            const v2 q1 = c.d1(t), q2 = c.d2(t);
            const double num = dot(d, q1), den = dot(q1, q1) + dot(d, q2);
            const double step = num / den;
            u2[k] = den != 0 && std::isfinite(step) ? std::clamp(t - step, 0.0, 1.0) : t;
        }
        return {std::sqrt(worst), split};
    }

    struct task {
        std::size_t a, b;
        v2 t1, t2;
    };
    std::vector<task> stack;

    /// One Schneider fit of path[a..b] (b > a + 1, distinct ends) with unit end tangents t1
    /// (forward at a) and t2 (backward at b): true when within tol; `worst` is the split point.
    bool attempt(std::size_t a, std::size_t b, v2 t1, v2 t2, curve& c, std::size_t& worst) {
        // Chord-length parameters from the cumulative arc length.
        u.resize(b - a + 1);
        const double s0 = cum[a], arc = cum[b] - s0;
        for (std::size_t k = 0; k <= b - a; ++k) u[k] = (cum[a + k] - s0) / arc;
        u.back() = 1.0;
        c = generate(a, b, u, t1, t2, arc);
        double err;
        std::tie(err, worst) = max_error(a, b, c, u);
        bool done = err <= tol;
        // Reparameterization only helps a near miss (Schneider's iterationError): far off,
        // split at once. Up to 4 rounds; the error of each round comes with the Newton step
        // for the next.
        if (!done && err <= 4 * tol) {
            std::tie(err, worst) = max_error_and_step(a, b, c);
            for (int it = 0; it < 4 && !done; ++it) {
                u.swap(u2);
                c = generate(a, b, u, t1, t2, arc);
                std::tie(err, worst) = it < 3 ? max_error_and_step(a, b, c) : max_error(a, b, c, u);
                done = err <= tol;
            }
        }
        return done;
    }

    struct piece {
        std::size_t a, b;
        v2 t1, t2;
        curve c;
    };
    std::vector<piece> pieces;

    void run(std::size_t first, std::size_t last, v2 first_tangent, v2 last_tangent) {
        pieces.clear();
        stack.clear();
        stack.push_back({first, last, first_tangent, last_tangent});
        while (!stack.empty()) {
            const task tk = stack.back();
            stack.pop_back();
            const std::size_t a = tk.a, b = tk.b;
            const v2 p0 = path[a], p3 = path[b];
            if (b == a + 1) {
                const double dist = norm(p3 - p0) / 3.0;
                pieces.push_back({a, b, tk.t1, tk.t2, {{p0, p0 + tk.t1 * dist, p3 + tk.t2 * dist, p3}}});
                continue;
            }
            std::size_t split = a + 1;
            if (norm(p3 - p0) == 0) {
                // A whole ring: split at the point farthest from its start.
                double far = -1;
                for (std::size_t k = a + 1; k < b; ++k)
                    if (const double d = norm(path[k] - p0); d > far) {
                        far = d;
                        split = k;
                    }
            } else {
                curve c;
                if (attempt(a, b, tk.t1, tk.t2, c, split)) {
                    pieces.push_back({a, b, tk.t1, tk.t2, c});
                    continue;
                }
            }
            // Split with a shared tangent (G1); the left half is fitted first.
            const v2 tc = -window_tangent(path, split, a, b, true, true, centre_window);  // backwards
            stack.push_back({split, b, -tc, tk.t2});
            stack.push_back({a, split, tk.t1, tc});
        }
        // Merge pass: splitting at the worst point can cut where no cut is needed (a circle
        // comes out in 6 or 12 pieces); two neighbours are replaced by one cubic over both
        // when it fits within tol with their outer tangents.
        std::size_t w = 0;
        for (std::size_t r = 0; r < pieces.size(); ++r) {
            if (w > 0) {
                piece& left = pieces[w - 1];
                const piece& right = pieces[r];
                curve c;
                std::size_t worst;
                if (left.b - left.a + right.b - right.a > 2 && !(norm(path[right.b] - path[left.a]) == 0) &&
                    attempt(left.a, right.b, left.t1, right.t2, c, worst)) {
                    left = {left.a, right.b, left.t1, right.t2, c};
                    continue;
                }
            }
            pieces[w++] = pieces[r];
        }
        pieces.resize(w);
        for (const piece& pc : pieces) emit(pc.c);
    }
};

}  // namespace detail::bezier

/// Fits a chain of cubic Bezier segments to a polyline so that every input point lies within
/// params.max_error of the curve, after P. J. Schneider, "An Algorithm for Automatically Fitting
/// Digitized Curves", Graphics Gems (1990): the polyline is cut at corners (vertices whose
/// turning angle exceeds corner_angle_deg); each corner-free span is fitted by least squares on
/// a chord-length parameterisation with fixed end tangents, refined by up to 4 Newton-Raphson
/// reparameterisations, and otherwise split at the worst point with a shared tangent (G1 join).
/// Tangents are the derivative of a least-squares quadratic through the neighbouring points
/// (at least 3 on the span's side, 2 on each side of a split point, more while they lie within
/// 8 * max_error arc length, at most 64), which averages out pixel staircases.
///
/// Result: segments in order with segment[i].p3 == segment[i+1].p0 (exact copies of input
/// points); for a closed ring the last p3 equals the first p0. Corners are segment endpoints.
/// A corner-free span of two points becomes a straight cubic (handles at 1/3 and 2/3); a
/// two-point piece left by splitting keeps its shared tangents (handles 1/3 of the chord). Closed
/// rings start at their first corner, or at point 0 with a smooth join when there is none.
/// Consecutive duplicate points (and, when closed, a repeated first point at the end) are
/// removed first. The error is measured at each point's curve parameter, an upper bound on its
/// distance to the curve. Complexity: O(n) per fit attempt, O(n log n) typical, O(n^2) worst.
/// Throws vecta::invalid_argument for params.max_error <= 0 or NaN, params.corner_angle_deg
/// outside (0, 180], a NaN or infinite coordinate or one of magnitude above 1e100, or fewer than
/// 2 distinct points ("points").
template <point_like P>
std::vector<cubic_bezier> bezier_fit(std::span<const P> points, const bezier_params& params = {}) {
    using namespace detail::bezier;
    constexpr std::string_view fn = "vecta::bezier_fit";
    detail::require(params.max_error > 0, fn, "params.max_error", "must be > 0 (and not NaN)");
    detail::require(params.corner_angle_deg > 0 && params.corner_angle_deg <= 180, fn, "params.corner_angle_deg",
                    "must be in (0, 180]");
    std::vector<v2> pts;
    pts.reserve(points.size() + 1);
    for (const P& p : points) {
        const v2 q{get_x(p), get_y(p)};
        // Bounded so that differences, squares and least-squares sums stay finite (fuzz_kernels
        // found infinite control points for coordinates near DBL_MAX).
        detail::require(std::abs(q.x) <= 1e100 && std::abs(q.y) <= 1e100, fn, "points",
                        "must have finite coordinates (no NaN or infinity) of magnitude <= 1e100");
        if (pts.empty() || !(pts.back() == q)) pts.push_back(q);
    }
    if (params.closed)
        while (pts.size() > 1 && pts.back() == pts.front()) pts.pop_back();
    detail::require(pts.size() >= 2, fn, "points", "must contain at least 2 distinct points");

    const std::size_t n = pts.size();
    const bool closed = params.closed;
    // Corners: turning angle between the incoming and outgoing edge above corner_angle_deg,
    // i.e. cos(turn) = d1.d2 / (|d1| |d2|) below cos(corner_angle_deg).
    std::vector<char> corner(n, 0);
    std::size_t corners = 0;
    const double cos_corner = std::cos(params.corner_angle_deg * std::numbers::pi / 180.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!closed && (i == 0 || i == n - 1)) continue;
        const v2 d1 = pts[i] - pts[(i + n - 1) % n], d2 = pts[(i + 1) % n] - pts[i];
        if (params.corner_angle_deg < 180 && dot(d1, d2) < cos_corner * std::sqrt(norm2(d1) * norm2(d2))) {
            corner[i] = 1;
            ++corners;
        }
    }

    std::vector<v2> path;
    std::vector<std::size_t> breaks;
    std::size_t start = 0;
    if (closed && corners > 0)
        while (!corner[start]) ++start;
    path.reserve(n + 1);
    for (std::size_t k = 0; k < n; ++k) {
        path.push_back(pts[(start + k) % n]);
        if (corner[(start + k) % n] || (!closed && k == 0)) breaks.push_back(k);
    }
    if (closed) {
        path.push_back(path.front());
        breaks.push_back(n);
    } else {
        breaks.push_back(n - 1);
    }
    if (breaks.front() != 0) breaks.insert(breaks.begin(), 0);  // closed ring without corners

    std::vector<cubic_bezier> out;
    const double reach = 8.0 * params.max_error;
    const tangent_window centre_window{2, reach}, end_window{3, reach};
    fitter fit{path, params.max_error, centre_window, out, {}, {}, {}, {}, {}};
    fit.init_arc();
    for (std::size_t s = 0; s + 1 < breaks.size(); ++s) {
        const std::size_t a = breaks[s], b = breaks[s + 1];
        v2 t1, t2;
        if (b == a + 1) {
            t1 = unit(path[b] - path[a]);
            t2 = -t1;
        } else if (closed && corners == 0) {
            // Smooth join at point 0: a window wrapping around the ring, at most half of it
            // on each side.
            const auto nn = std::ptrdiff_t(n);
            auto get = [&](std::ptrdiff_t k) { return pts[std::size_t(((k % nn) + nn) % nn)]; };
            const std::size_t half = (n - 1) / 2;
            const std::size_t nb = centre_window.extent(get, 0, -1, half);
            const std::size_t na = centre_window.extent(get, 0, +1, half);
            std::vector<v2> win;
            for (std::ptrdiff_t k = -std::ptrdiff_t(nb); k <= std::ptrdiff_t(na); ++k) win.push_back(get(k));
            t1 = half == 0 ? unit(pts[1] - pts[0]) : forward_tangent(win.data(), win.size(), nb);
            t2 = -t1;
        } else {
            t1 = window_tangent(path, a, a, b, false, true, end_window);
            t2 = -window_tangent(path, b, a, b, true, false, end_window);
        }
        fit.run(a, b, t1, t2);
    }
    return out;
}

/// bezier_fit over a contiguous range of points (std::vector<P>, std::array, ...).
template <detail::point_range R>
std::vector<cubic_bezier> bezier_fit(const R& points, const bezier_params& params = {}) {
    return bezier_fit(detail::as_point_span(points), params);
}

/// The policy overloads: accepted for a uniform call shape; the fit is sequential.
template <execution_policy Policy, point_like P>
std::vector<cubic_bezier> bezier_fit(const Policy&, std::span<const P> points, const bezier_params& params = {}) {
    return bezier_fit(points, params);
}
template <execution_policy Policy, detail::point_range R>
std::vector<cubic_bezier> bezier_fit(const Policy&, const R& points, const bezier_params& params = {}) {
    return bezier_fit(detail::as_point_span(points), params);
}

}  // namespace vecta
