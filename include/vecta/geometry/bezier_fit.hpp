// SPDX-License-Identifier: MIT
// vecta/geometry/bezier_fit.hpp - least-squares cubic Bezier fitting of polylines (Schneider).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <numbers>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/point.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"
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

/// v[k] = std::sqrt(v[k]) for k < n at SIMD level l (run-time dispatch, core/vec.hpp: vsqrt, the
/// SSE2 / AVX / AVX-512 square root; std::sqrt alone does not vectorise, for errno). Correctly
/// rounded at every level, so the same bits.
inline void sqrt_in_place(simd::level l, double* v, std::size_t n) noexcept {
    vecta::detail::dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
        std::size_t k = 0;
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) {
            VECTA_VEC_BEGIN
            using V = vecta::detail::vec<double, w()>;
            constexpr std::size_t W = w() / sizeof(double);
            for (; k + W <= n; k += W) {
                V r;
                vecta::detail::vsqrt(r, vecta::detail::vload<V>(v + k));
                vecta::detail::vstore(v + k, r);
            }
            VECTA_VEC_END
        }
#endif
        for (; k < n; ++k) v[k] = std::sqrt(v[k]);
    });
}

struct curve {
    v2 p[4];
    /// B(t) from its Bernstein weights w = {(1-t)^3, 3 (1-t)^2 t, 3 (1-t) t^2, t^3}.
    v2 at(const double* w) const noexcept { return p[0] * w[0] + p[1] * w[1] + p[2] * w[2] + p[3] * w[3]; }
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
/// points must be distinct. len[k] (k >= 1) is |q[k] - q[k-1]|, computed by the caller once;
/// `before` and `after` are the arc lengths from q[0] to q[c] and from q[c] to q[count - 1],
/// summed outwards from q[c] (len[c] + len[c - 1] + ..., len[c + 1] + len[c + 2] + ...).
inline v2 forward_tangent(const v2* q, const double* len, std::size_t count, std::size_t c, double before,
                          double after) noexcept {
    const std::size_t lo = c > 0 ? c - 1 : 0, hi = c + 1 < count ? c + 1 : count - 1;
    v2 ref = q[hi] - q[lo];  // normalised only when returned
    if (norm2(ref) == 0) ref = c + 1 < count ? q[c + 1] - q[c] : q[c] - q[c - 1];
    if (count < 3) return unit(ref);
    // Signed chord-length parameters relative to q[c], scaled to [-1, 1]; the normal equations
    // of the quadratic fit are built from the power sums of t.
    const double scale = std::max(before, after);
    if (!(scale > 0)) return unit(ref);
    const double inv = 1.0 / scale;
    double S1 = 0, S2 = 0, S3 = 0, S4 = 0, rx[3] = {}, ry[3] = {};
    const double qx = q[c].x, qy = q[c].y;
    auto add = [&](v2 p, double t) noexcept {
        const double t2 = t * t, px = p.x - qx, py = p.y - qy;
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
    for (std::size_t k = c + 1; k < count; ++k) add(q[k], (s += len[k]) * inv);
    s = 0;
    for (std::size_t k = c; k > 0; --k) add(q[k - 1], -(s += len[k]) * inv);
    const double S0 = static_cast<double>(count);  // q[c] itself adds t = 0 and p - q[c] = 0
    const double m[3][3] = {{S0, S1, S2}, {S1, S2, S3}, {S2, S3, S4}};
    auto det3 = [](const double a[3][3]) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
               a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    };
    const double d = det3(m);
    if (!(std::abs(d) > 1e-12)) return unit(ref);
    // Cramer's rule for the linear coefficient (column 1).
    auto solve1 = [&](const double r[3]) {
        double a[3][3];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) a[i][j] = j == 1 ? r[i] : m[i][j];
        return det3(a) / d;
    };
    const v2 t = unit({solve1(rx), solve1(ry)});
    if (!(dot(t, ref) > 0.0) || !std::isfinite(t.x) || !std::isfinite(t.y)) return unit(ref);
    return t;
}

