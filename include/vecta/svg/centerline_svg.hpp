// SPDX-License-Identifier: MIT
// vecta/svg/centerline_svg.hpp - SVG of a centerline trace: stroked paths with round caps and joins.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "../core/error.hpp"
#include "../geometry/centerline.hpp"
#include "curve_path.hpp"
#include "document.hpp"
#include "path_builder.hpp"

namespace vecta::svg {

/// Options of centerline_svg.
struct centerline_svg_params {
    rgb color{0, 0, 0};  ///< stroke and fill colour
    int precision = 1;   ///< decimals of coordinates and widths, 0..6 (a tenth of a pixel: below what the fit resolves)
    bool curves = true;  ///< write the fitted curves (false: the centerline polylines, as lines)
};

/// Appends one stroke's centerline as a subpath: its curves, or its polyline; a closed stroke
/// ends with 'z'; a dot (one point) becomes a line of 1/100 pixel, which the round cap draws as
/// a disc of the stroke width. Sink: svg::path_builder or vecta::vector_path.
template <class Sink = path_builder>
void append_centerline_stroke(Sink& b, const centerline_stroke& s, bool curves = true) {
    if (s.points.empty()) return;
    if (s.points.size() == 1 || (s.curves.empty() && curves)) {
        b.move_to(s.points[0].x, s.points[0].y);
        b.line_to(s.points[0].x + 0.01, s.points[0].y);
        return;
    }
    if (curves) {
        b.move_to(s.curves[0].p0.x, s.curves[0].p0.y);
        for (const auto& c : s.curves) b.cubic_to(c.p1.x, c.p1.y, c.p2.x, c.p2.y, c.p3.x, c.p3.y);
    } else {
        b.move_to(s.points[0].x, s.points[0].y);
        for (std::size_t i = 1; i < s.points.size(); ++i) b.line_to(s.points[i].x, s.points[i].y);
    }
    if (s.closed) b.close();
}

/// One colour of a multi-colour centerline document: a trace and the colour it is drawn in.
struct centerline_layer {
    const centerline_result* result = nullptr;
    rgb color{0, 0, 0};
};

/// The SVG document of centerline traces of a width x height image, one per colour (colour line
/// art: each palette colour's strokes traced separately), drawn in the order given (viewBox 0 0
/// width height, pixel-edge coordinates). Per layer: first the filled regions (one path,
/// even-odd rule, their fitted outline curves), then the strokes, one <path> per stroke, inside
/// one <g fill="none" stroke=colour stroke-width=W stroke-linecap="round" stroke-linejoin="round">
/// where W is the most frequent width as written; a stroke of another width carries its own
/// stroke-width attribute. params.color is not used here. No layer, or empty results, give a
/// document with no path. Complexity: O(size of the results).
/// Throws vecta::invalid_argument if width or height is 0 ("width", "height"), precision is
/// outside 0..6 ("params.precision"), a layer has no result ("layers"), or a stroke width is not
/// finite and > 0 ("result").
inline std::string centerline_svg(std::span<const centerline_layer> layers, std::size_t width, std::size_t height,
                                  const centerline_svg_params& params = {}) {
    constexpr std::string_view fn = "vecta::svg::centerline_svg";
    vecta::detail::require(width > 0, fn, "width", "must be > 0");
    vecta::detail::require(height > 0, fn, "height", "must be > 0");
    vecta::detail::require(params.precision >= 0 && params.precision <= 6, fn, "params.precision", "must be in 0..6");
    const std::string w = std::to_string(width), h = std::to_string(height);
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
                      "\" viewBox=\"0 0 " + w + " " + h + "\">\n";
    for (const centerline_layer& layer : layers) {
        vecta::detail::require(layer.result != nullptr, fn, "layers", "every layer needs a result");
        const centerline_result& result = *layer.result;
        const std::string col = hex_color(layer.color);
        if (!result.fill_rings.empty()) {
            path_builder b(params.precision);
            for (std::size_t i = 0; i < result.fill_rings.size(); ++i) {
                if (i < result.fill_curves.size() && !result.fill_curves[i].segments.empty())
                    append_closed_curve(b, result.fill_curves[i]);
                else if (!result.fill_rings[i].empty())
                    append_lattice_polygon(b, result.fill_rings[i]);
            }
            out += "<path fill=\"" + col + "\" fill-rule=\"evenodd\" d=\"" + b.str() + "\"/>\n";
        }
        // Strokes in one group carrying the most frequent written width; a stroke of another width
        // carries its own stroke-width attribute (shorter than a group per width).
        std::vector<std::string> ws(result.strokes.size());
        std::map<std::string, std::size_t> freq;
        for (std::size_t i = 0; i < result.strokes.size(); ++i) {
            const double sw = result.strokes[i].width;
            vecta::detail::require(std::isfinite(sw) && sw > 0, fn, "result", "stroke widths must be finite and > 0");
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.*f", params.precision, sw);
            ws[i] = buf;
            if (ws[i].find('.') != std::string::npos) {
                while (ws[i].back() == '0') ws[i].pop_back();
                if (ws[i].back() == '.') ws[i].pop_back();
            }
            ++freq[ws[i]];
        }
        if (!ws.empty()) {
            std::string common;
            std::size_t most = 0;
            for (const auto& [w_str, cnt] : freq)
                if (cnt > most) {
                    most = cnt;
                    common = w_str;
                }
            out += "<g fill=\"none\" stroke=\"" + col + "\" stroke-width=\"" + common +
                   "\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n";
            for (std::size_t i = 0; i < result.strokes.size(); ++i) {
                path_builder b(params.precision);
                append_centerline_stroke(b, result.strokes[i], params.curves);
                out += "<path";
                if (ws[i] != common) out += " stroke-width=\"" + ws[i] + "\"";
                out += " d=\"" + b.str() + "\"/>\n";
            }
            out += "</g>\n";
        }
    }
    out += "</svg>\n";
    return out;
}

/// The SVG document of one centerline trace of a width x height image, drawn in params.color:
/// centerline_svg of the single layer {&result, params.color} (see above).
/// Throws vecta::invalid_argument as above.
inline std::string centerline_svg(const centerline_result& result, std::size_t width, std::size_t height,
                                  const centerline_svg_params& params = {}) {
    const centerline_layer one{&result, params.color};
    return centerline_svg(std::span<const centerline_layer>(&one, 1), width, height, params);
}

}  // namespace vecta::svg
