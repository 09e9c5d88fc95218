// SPDX-License-Identifier: MIT
// vecta/geometry/label_regions.hpp - 4-connected regions of a label image as runs, and the
// speckle filter that merges small regions into a neighbour.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta {

/// A maximal horizontal run of equal labels: pixels [x0, x1) of row y.
struct label_run {
    std::uint32_t x0 = 0, x1 = 0, y = 0;
    std::uint32_t label = 0;
};

/// The 4-connected regions of equal labels of a label image, kept as runs (no per-pixel map).
/// Regions are numbered in raster order of their first pixel.
struct region_runs {
    std::size_t width = 0, height = 0;
    std::vector<label_run> runs;           ///< row by row, left to right, tiling each row
    std::vector<std::size_t> row_start;    ///< first run of each row, and runs.size() at the end
    std::vector<std::uint32_t> region_of;  ///< region of each run
    std::vector<std::uint32_t> label;      ///< label value of each region
    std::vector<std::size_t> area;         ///< pixels of each region
    std::vector<std::size_t> first_pixel;  ///< raster index (y * width + x) of each region's first pixel
    /// Painter's depth of each region: 0 for regions whose first pixel is on the top row, else
    /// one more than the depth of the region just above the first pixel. A region lying in a
    /// hole of another is always deeper, so painting outer outlines by increasing depth
    /// reproduces the image.
    std::vector<std::uint32_t> depth;
    std::vector<std::uint8_t> on_border;  ///< 1 for regions with a pixel on the image border

    std::size_t count() const noexcept { return area.size(); }
    /// The run of row y that covers column x (x < width, y < height).
    std::size_t run_at(std::size_t x, std::size_t y) const noexcept {
        const auto b = runs.begin() + std::ptrdiff_t(row_start[y]), e = runs.begin() + std::ptrdiff_t(row_start[y + 1]);
        return std::size_t(std::upper_bound(b, e, x, [](std::size_t v, const label_run& r) { return v < r.x1; }) -
                           runs.begin());
    }
};

namespace detail {

/// Checks that `c` is what label_regions returns for some width x height label image, as far as
/// the stages that take a region_runs rely on it, in O(runs + regions): a non-empty image of
/// sides < 2^32; row_start has height + 1 ascending entries from 0 to runs.size(); the runs of
/// each row y have y, tile [0, width) left to right without gaps or overlaps; one region_of per
/// run, each < count(); label and area have count() entries, every run's label is its region's
/// label and every area is the sum of its runs' lengths. Throws vecta::invalid_argument naming
/// `name` (in `fn`) otherwise.
inline void check_region_runs(const region_runs& c, std::string_view fn, std::string_view name) {
    const std::size_t w = c.width, h = c.height, n = c.count();
    require(w > 0 && h > 0 && w < 0xFFFFFFFFull && h < 0xFFFFFFFFull && n > 0, fn, name,
            "must hold at least one region of a non-empty image (sides < 2^32)");
    require(c.row_start.size() == h + 1 && c.row_start[0] == 0 && c.row_start[h] == c.runs.size(), fn, name,
            "must have height + 1 row starts, from 0 to the number of runs");
    require(c.region_of.size() == c.runs.size() && c.label.size() == n, fn, name,
            "must have one region_of entry per run and one label per region");
    std::vector<std::size_t> area(n, 0);
    for (std::size_t y = 0; y < h; ++y) {
        require(c.row_start[y] < c.row_start[y + 1], fn, name, "must have runs in every row, in row order");
        std::size_t x = 0;
        for (std::size_t r = c.row_start[y]; r < c.row_start[y + 1]; ++r) {
            const label_run& run = c.runs[r];
            require(run.y == y && run.x0 == x && run.x1 > run.x0 && run.x1 <= w, fn, name,
                    "must have runs that tile each row left to right");
            require(c.region_of[r] < n && c.label[c.region_of[r]] == run.label, fn, name,
                    "must give every run a region of its label");
            area[c.region_of[r]] += run.x1 - run.x0;
            x = run.x1;
        }
        require(x == w, fn, name, "must have runs that tile each row left to right");
    }
    require(area == c.area, fn, name, "must give every region the area of its runs");
}

/// Root of `a` in the union-find forest `parent` (parent[r] == r at the roots), halving the path
/// on the way (Tarjan & van Leeuwen, "Worst-case analysis of set union algorithms", JACM 1984).
/// Shared by label_regions and trace_centerlines.
template <class T>
T union_find_root(std::vector<T>& parent, T a) noexcept {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
}

/// The end of the run of equal labels that starts at l[x]: the first x1 > x with l[x1] != l[x],
/// or w. Eight bytes at a time (a word compared with the label repeated), then one by one.
template <class L>
std::size_t run_end(const L* l, std::size_t x, std::size_t w) noexcept {
    static_assert(sizeof(L) == 1 || sizeof(L) == 2 || sizeof(L) == 4, "labels are 8, 16 or 32 bits");
    const L v = l[x];
    std::size_t x1 = x + 1;
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::size_t per = 8 / sizeof(L);
        constexpr std::uint64_t ones = sizeof(L) == 1   ? 0x0101010101010101ull
                                       : sizeof(L) == 2 ? 0x0001000100010001ull
                                                        : 0x0000000100000001ull;
        const std::uint64_t pattern = std::uint64_t(v) * ones;
        for (; x1 + per <= w; x1 += per) {
            std::uint64_t word;
            std::memcpy(&word, l + x1, 8);
            if (const std::uint64_t diff = word ^ pattern)
                return x1 + std::size_t(std::countr_zero(diff)) / (8 * sizeof(L));
        }
    }
    while (x1 < w && l[x1] == v) ++x1;
    return x1;
}

}  // namespace detail