/// How far a tangent estimate looks: at least `min_points` neighbours on a side (when there),
/// more while they lie within `reach` arc length (a multiple of max_error, so that pixel
/// staircases are averaged over several steps), at most `max_points`.
struct tangent_window {
    std::size_t min_points;
    double reach;
    static constexpr std::size_t max_points = 64;

    /// Number of neighbours to take walking from point i forwards (edge lengths len[i + 1],
    /// len[i + 2], ...), with at most `avail` available; `arc` receives their summed length.
    std::size_t ahead(const double* len, std::size_t i, std::size_t avail, double& arc) const noexcept {
        std::size_t k = 0;
        arc = 0;
        const std::size_t lim = std::min(avail, max_points);
        while (k < lim) {
            const double next = arc + len[i + k + 1];
            if (k >= min_points && next > reach) break;
            arc = next;
            ++k;
        }
        return k;
    }
    /// The same walking backwards (edge lengths len[i], len[i - 1], ...).
    std::size_t back(const double* len, std::size_t i, std::size_t avail, double& arc) const noexcept {
        std::size_t k = 0;
        arc = 0;
        const std::size_t lim = std::min(avail, max_points);
        while (k < lim) {
            const double next = arc + len[i - k];
            if (k >= min_points && next > reach) break;
            arc = next;
            ++k;
        }
        return k;
    }
};

struct fitter {
    const v2* path;
    const double* len;  // len[k]: |path[k] - path[k-1]|, len[0] = 0
    const double* cum;  // cum[k]: arc length of path from 0 to k
    double* u;          // chord-length / Newton parameters of the current attempt
    double* u2;         // the next Newton round
    double* weights;    // 4 per point: the Bernstein weights at u, set by generate
    double tol;
    tangent_window centre_window;
    std::vector<cubic_bezier>& out;
    simd::level level;  // run-time SIMD level that attempt() is compiled for

    /// Unit forward tangent at path[i] from neighbours inside [lo, hi]; `back` / `ahead` say
    /// which sides to use.
    v2 window_tangent(std::size_t i, std::size_t lo, std::size_t hi, bool back, bool ahead,
                      const tangent_window& w) const noexcept {
        double before = 0, after = 0;
        const std::size_t nb = back ? w.back(len, i, i - lo, before) : 0;
        const std::size_t na = ahead ? w.ahead(len, i, hi - i, after) : 0;
        return forward_tangent(path + (i - nb), len + (i - nb), nb + na + 1, nb, before, after);
    }

    void emit(const curve& c) {
        auto P = [](v2 v) { return point2d{v.x, v.y}; };
        out.push_back({P(c.p[0]), P(c.p[1]), P(c.p[2]), P(c.p[3])});
    }

