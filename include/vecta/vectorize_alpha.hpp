// SPDX-License-Identifier: MIT
// vecta/vectorize_alpha.hpp - the transparency steps of vectorize (docs/vectorize.md
// "Transparency"): colour and opacity labels of an RGBA image, the even-odd path of a mask, ink
// from alpha. Internals of vectorize.hpp (namespace detail).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "color/flat_palette.hpp"
#include "color/palette_map.hpp"
#include "color/quantize.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "core/point.hpp"
#include "geometry/crack_outline.hpp"
#include "geometry/label_regions.hpp"
#include "geometry/outline_curve.hpp"
#include "imgproc/alpha_levels.hpp"
#include "imgproc/gray.hpp"
#include "imgproc/upsample.hpp"
#include "svg/curve_path.hpp"
#include "svg/path_builder.hpp"

namespace vecta::detail {

/// Labels of an image with transparency, at the traced resolution: 0 is transparent, every
/// other label one (colour, opacity level) pair.
struct alpha_trace {
    image<std::uint16_t> labels;
    image<std::uint8_t> work;                        ///< traced pixels over white (RGB), for merge_speckles
    std::vector<std::array<std::uint8_t, 3>> white;  ///< per label: its colour at its opacity over white
    std::vector<std::array<std::uint8_t, 3>> fill;   ///< per label: the straight colour
    std::vector<std::uint8_t> alpha;                 ///< per label: the opacity, 0..255 (label 0: 0)
    int k = 1;                                       ///< traced pixels per input pixel along x and y
    /// The visible pixels (1) at mask_k (= k) mask pixels per input pixel, from the alpha
    /// upsampled on its own (upsample_bilinear) and mapped to levels: the clip.
    image<std::uint8_t> mask;
    int mask_k = 1;
    bool flat = false;  ///< the palette came from flat_palette
    double qpsnr = 0;   ///< palette PSNR over the visible pixels' colours
};

/// vectorize's colour step 1 for an image with an alpha channel (2 or 4 channels). Opacity
/// levels by alpha_levels (imgproc/alpha_levels.hpp); the palette (flat_palette, else quantize)
/// is taken over the straight colours of the pixels that are not transparent; with upsampling
/// the premultiplied pixels are interpolated (upsample_bilinear) and divided by their alpha, so
/// transparent neighbours lend no colour to an edge. O(pixels * (palette + levels)).
/// Throws vecta::invalid_argument ("params.colors") when the (colour, opacity) pairs exceed 65535.
template <execution_policy Policy>
alpha_trace alpha_labels(const Policy& policy, image_view<const std::uint8_t> src, bool automatic, std::size_t colors,
                         std::uint64_t seed, int upscale) {
    using rgb8 = std::array<std::uint8_t, 3>;
    const std::size_t w0 = src.width(), h0 = src.height(), c = src.channels();
    image<std::uint8_t> alpha(w0, h0, 1), premul(w0, h0, 4);
    for (std::size_t y = 0; y < h0; ++y) {
        const std::uint8_t* s = src.row(y);
        for (std::size_t x = 0; x < w0; ++x, s += c) {
            const unsigned a = s[c - 1];
            alpha(x, y) = std::uint8_t(a);
            for (std::size_t i = 0; i < 3; ++i) premul(x, y, i) = std::uint8_t((s[c == 2 ? 0 : i] * a + 127u) / 255u);
            premul(x, y, 3) = std::uint8_t(a);
        }
    }
    const alpha_levels_result lv = alpha_levels(alpha.view());
    auto level_of = [&](std::uint8_t a, std::size_t x, std::size_t y) {  // (x, y) input pixel
        return lv.edge(x, y) ? lv.edge_level[a] : lv.level[a];
    };
    // Straight colours of the visible input pixels, one row, for the palette.
    std::vector<std::size_t> vis;
    for (std::size_t y = 0; y < h0; ++y)
        for (std::size_t x = 0; x < w0; ++x)
            if (level_of(alpha(x, y), x, y) != 0) vis.push_back(y * w0 + x);
    alpha_trace t;
    auto make_mask = [&](int kk) {  // the visible pixels at kk per input pixel
        t.mask_k = kk;
        const image<std::uint8_t> am = upsample_bilinear(alpha.view(), t.mask_k);
        t.mask = image<std::uint8_t>(am.width(), am.height(), 1);
        const auto mk = std::size_t(t.mask_k);
        for (std::size_t y = 0; y < am.height(); ++y)
            for (std::size_t x = 0; x < am.width(); ++x) t.mask(x, y) = level_of(am(x, y), x / mk, y / mk) != 0;
    };
    if (vis.empty()) {  // nothing visible: every traced pixel transparent
        make_mask(1);
        t.labels = image<std::uint16_t>(w0, h0, 1, 0);
        t.work = image<std::uint8_t>(w0, h0, 3, 255);
        t.white = t.fill = {rgb8{255, 255, 255}};
        t.alpha = {0};
        return t;
    }
    image<std::uint8_t> vrgb(vis.size(), 1, 3);
    for (std::size_t i = 0; i < vis.size(); ++i) {
        const std::uint8_t* s = src.row(vis[i] / w0) + (vis[i] % w0) * c;
        for (std::size_t j = 0; j < 3; ++j) vrgb(i, 0, j) = s[c == 2 ? 0 : j];
    }
    std::vector<rgb8> pal;
    if (automatic) pal = flat_palette(vrgb.view(), colors);
    t.flat = !pal.empty();
    quantize_result q = t.flat ? map_to_palette(policy, vrgb.view(), std::span<const rgb8>(pal))
                               : quantize(policy, vrgb.view(), {.colors = colors, .seed = seed});
    pal = q.palette;
    t.qpsnr = q.psnr;
    const int k = upscale ? upscale : (t.flat && w0 <= 1024 && h0 <= 1024 ? 2 : 1);
    t.k = k;
    make_mask(k);
    const std::size_t w = w0 * std::size_t(k), h = h0 * std::size_t(k);
    // Traced pixels: premultiplied (upsampled), straight colour, colour label.
    image<std::uint8_t> up = k > 1 ? upsample_bilinear(premul.view(), k) : std::move(premul);
    image<std::uint8_t> straight(w, h, 3);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const unsigned a = up(x, y, 3);
            for (std::size_t j = 0; j < 3; ++j)
                straight(x, y, j) = a ? std::uint8_t(std::min(255u, (up(x, y, j) * 255u + a / 2) / a)) : 0;
        }
    image<std::uint16_t> colour;
    if (k > 1) {
        colour = map_to_palette(policy, straight.view(), std::span<const rgb8>(pal)).labels;
    } else {
        colour = image<std::uint16_t>(w, h, 1, 0);
        for (std::size_t i = 0; i < vis.size(); ++i) colour(vis[i] % w0, vis[i] / w0) = q.labels(i, 0);
    }
    // (opacity level, colour) pairs, numbered in raster order of first use from 1.
    const std::size_t np = pal.size();
    std::vector<std::uint32_t> id(lv.levels.size() * np, 0);
    t.labels = image<std::uint16_t>(w, h, 1, 0);
    t.work = image<std::uint8_t>(w, h, 3);
    t.white = t.fill = {rgb8{255, 255, 255}};
    t.alpha = {0};
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            for (std::size_t j = 0; j < 3; ++j)
                t.work(x, y, j) = std::uint8_t(std::min(255, up(x, y, j) + 255 - up(x, y, 3)));
            const std::size_t l = level_of(up(x, y, 3), x / std::size_t(k), y / std::size_t(k));
            if (l == 0) continue;
            std::uint32_t& v = id[l * np + colour(x, y)];
            if (v == 0) {
                if (t.fill.size() >= 65536)
                    throw_invalid("vecta::vectorize", "params.colors",
                                  "gives more than 65535 colour and opacity pairs on this image (lower it)");
                v = std::uint32_t(t.fill.size());
                const rgb8 f = pal[colour(x, y)];
                const unsigned a = lv.levels[l];
                rgb8 wcol;
                for (std::size_t j = 0; j < 3; ++j)
                    wcol[j] = std::uint8_t((f[j] * a + 255u * (255u - a) + 127u) / 255u);
                t.fill.push_back(f);
                t.white.push_back(wcol);
                t.alpha.push_back(std::uint8_t(a));
            }
            t.labels(x, y) = std::uint16_t(v);
        }
    // Renumbered by opacity (then first use): vectorize paints equal depths in label order, so a
    // translucent region goes under the opaque ones beside it, which then cover its edge band.
    std::vector<std::uint32_t> by(t.alpha.size());
    for (std::size_t i = 0; i < by.size(); ++i) by[i] = std::uint32_t(i);
    std::stable_sort(by.begin() + 1, by.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return t.alpha[a] < t.alpha[b]; });
    std::vector<std::uint16_t> to(by.size());
    alpha_trace sorted;
    for (std::size_t i = 0; i < by.size(); ++i) {
        to[by[i]] = std::uint16_t(i);
        sorted.white.push_back(t.white[by[i]]);
        sorted.fill.push_back(t.fill[by[i]]);
        sorted.alpha.push_back(t.alpha[by[i]]);
    }
    t.white = std::move(sorted.white), t.fill = std::move(sorted.fill), t.alpha = std::move(sorted.alpha);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) t.labels(x, y) = to[t.labels(x, y)];
    return t;
}

