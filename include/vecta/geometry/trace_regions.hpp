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

namespace detail {

/// Component id per pixel (4-connectivity) by scanline flood fill; returns the component count.
template <class L>
std::size_t label_components(image_view<const L> labels, std::vector<std::uint32_t>& comp,
                             std::vector<region>& regions) {
    const std::size_t w = labels.width(), h = labels.height();
    constexpr std::uint32_t none = 0xFFFFFFFFu;
    comp.assign(w * h, none);
    std::vector<std::size_t> stack;
    for (std::size_t y = 0; y < h; ++y) {
        for (std::size_t x = 0; x < w; ++x) {
            if (comp[y * w + x] != none) continue;
            const auto id = static_cast<std::uint32_t>(regions.size());
            const L value = labels(x, y);
            region r;
            r.label = static_cast<std::uint32_t>(value);
            r.first_pixel = y * w + x;
            stack.push_back(y * w + x);
            comp[y * w + x] = id;
            while (!stack.empty()) {
                const std::size_t i = stack.back();
                stack.pop_back();
                ++r.area;
                const std::size_t px = i % w, py = i / w;
                auto visit = [&](std::size_t nx, std::size_t ny) {
                    const std::size_t j = ny * w + nx;
                    if (comp[j] == none && labels(nx, ny) == value) {
                        comp[j] = id;
                        stack.push_back(j);
                    }
                };
                if (px > 0) visit(px - 1, py);
                if (px + 1 < w) visit(px + 1, py);
                if (py > 0) visit(px, py - 1);
                if (py + 1 < h) visit(px, py + 1);
            }
            regions.push_back(std::move(r));
        }
    }
    return regions.size();
}

/// Walks the outer crack-edge boundary of component `id` from the top-left corner of its first
/// pixel, keeping the region on the right. At a saddle (two diagonal pixels of the region meet at
/// a corner) it turns right, which is the 4-connected reading of the region.
inline void trace_outline(const std::vector<std::uint32_t>& comp, std::size_t w, std::size_t h, std::uint32_t id,
                          std::size_t first_pixel, std::vector<point2<int>>& out, std::size_t& enclosed) {
    auto inside = [&](std::int64_t x, std::int64_t y) {
        return x >= 0 && y >= 0 && x < std::int64_t(w) && y < std::int64_t(h) &&
               comp[std::size_t(y) * w + std::size_t(x)] == id;
    };
    // Directions: 0 east, 1 south, 2 west, 3 north (screen coordinates, y down).
    static constexpr int dx[4] = {1, 0, -1, 0};
    static constexpr int dy[4] = {0, 1, 0, -1};
    const auto x0 = std::int64_t(first_pixel % w), y0 = std::int64_t(first_pixel / w);
    std::int64_t x = x0, y = y0;
    int dir = 0;
    std::int64_t twice_area = 0;
    out.clear();
    out.push_back({int(x0), int(y0)});
    do {
        const std::int64_t nx = x + dx[dir], ny = y + dy[dir];
        twice_area += x * ny - nx * y;
        x = nx;
        y = ny;
        // Pixels ahead-left (al) and ahead-right (ar) of vertex (x, y) for the current direction.
        bool al = false, ar = false;
        switch (dir) {
            case 0:
                al = inside(x, y - 1);
                ar = inside(x, y);
                break;
            case 1:
                al = inside(x, y);
                ar = inside(x - 1, y);
                break;
            case 2:
                al = inside(x - 1, y);
                ar = inside(x - 1, y - 1);
                break;
            default:
                al = inside(x - 1, y - 1);
                ar = inside(x, y - 1);
                break;
        }
        int next = dir;
        if (!ar)
            next = (dir + 1) & 3;  // turn right
        else if (al)
            next = (dir + 3) & 3;  // turn left
        if (next != dir && !(x == x0 && y == y0)) out.push_back({int(x), int(y)});
        dir = next;
    } while (!(x == x0 && y == y0 && dir == 0));
    enclosed = std::size_t(twice_area < 0 ? -twice_area : twice_area) / 2;
}

}  // namespace detail

/// Splits a label image into 4-connected regions of equal labels and traces the outer boundary
/// of each on the pixel-edge lattice (crack edges). Regions come in raster order of their first
/// pixel. Drawing each region's outline filled, in order of decreasing enclosed_area, reproduces
/// the label image exactly: a region inside another's hole has a smaller enclosed area.
/// Shapes: labels is width x height with 1 channel, any unsigned integer type.
/// Complexity: O(width * height) time and memory.
/// Source: crack-edge boundary following as in potrace's path decomposition (Selinger 2003,
/// "Potrace: a polygon-based tracing algorithm"), with the 4-connected turn at saddles.
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
    std::vector<std::uint32_t> comp;
    std::vector<region> regions;
    detail::label_components(labels, comp, regions);
    for (std::size_t id = 0; id < regions.size(); ++id)
        detail::trace_outline(comp, labels.width(), labels.height(), static_cast<std::uint32_t>(id),
                              regions[id].first_pixel, regions[id].outline, regions[id].enclosed_area);
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