    // Least-squares handle lengths along the fixed unit tangents t1 (at a) and t2 (at b).
    // The weights at par go to `weights` (for max_error and max_error_and_step after it).
    VECTA_ALWAYS_INLINE curve generate(std::size_t a, std::size_t b, const double* par, v2 t1, v2 t2,
                                       double arc) noexcept {
        const v2 p0 = path[a], p3 = path[b];
        double c00 = 0, c01 = 0, c11 = 0, x0 = 0, x1 = 0;
        // The end points (t = 0 and 1, so b1 = b2 = 0) add exact zeros: skipped.
        for (std::size_t k = 1; k < b - a; ++k) {
            const double t = par[k], s = 1.0 - t;
            const double b0 = s * s * s, b1 = 3 * s * s * t, b2 = 3 * s * t * t, b3 = t * t * t;
            double* w = weights + 4 * k;
            w[0] = b0;
            w[1] = b1;
            w[2] = b2;
            w[3] = b3;
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

    // Max distance from the interior points to the curve at their parameters (those of the
    // last generate), and its index.
    VECTA_ALWAYS_INLINE std::pair<double, std::size_t> max_error(std::size_t a, std::size_t b,
                                                                 const curve& c) const noexcept {
        double worst = 0;
        std::size_t split = a + (b - a) / 2;
        for (std::size_t k = 1; k < b - a; ++k) {
            const double d = norm2(c.at(weights + 4 * k) - path[a + k]);
            if (d > worst || std::isnan(d)) {
                worst = std::isnan(d) ? std::numeric_limits<double>::infinity() : d;
                split = a + k;
            }
        }
        return {std::sqrt(worst), split};
    }

    // max_error (at u), and at the same time one Newton-Raphson step per point towards the
    // closest point of the curve, into u2 (Schneider's Reparameterize). The curve is taken by
    // value: a copy that the stores to u2 cannot alias, so its coefficients stay in registers.
    VECTA_ALWAYS_INLINE std::pair<double, std::size_t> max_error_and_step(std::size_t a, std::size_t b,
                                                                          const curve c) noexcept {
        u2[0] = u[0];
        u2[b - a] = u[b - a];
        double worst = 0;
        std::size_t split = a + (b - a) / 2;
        for (std::size_t k = 1; k < b - a; ++k) {
            const double t = u[k];
            const v2 d = c.at(weights + 4 * k) - path[a + k];
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
    /// The hot loop of bezier_fit, compiled for the run-time level (dispatch_width: the AVX2 and
    /// AVX-512 functions inline attempt_body with its loops; the baseline calls attempt_base).
    /// Scalar IEEE operations in the same order at every level (no FMA: -ffp-contract=off, which
    /// the vecta::vecta target sets), so the same bits.
    bool attempt(std::size_t a, std::size_t b, v2 t1, v2 t2, curve& c, std::size_t& worst) {
        return vecta::detail::dispatch_width(level, [&](auto w) VECTA_LAMBDA_INLINE {
            if constexpr (w() >= 32)
                return attempt_body(a, b, t1, t2, c, worst);
            else
                return attempt_base(a, b, t1, t2, c, worst);
        });
    }
    bool attempt_base(std::size_t a, std::size_t b, v2 t1, v2 t2, curve& c, std::size_t& worst) {
        return attempt_body(a, b, t1, t2, c, worst);
    }
    VECTA_ALWAYS_INLINE bool attempt_body(std::size_t a, std::size_t b, v2 t1, v2 t2, curve& c, std::size_t& worst) {
        // Chord-length parameters from the cumulative arc length.
        const double s0 = cum[a], arc = cum[b] - s0;
        const double* cu = cum + a;
        for (std::size_t k = 0; k < b - a; ++k) u[k] = (cu[k] - s0) / arc;
        u[b - a] = 1.0;
        c = generate(a, b, u, t1, t2, arc);
        double err;
        std::tie(err, worst) = max_error(a, b, c);
        bool done = err <= tol;
        // Reparameterization only helps a near miss (Schneider's iterationError): far off,
        // split at once. Up to 4 rounds; the error of each round comes with the Newton step
        // for the next.
        if (!done && err <= 4 * tol) {
            std::tie(err, worst) = max_error_and_step(a, b, c);
            for (int it = 0; it < 4 && !done; ++it) {
                std::swap(u, u2);
                c = generate(a, b, u, t1, t2, arc);
                const double before = err;
                std::tie(err, worst) = it < 3 ? max_error_and_step(a, b, c) : max_error(a, b, c);
                done = err <= tol;
                // Give up early when the rounds left cannot reach tol at the rate of this one
                // (linear convergence err * rho^k, rho = err / before): such fits are split.
                if (!done && it < 3) {
                    const double rho = err / before;
                    double reach_err = err;
                    for (int r = it; r < 3; ++r) reach_err *= rho;
                    if (!(reach_err <= tol)) break;
                }
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

    /// Appends a piece member by member: a piece built whole on the stack and copied in
    /// wider moves than it was written with would stall on store forwarding.
    void add_piece(const task& tk, const curve& c) {
        piece& pc = pieces.emplace_back();
        pc.a = tk.a;
        pc.b = tk.b;
        pc.t1 = tk.t1;
        pc.t2 = tk.t2;
        pc.c = c;
    }

    std::vector<task> failed;  // this run's attempts that did not fit, in the order made

    /// True when attempt(a, b, t1, t2) was made in this run and failed: being deterministic, it
    /// would fail again. `failed` is in preorder of the split tree, so sorted by a, then by
    /// decreasing b.
    bool failed_before(std::size_t a, std::size_t b, v2 t1, v2 t2) const noexcept {
        const auto it = std::lower_bound(failed.begin(), failed.end(), std::pair{a, b}, [](const task& f, auto key) {
            return f.a < key.first || (f.a == key.first && f.b > key.second);
        });
        auto same = [](v2 x, v2 y) { return std::memcmp(&x, &y, sizeof(v2)) == 0; };
        return it != failed.end() && it->a == a && it->b == b && same(it->t1, t1) && same(it->t2, t2);
    }

    void run(std::size_t first, std::size_t last, v2 first_tangent, v2 last_tangent) {
        pieces.clear();
        failed.clear();
        stack.clear();
        // Depth first, left half first; the left half of a split is taken at once (not through
        // the stack, whose store and reload would stall).
        task tk{first, last, first_tangent, last_tangent};
        auto next = [&] {
            if (stack.empty()) return false;
            tk = stack.back();
            stack.pop_back();
            return true;
        };
        for (bool more = true; more;) {
            const std::size_t a = tk.a, b = tk.b;
            const v2 p0 = path[a], p3 = path[b];
            if (b == a + 1) {
                const double dist = len[b] / 3.0;
                add_piece(tk, {{p0, p0 + tk.t1 * dist, p3 + tk.t2 * dist, p3}});
                more = next();
                continue;
            }
            std::size_t split = a + 1;
            if (norm2(p3 - p0) == 0) {
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
                    add_piece(tk, c);
                    more = next();
                    continue;
                }
                failed.push_back(tk);
            }
            // Split with a shared tangent (G1).
            const v2 tc = -window_tangent(split, a, b, true, true, centre_window);  // backwards
            stack.push_back({split, b, -tc, tk.t2});
            tk = {a, split, tk.t1, tc};
        }
        if (pieces.size() == 1) {
            emit(pieces[0].c);
            return;
        }
        // Merge pass: splitting at the worst point can cut where no cut is needed (a circle
        // comes out in 6 or 12 pieces); two neighbours are replaced by one cubic over both
        // when it fits within tol with their outer tangents (not tried again when it is a fit
        // that failed above, as when both halves of a split fitted as they were).
        std::size_t w = 0;
        for (std::size_t r = 0; r < pieces.size(); ++r) {
            if (w > 0) {
                piece& left = pieces[w - 1];
                const piece& right = pieces[r];
                curve c;
                std::size_t worst;
                if (left.b - left.a + right.b - right.a > 2 && !(norm2(path[right.b] - path[left.a]) == 0) &&
                    !failed_before(left.a, right.b, left.t1, right.t2) &&
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

/// bezier_fit at SIMD level lvl (see the public function).
template <point_like P>
std::vector<cubic_bezier> fit_at(simd::level lvl, std::span<const P> points, const bezier_params& params) {
    constexpr std::string_view fn = "vecta::bezier_fit";
    detail::require(params.max_error > 0, fn, "params.max_error", "must be > 0 (and not NaN)");
    detail::require(params.corner_angle_deg > 0 && params.corner_angle_deg <= 180, fn, "params.corner_angle_deg",
                    "must be in (0, 180]");
    // The points without consecutive duplicates, written branch-free (one slot of slack for
    // the closing copy of the first point added below).
    std::vector<v2> pts(points.size() + 1);
    std::size_t n = 0;
    bool finite = true;
    v2 last{std::numeric_limits<double>::quiet_NaN(), 0.0};  // equal to no point
    for (const P& p : points) {
        const v2 q{static_cast<double>(get_x(p)), static_cast<double>(get_y(p))};
        // Bounded so that differences, squares and least-squares sums stay finite (fuzz_kernels
        // found infinite control points for coordinates near DBL_MAX).
        finite &= std::abs(q.x) <= 1e100 && std::abs(q.y) <= 1e100;
        pts[n] = q;
        n += !(last == q);
        last = q;
    }
    detail::require(finite, fn, "points", "must have finite coordinates (no NaN or infinity) of magnitude <= 1e100");
    if (params.closed)
        while (n > 1 && pts[n - 1] == pts[0]) --n;
    detail::require(n >= 2, fn, "points", "must contain at least 2 distinct points");
    const bool closed = params.closed;
    // Corners: turning angle between the incoming and outgoing edge above corner_angle_deg,
    // i.e. cos(turn) = d1.d2 / (|d1| |d2|) below cos(corner_angle_deg). Branch-free: on pixel
    // contours the outcome is close to random.
    std::vector<unsigned char> corner(n, 0);
    std::size_t corners = 0;
    if (params.corner_angle_deg < 180) {
        const double cos_corner = std::cos(params.corner_angle_deg * std::numbers::pi / 180.0);
        // Without a square root: dot < c |d1| |d2| compared through squares, by sign of c.
        const double c2 = cos_corner * cos_corner;
        auto turn = [&](v2 d1, v2 d2) noexcept -> unsigned char {
            const double dt = dot(d1, d2), rhs = c2 * (norm2(d1) * norm2(d2)), lhs = dt * dt;
            return cos_corner >= 0 ? (dt < 0) | (lhs < rhs) : (dt < 0) & (lhs > rhs);
        };
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const unsigned char c = turn(pts[i] - pts[i - 1], pts[i + 1] - pts[i]);
            corner[i] = c;
            corners += c;
        }
        if (closed) {
            corner[0] = turn(pts[0] - pts[n - 1], pts[1 % n] - pts[0]);
            corner[n - 1] = turn(pts[n - 1] - pts[n - 2], pts[0] - pts[n - 1]);
            corners += std::size_t(corner[0]) + (n > 1 ? corner[n - 1] : 0);
        }
    }

    // The path: a closed ring rotated to start at its first corner and closed by a copy of its
    // first point; edge lengths and cumulative arc length computed once.
    std::size_t start = 0;
    if (closed && corners > 0)
        while (!corner[start]) ++start;
    // Break points (branch-free: corners of pixel contours come at random).
    std::vector<std::size_t> breaks(corners + 3);
    std::size_t nbrk = 0;
    if (!closed) breaks[nbrk++] = 0;
    for (std::size_t k = start; k < n; ++k) {
        breaks[nbrk] = k - start;
        nbrk += corner[k];
    }
    for (std::size_t k = 0; k < start; ++k) {
        breaks[nbrk] = k + n - start;
        nbrk += corner[k];
    }
    breaks.resize(nbrk);
    v2* const path = pts.data();  // rotated in place
    std::rotate(path, path + start, path + n);
    if (closed) {
        path[n] = path[0];
        breaks.push_back(n);
    } else {
        breaks.push_back(n - 1);
    }
    if (breaks.front() != 0) breaks.insert(breaks.begin(), 0);  // closed ring without corners
    const std::size_t m = closed ? n + 1 : n;
    std::size_t longest = 0;  // the fitter's buffers need one slot (weights: 4) per point of a span
    for (std::size_t s = 0; s + 1 < breaks.size(); ++s) longest = std::max(longest, breaks[s + 1] - breaks[s]);
    const auto buf = std::make_unique_for_overwrite<double[]>(2 * m + 6 * (longest + 1));
    double *len = buf.get(), *cum = len + m;
    len[0] = cum[0] = 0;
    for (std::size_t k = 1; k < m; ++k) len[k] = norm2(path[k] - path[k - 1]);
    sqrt_in_place(lvl, len + 1, m - 1);  // len[k] = norm(path[k] - path[k - 1])
    for (std::size_t k = 1; k < m; ++k) cum[k] = cum[k - 1] + len[k];

    std::vector<cubic_bezier> out;
    out.reserve(breaks.size() - 1);  // at least one segment per corner-free span
    const double reach = 8.0 * params.max_error;
    const tangent_window centre_window{2, reach}, end_window{3, reach};
    double *u = cum + m, *u2 = u + (longest + 1), *weights = u2 + (longest + 1);
    fitter fit{path, len, cum, u, u2, weights, params.max_error, centre_window, out, lvl, {}, {}, {}};
    for (std::size_t s = 0; s + 1 < breaks.size(); ++s) {
        const std::size_t a = breaks[s], b = breaks[s + 1];
        v2 t1, t2;
        if (b == a + 1) {
            t1 = unit(path[b] - path[a]);
            t2 = -t1;
        } else if (closed && corners == 0) {
            // Smooth join at point 0: a window wrapping around the ring, at most half of it
            // on each side.
            const std::size_t half = (n - 1) / 2;
            double before, after;
            const std::size_t nb = centre_window.back(len, n, half, before);  // path[n] == path[0]
            const std::size_t na = centre_window.ahead(len, 0, half, after);
            std::vector<v2> win;
            std::vector<double> wlen;
            win.reserve(nb + na + 1);
            wlen.reserve(nb + na + 1);
            wlen.push_back(0);
            for (std::size_t k = n - nb; k < n; ++k) win.push_back(path[k]);
            for (std::size_t k = 0; k <= na; ++k) win.push_back(path[k]);
            for (std::size_t k = 1; k < win.size(); ++k) wlen.push_back(norm(win[k] - win[k - 1]));
            t1 = half == 0 ? unit(path[1] - path[0])
                           : forward_tangent(win.data(), wlen.data(), win.size(), nb, before, after);
            t2 = -t1;
        } else {
            t1 = fit.window_tangent(a, a, b, false, true, end_window);
            t2 = -fit.window_tangent(b, a, b, true, false, end_window);
        }
        fit.run(a, b, t1, t2);
    }
    return out;
}
}  // namespace detail::bezier

/// Fits a chain of cubic Bezier segments to a polyline so that every input point lies within
/// params.max_error of the curve, after P. J. Schneider, "An Algorithm for Automatically Fitting
/// Digitized Curves", Graphics Gems (1990): the polyline is cut at corners (vertices whose
/// turning angle exceeds corner_angle_deg); each corner-free span is fitted by least squares on
/// a chord-length parameterisation with fixed end tangents, refined by up to 4 Newton-Raphson
/// reparameterisations (when within 4 * max_error; stopped early when the error, shrinking at
/// the last round's rate, cannot reach max_error), and otherwise split at the worst point with
/// a shared tangent (G1 join).
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
/// distance to the curve. Complexity: O(n) per fit attempt, O(n log n) typical, O(n^2) worst;
/// edge lengths and arc lengths are computed once per call, scratch memory is O(n).
/// Throws vecta::invalid_argument for params.max_error <= 0 or NaN, params.corner_angle_deg
/// outside (0, 180], a NaN or infinite coordinate or one of magnitude above 1e100, or fewer than
/// 2 distinct points ("points").
/// The fitting loop runs at simd::max_level() (core/cpu.hpp, run-time dispatch; the policy
/// overloads take the policy's level): the same result at every level.
template <point_like P>
std::vector<cubic_bezier> bezier_fit(std::span<const P> points, const bezier_params& params = {}) {
    return detail::bezier::fit_at(simd::max_level(), points, params);
}

/// bezier_fit over a contiguous range of points (std::vector<P>, std::array, ...).
template <detail::point_range R>
std::vector<cubic_bezier> bezier_fit(const R& points, const bezier_params& params = {}) {
    return bezier_fit(detail::as_point_span(points), params);
}

/// The policy overloads: the fit is sequential (the policy's threading is not used); its SIMD
/// tag sets the run-time level of the fitting loop (same result at every level).
template <execution_policy Policy, point_like P>
std::vector<cubic_bezier> bezier_fit(const Policy& policy, std::span<const P> points,
                                     const bezier_params& params = {}) {
    return detail::bezier::fit_at(detail::policy_level(policy), points, params);
}
template <execution_policy Policy, detail::point_range R>
std::vector<cubic_bezier> bezier_fit(const Policy& policy, const R& points, const bezier_params& params = {}) {
    return detail::bezier::fit_at(detail::policy_level(policy), detail::as_point_span(points), params);
}

}  // namespace vecta