/// Splits a label image into 4-connected regions of equal labels: the runs of equal labels of
/// each row, joined across rows by union-find with the first run in raster order as the root.
/// Shapes: labels is width x height, 1 channel, unsigned 8, 16 or 32 bits.
/// Complexity: O(pixels / 8 + runs * alpha(runs)) time, O(runs) memory.
/// Source: run-based connected-component labelling (Rosenfeld & Pfaltz 1966, two passes over
/// runs; union-find of Tarjan 1975).
/// Throws vecta::invalid_argument ("labels") if labels is empty, has more than one channel, or
/// has a side of 2^32 or more.
template <class L>
region_runs label_regions(image_view<const L> labels) {
    static_assert(
        std::is_integral_v<L> && std::is_unsigned_v<L> && (sizeof(L) == 1 || sizeof(L) == 2 || sizeof(L) == 4),
        "labels must be unsigned 8, 16 or 32-bit integers");
    constexpr std::string_view fn = "vecta::label_regions";
    detail::check_image(labels, fn, "labels", 1);
    detail::require(labels.width() < 0xFFFFFFFFull && labels.height() < 0xFFFFFFFFull, fn, "labels",
                    "must have sides < 2^32");
    const std::size_t w = labels.width(), h = labels.height();
    region_runs c;
    c.width = w;
    c.height = h;
    auto& runs = c.runs;
    c.row_start.resize(h + 1);
    for (std::size_t y = 0; y < h; ++y) {
        c.row_start[y] = runs.size();
        const L* l = labels.row(y);
        for (std::size_t x = 0; x < w;) {
            const std::size_t x1 = detail::run_end(l, x, w);
            runs.push_back({std::uint32_t(x), std::uint32_t(x1), std::uint32_t(y), std::uint32_t(l[x])});
            x = x1;
        }
    }
    c.row_start[h] = runs.size();
    std::vector<std::uint32_t>& parent = c.region_of;
    parent.resize(runs.size());
    std::iota(parent.begin(), parent.end(), std::uint32_t{0});
    auto find = [&](std::uint32_t a) { return detail::union_find_root(parent, a); };
    for (std::size_t y = 1; y < h; ++y) {
        std::size_t a = c.row_start[y - 1], b = c.row_start[y];
        const std::size_t ae = c.row_start[y], be = c.row_start[y + 1];
        while (a < ae && b < be) {
            if (runs[a].x0 < runs[b].x1 && runs[b].x0 < runs[a].x1 && runs[a].label == runs[b].label) {
                const std::uint32_t ra = find(std::uint32_t(a)), rb = find(std::uint32_t(b));
                if (ra < rb)
                    parent[rb] = ra;
                else if (rb < ra)
                    parent[ra] = rb;
            }
            if (runs[a].x1 < runs[b].x1)
                ++a;
            else
                ++b;
        }
    }
    // Roots precede their members: number the roots in raster order, then map every run.
    for (std::size_t r = 0; r < runs.size(); ++r) parent[r] = find(std::uint32_t(r));
    std::vector<std::uint32_t> id_of(runs.size(), 0);
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const std::uint32_t root = parent[r];
        if (root == r) {
            const auto id = std::uint32_t(c.area.size());
            const std::size_t y = runs[r].y;
            c.label.push_back(runs[r].label);
            c.area.push_back(0);
            c.first_pixel.push_back(y * w + runs[r].x0);
            c.depth.push_back(y > 0 ? c.depth[id_of[c.run_at(runs[r].x0, y - 1)]] + 1 : 0);
            id_of[r] = id;
        } else {
            id_of[r] = id_of[root];
        }
        c.area[id_of[r]] += runs[r].x1 - runs[r].x0;
    }
    c.on_border.assign(c.area.size(), 0);
    for (std::size_t r = 0; r < runs.size(); ++r)
        if (runs[r].y == 0 || runs[r].y + 1 == h || runs[r].x0 == 0 || runs[r].x1 == w) c.on_border[id_of[r]] = 1;
    parent.swap(id_of);
    return c;
}