/// Gives every pixel labelled 0 the label of the nearest non-zero pixel (4-connected breadth-
/// first search from all of them at once; ties to the first reached in raster order). O(pixels).
/// Returns false (labels unchanged) when every label is 0.
inline bool fill_from_nearest(image_view<std::uint16_t> labels) {
    const std::size_t w = labels.width(), h = labels.height();
    std::vector<std::size_t> queue;
    queue.reserve(w * h);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            if (labels(x, y) != 0) queue.push_back(y * w + x);
    if (queue.empty()) return false;
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::size_t x = queue[head] % w, y = queue[head] / w;
        const std::uint16_t l = labels(x, y);
        auto visit = [&](std::size_t xx, std::size_t yy) {
            if (labels(xx, yy) == 0) labels(xx, yy) = l, queue.push_back(yy * w + xx);
        };
        if (x > 0) visit(x - 1, y);
        if (x + 1 < w) visit(x + 1, y);
        if (y > 0) visit(x, y - 1);
        if (y + 1 < h) visit(x, y + 1);
    }
    return true;
}

/// True when the centre of pixel (x, y) lies inside the lattice ring (axis-aligned edges between
/// consecutive vertices, closed): even-odd crossings of the ray to +x. O(ring).
inline bool ring_contains(const std::vector<point2<int>>& ring, std::size_t x, std::size_t y) noexcept {
    bool in = false;
    const int px = int(x), py = int(y);
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const point2<int> a = ring[i], b = ring[(i + 1) % n];
        if (a.x == b.x && a.x > px && std::min(a.y, b.y) <= py && py < std::max(a.y, b.y)) in = !in;
    }
    return in;
}

