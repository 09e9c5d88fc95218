// SPDX-License-Identifier: MIT
// vecta/vectorize.hpp - raster to SVG: palette, regions, potrace-style curves, stacked paths.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "color/quantize.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
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

/// Any 8-bit image with 1-4 channels as RGB; alpha is composited over white (straight alpha).
inline image<std::uint8_t> to_rgb_over_white(image_view<const std::uint8_t> src) {
    const std::size_t c = src.channels();
    if (c == 3) return image<std::uint8_t>::from(src);
    image<std::uint8_t> out(src.width(), src.height(), 3);
    for (std::size_t y = 0; y < src.height(); ++y) {
        const std::uint8_t* s = src.row(y);
        std::uint8_t* d = out.view().row(y);
        for (std::size_t x = 0; x < src.width(); ++x, s += c, d += 3) {
            const bool gray = c <= 2;
            const unsigned alpha = (c == 2 || c == 4) ? s[c - 1] : 255u;
            for (std::size_t k = 0; k < 3; ++k) {
                const unsigned v = gray ? s[0] : s[k];
                d[k] = static_cast<std::uint8_t>((v * alpha + 255u * (255u - alpha) + 127u) / 255u);
            }
        }
    }
    return out;
}

namespace vz {

using rgb8 = std::array<std::uint8_t, 3>;

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

/// 4-connected components of a label image, in raster order of their first pixel, kept as
/// runs of equal labels per row (no per-pixel map).
struct components {
    struct run {
        std::uint32_t x0, x1, y;
        std::uint16_t label;
    };
    std::vector<run> runs;               ///< row by row, left to right
    std::vector<std::size_t> row_start;  ///< first run of each row, and runs.size() at the end
    std::vector<std::uint32_t> comp;     ///< component of each run
    std::vector<std::uint32_t> label, depth;
    std::vector<std::size_t> area, first;
    std::size_t count() const noexcept { return area.size(); }
    /// The run of row y covering column x.
    std::size_t run_at(std::size_t x, std::size_t y) const noexcept {
        const auto b = runs.begin() + std::ptrdiff_t(row_start[y]), e = runs.begin() + std::ptrdiff_t(row_start[y + 1]);
        return std::size_t(std::upper_bound(b, e, x, [](std::size_t v, const run& r) { return v < r.x1; }) -
                           runs.begin());
    }
};

/// The end of the run of equal labels that starts at l[x]: the first x1 > x with l[x1] != l[x],
/// or w. Eight bytes at a time (a word compared with the label repeated), then one by one.
template <class L>
std::size_t run_end(const L* l, std::size_t x, std::size_t w) noexcept {
    static_assert(sizeof(L) == 1 || sizeof(L) == 2, "labels are 8 or 16 bits");
    const L v = l[x];
    std::size_t x1 = x + 1;
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::size_t per = 8 / sizeof(L);
        const std::uint64_t pattern =
            std::uint64_t(v) * (sizeof(L) == 1 ? 0x0101010101010101ull : 0x0001000100010001ull);
        for (; x1 + per <= w; x1 += per) {
            std::uint64_t word;
            std::memcpy(&word, l + x1, 8);
            if (const std::uint64_t diff = word ^ pattern)
                return x1 + std::size_t(std::countr_zero(diff)) / (8 * sizeof(L));
        }
    }
    while (x1 < w && l[x1] == v) ++x1;
    return x1;
}

