// SPDX-License-Identifier: MIT
// vecta/vectorize.hpp - raster to SVG, composed of public stages: palette and labels, regions,
// outlines, curves, stacked paths. Each step names the header it comes from.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "color/flat_palette.hpp"
#include "color/palette_map.hpp"
#include "color/quantize.hpp"
#include "color/region_fills.hpp"
#include "color/salient_palette.hpp"
#include "color/split_regions.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "core/point.hpp"
#include "geometry/centerline.hpp"
#include "geometry/closed_curve.hpp"
#include "geometry/crack_outline.hpp"
#include "geometry/label_regions.hpp"
#include "geometry/outline_curve.hpp"
#include "geometry/vector_paths.hpp"
#include "imgproc/gray.hpp"
#include "imgproc/over_white.hpp"
#include "imgproc/upsample.hpp"
#include "svg/centerline_svg.hpp"
#include "svg/curve_path.hpp"
#include "svg/document.hpp"
#include "svg/path_builder.hpp"
#include "vectorize_alpha.hpp"
#include "vectorize_centerline.hpp"

namespace vecta {

/// What vectorize traces.
enum class trace_mode {
    color,   ///< colour regions of a palette, stacked (icons, logos, photos)
    binary,  ///< black and white: luma below `threshold` is ink (line art, scans)
    /// pen strokes along the medial axis of the ink (luma below `threshold`), stroked paths with
    /// round caps and joins; wide blobs stay filled (trace_centerlines, geometry/centerline.hpp)
    centerline,
};

/// How the colour mode picks its palette.
enum class palette_mode {
    /// Flat-colour images (icons, logos): the most frequent exact colours that are neither
    /// close to a chosen colour nor a mix (anti-aliasing tone) of two, at most `colors`;
    /// images whose pixels these do not explain (photos, gradients) fall back to k-means.
    automatic,
    kmeans,  ///< k-means++ and Lloyd with exactly min(colors, distinct colours) entries
};

/// Parameters of vectorize; the defaults suit icons without any flag.
struct vectorize_params {
    trace_mode mode = trace_mode::color;
    std::size_t colors = 24;  ///< palette size (k-means) or its upper bound (automatic), 1..65536
    std::uint64_t seed = 0;   ///< k-means++ seed
    /// Curve optimisation: runs of cubics are joined while the joined curve stays within this
    /// distance (input pixels) of them (outline_curve_params::opttolerance). > 0.
    double tolerance = 0.15;
    double corner_angle_deg = 135;    ///< polygon turns sharper than this stay corners, (0, 180]
    std::size_t smooth_min_area = 8;  ///< regions with fewer pixels (input pixels) are written as exact pixel polygons
    std::size_t curve_min_area = 0;   ///< unused; kept for source compatibility
    /// Decimals in path data, 0..6, or auto_precision (the default): 0 for a dense k-means
    /// tracing (colour mode, opaque, a k-means palette traced at 1x, more than
    /// dense_regions_per_pixel regions per input pixel after the speckle filter: film grain, star
    /// fields), else 1. Rounding to whole pixels saves about a third of a dense photo's bytes for
    /// at most a few tenths of a dB (docs/vectorize.md "Salient palette (issue 19)"); the
    /// precision used is in vectorize_stats::precision. With D >= 1 decimals the document is
    /// also written in whole numbers of user units of 10^-D pixel (the same coordinates, the
    /// viewBox scaled by 10^D) and the shorter of the two is kept (vectorize_stats::units_per_pixel).
    int precision = auto_precision;
    static constexpr int auto_precision = -1;
    /// The automatic precision's density threshold: regions (after the speckle filter and the
    /// region fills) per input pixel above which a k-means tracing is written with 0 decimals.
    /// Chosen on the shared photos at 600 px (docs/vectorize.md "Salient palette (issue 19)").
    static constexpr double dense_regions_per_pixel = 0.025;
    /// Resource caps for untrusted input: most <path>/<rect> elements and most path commands
    /// (moves, lines, curves) in the document; exceeding either throws vecta::invalid_argument
    /// naming the parameter. Both >= 1.
    std::size_t max_paths = std::size_t(1) << 22;
    std::size_t max_nodes = std::size_t(1) << 26;
    palette_mode palette = palette_mode::automatic;
    /// Colour mode: salient palette refinement (salient_palette, color/salient_palette.hpp):
    /// after the palette is chosen, clusters of pixels it represents badly (CIEDE2000 above
    /// salient_params::threshold) get extra entries, so small distinct colours (eyes, a logo's
    /// accent) keep their hue. Flat-colour palettes skip anti-aliasing tones (skip_mixes).
    bool salient = false;
    salient_params salient_colors{};  ///< its parameters (skip_mixes is set for flat palettes)
    /// Colour mode, k-means palettes (photos; not with transparency kept): after the speckle
    /// filter every region is painted with the nearest of max(region_colors, colors) fills that
    /// vecta::quantize picks from the regions' own mean colours (area-weighted), not with its
    /// palette entry; neighbours given the same fill merge. The palette shapes the regions, the
    /// fills colour them: a cat's green iris mapped to a brown entry keeps its green, at about the
    /// same bytes (docs/vectorize.md "Salient palette"). 0 = palette colours; 0..65536.
    std::size_t region_colors = 256;
    /// Colour mode with region fills (region_colors > 0, k-means palettes): when the palette's
    /// PSNR (vectorize_stats::quantize_psnr) is below this many dB, the palette explains the
    /// image poorly (smooth gradients, soft focus: k-means bands them), so regions whose colours
    /// spread along one CIELAB direction are cut in two (split_regions, color/split_regions.hpp,
    /// its default parameters) and every region is filled with its exact mean colour; not when
    /// that would make more than 65536 regions (one fill each). 31 dB was chosen on the shared
    /// photos at 600 px (docs/vectorize.md "Region splits"); 0 = never. Finite, 0..100.
    double split_psnr = 31;
    /// Speckle filter: 4-connected regions of fewer pixels (input pixels) are merged into the
    /// neighbouring region of the nearest colour before tracing (0 or 1 keeps everything); for
    /// flat-colour palettes and binary mode, regions whose 8-connected group of the same colour
    /// has fewer pixels (a 1 px diagonal line is one group, not a chain of specks).
    /// auto_speckle: 6 for flat-colour images, 3 for k-means palettes (photos), 2 in binary mode.
    std::size_t speckle = auto_speckle;
    static constexpr std::size_t auto_speckle = ~std::size_t(0);
    /// Corner threshold of the smoothing (outline_curve_params::alphamax, Selinger 2003 section
    /// 2.4): larger is smoother, 0 keeps every turning vertex a corner. [0, 4/3], or
    /// auto_alphamax: 0.85 for flat-colour images and binary mode (a disk stays one smooth
    /// curve), 0.5 for k-means palettes (photos: their ragged region outlines fit better with
    /// corners). The defaults (this, tolerance 0.15, smooth_min_area 8) were chosen on the shared
    /// icons, photos and line art (docs/vectorize.md).
    double alphamax = auto_alphamax;
    static constexpr double auto_alphamax = -1;
    /// Colour mode: trace at this many times the input resolution after bilinear upsampling,
    /// which places boundaries at sub-pixel positions on anti-aliased input. 0 = automatic
    /// (2 for flat-colour images up to 1024 x 1024, else 1), otherwise 1..4.
    int upscale = 0;
    std::uint8_t threshold = 128;  ///< binary and centerline modes: luma below this is ink
    /// Images with alpha (2 or 4 channels): none (the default) keeps the transparency in colour
    /// and binary modes (docs/vectorize.md "Transparency"); a colour composites the image over it
    /// first (rgb_over, imgproc/over_white.hpp), as vectorize did over white before. Centerline
    /// mode always composites (over white when none).
    std::optional<std::array<std::uint8_t, 3>> background{};
    /// Centerline mode: the stroke and junction parameters of trace_centerlines (its threshold is
    /// taken from `threshold`; its corner angle is its own: a turn of a stroke, not a polygon's).
    centerline_params centerline{};
    /// Centerline mode on a colour image: trace each palette colour's strokes separately and
    /// stroke them in that colour (colour line art); the palette as in colour mode (`palette`,
    /// `colors`, `seed`), its most frequent colour is the paper (vectorize_centerline.hpp).
    bool stroke_colors = false;
    /// Budgets (colour and binary modes; vectorize_budget.hpp, docs/vectorize.md "Budgets"): when
    /// either is set, vectorize searches colors, speckle, tolerance and precision (starting from
    /// `colors`, never above `precision`) for the document of at most `max_bytes` bytes with the
    /// highest render PSNR, or the fewest bytes whose render PSNR is at least `min_psnr` dB; both:
    /// the fewest bytes reaching min_psnr within max_bytes. 0 = no budget. max_bytes is a hard cap
    /// (>= the size of a one-colour document); an unreachable min_psnr is reported in
    /// vectorize_result::budget_met.
    std::size_t max_bytes = 0;
    double min_psnr = 0;  ///< dB, [0, 99]; 0 = none
    /// Also return the traced geometry in vectorize_result::paths (the paths of the SVG, unrounded,
    /// for the PDF, EPS and DXF writers: export/dxf.hpp, adapters/cairo.hpp). Off by default: a
    /// photo's geometry takes a few times the memory of its SVG.
    bool keep_paths = false;
};

/// What vectorize produced, for --stats and benchmarks.
struct vectorize_stats {
    double ms = 0;                  ///< wall time of vectorize
    std::size_t paths = 0;          ///< <path>/<rect> elements
    std::size_t nodes = 0;          ///< path commands (moves, lines, curves)
    std::size_t bytes = 0;          ///< size of the document
    std::size_t colors = 0;         ///< distinct colours painted (palette entries, or the region fills: region_colors)
    double quantize_psnr = 0;       ///< PSNR of the palette raster (before tracing) vs the input, dB
    std::size_t regions = 0;        ///< traced regions (after the speckle filter)
    std::size_t regions_split = 0;  ///< regions cut by the region splits (params.split_psnr), 0 if none
    int precision = 0;              ///< decimals of the path data (params.precision, or the automatic choice)
    int units_per_pixel = 1;  ///< user units per pixel (viewBox width / width): 1, or 10^precision (whole numbers)
    /// What a budget search (max_bytes / min_psnr) chose and measured; all 0 without a budget.
    struct budget_choice {
        std::size_t colors = 0;   ///< the colors parameter chosen
        std::size_t speckle = 0;  ///< the speckle parameter chosen (auto_speckle: the default)
        double tolerance = 0;     ///< the tolerance chosen
        int precision = 0;        ///< the precision chosen
        double psnr = 0;          ///< render PSNR vs the input over white, dB (svg::render_document)
        std::size_t passes = 0;   ///< vectorize passes the search ran
        std::size_t renders = 0;  ///< documents it rendered to score
    } budget;
};

/// The SVG document and its statistics.
struct vectorize_result {
    std::string document;  ///< the SVG document
    vectorize_stats stats;
    /// False when a budget could not be met: no setting reaches params.min_psnr (within
    /// params.max_bytes if set); the document is then the best render PSNR found within max_bytes.
    bool budget_met = true;
    /// With params.keep_paths: the document's paths in paint order, one vector_path per <path>
    /// or <rect> element (same colour, fill rule, stroke width; coordinates before rounding to
    /// params.precision). Otherwise empty (width and height 0).
    vector_paths paths;
};

/// The budget search behind params.max_bytes / params.min_psnr (defined in vectorize_budget.hpp).
template <execution_policy Policy>
vectorize_result vectorize_budget(const Policy& policy, image_view<const std::uint8_t> src,
                                  const vectorize_params& params);

namespace detail {

/// Paint order of the traced regions: by depth, then label, then raster order (one <path> per
/// run of equal depth and label). Colour mode: every region but the background `bg`. Binary
/// mode (no background): the ink regions and the paper regions off the image border (the only
/// paper that can lie inside ink; paper on the border is never inside an outer outline).
inline std::vector<std::uint32_t> paint_order(const region_runs& r, std::size_t bg, bool binary) {
    std::vector<std::uint32_t> order;
    order.reserve(r.count());
    for (std::size_t i = 0; i < r.count(); ++i)
        if (binary ? (r.label[i] == 1 || !r.on_border[i]) : i != bg) order.push_back(std::uint32_t(i));
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (r.depth[a] != r.depth[b]) return r.depth[a] < r.depth[b];
        if (r.label[a] != r.label[b]) return r.label[a] < r.label[b];
        return a < b;
    });
    return order;
}

