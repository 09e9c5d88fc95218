// SPDX-License-Identifier: MIT
// vecta/geometry/closed_curve.hpp - a closed piecewise curve of corners and cubic Bezier segments.
#pragma once

#include <cstdint>
#include <vector>

#include "../core/point.hpp"

namespace vecta {

/// One segment of a closed curve, starting where the previous one ends.
/// A corner is two straight lines, start -> vertex -> end; a bezier is the cubic
/// start, c1, c2, end. Coordinates are in the units of the traced outline (pixels).
struct curve_segment {
    enum class kind : std::uint8_t { corner, bezier };
    kind type = kind::bezier;
    point2d c1{}, c2{};  ///< bezier: control points
    point2d vertex{};    ///< corner: straight line start -> vertex -> end
    point2d end{};       ///< end point (start of the next segment)
};

/// A closed piecewise curve; segment 0 starts at the end of the last segment.
struct closed_curve {
    std::vector<curve_segment> segments;
};

}  // namespace vecta
