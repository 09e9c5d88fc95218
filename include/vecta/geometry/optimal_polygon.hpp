// SPDX-License-Identifier: MIT
// vecta/geometry/optimal_polygon.hpp - the optimal polygon of a closed lattice outline.
//
// Written from P. Selinger, "Potrace: a polygon-based tracing algorithm" (2003), section 2.2
// (straight paths, possible segments, penalty, optimal polygon), with data structures of our
// own: the outline as unit-step lattice points, per-point direction codes and run ends, and
// prefix sums of x, y, x^2, xy, y^2 in wrapping 64-bit arithmetic (exact for every window whose
// true moment fits in 64 bits, whatever the magnitude of the running total). The penalty from
// prefix sums is section 2.2.3's; a window across the start point subtracts the ring's total
// from the base instead of storing the sums twice (our formulation).
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
    /// n + 1 prefix sums of x, y, x*x, x*y, y*y over the first n points (wrapping uint64:
    /// differences are exact); a sum to k > n is the ring's sum plus the sum to k - n.
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
        require(
            (dx == 0) != (dy == 0), fn, "outline",
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
        for (std::size_t t = 2 * n; t-- > 0;) {  // i = t mod n, next = (t + 1) mod n (no division)
            const std::size_t i = t < n ? t : t - n, next = i + 1 == n ? 0 : i + 1;
            if (t + 1 == 2 * n || p.dir[next] != p.dir[i]) end = std::int64_t(t) + 1;
            if (t < n) p.run_end[i] = std::int32_t(end);
        }
    }
    for (auto* s : {&p.sx, &p.sy, &p.sxx, &p.sxy, &p.syy}) s->resize(n + 1);
    std::uint64_t sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;  // the five sums in one pass
    p.sx[0] = p.sy[0] = p.sxx[0] = p.sxy[0] = p.syy[0] = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto ux = std::uint64_t(std::int64_t(p.x[i])), uy = std::uint64_t(std::int64_t(p.y[i]));
        p.sx[i + 1] = sx += ux;
        p.sy[i + 1] = sy += uy;
        p.sxx[i + 1] = sxx += ux * ux;
        p.sxy[i + 1] = sxy += ux * uy;
        p.syy[i + 1] = syy += uy * uy;
    }
}

/// Moments of points i..j (i <= j < 2n) about p_i: count, sums of dx, dy, dx^2, dx dy, dy^2.
/// Exact in wrapping arithmetic when the true values fit in 64 bits.
struct moments {
    double count, x, y, xx, xy, yy;
};

