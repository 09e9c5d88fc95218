// SPDX-License-Identifier: MIT
// vecta/vectorize.hpp - raster to SVG, composed of public stages: palette and labels, regions,
// outlines, curves, stacked paths. Each step names the header it comes from.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "color/flat_palette.hpp"
#include "color/palette_map.hpp"
#include "color/quantize.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "core/point.hpp"
#include "geometry/closed_curve.hpp"
#include "geometry/crack_outline.hpp"
#include "geometry/label_regions.hpp"
#include "imgproc/gray.hpp"
#include "imgproc/over_white.hpp"
#include "imgproc/upsample.hpp"
#include "svg/curve_path.hpp"
#include "svg/document.hpp"
#include "svg/path_builder.hpp"

namespace vecta {

/// What vectorize traces.
enum class trace_mode {
    color,   ///< colour regions of a palette, stacked (icons, logos, photos)
    binary,  ///< black and white: luma below `threshold` is ink (line art, scans)
};

/// How the colour mode picks its palette.
enum class palette_mode {
    /// Flat-colour images (icons, logos): the most frequent exact colours that are neither
    /// close to a chosen colour nor a mix (anti-aliasing tone) of two, at most `colors`;
    /// images whose pixels these do not explain (photos, gradients) fall back to k-means.
    automatic,
    kmeans,  ///< k-means++ and Lloyd with exactly min(colors, distinct colours) entries
};

/// Parameters of vectorize; the defaults suit icons without any flag.
struct vectorize_params {
    trace_mode mode = trace_mode::color;
    std::size_t colors = 24;          ///< palette size (k-means) or its upper bound (automatic), 1..65536
    std::uint64_t seed = 0;           ///< k-means++ seed
    double tolerance = 0.2;           ///< curve merging tolerance (potrace opttolerance), px, > 0
    double corner_angle_deg = 135;    ///< polygon turns sharper than this stay corners, (0, 180]
    std::size_t smooth_min_area = 3;  ///< regions with fewer pixels are written as exact pixel polygons
    std::size_t curve_min_area = 0;   ///< unused since the potrace-style tracer; kept for source compatibility
    int precision = 1;                ///< decimals in path data, 0..6
    /// Resource caps for untrusted input: most <path>/<rect> elements and most path commands
    /// (moves, lines, curves) in the document; exceeding either throws vecta::invalid_argument
    /// naming the parameter. Both >= 1.
    std::size_t max_paths = std::size_t(1) << 22;
    std::size_t max_nodes = std::size_t(1) << 26;
    palette_mode palette = palette_mode::automatic;
    /// Speckle filter: 4-connected regions of fewer pixels (input pixels) are merged into the
    /// neighbouring region of the nearest colour before tracing (0 or 1 keeps everything).
    /// auto_speckle: 6 for flat-colour images, 3 for k-means palettes (photos), 2 in binary mode.
    std::size_t speckle = auto_speckle;
    static constexpr std::size_t auto_speckle = ~std::size_t(0);
    /// Corner threshold of potrace's smoothing (alphamax): larger is smoother, 0 gives a polygon. [0, 4/3].
    double alphamax = 1.0;
    /// Colour mode: trace at this many times the input resolution after bilinear upsampling,
    /// which places boundaries at sub-pixel positions on anti-aliased input. 0 = automatic
    /// (2 for flat-colour images up to 1024 x 1024, else 1), otherwise 1..4.
    int upscale = 0;
    std::uint8_t threshold = 128;  ///< binary mode: luma below this is ink
};

/// What vectorize produced, for --stats and benchmarks.
struct vectorize_stats {
    double ms = 0;             ///< wall time of vectorize
    std::size_t paths = 0;     ///< <path>/<rect> elements
    std::size_t nodes = 0;     ///< path commands (moves, lines, curves)
    std::size_t bytes = 0;     ///< size of the document
    std::size_t colors = 0;    ///< palette entries used
    double quantize_psnr = 0;  ///< PSNR of the palette raster (before tracing) vs the input, dB
    std::size_t regions = 0;   ///< traced regions (after the speckle filter)
};

/// The SVG document and its statistics.
struct vectorize_result {
    std::string document;  ///< the SVG document
    vectorize_stats stats;
};


namespace detail {

// ---- BEGIN potrace port (GPL-derived; to be deleted when geometry/outline_curve.hpp lands) ----
// Nothing below this line up to END may be copied into another file. The pipeline reaches it
// only through fit_outline_curve_port, just after the section.
namespace potrace_port {
struct ipt {
    int x, y;
};
struct dpt {
    double x, y;
};

inline int mod(int a, int n) noexcept { return a >= n ? a % n : a >= 0 ? a : n - 1 - (-1 - a) % n; }
inline int floordiv(int a, int n) noexcept { return a >= 0 ? a / n : -1 - (-1 - a) / n; }
template <class T>
inline int sign(T x) noexcept {
    return (x > 0) - (x < 0);
}
/// a <= b < c in the cyclic sense.
inline bool cyclic(int a, int b, int c) noexcept { return a <= c ? (a <= b && b < c) : (a <= b || b < c); }
inline dpt interval(double l, dpt a, dpt b) noexcept { return {a.x + l * (b.x - a.x), a.y + l * (b.y - a.y)}; }
inline double dpara(dpt p0, dpt p1, dpt p2) noexcept {
    return (p1.x - p0.x) * (p2.y - p0.y) - (p2.x - p0.x) * (p1.y - p0.y);
}
inline double ddenom(dpt p0, dpt p2) noexcept {
    const double ry = sign(p2.x - p0.x), rx = -sign(p2.y - p0.y);
    return ry * (p2.x - p0.x) - rx * (p2.y - p0.y);
}
inline double cprod(dpt p0, dpt p1, dpt p2, dpt p3) noexcept {
    return (p1.x - p0.x) * (p3.y - p2.y) - (p3.x - p2.x) * (p1.y - p0.y);
}
inline double iprod(dpt p0, dpt p1, dpt p2) noexcept {
    return (p1.x - p0.x) * (p2.x - p0.x) + (p1.y - p0.y) * (p2.y - p0.y);
}
inline double iprod1(dpt p0, dpt p1, dpt p2, dpt p3) noexcept {
    return (p1.x - p0.x) * (p3.x - p2.x) + (p1.y - p0.y) * (p3.y - p2.y);
}
/// potrace's ddist: sqrt of the sum of squares (no overflow at pixel scale; hypot is several times slower).
inline double ddist(dpt p, dpt q) noexcept { return std::sqrt((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)); }
inline dpt bezier(double t, dpt p0, dpt p1, dpt p2, dpt p3) noexcept {
    const double s = 1 - t;
    return {s * s * s * p0.x + 3 * (s * s * t) * p1.x + 3 * (t * t * s) * p2.x + t * t * t * p3.x,
            s * s * s * p0.y + 3 * (s * s * t) * p1.y + 3 * (t * t * s) * p2.y + t * t * t * p3.y};
}
/// The t in [0, 1] where the convex cubic (p0..p3) is tangent to q0q1, or -1.
inline double tangent(dpt p0, dpt p1, dpt p2, dpt p3, dpt q0, dpt q1) noexcept {
    const double A = cprod(p0, p1, q0, q1), B = cprod(p1, p2, q0, q1), C = cprod(p2, p3, q0, q1);
    const double a = A - 2 * B + C, b = -2 * A + 2 * B, c = A;
    const double d = b * b - 4 * a * c;
    if (a == 0 || d < 0) return -1.0;
    const double s = std::sqrt(d);
    const double r1 = (-b + s) / (2 * a), r2 = (-b - s) / (2 * a);
    if (r1 >= 0 && r1 <= 1) return r1;
    if (r2 >= 0 && r2 <= 1) return r2;
    return -1.0;
}

/// One segment of a traced closed curve, potrace's representation: a corner is two lines
/// (to `vertex`, then to `c2`), a curve a cubic (c0, c1, c2) from the previous segment's c2.
struct segment {
    bool corner = false;
    dpt c0{}, c1{}, c2{}, vertex{};
    double alpha = 0;
};

/// Potrace's tracing of one closed crack-edge path (unit steps, first vertex a corner):
/// optimal polygon, sub-pixel vertex adjustment, corner/curve smoothing, curve merging.
/// Source: P. Selinger, "Potrace: a polygon-based tracing algorithm" (2003), the algorithm of
/// potrace 1.16 trace.c (calc_lon, bestpolygon, adjust_vertices, smooth, opticurve).
class potrace_tracer {
public:
    std::vector<segment> trace(const std::vector<ipt>& path, double alphamax, double corner_cos, double opttolerance) {
        pt_ = &path;
        n_ = int(path.size());
        calc_sums();
        calc_lon();
        bestpolygon();
        adjust_vertices();
        smooth(alphamax, corner_cos);
        if (opttolerance > 0) return opticurve(opttolerance);
        return curve_;
    }

private:
    struct sums_t {
        double x, y, x2, xy, y2;
    };
    /// Prefix sums of x, y, x^2, xy, y^2 (relative to the first point), one array each so that
    /// penalty3_row's loop over them vectorizes.
    struct prefix_sums {
        std::vector<double> x, y, x2, xy, y2;
        sums_t operator[](std::size_t i) const noexcept { return {x[i], y[i], x2[i], xy[i], y2[i]}; }
    };

