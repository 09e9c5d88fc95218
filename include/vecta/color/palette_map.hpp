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
    const std::size_t blocks = (h + 15) / 16;
    std::vector<std::uint64_t> part(blocks, 0);  // squared error per task (tasks span >= 16 rows)
    detail::parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
        std::uint64_t se = 0;
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint8_t* s = rgb.row(y);
            std::uint16_t* out = res.labels.view().row(y);
            for (std::size_t x = 0; x < w; ++x, s += 3) {
                int best = detail::rgb_dist2(palette[0], s);
                std::uint16_t bi = 0;
                for (std::size_t i = 1; i < palette.size(); ++i) {
                    const int d = detail::rgb_dist2(palette[i], s);
                    if (d < best) best = d, bi = std::uint16_t(i);
                }
                out[x] = bi;
                se += std::uint64_t(best);
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