/// The windows p_i..p_j that start at one point p_i (i <= n), for any j in [i, 2n): the anchor
/// and its prefix sums are read once (the polygon search evaluates many edges from one point).
struct windows_from {
    const lattice_path& p;
    std::size_t i;
    std::int64_t ax, ay;
    std::uint64_t sx, sy, sxx, sxy, syy;
    windows_from(const lattice_path& path, std::size_t first) noexcept
        : p(path),
          i(first),
          ax(path.x[first]),
          ay(path.y[first]),
          sx(path.sx[first]),
          sy(path.sy[first]),
          sxx(path.sxx[first]),
          sxy(path.sxy[first]),
          syy(path.syy[first]) {}
    /// Moments of p_i..p_j about p_i, as wrapping integers (exact when the true values fit).
    struct raw_moments {
        std::uint64_t count, x, y, xx, xy, yy;
    };
    raw_moments raw(std::size_t j) const noexcept {
        const std::uint64_t c = j - i + 1, uax = std::uint64_t(ax), uay = std::uint64_t(ay);
        std::size_t k = j + 1;
        std::uint64_t bx = sx, by = sy, bxx = sxx, bxy = sxy, byy = syy;  // the sums before p_i
        if (k > p.n) {  // the sum to k is the ring's plus the sum to k - n (the points repeat)
            k -= p.n;
            bx -= p.sx[p.n];
            by -= p.sy[p.n];
            bxx -= p.sxx[p.n];
            bxy -= p.sxy[p.n];
            byy -= p.syy[p.n];
        }
        const std::uint64_t wx = p.sx[k] - bx, wy = p.sy[k] - by;
        const std::uint64_t xx = (p.sxx[k] - bxx) - 2 * uax * wx + c * uax * uax;
        const std::uint64_t yy = (p.syy[k] - byy) - 2 * uay * wy + c * uay * uay;
        const std::uint64_t xy = (p.sxy[k] - bxy) - uax * wy - uay * wx + c * uax * uay;
        return {c, wx - c * uax, wy - c * uay, xx, xy, yy};
    }
    /// Moments of p_i..p_j about p_i.
    moments to(std::size_t j) const noexcept {
        const raw_moments m = raw(j);
        return {double(m.count),
                double(std::int64_t(m.x)),
                double(std::int64_t(m.y)),
                double(std::int64_t(m.xx)),
                double(std::int64_t(m.xy)),
                double(std::int64_t(m.yy))};
    }
    /// Penalty of the polygon edge p_i -> p_j (Selinger 2003, section 2.2.3): the edge's length
    /// times the root mean square Euclidean distance of the path points p_i..p_j from the line
    /// through p_i and p_j, which equals sqrt(sum of cross(p_j - p_i, p_k - p_i)^2 / count).
    double penalty(std::size_t j) const noexcept {
        const raw_moments m = raw(j);
        return edge_penalty(p.x[j] - ax, p.y[j] - ay, m.count, m.xx, m.xy, m.yy);
    }
    /// The penalty from the edge vector (ux, uy) and the moments (one expression for penalty()
    /// and penalty_walk, so that both give the same bits).
    static double edge_penalty(std::int64_t dx, std::int64_t dy, std::uint64_t count, std::uint64_t mxx,
                               std::uint64_t mxy, std::uint64_t myy) noexcept {
        return penalty_from(edge_square_sum(dx, dy, mxx, mxy, myy), count);
    }
    /// sqrt(square_sum / count), the square sum clamped at 0 (rounding can make it negative).
    static double penalty_from(double square_sum, std::uint64_t count) noexcept {
        return std::sqrt(std::max(square_sum, 0.0) / double(count));
    }
    /// count * penalty^2 (before the clamp at 0): the sum of the squared cross products.
    static double edge_square_sum(std::int64_t dx, std::int64_t dy, std::uint64_t mxx, std::uint64_t mxy,
                                  std::uint64_t myy) noexcept {
        const double ux = double(dx), uy = double(dy);
        const double xx = double(std::int64_t(mxx)), xy = double(std::int64_t(mxy)), yy = double(std::int64_t(myy));
        return ux * ux * yy - 2 * ux * uy * xy + uy * uy * xx;
    }
};

/// The penalties of the edges p_i -> p_j for j = j0, j0 + 1, ... in turn (the polygon search's
/// inner loop): the moments are updated by one point per step instead of read from the five
/// prefix sums, the same integers modulo 2^64 and so the same penalties as windows_from::penalty.
struct penalty_walk {
    const lattice_path& p;
    std::int64_t ax, ay;
    std::size_t j;
    std::uint64_t count, xx, xy, yy;
    /// Starts before j0 (i < j0 < 2n).
    penalty_walk(const windows_from& w, std::size_t j0) noexcept : p(w.p), ax(w.ax), ay(w.ay), j(j0 - 1) {
        const windows_from::raw_moments m = w.raw(j);
        count = m.count;
        xx = m.xx;
        xy = m.xy;
        yy = m.yy;
    }
    /// Moves to the next edge p_i -> p_j (j = j0 at the first call; j < 2n) and returns
    /// count * penalty^2 for it (windows_from::edge_square_sum).
    double next_square_sum() noexcept {
        ++j;
        const std::int64_t dx = p.x[j] - ax, dy = p.y[j] - ay;
        const auto ux = std::uint64_t(dx), uy = std::uint64_t(dy);
        ++count;
        xx += ux * ux;
        xy += ux * uy;
        yy += uy * uy;
        return windows_from::edge_square_sum(dx, dy, xx, xy, yy);
    }
    /// The penalty of the current edge from next_square_sum()'s value (as windows_from::penalty).
    double penalty(double square_sum) const noexcept { return windows_from::penalty_from(square_sum, count); }
};