    void calc_sums() {
        const auto& pt = *pt_;
        x0_ = pt[0].x;
        y0_ = pt[0].y;
        const auto m = std::size_t(n_) + 1;
        for (auto* v : {&sums_.x, &sums_.y, &sums_.x2, &sums_.xy, &sums_.y2}) v->resize(m);
        sums_t s{0, 0, 0, 0, 0};
        ptx_.resize(m - 1);
        pty_.resize(m - 1);
        for (std::size_t i = 0;; ++i) {
            sums_.x[i] = s.x, sums_.y[i] = s.y, sums_.x2[i] = s.x2, sums_.xy[i] = s.xy, sums_.y2[i] = s.y2;
            if (i + 1 == m) break;
            ptx_[i] = pt[i].x;
            pty_[i] = pt[i].y;
            const double x = pt[i].x - x0_, y = pt[i].y - y0_;
            s = {s.x + x, s.y + y, s.x2 + x * x, s.xy + x * y, s.y2 + y * y};
        }
    }

    void calc_lon() {
        const auto& pt = *pt_;
        const int n = n_;
        const auto un = std::size_t(n);
        pivk_.assign(un, 0);
        lon_.assign(un, 0);
        nodes_.resize(un);
        dirbit_.resize(un);
        walk_node* nd = nodes_.data();
        std::uint8_t* dirbit = dirbit_.data();
        int k = 0;
        for (int i = n - 1; i >= 0; --i) {
            const ipt p = pt[std::size_t(i)], q = pt[std::size_t(k)];
            if (p.x != q.x && p.y != q.y) k = i + 1;
            nd[i] = {p.x, p.y, k, k > i ? k - i : k - i + n};
        }
        // The direction (potrace's index (3 + 3 sign dx + sign dy) / 2) of every step i -> nc[i]
        // the walk takes, as a bit.
        for (int i = 0; i < n; ++i) {
            const walk_node a = nd[i], b = nd[a.next];
            dirbit[i] = std::uint8_t(1u << ((3 + 3 * sign(b.x - a.x) + sign(b.y - a.y)) / 2));
        }
        for (int i = n - 1; i >= 0; --i) {
            // Directions seen so far, one bit each (potrace counts them, but only tests the
            // counts for zero: a mask stays in a register).
            const int ix = nd[i].x, iy = nd[i].y;
            const walk_node& a = nd[i + 1 == n ? 0 : i + 1];
            unsigned seen = 1u << ((3 + 3 * (a.x - ix) + (a.y - iy)) / 2);
            long long c0x = 0, c0y = 0, c1x = 0, c1y = 0;  // the two constraint vectors
            int k1 = i;
            k = nd[i].next;
            // Distance walked from i to k: potrace's `cyclic(k, i, k1)` (k has not passed i)
            // is `dist <= n` here, with no branches on the wrap-around.
            int dist = nd[i].step;
            bool found = false;
            while (true) {
                const int kx = nd[k].x, ky = nd[k].y;
                seen |= dirbit[k1];
                if (seen == 15u) {
                    pivk_[std::size_t(i)] = k1;
                    found = true;
                    break;
                }
                const long long cx = kx - ix, cy = ky - iy;
                if (c0x * cy - c0y * cx < 0 || c1x * cy - c1y * cx > 0) break;
                if (cx > 1 || cx < -1 || cy > 1 || cy < -1) {
                    // Branch-free updates: which constraint tightens is data, not pattern.
                    const long long o0x = cx + ((cy >= 0 && (cy > 0 || cx < 0)) ? 1 : -1);
                    const long long o0y = cy + ((cx <= 0 && (cx < 0 || cy < 0)) ? 1 : -1);
                    const long long o1x = cx + ((cy <= 0 && (cy < 0 || cx < 0)) ? 1 : -1);
                    const long long o1y = cy + ((cx >= 0 && (cx > 0 || cy < 0)) ? 1 : -1);
                    const bool t0 = c0x * o0y - c0y * o0x >= 0, t1 = c1x * o1y - c1y * o1x <= 0;
                    c0x = t0 ? o0x : c0x;
                    c0y = t0 ? o0y : c0y;
                    c1x = t1 ? o1x : c1x;
                    c1y = t1 ? o1y : c1y;
                }
                k1 = k;
                dist += nd[k].step;
                k = nd[k].next;
                if (dist > n) break;
            }
            if (found) continue;
            const ipt dk = {sign(nd[k].x - nd[k1].x), sign(nd[k].y - nd[k1].y)};
            const long long curx = nd[k1].x - ix, cury = nd[k1].y - iy;
            const long long a1 = c0x * cury - c0y * curx, b1 = c0x * dk.y - c0y * dk.x;
            const long long c1 = c1x * cury - c1y * curx, d1 = c1x * dk.y - c1y * dk.x;
            long long j = 10000000;
            if (b1 < 0) j = floordiv(int(a1), int(-b1));
            if (d1 > 0) j = std::min(j, (long long)floordiv(int(-c1), int(d1)));
            pivk_[std::size_t(i)] = mod(int(k1 + j), n);
        }
        int j = pivk_[std::size_t(n - 1)];
        lon_[std::size_t(n - 1)] = j;
        for (int i = n - 2; i >= 0; --i) {
            if (cyclic(i + 1, pivk_[std::size_t(i)], j)) j = pivk_[std::size_t(i)];
            lon_[std::size_t(i)] = j;
        }
        for (int i = n - 1; cyclic(mod(i + 1, n), j, lon_[std::size_t(i)]); --i) lon_[std::size_t(i)] = j;
    }

