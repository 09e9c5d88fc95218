// SPDX-License-Identifier: MIT
// vecta/geometry/douglas_peucker.hpp - Ramer-Douglas-Peucker polyline simplification.
//
// Works on any point type that vecta::point_like accepts (plain structs with x/y, Eigen
// vectors, std::array<T, 2>, std::pair, cv::Point2f) and on 3-D points (std::array<T, 3>,
// structs with members x, y, z such as cv::Point3f, Eigen 3-vectors): distances are then
// measured in 3-D. All arithmetic is in double precision, whatever the coordinate type.
//
// Speed: the farthest point of a span is found by a best-first search over a hierarchy of
// axis-aligned bounding boxes (leaves of 32 points, fan-out 16). A box whose bound on the
// distance cannot beat the best point found so far is skipped. The bound is computed with the
// same floating-point operations as the distance itself, so by the monotonicity of correctly
// rounded arithmetic it is a true upper bound on every computed distance in the box: the
// result is bit-for-bit that of the plain scan (same farthest point, same ties), only faster.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/point.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"
#include "point_range.hpp"

namespace vecta {

namespace detail {

/// The z coordinate of 3-D point types: std::array<T, 3>, members x, y, z, or a z() method on
/// a fixed 3-vector (Eigen). Other point_like types are 2-D.
template <class P>
struct dp_z {
    static constexpr bool present = false;
};
template <class T>
struct dp_z<std::array<T, 3>> {
    static constexpr bool present = true;
    static double z(const std::array<T, 3>& p) noexcept { return static_cast<double>(p[2]); }
};
template <class P>
requires requires(const P& p) { requires std::is_arithmetic_v<std::remove_cvref_t<decltype(p.z)>>; }
struct dp_z<P> {
    static constexpr bool present = true;
    static double z(const P& p) noexcept { return static_cast<double>(p.z); }
};
template <class P>
requires requires(const P& p) {
    requires P::SizeAtCompileTime == 3;
    requires std::is_arithmetic_v<std::remove_cvref_t<decltype(p.z())>>;
}
struct dp_z<P> {
    static constexpr bool present = true;
    static double z(const P& p) noexcept { return static_cast<double>(p.z()); }
};

/// Number of coordinates douglas_peucker measures distances in: 3 for dp_z types, else 2.
template <class P>
inline constexpr int dp_dim = dp_z<P>::present ? 3 : 2;

namespace rdp {

// The distance formulas. Every bound below is evaluated by these same functions on interval
// end points; do not change one without the other.

/// Cross-product term of 2-D point-to-line distance: u x (p - a) with u = b - a, X = px - ax,
/// Y = py - ay.
inline double cross2(double ux, double uy, double X, double Y) noexcept { return ux * Y - uy * X; }

/// Length of a 3-vector or 2-vector, as sqrt of the sum of squares (in this order).
inline double len3(double x, double y, double z) noexcept { return std::sqrt(x * x + y * y + z * z); }
inline double len2(double x, double y) noexcept { return std::sqrt(x * x + y * y); }

/// Coordinates in structure-of-arrays form, double precision; D = 2 or 3.
template <int D>
struct coords {
    std::vector<double> c[D];
    std::size_t size() const noexcept { return c[0].size(); }
};

/// The chord of a span: a = first point, u = b - a, len = |u|.
template <int D>
struct chord {
    double a[D], u[D], len;
};

/// Distance of point i to the chord's line (or to a when len == 0).
template <int D>
inline double distance(const coords<D>& p, const chord<D>& ch, std::size_t i) noexcept {
    if constexpr (D == 2) {
        const double X = p.c[0][i] - ch.a[0], Y = p.c[1][i] - ch.a[1];
        if (ch.len == 0.0) return len2(X, Y);
        return std::abs(cross2(ch.u[0], ch.u[1], X, Y)) / ch.len;
    } else {
        const double X = p.c[0][i] - ch.a[0], Y = p.c[1][i] - ch.a[1], Z = p.c[2][i] - ch.a[2];
        if (ch.len == 0.0) return len3(X, Y, Z);
        const double wx = cross2(ch.u[1], ch.u[2], Y, Z);  // uy * Z - uz * Y
        const double wy = cross2(ch.u[2], ch.u[0], Z, X);  // uz * X - ux * Z
        const double wz = cross2(ch.u[0], ch.u[1], X, Y);  // ux * Y - uy * X
        return len3(wx, wy, wz) / ch.len;
    }
}

/// Largest |value| that cross2(ux, uy, X, Y) can take for X in [xl, xh], Y in [yl, yh],
/// computed with the same rounded operations (each is monotonic in each argument), so it
/// bounds every computed value, not only the exact ones. NaN when an end point overflows.
inline double cross2_bound(double ux, double uy, double xl, double xh, double yl, double yh) noexcept {
    // cross2 = ux * Y - uy * X: the largest value takes the largest ux * Y and the smallest uy * X.
    const double p1 = ux * yl, p2 = ux * yh, q1 = uy * xl, q2 = uy * xh;
    const double hi = std::max(p1, p2) - std::min(q1, q2);
    const double lo = std::min(p1, p2) - std::max(q1, q2);
    if (std::isnan(hi) || std::isnan(lo) || std::isnan(p1) || std::isnan(p2) || std::isnan(q1) || std::isnan(q2))
        return std::numeric_limits<double>::quiet_NaN();
    return std::max(std::abs(hi), std::abs(lo));
}

/// Largest |v| for v = fl(x - a) with x in [lo, hi].
inline double diff_bound(double lo, double hi, double a) noexcept {
    return std::max(std::abs(lo - a), std::abs(hi - a));
}

/// Bounding boxes of the points, by levels: level 0 boxes hold 32 points, each further level
/// 16 boxes of the level below.
template <int D>
struct box_tree {
    static constexpr std::size_t leaf = 32, fan = 16;
    struct level {
        std::size_t span;                  // points per box
        std::vector<double> lo[D], hi[D];  // box extents per coordinate
    };
    std::vector<level> levels;