/// label_regions over a mutable view.
template <class L>
requires(!std::is_const_v<L>) region_runs label_regions(image_view<L> labels) {
    return label_regions(image_view<const L>(labels));
}

/// label_regions of an owning image.
template <class L>
region_runs label_regions(const image<L>& labels) {
    return label_regions(labels.view());
}

/// Speckle filter: every region of fewer than `min_area` pixels takes the label of the
/// 4-adjacent region whose palette colour is nearest (squared RGB distance) to the region's mean
/// colour in `rgb`, or to its own palette colour when rgb is empty; neighbours of at least
/// min_area pixels are preferred, ties go to the first neighbour met in raster order. Labels
/// are rewritten in place; `regions` is not updated (call label_regions again).
/// Returns true when a label changed. Merging is one pass: two adjacent speckles may swap labels,
/// so a second label_regions + merge_speckles pass settles most of them.
/// With `diagonal_area` > 0, regions of at least diagonal_area pixels join the regions of their
/// label that touch them at a corner into groups (8-connected, transitively), and such a region
/// is a speckle only when its group has fewer than min_area pixels: a 1 px diagonal line or
/// circle, each pixel its own 4-connected region, is one group as the eye sees it and stays,
/// while an isolated 1-2 px speck still goes. vectorize passes one input pixel (upscale^2
/// traced pixels), so that sub-pixel slivers of an upsampled anti-aliased edge never form
/// groups (docs/vectorize.md, speckle filter). 0 (the default): 4-connected regions alone.
/// Shapes: labels width x height x 1 as labelled in `regions`; rgb empty or width x height x 3;
/// every label < palette.size(). O(pixels of speckles + runs) (with diagonal_area, plus
/// O(runs * alpha(regions)) for the groups).
/// Source: vecta's own (a region-merging despeckle as in potrace's turdsize, by colour).
/// Throws vecta::invalid_argument for regions that are not label_regions' runs of an image
/// (detail::check_region_runs, "regions"), labels not of the size of `regions` ("labels"), an rgb
/// of another size or channel count ("rgb"), or a label outside the palette ("palette").
template <class L>
bool merge_speckles(image_view<L> labels, const region_runs& regions, image_view<const std::uint8_t> rgb,
                    std::span<const std::array<std::uint8_t, 3>> palette, std::size_t min_area,
                    std::size_t diagonal_area = 0) {
    constexpr std::string_view fn = "vecta::merge_speckles";
    const region_runs& c = regions;
    detail::check_region_runs(c, fn, "regions");
    const std::size_t w = c.width, h = c.height;
    detail::require(labels.width() == w && labels.height() == h && labels.channels() == 1, fn, "labels",
                    "must be the 1-channel image `regions` was labelled from");
    detail::require(rgb.empty() || (rgb.width() == w && rgb.height() == h && rgb.channels() == 3), fn, "rgb",
                    "must be empty or 3 channels of the size of labels");
    for (const auto l : c.label)
        if (l >= palette.size()) detail::throw_invalid(fn, "palette", "must have an entry for every label");
    const std::size_t nc = c.count();
    constexpr std::uint32_t none = 0xFFFFFFFFu;
    std::vector<std::uint32_t> small_index(nc, none);
    std::size_t ns = 0;
    std::vector<std::size_t> group_area;  // with diagonal_area: area of each region's 8-connected group
    const bool diagonal = diagonal_area > 0;
    if (diagonal) {
        // Runs of one label in consecutive rows that touch, also at a corner, join one group:
        // the runs of row y - 1 covering columns x0 - 1 .. x1 of each run of row y (a cursor per
        // row pair, as label_regions'; union-find, roots the smallest region).
        std::vector<std::uint32_t> parent(nc);
        std::iota(parent.begin(), parent.end(), std::uint32_t{0});
        for (std::size_t y = 1; y < h; ++y) {
            std::size_t a = c.row_start[y - 1];
            const std::size_t ae = c.row_start[y];
            for (std::size_t b = c.row_start[y]; b < c.row_start[y + 1]; ++b) {
                const label_run& rb = c.runs[b];
                while (a < ae && c.runs[a].x1 < rb.x0) ++a;  // runs ending left of column x0 - 1
                for (std::size_t q = a; q < ae && c.runs[q].x0 <= rb.x1; ++q)
                    if (c.runs[q].label == rb.label && c.area[c.region_of[q]] >= diagonal_area &&
                        c.area[c.region_of[b]] >= diagonal_area) {
                        const std::uint32_t pa = detail::union_find_root(parent, c.region_of[q]),
                                            pb = detail::union_find_root(parent, c.region_of[b]);
                        if (pa != pb) parent[std::max(pa, pb)] = std::min(pa, pb);
                    }
            }
        }
        group_area.assign(nc, 0);
        for (std::size_t i = 0; i < nc; ++i) group_area[detail::union_find_root(parent, std::uint32_t(i))] += c.area[i];
        for (std::size_t i = 0; i < nc; ++i)
            group_area[i] = group_area[detail::union_find_root(parent, std::uint32_t(i))];
    }
    for (std::size_t i = 0; i < nc; ++i)
        if ((diagonal ? group_area[i] : c.area[i]) < min_area) small_index[i] = std::uint32_t(ns++);
    if (ns == 0) return false;
    std::vector<std::array<double, 3>> mean(ns, {0, 0, 0});
    for (std::size_t ri = 0; ri < c.runs.size(); ++ri) {
        const auto s = small_index[c.region_of[ri]];
        if (s == none) continue;
        const auto& r = c.runs[ri];
        if (rgb.empty()) {
            for (std::size_t k = 0; k < 3; ++k) mean[s][k] += double(palette[r.label][k]) * (r.x1 - r.x0);
        } else {
            const std::uint8_t* px = rgb.row(r.y) + std::size_t(r.x0) * 3;
            for (std::size_t x = r.x0; x < r.x1; ++x, px += 3)
                for (std::size_t k = 0; k < 3; ++k) mean[s][k] += px[k];
        }
    }
    for (std::size_t i = 0; i < nc; ++i)
        if (small_index[i] != none)
            for (auto& v : mean[small_index[i]]) v /= double(c.area[i]);
    std::vector<double> best(ns, 1e300);
    std::vector<std::uint32_t> best_label(ns, 0);
    std::vector<std::uint8_t> found(ns, 0);
    // Rows in order, runs left to right: the first run of the row above (below) that ends after
    // a run's x0 only moves right, so two cursors walk those rows (no search per run).
    for (std::size_t y = 0; y < h; ++y) {
        const std::size_t up_end = c.row_start[y], down_end = y + 1 < h ? c.row_start[y + 2] : 0;
        std::size_t up = y > 0 ? c.row_start[y - 1] : 0, down = y + 1 < h ? c.row_start[y + 1] : 0;
        for (std::size_t ri = c.row_start[y]; ri < c.row_start[y + 1]; ++ri) {
            const auto s = small_index[c.region_of[ri]];
            if (s == none) continue;
            const auto& r = c.runs[ri];
            auto consider = [&](std::size_t q) {
                if (c.region_of[q] == c.region_of[ri]) return;
                const std::uint32_t l = c.runs[q].label;
                double d = 0;
                for (std::size_t k = 0; k < 3; ++k) d += (palette[l][k] - mean[s][k]) * (palette[l][k] - mean[s][k]);
                if (c.area[c.region_of[q]] < min_area) d += 1e12;  // prefer a large neighbour
                if (d < best[s]) best[s] = d, best_label[s] = l, found[s] = 1;
            };
            if (r.x0 > 0) consider(ri - 1);
            if (r.x1 < w) consider(ri + 1);
            if (y > 0) {
                while (up < up_end && c.runs[up].x1 <= r.x0) ++up;
                for (std::size_t q = up; q < up_end && c.runs[q].x0 < r.x1; ++q) consider(q);
            }
            if (y + 1 < h) {
                while (down < down_end && c.runs[down].x1 <= r.x0) ++down;
                for (std::size_t q = down; q < down_end && c.runs[q].x0 < r.x1; ++q) consider(q);
            }
        }
    }
    bool changed = false;
    for (std::size_t ri = 0; ri < c.runs.size(); ++ri) {
        const auto s = small_index[c.region_of[ri]];
        const auto& r = c.runs[ri];
        if (s != none && found[s] && r.label != best_label[s]) {
            std::fill(labels.row(r.y) + r.x0, labels.row(r.y) + r.x1, L(best_label[s]));
            changed = true;
        }
    }
    return changed;
}

}  // namespace vecta