/// salient_palette for vectorize (params checked by vectorize); skip_mixes for flat palettes.
template <class Policy>
std::vector<std::array<std::uint8_t, 3>> salient_entries(const Policy& policy, image_view<const std::uint8_t> rgb,
                                                         const std::vector<std::array<std::uint8_t, 3>>& pal,
                                                         salient_params sp, bool flat) {
    sp.skip_mixes = sp.skip_mixes || flat;
    return salient_palette(policy, rgb, std::span<const std::array<std::uint8_t, 3>>(pal), sp);
}

/// Moves the vertices of an outline that lie on the image frame one pixel outward (0 -> -1,
/// width -> width + 1, the same for y): the outline of the region as if its border pixels were
/// repeated outside the image. A smoothed curve then stays outside the canvas along the frame
/// (the viewBox clips it) instead of cutting the corners of the image.
/// Forwards path commands to SVG path data and, when `geometry` is not null, to a kept path.
struct path_tee {
    svg::path_builder* svg;
    vector_path* geometry;
    svg::path_builder* alt = nullptr;  ///< the same path data in other user units (vectorize step 6)
    void move_to(double x, double y) {
        svg->move_to(x, y);
        if (alt) alt->move_to(x, y);
        if (geometry) geometry->move_to(x, y);
    }
    void line_to(double x, double y) {
        svg->line_to(x, y);
        if (alt) alt->line_to(x, y);
        if (geometry) geometry->line_to(x, y);
    }
    void cubic_to(double x1, double y1, double x2, double y2, double x, double y) {
        svg->cubic_to(x1, y1, x2, y2, x, y);
        if (alt) alt->cubic_to(x1, y1, x2, y2, x, y);
        if (geometry) geometry->cubic_to(x1, y1, x2, y2, x, y);
    }
    void close() {
        svg->close();
        if (alt) alt->close();
        if (geometry) geometry->close();
    }
};