/// The lines still possible for a straight subpath, in one of two parametrisations: the line
/// t x + (1 - t) y = c or t x - (1 - t) y = c with t in [0, 1] (normals with |.|_1 = 1 in the
/// first or the fourth quadrant: together every line). A line a x + b y = c meets the closed
/// unit square around (u, v) iff |a u + b v - c| <= (|a| + |b|) / 2 = 1/2: two half-planes in
/// (t, c). The possible (t, c) form a convex polygon, clipped point by point.
struct line_region {
    static constexpr int capacity = 24;
    double a[capacity], b[capacity];
    int count = 0;
    /// Keeps the part where ca * a + cb * b <= c (with a tolerance of 1e-9 for rounding).
#if defined(__GNUC__)
    [[gnu::noinline]]  // out of line: about 1 % faster at -O3 than inlined into every admit
#endif
    void
    clip(double ca, double cb, double c) noexcept {
        constexpr double eps = 1e-9;
        double f[capacity];
        double hi = -std::numeric_limits<double>::infinity(), lo = -hi;  // branch-free reductions
        for (int i = 0; i < count; ++i) {
            f[i] = ca * a[i] + cb * b[i] - c;
            hi = std::max(hi, f[i]);
            lo = std::min(lo, f[i]);
        }
        if (!(hi > eps)) return;  // the usual case: the constraint does not cut
        if (!(lo <= eps)) {       // every vertex out
            count = 0;
            return;
        }
        double na[capacity], nb[capacity];
        int m = 0;
        for (int i = 0; i < count && m <= capacity - 2; ++i) {
            const int j = i + 1 == count ? 0 : i + 1;
            const double fi = f[i], fj = f[j];
            if (fi <= eps) {
                na[m] = a[i];
                nb[m++] = b[i];
            }
            if ((fi < -eps && fj > eps) || (fi > eps && fj < -eps)) {
                const double t = fi / (fi - fj);
                na[m] = a[i] + t * (a[j] - a[i]);
                nb[m++] = b[i] + t * (b[j] - b[i]);
            }
        }
        // A polygon this complex never arises from lattice points; if it did, give up (empty).
        count = m <= capacity - 2 ? m : 0;
        std::copy(na, na + count, a);
        std::copy(nb, nb + count, b);
    }
    /// The range [lo, hi] of a u + b v - c over the region (the extremes are at its vertices:
    /// the function is linear in (t, c), slope t + base - c with b = sign (1 - t)).
    struct range {
        double lo, hi;
    };
    range spread(double u, double v, double sign) const noexcept {
        const double slope = u - sign * v, base = sign * v;
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (int i = 0; i < count; ++i) {
            const double g = slope * a[i] + base - b[i];
            lo = std::min(lo, g);
            hi = std::max(hi, g);
        }
        return {lo, hi};
    }
    /// Whether some line of the region meets the unit square around (u, v): the range of
    /// spread() meets [-1/2, 1/2] (with the tolerance of clip).
    static bool meets(range r) noexcept {
        constexpr double eps = 1e-9;
        return r.lo - 0.5 <= eps && -r.hi - 0.5 <= eps;
    }
    bool meets(double u, double v, double sign) const noexcept { return meets(spread(u, v, sign)); }
    /// Keeps the lines that meet the unit square around (u, v); sign = +1 or -1 for b = +-(1 - t).
    /// r = spread(u, v, sign): most points cut nothing (r inside [-1/2, 1/2]), and then the
    /// region is left as it is without a clipping pass; otherwise only the side(s) that cut are
    /// clipped (clipping one side never moves the region's range past the other side).
    void admit(double u, double v, double sign, range r) noexcept {
        constexpr double eps = 1e-9;
        const double slope = u - sign * v, base = sign * v;  // a u + b v = slope t + base
        if (r.hi - 0.5 > eps) clip(slope, -1, 0.5 - base);   // slope t + base - c <= 1/2
        if (-r.lo - 0.5 > eps) clip(-slope, 1, 0.5 + base);  // c - slope t - base <= 1/2
    }
    void admit(double u, double v, double sign) noexcept { admit(u, v, sign, spread(u, v, sign)); }
};

/// The possible lines of a straight subpath (coordinates relative to its first point), in the
/// two parametrisations.
struct line_set {
    line_region region[2];
    void reset() noexcept {
        for (int o = 0; o < 2; ++o) {
            line_region& r = region[o];
            // t in [0, 1] and the lines meeting the first point's square (0, 0): |c| <= 1/2.
            r.count = 4;
            r.a[0] = 0, r.b[0] = -0.5;
            r.a[1] = 1, r.b[1] = -0.5;
            r.a[2] = 1, r.b[2] = 0.5;
            r.a[3] = 0, r.b[3] = 0.5;
        }
    }
    bool empty() const noexcept { return region[0].count == 0 && region[1].count == 0; }
    /// Copies the regions' vertices in use only (a line_set is 784 bytes, the vertices in use
    /// usually a few).
    void assign(const line_set& o) noexcept {
        for (int r = 0; r < 2; ++r) {
            const int c = o.region[r].count;
            region[r].count = c;
            std::copy(o.region[r].a, o.region[r].a + c, region[r].a);
            std::copy(o.region[r].b, o.region[r].b + c, region[r].b);
        }
    }
    /// Whether some line left also meets the square around (dx, dy) (nothing narrowed).
    bool meets(std::int64_t dx, std::int64_t dy) const noexcept {
        for (int o = 0; o < 2; ++o)
            if (region[o].count != 0 && region[o].meets(double(dx), double(dy), o == 0 ? 1.0 : -1.0)) return true;
        return false;
    }
    /// Narrows to the lines that also meet the square around (dx, dy); false if none is left.
    bool admit(std::int64_t dx, std::int64_t dy) noexcept {
        for (int o = 0; o < 2; ++o)
            if (region[o].count != 0) region[o].admit(double(dx), double(dy), o == 0 ? 1.0 : -1.0);
        return !empty();
    }
    /// meets() and then, if true, admit(), in one pass over the regions' vertices: false (and
    /// nothing narrowed) when no line left meets the square around (dx, dy).
    bool try_admit(std::int64_t dx, std::int64_t dy) noexcept {
        const double u = double(dx), v = double(dy);
        line_region::range r[2];
        bool ok[2];
        for (int o = 0; o < 2; ++o) {
            r[o] = region[o].spread(u, v, o == 0 ? 1.0 : -1.0);  // empty region: lo = inf, fails meets
            ok[o] = region[o].count != 0 && line_region::meets(r[o]);
        }
        if (!ok[0] && !ok[1]) return false;
        for (int o = 0; o < 2; ++o) {
            if (!ok[o])
                region[o].count = 0;  // clipping would empty it
            else
                region[o].admit(u, v, o == 0 ? 1.0 : -1.0, r[o]);
        }
        return true;
    }
};

