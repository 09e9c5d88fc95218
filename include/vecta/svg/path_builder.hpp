// SPDX-License-Identifier: MIT
// vecta/svg/path_builder.hpp - compact SVG path data.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../core/error.hpp"

namespace vecta::svg {

/// Builds the `d` attribute of an SVG <path> from absolute coordinates, writing compact path
/// data (SVG 1.1 section 8.3): relative commands (m, l, h, v, c, z), coordinates rounded to
/// `precision` decimals, no redundant separators ("1-2", ".5.5"), no leading zeros and an
/// implicit repeated command letter. Relative offsets are taken between rounded positions, so
/// rounding never accumulates: every absolute position is within 0.5 * 10^-precision of the
/// value passed in. With `units_per_pixel` u > 1 the coordinates passed in (pixels) are written
/// in user units of 1/u pixel (svg::document with the same u scales the viewBox): precision 0 at
/// u = 10 keeps the positions of precision 1 at u = 1 as whole numbers, without decimal points.
/// Complexity: O(1) amortised per command.
class path_builder {
public:
    /// precision: decimals kept, 0..6; units_per_pixel: 1..10^6. Throws vecta::invalid_argument
    /// naming the argument otherwise.
    explicit path_builder(int precision = 2, int units_per_pixel = 1) : precision_(precision) {
        detail::require(precision >= 0 && precision <= 6, "vecta::svg::path_builder", "precision", "must be in 0..6");
        detail::require(units_per_pixel >= 1 && units_per_pixel <= 1000000, "vecta::svg::path_builder",
                        "units_per_pixel", "must be in 1..10^6");
        unit_ = 1;
        for (int i = 0; i < precision; ++i) unit_ *= 10;
        scale_ = double(unit_) * units_per_pixel;
    }

    /// Starts a subpath at (x, y). Throws vecta::invalid_argument for non-finite coordinates.
    void move_to(double x, double y) {
        const auto [qx, qy] = quantize(x, y, "move_to");
        command('m');
        number(qx - cx_);
        number(qy - cy_);
        cx_ = sx_ = qx;
        cy_ = sy_ = qy;
        last_ = 'l';  // SVG: coordinates after "m" are implicit line-tos
        ++nodes_;
    }

    /// Straight line to (x, y); written as h or v when axis-aligned, dropped when zero-length.
    void line_to(double x, double y) {
        const auto [qx, qy] = quantize(x, y, "line_to");
        const long long dx = qx - cx_, dy = qy - cy_;
        if (dx == 0 && dy == 0) return;
        if (dy == 0) {
            command('h');
            number(dx);
        } else if (dx == 0) {
            command('v');
            number(dy);
        } else {
            command('l');
            number(dx);
            number(dy);
        }
        cx_ = qx;
        cy_ = qy;
        ++nodes_;
    }

    /// Cubic Bezier with control points (x1, y1), (x2, y2) to (x, y).
    void cubic_to(double x1, double y1, double x2, double y2, double x, double y) {
        const auto [q1x, q1y] = quantize(x1, y1, "cubic_to");
        const auto [q2x, q2y] = quantize(x2, y2, "cubic_to");
        const auto [qx, qy] = quantize(x, y, "cubic_to");
        command('c');
        number(q1x - cx_);
        number(q1y - cy_);
        number(q2x - cx_);
        number(q2y - cy_);
        number(qx - cx_);
        number(qy - cy_);
        cx_ = qx;
        cy_ = qy;
        ++nodes_;
    }

    /// Closes the subpath; the current point returns to the subpath's start.
    void close() {
        d_ += 'z';
        last_ = 'z';
        last_has_dot_ = false;
        need_sep_ = false;
        cx_ = sx_;
        cy_ = sy_;
    }

    const std::string& str() const noexcept { return d_; }
    /// Commands written (move, line and curve segments; close is not counted).
    std::size_t nodes() const noexcept { return nodes_; }
    bool empty() const noexcept { return d_.empty(); }

private:
    struct qpoint {
        long long x, y;
    };

    qpoint quantize(double x, double y, std::string_view what) const {
        const double lim = std::min(1e12, 1e18 / scale_);  // the fixed-point value fits in long long
        if (!std::isfinite(x) || !std::isfinite(y) || std::abs(x) > lim || std::abs(y) > lim)
            detail::throw_invalid(
                "vecta::svg::path_builder", what,
                "coordinates must be finite and below 1e12 (1e18 / (10^precision * units_per_pixel))");
        return {std::llround(x * scale_), std::llround(y * scale_)};
    }

    void command(char c) {
        if (c != last_) {
            d_ += c;
            last_ = c;
            need_sep_ = false;
            last_has_dot_ = false;
        }
    }

    /// Appends the fixed-point value n / 10^precision in its shortest form.
    void number(long long n) {
        char buf[48];
        const bool neg = n < 0;
        unsigned long long a = neg ? 0ull - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
        const unsigned long long ip = a / unit_;
        unsigned long long fp = a % unit_;
        char frac[8];  // precision_ <= 6 digits, trailing zeros dropped
        std::size_t nfrac = 0;
        if (fp != 0) {
            nfrac = std::size_t(precision_);
            for (std::size_t i = nfrac; i-- > 0; fp /= 10) frac[i] = char('0' + fp % 10);
            while (nfrac > 0 && frac[nfrac - 1] == '0') --nfrac;
        }
        char* end = buf;
        if (neg) *end++ = '-';
        if (ip != 0 || nfrac == 0) end = std::to_chars(end, buf + sizeof buf, ip).ptr;
        const bool starts_with_dot = ip == 0 && nfrac != 0 && !neg;
        // A separator is needed unless the number starts with '-', or starts with '.' after a
        // number that already had a '.'.
        if (need_sep_ && !neg && !(starts_with_dot && last_has_dot_)) d_ += ' ';
        d_.append(buf, std::size_t(end - buf));
        if (nfrac != 0) {
            d_ += '.';
            d_.append(frac, nfrac);
        }
        need_sep_ = true;
        last_has_dot_ = nfrac != 0;
    }

    int precision_;
    unsigned long long unit_ = 1;  // 10^precision_
    double scale_ = 1;             // fixed-point steps per pixel: unit_ * units_per_pixel
    std::string d_;
    char last_ = 0;
    bool need_sep_ = false, last_has_dot_ = false;
    long long cx_ = 0, cy_ = 0, sx_ = 0, sy_ = 0;
    std::size_t nodes_ = 0;
};

}  // namespace vecta::svg