    void build(const coords<D>& p) {
        const std::size_t n = p.size();
        levels.clear();
        std::size_t span = leaf;
        {
            level L;
            L.span = span;
            const std::size_t m = (n + span - 1) / span;
            for (int d = 0; d < D; ++d) {
                L.lo[d].resize(m);
                L.hi[d].resize(m);
                const double* c = p.c[d].data();
                for (std::size_t j = 0; j < m; ++j) {
                    const std::size_t e = std::min(n, (j + 1) * span);
                    double mn = c[j * span], mx = mn;
                    for (std::size_t i = j * span + 1; i < e; ++i) {
                        mn = std::min(mn, c[i]);
                        mx = std::max(mx, c[i]);
                    }
                    L.lo[d][j] = mn;
                    L.hi[d][j] = mx;
                }
            }
            levels.push_back(std::move(L));
        }
        while (levels.back().lo[0].size() > fan) {
            const level& below = levels.back();
            level L;
            L.span = below.span * fan;
            const std::size_t mb = below.lo[0].size(), m = (mb + fan - 1) / fan;
            for (int d = 0; d < D; ++d) {
                L.lo[d].resize(m);
                L.hi[d].resize(m);
                for (std::size_t j = 0; j < m; ++j) {
                    const std::size_t e = std::min(mb, (j + 1) * fan);
                    double mn = below.lo[d][j * fan], mx = below.hi[d][j * fan];
                    for (std::size_t k = j * fan + 1; k < e; ++k) {
                        mn = std::min(mn, below.lo[d][k]);
                        mx = std::max(mx, below.hi[d][k]);
                    }
                    L.lo[d][j] = mn;
                    L.hi[d][j] = mx;
                }
            }
            levels.push_back(std::move(L));
        }
    }