template <class L>
components label_components(const std::vector<L>& labels, std::size_t w, std::size_t h) {
    // Runs of equal labels per row, joined across rows by union-find (each root is the run
    // first in raster order, so components come in raster order of their first pixel).
    components c;
    auto& runs = c.runs;
    c.row_start.resize(h + 1);
    for (std::size_t y = 0; y < h; ++y) {
        c.row_start[y] = runs.size();
        const L* l = labels.data() + y * w;
        for (std::size_t x = 0; x < w;) {
            const std::size_t x1 = run_end(l, x, w);
            runs.push_back({std::uint32_t(x), std::uint32_t(x1), std::uint32_t(y), l[x]});
            x = x1;
        }
    }
    c.row_start[h] = runs.size();
    std::vector<std::uint32_t>& parent = c.comp;
    parent.resize(runs.size());
    std::iota(parent.begin(), parent.end(), std::uint32_t{0});
    auto find = [&](std::uint32_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    };
    for (std::size_t y = 1; y < h; ++y) {
        std::size_t a = c.row_start[y - 1], b = c.row_start[y];
        const std::size_t ae = c.row_start[y], be = c.row_start[y + 1];
        while (a < ae && b < be) {
            if (runs[a].x0 < runs[b].x1 && runs[b].x0 < runs[a].x1 && runs[a].label == runs[b].label) {
                const std::uint32_t ra = find(std::uint32_t(a)), rb = find(std::uint32_t(b));
                if (ra < rb)
                    parent[rb] = ra;
                else if (rb < ra)
                    parent[ra] = rb;
            }
            if (runs[a].x1 < runs[b].x1)
                ++a;
            else
                ++b;
        }
    }
    // Roots precede their members: number the roots in raster order, then map every run.
    for (std::size_t r = 0; r < runs.size(); ++r) parent[r] = find(std::uint32_t(r));
    std::vector<std::uint32_t> id_of(runs.size(), 0);
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const std::uint32_t root = parent[r];
        if (root == r) {
            const auto id = std::uint32_t(c.area.size());
            const std::size_t y = runs[r].y, first = y * w + runs[r].x0;
            c.label.push_back(runs[r].label);
            c.area.push_back(0);
            c.first.push_back(first);
            // Painter's depth: one more than the region above the first pixel (which encloses
            // it, or is enclosed by the same regions); regions on the top row are at depth 0.
            c.depth.push_back(y > 0 ? c.depth[id_of[c.run_at(runs[r].x0, y - 1)]] + 1 : 0);
            id_of[r] = id;
        } else {
            id_of[r] = id_of[root];
        }
        c.area[id_of[r]] += runs[r].x1 - runs[r].x0;
    }
    parent.swap(id_of);
    return c;
}

/// The outer crack-edge boundary of a 4-connected pixel set as unit steps, from the top-left
/// corner of its first pixel `first` (whose upper neighbour is outside), clockwise on screen
/// (the set on its right), 4-connected turn at saddles. inside(x, y) tests membership of
/// in-image pixels.
template <class Inside>
void trace_outline(Inside&& inside_image, std::size_t w, std::size_t h, std::size_t first, std::vector<ipt>& out) {
    // The set is extended by one pixel beyond the image border (edge replication), so that an
    // outline never runs along the border: the smoothed curve stays outside the canvas there
    // and the viewBox clips it, leaving no sliver of background at the image edge.
    const long long W = (long long)w, H = (long long)h;
    auto inside = [&](long long x, long long y) {
        if (x < -1 || y < -1 || x > W || y > H) return false;
        x = std::clamp(x, 0LL, W - 1);
        y = std::clamp(y, 0LL, H - 1);
        return bool(inside_image(std::size_t(y) * w + std::size_t(x)));
    };
    static constexpr int dx[4] = {1, 0, -1, 0};
    static constexpr int dy[4] = {0, 1, 0, -1};
    long long x0 = (long long)(first % w), y0 = (long long)(first / w);
    if (y0 == 0) y0 = -1;  // the replicated row above
    if (x0 == 0) x0 = -1;
    long long x = x0, y = y0;
    int dir = 0;
    out.clear();
    do {
        out.push_back({int(x), int(y)});
        x += dx[dir];
        y += dy[dir];
        bool al = false, ar = false;
        switch (dir) {
            case 0: al = inside(x, y - 1), ar = inside(x, y); break;
            case 1: al = inside(x, y), ar = inside(x - 1, y); break;
            case 2: al = inside(x - 1, y), ar = inside(x - 1, y - 1); break;
            default: al = inside(x - 1, y - 1), ar = inside(x, y - 1); break;
        }
        if (!ar)
            dir = (dir + 1) & 3;
        else if (al)
            dir = (dir + 3) & 3;
    } while (!(x == x0 && y == y0 && dir == 0));
    // Start at a turn (potrace's calc_lon expects one at index 0).
    const std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i) {
        const ipt a = out[(i + n - 1) % n], p = out[i], c = out[(i + 1) % n];
        if ((p.x - a.x) != (c.x - p.x) || (p.y - a.y) != (c.y - p.y)) {
            std::rotate(out.begin(), out.begin() + std::ptrdiff_t(i), out.end());
            break;
        }
    }
}

inline int dist2(const rgb8& a, const std::uint8_t* b) noexcept {
    const int d0 = int(a[0]) - b[0], d1 = int(a[1]) - b[1], d2 = int(a[2]) - b[2];
    return d0 * d0 + d1 * d1 + d2 * d2;
}

