// SPDX-License-Identifier: MIT
// vecta/color/region_fills.hpp - region fills: each region of a labelled image painted with its
// own mean colour, the means quantized to a palette of fills (vectorize_params::region_colors).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../geometry/label_regions.hpp"
#include "quantize.hpp"

namespace vecta {

/// Parameters of vecta::region_fills.
struct region_fills_params {
    std::size_t colors = 256;  ///< fills at most, 1..65536 (fewer if fewer distinct region means)
    std::uint64_t seed = 0;    ///< seed of quantize's k-means++ seeding
};

/// Region fills: every pixel of `regions` takes its region's mean colour in `rgb` (each channel
/// rounded half up), and vecta::quantize with params.colors entries (params.seed, plain
/// k-means++ seeding: kmeans_init::plus_plus, its other parameters at their defaults) picks the
/// fills from that image of means, so a region weighs by its area. Plain rather than greedy
/// k-means++: the greedy trials took 60 % of the fills' time for 0.5-1 dB of the fills' own PSNR
/// against the means (43-53 dB), under 0.05 dB of the traced photos' (docs/vectorize.md). Returns quantize's result:
/// labels (width x height x 1; all pixels of one region share a label, adjacent regions may share one, so label_regions
/// again merges them), the palette of fills and the PSNR of the fills against the image of means. Shapes: regions as
/// label_regions returns them for a width x height label image; rgb width x height x 3, 8-bit, the pixels the regions
/// were labelled from. Complexity: O(runs + regions log regions) for the means and their colour table (built from the
/// regions, the image of means is never formed), plus quantize's clustering of at most regions.count() distinct
/// colours, plus O(pixels) to write the labels. Deterministic; seq and par agree. Source: vecta's own design (vectorize
/// step 2b, docs/vectorize.md "Region fills": the palette shapes the regions, the region means colour them, the
/// quantize bounds the number of fills); k-means++ (Arthur & Vassilvitskii 2007) and Lloyd via vecta::quantize. Throws
/// vecta::invalid_argument naming "regions" when it is not label_regions' runs of an image (detail::check_region_runs:
/// runs tiling every row, regions, labels and areas consistent), "rgb" when it is not width x height x 3,
/// "params.colors" outside 1..65536.
template <execution_policy Policy>
quantize_result region_fills(const Policy& policy, const region_runs& regions, image_view<const std::uint8_t> rgb,
                             const region_fills_params& params = {}) {
    constexpr std::string_view fn = "vecta::region_fills";
    detail::check_region_runs(regions, fn, "regions");
    detail::require(rgb.width() == regions.width && rgb.height() == regions.height && rgb.channels() == 3, fn, "rgb",
                    "must be 3 channels of the size of regions");
    detail::require(params.colors >= 1 && params.colors <= 65536, fn, "params.colors", "must be in 1..65536");
    std::vector<std::array<std::uint64_t, 4>> sum(regions.count(), {0, 0, 0, 0});
    for (std::size_t r = 0; r < regions.runs.size(); ++r) {
        const auto& run = regions.runs[r];
        auto& s = sum[regions.region_of[r]];
        const std::uint8_t* px = rgb.row(run.y) + std::size_t(run.x0) * 3;
        for (std::size_t x = run.x0; x < run.x1; ++x, px += 3) s[0] += px[0], s[1] += px[1], s[2] += px[2];
        s[3] += run.x1 - run.x0;
    }
    // The colour table of the image of means, built from the regions alone: each distinct mean
    // (packed r << 16 | g << 8 | b, ascending) with the pixels of the regions that have it.
    const std::size_t n = regions.count();
    std::vector<std::uint64_t> by_key;  // mean << 32 | region, for the regions with pixels
    by_key.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = sum[i];
        if (s[3] == 0) continue;
        const std::uint64_t key =
            (s[0] + s[3] / 2) / s[3] << 16 | (s[1] + s[3] / 2) / s[3] << 8 | (s[2] + s[3] / 2) / s[3];
        by_key.push_back(key << 32 | i);
    }
    std::sort(by_key.begin(), by_key.end());
    std::vector<std::uint32_t> keys;
    std::vector<std::uint64_t> counts;
    std::vector<std::uint32_t> key_of(n);  // index in keys of each region's mean
    for (const std::uint64_t v : by_key) {
        const auto key = static_cast<std::uint32_t>(v >> 32);
        const auto region = static_cast<std::uint32_t>(v);
        if (keys.empty() || keys.back() != key) keys.push_back(key), counts.push_back(0);
        counts.back() += sum[region][3];
        key_of[region] = static_cast<std::uint32_t>(keys.size() - 1);
    }
    quantize_params qp;
    qp.colors = params.colors;
    qp.seed = params.seed;
    qp.init = kmeans_init::plus_plus;
    const detail::quantized_table qt = detail::quantize_table(policy, keys, counts, qp);
    quantize_result res;
    res.palette = qt.palette;
    res.labels = image<std::uint16_t>(regions.width, regions.height, 1);
    for (std::size_t r = 0; r < regions.runs.size(); ++r) {
        const auto& run = regions.runs[r];
        const auto label = static_cast<std::uint16_t>(qt.color_label[key_of[regions.region_of[r]]]);
        std::uint16_t* out = res.labels.data() + std::size_t(run.y) * regions.width;
        std::fill(out + run.x0, out + run.x1, label);
    }
    res.psnr = psnr_u8(detail::table_sse(keys, counts, qt), 3 * std::uint64_t(regions.width) * regions.height);
    return res;
}

/// region_fills under vecta::seq.
inline quantize_result region_fills(const region_runs& regions, image_view<const std::uint8_t> rgb,
                                    const region_fills_params& params = {}) {
    return region_fills(seq, regions, rgb, params);
}

}  // namespace vecta