    /// Upper bound on distance(p, ch, i) over the points of box j of level l (NaN when unknown).
    double bound(std::size_t l, std::size_t j, const chord<D>& ch) const noexcept {
        const level& L = levels[l];
        if constexpr (D == 2) {
            const double xl = L.lo[0][j] - ch.a[0], xh = L.hi[0][j] - ch.a[0];
            const double yl = L.lo[1][j] - ch.a[1], yh = L.hi[1][j] - ch.a[1];
            if (ch.len == 0.0) return len2(std::max(std::abs(xl), std::abs(xh)), std::max(std::abs(yl), std::abs(yh)));
            return cross2_bound(ch.u[0], ch.u[1], xl, xh, yl, yh) / ch.len;
        } else {
            const double xl = L.lo[0][j] - ch.a[0], xh = L.hi[0][j] - ch.a[0];
            const double yl = L.lo[1][j] - ch.a[1], yh = L.hi[1][j] - ch.a[1];
            const double zl = L.lo[2][j] - ch.a[2], zh = L.hi[2][j] - ch.a[2];
            if (ch.len == 0.0)
                return len3(std::max(std::abs(xl), std::abs(xh)), std::max(std::abs(yl), std::abs(yh)),
                            std::max(std::abs(zl), std::abs(zh)));
            const double wx = cross2_bound(ch.u[1], ch.u[2], yl, yh, zl, zh);
            const double wy = cross2_bound(ch.u[2], ch.u[0], zl, zh, xl, xh);
            const double wz = cross2_bound(ch.u[0], ch.u[1], xl, xh, yl, yh);
            return len3(wx, wy, wz) / ch.len;
        }
    }
};

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// The 2-D scan of points [i0, i1) (i1 - i0 >= 2 lanes) against a chord with len != 0, with
/// vectors of B bytes (core/vec.hpp): per lane the first maximum of |ux Y - uy X| / len, the
/// operations of distance() in its order (so the same bits), folded into (best, at) (a larger
/// distance, or an equal one at a lower index, wins; NaN never does). Returns where it stopped.
template <int B>
VECTA_ALWAYS_INLINE std::size_t scan2_vec(const double* xs, const double* ys, const chord<2>& ch, std::size_t i0,
                                          std::size_t i1, double& best, std::size_t& at) noexcept {
    using V = vec<double, B>;
    using VI = vec<std::int64_t, B>;
    constexpr std::size_t N = B / 8;
    const V ax = V{} + ch.a[0], ay = V{} + ch.a[1], ux = V{} + ch.u[0], uy = V{} + ch.u[1], len = V{} + ch.len;
    V bd = V{} - 1.0;
    VI bi{}, idx{};
    for (std::size_t k = 0; k < N; ++k) idx[k] = static_cast<std::int64_t>(i0 + k);
    std::size_t i = i0;
    for (; i + N <= i1; i += N) {
        const V X = vload<V>(xs + i) - ax, Y = vload<V>(ys + i) - ay;
        const V c = ux * Y - uy * X;
        const V d = (V)((VI)c & std::int64_t(0x7FFFFFFFFFFFFFFF)) / len;  // |cross2| / len
        const VI m = (VI)(d > bd);
        vselect(bd, m, d, bd);
        vselect(bi, m, idx, bi);
        idx += static_cast<std::int64_t>(N);
    }
    for (std::size_t k = 0; k < N; ++k) {
        const auto j = static_cast<std::size_t>(bi[k]);
        if (bd[k] > best || (bd[k] == best && j < at)) {
            best = bd[k];
            at = j;
        }
    }
    return i;
}
VECTA_VEC_END
#endif

/// Finds the farthest point of spans and runs the split loop; the 2-D scans run at SIMD level
/// `lvl` (run-time dispatch, core/cpu.hpp; the same result at every level).
template <int D>
struct simplifier {
    const coords<D>& p;
    box_tree<D> tree;
    bool use_tree = false;
    struct node {
        double bound;
        std::size_t level, index, first;
    };
    std::vector<node> heap;
    std::vector<std::pair<std::size_t, std::size_t>> stack;

    static constexpr std::size_t tree_min_points = 256;  // below this, a span is scanned

    simd::level lvl;

    simplifier(const coords<D>& pts, simd::level l) : p(pts), lvl(l) {
        if (p.size() >= 2 * tree_min_points) {
            tree.build(p);
            use_tree = true;
        }
    }