/// Squared distance from colour c to the segment between palette colours a and b.
inline double mix_dist2(const rgb8& a, const rgb8& b, const rgb8& c) noexcept {
    double ab[3], ac[3], num = 0, den = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        ab[k] = double(b[k]) - a[k];
        ac[k] = double(c[k]) - a[k];
        num += ab[k] * ac[k];
        den += ab[k] * ab[k];
    }
    const double t = den > 0 ? std::clamp(num / den, 0.0, 1.0) : 0.0;
    double d = 0;
    for (std::size_t k = 0; k < 3; ++k) d += (ac[k] - t * ab[k]) * (ac[k] - t * ab[k]);
    return d;
}

/// Automatic palette of a flat-colour image: exact histogram modes that are neither near a
/// chosen colour nor an anti-aliasing mix of two. Returns an empty palette when the chosen
/// colours leave more than 3 % of the pixels unexplained (a photo or gradients).
inline std::vector<rgb8> flat_palette(image_view<const std::uint8_t> rgb, std::size_t max_colors) {
    const std::size_t n = rgb.pixel_count();
    std::vector<std::uint32_t> packed;
    packed.reserve(n);
    for (std::size_t y = 0; y < rgb.height(); ++y) {
        const std::uint8_t* s = rgb.row(y);
        for (std::size_t x = 0; x < rgb.width(); ++x, s += 3)
            packed.push_back(std::uint32_t(s[0]) << 16 | std::uint32_t(s[1]) << 8 | s[2]);
    }
    std::sort(packed.begin(), packed.end());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> hist;  // count, colour
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && packed[j] == packed[i]) ++j;
        hist.push_back({std::uint32_t(j - i), packed[i]});
        i = j;
    }
    if (hist.size() > n / 4 && n > 64) return {};  // mostly unique colours: a photo
    std::sort(hist.begin(), hist.end(),
              [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    auto unpack = [](std::uint32_t v) { return rgb8{std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)}; };
    std::vector<rgb8> pal;
    const double min_count = std::max(4.0, double(n) / 4000.0);
    constexpr double near2 = 16.0 * 16.0, mix2 = 10.0 * 10.0;
    for (const auto& [count, v] : hist) {
        if (pal.size() >= max_colors || count < min_count) break;
        const rgb8 c = unpack(v);
        bool skip = false;
        for (const auto& p : pal) skip = skip || dist2(p, c.data()) < near2;
        if (!skip && count < n / 50)
            for (std::size_t a = 0; a < pal.size() && !skip; ++a)
                for (std::size_t b = a + 1; b < pal.size() && !skip; ++b) skip = mix_dist2(pal[a], pal[b], c) < mix2;
        if (!skip) pal.push_back(c);
    }
    if (pal.empty()) pal.push_back(unpack(hist[0].second));
    // Flat colours cover most of a flat-colour image exactly (anti-aliasing is a minority).
    std::size_t covered = 0;
    for (const auto& [count, v] : hist) {
        const rgb8 c = unpack(v);
        bool ok = false;
        for (const auto& p : pal) ok = ok || dist2(p, c.data()) < near2;
        if (ok) covered += count;
    }
    if (covered * 4 < n * 3) return {};
    // Unexplained pixels: farther than 24 from every colour and every two-colour mix.
    std::size_t unexplained = 0;
    constexpr double tol2 = 24.0 * 24.0;
    for (const auto& [count, v] : hist) {
        const rgb8 c = unpack(v);
        bool ok = false;
        for (const auto& p : pal) ok = ok || dist2(p, c.data()) < tol2;
        for (std::size_t a = 0; a < pal.size() && !ok; ++a)
            for (std::size_t b = a + 1; b < pal.size() && !ok; ++b) ok = mix_dist2(pal[a], pal[b], c) < tol2;
        if (!ok) unexplained += count;
        if (unexplained * 100 > n * 3) return {};
    }
    return pal;
}

/// Index of the nearest palette colour (squared RGB distance, lowest index on ties).
inline std::uint16_t nearest(const std::vector<rgb8>& pal, const std::uint8_t* c) noexcept {
    int best = dist2(pal[0], c);
    std::uint16_t bi = 0;
    for (std::size_t i = 1; i < pal.size(); ++i) {
        const int d = dist2(pal[i], c);
        if (d < best) best = d, bi = std::uint16_t(i);
    }
    return bi;
}

