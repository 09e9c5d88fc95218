// SPDX-License-Identifier: MIT
// vecta/color/flat_palette.hpp - the palette of a flat-colour image (icons, logos).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"
#include "quantize.hpp"

namespace vecta {

namespace detail {

inline int rgb_dist2(const std::array<std::uint8_t, 3>& a, const std::uint8_t* b) noexcept {
    const int d0 = int(a[0]) - b[0], d1 = int(a[1]) - b[1], d2 = int(a[2]) - b[2];
    return d0 * d0 + d1 * d1 + d2 * d2;
}

/// Squared distance from colour c to the segment between colours a and b (a two-colour mix).
inline double mix_dist2(const std::array<std::uint8_t, 3>& a, const std::array<std::uint8_t, 3>& b,
                        const std::array<std::uint8_t, 3>& c) noexcept {
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

}  // namespace detail

/// Palette of a flat-colour image (icons, logos, diagrams): the exact colours in decreasing
/// order of frequency, skipping colours within 16 (RGB distance) of a chosen one and, below 2 %
/// of the pixels, colours within 10 of the mix of two chosen ones (anti-aliasing tones); only
/// colours with at least max(4, pixels / 4000) pixels, at most `max_colors`.
/// Returns an empty palette when the image is not flat: more than a quarter of its pixels have
/// unique colours, the chosen colours cover less than a quarter of the pixels exactly (a
/// low-contrast photo or noise: its colours are all near one mean, none of them frequent; the
/// shared icons' flat colours cover 49-100 % exactly), the chosen colours (within 16) cover less
/// than 3/4 of the pixels, or more than 3 % of the pixels are farther than 24 from every colour
/// and every two-colour mix.
/// Shapes: rgb is width x height x 3. O(pixels + 2^18) for the distinct colours (quantize's colour
/// table), then O(distinct colours * max_colors^2) when the image is flat.
/// Source: vecta's own (histogram modes with a mixing-line test; cf. the anti-aliasing model
/// of Kopf & Lischinski, "Depixelizing pixel art", 2011, two-colour blends).
/// Throws vecta::invalid_argument ("rgb") if it is empty or not 3 channels, ("max_colors") if 0.
inline std::vector<std::array<std::uint8_t, 3>> flat_palette(image_view<const std::uint8_t> rgb,
                                                             std::size_t max_colors) {
    using rgb8 = std::array<std::uint8_t, 3>;
    constexpr std::string_view fn = "vecta::flat_palette";
    detail::check_image(rgb, fn, "rgb", 3);
    detail::require(max_colors >= 1, fn, "max_colors", "must be >= 1");
    const std::size_t n = rgb.pixel_count();
    // The distinct colours and their pixel counts (quantize's colour table: no per-pixel sort).
    detail::color_table table;
    detail::distinct_colors(seq, rgb, table);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> hist;  // count, colour
    hist.reserve(table.keys.size());
    for (std::size_t i = 0; i < table.keys.size(); ++i)
        hist.push_back({static_cast<std::uint32_t>(table.counts[i]), table.keys[i]});
    if (hist.size() > n / 4 && n > 64) return {};  // mostly unique colours: a photo
    std::sort(hist.begin(), hist.end(),
              [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    auto unpack = [](std::uint32_t v) { return rgb8{std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)}; };
    std::vector<rgb8> pal;
    std::size_t exact = 0;  // pixels of exactly a chosen colour
    const double min_count = std::max(4.0, double(n) / 4000.0);
    constexpr double near2 = 16.0 * 16.0, mix2 = 10.0 * 10.0;
    for (const auto& [count, v] : hist) {
        if (pal.size() >= max_colors || count < min_count) break;
        const rgb8 c = unpack(v);
        bool skip = false;
        for (const auto& p : pal) skip = skip || detail::rgb_dist2(p, c.data()) < near2;
        if (!skip && count < n / 50)
            for (std::size_t a = 0; a < pal.size() && !skip; ++a)
                for (std::size_t b = a + 1; b < pal.size() && !skip; ++b)
                    skip = detail::mix_dist2(pal[a], pal[b], c) < mix2;
        if (!skip) pal.push_back(c), exact += count;
    }
    if (pal.empty()) pal.push_back(unpack(hist[0].second)), exact += hist[0].first;
    if (exact * 4 < n && n > 64) return {};
    // Flat colours cover most of a flat-colour image exactly (anti-aliasing is a minority).
    std::size_t covered = 0;
    for (const auto& [count, v] : hist) {
        const rgb8 c = unpack(v);
        bool ok = false;
        for (const auto& p : pal) ok = ok || detail::rgb_dist2(p, c.data()) < near2;
        if (ok) covered += count;
    }
    if (covered * 4 < n * 3) return {};
    // Unexplained pixels: farther than 24 from every colour and every two-colour mix.
    std::size_t unexplained = 0;
    constexpr double tol2 = 24.0 * 24.0;
    for (const auto& [count, v] : hist) {
        const rgb8 c = unpack(v);
        bool ok = false;
        for (const auto& p : pal) ok = ok || detail::rgb_dist2(p, c.data()) < tol2;
        for (std::size_t a = 0; a < pal.size() && !ok; ++a)
            for (std::size_t b = a + 1; b < pal.size() && !ok; ++b) ok = detail::mix_dist2(pal[a], pal[b], c) < tol2;
        if (!ok) unexplained += count;
        if (unexplained * 100 > n * 3) return {};
    }
    return pal;
}

}  // namespace vecta
