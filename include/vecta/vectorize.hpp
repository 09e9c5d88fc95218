// vecta/vectorize.hpp - raster to SVG: quantize, trace regions, simplify, fit curves, write.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "color/quantize.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "geometry/bezier_fit.hpp"
#include "geometry/douglas_peucker.hpp"
#include "geometry/trace_regions.hpp"
#include "svg/document.hpp"
#include "svg/path_builder.hpp"

namespace vecta {

/// What vectorize traces.
enum class trace_mode {
    color,  ///< colour regions of the quantized palette, stacked
};

/// Parameters of vectorize; the defaults suit icons and photos.
struct vectorize_params {
    trace_mode mode = trace_mode::color;
    std::size_t colors = 16;           ///< palette size (k-means), 1..65536
    std::uint64_t seed = 0;            ///< k-means++ seed
    double tolerance = 0.5;            ///< maximum distance of a fitted curve from the boundary, px, > 0
    double corner_angle_deg = 60;      ///< turns sharper than this stay corners, (0, 180]
    std::size_t smooth_min_area = 12;  ///< regions with fewer pixels are written as exact pixel polygons
    std::size_t curve_min_area = 64;  ///< regions with fewer pixels become Douglas-Peucker polygons, larger ones curves
    int precision = 1;                ///< decimals in path data, 0..6
};

/// What vectorize produced, for --stats and benchmarks.
struct vectorize_stats {
    double ms = 0;             ///< wall time of vectorize
    std::size_t paths = 0;     ///< <path>/<rect> elements
    std::size_t nodes = 0;     ///< path commands (moves, lines, curves)
    std::size_t bytes = 0;     ///< size of the document
    std::size_t colors = 0;    ///< palette entries used
    double quantize_psnr = 0;  ///< PSNR of the quantized raster vs the input, dB
};

/// The SVG document and its statistics.
struct vectorize_result {
    std::string document;  ///< the SVG document
    vectorize_stats stats;
};

namespace detail {

/// Any 8-bit image with 1-4 channels as RGB; alpha is composited over white (straight alpha).
inline image<std::uint8_t> to_rgb_over_white(image_view<const std::uint8_t> src) {
    const std::size_t c = src.channels();
    if (c == 3) return image<std::uint8_t>::from(src);
    image<std::uint8_t> out(src.width(), src.height(), 3);
    for (std::size_t y = 0; y < src.height(); ++y) {
        const std::uint8_t* s = src.row(y);
        std::uint8_t* d = out.view().row(y);
        for (std::size_t x = 0; x < src.width(); ++x, s += c, d += 3) {
            const bool gray = c <= 2;
            const unsigned alpha = (c == 2 || c == 4) ? s[c - 1] : 255u;
            for (std::size_t k = 0; k < 3; ++k) {
                const unsigned v = gray ? s[0] : s[k];
                d[k] = static_cast<std::uint8_t>((v * alpha + 255u * (255u - alpha) + 127u) / 255u);
            }
        }
    }
    return out;
}

/// Midpoints of the unit crack edges along a lattice outline: the boundary's mid-line, on
/// which a straight or evenly stepped edge is a straight line.
inline std::vector<point2d> crack_midpoints(const std::vector<point2<int>>& outline) {
    std::vector<point2d> mids;
    const std::size_t n = outline.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto a = outline[i], b = outline[(i + 1) % n];
        const int sx = (b.x > a.x) - (b.x < a.x), sy = (b.y > a.y) - (b.y < a.y);
        const int len = std::abs(b.x - a.x) + std::abs(b.y - a.y);
        for (int s = 0; s < len; ++s) mids.push_back({a.x + sx * (s + 0.5), a.y + sy * (s + 0.5)});
    }
    return mids;
}

inline void write_polygon(svg::path_builder& b, const std::vector<point2<int>>& ring) {
    b.move_to(ring[0].x, ring[0].y);
    for (std::size_t i = 1; i < ring.size(); ++i) b.line_to(ring[i].x, ring[i].y);
    b.close();
}

/// True when both control points lie on the chord (within 1e-3 px): the cubic is a line.
inline bool is_straight(const cubic_bezier& c) noexcept {
    const double dx = c.p3.x - c.p0.x, dy = c.p3.y - c.p0.y, len = std::hypot(dx, dy);
    if (len < 1e-9) return false;
    auto off = [&](const point2d& p) { return std::abs((p.x - c.p0.x) * dy - (p.y - c.p0.y) * dx) / len; };
    auto along = [&](const point2d& p) { return ((p.x - c.p0.x) * dx + (p.y - c.p0.y) * dy) / (len * len); };
    return off(c.p1) < 1e-3 && off(c.p2) < 1e-3 && along(c.p1) >= 0 && along(c.p1) <= 1 && along(c.p2) >= 0 &&
           along(c.p2) <= 1;
}

inline void write_curves(svg::path_builder& b, const std::vector<cubic_bezier>& curves) {
    b.move_to(curves[0].p0.x, curves[0].p0.y);
    for (const auto& c : curves) {
        if (is_straight(c))
            b.line_to(c.p3.x, c.p3.y);
        else
            b.cubic_to(c.p1.x, c.p1.y, c.p2.x, c.p2.y, c.p3.x, c.p3.y);
    }
    b.close();
}

}  // namespace detail