/// Bilinear upsampling by an integer factor, sample centres aligned ((x + 0.5) / k - 0.5),
/// clamped at the border.
inline image<std::uint8_t> upsample(image_view<const std::uint8_t> src, int k) {
    const std::size_t w = src.width(), h = src.height(), W = w * std::size_t(k), H = h * std::size_t(k);
    image<std::uint8_t> out(W, H, 3);
    std::vector<int> x0(W), x1(W);
    std::vector<int> fx(W);  // weight of x1 in 1/256
    for (std::size_t X = 0; X < W; ++X) {
        const double sx = (double(X) + 0.5) / k - 0.5;
        const double fl = std::floor(sx);
        x0[X] = int(std::clamp(fl, 0.0, double(w - 1)));
        x1[X] = int(std::clamp(fl + 1, 0.0, double(w - 1)));
        fx[X] = int(std::lround((sx - fl) * 256));
    }
    for (std::size_t Y = 0; Y < H; ++Y) {
        const double sy = (double(Y) + 0.5) / k - 0.5;
        const double fl = std::floor(sy);
        const auto y0 = std::size_t(std::clamp(fl, 0.0, double(h - 1)));
        const auto y1 = std::size_t(std::clamp(fl + 1, 0.0, double(h - 1)));
        const int fy = int(std::lround((sy - fl) * 256));
        const std::uint8_t *r0 = src.row(y0), *r1 = src.row(y1);
        std::uint8_t* d = out.view().row(Y);
        for (std::size_t X = 0; X < W; ++X)
            for (std::size_t c = 0; c < 3; ++c) {
                const int a = r0[std::size_t(x0[X]) * 3 + c] * (256 - fx[X]) + r0[std::size_t(x1[X]) * 3 + c] * fx[X];
                const int b = r1[std::size_t(x0[X]) * 3 + c] * (256 - fx[X]) + r1[std::size_t(x1[X]) * 3 + c] * fx[X];
                d[X * 3 + c] = std::uint8_t((a * (256 - fy) + b * fy + (1 << 15)) >> 16);
            }
    }
    return out;
}

/// Speckle filter: every component under `min_area` pixels takes the label of the
/// neighbouring component whose colour is nearest its mean colour (neighbours at least
/// min_area large preferred; rgb may be empty, then the mean is the component's own colour).
/// Returns true when a label changed.
template <class L>
bool merge_speckles(std::vector<L>& labels, const components& c, std::size_t w, image_view<const std::uint8_t> rgb,
                    const std::vector<rgb8>& pal, std::size_t min_area) {
    const std::size_t nc = c.count();
    constexpr std::uint32_t none = 0xFFFFFFFFu;
    std::vector<std::uint32_t> small_index(nc, none);
    std::size_t ns = 0;
    for (std::size_t i = 0; i < nc; ++i)
        if (c.area[i] < min_area) small_index[i] = std::uint32_t(ns++);
    if (ns == 0) return false;
    std::vector<std::array<double, 3>> mean(ns, {0, 0, 0});
    for (const auto& r : c.runs) {
        const auto s = small_index[c.comp[std::size_t(&r - c.runs.data())]];
        if (s == none) continue;
        for (std::size_t x = r.x0; x < r.x1; ++x)
            for (std::size_t k = 0; k < 3; ++k) mean[s][k] += rgb.empty() ? pal[r.label][k] : rgb(x, r.y, k);
    }
    for (std::size_t i = 0; i < nc; ++i)
        if (small_index[i] != none)
            for (auto& v : mean[small_index[i]]) v /= double(c.area[i]);
    std::vector<double> best(ns, 1e300);
    std::vector<L> best_label(ns, 0);
    std::vector<std::uint8_t> found(ns, 0);
    const std::size_t h = c.row_start.size() - 1;
    for (std::size_t ri = 0; ri < c.runs.size(); ++ri) {
        const auto s = small_index[c.comp[ri]];
        if (s == none) continue;
        const auto& r = c.runs[ri];
        auto consider = [&](std::size_t q) {
            if (c.comp[q] == c.comp[ri]) return;
            const auto l = L(c.runs[q].label);
            double d = 0;
            for (std::size_t k = 0; k < 3; ++k) d += (pal[l][k] - mean[s][k]) * (pal[l][k] - mean[s][k]);
            if (c.area[c.comp[q]] < min_area) d += 1e12;  // prefer a large neighbour
            if (d < best[s]) best[s] = d, best_label[s] = l, found[s] = 1;
        };
        if (r.x0 > 0) consider(ri - 1);
        if (r.x1 < w) consider(ri + 1);
        for (const std::size_t y : {std::size_t(r.y) - 1, std::size_t(r.y) + 1}) {
            if (y >= h) continue;  // also catches r.y == 0 wrapping
            for (std::size_t q = c.run_at(r.x0, y); q < c.row_start[y + 1] && c.runs[q].x0 < r.x1; ++q) consider(q);
        }
    }
    bool changed = false;
    for (std::size_t ri = 0; ri < c.runs.size(); ++ri) {
        const auto s = small_index[c.comp[ri]];
        const auto& r = c.runs[ri];
        if (s != none && found[s] && r.label != best_label[s]) {
            std::fill(labels.begin() + std::ptrdiff_t(r.y * w + r.x0), labels.begin() + std::ptrdiff_t(r.y * w + r.x1),
                      best_label[s]);
            changed = true;
        }
    }
    return changed;
}