    /// row_[k - lo] = potrace's penalty3(k, j) + pen[k] for k in [lo, hi], j < 2n: the
    /// candidates of bestpolygon, all at once (a loop over the SoA prefix sums, xsimd batches
    /// with the same operations per k as the scalar tail, so the same values).
    void penalty3_row(int lo, int hi, int j, const double* pen) {
        // Never empty: clip1[i] <= seg0[j - 1] by construction of the segments (potrace's too).
        row_.resize(std::size_t(std::max(0, hi - lo + 1)));
        if (hi < lo) return;
        if (j >= n_)
            penalty3_row<true>(lo, hi, j - n_, pen);
        else
            penalty3_row<false>(lo, hi, j, pen);
    }

    /// penalty3_row with the wrap-around (j >= n, passed as j - n) fixed at compile time.
    template <bool Wrap>
    void penalty3_row(int lo, int hi, int j, const double* pen) {
        const int n = n_;
        const sums_t sj = sums_[std::size_t(j) + 1], sn = sums_[std::size_t(n)];
        const double pjx = (*pt_)[std::size_t(j)].x, pjy = (*pt_)[std::size_t(j)].y;
        const double kj = Wrap ? double(j + 1 + n) : double(j + 1);
        const double x0 = x0_, y0 = y0_;
        double* out = row_.data();
        const double *sx = sums_.x.data(), *sy = sums_.y.data(), *sx2 = sums_.x2.data(), *sxy = sums_.xy.data(),
                     *sy2 = sums_.y2.data(), *ptx = ptx_.data(), *pty = pty_.data();
        // One candidate; T is double or an xsimd batch of doubles, idx its index(es) as T.
        auto one = [&](auto six, auto siy, auto six2, auto sixy, auto siy2, auto pix, auto piy, auto idx, auto pk) {
            auto x = sj.x - six, y = sj.y - siy, x2 = sj.x2 - six2, xy = sj.xy - sixy, y2 = sj.y2 - siy2;
            if constexpr (Wrap) {
                x += sn.x;
                y += sn.y;
                x2 += sn.x2;
                xy += sn.xy;
                y2 += sn.y2;
            }
            const auto k = kj - idx;
            const auto px = (pix + pjx) / 2.0 - x0, py = (piy + pjy) / 2.0 - y0;
            const auto ey = (pjx - pix), ex = -(pjy - piy);
            const auto a = ((x2 - 2.0 * x * px) / k + px * px);
            const auto b = ((xy - x * py - y * px) / k + px * py);
            const auto c = ((y2 - 2.0 * y * py) / k + py * py);
            const auto s = ex * ex * a + 2.0 * ex * ey * b + ey * ey * c;
            if constexpr (std::is_same_v<decltype(s), const double>)
                return std::sqrt(std::max(0.0, s)) + pk;
            else
                return xsimd::sqrt(xsimd::max(decltype(s)(0.0), s)) + pk;
        };
        int i = lo;
        if constexpr (simd::native_available) {
            using batch = xsimd::batch<double>;
            constexpr int w = int(batch::size);
            alignas(64) double iota[w];
            for (int l = 0; l < w; ++l) iota[l] = l;
            const batch lanes = batch::load_aligned(iota);
            for (; i + w <= hi + 1; i += w) {
                const batch r =
                    one(batch::load_unaligned(sx + i), batch::load_unaligned(sy + i), batch::load_unaligned(sx2 + i),
                        batch::load_unaligned(sxy + i), batch::load_unaligned(sy2 + i), batch::load_unaligned(ptx + i),
                        batch::load_unaligned(pty + i), batch(double(i)) + lanes, batch::load_unaligned(pen + i));
                r.store_unaligned(out + (i - lo));
            }
        }
        for (; i <= hi; ++i) out[i - lo] = one(sx[i], sy[i], sx2[i], sxy[i], sy2[i], ptx[i], pty[i], double(i), pen[i]);
    }

    void bestpolygon() {
        const int n = n_;
        const auto un = static_cast<std::size_t>(n);
        std::vector<double> pen(un + 1);
        std::vector<int> prev(un + 1), clip0(un), clip1(un + 1), seg0(un + 1), seg1(un + 1);
        for (int i = 0; i < n; ++i) {
            int c = mod(lon_[std::size_t(mod(i - 1, n))] - 1, n);
            if (c == i) c = mod(i + 1, n);
            clip0[std::size_t(i)] = c < i ? n : c;
        }
        int j = 1;
        for (int i = 0; i < n; ++i)
            while (j <= clip0[std::size_t(i)]) clip1[std::size_t(j++)] = i;
        int i = 0;
        for (j = 0; i < n; ++j) {
            seg0[std::size_t(j)] = i;
            i = clip0[std::size_t(i)];
        }
        seg0[std::size_t(j)] = n;
        const int m = j;
        i = n;
        for (j = m; j > 0; --j) {
            seg1[std::size_t(j)] = i;
            i = clip1[std::size_t(i)];
        }
        seg1[0] = 0;
        pen[0] = 0;
        for (j = 1; j <= m; ++j) {
            for (i = seg1[std::size_t(j)]; i <= seg0[std::size_t(j)]; ++i) {
                // All candidates' squared penalties first (a loop the compiler vectorizes: the
                // same operations per k, so the same values), then potrace's scan from the
                // highest k down, ties keeping the higher k.
                const int lo = clip1[std::size_t(i)], hi = seg0[std::size_t(j - 1)];
                penalty3_row(lo, hi, i, pen.data());
                // Candidates are >= 0, so potrace's `best < 0 || thispen < best` is a strict
                // minimum from the top: branch-free.
                double best = row_[std::size_t(hi - lo)];
                int arg = hi;
                for (int k = hi - 1; k >= lo; --k) {
                    const double v = row_[std::size_t(k - lo)];
                    const bool less = v < best;
                    best = less ? v : best;
                    arg = less ? k : arg;
                }
                prev[std::size_t(i)] = arg;
                pen[std::size_t(i)] = best;
            }
        }
        po_.assign(std::size_t(m), 0);
        for (i = n, j = m - 1; i > 0; --j) {
            i = prev[std::size_t(i)];
            po_[std::size_t(j)] = i;
        }
    }

