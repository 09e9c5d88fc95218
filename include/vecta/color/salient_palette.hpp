// SPDX-License-Identifier: MIT
// vecta/color/salient_palette.hpp - extra palette entries for small but distinct colours
// (a cat's green eyes among brown fur) that a squared-error palette maps to a far colour.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "ciede2000.hpp"
#include "flat_palette.hpp"
#include "kmeans.hpp"
#include "lab.hpp"
#include "quantize.hpp"

namespace vecta {

/// Parameters of vecta::salient_palette.
struct salient_params {
    /// CIEDE2000 above which a pixel is badly represented by its palette entry (Delta E00,
    /// finite, > 0). Clusters of such pixels get their own entries.
    double threshold = 8.0;
    std::size_t min_pixels = 4;  ///< smallest 8-connected cluster of badly represented pixels that counts, >= 1
    std::size_t rounds = 2;      ///< add-and-remap rounds at most, >= 1
    std::size_t groups = 2;      ///< colour groups given entries per round, >= 1
    /// Entries per group at most, 1..64: a group is split by k-means (in RGB, k = 1, 2, ...)
    /// until its pixels are within a mean CIEDE2000 of threshold / 3 of their nearest new entry.
    std::size_t split = 6;
    /// Flat-colour palettes: a colour within 24 (RGB distance) of a two-colour mix of the palette
    /// (an anti-aliasing tone, as vecta::flat_palette's test) is never counted as badly
    /// represented, and a group gets one entry, its most frequent exact colour, only when that
    /// colour has at least min_pixels pixels and a quarter of the group's (no split).
    bool skip_mixes = false;
};

namespace detail {

/// Throws for bad salient_params, naming the field as `prefix` + field.
inline void check_salient_params(const salient_params& p, std::string_view fn, std::string_view prefix) {
    auto name = [&](std::string_view f) { return std::string(prefix) + std::string(f); };
    require(std::isfinite(p.threshold) && p.threshold > 0, fn, name("threshold"), "must be a finite number > 0");
    require(p.min_pixels >= 1, fn, name("min_pixels"), "must be >= 1");
    require(p.rounds >= 1, fn, name("rounds"), "must be >= 1");
    require(p.groups >= 1, fn, name("groups"), "must be >= 1");
    require(p.split >= 1 && p.split <= 64, fn, name("split"), "must be in 1..64");
}

inline std::array<double, 3> lab_of(const std::array<std::uint8_t, 3>& c) noexcept {
    const auto& lin = srgb_to_linear_table();
    return linear_rgb_to_lab(lin[c[0]], lin[c[1]], lin[c[2]]);
}

/// Index of the palette entry nearest to c (squared RGB distance, lowest index on ties).
inline std::uint32_t nearest_rgb(std::span<const std::array<std::uint8_t, 3>> pal, const std::uint8_t* c) noexcept {
    int best = rgb_dist2(pal[0], c);
    std::uint32_t bi = 0;
    for (std::size_t j = 1; j < pal.size(); ++j) {
        const int d = rgb_dist2(pal[j], c);
        if (d < best) best = d, bi = std::uint32_t(j);
    }
    return bi;
}

/// New entries for one group of badly represented colours (keys ascending, with pixel counts):
/// k-means in RGB for k = 1, 2, ... up to `split` (and the number of colours), stopping at the
/// first k whose rounded centres leave a pixel-weighted mean CIEDE2000 <= target. A group of
/// more than 2048 colours is represented by 2048 of them, evenly spaced in key order.
inline std::vector<std::array<std::uint8_t, 3>> split_group(std::vector<std::uint32_t> keys, std::vector<double> counts,
                                                            std::vector<std::array<double, 3>> labs, std::size_t split,
                                                            double target) {
    using rgb8 = std::array<std::uint8_t, 3>;
    constexpr std::size_t max_colors = 2048;  // larger groups: an evenly spaced sample of their colours
    if (keys.size() > max_colors) {
        const std::size_t n0 = keys.size();
        for (std::size_t i = 0; i < max_colors; ++i) {
            const std::size_t from = i * n0 / max_colors;
            keys[i] = keys[from], counts[i] = counts[from], labs[i] = labs[from];
        }
        keys.resize(max_colors), counts.resize(max_colors), labs.resize(max_colors);
    }
    const std::size_t n = keys.size();
    std::vector<float> pts(n * 3);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const rgb8 c = unpack_color(keys[i]);
        for (int ch = 0; ch < 3; ++ch) pts[i * 3 + ch] = float(c[ch]);
        total += counts[i];
    }
    std::vector<rgb8> best;
    for (std::size_t k = 1; k <= std::min(split, n); ++k) {
        auto init = kmeans_plus_plus<float>(seq, pts.data(), counts.data(), n, 3, k, 0x9E3779B97F4A7C15ull + k, 1);
        const auto km = kmeans_lloyd<float>(seq, pts.data(), counts.data(), n, 3, std::move(init), k, 10, 0.0);
        std::vector<rgb8> cents;
        for (std::size_t j = 0; j < k; ++j) {
            const rgb8 c{round_channel(km.centroids[j * 3]), round_channel(km.centroids[j * 3 + 1]),
                         round_channel(km.centroids[j * 3 + 2])};
            if (std::find(cents.begin(), cents.end(), c) == cents.end()) cents.push_back(c);
        }
        std::vector<std::array<double, 3>> clab(cents.size());
        for (std::size_t j = 0; j < cents.size(); ++j) clab[j] = lab_of(cents[j]);
        double err = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const rgb8 c = unpack_color(keys[i]);
            err += counts[i] * ciede2000(labs[i], clab[nearest_rgb(cents, c.data())]);
        }
        best = std::move(cents);
        if (err <= target * total) break;
    }
    return best;
}

}  // namespace detail