/// The last point of the straight run that starts with step k (k < 2n; the result is > k).
inline std::size_t run_end_after(const lattice_path& p, std::size_t k) noexcept {
    const std::size_t kk = k < p.n ? k : k - p.n;
    return std::size_t(p.run_end[kk]) + (k - kk);
}

/// The part known straight, shared between starts: for a pivot m and the run ends e before it
/// (descending), the lines meeting the squares of p_e..p_m (origin p_m) and the step directions
/// used from e to m. A start a before m whose part known straight reaches m takes the entry of
/// the first run end after a and admits p_a's square: O(1) region work for that part instead of
/// one admission per run end (the suffix half of a two-stack sliding window; the lines meeting
/// the squares of p_a..p_m are the same set in any order of admission, as in
/// straight_reach_from). Entries are added going back from the pivot, each one clip of the one
/// after it.
struct known_part_regions {
    static constexpr std::size_t capacity = 32;
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::size_t pivot = none;
    std::size_t size = 0;          ///< entries; at[0] = pivot (its square alone), then run ends, descending
    std::size_t at[capacity];      ///< positions (indices into the doubled path)
    unsigned used[capacity];       ///< bits of the step directions from at[k] to the pivot
    std::vector<line_set> region;  ///< grown on demand (784 bytes each: untouched pages stay unmapped)
    /// Reserves `capacity` regions (may throw std::bad_alloc): extend and build then resize
    /// within that capacity and never allocate, so they cannot throw.
    known_part_regions() { region.reserve(capacity); }
    void clear() noexcept { pivot = none; }
    /// Appends the run ends in (from, at[size - 1]) (at[size - 1] a run end, or the pivot when
    /// size is 1 and a run end lies between); false, and nothing changed, if they do not fit.
    bool extend(const lattice_path& p, std::size_t from) noexcept {
        std::size_t ends[capacity], count = 0;
        const std::size_t last = at[size - 1];
        for (std::size_t e = run_end_after(p, from); e < last; e = run_end_after(p, e)) {
            if (size + count == capacity) return false;
            ends[count++] = e;
        }
        const std::int64_t ox = p.x[pivot], oy = p.y[pivot];
        if (region.size() < size + count) region.resize(size + count);
        for (std::size_t i = count; i-- > 0; ++size) {
            const std::size_t e = ends[i], ee = e < p.n ? e : e - p.n;
            region[size].assign(region[size - 1]);
            region[size].admit(p.x[e] - ox, p.y[e] - oy);
            used[size] = used[size - 1] | (1u << p.dir[ee]);
            at[size] = e;
        }
        return true;
    }
    /// Starts over with pivot m and the run ends in (from, m).
    bool build(const lattice_path& p, std::size_t from, std::size_t m) noexcept {
        pivot = m;
        size = 1;
        at[0] = m;
        used[0] = 0;
        if (region.empty()) region.resize(1);
        region[0].reset();
        if (extend(p, from)) return true;
        clear();
        return false;
    }
    /// The entry for start a (at[size - 1] <= a < pivot): that of the first run end after a,
    /// or the pivot's when none lies before the pivot.
    std::size_t entry(const lattice_path& p, std::size_t a) const noexcept {
        const std::size_t e = run_end_after(p, a);
        if (e >= pivot) return 0;
        std::size_t lo = 1, hi = size - 1;  // at[] descends; e is one of at[1..size - 1]
        while (lo < hi) {
            const std::size_t mid = (lo + hi) / 2;
            if (at[mid] > e)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
};

/// Straight subpaths (Selinger 2003, section 2.2.1): p_a..p_b is straight when its steps do not
/// use all four directions and some line passes within L-infinity distance 1/2 of every point
/// (through the closed unit square around it). For every a, returns f(a) - a for the last f(a)
/// in (a, a + n - 1] with p_a..p_f(a) straight, given a <= known <= f(a) (p_a..p_known is
/// known to be straight: its run ends are admitted without tests) and f(a) <= bound (nothing
/// past bound is tested; pass a + n - 1 when no bound is known). The possible lines are kept as
/// convex polygons in line-parameter space (line_set), narrowed point by point. Only the ends
/// of straight runs need testing: a line meeting the squares of both ends of a run meets every
/// square between them (convexity); the run where the lines run out is searched (galloping,
/// then bisection). p_known is admitted first: the lines through its square and p_a's are
/// already few, so the run ends between seldom cut them (the region is the same set in any
/// order: p_known's square meets every line through the squares of the run ends around it).
/// Probes only test (line_set::meets); the lines are narrowed once per run end reached.
/// With `shared` (the polygon search passes its own), the part known straight comes from the
/// entries of a pivot (known_part_regions) instead of being admitted again for every start;
/// same result. O(t) for t turns in p_a..p_f(a) (without `shared`); no allocation (with it, the
/// entries grow once to at most 32).
// Kept out of line (GCC/Clang): inlined into the polygon search at -O3 it made the whole
// trace about 5 % slower on line art (code size in the search's hot loops).
#if defined(__GNUC__)
[[gnu::noinline]]
#endif
inline std::int32_t
straight_reach_from(const lattice_path& p, std::size_t a, std::size_t known, std::size_t bound, line_set& lines,
                    known_part_regions* shared = nullptr) noexcept {
    const std::size_t n = p.n, limit = std::min(a + n - 1, bound);
    if (known >= limit) return std::int32_t(limit - a);  // a <= known <= f(a) <= limit
    std::int64_t ox = p.x[a], oy = p.y[a];
    unsigned used = 0;
    std::size_t k = a, result;
    // With `shared` (and a part known straight): p_a..p_m from the entries of a pivot m <= known,
    // built or extended here; then the walk goes on from p_m, origin p_m.
    bool from_pivot = false;
    if (shared != nullptr && known > a) {
        known_part_regions& s = *shared;
        // Reused while the part past the pivot (admitted point by point) is the shorter one.
        from_pivot = s.pivot != known_part_regions::none && s.pivot <= known && a < s.pivot &&
                     known - s.pivot < s.pivot - a && (a >= s.at[s.size - 1] || (s.size > 1 && s.extend(p, a)));
        if (!from_pivot) from_pivot = s.build(p, a, known);
        if (from_pivot) {
            const std::size_t m = s.pivot, e = s.entry(p, a), aa = a < n ? a : a - n;
            ox = p.x[m];
            oy = p.y[m];
            lines.assign(s.region[e]);
            lines.admit(p.x[a] - ox, p.y[a] - oy);
            used = s.used[e] | (1u << p.dir[aa]);
            k = m;
            if (known > m) lines.admit(p.x[known] - ox, p.y[known] - oy);  // far square first
        }
    }
    auto admits = [&](std::size_t q) { return lines.meets(p.x[q] - ox, p.y[q] - oy); };
    if (!from_pivot) {
        lines.reset();
        if (known > a) lines.admit(p.x[known] - ox, p.y[known] - oy);  // see above: far square first
    }
    for (;;) {
        const std::size_t kk = k < n ? k : k - n;
        const unsigned bit = 1u << p.dir[kk];
        if (!(used & bit)) {
            if ((0x6880u >> used) & 1u) {  // three directions used already (used is 7, 11, 13 or 14)
                result = k;
                break;
            }
            used |= bit;
        }
        const std::size_t r = std::min<std::size_t>(std::size_t(p.run_end[kk]) + (k - kk), limit);
        if (r <= known) {  // p_a..p_known is known to be straight
            lines.admit(p.x[r] - ox, p.y[r] - oy);
            k = r;
            continue;
        }
        if (lines.try_admit(p.x[r] - ox, p.y[r] - oy)) {
            if (r == limit) {
                result = r;
                break;
            }
            k = r;
            continue;
        }
        std::size_t good = k, bad = r;                              // p_good is admitted, p_bad is not
        for (std::size_t step = 1; good + step < bad; step *= 2) {  // galloping from the run's start
            if (!admits(good + step)) {
                bad = good + step;
                break;
            }
            good += step;
        }
        while (bad - good > 1) {
            const std::size_t mid = good + (bad - good) / 2;
            (admits(mid) ? good : bad) = mid;
        }
        result = good;
        break;
    }
    return std::int32_t(result - a);
}

/// straight_reach for every point (used by the tests; optimal_polygon evaluates it lazily).
inline void straight_reach(const lattice_path& p, std::vector<std::int32_t>& reach) {
    const std::size_t n = p.n;
    reach.resize(n);
    line_set lines;
    for (std::size_t a = 0; a < n; ++a) {
        const std::size_t known = a == 0 ? a : std::max(a, a - 1 + std::size_t(reach[a - 1]));
        reach[a] = straight_reach_from(p, a, known, a + n - 1, lines);
    }
}

/// Indices (into the unit-step path, ascending, in [0, n)) of the optimal polygon
/// (Selinger 2003, section 2.2.2-2.2.4): a cycle of possible segments with the fewest segments,
/// and among those the least total penalty. Segment i -> j is possible when p_{i-1}..p_{j+1} is
/// straight (so that an edge cannot cut a corner of the outline) and j - i <= n - 3 (the
/// paper's bound) and j - i <= (n - 1) / 2 (ours: no edge covers half the outline, which
/// keeps the polygon of a one-pixel-wide bar from folding flat into two edges). The cycle is
/// found exactly: every polygon has a vertex in a window [t, M] of the cut t chosen to make the
/// window shortest (M = farthest end of a segment jumping over t); from each vertex of the
/// window a shortest-path dynamic programme runs once around the ring, over the positions that
/// can be the k-th vertex of a path with the fewest segments only. O(n) per start plus the
/// pairs of such positions (a few per vertex in practice). The straight reaches are evaluated
/// lazily, each bounded by those of evaluated neighbours (f never decreases); the pairs' edge
/// penalties come from moments updated point by point, and the division and root are skipped
/// where the edge surely cannot improve the position (same result).
/// Buffers of optimal_polygon_indices, kept between calls (see tracer_workspace).
struct polygon_workspace {
    std::vector<std::int32_t> reach, span, from, best_from, ahead, behind;
    std::vector<double> pen;
    known_part_regions known_parts;
};
inline void optimal_polygon_indices(const lattice_path& p, std::vector<std::int32_t>& out, polygon_workspace& ws) {
    const std::size_t n = p.n;
    // The farthest end of a possible segment from each point, evaluated lazily: the dynamic
    // programme below only looks near the vertices of polygons with the fewest segments.
    // Segment i -> j is possible when p_{i-1}..p_{j+1} is straight and j - i <= min(n - 3,
    // (n - 1) / 2); p_{i-1}..p_{i+2} always is straight (three steps, at most three
    // directions), so j = i + 1 always is possible.
    std::vector<std::int32_t>& reach = ws.reach;
    std::vector<std::int32_t>& span = ws.span;
    reach.assign(n, -1);
    span.assign(n, -1);
    line_set lines;
    ws.known_parts.clear();  // positions of the previous outline
    const auto longest = std::int32_t(std::min(n - 3, (n - 1) / 2));
    constexpr std::size_t near = 8;  // how far span_at looks for evaluated neighbours
    auto span_at = [&](std::size_t i) {
        if (span[i] < 0) {
            const std::size_t a = i == 0 ? n - 1 : i - 1;
            // A subpath of a straight path is straight, so the farthest reach f(b) = b + reach[b]
            // never decreases with b: the points evaluated just before a give a lower bound (the
            // part admitted without tests), those just after an upper bound; when they meet,
            // f(a) is known without a test.
            std::size_t known = a, bound = a + n - 1;
            for (std::size_t d = 1; d <= near && d < n; ++d) {
                const std::int32_t r = reach[a >= d ? a - d : a + n - d];
                if (r >= 0 && std::size_t(r) >= d) {
                    known = a - d + std::size_t(r);
                    break;
                }
            }
            for (std::size_t d = 1; d <= near && d < n; ++d) {
                const std::int32_t r = reach[a + d < n ? a + d : a + d - n];
                if (r >= 0) {
                    bound = std::min(bound, a + d + std::size_t(r));
                    break;
                }
            }
            reach[a] = known == bound ? std::int32_t(known - a)
                                      : straight_reach_from(p, a, known, bound, lines, &ws.known_parts);
            span[i] = std::max<std::int32_t>(1, std::min<std::int32_t>(reach[a] - 2, longest));
        }
        return std::size_t(span[i]);
    };
    // Any cut t works; the polygons then all have a vertex in [t, t - 1 + span(t - 1)] (the
    // farthest end of a segment over t, as ends never decrease): take the shortest such window
    // among 64 evenly spread cuts.
    std::size_t cut = 0, window = n + 1;
    const std::size_t cuts = std::min<std::size_t>(64, n);
    for (std::size_t c = 0; c < cuts; ++c) {
        const std::size_t t = c * n / cuts;
        const std::size_t w = span_at((t + n - 1) % n);
        if (w < window) {
            window = w;
            cut = t;
        }
    }
    // Shortest cycle through each start s in [cut, cut + window): positions s..s+n, relative
    // to the cut so that every index stays below 2n (+ cut).
    std::vector<std::int32_t>& from = ws.from;
    std::vector<std::int32_t>& best_from = ws.best_from;
    std::vector<double>& pen = ws.pen;
    from.resize(n + 1);
    best_from.resize(n + 1);
    pen.resize(n + 1);
    constexpr std::int32_t unreached = std::numeric_limits<std::int32_t>::max();
    std::int32_t best_count = unreached;
    double best_pen = 0;
    std::size_t best_start = cut;
    // From start s (positions 0..n relative to s), the positions reachable with at most k edges
    // form a prefix [0, ahead[k]] (a segment from r may stop anywhere in (r, end(r)]), and since
    // end(r) never decreases (a subpath of a straight path is straight), ahead[k] =
    // end(ahead[k-1]) and the positions that reach n with at most k edges form a suffix
    // [behind[k], n]. On a path with the fewest edges C, the k-th vertex has count exactly k and
    // reaches n in C - k: it lies in (ahead[k-1], ahead[k]] and at or after behind[C-k]. The
    // dynamic programme visits only those windows.
    std::vector<std::int32_t>& ahead = ws.ahead;
    std::vector<std::int32_t>& behind = ws.behind;
    ahead.resize(n + 2);
    behind.resize(n + 2);
    auto wrap = [n](std::size_t q) { return q < n ? q : q - n; };  // q < 2n
    auto end_of = [&](std::size_t s, std::size_t r) { return std::min<std::size_t>(r + span_at(wrap(s + r)), n); };
    auto fewest = [&](std::size_t s) {  // fills ahead[0..C]; returns C
        std::size_t k = 0, at = 0;
        ahead[0] = 0;
        while (at < n) {
            at = end_of(s, at);
            ahead[++k] = std::int32_t(at);
        }
        return k;
    };
    auto run = [&](std::size_t s, std::size_t c) {  // fills pen/from on the windows; c = fewest(s)
        // behind[j]: the first q with end(q) >= behind[j-1], by bisection in (ahead[c-j-1],
        // ahead[c-j]]: ahead[c-j] reaches n in j edges (the greedy path), and a position up to
        // ahead[c-j-1] that did would give a path with fewer than c edges. Those are the windows
        // the programme visits below, so the spans evaluated here are used again there.
        behind[0] = std::int32_t(n);
        for (std::size_t j = 1; j <= c; ++j) {
            std::size_t lo = j < c ? std::size_t(ahead[c - j - 1]) + 1 : 0;
            std::size_t hi = std::min(std::size_t(behind[j - 1]), std::size_t(ahead[c - j]));
            while (lo < hi) {
                const std::size_t mid = lo + (hi - lo) / 2;
                if (end_of(s, mid) >= std::size_t(behind[j - 1]))
                    hi = mid;
                else
                    lo = mid + 1;
            }
            behind[j] = std::int32_t(lo);
        }
        pen[0] = 0;
        for (std::size_t k = 1; k <= c; ++k) {
            const std::size_t lo = std::max<std::size_t>(std::size_t(ahead[k - 1]) + 1, std::size_t(behind[c - k]));
            const std::size_t hi = std::size_t(ahead[k]);
            const std::size_t plo =
                k == 1 ? 0 : std::max<std::size_t>(std::size_t(ahead[k - 2]) + 1, std::size_t(behind[c - k + 1]));
            const std::size_t phi = std::size_t(ahead[k - 1]);
            for (std::size_t t = lo; t <= hi; ++t) pen[t] = std::numeric_limits<double>::infinity();
            for (std::size_t r = plo; r <= phi; ++r) {
                const std::size_t ii = wrap(s + r), last = std::min(end_of(s, r), hi);
                if (lo > last) continue;
                penalty_walk walk(windows_from(p, ii), ii + (lo - r));  // ii < lo - r + ii < 2n: the doubled path
                const double base = pen[r];
                for (std::size_t t = lo; t <= last; ++t) {
                    const double sq = walk.next_square_sum();
                    // Skip the division and root where the edge surely cannot improve pen[t]:
                    // its penalty is at least pen[t] - base (up to a relative 1e-8, far above the
                    // rounding of these few operations), so base + penalty >= pen[t] after
                    // rounding too. Same result as computing it.
                    const double room = pen[t] - base;
                    if (!(room > 0) || sq >= double(walk.count) * room * room * (1 + 1e-8)) continue;
                    const double total = base + walk.penalty(sq);
                    if (total < pen[t]) {
                        pen[t] = total;
                        from[t] = std::int32_t(r);
                    }
                }
            }
        }
    };
    // The fewest edges from every start of the window first (one greedy walk each, over spans
    // already evaluated): the programme then runs only from the starts that reach the least
    // count, since a polygon with more edges is never optimal (same result, fewer runs).
    std::size_t least = n + 1;
    for (std::size_t w = 0; w < window; ++w) least = std::min(least, fewest((cut + w) % n));
    for (std::size_t w = 0; w < window; ++w) {
        const std::size_t s = (cut + w) % n;
        const std::size_t c = fewest(s);  // refills ahead[] for this start
        if (c != least) continue;
        run(s, c);
        if (std::int32_t(c) < best_count || pen[n] < best_pen) {
            best_count = std::int32_t(c);
            best_pen = pen[n];
            best_start = s;
            from.swap(best_from);  // keep the winner's links (the path back from n was written by this run)
        }
    }
    out.clear();
    for (std::size_t q = n; q != 0; q = std::size_t(best_from[q])) out.push_back(std::int32_t((best_start + q) % n));
    std::sort(out.begin(), out.end());
}

/// Everything one outline trace needs, reused from call to call so that tracing many outlines
/// allocates only while the largest outline so far grows (optimal_polygon and fit_outline_curve
/// keep one per thread).
struct tracer_workspace {
    lattice_path path;
    polygon_workspace polygon;
    std::vector<std::int32_t> vertices;
};
inline tracer_workspace& thread_workspace() {
    thread_local tracer_workspace ws;
    return ws;
}

}  // namespace detail::outline_trace

/// The optimal polygon of a closed outline on the pixel-corner lattice (Selinger 2003,
/// "Potrace: a polygon-based tracing algorithm", section 2.2): the polygon whose vertices are
/// outline lattice points, each edge approximating a straight part of the outline (the outline
/// points from the one before a vertex to the one after the next vertex use at most three of
/// the four directions and lie within L-infinity distance 1/2 of one line; an edge spans at
/// most min(n - 3, (n - 1) / 2) of the n unit steps), with the fewest edges and, among those,
/// the least sum of edge penalties (edge length times the RMS distance of the covered outline
/// points from the edge's line).
/// Shapes: outline is a closed ring of integer vertices (pixel corners); consecutive vertices
/// and last -> first differ along one axis only; either every unit step or only the turning
/// vertices; either orientation; a repeated first vertex at the end is accepted. Returns the
/// polygon's vertices in outline order, starting from the one nearest the outline's start.
/// Units: pixels. Complexity: O(n * t) for the straight subpaths (t turns per straight
/// subpath) and O(n * w) plus the candidate pairs for the polygon (w the shortest window of
/// starts, small at corners); memory O(n), in per-thread buffers reused from call to call (only
/// the result is allocated). Measured: about 0.15 us per unit step on the shared line art.
/// Source: P. Selinger, "Potrace: a polygon-based tracing algorithm" (2003), section 2.2,
/// written from the paper (vecta contains no potrace code).
/// Throws vecta::invalid_argument naming "outline" if it has fewer than 4 vertices, a step that
/// is not axis-parallel or of length zero, or more than 2^30 unit steps.
inline std::vector<point2<int>> optimal_polygon(std::span<const point2<int>> outline) {
    detail::outline_trace::tracer_workspace& ws = detail::outline_trace::thread_workspace();
    const detail::outline_trace::lattice_path& path = ws.path;
    const std::vector<std::int32_t>& idx = ws.vertices;
    detail::outline_trace::expand_outline(outline, "vecta::optimal_polygon", ws.path);
    detail::outline_trace::optimal_polygon_indices(path, ws.vertices, ws.polygon);
    std::vector<point2<int>> out;
    out.reserve(idx.size());
    for (const std::int32_t k : idx)
        out.push_back({path.origin_x + path.x[std::size_t(k)], path.origin_y + path.y[std::size_t(k)]});
    return out;
}

}  // namespace vecta
