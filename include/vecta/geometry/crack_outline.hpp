// SPDX-License-Identifier: MIT
// vecta/geometry/crack_outline.hpp - the outer boundary of a pixel region on the pixel-edge
// lattice (crack edges).
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../core/error.hpp"
#include "../core/point.hpp"

namespace vecta {

/// Outer boundary of a 4-connected pixel region on the pixel-edge lattice: pixel (x, y) covers
/// [x, x+1] x [y, y+1], so vertices are pixel corners in [0, width] x [0, height].
/// `inside(x, y)` (x < width, y < height) says whether a pixel belongs to the set; pixels outside
/// the image are outside. The walk follows the boundary through the top edge of `first_pixel`
/// (raster index y * width + x, in the set, its upper neighbour outside) with the set on its
/// right: when first_pixel is the first pixel of its 4-connected region in raster order (as
/// label_regions' first_pixel is), that is the region's outer boundary, clockwise on screen
/// (y down).
/// Output in `out` (cleared first): only the turning vertices, the ring closed implicitly,
/// starting at the top-left corner of first_pixel (or, when that corner is no turn, at the next
/// turning vertex). Where two pixels of the set touch only at a corner (a saddle) the walk turns
/// right, so the region is read 4-connected and the outline never crosses itself.
/// Complexity: O(boundary length) calls of inside.
/// Source: crack following on the interpixel lattice (Rosenfeld, "Digital topology", 1979;
/// Kovalevsky, "Finite topology as applied to image analysis", 1989).
/// Throws vecta::invalid_argument ("first_pixel") if it is outside the image, not in the set, or
/// has its upper neighbour in the set; ("width") if width or height is 0 or above INT_MAX.
template <class Inside>
void crack_outline(std::size_t width, std::size_t height, std::size_t first_pixel, Inside&& inside,
                   std::vector<point2<int>>& out) {
    constexpr std::string_view fn = "vecta::crack_outline";
    detail::require(width > 0 && height > 0 && width <= std::size_t(INT_MAX) && height <= std::size_t(INT_MAX), fn,
                    "width", "width and height must be in 1..INT_MAX");
    detail::require(first_pixel / width < height, fn, "first_pixel", "must be a pixel of the image");
    const auto W = std::int64_t(width), H = std::int64_t(height);
    auto in = [&](std::int64_t x, std::int64_t y) {
        return x >= 0 && y >= 0 && x < W && y < H && bool(inside(std::size_t(x), std::size_t(y)));
    };
    const auto x0 = std::int64_t(first_pixel % width), y0 = std::int64_t(first_pixel / width);
    detail::require(in(x0, y0) && !in(x0, y0 - 1), fn, "first_pixel",
                    "must be in the set with its upper neighbour outside");
    // Directions: 0 east, 1 south, 2 west, 3 north (screen coordinates, y down). At each vertex
    // the two pixels ahead decide: the one ahead-right outside -> turn right; both inside -> turn
    // left (the region bends around the corner); else straight on.
    static constexpr int dx[4] = {1, 0, -1, 0};
    static constexpr int dy[4] = {0, 1, 0, -1};
    std::int64_t x = x0, y = y0;
    int dir = 0;
    out.clear();
    out.push_back({int(x0), int(y0)});
    for (;;) {
        x += dx[dir];
        y += dy[dir];
        bool ahead_left = false, ahead_right = false;
        switch (dir) {
            case 0: ahead_left = in(x, y - 1), ahead_right = in(x, y); break;
            case 1: ahead_left = in(x, y), ahead_right = in(x - 1, y); break;
            case 2: ahead_left = in(x - 1, y), ahead_right = in(x - 1, y - 1); break;
            default: ahead_left = in(x - 1, y - 1), ahead_right = in(x, y - 1); break;
        }
        const int next = !ahead_right ? (dir + 1) & 3 : ahead_left ? (dir + 3) & 3 : dir;
        if (x == x0 && y == y0 && next == 0) {     // back on the first edge: the ring is closed
            if (dir == 0) out.erase(out.begin());  // the start was passed straight through
            return;
        }
        if (next != dir) out.push_back({int(x), int(y)});
        dir = next;
    }
}

/// crack_outline returning a new vector.
template <class Inside>
std::vector<point2<int>> crack_outline(std::size_t width, std::size_t height, std::size_t first_pixel,
                                       Inside&& inside) {
    std::vector<point2<int>> out;
    crack_outline(width, height, first_pixel, inside, out);
    return out;
}

/// Twice the signed area enclosed by a closed lattice polygon (shoelace formula), positive for a
/// clockwise ring on screen (y down) such as crack_outline's. O(n).
inline std::int64_t twice_signed_area(const std::vector<point2<int>>& ring) noexcept {
    std::int64_t a = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const auto p = ring[i], q = ring[(i + 1) % n];
        a += std::int64_t(p.x) * q.y - std::int64_t(q.x) * p.y;
    }
    return a;
}

}  // namespace vecta
