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
/// section 2.1): the lower envelope of the parabolas (q - x)^2 + f(q). f has n samples at
/// positions pos[0..n) (increasing); d receives the envelope at positions 0..m. v and z are
/// scratch of n and n + 1 entries. Samples with f = +inf are skipped. O(n + m).
inline void dt_envelope(const double* f, const double* pos, std::size_t n, double* d, std::size_t m, std::size_t* v,
                        double* z) noexcept {
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::size_t k = 0;
    bool any = false;
    for (std::size_t q = 0; q < n; ++q) {
        if (!(f[q] < inf)) continue;
        if (!any) {
            v[0] = q;
            z[0] = -inf;
            z[1] = inf;
            any = true;
            continue;
        }
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
    if (!any) {
        for (std::size_t x = 0; x < m; ++x) d[x] = inf;
        return;
    }
    k = 0;
    for (std::size_t x = 0; x < m; ++x) {
        const double px = double(x);
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
/// structure as Meijster, Roerdink & Hesselink 2000). Exact up to the float rounding of the
/// square root of an integer.
/// Shapes: mask W x H, 1 channel (nonzero = foreground); dist W x H, 1 channel.
/// Complexity: O(W * H) time, O(W + H) scratch. Sequential (the policy is accepted for
/// uniformity).
/// Throws vecta::invalid_argument if mask is empty or not 1 channel ("mask"), or dist does not
/// have mask's shape ("dist").
template <execution_policy Policy>
void distance_transform(const Policy&, image_view<const std::uint8_t> mask, image_view<float> dist,
                        const distance_transform_params& params = {}) {
    constexpr std::string_view fn = "vecta::distance_transform";
    detail::check_image(mask, fn, "mask", 1);
    detail::check_same_shape(mask, dist, fn, "dist");
    const std::size_t w = mask.width(), h = mask.height();
    constexpr double inf = std::numeric_limits<double>::infinity();
    const bool out_bg = params.outside_is_background;
    // Column pass: g = distance along the column to the nearest background pixel (as double).
    std::vector<double> g(w * h);
    {
        std::vector<double> run(w, out_bg ? 0.0 : inf);  // distance from the previous row's pixel
        for (std::size_t y = 0; y < h; ++y) {
            const std::uint8_t* m = mask.row(y);
            double* gr = &g[y * w];
            for (std::size_t x = 0; x < w; ++x) {
                run[x] = m[x] ? run[x] + 1 : 0;
                gr[x] = run[x];
            }
        }
        std::fill(run.begin(), run.end(), out_bg ? 0.0 : inf);
        for (std::size_t y = h; y-- > 0;) {
            const std::uint8_t* m = mask.row(y);
            double* gr = &g[y * w];
            for (std::size_t x = 0; x < w; ++x) {
                run[x] = m[x] ? run[x] + 1 : 0;
                if (run[x] < gr[x]) gr[x] = run[x];
            }
        }
    }
    // Row pass over the samples -1, 0..w-1, w (the outside ones background when out_bg).
    const std::size_t n = w + 2;
    std::vector<double> f(n), pos(n), d(w), z(n + 1);
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) pos[i] = double(i) - 1;
    f[0] = f[n - 1] = out_bg ? 0.0 : inf;
    for (std::size_t y = 0; y < h; ++y) {
        const double* gr = &g[y * w];
        for (std::size_t x = 0; x < w; ++x) f[x + 1] = gr[x] * gr[x];
        detail::dt_envelope(f.data(), pos.data(), n, d.data(), w, v.data(), z.data());
        float* out = dist.row(y);
        for (std::size_t x = 0; x < w; ++x) out[x] = d[x] < inf ? float(std::sqrt(d[x])) : std::numeric_limits<float>::infinity();
    }
}

/// distance_transform under vecta::seq.
inline void distance_transform(image_view<const std::uint8_t> mask, image_view<float> dist,
                               const distance_transform_params& params = {}) {
    distance_transform(seq, mask, dist, params);
}

}  // namespace vecta
