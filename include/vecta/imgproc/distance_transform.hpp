// SPDX-License-Identifier: MIT
// vecta/imgproc/distance_transform.hpp - exact Euclidean distance transform of a binary mask.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"

namespace vecta {

/// Parameters of distance_transform.
struct distance_transform_params {
    /// Pixels outside the image count as background (a stroke touching the border is measured
    /// as if the paper went on white). When false and the mask has no background pixel, every
    /// distance is +infinity.
    bool outside_is_background = true;
};

namespace detail {

/// One row of the squared distance transform of sampled function f (P. F. Felzenszwalb,
/// D. P. Huttenlocher, "Distance Transforms of Sampled Functions", Theory of Computing 8, 2012,
/// section 2.1): the lower envelope of the parabolas (q - x)^2 + f(q). f has n finite samples
/// at positions pos[0..n) (increasing); d receives the envelope at positions x0 .. x0 + m - 1.
/// v and z are scratch of n and n + 1 entries. O(n + m).
inline void dt_envelope(const double* f, const double* pos, std::size_t n, double x0, double* d, std::size_t m,
                        std::size_t* v, double* z) noexcept {
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::size_t k = 0;
    v[0] = 0;
    z[0] = -inf;
    z[1] = inf;
    for (std::size_t q = 1; q < n; ++q) {
        const auto meet = [&](std::size_t p) {
            return ((f[q] + pos[q] * pos[q]) - (f[p] + pos[p] * pos[p])) / (2 * pos[q] - 2 * pos[p]);
        };
        double s = meet(v[k]);
        while (s <= z[k]) s = meet(v[--k]);  // z[0] = -inf stops it
        ++k;
        v[k] = q;
        z[k] = s;
        z[k + 1] = inf;
    }
    k = 0;
    for (std::size_t x = 0; x < m; ++x) {
        const double px = x0 + double(x);
        while (z[k + 1] < px) ++k;
        const double t = px - pos[v[k]];
        d[x] = t * t + f[v[k]];
    }
}

}  // namespace detail

/// Exact Euclidean distance transform: dist(x, y) = distance from the centre of pixel (x, y) to
/// the centre of the nearest background pixel (mask value 0), in pixels; 0 on background.
/// Separable: an exact 1-D pass down each column (two sweeps), then the lower envelope of
/// parabolas along each row (Felzenszwalb & Huttenlocher 2012, section 2; the same two-pass
/// structure as Meijster, Roerdink & Hesselink 2000), computed per run of foreground between
/// two background pixels, which bound it. Exact up to the float rounding of the square root
/// of an integer.
/// Shapes: mask W x H, 1 channel (nonzero = foreground); dist W x H, 1 channel.
/// Complexity: O(W * H) time, O(W * H) scratch (32-bit column distances). Sequential: the
/// policy is accepted for a uniform call shape but not used yet (the column pass and the row
/// pass are each independent per column / row and could be split over threads; not done).
/// Throws vecta::invalid_argument if mask is empty or not 1 channel ("mask"), or dist does not
/// have mask's shape ("dist").
template <execution_policy Policy>
void distance_transform(const Policy&, image_view<const std::uint8_t> mask, image_view<float> dist,
                        const distance_transform_params& params = {}) {
    constexpr std::string_view fn = "vecta::distance_transform";
    detail::check_image(mask, fn, "mask", 1);
    detail::check_same_shape(mask, dist, fn, "dist");
    const std::size_t w = mask.width(), h = mask.height();
    const bool out_bg = params.outside_is_background;
    // Column pass: g = distance along the column to the nearest background pixel; `far` when
    // there is none.
    const std::uint32_t far = std::numeric_limits<std::uint32_t>::max() / 2;
    std::vector<std::uint32_t> g(w * h);
    {
        std::vector<std::uint32_t> run(w, out_bg ? 0 : far);
        for (std::size_t y = 0; y < h; ++y) {
            const std::uint8_t* m = mask.row(y);
            std::uint32_t* gr = &g[y * w];
            for (std::size_t x = 0; x < w; ++x) {
                run[x] = m[x] ? std::min(run[x] + 1, far) : 0;
                gr[x] = run[x];
            }
        }
        std::fill(run.begin(), run.end(), out_bg ? 0 : far);
        for (std::size_t y = h; y-- > 0;) {
            const std::uint8_t* m = mask.row(y);
            std::uint32_t* gr = &g[y * w];
            for (std::size_t x = 0; x < w; ++x) {
                run[x] = m[x] ? std::min(run[x] + 1, far) : 0;
                gr[x] = std::min(gr[x], run[x]);
            }
        }
    }
    // Row pass, run by run: for a run of foreground a..b, the background pixels a - 1 and
    // b + 1 (0 in g) bound every parabola from further out, so the envelope over a - 1 .. b + 1
    // is exact (pixels outside the image count when outside_is_background).
    std::vector<double> f(w + 2), pos(w + 2), d(w), z(w + 3);
    std::vector<std::size_t> v(w + 2);
    constexpr float finf = std::numeric_limits<float>::infinity();
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint32_t* gr = &g[y * w];
        float* out = dist.row(y);
        std::size_t x = 0;
        while (x < w) {
            if (gr[x] == 0) {
                out[x++] = 0;
                continue;
            }
            const std::size_t a = x;
            while (x < w && gr[x] != 0) ++x;
            const std::size_t b = x;  // run [a, b)
            std::size_t n = 0;
            const auto add = [&](double p, double fv) {
                pos[n] = p;
                f[n++] = fv;
            };
            if (a > 0 || out_bg) add(double(a) - 1, 0);
            for (std::size_t q = a; q < b; ++q)
                if (gr[q] < far) add(double(q), double(gr[q]) * double(gr[q]));
            if (b < w || out_bg) add(double(b), 0);
            if (n == 0) {
                for (std::size_t q = a; q < b; ++q) out[q] = finf;
                continue;
            }
            detail::dt_envelope(f.data(), pos.data(), n, double(a), d.data(), b - a, v.data(), z.data());
            for (std::size_t q = a; q < b; ++q) out[q] = float(std::sqrt(d[q - a]));
        }
    }
}

/// distance_transform under vecta::seq.
inline void distance_transform(image_view<const std::uint8_t> mask, image_view<float> dist,
                               const distance_transform_params& params = {}) {
    distance_transform(seq, mask, dist, params);
}

}  // namespace vecta