/// The shapes of a 0/1 mask under the even-odd rule: the outline (crack_outline, frame vertices
/// pushed out, fit_outline_curve or an exact polygon under `min_smooth` pixels) of every
/// 1-region, and of every 0-region off the mask's frame whose first pixel lies inside the
/// outline of the 1-region just above it (a hole: 0-regions enclosed only through diagonal
/// contacts of several 1-regions already render as 0). The mask is the window at (ox, oy) of an
/// image of fw x fh pixels: outlines are moved there, and vertices on that image's frame pushed
/// out. Entry i is polygons[i] when it is not empty, else curves[i].
/// O(pixels + outline lengths * holes per region).
struct mask_shapes {
    std::vector<std::vector<point2<int>>> polygons;
    std::vector<closed_curve> curves;
};

template <execution_policy Policy>
mask_shapes trace_mask(const Policy& policy, image_view<const std::uint8_t> mask, const outline_curve_params& curve,
                       std::size_t min_smooth, std::size_t ox, std::size_t oy, std::size_t fw, std::size_t fh) {
    const std::size_t w = mask.width(), h = mask.height();
    const region_runs r = label_regions(mask);
    std::vector<std::uint32_t> ids, slot(r.count(), 0);
    for (std::size_t i = 0; i < r.count(); ++i)
        if (r.label[i] == 1 || !r.on_border[i]) slot[i] = std::uint32_t(ids.size()), ids.push_back(std::uint32_t(i));
    std::vector<std::vector<point2<int>>> rings(ids.size());
    detail::parallel_for(policy, ids.size(), 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
            const std::uint8_t label = std::uint8_t(r.label[ids[o]]);
            crack_outline(
                w, h, r.first_pixel[ids[o]], [&](std::size_t x, std::size_t y) { return mask(x, y) == label; },
                rings[o]);
        }
    });
    std::vector<std::uint8_t> keep(ids.size(), 1);
    for (std::size_t o = 0; o < ids.size(); ++o) {
        if (r.label[ids[o]] == 1) continue;
        const std::size_t x = r.first_pixel[ids[o]] % w, y = r.first_pixel[ids[o]] / w;  // y >= 1: off the frame
        const std::uint32_t above = r.region_of[r.run_at(x, y - 1)];
        keep[o] = ring_contains(rings[slot[above]], x, y) ? 1 : 0;
    }
    mask_shapes out;
    out.polygons.resize(ids.size());
    out.curves.resize(ids.size());
    detail::parallel_for(policy, ids.size(), 64, [&](std::size_t begin, std::size_t end) {
        for (std::size_t o = begin; o < end; ++o) {
            if (!keep[o]) continue;
            auto& ring = rings[o];
            for (auto& p : ring) {  // into the image, then as vectorize's push_frame_out
                p.x += int(ox), p.y += int(oy);
                p.x = p.x == 0 ? -1 : p.x == int(fw) ? int(fw) + 1 : p.x;
                p.y = p.y == 0 ? -1 : p.y == int(fh) ? int(fh) + 1 : p.y;
            }
            std::size_t perimeter = 0;
            for (std::size_t i = 0, n = ring.size(); i < n; ++i)
                perimeter +=
                    std::size_t(std::abs(ring[(i + 1) % n].x - ring[i].x) + std::abs(ring[(i + 1) % n].y - ring[i].y));
            if (r.area[ids[o]] >= min_smooth && perimeter > 4)
                out.curves[o] = fit_outline_curve(ring, curve);
            else
                out.polygons[o] = std::move(ring);
        }
    });
    std::size_t n = 0;  // drop the holes left out
    for (std::size_t o = 0; o < ids.size(); ++o)
        if (keep[o]) {
            if (n != o) {
                out.polygons[n] = std::move(out.polygons[o]);
                out.curves[n] = std::move(out.curves[o]);
            }
            ++n;
        }
    out.polygons.resize(n);
    out.curves.resize(n);
    return out;
}

