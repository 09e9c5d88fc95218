// SPDX-License-Identifier: MIT
// vecta/svg/rasterize.hpp - renders filled SVG path data back to pixels (anti-aliased by exact
// area coverage), so that a document vecta wrote can be scored without an external renderer.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"

namespace vecta {

namespace detail {

/// Signed-area coverage accumulator of one canvas (the accumulation-buffer formulation of
/// exact-area scan conversion: each edge adds, per pixel it crosses, its signed height times the
/// part of that pixel left of it to the pixel and the rest to the next one, so that a running
/// sum along the row is the winding coverage of each pixel centre's cell). Rows keep the
/// columns they touched so compositing and clearing cost only those.
class raster_coverage {
public:
    raster_coverage(std::size_t w, std::size_t h)
        : w_(w), h_(h), acc_((w + 2) * h, 0.0f), xmin_(h, w + 1), xmax_(h, 0) {}

    /// Adds the edge (x0, y0) -> (x1, y1) in pixel units; downward edges add, upward ones subtract.
    void line(double x0, double y0, double x1, double y1) {
        if (y0 == y1) return;
        double dir = 1;
        if (y0 > y1) {
            std::swap(x0, x1);
            std::swap(y0, y1);
            dir = -1;
        }
        const double ylo = std::max(y0, 0.0), yhi = std::min(y1, double(h_));
        if (ylo >= yhi) return;
        const double dxdy = (x1 - x0) / (y1 - y0);
        for (auto row = std::size_t(ylo); row < h_ && double(row) < yhi; ++row) {
            const double ya = std::max(ylo, double(row)), yb = std::min(yhi, double(row) + 1);
            if (yb <= ya) continue;
            slice(row, x0 + (ya - y0) * dxdy, x0 + (yb - y0) * dxdy, dir * (yb - ya));
        }
    }

    /// Composites fill (opacity a) over dst (3 channels, w x h) with coverage min(1, |winding|)
    /// (the nonzero rule, exact where subpaths do not overlap) and clears the accumulator.
    void composite(image_view<std::uint8_t> dst, std::array<std::uint8_t, 3> fill, double a) {
        for (std::size_t y = 0; y < h_; ++y) {
            if (xmin_[y] > xmax_[y]) continue;
            float* acc = acc_.data() + y * (w_ + 2);
            std::uint8_t* out = dst.row(y);
            float run = 0;
            for (std::size_t x = xmin_[y]; x <= xmax_[y]; ++x) {
                run += acc[x];
                acc[x] = 0;
                if (x >= w_) continue;
                const double c = std::min(1.0, double(std::abs(run))) * a;
                if (c <= 0) continue;
                for (int ch = 0; ch < 3; ++ch) {
                    const double v = double(out[3 * x + ch]) * (1 - c) + double(fill[std::size_t(ch)]) * c;
                    out[3 * x + ch] = std::uint8_t(std::clamp(std::lround(v), 0L, 255L));
                }
            }
            xmin_[y] = w_ + 1;
            xmax_[y] = 0;
        }
    }

private:
    void add(std::size_t row, std::size_t col, float v) {
        acc_[row * (w_ + 2) + col] += v;
        xmin_[row] = std::min(xmin_[row], col);
        xmax_[row] = std::max(xmax_[row], col);
    }

    /// One row's part of an edge: x from xa (top) to xb (bottom), signed height d.
    void slice(std::size_t row, double xa, double xb, double d) {
        const double lo = std::min(xa, xb), hi = std::max(xa, xb), W = double(w_);
        if (lo >= W) {  // right of the canvas: no visible pixel, but the row's sum must return to 0
            add(row, w_, float(d));
            return;
        }
        if (hi - lo < 1e-12) {  // vertical
            const double x = std::max(lo, 0.0);
            const auto i = std::size_t(x);
            const double f = x - double(i);
            add(row, i, float(d * (1 - f)));
            add(row, i + 1, float(d * f));
            return;
        }
        const double span = hi - lo;
        if (lo < 0) add(row, 0, float(d * (std::min(hi, 0.0) - lo) / span));  // left of the canvas: full cover
        const double a0 = std::max(lo, 0.0), a1 = std::min(hi, W);
        for (auto i = std::size_t(a0); double(i) < a1; ++i) {
            const double s0 = std::max(a0, double(i)), s1 = std::min(a1, double(i) + 1);
            if (s1 <= s0) continue;
            const double part = d * (s1 - s0) / span, mid = (s0 + s1) / 2 - double(i);
            add(row, i, float(part * (1 - mid)));
            add(row, i + 1, float(part * mid));
        }
        if (hi > W) add(row, w_, float(d * (hi - std::max(lo, W)) / span));
    }

