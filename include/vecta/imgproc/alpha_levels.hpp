// SPDX-License-Identifier: MIT
// vecta/imgproc/alpha_levels.hpp - the opacity levels of an alpha channel, anti-aliased edges
// told apart from real translucency (shadows, glows).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta {

/// The opacity levels an alpha channel is traced with, and how each alpha value maps to one.
struct alpha_levels_result {
    /// Level values, ascending; levels[0] == 0 (transparent) and levels.back() == 255 (opaque).
    std::vector<std::uint8_t> levels;
    /// Level index of an alpha value on an anti-aliased edge (only the flat levels: 0, 255 and
    /// the frequent exact values), so an edge snaps to the side it half covers.
    std::array<std::uint8_t, 256> edge_level{};
    /// Level index of an alpha value elsewhere (all levels, nearest).
    std::array<std::uint8_t, 256> level{};
    /// Per pixel 1 where the alpha range of the 5 x 5 window around it is at least 128 (a step
    /// between near-transparent and near-opaque: an anti-aliased edge) or the pixel is a thin
    /// line of partial alpha (both neighbours across it, horizontally or vertically, more opaque
    /// by more than 12, or both less), else 0.
    image<std::uint8_t> edge;
};

/// Opacity levels of an 8-bit alpha channel (vecta's own rule, docs/vectorize.md "Transparency"):
///  - flat levels: 0, 255 and each exact alpha value in 1..254 held by at least 0.5 % of the
///    pixels off the edges (a flat shadow or tint), most frequent first, skipping values within 12 of a level
///    already chosen; at most 6 of them;
///  - edges: a pixel whose 5 x 5 window spans an alpha range of at least 128 is on an
///    anti-aliased edge, and so is a thin line of partial alpha (both neighbours across it more
///    opaque by more than 12, or both less: the seam renderers leave between abutting shapes)
///    and, once the flat levels are known, a step between two of them (the window's least and
///    most opaque pixels each within 12 of a different flat level, the pixel 12 or more from
///    both: the soft edge of a flat shadow);
///    its alpha is mapped to the nearest flat level, so the traced boundary
///    falls where coverage crosses half way between the two sides (no thin rings of partial
///    opacity along edges);
///  - soft pixels (alpha in 1..254, not on an edge, farther than 12 from every flat level:
///    gradients of glows and soft shadows): when they are at least 0.5 % of the pixels, the
///    levels 32, 64, ..., 224 not within 16 of a flat level are added, each then moved to the
///    mean of the alpha values (1..254, away from the flat levels) nearest to it, weighted by their
///    pixel counts (one Lloyd step). Every other pixel maps to the
///    nearest level (ties to the lower).
/// Shapes: alpha w x h x 1. O(w h). Deterministic.
/// Throws vecta::invalid_argument ("alpha") if it is empty or not 1 channel.
inline alpha_levels_result alpha_levels(image_view<const std::uint8_t> alpha) {
    constexpr std::string_view fn = "vecta::alpha_levels";
    detail::check_image(alpha, fn, "alpha", 1);
    const std::size_t w = alpha.width(), h = alpha.height(), n = w * h;
    alpha_levels_result res;
    // Edge flags: alpha range over the 5 x 5 window (separable min and max, border clamped).
    image<std::uint8_t> lo(w, h, 1), hi(w, h, 1);
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* s = alpha.row(y);
        for (std::size_t x = 0; x < w; ++x) {
            std::uint8_t mn = 255, mx = 0;
            for (std::size_t xx = x >= 2 ? x - 2 : 0; xx <= std::min(w - 1, x + 2); ++xx)
                mn = std::min(mn, s[xx]), mx = std::max(mx, s[xx]);
            lo(x, y) = mn, hi(x, y) = mx;
        }
    }
    res.edge = image<std::uint8_t>(w, h, 1);
    image<std::uint8_t> lo5(w, h, 1), hi5(w, h, 1);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            std::uint8_t mn = 255, mx = 0;
            for (std::size_t yy = y >= 2 ? y - 2 : 0; yy <= std::min(h - 1, y + 2); ++yy)
                mn = std::min(mn, lo(x, yy)), mx = std::max(mx, hi(x, yy));
            lo5(x, y) = mn, hi5(x, y) = mx;
            // A thin line of partial alpha (both neighbours across it more opaque, or both less, by
            // more than 12: a seam between abutting shapes, a hairline) is treated as an edge too.
            const int a = alpha(x, y);
            auto across = [&](int p, int q) { return (p - a > 12 && q - a > 12) || (a - p > 12 && a - q > 12); };
            const bool thin = a > 0 && a < 255 &&
                              ((x > 0 && x + 1 < w && across(alpha(x - 1, y), alpha(x + 1, y))) ||
                               (y > 0 && y + 1 < h && across(alpha(x, y - 1), alpha(x, y + 1))));
            res.edge(x, y) = mx - mn >= 128 || thin ? 1 : 0;
        }
    // Flat levels.
    // Counts off the edges: a straight anti-aliased edge gives many pixels one partial alpha.
    std::array<std::size_t, 256> hist{};
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            if (!res.edge(x, y)) ++hist[alpha(x, y)];
    std::vector<int> flat = {0, 255};
    std::vector<int> by_count;
    for (int a = 1; a < 255; ++a)
        if (hist[std::size_t(a)] * 200 >= n) by_count.push_back(a);
    std::stable_sort(by_count.begin(), by_count.end(),
                     [&](int a, int b) { return hist[std::size_t(a)] > hist[std::size_t(b)]; });
    auto near = [](const std::vector<int>& lv, int a, int d) {
        return std::any_of(lv.begin(), lv.end(), [&](int l) { return std::abs(l - a) <= d; });
    };
    for (const int a : by_count)
        if (flat.size() < 8 && !near(flat, a, 12)) flat.push_back(a);
    std::sort(flat.begin(), flat.end());
    // A step between two flat levels (the window's least and most opaque pixels each within 12 of
    // a different flat level, the pixel between them): the anti-aliased edge of a flat shadow.
    auto flat_of = [&](int a) {
        for (std::size_t i = 0; i < flat.size(); ++i)
            if (std::abs(flat[i] - a) <= 12) return int(i);
        return -1;
    };
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const int a = alpha(x, y), l = flat_of(lo5(x, y)), u = flat_of(hi5(x, y));
            if (l >= 0 && u >= 0 && l != u && a > flat[std::size_t(l)] + 12 && a < flat[std::size_t(u)] - 12)
                res.edge(x, y) = 1;
        }
    hist.fill(0);  // recounted without those, for the soft levels below
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            if (!res.edge(x, y)) ++hist[alpha(x, y)];
    // Soft pixels and grid levels.
    std::size_t soft = 0;
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const int a = alpha(x, y);
            if (a > 0 && a < 255 && !res.edge(x, y) && !near(flat, a, 12)) ++soft;
        }
    std::vector<int> all = flat;
    if (soft * 200 >= n) {
        std::vector<int> grid;
        for (int g = 32; g <= 224; g += 32)
            if (!near(flat, g, 16)) grid.push_back(g);
        // One Lloyd step: each grid level moves to the mean of the alpha values nearest it.
        std::vector<double> sum(grid.size(), 0), cnt(grid.size(), 0);
        for (int a = 1; a < 255; ++a) {
            if (near(flat, a, 12) || grid.empty()) continue;
            std::size_t best = 0;
            for (std::size_t i = 1; i < grid.size(); ++i)
                if (std::abs(grid[i] - a) < std::abs(grid[best] - a)) best = i;
            sum[best] += double(a) * double(hist[std::size_t(a)]);
            cnt[best] += double(hist[std::size_t(a)]);
        }
        for (std::size_t i = 0; i < grid.size(); ++i)
            if (cnt[i] > 0) all.push_back(std::clamp(int(sum[i] / cnt[i] + 0.5), 1, 254));
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
    }
    res.levels.assign(all.begin(), all.end());
    auto nearest = [](const std::vector<int>& lv, int a) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < lv.size(); ++i)
            if (std::abs(lv[i] - a) < std::abs(lv[best] - a)) best = i;
        return lv[best];
    };
    for (int a = 0; a < 256; ++a) {
        const int e = nearest(flat, a), l = nearest(all, a);
        res.edge_level[std::size_t(a)] = std::uint8_t(std::find(all.begin(), all.end(), e) - all.begin());
        res.level[std::size_t(a)] = std::uint8_t(std::find(all.begin(), all.end(), l) - all.begin());
    }
    return res;
}

}  // namespace vecta