/// Appends mask_shapes to a path builder (svg::path_builder or anything with its move_to,
/// line_to, cubic_to, close), coordinates divided by `scale`.
template <class Builder>
void append_mask_shapes(Builder& b, const mask_shapes& m, double scale) {
    for (std::size_t i = 0; i < m.polygons.size(); ++i) {
        if (m.polygons[i].empty())
            svg::append_closed_curve(b, m.curves[i], scale);
        else
            svg::append_lattice_polygon(b, m.polygons[i], scale);
    }
}

/// The path data of a whole 0/1 mask under the even-odd rule (trace_mask), at `scale` mask
/// pixels per output unit, and its command count.
template <execution_policy Policy>
std::pair<std::string, std::size_t> mask_path(const Policy& policy, image_view<const std::uint8_t> mask, int scale,
                                              const outline_curve_params& curve, std::size_t min_smooth,
                                              int precision) {
    svg::path_builder b(precision);
    append_mask_shapes(b, trace_mask(policy, mask, curve, min_smooth, 0, 0, mask.width(), mask.height()),
                       double(scale));
    return {b.str(), b.nodes()};
}

/// Binary mode's ink for an image with transparency: a pixel is ink when its alpha is >= 128
/// and, unless fewer than 1 % of those pixels are dark (a light or uniformly coloured shape on
/// nothing: ink is then the opaque pixels), its straight (unpremultiplied) grey is below
/// `threshold` (to_gray, imgproc/gray.hpp). Shapes: src w x h x {2, 4} -> w x h x 1 of 0/1. O(w h).
template <execution_policy Policy>
image<std::uint8_t> alpha_ink(const Policy& policy, image_view<const std::uint8_t> src, std::uint8_t threshold) {
    const std::size_t w = src.width(), h = src.height(), c = src.channels();
    image<std::uint8_t> gray;
    if (c == 4) gray = to_gray(policy, src);
    image<std::uint8_t> ink(w, h, 1, 0);
    std::size_t opaque = 0, dark = 0;
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* s = src.row(y);
        for (std::size_t x = 0; x < w; ++x, s += c) {
            if (s[c - 1] < 128) continue;
            ++opaque;
            const bool d = (c == 4 ? gray(x, y) : s[0]) < threshold;
            dark += d;
            ink(x, y) = d ? 1 : 2;  // 2: opaque and light, decided below
        }
    }
    const bool by_alpha = dark * 100 < opaque;
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x)
            if (ink(x, y) == 2) ink(x, y) = by_alpha ? 1 : 0;
    return ink;
}

}  // namespace vecta::detail