/// Vectorizes an 8-bit image (1-4 channels; alpha composited over white) into an SVG document
/// whose render looks like the input:
///  1. colour quantization to params.colors colours (k-means++ and Lloyd, vecta::quantize);
///  2. 4-connected regions of equal colour and their outer crack-edge outlines (trace_regions);
///  3. for regions of at least smooth_min_area pixels, the outline's mid-line is simplified with
///     Ramer-Douglas-Peucker (epsilon = tolerance / 2) and fitted with cubic Beziers after
///     Schneider (max error = tolerance, corners kept); smaller regions stay exact polygons;
///  4. one filled <path> per region, stacked in order of decreasing enclosed area over a
///     background of the largest region's colour, so every region lies on top of the regions
///     around it and the render has no seams between regions.
/// Shapes: src is width x height with 1-4 interleaved channels; the SVG's user units are
/// pixels (viewBox 0 0 width height), pixel (x, y) covering [x, x+1] x [y, y+1].
/// Complexity: O(distinct colours * colors * iterations) for quantization, O(pixels) for
/// tracing, roughly linear in the boundary length for fitting.
/// Determinism: the same input, params and seed give the same document under seq and par.
/// Sources: k-means++ (Arthur & Vassilvitskii 2007) and Lloyd; crack-edge tracing (Selinger
/// 2003); Ramer-Douglas-Peucker (1972-73); Schneider, "An Algorithm for Automatically Fitting
/// Digitized Curves" (Graphics Gems, 1990).
/// Throws vecta::invalid_argument for an empty image, more than 4 channels, an unknown mode,
/// colors outside 1..65536, tolerance <= 0 or not finite, a corner angle outside (0, 180] or a
/// precision outside 0..6.
template <execution_policy Policy>
vectorize_result vectorize(const Policy& policy, image_view<const std::uint8_t> src,
                           const vectorize_params& params = {}) {
    constexpr std::string_view fn = "vecta::vectorize";
    const auto t0 = std::chrono::steady_clock::now();
    detail::check_image(src, fn, "src");
    detail::require(src.channels() <= 4, fn, "src", "must have 1 to 4 channels");
    detail::require(params.mode == trace_mode::color, fn, "params.mode", "must be a trace_mode value");
    detail::require(params.colors >= 1 && params.colors <= 65536, fn, "params.colors", "must be in 1..65536");
    detail::require(params.tolerance > 0 && std::isfinite(params.tolerance), fn, "params.tolerance",
                    "must be a finite number > 0");
    detail::require(params.corner_angle_deg > 0 && params.corner_angle_deg <= 180, fn, "params.corner_angle_deg",
                    "must be in (0, 180]");
    detail::require(params.precision >= 0 && params.precision <= 6, fn, "params.precision", "must be in 0..6");

    const image<std::uint8_t> rgb = detail::to_rgb_over_white(src);
    const quantize_result q = quantize(policy, rgb.view(), {.colors = params.colors, .seed = params.seed});
    std::vector<region> regions = trace_regions(q.labels.view());

    std::vector<std::size_t> order(regions.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (regions[a].enclosed_area != regions[b].enclosed_area)
            return regions[a].enclosed_area > regions[b].enclosed_area;
        return regions[a].first_pixel < regions[b].first_pixel;
    });

    // Path data of every region, in parallel: each block writes only its own regions.
    std::vector<std::string> data(regions.size());
    std::vector<std::size_t> nodes(regions.size());
    const bool closed = true;
    detail::parallel_for(policy, order.size(), 16, [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
            const region& r = regions[order[k]];
            svg::path_builder b(params.precision);
            if (r.area < params.smooth_min_area || r.outline.size() <= 4) {
                detail::write_polygon(b, r.outline);
            } else {
                const auto mids = detail::crack_midpoints(r.outline);
                if (r.area < params.curve_min_area) {
                    // Small regions: a Ramer-Douglas-Peucker polygon of the mid-line.
                    const auto poly = douglas_peucker(std::span<const point2d>(mids), params.tolerance, closed);
                    if (poly.size() < 3) {
                        detail::write_polygon(b, r.outline);
                    } else {
                        b.move_to(poly[0].x, poly[0].y);
                        for (std::size_t i = 1; i < poly.size(); ++i) b.line_to(poly[i].x, poly[i].y);
                        b.close();
                    }
                } else {
                    const auto curves = bezier_fit(
                        std::span<const point2d>(mids),
                        {.max_error = params.tolerance, .corner_angle_deg = params.corner_angle_deg, .closed = closed});
                    detail::write_curves(b, curves);
                }
            }
            data[order[k]] = b.str();
            nodes[order[k]] = b.nodes();
        }
    });

    svg::document doc(src.width(), src.height());
    const std::size_t w = src.width(), h = src.height();
    // Background: the colour covering the most pixels; it shows only where fitted outlines of
    // neighbouring regions leave a sub-pixel gap.
    std::vector<std::size_t> coverage(q.palette.size());
    for (const region& r : regions) coverage[r.label] += r.area;
    const auto dominant = std::size_t(std::max_element(coverage.begin(), coverage.end()) - coverage.begin());
    doc.add_background(q.palette[dominant]);
    vectorize_stats stats;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const region& r = regions[order[k]];
        if (k == 0 && r.enclosed_area == w * h && r.label == dominant) continue;  // drawn by the background
        doc.add_path(data[order[k]], q.palette[r.label]);
        stats.nodes += nodes[order[k]];
    }
    vectorize_result result;
    result.document = doc.str();
    stats.paths = doc.paths();
    stats.bytes = result.document.size();
    stats.colors = q.palette.size();
    stats.quantize_psnr = q.psnr;
    stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    result.stats = stats;
    return result;
}

/// vectorize under vecta::seq.
inline vectorize_result vectorize(image_view<const std::uint8_t> src, const vectorize_params& params = {}) {
    return vectorize(seq, src, params);
}

}  // namespace vecta