/// Salient palette refinement: returns `palette` followed by new entries for small but distinct
/// colours that it represents badly. Pixels are mapped to their nearest entry by squared RGB
/// distance (as vecta::map_to_palette does) and scored by CIEDE2000 (vecta::ciede2000, Sharma,
/// Wu & Dalal 2005) against that entry; pixels above params.threshold that form 8-connected
/// clusters of at least params.min_pixels are candidates. Clusters are ranked by their sum of
/// squared CIEDE2000 (so a small cluster of a very different colour outranks a large one of a
/// near colour) and the 1024 worst are merged greedily into colour groups (a cluster joins the
/// first group whose mean L*a*b* is within threshold / 2 of its own, at most 64 groups); the params.groups
/// groups of the largest summed squared error each get 1..params.split entries: k-means (k-means++
/// seeding, Arthur & Vassilvitskii 2007, and Lloyd) over the group's colours in RGB, for k = 1, 2,
/// ... until the group's pixels lie within a mean CIEDE2000 of threshold / 3 of their nearest new
/// entry. Entries already in the palette are not repeated. Then the pixels are mapped again and
/// the next round starts (params.rounds at most; none when nothing was added). The idea of
/// giving an entry to what a squared-error criterion averages away is the "important colour"
/// argument of Heckbert, "Color image quantization for frame buffer display", SIGGRAPH 1982;
/// the connected-cluster test and the split rule are vecta's own.
/// CIEDE2000 is computed only for colours whose CIE76 difference exceeds threshold / 2.2: since
/// the a* scale (1 + G) <= 1.5, S_C, S_H, S_L >= 1 and |R_T| <= 2, Delta E00^2 <= 4.5 Delta E76^2,
/// so no colour above the threshold is skipped.
/// Shapes: rgb width x height x 3; palette 1..65536 entries. Returns at most 65536 entries, at
/// most rounds * groups * split more than given. Complexity per round: O(pixels) for the table
/// and clusters, O(u * palette) for the nearest entries of the u distinct colours in the first
/// round and O(u * new entries) after (CIEDE2000 only where the nearest entry changed), O(group
/// colours * split^2 * 10, at most 2048 colours per group) for the splits. Memory: the colour table of vecta::quantize
/// (about 3 MiB + 12 bytes per distinct colour) and 5 bytes per pixel. Deterministic (fixed seeds; the same result
/// under seq and par). Throws vecta::invalid_argument naming "rgb" (empty, not 3 channels), "palette" (empty or more
/// than 65536 entries) or the field of params (params.threshold not finite or <= 0,
/// params.min_pixels, params.rounds or params.groups 0, params.split outside 1..64).
template <execution_policy Policy>
std::vector<std::array<std::uint8_t, 3>> salient_palette(const Policy& policy, image_view<const std::uint8_t> rgb,
                                                         std::span<const std::array<std::uint8_t, 3>> palette,
                                                         const salient_params& params = {}) {
    using rgb8 = std::array<std::uint8_t, 3>;
    constexpr std::string_view fn = "vecta::salient_palette";
    detail::check_image(rgb, fn, "rgb", 3);
    detail::require(!palette.empty() && palette.size() <= 65536, fn, "palette", "must have 1 to 65536 colours");
    detail::check_salient_params(params, fn, "params.");
    std::vector<rgb8> pal(palette.begin(), palette.end());
    const std::size_t w = rgb.width(), h = rgb.height();
    detail::color_table table;
    detail::distinct_colors(policy, rgb, table);
    const std::size_t u = table.keys.size();
    std::vector<std::array<double, 3>> lab(u);
    detail::parallel_for(policy, u, 4096, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) lab[i] = detail::lab_of(detail::unpack_color(table.keys[i]));
    });
    const double t = params.threshold, prefilter2 = (t / 2.2) * (t / 2.2), mix2 = 24.0 * 24.0;
    std::vector<float> err(u, 0.0f);
    std::vector<std::uint32_t> near(u, 0);  // nearest entry of each distinct colour (RGB)
    std::vector<int> near_d2(u, 0);         // its squared RGB distance
    std::vector<std::array<double, 3>> pal_lab;
    std::size_t searched = 0;  // entries already searched for every colour
    std::vector<std::uint8_t> bad(w * h);
    std::vector<std::uint32_t> stack, members;
    struct cluster {
        std::size_t begin, end;  // range in `members`
        double sq_err;
        std::array<double, 3> lab_sum;
    };
    struct group {
        std::vector<std::size_t> clusters;
        double sq_err = 0, pixels = 0;
        std::array<double, 3> lab_sum{};
        std::array<double, 3> mean() const { return {lab_sum[0] / pixels, lab_sum[1] / pixels, lab_sum[2] / pixels}; }
    };
    for (std::size_t round = 0; round < params.rounds && pal.size() < 65536; ++round) {
        // 1. CIEDE2000 of every distinct colour against its nearest entry. After the first
        //    round only the entries added since are searched, and the CIEDE2000 of a colour is
        //    recomputed only when one of them is strictly nearer (ties keep the lower index).
        for (std::size_t j = pal_lab.size(); j < pal.size(); ++j) pal_lab.push_back(detail::lab_of(pal[j]));
        detail::parallel_for(policy, u, 1024, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                const rgb8 c = detail::unpack_color(table.keys[i]);
                bool changed = searched == 0;
                for (std::size_t j = searched; j < pal.size(); ++j) {
                    const int d2 = detail::rgb_dist2(pal[j], c.data());
                    if (j == 0 || d2 < near_d2[i]) near_d2[i] = d2, near[i] = std::uint32_t(j), changed = true;
                }
                if (!changed && !(params.skip_mixes && err[i] > 0)) continue;
                const auto& q = pal_lab[near[i]];
                const double d76 = (lab[i][0] - q[0]) * (lab[i][0] - q[0]) + (lab[i][1] - q[1]) * (lab[i][1] - q[1]) +
                                   (lab[i][2] - q[2]) * (lab[i][2] - q[2]);
                double d = d76 > prefilter2 ? ciede2000(lab[i], q) : 0.0;
                if (d > t && params.skip_mixes)
                    for (std::size_t a = 0; a < pal.size() && d > 0; ++a)
                        for (std::size_t b2 = a + 1; b2 < pal.size() && d > 0; ++b2)
                            if (detail::mix_dist2(pal[a], pal[b2], c) < mix2) d = 0;
                err[i] = float(d);
            }
        });
        searched = pal.size();
        table.pixel_index(rgb, [&](auto index) {
            detail::parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
                for (std::size_t y = y0; y < y1; ++y)
                    for (std::size_t x = 0; x < w; ++x) bad[y * w + x] = err[index(y, x)] > t ? 1 : 0;
            });
        });
        // 2. 8-connected clusters of badly represented pixels (raster order of first pixels).
        members.clear();
        std::vector<cluster> clusters;
        for (std::size_t p0 = 0; p0 < w * h; ++p0) {
            if (bad[p0] != 1) continue;
            const std::size_t begin = members.size();
            bad[p0] = 2;
            stack.assign(1, std::uint32_t(p0));
            while (!stack.empty()) {
                const std::uint32_t p = stack.back();
                stack.pop_back();
                members.push_back(p);
                const std::size_t px = p % w, py = p / w;
                for (std::size_t yy = py ? py - 1 : 0; yy <= std::min(h - 1, py + 1); ++yy)
                    for (std::size_t xx = px ? px - 1 : 0; xx <= std::min(w - 1, px + 1); ++xx)
                        if (bad[yy * w + xx] == 1) {
                            bad[yy * w + xx] = 2;
                            stack.push_back(std::uint32_t(yy * w + xx));
                        }
            }
            if (members.size() - begin < params.min_pixels) {
                members.resize(begin);
                continue;
            }
            cluster c{begin, members.size(), 0, {}};
            table.pixel_index(rgb, [&](auto index) {
                for (std::size_t m = begin; m < members.size(); ++m) {
                    const std::uint32_t i = index(members[m] / w, members[m] % w);
                    c.sq_err += double(err[i]) * err[i];
                    for (int ch = 0; ch < 3; ++ch) c.lab_sum[ch] += lab[i][ch];
                }
            });
            clusters.push_back(c);
        }
        if (clusters.empty()) break;
        // 3. Colour groups: clusters by decreasing squared error, each into the first group
        //    whose mean is within threshold / 2.
        std::vector<std::size_t> order(clusters.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return clusters[a].sq_err > clusters[b].sq_err; });
        std::vector<group> groups;
        if (order.size() > 1024) order.resize(1024);  // the rest weigh little; bounds the merging work
        for (const std::size_t ci : order) {
            const cluster& c = clusters[ci];
            const double n = double(c.end - c.begin);
            const std::array<double, 3> m{c.lab_sum[0] / n, c.lab_sum[1] / n, c.lab_sum[2] / n};
            group* g = nullptr;
            for (group& cand : groups)
                if (ciede2000(cand.mean(), m) < t / 2) {
                    g = &cand;
                    break;
                }
            if (!g) {
                if (groups.size() >= 64) continue;
                g = &groups.emplace_back();
            }
            g->clusters.push_back(ci);
            g->sq_err += c.sq_err;
            g->pixels += n;
            for (int ch = 0; ch < 3; ++ch) g->lab_sum[ch] += c.lab_sum[ch];
        }
        std::stable_sort(groups.begin(), groups.end(),
                         [](const group& a, const group& b) { return a.sq_err > b.sq_err; });
        // 4. Entries for the worst groups.
        const std::size_t before = pal.size();
        std::vector<std::uint32_t> idx;  // table indices of the group's pixels (ascending = by colour)
        for (std::size_t gi = 0; gi < std::min(params.groups, groups.size()); ++gi) {
            idx.clear();
            table.pixel_index(rgb, [&](auto index) {
                for (const std::size_t ci : groups[gi].clusters)
                    for (std::size_t m = clusters[ci].begin; m < clusters[ci].end; ++m)
                        idx.push_back(index(members[m] / w, members[m] % w));
            });
            std::sort(idx.begin(), idx.end());
            std::vector<std::uint32_t> uk;
            std::vector<double> cnt;
            std::vector<std::array<double, 3>> ulab;
            for (std::size_t i = 0; i < idx.size();) {
                std::size_t j = i;
                while (j < idx.size() && idx[j] == idx[i]) ++j;
                uk.push_back(table.keys[idx[i]]);
                cnt.push_back(double(j - i));
                ulab.push_back(lab[idx[i]]);
                i = j;
            }
            std::vector<rgb8> add;
            if (params.skip_mixes) {  // flat colours: the group's most frequent exact colour, if it dominates
                const std::size_t m = std::size_t(std::max_element(cnt.begin(), cnt.end()) - cnt.begin());
                if (cnt[m] >= double(params.min_pixels) && 4 * cnt[m] >= groups[gi].pixels)
                    add.push_back(detail::unpack_color(uk[m]));
            } else {
                add = detail::split_group(uk, cnt, ulab, params.split, t / 3);
            }
            for (const rgb8& c : add)
                if (pal.size() < 65536 && std::find(pal.begin(), pal.end(), c) == pal.end()) pal.push_back(c);
        }
        if (pal.size() == before) break;
    }
    return pal;
}

/// salient_palette under vecta::seq.
inline std::vector<std::array<std::uint8_t, 3>> salient_palette(image_view<const std::uint8_t> rgb,
                                                                std::span<const std::array<std::uint8_t, 3>> palette,
                                                                const salient_params& params = {}) {
    return salient_palette(seq, rgb, palette, params);
}

}  // namespace vecta