    chord<D> make_chord(std::size_t a, std::size_t b) const noexcept {
        chord<D> ch{};
        for (int d = 0; d < D; ++d) {
            ch.a[d] = p.c[d][a];
            ch.u[d] = p.c[d][b] - ch.a[d];
        }
        if constexpr (D == 2)
            ch.len = len2(ch.u[0], ch.u[1]);
        else
            ch.len = len3(ch.u[0], ch.u[1], ch.u[2]);
        return ch;
    }

    /// Scans points [i0, i1); (best, at) is the first maximum so far (a larger distance, or an
    /// equal one at a lower index, replaces it). NaN distances never win.
    void scan(const chord<D>& ch, std::size_t i0, std::size_t i1, double& best, std::size_t& at) const noexcept {
#if VECTA_VECTOR_EXT
        if constexpr (D == 2) {
            const int bytes = level_bytes(lvl);
            if (ch.len != 0.0 && bytes > 0 && i1 - i0 >= 2 * std::size_t(bytes / 8)) {
                const double *xs = p.c[0].data(), *ys = p.c[1].data();
                i0 = dispatch_width(lvl, [&](auto w) VECTA_LAMBDA_INLINE {
                    if constexpr (w() != 0)
                        return scan2_vec<w()>(xs, ys, ch, i0, i1, best, at);
                    else
                        return i0;
                });
            }
        }
#endif
        for (std::size_t i = i0; i < i1; ++i) {
            const double d = distance(p, ch, i);
            if (d > best || (d == best && i < at)) {
                best = d;
                at = i;
            }
        }
    }

    // Heap order: larger bound first (NaN counts as +infinity), then lower first index.
    static bool before(const node& x, const node& y) noexcept {
        const double bx = std::isnan(x.bound) ? HUGE_VAL : x.bound, by = std::isnan(y.bound) ? HUGE_VAL : y.bound;
        if (bx != by) return bx < by;
        return x.first > y.first;
    }
    // A box cannot hold the first maximum when its bound is below the best distance, or equal
    // to it with all its points after the best one.
    static bool prunable(double bound, std::size_t first, double best, std::size_t at) noexcept {
        return bound < best || (bound == best && first > at);
    }

    void push(std::size_t l, std::size_t j, const chord<D>& ch, double best, std::size_t at) {
        const std::size_t first = j * tree.levels[l].span;
        const double b = tree.bound(l, j, ch);
        if (prunable(b, first, best, at)) return;
        heap.push_back({b, l, j, first});
        std::push_heap(heap.begin(), heap.end(), before);
    }

    /// The first farthest interior point of span (a, b): (distance, index); (-1, a) when none
    /// has a comparable distance (all NaN) or the span has no interior.
    std::pair<double, std::size_t> farthest(std::size_t a, std::size_t b) {
        const chord<D> ch = make_chord(a, b);
        double best = -1.0;
        std::size_t at = a;
        if (!use_tree || b - a < tree_min_points) {
            scan(ch, a + 1, b, best, at);
            return {best, at};
        }
        const std::size_t lo = a + 1, hi = b;  // interior [lo, hi)
        const std::size_t L0 = box_tree<D>::leaf;
        // Partial leaves at both ends are scanned; whole leaves go to the tree walk.
        const std::size_t f = (lo + L0 - 1) / L0, e = hi / L0;  // whole leaves [f, e)
        scan(ch, lo, f * L0, best, at);
        scan(ch, e * L0, hi, best, at);
        heap.clear();
        // Cover the leaves [f, e) by maximal aligned boxes, level by level.
        std::size_t nf = f, ne = e;
        for (std::size_t l = 0; nf < ne; ++l) {
            const bool top = l + 1 == tree.levels.size();
            const std::size_t pf = top ? ne : (nf + box_tree<D>::fan - 1) / box_tree<D>::fan;
            const std::size_t pe = top ? ne : ne / box_tree<D>::fan;
            if (top || pf >= pe) {
                for (std::size_t j = nf; j < ne; ++j) push(l, j, ch, best, at);
                break;
            }
            for (std::size_t j = nf; j < pf * box_tree<D>::fan; ++j) push(l, j, ch, best, at);
            for (std::size_t j = pe * box_tree<D>::fan; j < ne; ++j) push(l, j, ch, best, at);
            nf = pf;
            ne = pe;
        }
        while (!heap.empty()) {
            std::pop_heap(heap.begin(), heap.end(), before);
            const node nd = heap.back();
            heap.pop_back();
            if (prunable(nd.bound, nd.first, best, at)) break;  // nothing after it can win
            if (nd.level == 0) {
                scan(ch, nd.first, std::min(nd.first + L0, p.size()), best, at);
            } else {
                const std::size_t c0 = nd.index * box_tree<D>::fan;
                const std::size_t c1 = std::min(c0 + box_tree<D>::fan, tree.levels[nd.level - 1].lo[0].size());
                for (std::size_t c = c0; c < c1; ++c) push(nd.level - 1, c, ch, best, at);
            }
        }
        return {best, at};
    }

