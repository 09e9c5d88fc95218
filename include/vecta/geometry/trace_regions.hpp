// SPDX-License-Identifier: MIT
// vecta/geometry/trace_regions.hpp - connected regions of a label image and their outlines.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/point.hpp"
#include "crack_outline.hpp"
#include "label_regions.hpp"

namespace vecta {

/// One 4-connected region of equal labels.
struct region {
    std::uint32_t label = 0;      ///< the label value of its pixels
    std::size_t area = 0;         ///< pixels in the region
    std::size_t first_pixel = 0;  ///< raster index (y * width + x) of its top-left-most pixel
    /// Outer boundary on the pixel-edge lattice: pixel (x, y) covers [x, x+1] x [y, y+1], so
    /// vertices are pixel corners in [0, width] x [0, height]. Only turning vertices are kept;
    /// the ring is closed implicitly (first vertex not repeated), starts at the top-left corner
    /// of first_pixel and runs clockwise on screen (y down), the region on its right.
    std::vector<point2<int>> outline;
    /// Area enclosed by the outline (region plus its holes), in pixels.
    std::size_t enclosed_area = 0;
};

/// Splits a label image into 4-connected regions of equal labels and traces the outer boundary
/// of each on the pixel-edge lattice (crack edges). Regions come in raster order of their first
/// pixel. Drawing each region's outline filled, in order of decreasing enclosed_area, reproduces
/// the label image exactly: a region inside another's hole has a smaller enclosed area.
/// Shapes: labels is width x height with 1 channel, any unsigned integer type.
/// Complexity: O(width * height) time and memory.
/// Stages: vecta::label_regions (the regions as runs) and vecta::crack_outline (each outline).
/// Source: run-based labelling and crack following on the interpixel lattice (Rosenfeld 1979),
/// with the 4-connected turn at saddles.
/// Sequential: the policy is accepted for uniformity with the other kernels.
/// Throws vecta::invalid_argument if labels is empty, has more than one channel, has 2^32 or
/// more pixels, or a side longer than INT_MAX.
template <execution_policy Policy, class L>
std::vector<region> trace_regions(const Policy&, image_view<const L> labels) {
    static_assert(std::is_integral_v<L> && std::is_unsigned_v<L> && sizeof(L) <= 4,
                  "labels must be unsigned integers of at most 32 bits");
    constexpr std::string_view fn = "vecta::trace_regions";
    detail::check_image(labels, fn, "labels", 1);
    detail::require(labels.pixel_count() < 0xFFFFFFFFull, fn, "labels", "must have fewer than 2^32 pixels");
    detail::require(labels.width() <= std::size_t(INT_MAX) && labels.height() <= std::size_t(INT_MAX), fn, "labels",
                    "must have width and height <= INT_MAX");
    // One labelling (label_regions) and one outline walk (crack_outline), with a per-pixel
    // region map so that the walk's membership test is O(1).
    const std::size_t w = labels.width(), h = labels.height();
    const region_runs rr = label_regions(labels);
    std::vector<std::uint32_t> comp(w * h);
    for (std::size_t r = 0; r < rr.runs.size(); ++r) {
        const auto& run = rr.runs[r];
        std::fill(comp.begin() + std::ptrdiff_t(run.y * w + run.x0), comp.begin() + std::ptrdiff_t(run.y * w + run.x1),
                  rr.region_of[r]);
    }
    std::vector<region> regions(rr.count());
    for (std::size_t id = 0; id < regions.size(); ++id) {
        region& g = regions[id];
        g.label = rr.label[id];
        g.area = rr.area[id];
        g.first_pixel = rr.first_pixel[id];
        crack_outline(
            w, h, g.first_pixel, [&](std::size_t x, std::size_t y) { return comp[y * w + x] == id; }, g.outline);
        g.enclosed_area = std::size_t(twice_signed_area(g.outline)) / 2;
    }
    return regions;
}

/// trace_regions over a mutable view.
template <execution_policy Policy, class L>
requires(!std::is_const_v<L>) std::vector<region> trace_regions(const Policy& policy, image_view<L> labels) {
    return trace_regions(policy, image_view<const L>(labels));
}

/// trace_regions over an owning image.
template <execution_policy Policy, class L>
std::vector<region> trace_regions(const Policy& policy, const image<L>& labels) {
    return trace_regions(policy, labels.view());
}

/// trace_regions under vecta::seq.
template <class L>
std::vector<region> trace_regions(image_view<L> labels) {
    return trace_regions(seq, labels);
}

/// trace_regions of an owning image under vecta::seq.
template <class L>
std::vector<region> trace_regions(const image<L>& labels) {
    return trace_regions(seq, labels.view());
}

}  // namespace vecta
