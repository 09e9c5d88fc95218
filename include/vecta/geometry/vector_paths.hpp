// SPDX-License-Identifier: MIT
// vecta/geometry/vector_paths.hpp - traced vector geometry: coloured paths of lines and cubic
// Beziers in image pixels, the one geometry every output format (SVG, PDF, EPS, DXF) is written from.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/point.hpp"

namespace vecta {

/// One drawing command of a vector_path.
enum class path_op : std::uint8_t {
    move,   ///< starts a subpath at 1 point
    line,   ///< straight line to 1 point
    cubic,  ///< cubic Bezier: 2 control points, then the end point
    close,  ///< closes the subpath (back to its start); no point
};

/// How a filled path decides inside (PDF 1.7 section 8.5.3.3, SVG 1.1 section 11.3).
enum class fill_rule : std::uint8_t { nonzero, evenodd };

/// A path of one colour: subpaths of lines and cubics, filled, or stroked when stroke_width > 0
/// (round caps and joins, not filled). Coordinates are image pixels, y down, pixel (x, y)
/// covering [x, x+1] x [y, y+1]. The command list has the shape of SVG path data: `ops` in
/// order, `points` holding 1 point per move and line, 3 per cubic, none per close.
struct vector_path {
    std::array<std::uint8_t, 3> color{};  ///< fill (or stroke) colour, sRGB
    double opacity = 1;                   ///< fill opacity, [0, 1]
    fill_rule rule = fill_rule::nonzero;
    double stroke_width = 0;  ///< 0: filled; > 0: stroked with this width in pixels
    std::vector<path_op> ops;
    std::vector<point2d> points;

    void move_to(double x, double y) {
        ops.push_back(path_op::move);
        points.push_back({x, y});
    }
    void line_to(double x, double y) {
        ops.push_back(path_op::line);
        points.push_back({x, y});
    }
    void cubic_to(double x1, double y1, double x2, double y2, double x, double y) {
        ops.push_back(path_op::cubic);
        points.push_back({x1, y1});
        points.push_back({x2, y2});
        points.push_back({x, y});
    }
    void close() { ops.push_back(path_op::close); }
    /// Subpaths (move commands). O(ops).
    std::size_t subpaths() const noexcept {
        std::size_t n = 0;
        for (const path_op op : ops) n += op == path_op::move ? 1 : 0;
        return n;
    }
};

/// The paths of a traced width x height image in paint order (later paths on top).
struct vector_paths {
    std::size_t width = 0, height = 0;
    std::vector<vector_path> paths;
};

/// A rectangle [x0, x1] x [y0, y1] as one closed subpath of a new path of colour `color`.
inline vector_path rectangle_path(double x0, double y0, double x1, double y1, std::array<std::uint8_t, 3> color) {
    vector_path p;
    p.color = color;
    p.move_to(x0, y0);
    p.line_to(x1, y0);
    p.line_to(x1, y1);
    p.line_to(x0, y1);
    p.close();
    return p;
}

namespace detail {

/// Checks that `g` is well formed, so that writers may walk it without bounds checks: width and
/// height in 1..2^20, every path's point count matching its commands, every subpath starting
/// with a move, coordinates finite and within 2^24 pixels of the image, opacity in [0, 1],
/// stroke widths finite and >= 0, a known fill rule and command. Throws vecta::invalid_argument
/// naming `arg` (of function `fn`) otherwise. O(size of g).
inline void check_vector_paths(const vector_paths& g, std::string_view fn, std::string_view arg) {
    const std::string a(arg);
    require(g.width >= 1 && g.width <= (std::size_t(1) << 20) && g.height >= 1 && g.height <= (std::size_t(1) << 20),
            fn, a + ".width/height", "must be in 1..2^20 (an empty result: vectorize with params.keep_paths = true)");
    constexpr double lim = double(1 << 24);
    for (std::size_t i = 0; i < g.paths.size(); ++i) {
        const vector_path& p = g.paths[i];
        auto fail = [&](std::string_view member, std::string_view rule) {
            throw_invalid(fn, a + ".paths[" + std::to_string(i) + "]." + std::string(member), rule);
        };
        if (!(p.opacity >= 0 && p.opacity <= 1)) fail("opacity", "must be in [0, 1]");
        if (!(std::isfinite(p.stroke_width) && p.stroke_width >= 0 && p.stroke_width < lim))
            fail("stroke_width", "must be finite, >= 0 and < 2^24");
        if (p.rule != fill_rule::nonzero && p.rule != fill_rule::evenodd) fail("rule", "must be a fill_rule value");
        std::size_t need = 0;
        bool open = false;
        for (const path_op op : p.ops) {
            if (op == path_op::move) open = true;
            if (!open) fail("ops", "must start every subpath with path_op::move");
            switch (op) {
                case path_op::move:
                case path_op::line: need += 1; break;
                case path_op::cubic: need += 3; break;
                case path_op::close: open = false; break;
                default: fail("ops", "holds a value that is not a path_op");
            }
        }
        if (need != p.points.size())
            fail("points", "must hold 1 point per move and line and 3 per cubic (" + std::to_string(need) + "), not " +
                               std::to_string(p.points.size()));
        for (const point2d& q : p.points)
            if (!(std::isfinite(q.x) && std::isfinite(q.y) && std::abs(q.x) < lim && std::abs(q.y) < lim))
                fail("points", "must be finite and within 2^24 pixels");
    }
}

}  // namespace detail
}  // namespace vecta