/// Writes one traced closed curve, scaled by 1/k, into b: from a corner when there is one
/// (so that a polygon needs no extra start point), collinear line runs merged.
inline void write_segments(svg::path_builder& b, const std::vector<segment>& segs, double k) {
    const std::size_t m = segs.size();
    std::size_t j = m;  // first corner
    for (std::size_t i = 0; i < m && j == m; ++i)
        if (segs[i].corner) j = i;
    std::vector<dpt> line;  // pending polyline (last point = current point)
    auto flush = [&] {
        for (std::size_t i = 1; i < line.size(); ++i) {
            if (i + 1 < line.size()) {
                const dpt a = line[i - 1], p = line[i], c = line[i + 1];
                const double cr = (p.x - a.x) * (c.y - p.y) - (p.y - a.y) * (c.x - p.x);
                const double dt = (p.x - a.x) * (c.x - p.x) + (p.y - a.y) * (c.y - p.y);
                if (std::abs(cr) <= 1e-9 * (1 + std::abs(dt)) && dt > 0) {
                    line[i] = a;  // drop p: a, p, c are collinear and in order
                    continue;
                }
            }
            b.line_to(line[i].x / k, line[i].y / k);
        }
        const dpt last = line.back();
        line.assign(1, last);
    };
    dpt start;
    std::size_t first;
    if (j < m) {
        start = segs[j].vertex;
        first = j;
        line = {start, segs[j].c2};
    } else {
        start = segs[m - 1].c2;
        first = m - 1;  // the loop starts with segment 0
        line = {start};
    }
    b.move_to(start.x / k, start.y / k);
    for (std::size_t n = 0; n < m; ++n) {
        const std::size_t i = (first + 1 + n) % m;
        const segment& s = segs[i];
        const bool last = n + 1 == m;
        if (j < m && last) break;  // the corner we started at: closing returns to its vertex
        if (s.corner) {
            line.push_back(s.vertex);
            if (!(j == m && last)) line.push_back(s.c2);
        } else {
            flush();
            b.cubic_to(s.c0.x / k, s.c0.y / k, s.c1.x / k, s.c1.y / k, s.c2.x / k, s.c2.y / k);
            line.assign(1, s.c2);
        }
    }
    line.push_back(start);  // the closing edge, for merging; z draws it
    {
        std::vector<dpt> keep = line;
        keep.pop_back();
        // merge with the closing edge: drop a last point collinear with the start
        if (keep.size() >= 2) {
            const dpt a = keep[keep.size() - 2], p = keep.back(), c = start;
            const double cr = (p.x - a.x) * (c.y - p.y) - (p.y - a.y) * (c.x - p.x);
            const double dt = (p.x - a.x) * (c.x - p.x) + (p.y - a.y) * (c.y - p.y);
            if (std::abs(cr) <= 1e-9 * (1 + std::abs(dt)) && dt > 0) keep.pop_back();
        }
        line = keep;
        if (line.size() > 1) flush();
    }
    b.close();
}

/// An exact pixel polygon (unit steps merged into runs), scaled by 1/k.
inline void write_polygon(svg::path_builder& b, const std::vector<ipt>& path, double k) {
    const std::size_t n = path.size();
    b.move_to(path[0].x / k, path[0].y / k);
    for (std::size_t i = 1; i < n; ++i) {
        const ipt a = path[i - 1], p = path[i], c = path[(i + 1) % n];
        if ((p.x - a.x) == (c.x - p.x) && (p.y - a.y) == (c.y - p.y)) continue;  // not a turn
        b.line_to(p.x / k, p.y / k);
    }
    b.close();
}

}  // namespace vz
}  // namespace detail