    void pointslope(int i, int j, dpt& ctr, dpt& dir) const {
        const int n = n_;
        int r = 0;
        while (j >= n) j -= n, r += 1;
        while (i >= n) i -= n, r -= 1;
        while (j < 0) j += n, r -= 1;
        while (i < 0) i += n, r += 1;
        const sums_t sj = sums_[std::size_t(j) + 1], si = sums_[std::size_t(i)], sn = sums_[std::size_t(n)];
        const double x = sj.x - si.x + r * sn.x, y = sj.y - si.y + r * sn.y;
        const double x2 = sj.x2 - si.x2 + r * sn.x2, xy = sj.xy - si.xy + r * sn.xy, y2 = sj.y2 - si.y2 + r * sn.y2;
        const double k = j + 1 - i + r * n;
        ctr = {x / k, y / k};
        double a = (x2 - x * x / k) / k, b = (xy - x * y / k) / k, c = (y2 - y * y / k) / k;
        const double lambda2 = (a + c + std::sqrt((a - c) * (a - c) + 4 * b * b)) / 2;
        a -= lambda2;
        c -= lambda2;
        double l = 0;
        if (std::abs(a) >= std::abs(c)) {
            l = std::sqrt(a * a + b * b);
            if (l != 0) dir = {-b / l, a / l};
        } else {
            l = std::sqrt(c * c + b * b);
            if (l != 0) dir = {-c / l, b / l};
        }
        if (l == 0) dir = {0, 0};
    }

    using quadform = std::array<std::array<double, 3>, 3>;
    static double quadval(const quadform& Q, dpt w) noexcept {
        const double v[3] = {w.x, w.y, 1};
        double sum = 0;
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) sum += v[i] * Q[std::size_t(i)][std::size_t(j)] * v[j];
        return sum;
    }

    void adjust_vertices() {
        const int m = int(po_.size()), n = n_;
        const auto& pt = *pt_;
        const auto um = static_cast<std::size_t>(m);
        std::vector<dpt> ctr(um), dir(um);
        std::vector<quadform> q(um);
        for (int i = 0; i < m; ++i) {
            int j = po_[std::size_t(mod(i + 1, m))];
            j = mod(j - po_[std::size_t(i)], n) + po_[std::size_t(i)];
            pointslope(po_[std::size_t(i)], j, ctr[std::size_t(i)], dir[std::size_t(i)]);
        }
        for (int i = 0; i < m; ++i) {
            auto& Q = q[std::size_t(i)];
            const dpt d = dir[std::size_t(i)];
            const double dd = d.x * d.x + d.y * d.y;
            if (dd == 0.0) {
                for (auto& row : Q) row = {0, 0, 0};
            } else {
                const double v[3] = {d.y, -d.x, -(-d.x) * ctr[std::size_t(i)].y - d.y * ctr[std::size_t(i)].x};
                for (std::size_t l = 0; l < 3; ++l)
                    for (std::size_t k = 0; k < 3; ++k) Q[l][k] = v[l] * v[k] / dd;
            }
        }
        vertex_.assign(std::size_t(m), {0, 0});
        for (int i = 0; i < m; ++i) {
            const dpt s = {double(pt[std::size_t(po_[std::size_t(i)])].x - x0_),
                           double(pt[std::size_t(po_[std::size_t(i)])].y - y0_)};
            const int j = mod(i - 1, m);
            quadform Q;
            for (std::size_t l = 0; l < 3; ++l)
                for (std::size_t k = 0; k < 3; ++k) Q[l][k] = q[std::size_t(j)][l][k] + q[std::size_t(i)][l][k];
            dpt w{};
            for (int guard = 0; guard < 4; ++guard) {
                const double det = Q[0][0] * Q[1][1] - Q[0][1] * Q[1][0];
                if (det != 0.0) {
                    w.x = (-Q[0][2] * Q[1][1] + Q[1][2] * Q[0][1]) / det;
                    w.y = (Q[0][2] * Q[1][0] - Q[1][2] * Q[0][0]) / det;
                    break;
                }
                double v[3];
                if (Q[0][0] > Q[1][1]) {
                    v[0] = -Q[0][1];
                    v[1] = Q[0][0];
                } else if (Q[1][1] != 0.0) {
                    v[0] = -Q[1][1];
                    v[1] = Q[1][0];
                } else {
                    v[0] = 1;
                    v[1] = 0;
                }
                const double d = v[0] * v[0] + v[1] * v[1];
                v[2] = -v[1] * s.y - v[0] * s.x;
                for (std::size_t l = 0; l < 3; ++l)
                    for (std::size_t k = 0; k < 3; ++k) Q[l][k] += v[l] * v[k] / d;
                w = s;
            }
            if (std::abs(w.x - s.x) <= .5 && std::abs(w.y - s.y) <= .5) {
                vertex_[std::size_t(i)] = {w.x + x0_, w.y + y0_};
                continue;
            }
            double best = quadval(Q, s);
            dpt bw = s;
            if (Q[0][0] != 0.0) {
                for (int z = 0; z < 2; ++z) {
                    w.y = s.y - 0.5 + z;
                    w.x = -(Q[0][1] * w.y + Q[0][2]) / Q[0][0];
                    const double cand = quadval(Q, w);
                    if (std::abs(w.x - s.x) <= .5 && cand < best) best = cand, bw = w;
                }
            }
            if (Q[1][1] != 0.0) {
                for (int z = 0; z < 2; ++z) {
                    w.x = s.x - 0.5 + z;
                    w.y = -(Q[1][0] * w.x + Q[1][2]) / Q[1][1];
                    const double cand = quadval(Q, w);
                    if (std::abs(w.y - s.y) <= .5 && cand < best) best = cand, bw = w;
                }
            }
            for (int l = 0; l < 2; ++l)
                for (int k = 0; k < 2; ++k) {
                    w = {s.x - 0.5 + l, s.y - 0.5 + k};
                    const double cand = quadval(Q, w);
                    if (cand < best) best = cand, bw = w;
                }
            vertex_[std::size_t(i)] = {bw.x + x0_, bw.y + y0_};
        }
    }

