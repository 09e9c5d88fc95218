// SPDX-License-Identifier: MIT
// vecta/export/dxf.hpp - traced paths as a DXF R2000 drawing of LWPOLYLINE entities, written by
// vecta itself (no library): curves flattened within a stated tolerance, true colours.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "../color/lab.hpp"
#include "../core/error.hpp"
#include "../core/point.hpp"
#include "../geometry/vector_paths.hpp"

namespace vecta {

/// Options of write_dxf.
struct dxf_params {
    /// Most distance, in pixels, between a cubic Bezier and the polyline that replaces it, in
    /// [1e-4, 16]. Lines are written exactly.
    double tolerance = 0.05;
    double scale = 1;   ///< drawing units per pixel, finite, in [1e-6, 1e6]
    int precision = 4;  ///< decimals of the written coordinates, 0..9 (4: 1e-4 units)
};

/// Number of chords that keep a cubic Bezier p0 c1 c2 p3 within `tolerance` of its polyline
/// through n + 1 equally spaced parameter values: the linear interpolant of a C^2 curve on steps
/// of h = 1/n is within h^2/8 max|B''| of it (C. de Boor, A Practical Guide to Splines, 2001,
/// ch. II), and |B''(t)| <= 6 max(|p0 - 2 c1 + c2|, |c1 - 2 c2 + p3|), so
/// n = ceil(sqrt(0.75 d / tolerance)) with d that maximum. Clamped to 1..65536. O(1).
inline std::size_t cubic_flatten_steps(point2d p0, point2d c1, point2d c2, point2d p3, double tolerance) noexcept {
    const double d = std::max(std::hypot(p0.x - 2 * c1.x + c2.x, p0.y - 2 * c1.y + c2.y),
                              std::hypot(c1.x - 2 * c2.x + p3.x, c1.y - 2 * c2.y + p3.y));
    const double n = std::ceil(std::sqrt(0.75 * d / tolerance));
    return !(n >= 1) ? 1 : n > 65536 ? 65536 : std::size_t(n);
}

/// The AutoCAD Color Index (ACI) entry nearest to an sRGB colour by CIE76 distance in CIELAB.
/// The ACI table: 1-6 red, yellow, green, cyan, blue, magenta; 7 taken as black (it plots black
/// on white paper); 8 and 9 greys 128 and 192; 10-249 24 hues 15 degrees apart, each at values
/// 255, 165, 127, 76, 38 (floor of value x the saturated hue), and at each value a half-saturated
/// tint (value x (hue + white) / 2); 250-255 greys 51, 91, 132, 173, 214, 255. O(255).
inline int nearest_aci(std::array<std::uint8_t, 3> c) noexcept {
    static const std::array<std::array<float, 3>, 256> lab = [] {
        std::array<std::array<float, 3>, 256> t{};
        auto put = [&](int i, double r, double g, double b) {
            t[std::size_t(i)] = rgb_to_lab(std::uint8_t(r), std::uint8_t(g), std::uint8_t(b));
        };
        put(0, 0, 0, 0);  // unused (BYBLOCK)
        put(1, 255, 0, 0), put(2, 255, 255, 0), put(3, 0, 255, 0), put(4, 0, 255, 255), put(5, 0, 0, 255);
        put(6, 255, 0, 255), put(7, 0, 0, 0), put(8, 128, 128, 128), put(9, 192, 192, 192);
        constexpr double values[5] = {255, 165, 127, 76, 38};
        for (int h = 0; h < 24; ++h) {
            const double hp = h * 15 / 60.0;  // HSV hue sector position, S = V = 1
            const double x = 1 - std::abs(std::fmod(hp, 2.0) - 1);
            double r = 0, g = 0, b = 0;
            switch (int(hp)) {
                case 0: r = 1, g = x; break;
                case 1: r = x, g = 1; break;
                case 2: g = 1, b = x; break;
                case 3: g = x, b = 1; break;
                case 4: r = x, b = 1; break;
                default: r = 1, b = x; break;
            }
            for (int v = 0; v < 5; ++v) {
                const double s = values[v];
                put(10 + 10 * h + 2 * v, std::floor(s * r), std::floor(s * g), std::floor(s * b));
                put(11 + 10 * h + 2 * v, std::floor(s * (r + 1) / 2), std::floor(s * (g + 1) / 2),
                    std::floor(s * (b + 1) / 2));
            }
        }
        constexpr double greys[6] = {51, 91, 132, 173, 214, 255};
        for (int i = 0; i < 6; ++i) put(250 + i, greys[i], greys[i], greys[i]);
        return t;
    }();
    const auto q = rgb_to_lab(c[0], c[1], c[2]);
    int best = 1;
    float bd = std::numeric_limits<float>::max();
    for (int i = 1; i < 256; ++i) {
        const auto& e = lab[std::size_t(i)];
        const float d = (e[0] - q[0]) * (e[0] - q[0]) + (e[1] - q[1]) * (e[1] - q[1]) + (e[2] - q[2]) * (e[2] - q[2]);
        if (d < bd) bd = d, best = i;
    }
    return best;
}

namespace detail {

/// Appends DXF group code / value pairs (one per line, as DXF's ASCII form wants them).
class dxf_writer {
public:
    explicit dxf_writer(int precision) : precision_(precision) {}
    void group(int code, std::string_view value) {
        number_int(code);
        text_ += value;
        text_ += '\n';
    }
    void group(int code, long long value) {
        number_int(code);
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, value);
        text_.append(buf, r.ptr);
        text_ += '\n';
    }
    void group_real(int code, double value) {
        number_int(code);
        char buf[64];
        if (std::abs(value) < 0.5 * std::pow(10.0, -precision_)) value = 0;  // no "-0.0000"
        const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, precision_);
        text_.append(buf, r.ptr);
        text_ += '\n';
    }
    void handle(unsigned long long h) {
        number_int(5);
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, h, 16);
        for (char* p = buf; p != r.ptr; ++p) *p = char(*p >= 'a' ? *p - 'a' + 'A' : *p);
        text_.append(buf, r.ptr);
        text_ += '\n';
    }
    std::string& text() noexcept { return text_; }

