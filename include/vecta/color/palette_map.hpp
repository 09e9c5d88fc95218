// SPDX-License-Identifier: MIT
// vecta/color/palette_map.hpp - every pixel of an RGB image to its nearest colour of a given palette.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "flat_palette.hpp"
#include "quantize.hpp"

namespace vecta {

/// Maps every pixel of an RGB image to the nearest entry of a fixed palette (squared RGB
/// distance, the lowest index on ties), as vecta::quantize does with the palette it finds.
/// Returns a quantize_result: the palette as given, the labels and the PSNR of the mapped image
/// against rgb (quantize_result::psnr's definition, capped at quantize_psnr_max).
/// Shapes: rgb width x height x 3; palette of 1..65536 colours; labels width x height x 1.
/// Complexity: O(pixels * palette size). Deterministic under seq and par.
/// Throws vecta::invalid_argument ("rgb") if it is empty or not 3 channels, ("palette") if it is
/// empty or has more than 65536 entries.
template <execution_policy Policy>
quantize_result map_to_palette(const Policy& policy, image_view<const std::uint8_t> rgb,
                               std::span<const std::array<std::uint8_t, 3>> palette) {
    constexpr std::string_view fn = "vecta::map_to_palette";
    detail::check_image(rgb, fn, "rgb", 3);
    detail::require(!palette.empty() && palette.size() <= 65536, fn, "palette", "must have 1 to 65536 colours");
    const std::size_t w = rgb.width(), h = rgb.height();
    quantize_result res;
    res.palette.assign(palette.begin(), palette.end());
    res.labels = image<std::uint16_t>(w, h, 1);
    std::vector<float> cents(palette.size() * 3);
    for (std::size_t i = 0; i < palette.size(); ++i)
        for (std::size_t c = 0; c < 3; ++c) cents[i * 3 + c] = palette[i][c];
    const std::size_t blocks = (h + 15) / 16;
    std::vector<std::uint64_t> part(blocks, 0);  // squared error per task (tasks span >= 16 rows)
    const simd::level lvl = detail::policy_level(policy);
    detail::parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
        std::uint64_t se = 0;
        // Runs of pixels as float RGB through k-means' nearest-centre kernel (run-time SIMD dispatch): the
        // distances are exact integers in float (< 2^24), so labels (the lowest index on ties)
        // and errors are those of the integer formula.
        constexpr std::size_t run = 256;
        alignas(64) float pts[run * 3], scratch[3 * detail::kmeans_chunk], dist[run];
        alignas(64) std::uint32_t lab[run];
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint8_t* row = rgb.row(y);
            std::uint16_t* out = res.labels.view().row(y);
            for (std::size_t x0 = 0; x0 < w; x0 += run) {
                const std::size_t n = std::min(run, w - x0);
                const std::uint8_t* src = row + 3 * x0;
                for (std::size_t j = 0; j < 3 * n; ++j) pts[j] = static_cast<float>(src[j]);
                detail::nearest_centroids(lvl, pts, n, 3, cents.data(), palette.size(), lab, dist,
                                          static_cast<float*>(nullptr), scratch);
                double run_se = 0;  // exact: at most 256 integers below 2^18
                for (std::size_t j = 0; j < n; ++j) {
                    out[x0 + j] = static_cast<std::uint16_t>(lab[j]);
                    run_se += static_cast<double>(dist[j]);
                }
                se += static_cast<std::uint64_t>(run_se);
            }
        }
        part[y0 / 16] = se;
    });
    std::uint64_t se = 0;
    for (const std::uint64_t v : part) se += v;
    res.psnr = psnr_u8(se, 3 * std::uint64_t(w) * h);
    return res;
}

/// map_to_palette under vecta::seq.
inline quantize_result map_to_palette(image_view<const std::uint8_t> rgb,
                                      std::span<const std::array<std::uint8_t, 3>> palette) {
    return map_to_palette(seq, rgb, palette);
}

}  // namespace vecta