    void smooth(double alphamax, double corner_cos) {
        const int m = int(vertex_.size());
        curve_.assign(std::size_t(m), {});
        for (int i = 0; i < m; ++i) {
            const int j = mod(i + 1, m), k = mod(i + 2, m);
            const dpt vi = vertex_[std::size_t(i)], vj = vertex_[std::size_t(j)], vk = vertex_[std::size_t(k)];
            const dpt p4 = interval(0.5, vk, vj);
            const double denom = ddenom(vi, vk);
            double alpha = 4 / 3.0;
            if (denom != 0.0) {
                const double dd = std::abs(dpara(vi, vj, vk) / denom);
                alpha = (dd > 1 ? (1 - 1.0 / dd) : 0) / 0.75;
            }
            // Turn at vj sharper than the corner angle: a corner whatever alpha says.
            const double ax = vj.x - vi.x, ay = vj.y - vi.y, bx = vk.x - vj.x, by = vk.y - vj.y;
            const double la = std::hypot(ax, ay), lb = std::hypot(bx, by);
            const bool sharp = la > 0 && lb > 0 && (ax * bx + ay * by) / (la * lb) < corner_cos;
            segment& s = curve_[std::size_t(j)];
            s.vertex = vj;
            if (alpha >= alphamax || sharp) {
                s.corner = true;
                s.c1 = vj;
                s.c2 = p4;
            } else {
                alpha = std::clamp(alpha, 0.55, 1.0);
                s.corner = false;
                s.c0 = interval(.5 + .5 * alpha, vi, vj);
                s.c1 = interval(.5 + .5 * alpha, vk, vj);
                s.c2 = p4;
            }
            s.alpha = alpha;
        }
    }

    struct opti {
        double pen = 0;
        dpt c[2]{};
        double t = 0, s = 0, alpha = 0;
    };

    /// vlen[k] = |V(k+1) - V(k)| and clen[k] = |C2(k+1) - C2(k)| (indices mod m), computed once
    /// per opticurve instead of in every candidate's loops.
    bool opti_penalty(int i, int j, opti& res, double opttolerance, const std::vector<int>& convc,
                      const std::vector<double>& areac, const std::vector<double>& vlen,
                      const std::vector<double>& clen) const {
        const int m = int(curve_.size());
        const auto V = [&](int a) { return curve_[std::size_t(a)].vertex; };
        const auto C2 = [&](int a) { return curve_[std::size_t(a)].c2; };
        constexpr double cos179 = -0.99984769515639123916;
        if (i == j) return false;
        const int i1 = mod(i + 1, m);
        int k1 = i1;
        const int conv = convc[std::size_t(k1)];
        if (conv == 0) return false;
        const double d = vlen[std::size_t(i)];
        for (int k = k1; k != j; k = k1) {
            k1 = mod(k + 1, m);
            const int k2 = mod(k + 2, m);
            if (convc[std::size_t(k1)] != conv) return false;
            if (sign(cprod(V(i), V(i1), V(k1), V(k2))) != conv) return false;
            if (iprod1(V(i), V(i1), V(k1), V(k2)) < d * vlen[std::size_t(k1)] * cos179) return false;
        }
        const dpt p0 = C2(mod(i, m)), p1 = V(mod(i + 1, m)), p2 = V(mod(j, m)), p3 = C2(mod(j, m));
        double area = areac[std::size_t(j)] - areac[std::size_t(i)];
        area -= dpara(V(0), C2(i), C2(j)) / 2;
        if (i >= j) area += areac[std::size_t(m)];
        const double A1 = dpara(p0, p1, p2), A2 = dpara(p0, p1, p3), A3 = dpara(p0, p2, p3);
        const double A4 = A1 + A3 - A2;
        if (A2 == A1) return false;
        double t = A3 / (A3 - A4);
        const double s = A2 / (A2 - A1);
        const double A = A2 * t / 2.0;
        if (A == 0.0) return false;
        const double R = area / A;
        const double alpha = 2 - std::sqrt(4 - R / 0.3);
        if (!std::isfinite(alpha)) return false;
        res.c[0] = interval(t * alpha, p0, p1);
        res.c[1] = interval(s * alpha, p3, p2);
        res.alpha = alpha;
        res.t = t;
        res.s = s;
        const dpt q1 = res.c[0], q2 = res.c[1];
        res.pen = 0;
        for (int k = mod(i + 1, m); k != j; k = k1) {
            k1 = mod(k + 1, m);
            t = tangent(p0, q1, q2, p3, V(k), V(k1));
            if (t < -.5) return false;
            const dpt pt = bezier(t, p0, q1, q2, p3);
            const double dk = vlen[std::size_t(k)];
            if (dk == 0.0) return false;
            const double d1 = dpara(V(k), V(k1), pt) / dk;
            if (std::abs(d1) > opttolerance) return false;
            if (iprod(V(k), V(k1), pt) < 0 || iprod(V(k1), V(k), pt) < 0) return false;
            res.pen += d1 * d1;
        }
        for (int k = i; k != j; k = k1) {
            k1 = mod(k + 1, m);
            t = tangent(p0, q1, q2, p3, C2(k), C2(k1));
            if (t < -.5) return false;
            const dpt pt = bezier(t, p0, q1, q2, p3);
            const double dk = clen[std::size_t(k)];
            if (dk == 0.0) return false;
            double d1 = dpara(C2(k), C2(k1), pt) / dk;
            double d2 = dpara(C2(k), C2(k1), V(k1)) / dk;
            d2 *= 0.75 * curve_[std::size_t(k1)].alpha;
            if (d2 < 0) d1 = -d1, d2 = -d2;
            if (d1 < d2 - opttolerance) return false;
            if (d1 < d2) res.pen += (d1 - d2) * (d1 - d2);
        }
        return true;
    }

