// SPDX-License-Identifier: MIT
// vecta/geometry/find_contours.hpp - border following on binary images (Suzuki & Abe 1985).
//
// Conventions:
// - Coordinates are pixel centres: contour point (x, y) is the foreground pixel in column x,
//   row y; the pixel covers [x - 0.5, x + 0.5] x [y - 0.5, y + 0.5]. (trace_regions uses the
//   other convention, pixel corners, for crack-edge outlines.)
// - Foreground (any nonzero value) is 8-connected, background is 4-connected.
// - The image is treated as surrounded by a one-pixel frame of background: pixels on the
//   image border are traced like any other, the input is not modified. OpenCV's C API
//   (cvFindContours) clears the image's outer frame instead; OpenCV 4's C++ cv::findContours
//   pads a zero frame like vecta. The output equals cv::findContours(RETR_LIST / RETR_TREE,
//   CHAIN_APPROX_NONE) point for point on every binary image (tests/geometry/
//   test_contours_opencv.cpp), up to the order of the contours (below).
// - A border is the set of foreground pixels 4-adjacent to one background component, listed
//   in the order the border follower visits them (CHAIN_APPROX_NONE). Each step moves to an
//   8-neighbour; the last point is an 8-neighbour of the first. A border one pixel thick is
//   walked on both sides, so such pixels appear more than once; a lone pixel gives one point.
// - The neighbour search is OpenCV's: clockwise from the left neighbour (outer border) or the
//   right neighbour (hole border) for the first step, then counter-clockwise from the previous
//   pixel. Orientation (image coordinates, y down, as the image is shown on screen): an outer border
//   starts at its top-left pixel and runs down its left side first, i.e. counter-clockwise
//   on screen (negative shoelace area in (x, y)); a hole border runs clockwise on screen
//   (positive shoelace area).
// - Borders are numbered in the raster order (row by row, left to right) of the pixel where
//   the scan first met them, which is the order of the returned vector in both modes.
//   OpenCV returns RETR_LIST in the reverse of that order, and RETR_TREE as a pre-order walk
//   of the tree whose top level and sibling lists are each in reverse order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/point.hpp"

