// SPDX-License-Identifier: MIT
// vecta/vectorize_centerline.hpp - colour line art for vectorize's centerline mode
// (vectorize_params::stroke_colors): each palette colour's strokes traced as centerlines and
// stroked in that colour. Internals of vectorize.hpp (namespace detail).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "color/flat_palette.hpp"
#include "color/palette_map.hpp"
#include "color/quantize.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "geometry/centerline.hpp"

namespace vecta::detail {

/// One palette colour's centerline trace.
struct centerline_color_layer {
    std::array<std::uint8_t, 3> color{};
    centerline_result traced;
};

/// Colour line art (strokes of a few flat colours on a paper colour): the palette of `rgb`
/// (flat_palette with at most `colors` entries, or k-means (vecta::quantize, `seed`) when the
/// image is not flat or `kmeans`), every pixel mapped to its nearest entry; the most frequent
/// entry is the paper. Each other entry c is traced on its own by trace_centerlines (params
/// `cp`) on a coverage image: a pixel mapped to c or to the paper has the coverage of c along the
/// line from the paper's colour to c (its projection, clamped to [0, 1]; anti-aliased edges
/// keep their sub-pixel position), any other pixel none; grey = 255 (1 - coverage), so ink is a
/// coverage above 1 - threshold / 255. Layers come in decreasing order of pixel count (the
/// largest drawn first); colours without ink give no layer.
/// Shapes: rgb W x H x 3. Complexity: O(pixels x (palette + colours traced)) plus the traces.
/// Throws what flat_palette, quantize and trace_centerlines throw (e.g. "params.<name>").
template <execution_policy Policy>
std::vector<centerline_color_layer> centerline_color_layers(const Policy& policy, image_view<const std::uint8_t> rgb,
                                                            std::size_t colors, bool kmeans, std::uint64_t seed,
                                                            const centerline_params& cp) {
    using rgb8 = std::array<std::uint8_t, 3>;
    std::vector<rgb8> pal = kmeans ? std::vector<rgb8>{} : flat_palette(rgb, colors);
    const quantize_result q = !pal.empty() ? map_to_palette(policy, rgb, std::span<const rgb8>(pal))
                                           : quantize(policy, rgb, {.colors = colors, .seed = seed});
    pal = q.palette;
    const std::size_t w = rgb.width(), h = rgb.height(), k = pal.size();
    std::vector<std::size_t> count(k, 0);
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint16_t* l = q.labels.view().row(y);
        for (std::size_t x = 0; x < w; ++x) ++count[l[x]];
    }
    const std::size_t paper = std::size_t(std::max_element(count.begin(), count.end()) - count.begin());
    std::vector<std::size_t> order;
    for (std::size_t c = 0; c < k; ++c)
        if (c != paper && count[c] > 0) order.push_back(c);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return count[a] > count[b]; });
    std::vector<centerline_color_layer> layers;
    image<std::uint8_t> grey(w, h, 1);
    const rgb8 p0 = pal[paper];
    for (const std::size_t c : order) {
        const double dx = double(pal[c][0]) - p0[0], dy = double(pal[c][1]) - p0[1], dz = double(pal[c][2]) - p0[2];
        const double len2 = dx * dx + dy * dy + dz * dz;
        for (std::size_t y = 0; y < h; ++y) {
            const std::uint8_t* s = rgb.row(y);
            const std::uint16_t* l = q.labels.view().row(y);
            std::uint8_t* g = grey.view().row(y);
            for (std::size_t x = 0; x < w; ++x, s += 3) {
                double cov = 0;
                if (l[x] == c || l[x] == paper) {
                    cov = len2 > 0 ? ((s[0] - p0[0]) * dx + (s[1] - p0[1]) * dy + (s[2] - p0[2]) * dz) / len2
                                   : double(l[x] == c);
                    cov = std::clamp(cov, 0.0, 1.0);
                }
                g[x] = std::uint8_t(std::lround(255 * (1 - cov)));
            }
        }
        centerline_result r = trace_centerlines(policy, grey.view(), cp);
        if (!r.strokes.empty() || !r.fill_rings.empty()) layers.push_back({pal[c], std::move(r)});
    }
    return layers;
}

}  // namespace vecta::detail