private:
    void number_int(int code) {
        char buf[16];
        const auto r = std::to_chars(buf, buf + sizeof buf, code);
        text_.append(buf, r.ptr);
        text_ += '\n';
    }
    int precision_;
    std::string text_;
};

}  // namespace detail

/// Writes traced paths (vectorize_result::paths, from vectorize with params.keep_paths = true)
/// as an ASCII DXF R2000 (AC1015) drawing to `out` and returns the number of entities written.
///
/// One LWPOLYLINE per subpath, in paint order: closed (group 70 = 1) for closed subpaths, open
/// otherwise; stroked paths (centerline mode) carry their stroke width as the constant width
/// (group 43). Cubic Beziers are flattened into chords at equal parameter steps, enough of them
/// (cubic_flatten_steps) that every point of the curve is within params.tolerance pixels of the
/// polyline and back; lines stay exact. Repeated vertices are dropped; a subpath left with fewer
/// than 2 vertices is not written.
/// Units: pixels times params.scale, y flipped (DXF is y-up): pixel coordinates (x, y) become
/// (x * scale, (height - y) * scale), so the drawing occupies [0, width] x [0, height] with the
/// image's top-left corner at (0, height). $INSUNITS is 0 (unitless).
/// Colours: the exact sRGB colour as a true colour (group 420, 0xRRGGBB: read by AutoCAD 2004+,
/// ezdxf, LibreCAD, most cutter software), and the nearest ACI index (group 62, nearest_aci)
/// for readers that know only indexed colours. Fill rule and opacity are not represented: DXF
/// polylines are outlines (a filled view paints them in entity order, which is how the SVG
/// stacks them).
/// The file has a HEADER ($ACADVER, $INSUNITS, $EXTMIN, $EXTMAX, $HANDSEED) and an ENTITIES
/// section with a handle per entity: the minimal structure (no TABLES, BLOCKS or OBJECTS; readers
/// supply the defaults). Read back by ezdxf in the tests, with no audit error; not tried in
/// AutoCAD itself.
/// Complexity: O(commands + chords). Source: Autodesk, DXF Reference (AutoCAD 2012), sections
/// HEADER, Common Entity Group Codes and LWPOLYLINE.
/// Throws vecta::invalid_argument naming "paths" when it is malformed (check_vector_paths:
/// e.g. empty, as from vectorize without keep_paths) and "params.tolerance", "params.scale" or
/// "params.precision" when out of range; vecta::io_error when `out` fails.
inline std::size_t write_dxf(const vector_paths& paths, std::ostream& out, const dxf_params& params = {}) {
    constexpr std::string_view fn = "vecta::write_dxf";
    detail::require(params.tolerance >= 1e-4 && params.tolerance <= 16, fn, "params.tolerance",
                    "must be in [1e-4, 16] pixels");
    detail::require(std::isfinite(params.scale) && params.scale >= 1e-6 && params.scale <= 1e6, fn, "params.scale",
                    "must be in [1e-6, 1e6]");
    detail::require(params.precision >= 0 && params.precision <= 9, fn, "params.precision", "must be in 0..9");
    detail::check_vector_paths(paths, fn, "paths");
    const double s = params.scale, top = double(paths.height);
    auto put = [&](point2d p) { return point2d{p.x * s, (top - p.y) * s}; };

    detail::dxf_writer body(params.precision);
    unsigned long long handle = 0x100;
    std::size_t entities = 0;
    std::vector<point2d> ring;
    auto flush = [&](const vector_path& p, bool closed) {
        if (closed && ring.size() > 1 && ring.back().x == ring.front().x && ring.back().y == ring.front().y)
            ring.pop_back();
        if (ring.size() >= 2) {
            body.group(0, "LWPOLYLINE");
            body.handle(handle++);
            body.group(100, "AcDbEntity");
            body.group(8, "0");
            body.group(62, nearest_aci(p.color));
            body.group(420, (long long)(p.color[0]) << 16 | (long long)(p.color[1]) << 8 | p.color[2]);
            body.group(100, "AcDbPolyline");
            body.group(90, (long long)ring.size());
            body.group(70, closed ? 1 : 0);
            if (p.stroke_width > 0) body.group_real(43, p.stroke_width * s);
            for (const point2d& q : ring) {
                body.group_real(10, q.x);
                body.group_real(20, q.y);
            }
            ++entities;
        }
        ring.clear();
    };
    auto add = [&](point2d q) {
        if (ring.empty() || ring.back().x != q.x || ring.back().y != q.y) ring.push_back(q);
    };
    for (const vector_path& p : paths.paths) {
        std::size_t k = 0;  // next point
        point2d cur{}, start{};
        bool open = false;
        for (const path_op op : p.ops) {
            switch (op) {
                case path_op::move:
                    if (open) flush(p, false);
                    cur = start = p.points[k++];
                    add(put(cur));
                    open = true;
                    break;
                case path_op::line:
                    cur = p.points[k++];
                    add(put(cur));
                    break;
                case path_op::cubic: {
                    const point2d c1 = p.points[k], c2 = p.points[k + 1], e = p.points[k + 2];
                    k += 3;
                    const std::size_t n = cubic_flatten_steps(cur, c1, c2, e, params.tolerance);
                    for (std::size_t i = 1; i < n; ++i) {
                        const double t = double(i) / double(n), u = 1 - t;
                        const double b0 = u * u * u, b1 = 3 * u * u * t, b2 = 3 * u * t * t, b3 = t * t * t;
                        add(put({b0 * cur.x + b1 * c1.x + b2 * c2.x + b3 * e.x,
                                 b0 * cur.y + b1 * c1.y + b2 * c2.y + b3 * e.y}));
                    }
                    add(put(e));
                    cur = e;
                    break;
                }
                case path_op::close:
                    flush(p, true);
                    cur = start;
                    open = false;
                    break;
            }
        }
        if (open) flush(p, false);
    }

    detail::dxf_writer head(params.precision);
    head.group(0, "SECTION");
    head.group(2, "HEADER");
    head.group(9, "$ACADVER");
    head.group(1, "AC1015");
    head.group(9, "$INSUNITS");
    head.group(70, 0);
    head.group(9, "$EXTMIN");
    head.group_real(10, 0);
    head.group_real(20, 0);
    head.group_real(30, 0);
    head.group(9, "$EXTMAX");
    head.group_real(10, double(paths.width) * s);
    head.group_real(20, top * s);
    head.group_real(30, 0);
    head.group(9, "$HANDSEED");
    {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, handle, 16);
        for (char* c = buf; c != r.ptr; ++c) *c = char(*c >= 'a' ? *c - 'a' + 'A' : *c);
        head.group(5, std::string_view(buf, std::size_t(r.ptr - buf)));
    }
    head.group(0, "ENDSEC");
    head.group(0, "SECTION");
    head.group(2, "ENTITIES");
    body.group(0, "ENDSEC");
    body.group(0, "EOF");
    out.write(head.text().data(), std::streamsize(head.text().size()));
    out.write(body.text().data(), std::streamsize(body.text().size()));
    if (!out) throw io_error("vecta::write_dxf: writing to the output stream failed");
    return entities;
}

}  // namespace vecta
