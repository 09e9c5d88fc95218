// SPDX-License-Identifier: MIT
// vecta/color/split_regions.hpp - principal-axis region splits: each region of a labelled image
// whose colours spread along one direction of CIELAB (a smooth gradient: sky, skin, a blurred
// background) is cut in two at its mean along that direction (vectorize step 2b).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../geometry/label_regions.hpp"
#include "../imgproc/gaussian_blur.hpp"
#include "lab.hpp"

namespace vecta {

/// Parameters of vecta::split_regions.
struct split_regions_params {
    /// Regions of fewer pixels stay whole. >= 2.
    std::size_t min_area = 64;
    /// A region of A pixels whose CIELAB colours have the variance lambda ((delta E*ab)^2) along
    /// their principal axis is cut when lambda sqrt(A) > threshold: the squared error a cut
    /// removes grows as lambda A, the length (bytes) of the new boundary as sqrt(A), so this is
    /// a bound on error removed per boundary pixel. >= 0, finite. The defaults were chosen on
    /// the shared photos at 600 px (docs/vectorize.md "Region splits").
    double threshold = 256;
    /// The sides are decided on the image smoothed by gaussian_blur with this odd kernel size
    /// (its default sigma), so that the cut through a noisy gradient is a smooth line; 0 or 1:
    /// on the pixels themselves. 0..31.
    std::size_t smoothing = 9;
    /// 4-connected parts of one side of a cut region with fewer pixels join the other side. >= 0.
    std::size_t min_part = 16;
};

/// The output of vecta::split_regions: a label image (width x height x 1) in which every region
/// of the input is label 2 r (r its index in the input region_runs) or, when it was cut, 2 r and
/// 2 r + 1 for its two sides (label_regions of it gives the new regions); `split` counts the
/// regions cut.
struct split_regions_result {
    image<std::uint32_t> labels;
    std::size_t split = 0;
};

namespace detail {

/// Power iteration on the symmetric 3x3 matrix `m` (row major) from its column `c`: a unit vector
/// and its Rayleigh quotient (the top eigenpair unless column c is almost orthogonal to it).
inline std::pair<std::array<double, 3>, double> power_iteration(const std::array<double, 9>& m,
                                                                std::size_t c) noexcept {
    std::array<double, 3> v{m[c], m[3 + c], m[6 + c]};
    double lambda = 0;
    for (int it = 0; it < 64; ++it) {
        const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!(n > 1e-300)) return {{0, 0, 0}, 0};
        for (auto& x : v) x /= n;
        const std::array<double, 3> mv{m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
                                       m[6] * v[0] + m[7] * v[1] + m[8] * v[2]};
        const double next = v[0] * mv[0] + v[1] * mv[1] + v[2] * mv[2];
        v = mv;
        if (it > 4 && std::abs(next - lambda) <= 1e-9 * std::abs(next)) {
            lambda = next;
            break;
        }
        lambda = next;
    }
    const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (!(n > 1e-300)) return {{0, 0, 0}, 0};
    return {{v[0] / n, v[1] / n, v[2] / n}, lambda};
}

/// Unit eigenvector of the largest eigenvalue of the symmetric 3x3 matrix `m` (row major) and that
/// eigenvalue, by power iteration from the column of the largest diagonal entry, and from the other
/// columns when they find a larger Rayleigh quotient (by more than rounding): column c holds
/// lambda_1 v_1[c] of the top eigenvector v_1 and some |v_1[c]| >= 1/sqrt(3), while from the largest
/// diagonal alone a top axis with no component there was missed (a lesser axis returned). Converges
/// for a dominant eigenvalue; for a tie any vector of the top eigenspace serves a split equally
/// well. O(1).
inline std::pair<std::array<double, 3>, double> principal_axis(const std::array<double, 9>& m) noexcept {
    std::size_t c = 0;
    for (std::size_t i = 1; i < 3; ++i)
        if (m[i * 4] > m[c * 4]) c = i;
    auto best = power_iteration(m, c);
    for (std::size_t i = 0; i < 3; ++i) {
        if (i == c) continue;
        const auto p = power_iteration(m, i);
        if (p.second > best.second + 1e-6 * std::abs(best.second)) best = p;
    }
    return best;
}

}  // namespace detail