inline void push_frame_out(std::vector<point2<int>>& ring, std::size_t w, std::size_t h) noexcept {
    for (auto& p : ring) {
        p.x = p.x == 0 ? -1 : p.x == int(w) ? int(w) + 1 : p.x;
        p.y = p.y == 0 ? -1 : p.y == int(h) ? int(h) + 1 : p.y;
    }
}

template <execution_policy Policy>
vectorize_result vectorize_image(const Policy& policy, image_view<const std::uint8_t> src,
                                 const vectorize_params& params, image<std::uint8_t>* spare);

}  // namespace detail

/// Vectorizes an 8-bit image (1-4 channels) into an SVG document whose render looks like the
/// input. Alpha (2 or 4 channels, some pixel below 255) is kept in colour and binary modes unless
/// params.background is set (then composited over it, rgb_over): opacity levels (alpha_levels,
/// imgproc/alpha_levels.hpp), (colour, opacity) labels with fill-opacity, the visible pixels as
/// an even-odd clip path, no background; binary ink is opaque and dark (vectorize_alpha.hpp,
/// docs/vectorize.md "Transparency"). The pipeline, each step a public stage:
///  1. pixels to labels. Colour mode: rgb_over_white (imgproc/over_white.hpp); the palette is
///     flat_palette (color/flat_palette.hpp: the frequent exact colours of a flat-colour image,
///     palette_mode::automatic) or else quantize (color/quantize.hpp: k-means++ and Lloyd,
///     `colors` entries), whose labels and PSNR are used as they are; flat-colour images up to
///     1024 x 1024 are upsampled (upsample_bilinear, imgproc/upsample.hpp, `upscale`, default 2x)
///     and mapped to the palette (map_to_palette, color/palette_map.hpp), so that boundaries
///     fall where anti-aliased edges cross half coverage. Binary mode: to_gray
///     (imgproc/gray.hpp) of the image over white; ink is grey < `threshold`.
///  2. regions: label_regions (geometry/label_regions.hpp, 4-connected, as runs) and
///     merge_speckles (regions under `speckle` input pixels join the neighbour nearest in
///     colour; two passes; for flat palettes and binary ink the area counted is that of the
///     region's 8-connected group of its colour, so 1 px diagonal lines are no specks).
///  2b. region splits (with region fills, when the palette's PSNR is below `split_psnr`):
///     split_regions (color/split_regions.hpp): regions spread along one CIELAB direction are
///     cut in two across it, and labelled again; the fills are then the exact region means.
///  2c. region fills (colour mode, k-means palettes, no transparency kept, `region_colors` > 0):
///     region_fills (color/region_fills.hpp): each region painted with its own mean colour, the
///     means quantized to max(region_colors, colors) fills (65536 after splits); the regions are labelled again, so
///     neighbours given the same fill merge.
///  3. paint order: regions by depth (a region inside another's hole is deeper), then colour.
///     Colour mode: the largest region on the top row is a background rectangle. Binary mode:
///     no background (the page shows through, white), black ink, white for the paper regions
///     off the image border (holes in the ink).
///  4. each region's outline: crack_outline (geometry/crack_outline.hpp), its frame vertices
///     pushed one pixel outward; in colour mode the region is first dilated by one input pixel
///     into the regions painted after it, so each visible boundary is drawn by the upper region
///     and no gap can open between neighbours.
///  5. curves: regions of at least `smooth_min_area` pixels are fitted with corners and cubic
///     Beziers (`alphamax`, `corner_angle_deg`, `tolerance`); smaller ones, and for flat palettes
///     and binary mode hairlines (outlines of mean width at most one input pixel), stay exact
///     pixel polygons.
///  6. SVG: append_closed_curve / append_lattice_polygon (svg/curve_path.hpp) into one
///     svg::path_builder per depth and colour, svg::document; with params.keep_paths the same
///     commands also go into result.paths (geometry/vector_paths.hpp), which the PDF, EPS and DXF
///     writers take.
/// Centerline mode replaces steps 1-6: to_gray of the image over white, trace_centerlines
/// (geometry/centerline.hpp: medial axis, strokes split at junctions, widths from the distance
/// transform; `centerline` parameters, with `threshold` from here; with `stroke_colors`, each
/// palette colour's strokes of a colour image, vectorize_centerline.hpp) and
/// centerline_svg (svg/centerline_svg.hpp: stroked paths, round caps and joins).
/// Shapes: src is width x height with 1-4 interleaved channels; the SVG's user units are
/// pixels (viewBox 0 0 width height), pixel (x, y) covering [x, x+1] x [y, y+1], or 1/10^D
/// pixel when that writes D decimals shorter (stats.units_per_pixel; viewBox scaled).
/// Complexity: O(pixels * upscale^2) for labelling and outlines; curve fitting is quadratic in
/// the worst case per outline, near linear in practice.
/// Determinism: the same input, params and seed give the same document under seq and par.
/// Sources: see each stage; curve fitting after P. Selinger, "Potrace: a polygon-based tracing
/// algorithm", 2003; k-means++ (Arthur & Vassilvitskii 2007) and Lloyd; the sub-pixel
/// upsampling is mkbitmap's interpolate-then-threshold idea.
/// Throws vecta::invalid_argument for an empty image, more than 4 channels, an unknown mode or
/// palette mode, colors outside 1..65536, region_colors above 65536, split_psnr outside 0..100 or NaN, tolerance <= 0
/// or not finite, a corner angle outside (0, 180], alphamax outside [0, 4/3] and not auto_alphamax, upscale outside
/// 0..4, a precision outside 0..6, max_paths or max_nodes 0, stroke_colors outside centerline mode, a centerline field
/// out of its range (in any mode, "params.centerline.<field>"); and naming params.max_paths / params.max_nodes when the
/// document would exceed them (the region count is checked before any curve fitting).
template <execution_policy Policy>
vectorize_result vectorize(const Policy& policy, image_view<const std::uint8_t> src,
                           const vectorize_params& params = {}) {
    return detail::vectorize_image(policy, src, params, nullptr);
}

