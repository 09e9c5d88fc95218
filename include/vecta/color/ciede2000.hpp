// SPDX-License-Identifier: MIT
// vecta/color/ciede2000.hpp - the CIEDE2000 colour difference of two CIE L*a*b* colours.
#pragma once

#include <array>
#include <cmath>
#include <numbers>

namespace vecta {

/// CIEDE2000 colour difference Delta E_00 (CIE 142-2001) between two CIE L*a*b* colours,
/// following the implementation notes of Sharma, Wu & Dalal, "The CIEDE2000 color-difference
/// formula: implementation notes, supplementary test data, and mathematical observations",
/// Color Res. Appl. 30(1), 2005 (equations 1-17, hue angles in degrees, the mean hue and hue
/// difference rules for |h1' - h2'| > 180 and for zero chroma). Parametric factors kL = kC =
/// kH = 1 (reference conditions) unless given. Symmetric, >= 0, 0 for equal colours. O(1),
/// double precision, never throws (NaN in, NaN out).
inline double ciede2000(const std::array<double, 3>& lab1, const std::array<double, 3>& lab2, double kL = 1.0,
                        double kC = 1.0, double kH = 1.0) noexcept {
    constexpr double deg = 180.0 / std::numbers::pi, rad = std::numbers::pi / 180.0;
    constexpr double pow25_7 = 6103515625.0;  // 25^7
    const double L1 = lab1[0], a1 = lab1[1], b1 = lab1[2], L2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
    // (2)-(7): a' with the G correction, C', h'.
    const double Cab = 0.5 * (std::hypot(a1, b1) + std::hypot(a2, b2));
    const double Cab7 = std::pow(Cab, 7.0);
    const double G = 0.5 * (1.0 - std::sqrt(Cab7 / (Cab7 + pow25_7)));
    const double a1p = (1.0 + G) * a1, a2p = (1.0 + G) * a2;
    const double C1p = std::hypot(a1p, b1), C2p = std::hypot(a2p, b2);
    auto hue = [&](double b, double ap) {
        if (b == 0.0 && ap == 0.0) return 0.0;
        const double h = std::atan2(b, ap) * deg;
        return h < 0.0 ? h + 360.0 : h;
    };
    const double h1p = hue(b1, a1p), h2p = hue(b2, a2p);
    // (8)-(10): differences.
    const double dLp = L2 - L1, dCp = C2p - C1p;
    double dhp = 0.0;
    if (C1p * C2p != 0.0) {
        dhp = h2p - h1p;
        if (dhp > 180.0)
            dhp -= 360.0;
        else if (dhp < -180.0)
            dhp += 360.0;
    }
    const double dHp = 2.0 * std::sqrt(C1p * C2p) * std::sin(0.5 * dhp * rad);
    // (12)-(17): weighting functions.
    const double Lbp = 0.5 * (L1 + L2), Cbp = 0.5 * (C1p + C2p);
    double hbp = h1p + h2p;
    if (C1p * C2p != 0.0) {
        if (std::abs(h1p - h2p) <= 180.0)
            hbp *= 0.5;
        else if (hbp < 360.0)
            hbp = 0.5 * (hbp + 360.0);
        else
            hbp = 0.5 * (hbp - 360.0);
    }
    const double T = 1.0 - 0.17 * std::cos((hbp - 30.0) * rad) + 0.24 * std::cos(2.0 * hbp * rad) +
                     0.32 * std::cos((3.0 * hbp + 6.0) * rad) - 0.20 * std::cos((4.0 * hbp - 63.0) * rad);
    const double dtheta = 30.0 * std::exp(-((hbp - 275.0) / 25.0) * ((hbp - 275.0) / 25.0));
    const double Cbp7 = std::pow(Cbp, 7.0);
    const double RC = 2.0 * std::sqrt(Cbp7 / (Cbp7 + pow25_7));
    const double L50 = (Lbp - 50.0) * (Lbp - 50.0);
    const double SL = 1.0 + 0.015 * L50 / std::sqrt(20.0 + L50);
    const double SC = 1.0 + 0.045 * Cbp, SH = 1.0 + 0.015 * Cbp * T;
    const double RT = -std::sin(2.0 * dtheta * rad) * RC;
    const double tL = dLp / (kL * SL), tC = dCp / (kC * SC), tH = dHp / (kH * SH);
    return std::sqrt(tL * tL + tC * tC + tH * tH + RT * tC * tH);
}

}  // namespace vecta