    std::size_t w_, h_;
    std::vector<float> acc_;
    std::vector<std::size_t> xmin_, xmax_;
};

/// Parses SVG path data (SVG 1.1 section 8.3: M, L, H, V, C, Z, absolute and relative, implicit
/// repeats) into edges of `cov`, cubics flattened to within about 0.1 pixel. A user-unit point
/// (x, y) is the pixel point (x * units.sx + units.tx, y * units.sy + units.ty) (a viewBox).
/// Throws vecta::invalid_argument naming `d` for other commands, malformed or non-finite numbers.
struct svg_units {
    double sx = 1, sy = 1, tx = 0, ty = 0;
};
inline void add_svg_path_data(raster_coverage& cov, std::string_view d, svg_units units = {}) {
    constexpr std::string_view fn = "vecta::svg::rasterize";
    std::size_t i = 0;
    auto skip = [&] {
        while (i < d.size() && (d[i] == ' ' || d[i] == ',' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r')) ++i;
    };
    auto number = [&]() -> double {
        skip();
        if (i < d.size() && d[i] == '+') ++i;
        double v = 0;
        const auto [p, ec] = std::from_chars(d.data() + i, d.data() + d.size(), v);
        if (ec != std::errc() || !std::isfinite(v) || std::abs(v) > 1e9)
            ::vecta::detail::throw_invalid(fn, "d", "holds a malformed or out-of-range number");
        i = std::size_t(p - d.data());
        return v;
    };
    auto has_number = [&] {
        skip();
        return i < d.size() && (d[i] == '-' || d[i] == '+' || d[i] == '.' || (d[i] >= '0' && d[i] <= '9'));
    };
    auto edge = [&](double x0, double y0, double x1, double y1) {
        cov.line(x0 * units.sx + units.tx, y0 * units.sy + units.ty, x1 * units.sx + units.tx,
                 y1 * units.sy + units.ty);
    };
    double cx = 0, cy = 0, sx = 0, sy = 0;
    bool open = false;
    auto close = [&] {
        if (open) edge(cx, cy, sx, sy);
        cx = sx, cy = sy;
        open = false;
    };
    char cmd = 0;
    while (true) {
        skip();
        if (i >= d.size()) break;
        const char c = d[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            cmd = c;
            ++i;
        } else if (cmd == 0 || cmd == 'z' || cmd == 'Z') {
            ::vecta::detail::throw_invalid(fn, "d", "must start each run of numbers with a command");
        }
        const bool rel = cmd >= 'a';
        const double ox = rel ? cx : 0, oy = rel ? cy : 0;
        switch (cmd) {
            case 'M':
            case 'm': {
                close();
                const double x = number() + ox, y = number() + oy;
                cx = sx = x, cy = sy = y;
                open = true;
                cmd = rel ? 'l' : 'L';  // further pairs are line-tos
                break;
            }
            case 'L':
            case 'l': {
                const double x = number() + ox, y = number() + oy;
                edge(cx, cy, x, y);
                cx = x, cy = y;
                break;
            }
            case 'H':
            case 'h': {
                const double x = number() + ox;
                edge(cx, cy, x, cy);
                cx = x;
                break;
            }
            case 'V':
            case 'v': {
                const double y = number() + oy;
                edge(cx, cy, cx, y);
                cy = y;
                break;
            }
            case 'C':
            case 'c': {
                const double x1 = number() + ox, y1 = number() + oy, x2 = number() + ox, y2 = number() + oy;
                const double x3 = number() + ox, y3 = number() + oy;
                // Uniform steps: a cubic's distance to its n-step polyline is at most
                // 3/4 max|second difference| / n^2 (the bound behind fixed-step flattening).
                const double dd = std::max(std::hypot((cx - 2 * x1 + x2) * units.sx, (cy - 2 * y1 + y2) * units.sy),
                                           std::hypot((x1 - 2 * x2 + x3) * units.sx, (y1 - 2 * y2 + y3) * units.sy));
                const int n = int(std::clamp(std::ceil(std::sqrt(0.75 * dd / 0.1)), 1.0, 64.0));
                double px = cx, py = cy;
                for (int s = 1; s <= n; ++s) {
                    const double t = double(s) / n, u = 1 - t;
                    const double x = u * u * u * cx + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
                    const double y = u * u * u * cy + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
                    edge(px, py, x, y);
                    px = x, py = y;
                }
                cx = x3, cy = y3;
                break;
            }
            case 'Z':
            case 'z':
                close();
                open = true;  // a command after z starts at the subpath's start
                if (has_number()) ::vecta::detail::throw_invalid(fn, "d", "has numbers after z");
                break;
            default: ::vecta::detail::throw_invalid(fn, "d", "holds a command other than M, L, H, V, C, Z");
        }
    }
    close();
}

inline std::array<std::uint8_t, 3> parse_svg_hex_color(std::string_view v) {
    auto hex = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        ::vecta::detail::throw_invalid("vecta::svg::render_document", "document",
                                       "holds a fill that is not #rgb or #rrggbb");
    };
    if (v.size() == 4 && v[0] == '#')
        return {std::uint8_t(hex(v[1]) * 17), std::uint8_t(hex(v[2]) * 17), std::uint8_t(hex(v[3]) * 17)};
    if (v.size() == 7 && v[0] == '#')
        return {std::uint8_t(hex(v[1]) * 16 + hex(v[2])), std::uint8_t(hex(v[3]) * 16 + hex(v[4])),
                std::uint8_t(hex(v[5]) * 16 + hex(v[6]))};
    ::vecta::detail::throw_invalid("vecta::svg::render_document", "document",
                                   "holds a fill that is not #rgb or #rrggbb");
}

/// Value of attribute `name` in the element text `el` (double-quoted), or empty.
inline std::string_view svg_attribute(std::string_view el, std::string_view name) {
    for (std::size_t at = el.find(name); at != std::string_view::npos; at = el.find(name, at + 1)) {
        const std::size_t q = at + name.size();
        if ((at > 0 && el[at - 1] != ' ') || q + 1 >= el.size() || el[q] != '=' || el[q + 1] != '"') continue;
        const std::size_t end = el.find('"', q + 2);
        if (end == std::string_view::npos) return {};
        return el.substr(q + 2, end - q - 2);
    }
    return {};
}

}  // namespace detail

namespace svg {

/// Fills SVG path data `d` (M/L/H/V/C/Z, absolute or relative; user units = pixels, pixel
/// (x, y) covering [x, x+1] x [y, y+1]) with `fill` at `opacity` over `dst` (RGB, 3 channels),
/// anti-aliased by exact area coverage under the nonzero rule (coverage min(1, |winding|),
/// exact where subpaths do not overlap). O(edges' pixel crossings + touched row spans).
/// Throws vecta::invalid_argument naming dst (not 3 channels), opacity (outside [0, 1]) or d
/// (a malformed number, a non-finite or |v| > 1e9 coordinate, another command).
inline void fill_path(image_view<std::uint8_t> dst, std::string_view d, std::array<std::uint8_t, 3> fill,
                      double opacity = 1.0) {
    ::vecta::detail::check_image(dst, "vecta::svg::fill_path", "dst", 3);
    ::vecta::detail::require(opacity >= 0 && opacity <= 1, "vecta::svg::fill_path", "opacity", "must be in [0, 1]");
    ::vecta::detail::raster_coverage cov(dst.width(), dst.height());
    ::vecta::detail::add_svg_path_data(cov, d);
    cov.composite(dst, fill, opacity);
}

/// Renders a document of filled <rect> and <path> elements, as svg::document writes them
/// (attributes fill="#rgb|#rrggbb", fill-opacity, d; a rect covers x, y, width, height, by
/// default the canvas), at width x height pixels over `background` (white by default), in
/// document order. The viewBox of the <svg> element (min-x min-y w h, w and h > 0) maps user
/// units onto the canvas (stretched, as preserveAspectRatio="none"; svg::document writes the
/// canvas's own aspect); without one, user units are pixels. Elements other than rect and path
/// are ignored, as are fills other than hex colours ("none" paints nothing). This is the
/// renderer vecta's budget search scores with (vectorize_budget.hpp); it is not a general SVG
/// renderer. O(width x height + path crossings). Throws vecta::invalid_argument naming width or
/// height (0, or more than 2^28 pixels) or document (malformed path data or colour).
inline image<std::uint8_t> render_document(std::string_view document, std::size_t width, std::size_t height,
                                           std::array<std::uint8_t, 3> background = {255, 255, 255}) {
    constexpr std::string_view fn = "vecta::svg::render_document";
    ::vecta::detail::require(width > 0, fn, "width", "must be > 0");
    ::vecta::detail::require(height > 0, fn, "height", "must be > 0");
    ::vecta::detail::require(width <= (std::size_t(1) << 28) / height, fn, "width", "times height must be <= 2^28");
    image<std::uint8_t> out(width, height, 3);
    for (std::size_t y = 0; y < height; ++y)
        for (std::size_t x = 0; x < width; ++x)
            for (std::size_t c = 0; c < 3; ++c) out(x, y, c) = background[c];
    ::vecta::detail::raster_coverage cov(width, height);
    ::vecta::detail::svg_units units;
    if (const std::size_t at = document.find("<svg"); at != std::string_view::npos) {
        const std::size_t end = document.find('>', at);
        const std::string_view vb = ::vecta::detail::svg_attribute(
            document.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at), "viewBox");
        double v[4] = {0, 0, 0, 0};
        std::size_t i = 0, n = 0;
        for (; n < 4; ++n) {
            while (i < vb.size() && (vb[i] == ' ' || vb[i] == ',')) ++i;
            const auto [p, ec] = std::from_chars(vb.data() + i, vb.data() + vb.size(), v[n]);
            if (ec != std::errc() || !std::isfinite(v[n]) || std::abs(v[n]) > 1e9) break;
            i = std::size_t(p - vb.data());
        }
        if (!vb.empty() && (n < 4 || !(v[2] > 0) || !(v[3] > 0)))
            ::vecta::detail::throw_invalid(fn, "document", "holds a malformed viewBox");
        if (n == 4)
            units = {double(width) / v[2], double(height) / v[3], -v[0] * double(width) / v[2],
                     -v[1] * double(height) / v[3]};
    }
    for (std::size_t at = document.find('<'); at != std::string_view::npos; at = document.find('<', at + 1)) {
        const std::size_t end = document.find('>', at);
        if (end == std::string_view::npos) break;
        const std::string_view el = document.substr(at, end - at);
        const bool rect = el.starts_with("<rect "), path = el.starts_with("<path ");
        if (!rect && !path) continue;
        const std::string_view f = ::vecta::detail::svg_attribute(el, "fill");
        if (f.empty() || f == "none") continue;
        const auto fill = ::vecta::detail::parse_svg_hex_color(f);
        double opacity = 1;
        if (const std::string_view o = ::vecta::detail::svg_attribute(el, "fill-opacity"); !o.empty()) {
            const auto [p, ec] = std::from_chars(o.data(), o.data() + o.size(), opacity);
            if (ec != std::errc() || !(opacity >= 0 && opacity <= 1))
                ::vecta::detail::throw_invalid(fn, "document", "holds a fill-opacity outside [0, 1]");
        }
        try {
            if (path) {
                ::vecta::detail::add_svg_path_data(cov, ::vecta::detail::svg_attribute(el, "d"), units);
            } else {
                auto num = [&](std::string_view name, double dflt) {
                    const std::string_view v = ::vecta::detail::svg_attribute(el, name);
                    double r = dflt;
                    if (!v.empty()) {
                        const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), r);
                        if (ec != std::errc() || !std::isfinite(r) || std::abs(r) > 1e9)
                            ::vecta::detail::throw_invalid(fn, "document", "holds a malformed rect");
                    }
                    return r;
                };
                const double x = num("x", 0) * units.sx + units.tx, y = num("y", 0) * units.sy + units.ty;
                const double w = num("width", double(width) / units.sx) * units.sx,
                             h = num("height", double(height) / units.sy) * units.sy;
                cov.line(x, y, x, y + h);
                cov.line(x + w, y + h, x + w, y);
            }
        } catch (const invalid_argument&) {
            ::vecta::detail::throw_invalid(fn, "document", "holds malformed path data");
        }
        cov.composite(out.view(), fill, opacity);
    }
    return out;
}

}  // namespace svg
}  // namespace vecta