/// Principal-axis region splits: for every region of at least params.min_area pixels, the
/// covariance of its pixels' colours is taken to CIELAB through the Jacobian of rgb_to_lab at the
/// region's mean (central differences of one code value), and when the variance lambda along the
/// principal axis passes params.threshold (lambda sqrt(area) > threshold) the region's pixels
/// (their colours in the image smoothed by params.smoothing) are divided by the plane
/// through the mean normal to that axis (pulled back to RGB): Orchard & Bouman's binary split
/// ("Color quantization of images", IEEE Trans. Signal Processing 39(12), 1991), applied to one
/// region's pixels in a locally linearised CIELAB. A smooth gradient is cut across its
/// direction, so a flat fill per side halves its banding error. 4-connected parts of a side
/// under params.min_part pixels join the other side (parts of a textured region's cut).
/// Shapes: regions as label_regions returns them for a width x
/// height image; rgb width x height x 3, 8-bit, the pixels the regions were labelled from.
/// Complexity: O(runs + pixels) (one pass for the moments, the blur, one pass to write the
/// labels, one label_regions of them) and O(regions) for the axes. Deterministic; seq and par agree (the pass is
/// sequential; the policy is taken for the pipeline's uniformity). Throws vecta::invalid_argument naming "regions" when
/// it is not label_regions' runs of an image (detail::check_region_runs), "rgb" when it is not width x height x 3,
/// "params.min_area" below 2, "params.threshold" negative or not finite, "params.smoothing" even (above 1) or above 31.
template <execution_policy Policy>
split_regions_result split_regions(const Policy& policy, const region_runs& regions, image_view<const std::uint8_t> rgb,
                                   const split_regions_params& params = {}) {
    constexpr std::string_view fn = "vecta::split_regions";
    detail::check_region_runs(regions, fn, "regions");
    detail::require(rgb.width() == regions.width && rgb.height() == regions.height && rgb.channels() == 3, fn, "rgb",
                    "must be 3 channels of the size of regions");
    detail::require(params.min_area >= 2, fn, "params.min_area", "must be >= 2");
    detail::require(std::isfinite(params.threshold) && params.threshold >= 0, fn, "params.threshold",
                    "must be finite and >= 0");
    detail::require(params.smoothing <= 31 && (params.smoothing <= 1 || params.smoothing % 2 == 1), fn,
                    "params.smoothing", "must be 0, 1 or odd up to 31");
    const std::size_t n = regions.count();
    detail::require(n <= 0x7FFFFFFFu, fn, "regions", "must hold fewer than 2^31 regions");
    // First and second moments of each large region's colours, exact in integers.
    constexpr std::uint32_t none = 0xFFFFFFFFu;
    std::vector<std::uint32_t> big(n, none);
    std::size_t nb = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (regions.area[i] >= params.min_area) big[i] = std::uint32_t(nb++);
    std::vector<std::array<std::uint64_t, 9>> mom(nb, std::array<std::uint64_t, 9>{});  // r g b rr gg bb rg rb gb
    for (std::size_t r = 0; r < regions.runs.size(); ++r) {
        const std::uint32_t b = big[regions.region_of[r]];
        if (b == none) continue;
        const auto& run = regions.runs[r];
        // Sums of one run in locals (the 8-bit reads may alias the moments otherwise), in 64 bits.
        std::uint64_t t[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        const std::uint8_t* px = rgb.row(run.y) + std::size_t(run.x0) * 3;
        for (std::size_t x = run.x0; x < run.x1; ++x, px += 3) {
            const std::uint64_t R = px[0], G = px[1], B = px[2];
            t[0] += R, t[1] += G, t[2] += B;
            t[3] += R * R, t[4] += G * G, t[5] += B * B, t[6] += R * G, t[7] += R * B, t[8] += G * B;
        }
        for (std::size_t k = 0; k < 9; ++k) mom[b][k] += t[k];
    }
    // Per large region: the cut, as (u, t) with side = u . rgb > t; u = 0 leaves it whole.
    std::vector<std::array<double, 5>> cut(nb, std::array<double, 5>{0, 0, 0, 0, 0});  // u, cut?, t
    split_regions_result res;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t b = big[i];
        if (b == none) continue;
        const auto& m = mom[b];
        const double a = double(regions.area[i]);
        const std::array<double, 3> mu{double(m[0]) / a, double(m[1]) / a, double(m[2]) / a};
        const auto cov = [&](std::size_t s, std::size_t p, std::size_t q) { return double(m[s]) / a - mu[p] * mu[q]; };
        const std::array<double, 9> c{cov(3, 0, 0), cov(6, 0, 1), cov(7, 0, 2), cov(6, 0, 1), cov(4, 1, 1),
                                      cov(8, 1, 2), cov(7, 0, 2), cov(8, 1, 2), cov(5, 2, 2)};
        // J: d(L, a, b) / d(R, G, B) at the mean, by central differences over one code value.
        std::array<int, 3> at{};
        for (std::size_t k = 0; k < 3; ++k) at[k] = std::clamp(int(std::lround(mu[k])), 1, 254);
        std::array<double, 9> J{};
        for (std::size_t k = 0; k < 3; ++k) {
            std::array<int, 3> lo = at, hi = at;
            --lo[k], ++hi[k];
            const auto p = rgb_to_lab(std::uint8_t(hi[0]), std::uint8_t(hi[1]), std::uint8_t(hi[2]));
            const auto q = rgb_to_lab(std::uint8_t(lo[0]), std::uint8_t(lo[1]), std::uint8_t(lo[2]));
            for (std::size_t j = 0; j < 3; ++j) J[j * 3 + k] = (double(p[j]) - double(q[j])) / 2;
        }
        std::array<double, 9> JC{}, L{};  // J C, then J C J^T
        for (std::size_t r = 0; r < 3; ++r)
            for (std::size_t s = 0; s < 3; ++s)
                for (std::size_t k = 0; k < 3; ++k) JC[r * 3 + s] += J[r * 3 + k] * c[k * 3 + s];
        for (std::size_t r = 0; r < 3; ++r)
            for (std::size_t s = 0; s < 3; ++s)
                for (std::size_t k = 0; k < 3; ++k) L[r * 3 + s] += JC[r * 3 + k] * J[s * 3 + k];
        const auto [v, lambda] = detail::principal_axis(L);
        if (!(lambda * std::sqrt(a) > params.threshold)) continue;
        // The axis pulled back to RGB: (J^T v) . (rgb - mu) is the Lab projection to first order.
        std::array<double, 5>& u = cut[b];
        for (std::size_t k = 0; k < 3; ++k) u[k] = J[k] * v[0] + J[3 + k] * v[1] + J[6 + k] * v[2];
        u[3] = 1;
        u[4] = u[0] * mu[0] + u[1] * mu[1] + u[2] * mu[2];
        ++res.split;
    }
    // The sides, decided on the guide (the image smoothed, so that a cut through a noisy
    // gradient follows the gradient rather than the noise).
    image<std::uint8_t> smoothed;
    image_view<const std::uint8_t> guide = rgb;
    if (params.smoothing > 1 && res.split > 0) {
        smoothed = image<std::uint8_t>(regions.width, regions.height, 3);
        gaussian_blur(policy, rgb, smoothed.view(), {.ksize = params.smoothing});
        guide = smoothed.view();
    }
    res.labels = image<std::uint32_t>(regions.width, regions.height, 1);
    for (std::size_t r = 0; r < regions.runs.size(); ++r) {
        const auto& run = regions.runs[r];
        const std::uint32_t region = regions.region_of[r], b = big[region];
        std::uint32_t* out = res.labels.data() + std::size_t(run.y) * regions.width;
        if (b == none || !cut[b][3]) {
            std::fill(out + run.x0, out + run.x1, 2 * region);
            continue;
        }
        const auto& u = cut[b];
        const std::uint8_t* px = guide.row(run.y) + std::size_t(run.x0) * 3;
        for (std::size_t x = run.x0; x < run.x1; ++x, px += 3)
            out[x] = 2 * region + (u[0] * px[0] + u[1] * px[1] + u[2] * px[2] > u[4] ? 1 : 0);
    }
    // Parts of a cut region under min_part pixels join its other side: the region is connected,
    // so every part of one side that is not the whole region touches the other side. Side 2 r + 1
    // first, then side 2 r on the parts labelled again: flipped in one pass, two small parts of
    // opposite sides that touch (a noisy cut line) would only swap sides and stay small.
    for (std::uint32_t side = 1; res.split > 0 && params.min_part > 1 && side <= 2; ++side) {
        const region_runs parts = label_regions(res.labels.view());
        for (std::size_t r = 0; r < parts.runs.size(); ++r) {
            const std::uint32_t p = parts.region_of[r], l = parts.label[p];
            const std::uint32_t b = big[l / 2];
            if ((l & 1u) != (side & 1u) || parts.area[p] >= params.min_part || b == none || !cut[b][3]) continue;
            const auto& run = parts.runs[r];
            std::uint32_t* out = res.labels.data() + std::size_t(run.y) * regions.width;
            std::fill(out + run.x0, out + run.x1, l ^ 1u);
        }
    }
    return res;
}

/// split_regions under vecta::seq.
inline split_regions_result split_regions(const region_runs& regions, image_view<const std::uint8_t> rgb,
                                          const split_regions_params& params = {}) {
    return split_regions(seq, regions, rgb, params);
}

}  // namespace vecta
