// SPDX-License-Identifier: MIT
// vecta/svg/document.hpp - an SVG document of filled paths.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "../core/error.hpp"

namespace vecta::svg {

using rgb = std::array<std::uint8_t, 3>;

/// "#rgb" when every channel is a repeated hex digit, else "#rrggbb".
inline std::string hex_color(rgb c) {
    char buf[8];
    if (c[0] % 17 == 0 && c[1] % 17 == 0 && c[2] % 17 == 0)
        std::snprintf(buf, sizeof buf, "#%x%x%x", c[0] / 17, c[1] / 17, c[2] / 17);
    else
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
    return buf;
}

/// An SVG 1.1 document of `width` x `height` pixels (the width and height attributes) drawn in
/// user units of 1 / `units_per_pixel` pixel (viewBox 0 0 width*u height*u; path data and the
/// background in those units, as svg::path_builder writes them with the same units_per_pixel),
/// in the order paths are added (later paths on top). Filled paths carry `d` and `fill`, and
/// `fill-opacity` / `fill-rule` when a path_style asks for them; clip() clips the whole drawing.
class document {
public:
    /// Throws vecta::invalid_argument unless width and height are positive and units_per_pixel
    /// is in 1..10^6.
    document(std::size_t width, std::size_t height, int units_per_pixel = 1)
        : width_(width), height_(height), units_(units_per_pixel) {
        detail::require(width > 0, "vecta::svg::document", "width", "must be > 0");
        detail::require(height > 0, "vecta::svg::document", "height", "must be > 0");
        detail::require(units_per_pixel >= 1 && units_per_pixel <= 1000000, "vecta::svg::document", "units_per_pixel",
                        "must be in 1..10^6");
        body_.reserve(4096);
    }

    /// Adds a filled path (path data as path_builder writes it); empty data is skipped. O(d).
    /// Throws vecta::invalid_argument ("d") when d holds a character path data cannot contain
    /// (SVG 1.1 section 8.3: command letters, digits, signs, '.', exponents, whitespace, ','),
    /// so that no quote, '<' or '&' can break out of the attribute.
    void add_path(std::string_view d, rgb fill) { add_path(d, fill, path_style{}); }

    /// How add_path paints beyond the colour.
    struct path_style {
        double opacity = 1;    ///< fill-opacity, [0, 1]; written (3 decimals) only below 1
        bool evenodd = false;  ///< fill-rule="evenodd" instead of the default nonzero
    };

    /// add_path with a fill opacity and fill rule. Throws vecta::invalid_argument ("d") as above,
    /// ("style") for an opacity outside [0, 1] or NaN.
    void add_path(std::string_view d, rgb fill, path_style style) {
        if (d.empty()) return;
        check_path_data(d, "vecta::svg::document::add_path");
        detail::require(style.opacity >= 0 && style.opacity <= 1, "vecta::svg::document::add_path", "style",
                        "opacity must be in [0, 1]");
        body_ += "<path fill=\"";
        body_ += hex_color(fill);
        if (style.opacity < 1) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%.3f", style.opacity);
            std::string o = buf;  // "0.314" -> ".314", trailing zeros dropped
            while (o.back() == '0') o.pop_back();
            if (o.back() == '.') o += '0';
            body_ += "\" fill-opacity=\"" + (o.rfind("0.", 0) == 0 ? o.substr(1) : o);
        }
        if (style.evenodd) body_ += "\" fill-rule=\"evenodd";
        body_ += "\" d=\"";
        body_ += d;
        body_ += "\"/>\n";
        ++paths_;
    }

    /// Clips everything the document draws to the path d under the even-odd rule (one
    /// <clipPath> and a <g> around the body; the last call wins; empty d removes the clip).
    /// Throws vecta::invalid_argument ("d") as add_path does.
    void clip(std::string_view d) {
        check_path_data(d, "vecta::svg::document::clip");
        clip_ = d;
    }

    /// Adds a rectangle covering the whole canvas.
    void add_background(rgb fill) {
        body_ += "<rect width=\"" + std::to_string(width_ * std::size_t(units_)) + "\" height=\"" +
                 std::to_string(height_ * std::size_t(units_)) + "\" fill=\"" + hex_color(fill) + "\"/>\n";
        ++paths_;
    }

    std::size_t paths() const noexcept { return paths_; }
    /// User units per pixel (the constructor's units_per_pixel).
    int units_per_pixel() const noexcept { return units_; }

    /// The complete document.
    std::string str() const {
        std::string out;
        const std::string w = std::to_string(width_), h = std::to_string(height_);
        const std::string vw = std::to_string(width_ * std::size_t(units_)),
                          vh = std::to_string(height_ * std::size_t(units_));
        out.reserve(body_.size() + clip_.size() + 240);
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h + "\" viewBox=\"0 0 " +
               vw + " " + vh + "\">\n";
        if (!clip_.empty()) {
            out += "<clipPath id=\"a\"><path clip-rule=\"evenodd\" d=\"";
            out += clip_;
            out += "\"/></clipPath>\n<g clip-path=\"url(#a)\">\n";
        }
        out += body_;
        if (!clip_.empty()) out += "</g>\n";
        out += "</svg>\n";
        return out;
    }

private:
    static void check_path_data(std::string_view d, std::string_view fn) {
        for (const char ch : d)
            if (!is_path_char(ch))
                detail::throw_invalid(fn, "d", "must hold only SVG path data characters (no quotes, '<', '>' or '&')");
    }

    static constexpr bool is_path_char(char ch) noexcept {
        if ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.' || ch == ',' || ch == ' ' || ch == '\t' ||
            ch == '\n' || ch == '\r')
            return true;
        constexpr std::string_view letters = "MmZzLlHhVvCcSsQqTtAaEe";
        return letters.find(ch) != std::string_view::npos;
    }

    std::size_t width_, height_;
    int units_;
    std::string body_, clip_;
    std::size_t paths_ = 0;
};

}  // namespace vecta::svg