namespace vecta {

/// Which relations find_contours reports.
enum class retrieval {
    list,  ///< every border, parent = -1
    tree,  ///< every border with the index of its enclosing border (full hierarchy)
};

/// One border of a binary image.
struct contour {
    std::vector<point2<int>> points;  ///< pixel centres (x = column, y = row), border-following order
    bool hole = false;                ///< true for a hole border (between a region and a hole in it)
    int parent = -1;                  ///< tree mode: index of the enclosing border in the result, -1 for none
};

struct contour_params {
    retrieval mode = retrieval::list;  ///< list (no hierarchy) or tree (full hierarchy)
};

namespace detail {

/// Suzuki-Abe algorithm 1 on a padded label buffer `f` (w x h including the zero frame; 0 =
/// background, 1 = foreground). Labels f with +-NBD as the paper does.
inline std::vector<contour> suzuki_abe(std::vector<std::int32_t>& f, std::ptrdiff_t w, std::ptrdiff_t h, bool tree) {
    // Direction codes as in OpenCV: 0 = right, then counter-clockwise on screen (y down):
    // 1 up-right, 2 up, 3 up-left, 4 left, 5 down-left, 6 down, 7 down-right.
    const std::ptrdiff_t off[8] = {1, 1 - w, -w, -1 - w, -1, -1 + w, w, 1 + w};

    struct border_info {
        bool hole;
        std::int32_t parent;  // NBD of the parent border, 0 for none
    };
    std::vector<border_info> borders;
    borders.push_back({true, 0});  // NBD 0: unused
    borders.push_back({true, 0});  // NBD 1: the frame, a hole border without parent

    std::vector<contour> out;
    std::int32_t nbd = 1;
    auto to_point = [w](std::ptrdiff_t idx) {
        return point2<int>{static_cast<int>(idx % w - 1), static_cast<int>(idx / w - 1)};
    };

    for (std::ptrdiff_t i = 1; i < h - 1; ++i) {
        std::int32_t lnbd = 1;
        for (std::ptrdiff_t j = 1; j < w - 1; ++j) {
            const std::ptrdiff_t idx = i * w + j;
            const std::int32_t fij = f[idx];
            if (fij == 0) continue;
            bool is_hole = false;
            int start_dir = 0;
            bool found = true;
            if (fij == 1 && f[idx - 1] == 0) {
                start_dir = 4;  // (i2, j2) = (i, j - 1)
            } else if (fij >= 1 && f[idx + 1] == 0) {
                is_hole = true;
                start_dir = 0;  // (i2, j2) = (i, j + 1)
                if (fij > 1) lnbd = fij;
            } else {
                found = false;
            }

            if (found) {
                ++nbd;
                // Step 2: the parent from the type of the new border and of border LNBD.
                const border_info& prev = borders[static_cast<std::size_t>(lnbd)];
                std::int32_t parent;
                if (!is_hole)
                    parent = prev.hole ? lnbd : prev.parent;
                else
                    parent = prev.hole ? prev.parent : lnbd;
                borders.push_back({is_hole, parent});

                contour c;
                c.hole = is_hole;
                c.parent = (tree && parent >= 2) ? static_cast<int>(parent - 2) : -1;
                c.points.push_back(to_point(idx));

                // Step 3.1: clockwise from (i2, j2) for a nonzero pixel.
                int s = start_dir, s1 = -1;
                for (int k = 0; k < 8; ++k) {
                    s = (s + 7) & 7;
                    if (f[idx + off[s]] != 0) {
                        s1 = s;
                        break;
                    }
                }
                if (s1 < 0) {
                    f[idx] = -nbd;  // an isolated pixel
                } else {
                    const std::ptrdiff_t i1 = idx + off[s1];
                    std::ptrdiff_t i3 = idx;
                    int d2 = s1;  // direction from i3 to i2
                    for (;;) {
                        // Step 3.3: counter-clockwise from the element after (i2, j2).
                        bool right_zero = false;
                        int s4 = d2;
                        for (int k = 0; k < 8; ++k) {
                            s4 = (s4 + 1) & 7;
                            if (f[i3 + off[s4]] != 0) break;
                            if (s4 == 0) right_zero = true;
                        }
                        const std::ptrdiff_t i4 = i3 + off[s4];
                        // Step 3.4
                        if (right_zero)
                            f[i3] = -nbd;
                        else if (f[i3] == 1)
                            f[i3] = nbd;
                        // Step 3.5
                        if (i4 == idx && i3 == i1) break;
                        c.points.push_back(to_point(i4));
                        i3 = i4;
                        d2 = (s4 + 4) & 7;
                    }
                }
                out.push_back(std::move(c));
            }
            // Step 4
            const std::int32_t fnow = f[idx];
            if (fnow != 1) lnbd = fnow < 0 ? -fnow : fnow;
        }
    }
    return out;
}

}  // namespace detail

/// Finds the borders of the foreground regions of a binary image by Suzuki-Abe border
/// following (S. Suzuki, K. Abe, "Topological structural analysis of digitized binary images
/// by border following", CVGIP 30(1), 1985; algorithm 1), as OpenCV's findContours with
/// CHAIN_APPROX_NONE (same points, same parents; see the conventions at the top of this header
/// for the order of the contours and the image frame).
///
/// binary: 1 channel, nonzero = foreground. Returns every outer and hole border in raster
/// order of its first pixel; with retrieval::tree, `parent` is the index of the border that
/// directly encloses it (an outer border's parent is a hole border, a hole border's parent is
/// the outer border of the same region), -1 at the top level.
/// Complexity: O(width * height) time, one (w + 2) x (h + 2) int32 buffer.
/// Throws vecta::invalid_argument if binary is empty, has more than one channel, or has
/// (width + 2) * (height + 2) > 2^31 - 1 pixels. The policy is accepted for a uniform call
/// shape; the tracing itself is sequential.
template <execution_policy Policy>
std::vector<contour> find_contours(const Policy&, image_view<const std::uint8_t> binary,
                                   const contour_params& params = {}) {
    constexpr std::string_view fn = "vecta::find_contours";
    detail::check_image(binary, fn, "binary", 1);
    detail::require(params.mode == retrieval::list || params.mode == retrieval::tree, fn, "params.mode",
                    "must be retrieval::list or retrieval::tree");
    constexpr auto limit = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
    const std::size_t w = binary.width(), h = binary.height();
    detail::require(w <= limit - 2 && h <= limit - 2 && (w + 2) <= limit / (h + 2), fn, "binary",
                    "must have (width + 2) * (height + 2) <= 2^31 - 1 pixels");
    const std::size_t pw = w + 2, ph = h + 2;
    std::vector<std::int32_t> f(pw * ph, 0);
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* src = binary.row(y);
        std::int32_t* dst = f.data() + (y + 1) * pw + 1;
        for (std::size_t x = 0; x < w; ++x) dst[x] = src[x] != 0 ? 1 : 0;
    }
    return detail::suzuki_abe(f, static_cast<std::ptrdiff_t>(pw), static_cast<std::ptrdiff_t>(ph),
                              params.mode == retrieval::tree);
}

/// find_contours(vecta::seq, binary, params).
inline std::vector<contour> find_contours(image_view<const std::uint8_t> binary, const contour_params& params = {}) {
    return find_contours(seq, binary, params);
}

}  // namespace vecta