/// Vectorizes an 8-bit image (1-4 channels; alpha composited over white) into an SVG document
/// whose render looks like the input.
///
/// Colour mode:
///  1. palette: for flat-colour images (icons) the frequent exact colours, skipping
///     anti-aliasing mixes of two chosen colours (palette_mode::automatic, at most `colors`);
///     otherwise k-means++ and Lloyd (vecta::quantize) with `colors` entries;
///  2. on flat-colour images the RGB image is upsampled bilinearly (`upscale`, default 2x), so
///     that the nearest-colour labels put every boundary where the anti-aliased edge crosses
///     half coverage, at sub-pixel precision;
///  3. speckle filter: 4-connected regions under `speckle` pixels (input pixels) take the
///     label of the neighbour nearest in colour;
///  4. each region's outer crack-edge outline is traced as potrace does: the polygon with the
///     fewest segments within half a pixel, sub-pixel least-squares vertices, corners where
///     alpha >= alphamax or the turn exceeds corner_angle_deg, cubic smoothing, and merging of
///     runs of cubics within `tolerance` (opttolerance);
///  5. stacking: regions are painted in order of depth (a region above the first pixel of
///     another comes first, so every region lies on top of the regions around it), one <path>
///     per depth and colour, over a background rectangle; no seams, no gaps.
/// Binary mode: luma below `threshold` is ink; the same tracing, black ink and white holes on a
/// transparent background (rendered on white it is the input), no background rectangle.
/// Shapes: src is width x height with 1-4 interleaved channels; the SVG's user units are
/// pixels (viewBox 0 0 width height), pixel (x, y) covering [x, x+1] x [y, y+1].
/// Complexity: O(pixels * upscale^2) for labelling and tracing; potrace's polygon and curve
/// optimisation are quadratic in the worst case per outline, near linear in practice.
/// Determinism: the same input, params and seed give the same document under seq and par.
/// Sources: potrace (P. Selinger, "Potrace: a polygon-based tracing algorithm", 2003; potrace
/// 1.16 trace.c), k-means++ (Arthur & Vassilvitskii 2007) and Lloyd; the sub-pixel upsampling
/// is mkbitmap's interpolate-then-threshold idea.
/// Throws vecta::invalid_argument for an empty image, more than 4 channels, an unknown mode or
/// palette mode, colors outside 1..65536, tolerance <= 0 or not finite, a corner angle outside
/// (0, 180], alphamax outside [0, 4/3], upscale outside 0..4, a precision outside 0..6,
/// max_paths or max_nodes 0; and naming params.max_paths / params.max_nodes when the document
/// would exceed them (the region count is checked before any curve fitting).
template <execution_policy Policy>
vectorize_result vectorize(const Policy& policy, image_view<const std::uint8_t> src,
                           const vectorize_params& params = {}) {
    namespace vz = detail::vz;
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

    const bool binary = params.mode == trace_mode::binary;
    const image<std::uint8_t> rgb = binary ? image<std::uint8_t>() : detail::to_rgb_over_white(src);
    const std::size_t w0 = src.width(), h0 = src.height();
    std::vector<vz::rgb8> pal;
    std::vector<std::uint16_t> labels;  // colour mode: palette index per traced pixel
    std::vector<std::uint8_t> ink;      // binary mode: 1 for ink (half the memory a 512 x 512 command touches)
    int k = 1;
    double qpsnr = 0;
    bool flat = false;
    if (binary) {
        pal = {vz::rgb8{255, 255, 255}, vz::rgb8{0, 0, 0}};
        ink.resize(w0 * h0);
        const std::size_t c = src.channels();
        const unsigned t = params.threshold;
        for (std::size_t y = 0; y < h0; ++y) {
            const std::uint8_t* s = src.row(y);
            std::uint8_t* l = ink.data() + y * w0;
            if (c == 1) {
                for (std::size_t x = 0; x < w0; ++x) l[x] = s[x] < t ? 1 : 0;
                continue;
            }
            for (std::size_t x = 0; x < w0; ++x, s += c) {
                const unsigned v = c <= 2 ? 1000u * s[0] : 299u * s[0] + 587u * s[1] + 114u * s[2];
                const unsigned alpha = (c == 2 || c == 4) ? s[c - 1] : 255u;
                // luma composited over white, times 1000
                const unsigned luma = (v * alpha + 1000u * 255u * (255u - alpha)) / 255u;
                l[x] = luma < 1000u * t ? 1 : 0;
            }
        }
    } else {
        if (params.palette == palette_mode::automatic) pal = vz::flat_palette(rgb.view(), params.colors);
        flat = !pal.empty();
        if (!flat) {
            const quantize_result q = quantize(policy, rgb.view(), {.colors = params.colors, .seed = params.seed});
            pal.assign(q.palette.begin(), q.palette.end());
            qpsnr = q.psnr;
        }
        k = params.upscale ? params.upscale : (flat && w0 <= 1024 && h0 <= 1024 ? 2 : 1);
        if (k == 1 && !flat) {
            // labels of the k-means
            labels.resize(w0 * h0);
            for (std::size_t y = 0; y < h0; ++y)
                for (std::size_t x = 0; x < w0; ++x) labels[y * w0 + x] = vz::nearest(pal, &rgb(x, y, 0));
        }
    }
    image<std::uint8_t> hi;
    image_view<const std::uint8_t> work = binary ? image_view<const std::uint8_t>() : rgb.view();
    if (k > 1) {
        hi = vz::upsample(rgb.view(), k);
        work = hi.view();
    }
    const std::size_t w = w0 * std::size_t(k), h = h0 * std::size_t(k);
    if (!binary && labels.empty()) {
        labels.resize(w * h);
        detail::parallel_for(policy, h, 16, [&](std::size_t b, std::size_t e) {
            for (std::size_t y = b; y < e; ++y)
                for (std::size_t x = 0; x < w; ++x) labels[y * w + x] = vz::nearest(pal, &work(x, y, 0));
        });
    }
    if (params.mode == trace_mode::color && qpsnr == 0) {
        double se = 0;
        for (std::size_t y = 0; y < h0; ++y)
            for (std::size_t x = 0; x < w0; ++x) {
                const auto& c = pal[labels[y * std::size_t(k) * w + x * std::size_t(k)]];
                for (std::size_t ch = 0; ch < 3; ++ch)
                    se += double((int(c[ch]) - rgb(x, y, ch)) * (int(c[ch]) - rgb(x, y, ch)));
            }
        qpsnr = se == 0 ? 99.0 : std::min(99.0, 10 * std::log10(255.0 * 255.0 * 3.0 * double(w0 * h0) / se));
    }
    vz::components comps = binary ? vz::label_components(ink, w, h) : vz::label_components(labels, w, h);
    const std::size_t speckle = params.speckle != vectorize_params::auto_speckle ? params.speckle
                                : binary                                         ? 2
                                : flat                                           ? 6
                                                                                 : 3;
    if (speckle > 1)
        for (int pass = 0; pass < 2; ++pass) {
            const std::size_t min_area = speckle * std::size_t(k * k);
            if (!(binary ? vz::merge_speckles(ink, comps, w, work, pal, min_area)
                         : vz::merge_speckles(labels, comps, w, work, pal, min_area)))
                break;
            comps = binary ? vz::label_components(ink, w, h) : vz::label_components(labels, w, h);
        }
    const std::size_t nreg = comps.count();
    if (nreg > params.max_nodes)  // every region needs at least one command
        detail::throw_invalid(fn, "params.max_nodes",
                              "exceeded: the image has " + std::to_string(nreg) + " regions, the limit is " +
                                  std::to_string(params.max_nodes) +
                                  " path commands (raise it, raise params.speckle or lower params.colors)");

    // Background: the largest region on the top row; regions at depth 0 are drawn over it.
    std::size_t bg = 0;
    for (std::size_t i = 0; i < nreg; ++i)
        if (comps.depth[i] == 0 && comps.area[i] > comps.area[bg]) bg = i;
    const bool draw_bg = !(binary && comps.label[bg] == 0);

    // Paint order: by depth, then colour, then raster order; one <path> per depth and colour.
    std::vector<std::uint32_t> order;
    order.reserve(nreg);
    for (std::size_t i = 0; i < nreg; ++i)
        if (i != bg && !(binary && comps.depth[i] == 0 && comps.label[i] == 0)) order.push_back(std::uint32_t(i));
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (comps.depth[a] != comps.depth[b]) return comps.depth[a] < comps.depth[b];
        if (comps.label[a] != comps.label[b]) return comps.label[a] < comps.label[b];
        return a < b;
    });
    auto group_ends = [&](std::size_t o) {
        return o + 1 == order.size() || comps.depth[order[o + 1]] != comps.depth[order[o]] ||
               comps.label[order[o + 1]] != comps.label[order[o]];
    };
    {
        std::size_t groups = draw_bg ? 1 : 0;
        for (std::size_t o = 0; o < order.size(); ++o) groups += group_ends(o) ? 1 : 0;
        if (groups > params.max_paths)
            detail::throw_invalid(fn, "params.max_paths",
                                  "exceeded: the document needs " + std::to_string(groups) + " paths, the limit is " +
                                      std::to_string(params.max_paths) + " (raise it or lower params.colors)");
    }

    // Trace every region in parallel: each block writes only its own entries.
    std::vector<std::vector<vz::segment>> segs(order.size());
    std::vector<std::vector<vz::ipt>> polys(order.size());
    const double corner_cos = std::cos(params.corner_angle_deg * 3.14159265358979323846 / 180.0);
    const std::size_t min_smooth = params.smooth_min_area * std::size_t(k * k);
    const double opttol = params.tolerance * k;
    // Colour mode: a region's shape also takes in the regions painted after it (they cover it
    // there), so each visible boundary is traced once, by the upper region, and the lower
    // region reaches under it: no gap can open between neighbours. Regions inside the
    // enclosure of such a union are always painted later (they are deeper), so it is exact.
    std::vector<std::uint32_t> pixrank;
    if (!binary) {
        std::vector<std::uint32_t> rank(nreg, 0);
        for (std::size_t o = 0; o < order.size(); ++o) rank[order[o]] = std::uint32_t(o + 1);
        pixrank.resize(w * h);
        for (std::size_t r = 0; r < comps.runs.size(); ++r) {
            const auto& run = comps.runs[r];
            std::fill(pixrank.begin() + std::ptrdiff_t(run.y * w + run.x0),
                      pixrank.begin() + std::ptrdiff_t(run.y * w + run.x1), rank[comps.comp[r]]);
        }
    }
    detail::parallel_for(policy, order.size(), 64, [&](std::size_t begin, std::size_t end) {
        std::vector<vz::ipt> path;
        vz::potrace_tracer tracer;
        for (std::size_t o = begin; o < end; ++o) {
            const std::uint32_t id = order[o];
            if (binary) {
                const auto label = std::uint8_t(comps.label[id]);
                vz::trace_outline([&](std::size_t i) { return ink[i] == label; }, w, h, comps.first[id], path);
            } else {
                const auto me = std::uint32_t(o + 1);
                // The region, dilated by one input pixel (k traced pixels, square) into the
                // regions painted after it.
                vz::trace_outline(
                    [&](std::size_t i) {
                        const std::uint32_t r = pixrank[i];
                        if (r == me) return true;
                        if (r < me) return false;
                        const long long x = (long long)(i % w), y = (long long)(i / w), kk = k;
                        for (long long yy = std::max(0LL, y - kk); yy <= std::min((long long)h - 1, y + kk); ++yy)
                            for (long long xx = std::max(0LL, x - kk); xx <= std::min((long long)w - 1, x + kk); ++xx)
                                if (pixrank[std::size_t(yy) * w + std::size_t(xx)] == me) return true;
                        return false;
                    },
                    w, h, comps.first[id], path);
            }
            if (comps.area[id] < min_smooth || path.size() <= 4)
                polys[o] = path;
            else
                segs[o] = tracer.trace(path, params.alphamax, corner_cos, opttol);
        }
    });

    svg::document doc(w0, h0);
    if (draw_bg) doc.add_background(pal[comps.label[bg]]);
    vectorize_stats stats;
    svg::path_builder b(params.precision);
    for (std::size_t o = 0; o < order.size(); ++o) {
        if (polys[o].empty())
            vz::write_segments(b, segs[o], double(k));
        else
            vz::write_polygon(b, polys[o], double(k));
        if (stats.nodes + b.nodes() > params.max_nodes)
            detail::throw_invalid(fn, "params.max_nodes",
                                  "exceeded: the document needs more than " + std::to_string(params.max_nodes) +
                                      " path commands (raise it, raise params.tolerance or lower params.colors)");
        if (group_ends(o)) {
            doc.add_path(b.str(), pal[comps.label[order[o]]]);
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
        for (std::size_t i = 0; i < nreg; ++i) used[comps.label[i]] = 1;
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