    /// Marks keep[i] for the points of (first, last) the rule keeps.
    void run(std::size_t first, std::size_t last, double epsilon, std::vector<char>& keep) {
        stack.clear();
        stack.emplace_back(first, last);
        while (!stack.empty()) {
            const auto [a, b] = stack.back();
            stack.pop_back();
            if (b <= a + 1) continue;
            const auto [dmax, imax] = farthest(a, b);
            if (dmax > epsilon) {
                keep[imax] = 1;
                stack.emplace_back(imax, b);
                stack.emplace_back(a, imax);
            }
        }
    }
};

}  // namespace rdp

template <point_like P>
std::vector<std::size_t> dp_indices(simd::level lvl, std::span<const P> points, double epsilon, bool closed,
                                    std::string_view fn) {
    constexpr int D = dp_dim<P>;
    detail::require(!std::isnan(epsilon) && epsilon >= 0.0, fn, "epsilon", "must be >= 0 and not NaN");
    const std::size_t n = points.size();
    rdp::coords<D> c;
    for (int d = 0; d < D; ++d) c.c[d].resize(n + (closed ? 1 : 0));
    for (std::size_t i = 0; i < n; ++i) {
        const P& q = points[i];
        c.c[0][i] = get_x(q);
        c.c[1][i] = get_y(q);
        if constexpr (D == 3) c.c[2][i] = dp_z<P>::z(q);
        bool finite = true;
        for (int d = 0; d < D; ++d) finite = finite && std::isfinite(c.c[d][i]);
        detail::require(finite, fn, "points", "must have finite coordinates (no NaN or infinity)");
    }
    std::vector<std::size_t> out;
    if (n <= 2) {
        for (std::size_t i = 0; i < n; ++i) out.push_back(i);
        return out;
    }
    std::vector<char> keep(n + 1, 0);
    keep[0] = 1;
    if (!closed) {
        keep[n - 1] = 1;
        rdp::simplifier<D> s(c, lvl);
        s.run(0, n - 1, epsilon, keep);
    } else {
        // Split the ring at point 0 and the point farthest from it (first maximum); ring
        // index n is point 0 again.
        for (int d = 0; d < D; ++d) c.c[d][n] = c.c[d][0];
        rdp::simplifier<D> s(c, lvl);
        const rdp::chord<D> at0 = s.make_chord(0, 0);  // len 0: distances to point 0
        double dmax = -1.0;
        std::size_t k = 1;
        s.scan(at0, 1, n, dmax, k);
        keep[k] = 1;
        s.run(0, k, epsilon, keep);
        s.run(k, n, epsilon, keep);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) out.push_back(i);
    return out;
}

}  // namespace detail

/// Parameters of douglas_peucker and douglas_peucker_indices.
struct douglas_peucker_params {
    /// Tolerance, in the points' units (>= 0, not NaN): a point is kept when its distance to
    /// the chord exceeds epsilon. The default suits pixel contours (one pixel).
    double epsilon = 1.0;
    /// The points form a ring (first point not repeated at the end).
    bool closed = false;
};

/// Ramer-Douglas-Peucker simplification (U. Ramer 1972; D. Douglas, T. Peucker 1973): the
/// indices, ascending, of the points kept. Within a span, the point farthest from the chord is
/// kept when its distance exceeds epsilon (strictly), and both halves are simplified in turn;
/// the first and last points are always kept. The distance to the chord is the perpendicular
/// distance to the chord's line, |u x (p - a)| / |u| with u = b - a (not to the segment: this
/// is the textbook rule, and OpenCV's approxPolyDP), or the distance to a when the chord is
/// degenerate (a == b). Ties go to the lowest index. 2-D points are measured in the x-y plane;
/// 3-D points (std::array<T, 3>, members x, y, z, Eigen 3-vectors) in space. Coordinates are
/// read as double; |v| is sqrt of the sum of squares.
///
/// params.epsilon: the tolerance. params.closed: the points form a ring (first point not
/// repeated at the end); the ring is split at point 0 and the point farthest from it (both kept), and both halves are
/// simplified. An empty input returns an empty result; 1 or 2 points are returned unchanged. The result is identical to
/// the plain recursive algorithm; an explicit stack (no recursion depth limit), SIMD scans (the policy's SIMD level,
/// dispatched at run time; `vecta::seq | vecta::simd::scalar` for plain loops, same result) and a bounding-box
/// hierarchy (exact pruning, see the top of this header) make it fast on long noisy inputs. The policy's threading is
/// not used (sequential). Complexity: O(n) extra memory (the coordinates as double); time O(n log n) typical, O(n^2)
/// worst case.
/// Throws vecta::invalid_argument if params.epsilon is negative or NaN ("epsilon"), or a coordinate is NaN or
/// infinite ("points").
template <execution_policy Policy, point_like P>
std::vector<std::size_t> douglas_peucker_indices(const Policy& policy, std::span<const P> points,
                                                 const douglas_peucker_params& params = {}) {
    return detail::dp_indices(detail::policy_level(policy), points, params.epsilon, params.closed,
                              "vecta::douglas_peucker_indices");
}

/// douglas_peucker_indices over a contiguous range of points (std::vector<P>, std::array, ...).
template <execution_policy Policy, detail::point_range R>
std::vector<std::size_t> douglas_peucker_indices(const Policy& policy, const R& points,
                                                 const douglas_peucker_params& params = {}) {
    return douglas_peucker_indices(policy, detail::as_point_span(points), params);
}

/// douglas_peucker_indices(vecta::seq, points, params).
template <point_like P>
std::vector<std::size_t> douglas_peucker_indices(std::span<const P> points, const douglas_peucker_params& params = {}) {
    return douglas_peucker_indices(seq, points, params);
}
template <detail::point_range R>
std::vector<std::size_t> douglas_peucker_indices(const R& points, const douglas_peucker_params& params = {}) {
    return douglas_peucker_indices(seq, detail::as_point_span(points), params);
}

/// Ramer-Douglas-Peucker simplification: copies of the kept points, in input order, of the
/// input's type (see douglas_peucker_indices for the rule, ring handling, policy and errors).
/// For a closed ring the result is again a ring starting at point 0, not repeated at the end.
template <execution_policy Policy, point_like P>
std::vector<P> douglas_peucker(const Policy& policy, std::span<const P> points,
                               const douglas_peucker_params& params = {}) {
    const auto idx = detail::dp_indices(detail::policy_level(policy), points, params.epsilon, params.closed,
                                        "vecta::douglas_peucker");
    std::vector<P> out;
    out.reserve(idx.size());
    for (std::size_t i : idx) out.push_back(points[i]);
    return out;
}

/// douglas_peucker over a contiguous range of points (std::vector<P>, std::array, ...).
template <execution_policy Policy, detail::point_range R>
std::vector<detail::point_range_value<R>> douglas_peucker(const Policy& policy, const R& points,
                                                          const douglas_peucker_params& params = {}) {
    return douglas_peucker(policy, detail::as_point_span(points), params);
}

/// douglas_peucker(vecta::seq, points, params).
template <point_like P>
std::vector<P> douglas_peucker(std::span<const P> points, const douglas_peucker_params& params = {}) {
    return douglas_peucker(seq, points, params);
}
template <detail::point_range R>
std::vector<detail::point_range_value<R>> douglas_peucker(const R& points, const douglas_peucker_params& params = {}) {
    return douglas_peucker(seq, detail::as_point_span(points), params);
}

}  // namespace vecta
