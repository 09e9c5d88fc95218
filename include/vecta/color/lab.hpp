// SPDX-License-Identifier: MIT
// vecta/color/lab.hpp - 8-bit sRGB <-> CIE L*a*b* (D65).
//
// sRGB as IEC 61966-2-1 defines it: 8-bit code values, the sRGB transfer function
// (companding), the sRGB primaries and the D65 white point. L*a*b* is CIE 1976 (CIE 15:2004)
// relative to the same D65 white, so sRGB white maps to L* = 100, a* = b* = 0. The matrix and
// white point are the ones Bruce Lindbloom tabulates (brucelindbloom.com), which give sRGB red
// (255, 0, 0) -> L* 53.2408, a* 80.0925, b* 67.2032.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "../core/error.hpp"

namespace vecta {

namespace detail {

/// sRGB -> linear-light table for the 256 8-bit code values (IEC 61966-2-1 decoding).
inline const std::array<double, 256>& srgb_to_linear_table() noexcept {
    static const std::array<double, 256> table = [] {
        std::array<double, 256> t{};
        for (int i = 0; i < 256; ++i) {
            const double c = i / 255.0;
            t[i] = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
        }
        return t;
    }();
    return table;
}

/// Linear light (any real) -> sRGB code value 0..255, rounded to nearest and clamped.
inline std::uint8_t linear_to_srgb8(double v) noexcept {
    if (!(v > 0.0)) return 0;  // also maps a NaN that rounding could produce to 0
    if (v >= 1.0) return 255;
    const double c = v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1.0 / 2.4) - 0.055;
    const double s = std::clamp(c * 255.0 + 0.5, 0.0, 255.0);
    return static_cast<std::uint8_t>(s);
}

// D65 reference white (X_n, Y_n, Z_n) with Y_n = 1: the row sums of the sRGB matrix.
inline constexpr double lab_xn = 0.95047, lab_yn = 1.0, lab_zn = 1.08883;
// CIE constants: epsilon = (6/29)^3, f(t) = t / (3 (6/29)^2) + 4/29 below it.
inline constexpr double lab_delta = 6.0 / 29.0;
inline constexpr double lab_eps = lab_delta * lab_delta * lab_delta;

inline double lab_f(double t) noexcept {
    return t > lab_eps ? std::cbrt(t) : t / (3.0 * lab_delta * lab_delta) + 4.0 / 29.0;
}
inline double lab_finv(double f) noexcept {
    return f > lab_delta ? f * f * f : 3.0 * lab_delta * lab_delta * (f - 4.0 / 29.0);
}

/// L*a*b* from linear-light sRGB in double precision (no validation).
inline std::array<double, 3> linear_rgb_to_lab(double r, double g, double b) noexcept {
    const double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    const double fx = lab_f(x / lab_xn), fy = lab_f(y / lab_yn), fz = lab_f(z / lab_zn);
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

/// Linear-light sRGB from L*a*b* in double precision (no validation, may leave 0..1).
inline std::array<double, 3> lab_to_linear_rgb(double L, double a, double b) noexcept {
    const double fy = (L + 16.0) / 116.0, fx = fy + a / 500.0, fz = fy - b / 200.0;
    const double x = lab_xn * lab_finv(fx), y = lab_yn * lab_finv(fy), z = lab_zn * lab_finv(fz);
    // Inverse of the sRGB matrix above (Lindbloom).
    return {3.2404542 * x - 1.5371385 * y - 0.4985314 * z, -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
            0.0556434 * x - 0.2040259 * y + 1.0572252 * z};
}

}  // namespace detail

/// CIE L*a*b* (D65) of an 8-bit sRGB colour: {L*, a*, b*} with L* in [0, 100] and a*, b*
/// roughly in [-128, 128]. Computed in double (decoding through a 256-entry table, then the
/// sRGB matrix and the CIE 1976 f(t)) and returned as float. O(1), no allocation after the
/// first call, never throws. Source: IEC 61966-2-1 (sRGB), CIE 15:2004 (L*a*b*).
inline std::array<float, 3> rgb_to_lab(std::uint8_t r, std::uint8_t g, std::uint8_t b) noexcept {
    const auto& lin = detail::srgb_to_linear_table();
    const auto lab = detail::linear_rgb_to_lab(lin[r], lin[g], lin[b]);
    return {static_cast<float>(lab[0]), static_cast<float>(lab[1]), static_cast<float>(lab[2])};
}

/// 8-bit sRGB of a CIE L*a*b* (D65) colour: the inverse of rgb_to_lab, each channel rounded to
/// nearest and clamped to 0..255 (colours outside the sRGB gamut are clipped per channel).
/// Round trip rgb -> lab -> rgb is exact for every 8-bit colour. O(1).
/// Throws vecta::invalid_argument if L, a or b is NaN or infinite.
/// Source: IEC 61966-2-1 (sRGB), CIE 15:2004 (L*a*b*).
inline std::array<std::uint8_t, 3> lab_to_rgb(float L, float a, float b) {
    constexpr std::string_view fn = "vecta::lab_to_rgb";
    detail::require(std::isfinite(L), fn, "L", "must be finite");
    detail::require(std::isfinite(a), fn, "a", "must be finite");
    detail::require(std::isfinite(b), fn, "b", "must be finite");
    const auto lin = detail::lab_to_linear_rgb(L, a, b);
    return {detail::linear_to_srgb8(lin[0]), detail::linear_to_srgb8(lin[1]), detail::linear_to_srgb8(lin[2])};
}

}  // namespace vecta