/// vectorize for an image the caller gives up (e.g. just decoded): binary mode thresholds a
/// 1-channel src in place into its ink instead of a second width x height buffer (64 page
/// faults fewer for 512 x 512, a few per cent of a line-art command). Same result and errors as
/// the image_view overload.
template <execution_policy Policy>
vectorize_result vectorize(const Policy& policy, image<std::uint8_t>&& src, const vectorize_params& params = {}) {
    image<std::uint8_t> owned = std::move(src);
    return detail::vectorize_image(policy, owned.view(), params, &owned);
}

namespace detail {
/// vectorize's steps; `spare`, when not null, owns the pixels `src` views, free to be overwritten.
template <execution_policy Policy>
vectorize_result vectorize_image(const Policy& policy, image_view<const std::uint8_t> src,
                                 const vectorize_params& params, image<std::uint8_t>* spare) {
    constexpr std::string_view fn = "vecta::vectorize";
    detail::require(!params.stroke_colors || params.mode == trace_mode::centerline, fn, "params.stroke_colors",
                    "applies to centerline mode only");
    if (params.max_bytes != 0 || params.min_psnr != 0) return vectorize_budget(policy, src, params);
    const auto t0 = std::chrono::steady_clock::now();
    detail::check_image(src, fn, "src");
    detail::require(src.channels() <= 4, fn, "src", "must have 1 to 4 channels");
    detail::require(
        params.mode == trace_mode::color || params.mode == trace_mode::binary || params.mode == trace_mode::centerline,
        fn, "params.mode", "must be a trace_mode value");
    detail::require(params.palette == palette_mode::automatic || params.palette == palette_mode::kmeans, fn,
                    "params.palette", "must be a palette_mode value");
    detail::require(params.colors >= 1 && params.colors <= 65536, fn, "params.colors", "must be in 1..65536");
    detail::require(params.tolerance > 0 && std::isfinite(params.tolerance), fn, "params.tolerance",
                    "must be a finite number > 0");
    detail::require(params.corner_angle_deg > 0 && params.corner_angle_deg <= 180, fn, "params.corner_angle_deg",
                    "must be in (0, 180]");
    detail::require(
        params.alphamax == vectorize_params::auto_alphamax || (params.alphamax >= 0 && params.alphamax <= 4.0 / 3.0),
        fn, "params.alphamax", "must be in [0, 4/3] or auto_alphamax");
    detail::require(params.upscale >= 0 && params.upscale <= 4, fn, "params.upscale", "must be in 0..4");
    detail::require(
        params.precision == vectorize_params::auto_precision || (params.precision >= 0 && params.precision <= 6), fn,
        "params.precision", "must be in 0..6 or auto_precision");
    detail::require(params.max_paths >= 1, fn, "params.max_paths", "must be >= 1");
    detail::require(params.max_nodes >= 1, fn, "params.max_nodes", "must be >= 1");
    detail::check_salient_params(params.salient_colors, fn, "params.salient_colors.");
    {  // in every mode, as salient_colors; its threshold field is replaced by params.threshold
        centerline_params cp = params.centerline;
        cp.threshold = 1;
        detail::check_centerline_params(cp, fn, "params.centerline.");
    }
    detail::require(params.region_colors <= 65536, fn, "params.region_colors", "must be in 0..65536");
    detail::require(params.split_psnr >= 0 && params.split_psnr <= 100, fn, "params.split_psnr",
                    "must be in 0..100 dB");
    detail::require(src.width() <= 65536 && src.height() <= 65536 && src.pixel_count() < (std::size_t(1) << 30), fn,
                    "src", "must have sides <= 65536 and fewer than 2^30 pixels");
    detail::require(params.upscale <= 1 ||
                        src.pixel_count() * std::size_t(params.upscale * params.upscale) < (std::size_t(1) << 30),
                    fn, "params.upscale", "must leave fewer than 2^30 traced pixels (width x height x upscale^2)");
    using rgb8 = std::array<std::uint8_t, 3>;
    const bool binary = params.mode == trace_mode::binary;
    // The precision of every mode but a dense k-means tracing (decided after step 2).
    const int fixed_precision = params.precision == vectorize_params::auto_precision ? 1 : params.precision;
    // Transparency kept (colour and binary modes, no params.background, some alpha below 255):
    // vectorize_alpha.hpp. Otherwise alpha is composited over the background (white by default).
    // params.keep_paths (PDF, EPS, DXF: vector_paths has no opacity or clip yet) flattens over white.
    const bool keep_alpha =
        !params.background && params.mode != trace_mode::centerline && !params.keep_paths && has_transparency(src);
    const rgb8 background = params.background.value_or(rgb8{255, 255, 255});
    const std::size_t w0 = src.width(), h0 = src.height();
    // Grey of the image over white (binary and centerline modes): to_gray, imgproc/gray.hpp.
    // A 1-channel src is used as it is.
    const image<std::uint8_t> gray = params.mode == trace_mode::color || src.channels() == 1 || keep_alpha
                                         ? image<std::uint8_t>()
                                     : src.channels() == 3 ? to_gray(policy, src)
                                                           : to_gray(policy, rgb_over(src, background).view());
    const image_view<const std::uint8_t> g = src.channels() == 1 ? src : gray.view();
    if (params.mode == trace_mode::centerline) {
        // Centerline mode: medial-axis strokes (geometry/centerline.hpp), SVG by centerline_svg.
        centerline_params cp = params.centerline;
        cp.threshold = std::max(1, int(params.threshold));
        // One layer (the ink of the grey image, drawn black), or with stroke_colors one per palette
        // colour of a colour image (vectorize_centerline.hpp).
        std::vector<detail::centerline_color_layer> layers;
        try {  // errors named as this function's parameters
            if (params.threshold == 0) {
                // no luma is below 0: no ink, as in binary mode
            } else if (params.stroke_colors && src.channels() >= 3) {
                const image<std::uint8_t> rgb = rgb_over(src, background);
                layers = detail::centerline_color_layers(policy, rgb.view(), params.colors,
                                                         params.palette == palette_mode::kmeans, params.seed, cp);
            } else {
                layers.push_back({rgb8{0, 0, 0}, trace_centerlines(policy, g, cp)});
            }
        } catch (const invalid_argument& e) {
            std::string m = e.what();
            const std::string from = "vecta::trace_centerlines: params.";
            if (m.rfind(from, 0) == 0) m = std::string(fn) + ": params.centerline." + m.substr(from.size());
            throw invalid_argument(m);
        }
        std::size_t nodes = 0, paths = 0, regions = 0;
        std::vector<svg::centerline_layer> drawn;
        for (const auto& layer : layers) {
            const centerline_result& traced = layer.traced;
            for (const centerline_stroke& s : traced.strokes) nodes += 1 + std::max(s.curves.size(), s.points.size());
            for (const auto& ring : traced.fill_rings) nodes += 1 + ring.size();
            paths += traced.strokes.size() + (traced.fill_rings.empty() ? 0 : 1);
            regions += traced.strokes.size() + traced.fill_rings.size();
            drawn.push_back({&traced, layer.color});
        }
        if (paths > params.max_paths)
            detail::throw_invalid(fn, "params.max_paths",
                                  "exceeded: the document needs " + std::to_string(paths) + " paths, the limit is " +
                                      std::to_string(params.max_paths));
        if (nodes > params.max_nodes)
            detail::throw_invalid(fn, "params.max_nodes",
                                  "exceeded: the document needs up to " + std::to_string(nodes) +
                                      " path commands, the limit is " + std::to_string(params.max_nodes));
        vectorize_result result;
        result.document =
            svg::centerline_svg(std::span<const svg::centerline_layer>(drawn), w0, h0, {.precision = fixed_precision});
        if (params.keep_paths) {  // as centerline_svg draws them: per layer the fills (even-odd), then each stroke
            result.paths = {.width = w0, .height = h0, .paths = {}};
            for (const auto& layer : layers) {
                const centerline_result& traced = layer.traced;
                if (!traced.fill_rings.empty()) {
                    vector_path fill;
                    fill.color = layer.color;
                    fill.rule = fill_rule::evenodd;
                    for (std::size_t i = 0; i < traced.fill_rings.size(); ++i) {
                        if (i < traced.fill_curves.size() && !traced.fill_curves[i].segments.empty())
                            svg::append_closed_curve(fill, traced.fill_curves[i]);
                        else if (!traced.fill_rings[i].empty())
                            svg::append_lattice_polygon(fill, traced.fill_rings[i]);
                    }
                    result.paths.paths.push_back(std::move(fill));
                }
                for (const centerline_stroke& st : traced.strokes) {
                    vector_path stroke;
                    stroke.color = layer.color;
                    stroke.stroke_width = st.width;
                    svg::append_centerline_stroke(stroke, st);
                    result.paths.paths.push_back(std::move(stroke));
                }
            }
        }
        result.stats.paths = paths;
        result.stats.nodes = nodes;
        result.stats.bytes = result.document.size();
        result.stats.colors = layers.size();
        result.stats.regions = regions;
        result.stats.precision = fixed_precision;
        result.stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return result;
    }

    // 1. Pixels to labels: palette index per traced pixel (colour), 1 for ink (binary).
    std::vector<rgb8> pal;
    image<std::uint16_t> labels;
    image<std::uint8_t> ink, rgb, hi;
    image_view<const std::uint8_t> work;  // the RGB pixels that were labelled (empty in binary mode)
    int k = 1;
    double qpsnr = 0;
    bool flat = false;
    std::vector<rgb8> fills;            // keep_alpha, colour: straight colour per label (pal: over white)
    std::vector<std::uint8_t> opacity;  // keep_alpha, colour: opacity per label, 0 for label 0
    image<std::uint8_t> clip_mask;      // keep_alpha, colour: visible pixels at clip_k per input pixel
    int clip_k = 1;
    if (binary) {
        pal = {rgb8{255, 255, 255}, rgb8{0, 0, 0}};
        // A 1-channel spare (g views it) is thresholded in place: each pixel is read before written.
        ink = keep_alpha                        ? detail::alpha_ink(policy, src, params.threshold)
              : spare && spare->channels() == 1 ? std::move(*spare)
                                                : image<std::uint8_t>(w0, h0, 1);
        for (std::size_t y = 0; !keep_alpha && y < h0; ++y) {
            const std::uint8_t* s = g.row(y);
            std::uint8_t* l = ink.view().row(y);
            for (std::size_t x = 0; x < w0; ++x) l[x] = s[x] < params.threshold ? 1 : 0;
        }
    } else if (keep_alpha) {
        detail::alpha_trace t = detail::alpha_labels(policy, src, params.palette == palette_mode::automatic,
                                                     params.colors, params.seed, params.upscale);
        labels = std::move(t.labels);
        hi = std::move(t.work);
        work = hi.view();
        pal = std::move(t.white);
        fills = std::move(t.fill);
        opacity = std::move(t.alpha);
        clip_mask = std::move(t.mask);
        clip_k = t.mask_k;
        k = t.k;
        flat = t.flat;
        qpsnr = t.qpsnr;
    } else {
        rgb = rgb_over(src, background);
        if (params.palette == palette_mode::automatic) pal = flat_palette(rgb.view(), params.colors);
        flat = !pal.empty();
        if (flat && params.salient) pal = detail::salient_entries(policy, rgb.view(), pal, params.salient_colors, true);
        quantize_result q = flat ? map_to_palette(policy, rgb.view(), std::span<const rgb8>(pal))
                                 : quantize(policy, rgb.view(), {.colors = params.colors, .seed = params.seed});
        if (!flat && params.salient) {
            auto more = detail::salient_entries(policy, rgb.view(), q.palette, params.salient_colors, false);
            if (more.size() > q.palette.size()) q = map_to_palette(policy, rgb.view(), std::span<const rgb8>(more));
        }
        pal = q.palette;
        qpsnr = q.psnr;
        k = params.upscale ? params.upscale : (flat && w0 <= 1024 && h0 <= 1024 ? 2 : 1);
        work = rgb.view();
        if (k > 1) {
            hi = upsample_bilinear(rgb.view(), k);
            work = hi.view();
            q = map_to_palette(policy, work, std::span<const rgb8>(pal));
        }
        labels = std::move(q.labels);
    }
    const std::size_t w = w0 * std::size_t(k), h = h0 * std::size_t(k);

    // 2. Regions, small ones merged into their neighbour (two passes settle most chains).
    auto label_all = [&] { return binary ? label_regions(ink.view()) : label_regions(labels.view()); };
    region_runs regions = label_all();
    const std::size_t speckle = params.speckle != vectorize_params::auto_speckle ? params.speckle
                                : binary                                         ? 2
                                : flat                                           ? 6
                                                                                 : 3;
    for (int pass = 0; speckle > 1 && pass < 2; ++pass) {
        const std::size_t min_area = std::min(speckle, SIZE_MAX / 16) * std::size_t(k * k);
        const std::span<const rgb8> p(pal);
        // Flat palettes and binary ink: specks by their 8-connected group (1 px diagonal lines stay).
        const std::size_t diagonal = (binary || flat) ? std::size_t(k * k) : 0;
        if (!(binary ? merge_speckles(ink.view(), regions, work, p, min_area, diagonal)
                     : merge_speckles(labels.view(), regions, work, p, min_area, diagonal)))
            break;
        regions = label_all();
    }
    std::size_t regions_split = 0;
    if (!binary && !flat && !keep_alpha && params.region_colors > 0) {
        // 2b. Region splits where the palette explains the image poorly (smooth gradients).
        std::size_t fill_count = std::max(params.region_colors, params.colors);
        // Exact means take one fill per region, at most 65536 (16-bit labels): a tracing with
        // more regions (a dense 4K photo) is left whole, as quantizing 65536 fills would cost
        // minutes.
        constexpr std::size_t max_exact = 65536;
        if (qpsnr < params.split_psnr && regions.count() < max_exact) {
            // The stage's defaults count input pixels; traced pixels are k x k of them (--upscale).
            split_regions_params sp;
            sp.min_area *= std::size_t(k * k);
            sp.min_part *= std::size_t(k * k);
            sp.threshold *= k;  // lambda sqrt(A), A in traced pixels
            const split_regions_result cut = split_regions(policy, regions, work, sp);
            if (cut.split > 0) {
                region_runs finer = label_regions(cut.labels.view());
                if (finer.count() <= max_exact) {
                    regions = std::move(finer);
                    fill_count = max_exact;  // exact means: quantized, the two sides of a cut would mostly share a fill
                    regions_split = cut.split;
                }
            }
        }
        quantize_result f = region_fills(policy, regions, work, {.colors = fill_count, .seed = params.seed});
        pal = std::move(f.palette);
        labels = std::move(f.labels);
        regions = label_all();
    }
    const std::size_t min_smooth = std::min(params.smooth_min_area, SIZE_MAX / 16) * std::size_t(k * k);
    const outline_curve_params curve_params{.alphamax = params.alphamax != vectorize_params::auto_alphamax
                                                            ? params.alphamax
                                                        : binary || flat ? 0.85
                                                                         : 0.5,
                                            .corner_angle_deg = params.corner_angle_deg,
                                            .opttolerance = params.tolerance * k};

    // Transparency kept (docs/vectorize.md "Transparency"). Binary: the ink is one even-odd path.
    // Colour: the visible pixels (label != 0) become the even-odd clip of the drawing and the
    // transparent ones take the label of the nearest visible pixel, so that no region is traced
    // along the clip; nothing visible gives an empty document.
    std::string clip;
    if (keep_alpha) {
        // Colour: the clip (the visible pixels at k per input pixel), its speckles merged as binary
        // mode's, by their 8-connected group (a 1 px diagonal visible line stays in the clip).
        image<std::uint8_t> mask = binary ? std::move(ink) : std::move(clip_mask);
        const int mk = binary ? k : clip_k;
        for (int pass = 0; !binary && speckle > 1 && pass < 2; ++pass) {
            const std::array<rgb8, 2> bw{rgb8{255, 255, 255}, rgb8{0, 0, 0}};
            region_runs mr = label_regions(mask.view());
            if (!merge_speckles(mask.view(), mr, {}, std::span<const rgb8>(bw),
                                std::min(speckle, SIZE_MAX / 16) * std::size_t(mk * mk), std::size_t(mk * mk)))
                break;
        }
        bool all_visible = !binary;
        for (std::size_t y = 0; !binary && y < mask.height(); ++y)
            for (std::size_t x = 0; x < mask.width(); ++x) all_visible = all_visible && mask(x, y);
        outline_curve_params mask_curve = curve_params;
        mask_curve.opttolerance = params.tolerance * mk;
        const std::size_t mask_smooth = std::min(params.smooth_min_area, SIZE_MAX / 16) * std::size_t(mk * mk);
        auto traced = detail::mask_path(policy, mask.view(), mk, mask_curve, mask_smooth, fixed_precision);
        if (traced.second > params.max_nodes)
            detail::throw_invalid(fn, "params.max_nodes",
                                  "exceeded: the document needs more than " + std::to_string(params.max_nodes) +
                                      " path commands (raise it or raise params.tolerance)");
        if (binary || !detail::fill_from_nearest(labels.view())) {
            svg::document doc(w0, h0);
            doc.add_path(traced.first, rgb8{0, 0, 0}, {.opacity = 1, .evenodd = true});
            vectorize_result result;
            result.document = doc.str();
            result.stats.paths = doc.paths();
            result.stats.nodes = doc.paths() ? traced.second : 0;
            result.stats.bytes = result.document.size();
            result.stats.colors = doc.paths();
            result.stats.regions = regions.count();
            result.stats.precision = fixed_precision;
            result.stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            return result;
        }
        if (!all_visible) clip = std::move(traced.first);
        regions = label_all();
        pal = std::move(fills);
    }
    const std::size_t nreg = regions.count();
    // Automatic precision: whole pixels for a dense k-means tracing (params.precision's doc).
    const bool dense = !binary && !flat && !keep_alpha && k == 1 &&
                       double(nreg) > vectorize_params::dense_regions_per_pixel * double(w0 * h0);
    const int precision = params.precision != vectorize_params::auto_precision ? params.precision
                          : dense                                              ? 0
                                                                               : fixed_precision;
    if (nreg > params.max_nodes)  // every region needs at least one command
        detail::throw_invalid(fn, "params.max_nodes",
                              "exceeded: the image has " + std::to_string(nreg) + " regions, the limit is " +
                                  std::to_string(params.max_nodes) +
                                  " path commands (raise it, raise params.speckle or lower params.colors)");

    // 3. Paint order. Colour mode: the largest region on the top row is the background.
    std::size_t bg = 0;
    for (std::size_t i = 0; i < nreg; ++i)
        if (regions.depth[i] == 0 && regions.area[i] > regions.area[bg]) bg = i;
    const std::vector<std::uint32_t> order = detail::paint_order(regions, keep_alpha ? SIZE_MAX : bg, binary);
    auto group_ends = [&](std::size_t o) {
        return o + 1 == order.size() || regions.depth[order[o + 1]] != regions.depth[order[o]] ||
               regions.label[order[o + 1]] != regions.label[order[o]];
    };
    {
        std::size_t groups = binary || keep_alpha ? 0 : 1;
        for (std::size_t o = 0; o < order.size(); ++o) groups += group_ends(o) ? 1 : 0;
        if (groups > params.max_paths)
            detail::throw_invalid(fn, "params.max_paths",
                                  "exceeded: the document needs " + std::to_string(groups) + " paths, the limit is " +
                                      std::to_string(params.max_paths) + " (raise it or lower params.colors)");
    }

    // 4 and 5. Outline and curve of every region, in parallel (each task writes its own entries).
    // Colour mode: a region's shape also takes in the pixels of regions painted after it within
    // one input pixel (k traced pixels, square); those regions cover it there, so each visible
    // boundary is traced once, by the upper region. Regions inside the enclosure of such a
    // union are always painted later (they are deeper), so the stacking stays exact.
    std::vector<std::uint32_t> rank_of;  // per traced pixel: 1 + paint position of its region
    if (!binary) {
        std::vector<std::uint32_t> rank(nreg, 0);
        for (std::size_t o = 0; o < order.size(); ++o) rank[order[o]] = std::uint32_t(o + 1);
        rank_of.resize(w * h);
        for (std::size_t r = 0; r < regions.runs.size(); ++r) {
            const auto& run = regions.runs[r];
            std::fill(rank_of.begin() + std::ptrdiff_t(run.y * w + run.x0),
                      rank_of.begin() + std::ptrdiff_t(run.y * w + run.x1), rank[regions.region_of[r]]);
        }
    }
    std::vector<closed_curve> curves(order.size());
    std::vector<std::vector<point2<int>>> polygons(order.size());
    std::vector<detail::mask_shapes> exact(keep_alpha ? order.size() : 0);  // translucent regions
    detail::parallel_for(policy, order.size(), 64, [&](std::size_t begin, std::size_t end) {
        std::vector<point2<int>> outline;
        for (std::size_t o = begin; o < end; ++o) {
            const std::uint32_t id = order[o];
            if (binary) {
                const std::uint8_t label = std::uint8_t(regions.label[id]);
                crack_outline(
                    w, h, regions.first_pixel[id], [&](std::size_t x, std::size_t y) { return ink(x, y) == label; },
                    outline);
            } else {
                const auto me = std::uint32_t(o + 1);
                const auto kk = std::size_t(k);
                auto inside = [&](std::size_t x, std::size_t y) {
                    const std::uint32_t r = rank_of[y * w + x];
                    if (r <= me) return r == me;
                    if (!opacity.empty() && opacity[regions.label[order[r - 1]]] != 255)
                        return false;  // no band under a translucent region: it would show through
                    for (std::size_t yy = y > kk ? y - kk : 0; yy <= std::min(h - 1, y + kk); ++yy)
                        for (std::size_t xx = x > kk ? x - kk : 0; xx <= std::min(w - 1, x + kk); ++xx)
                            if (rank_of[yy * w + xx] == me) return true;
                    return false;
                };
                crack_outline(w, h, regions.first_pixel[id], inside, outline);
                if (!opacity.empty() && opacity[regions.label[id]] != 255) {
                    // Translucent: the exact shape, holes included (even-odd), since what is painted
                    // over it later does not hide it. Traced in the window of its outline.
                    int x0 = int(w), y0 = int(h), x1 = 0, y1 = 0;
                    for (const auto& p : outline)
                        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
                    const std::size_t ox = std::size_t(std::max(0, x0 - 1)), oy = std::size_t(std::max(0, y0 - 1));
                    const std::size_t ex = std::min(w, std::size_t(x1) + 1), ey = std::min(h, std::size_t(y1) + 1);
                    image<std::uint8_t> window(ex - ox, ey - oy, 1);
                    for (std::size_t y = oy; y < ey; ++y)
                        for (std::size_t x = ox; x < ex; ++x) window(x - ox, y - oy) = inside(x, y) ? 1 : 0;
                    exact[o] = detail::trace_mask(seq, window.view(), curve_params, min_smooth, ox, oy, w, h);
                    continue;
                }
            }
            detail::push_frame_out(outline, w, h);
            std::size_t perimeter = 0;
            for (std::size_t i = 0, n = outline.size(); i < n; ++i)
                perimeter += std::size_t(std::abs(outline[(i + 1) % n].x - outline[i].x) +
                                         std::abs(outline[(i + 1) % n].y - outline[i].y));
            // A lone pixel stays a square; so do small regions and, for flat palettes and binary
            // ink, hairlines: regions whose mean width (twice their area over the perimeter of
            // the outline traced) is at most one input pixel, which a smooth curve would pinch
            // into a lens, a triangle or a star (the optimal polygon may cut across a 1 px bar).
            const bool hairline = (binary || flat) && 2 * regions.area[id] <= perimeter * std::size_t(k);
            if (regions.area[id] < min_smooth || perimeter <= 4 || hairline)
                polygons[o] = outline;
            else
                curves[o] = fit_outline_curve(outline, curve_params);
        }
    });

    // 6. SVG: one path per depth and colour, in paint order. With D >= 1 decimals the same
    // coordinates are also written as whole numbers of 10^-D pixel (viewBox scaled by 10^D: no
    // decimal points, and ".5.5" becomes "5 5"), and the shorter document is kept (whole-pixel
    // lattice polygons grow a digit there, so neither always wins). Not with a clip, whose path
    // data mask_path wrote in pixels.
    int tens = 1;
    for (int i = 0; i < precision; ++i) tens *= 10;
    const bool alt = tens > 1 && clip.empty();
    svg::document doc(w0, h0), doc_alt(w0, h0, alt ? tens : 1);
    vector_paths kept{.width = params.keep_paths ? w0 : 0, .height = params.keep_paths ? h0 : 0, .paths = {}};
    doc.clip(clip);
    if (!binary && !keep_alpha) {
        doc.add_background(pal[regions.label[bg]]);
        doc_alt.add_background(pal[regions.label[bg]]);
    }
    if (!binary && !keep_alpha && params.keep_paths)
        kept.paths.push_back(rectangle_path(0, 0, double(w0), double(h0), pal[regions.label[bg]]));
    vectorize_stats stats;
    svg::path_builder b(precision), b_alt(0, alt ? tens : 1);
    vector_path group;  // the kept geometry of the current <path>
    detail::path_tee tee{&b, params.keep_paths ? &group : nullptr, alt ? &b_alt : nullptr};
    for (std::size_t o = 0; o < order.size(); ++o) {
        if (!exact.empty() && !exact[o].polygons.empty())
            detail::append_mask_shapes(tee, exact[o], double(k));
        else if (polygons[o].empty())
            svg::append_closed_curve(tee, curves[o], double(k));
        else
            svg::append_lattice_polygon(tee, polygons[o], double(k));
        if (stats.nodes + b.nodes() > params.max_nodes)
            detail::throw_invalid(fn, "params.max_nodes",
                                  "exceeded: the document needs more than " + std::to_string(params.max_nodes) +
                                      " path commands (raise it, raise params.tolerance or lower params.colors)");
        if (group_ends(o)) {
            const std::uint32_t label = regions.label[order[o]];
            const bool translucent = !opacity.empty() && opacity[label] != 255;
            const svg::document::path_style style{.opacity = translucent ? opacity[label] / 255.0 : 1.0,
                                                  .evenodd = translucent};
            doc.add_path(b.str(), pal[label], style);
            if (alt) doc_alt.add_path(b_alt.str(), pal[label], style);
            stats.nodes += b.nodes();
            b = svg::path_builder(precision);
            if (alt) b_alt = svg::path_builder(0, tens);
            if (params.keep_paths) {
                group.color = pal[regions.label[order[o]]];
                kept.paths.push_back(std::move(group));
                group = vector_path();
            }
        }
    }
    vectorize_result result;
    result.document = doc.str();
    stats.units_per_pixel = 1;
    if (alt) {
        std::string whole = doc_alt.str();
        if (whole.size() < result.document.size()) {
            result.document = std::move(whole);
            stats.units_per_pixel = tens;
        }
    }
    result.paths = std::move(kept);
    stats.paths = doc.paths();
    stats.bytes = result.document.size();
    {  // distinct colours painted (with transparency kept, one colour may have several opacities)
        std::vector<std::uint8_t> used(pal.size(), 0);
        for (std::size_t i = 0; i < nreg; ++i) used[regions.label[i]] = 1;
        std::vector<rgb8> painted;
        for (std::size_t i = 0; i < pal.size(); ++i)
            if (used[i]) painted.push_back(pal[i]);
        std::sort(painted.begin(), painted.end());
        stats.colors = std::size_t(std::unique(painted.begin(), painted.end()) - painted.begin());
    }
    stats.quantize_psnr = qpsnr;
    stats.regions = nreg;
    stats.regions_split = regions_split;
    stats.precision = precision;
    stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    result.stats = stats;
    return result;
}
}  // namespace detail

/// vectorize under vecta::seq.
inline vectorize_result vectorize(image_view<const std::uint8_t> src, const vectorize_params& params = {}) {
    return vectorize(seq, src, params);
}

}  // namespace vecta

#include "vectorize_budget.hpp"  // the budget search vectorize delegates to (composes vectorize)