    std::vector<segment> opticurve(double opttolerance) const {
        const int m = int(curve_.size());
        const auto um = static_cast<std::size_t>(m);
        std::vector<int> pt(um + 1), len(um + 1), convc(um);
        std::vector<double> pen(um + 1), areac(um + 1), vlen(um), clen(um);
        std::vector<opti> opt(um + 1);
        const auto V = [&](int a) { return curve_[std::size_t(a)].vertex; };
        for (int i = 0; i < m; ++i) {
            const int i1 = mod(i + 1, m);
            vlen[std::size_t(i)] = ddist(V(i), V(i1));
            clen[std::size_t(i)] = ddist(curve_[std::size_t(i)].c2, curve_[std::size_t(i1)].c2);
        }
        for (int i = 0; i < m; ++i)
            convc[std::size_t(i)] =
                curve_[std::size_t(i)].corner ? 0 : sign(dpara(V(mod(i - 1, m)), V(i), V(mod(i + 1, m))));
        double area = 0;
        areac[0] = 0;
        const dpt p0 = V(0);
        for (int i = 0; i < m; ++i) {
            const int i1 = mod(i + 1, m);
            if (!curve_[std::size_t(i1)].corner) {
                const double alpha = curve_[std::size_t(i1)].alpha;
                area +=
                    0.3 * alpha * (4 - alpha) * dpara(curve_[std::size_t(i)].c2, V(i1), curve_[std::size_t(i1)].c2) / 2;
                area += dpara(p0, curve_[std::size_t(i)].c2, curve_[std::size_t(i1)].c2) / 2;
            }
            areac[std::size_t(i) + 1] = area;
        }
        pt[0] = -1;
        pen[0] = 0;
        len[0] = 0;
        opti o;
        for (int j = 1; j <= m; ++j) {
            pt[std::size_t(j)] = j - 1;
            pen[std::size_t(j)] = pen[std::size_t(j - 1)];
            len[std::size_t(j)] = len[std::size_t(j - 1)] + 1;
            for (int i = j - 2; i >= 0; --i) {
                if (!opti_penalty(i, mod(j, m), o, opttolerance, convc, areac, vlen, clen)) break;
                if (len[std::size_t(j)] > len[std::size_t(i)] + 1 ||
                    (len[std::size_t(j)] == len[std::size_t(i)] + 1 &&
                     pen[std::size_t(j)] > pen[std::size_t(i)] + o.pen)) {
                    pt[std::size_t(j)] = i;
                    pen[std::size_t(j)] = pen[std::size_t(i)] + o.pen;
                    len[std::size_t(j)] = len[std::size_t(i)] + 1;
                    opt[std::size_t(j)] = o;
                }
            }
        }
        const int om = len[std::size_t(m)];
        std::vector<segment> out(static_cast<std::size_t>(om));
        int j = m;
        for (int i = om - 1; i >= 0; --i) {
            const segment& cj = curve_[std::size_t(mod(j, m))];
            if (pt[std::size_t(j)] == j - 1) {
                out[std::size_t(i)] = cj;
            } else {
                segment& s = out[std::size_t(i)];
                s.corner = false;
                s.c0 = opt[std::size_t(j)].c[0];
                s.c1 = opt[std::size_t(j)].c[1];
                s.c2 = cj.c2;
                s.vertex = interval(opt[std::size_t(j)].s, cj.c2, cj.vertex);
                s.alpha = opt[std::size_t(j)].alpha;
            }
            j = pt[std::size_t(j)];
        }
        return out;
    }

    const std::vector<ipt>* pt_ = nullptr;
    int n_ = 0;
    int x0_ = 0, y0_ = 0;
    prefix_sums sums_;
    std::vector<int> pivk_, lon_, po_;
    /// calc_lon's record of a point: its coordinates, potrace's nc (the next point past the next
    /// turn) and the forward distance to it; one 16-byte record, one cache line read per step.
    struct walk_node {
        int x, y, next, step;
    };
    std::vector<walk_node> nodes_;
    std::vector<std::uint8_t> dirbit_;  // calc_lon: the direction bit of the step i -> nc[i]
    std::vector<double> row_;           // bestpolygon's candidate penalties
    std::vector<double> ptx_, pty_;     // the path's points as doubles, for penalty3_row
    std::vector<dpt> vertex_;
    std::vector<segment> curve_;
};
}  // namespace potrace_port

/// The pipeline's single call into the port: the curve of a closed lattice outline.
inline closed_curve fit_outline_curve_port(const std::vector<point2<int>>& outline, double alphamax,
                                           double corner_cos, double opttolerance) {
    namespace pp = potrace_port;
    thread_local pp::potrace_tracer tracer;
    thread_local std::vector<pp::ipt> steps;
    steps.clear();
    for (std::size_t i = 0, n = outline.size(); i < n; ++i) {
        const point2<int> a = outline[i], b = outline[(i + 1) % n];
        const int sx = (b.x > a.x) - (b.x < a.x), sy = (b.y > a.y) - (b.y < a.y);
        for (pp::ipt p{a.x, a.y}; p.x != b.x || p.y != b.y; p.x += sx, p.y += sy) steps.push_back(p);
    }
    closed_curve c;
    for (const pp::segment& s : tracer.trace(steps, alphamax, corner_cos, opttolerance)) {
        curve_segment g;
        g.type = s.corner ? curve_segment::kind::corner : curve_segment::kind::bezier;
        g.c1 = {s.c0.x, s.c0.y};
        g.c2 = {s.c1.x, s.c1.y};
        g.vertex = {s.vertex.x, s.vertex.y};
        g.end = {s.c2.x, s.c2.y};
        c.segments.push_back(g);
    }
    return c;
}
// ---- END potrace port ----

}  // namespace detail

namespace detail {

/// Paint order of the traced regions: by depth, then label, then raster order (one <path> per
/// run of equal depth and label). Colour mode: every region but the background `bg`. Binary
/// mode (no background): the ink regions and the paper regions off the image border (the only
/// paper that can lie inside ink; paper on the border is never inside an outer outline).
inline std::vector<std::uint32_t> paint_order(const region_runs& r, std::size_t bg, bool binary) {
    std::vector<std::uint32_t> order;
    order.reserve(r.count());
    for (std::size_t i = 0; i < r.count(); ++i)
        if (binary ? (r.label[i] == 1 || !r.on_border[i]) : i != bg) order.push_back(std::uint32_t(i));
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (r.depth[a] != r.depth[b]) return r.depth[a] < r.depth[b];
        if (r.label[a] != r.label[b]) return r.label[a] < r.label[b];
        return a < b;
    });
    return order;
}

/// Moves the vertices of an outline that lie on the image frame one pixel outward (0 -> -1,
/// width -> width + 1, the same for y): the outline of the region as if its border pixels were
/// repeated outside the image. A smoothed curve then stays outside the canvas along the frame
/// (the viewBox clips it) instead of cutting the corners of the image.
inline void push_frame_out(std::vector<point2<int>>& ring, std::size_t w, std::size_t h) noexcept {
    for (auto& p : ring) {
        p.x = p.x == 0 ? -1 : p.x == int(w) ? int(w) + 1 : p.x;
        p.y = p.y == 0 ? -1 : p.y == int(h) ? int(h) + 1 : p.y;
    }
}

}  // namespace detail

/// Vectorizes an 8-bit image (1-4 channels; alpha composited over white) into an SVG document
/// whose render looks like the input. The pipeline, each step a public stage:
///  1. pixels to labels. Colour mode: rgb_over_white (imgproc/over_white.hpp); the palette is
///     flat_palette (color/flat_palette.hpp: the frequent exact colours of a flat-colour image,
///     palette_mode::automatic) or else quantize (color/quantize.hpp: k-means++ and Lloyd,
///     `colors` entries), whose labels and PSNR are used as they are; flat-colour images up to
///     1024 x 1024 are upsampled (upsample_bilinear, imgproc/upsample.hpp, `upscale`, default 2x)
///     and mapped to the palette (map_to_palette, color/palette_map.hpp), so that boundaries
///     fall where anti-aliased edges cross half coverage. Binary mode: to_gray
///     (imgproc/gray.hpp) of the image over white; ink is grey < `threshold`.
///  2. regions: label_regions (geometry/label_regions.hpp, 4-connected, as runs) and
///     merge_speckles (regions under `speckle` input pixels join the neighbour nearest in
///     colour; two passes).
///  3. paint order: regions by depth (a region inside another's hole is deeper), then colour.
///     Colour mode: the largest region on the top row is a background rectangle. Binary mode:
///     no background (the page shows through, white), black ink, white for the paper regions
///     off the image border (holes in the ink).
///  4. each region's outline: crack_outline (geometry/crack_outline.hpp), its frame vertices
///     pushed one pixel outward; in colour mode the region is first dilated by one input pixel
///     into the regions painted after it, so each visible boundary is drawn by the upper region
///     and no gap can open between neighbours.
///  5. curves: regions of at least `smooth_min_area` pixels are fitted with corners and cubic
///     Beziers (`alphamax`, `corner_angle_deg`, `tolerance`); smaller ones stay exact pixel
///     polygons.
///  6. SVG: append_closed_curve / append_lattice_polygon (svg/curve_path.hpp) into one
///     svg::path_builder per depth and colour, svg::document.
/// Shapes: src is width x height with 1-4 interleaved channels; the SVG's user units are
/// pixels (viewBox 0 0 width height), pixel (x, y) covering [x, x+1] x [y, y+1].
/// Complexity: O(pixels * upscale^2) for labelling and outlines; curve fitting is quadratic in
/// the worst case per outline, near linear in practice.
/// Determinism: the same input, params and seed give the same document under seq and par.
/// Sources: see each stage; curve fitting after P. Selinger, "Potrace: a polygon-based tracing
/// algorithm", 2003; k-means++ (Arthur & Vassilvitskii 2007) and Lloyd; the sub-pixel
/// upsampling is mkbitmap's interpolate-then-threshold idea.
/// Throws vecta::invalid_argument for an empty image, more than 4 channels, an unknown mode or
/// palette mode, colors outside 1..65536, tolerance <= 0 or not finite, a corner angle outside
/// (0, 180], alphamax outside [0, 4/3], upscale outside 0..4, a precision outside 0..6,
/// max_paths or max_nodes 0; and naming params.max_paths / params.max_nodes when the document
/// would exceed them (the region count is checked before any curve fitting).
template <execution_policy Policy>
vectorize_result vectorize(const Policy& policy, image_view<const std::uint8_t> src,
                           const vectorize_params& params = {}) {
    constexpr std::string_view fn = "vecta::vectorize";
    const auto t0 = std::chrono::steady_clock::now();
    detail::check_image(src, fn, "src");
    detail::require(src.channels() <= 4, fn, "src", "must have 1 to 4 channels");
    detail::require(params.mode == trace_mode::color || params.mode == trace_mode::binary, fn, "params.mode",
                    "must be a trace_mode value");
    detail::require(params.palette == palette_mode::automatic || params.palette == palette_mode::kmeans, fn,
                    "params.palette", "must be a palette_mode value");
    detail::require(params.colors >= 1 && params.colors <= 65536, fn, "params.colors", "must be in 1..65536");
    detail::require(params.tolerance > 0 && std::isfinite(params.tolerance), fn, "params.tolerance",
                    "must be a finite number > 0");
    detail::require(params.corner_angle_deg > 0 && params.corner_angle_deg <= 180, fn, "params.corner_angle_deg",
                    "must be in (0, 180]");
    detail::require(params.alphamax >= 0 && params.alphamax <= 4.0 / 3.0, fn, "params.alphamax", "must be in [0, 4/3]");
    detail::require(params.upscale >= 0 && params.upscale <= 4, fn, "params.upscale", "must be in 0..4");
    detail::require(params.precision >= 0 && params.precision <= 6, fn, "params.precision", "must be in 0..6");
    detail::require(params.max_paths >= 1, fn, "params.max_paths", "must be >= 1");
    detail::require(params.max_nodes >= 1, fn, "params.max_nodes", "must be >= 1");
    detail::require(src.width() <= 65536 && src.height() <= 65536 && src.pixel_count() < (std::size_t(1) << 30), fn,
                    "src", "must have sides <= 65536 and fewer than 2^30 pixels");
    using rgb8 = std::array<std::uint8_t, 3>;
    const bool binary = params.mode == trace_mode::binary;
    const std::size_t w0 = src.width(), h0 = src.height();

    // 1. Pixels to labels: palette index per traced pixel (colour), 1 for ink (binary).
    std::vector<rgb8> pal;
    image<std::uint16_t> labels;
    image<std::uint8_t> ink, rgb, hi;
    image_view<const std::uint8_t> work;  // the RGB pixels that were labelled (empty in binary mode)
    int k = 1;
    double qpsnr = 0;
    bool flat = false;
    if (binary) {
        pal = {rgb8{255, 255, 255}, rgb8{0, 0, 0}};
        image<std::uint8_t> gray;
        if (src.channels() == 3) gray = to_gray(policy, src);
        else if (src.channels() != 1) gray = to_gray(policy, rgb_over_white(src).view());
        const image_view<const std::uint8_t> g = src.channels() == 1 ? src : gray.view();
        ink = image<std::uint8_t>(w0, h0, 1);
        for (std::size_t y = 0; y < h0; ++y) {
            const std::uint8_t* s = g.row(y);
            std::uint8_t* l = ink.view().row(y);
            for (std::size_t x = 0; x < w0; ++x) l[x] = s[x] < params.threshold ? 1 : 0;
        }
    } else {
        rgb = rgb_over_white(src);
        if (params.palette == palette_mode::automatic) pal = flat_palette(rgb.view(), params.colors);
        flat = !pal.empty();
        quantize_result q = flat ? map_to_palette(policy, rgb.view(), std::span<const rgb8>(pal))
                                 : quantize(policy, rgb.view(), {.colors = params.colors, .seed = params.seed});
        pal = q.palette;
        qpsnr = q.psnr;
        k = params.upscale ? params.upscale : (flat && w0 <= 1024 && h0 <= 1024 ? 2 : 1);
        work = rgb.view();
        if (k > 1) {
            hi = upsample_bilinear(rgb.view(), k);
            work = hi.view();
            q = map_to_palette(policy, work, std::span<const rgb8>(pal));
        }
        labels = std::move(q.labels);
    }
    const std::size_t w = w0 * std::size_t(k), h = h0 * std::size_t(k);

    // 2. Regions, small ones merged into their neighbour (two passes settle most chains).
    auto label_all = [&] { return binary ? label_regions(ink.view()) : label_regions(labels.view()); };
    region_runs regions = label_all();
    const std::size_t speckle = params.speckle != vectorize_params::auto_speckle ? params.speckle
                                : binary                                         ? 2
                                : flat                                           ? 6
                                                                                 : 3;
    for (int pass = 0; speckle > 1 && pass < 2; ++pass) {
        const std::size_t min_area = speckle * std::size_t(k * k);
        const std::span<const rgb8> p(pal);
        if (!(binary ? merge_speckles(ink.view(), regions, work, p, min_area)
                     : merge_speckles(labels.view(), regions, work, p, min_area)))
            break;
        regions = label_all();
    }
    const std::size_t nreg = regions.count();
    if (nreg > params.max_nodes)  // every region needs at least one command
        detail::throw_invalid(fn, "params.max_nodes",
                              "exceeded: the image has " + std::to_string(nreg) + " regions, the limit is " +
                                  std::to_string(params.max_nodes) +
                                  " path commands (raise it, raise params.speckle or lower params.colors)");

    // 3. Paint order. Colour mode: the largest region on the top row is the background.
    std::size_t bg = 0;
    for (std::size_t i = 0; i < nreg; ++i)
        if (regions.depth[i] == 0 && regions.area[i] > regions.area[bg]) bg = i;
    const std::vector<std::uint32_t> order = detail::paint_order(regions, bg, binary);
    auto group_ends = [&](std::size_t o) {
        return o + 1 == order.size() || regions.depth[order[o + 1]] != regions.depth[order[o]] ||
               regions.label[order[o + 1]] != regions.label[order[o]];
    };
    {
        std::size_t groups = binary ? 0 : 1;
        for (std::size_t o = 0; o < order.size(); ++o) groups += group_ends(o) ? 1 : 0;
        if (groups > params.max_paths)
            detail::throw_invalid(fn, "params.max_paths",
                                  "exceeded: the document needs " + std::to_string(groups) + " paths, the limit is " +
                                      std::to_string(params.max_paths) + " (raise it or lower params.colors)");
    }

    // 4 and 5. Outline and curve of every region, in parallel (each task writes its own entries).
    // Colour mode: a region's shape also takes in the pixels of regions painted after it within
    // one input pixel (k traced pixels, square); those regions cover it there, so each visible
    // boundary is traced once, by the upper region. Regions inside the enclosure of such a
    // union are always painted later (they are deeper), so the stacking stays exact.
    std::vector<std::uint32_t> rank_of;  // per traced pixel: 1 + paint position of its region
    if (!binary) {
        std::vector<std::uint32_t> rank(nreg, 0);
        for (std::size_t o = 0; o < order.size(); ++o) rank[order[o]] = std::uint32_t(o + 1);
        rank_of.resize(w * h);
        for (std::size_t r = 0; r < regions.runs.size(); ++r) {
            const auto& run = regions.runs[r];
            std::fill(rank_of.begin() + std::ptrdiff_t(run.y * w + run.x0),
                      rank_of.begin() + std::ptrdiff_t(run.y * w + run.x1), rank[regions.region_of[r]]);
        }
    }
    std::vector<closed_curve> curves(order.size());
    std::vector<std::vector<point2<int>>> polygons(order.size());
    const double corner_cos = std::cos(params.corner_angle_deg * 3.14159265358979323846 / 180.0);
    const std::size_t min_smooth = params.smooth_min_area * std::size_t(k * k);
    detail::parallel_for(policy, order.size(), 64, [&](std::size_t begin, std::size_t end) {
        std::vector<point2<int>> outline;
        for (std::size_t o = begin; o < end; ++o) {
            const std::uint32_t id = order[o];
            if (binary) {
                const std::uint8_t label = std::uint8_t(regions.label[id]);
                crack_outline(w, h, regions.first_pixel[id],
                              [&](std::size_t x, std::size_t y) { return ink(x, y) == label; }, outline);
            } else {
                const auto me = std::uint32_t(o + 1);
                const auto kk = std::size_t(k);
                crack_outline(w, h, regions.first_pixel[id], [&](std::size_t x, std::size_t y) {
                    const std::uint32_t r = rank_of[y * w + x];
                    if (r <= me) return r == me;
                    for (std::size_t yy = y > kk ? y - kk : 0; yy <= std::min(h - 1, y + kk); ++yy)
                        for (std::size_t xx = x > kk ? x - kk : 0; xx <= std::min(w - 1, x + kk); ++xx)
                            if (rank_of[yy * w + xx] == me) return true;
                    return false;
                }, outline);
            }
            detail::push_frame_out(outline, w, h);
            std::size_t perimeter = 0;
            for (std::size_t i = 0, n = outline.size(); i < n; ++i)
                perimeter += std::size_t(std::abs(outline[(i + 1) % n].x - outline[i].x) +
                                         std::abs(outline[(i + 1) % n].y - outline[i].y));
            if (regions.area[id] < min_smooth || perimeter <= 4)  // a lone pixel stays a square
                polygons[o] = outline;
            else
                curves[o] = detail::fit_outline_curve_port(outline, params.alphamax, corner_cos, params.tolerance * k);
        }
    });

    // 6. SVG: one path per depth and colour, in paint order.
    svg::document doc(w0, h0);
    if (!binary) doc.add_background(pal[regions.label[bg]]);
    vectorize_stats stats;
    svg::path_builder b(params.precision);
    for (std::size_t o = 0; o < order.size(); ++o) {
        if (polygons[o].empty())
            svg::append_closed_curve(b, curves[o], double(k));
        else
            svg::append_lattice_polygon(b, polygons[o], double(k));
        if (stats.nodes + b.nodes() > params.max_nodes)
            detail::throw_invalid(fn, "params.max_nodes",
                                  "exceeded: the document needs more than " + std::to_string(params.max_nodes) +
                                      " path commands (raise it, raise params.tolerance or lower params.colors)");
        if (group_ends(o)) {
            doc.add_path(b.str(), pal[regions.label[order[o]]]);
            stats.nodes += b.nodes();
            b = svg::path_builder(params.precision);
        }
    }
    vectorize_result result;
    result.document = doc.str();
    stats.paths = doc.paths();
    stats.bytes = result.document.size();
    {
        std::vector<std::uint8_t> used(pal.size(), 0);
        for (std::size_t i = 0; i < nreg; ++i) used[regions.label[i]] = 1;
        stats.colors = std::size_t(std::count(used.begin(), used.end(), std::uint8_t(1)));
    }
    stats.quantize_psnr = qpsnr;
    stats.regions = nreg;
    stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    result.stats = stats;
    return result;
}

/// vectorize under vecta::seq.
inline vectorize_result vectorize(image_view<const std::uint8_t> src, const vectorize_params& params = {}) {
    return vectorize(seq, src, params);
}

}  // namespace vecta
