// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vecta/color/lab.hpp>

namespace {

void check_lab(std::uint8_t r, std::uint8_t g, std::uint8_t b, double L, double a, double bb, double tol) {
    const auto lab = vecta::rgb_to_lab(r, g, b);
    INFO("rgb ", int(r), " ", int(g), " ", int(b));
    CHECK(std::abs(lab[0] - L) <= tol);
    CHECK(std::abs(lab[1] - a) <= tol);
    CHECK(std::abs(lab[2] - bb) <= tol);
}

}  // namespace

TEST_CASE("rgb_to_lab matches published values") {
    check_lab(255, 255, 255, 100.0, 0.0, 0.0, 1e-3);
    check_lab(0, 0, 0, 0.0, 0.0, 0.0, 1e-6);
    // Bruce Lindbloom's calculator, sRGB / D65.
    check_lab(255, 0, 0, 53.2408, 80.0925, 67.2032, 0.05);
    check_lab(0, 255, 0, 87.7347, -86.1827, 83.1793, 0.05);
    check_lab(0, 0, 255, 32.2970, 79.1875, -107.8602, 0.05);
    // Mid grey by hand: lin = ((128/255 + 0.055)/1.055)^2.4 = 0.215861, L = 116 cbrt(lin) - 16.
    check_lab(128, 128, 128, 53.585, 0.0, 0.0, 0.01);
    // Dark grey on the linear segment of both curves: c = 5/255, lin = c / 12.92,
    // L = 903.2963 * lin (CIE kappa = 24389/27).
    const double lin = 5.0 / 255.0 / 12.92;
    check_lab(5, 5, 5, 24389.0 / 27.0 * lin, 0.0, 0.0, 1e-3);
}

TEST_CASE("lab_to_rgb inverts rgb_to_lab exactly on 8-bit colours") {
    auto round_trip = [](int r, int g, int b) {
        const auto lab =
            vecta::rgb_to_lab(static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(b));
        const auto c = vecta::lab_to_rgb(lab[0], lab[1], lab[2]);
        return c[0] == r && c[1] == g && c[2] == b;
    };
    int bad = 0;
    for (int v = 0; v < 256; ++v) bad += !round_trip(v, v, v);
    CHECK(bad == 0);
    for (int r = 0; r < 256; r += 15)
        for (int g = 0; g < 256; g += 15)
            for (int b = 0; b < 256; b += 15) bad += !round_trip(r, g, b);
    CHECK(bad == 0);
    std::mt19937 rng(12345);
    for (int i = 0; i < 20000; ++i) {
        const auto v = rng();
        bad += !round_trip(int(v & 255), int((v >> 8) & 255), int((v >> 16) & 255));
    }
    CHECK(bad == 0);
}

TEST_CASE("lab_to_rgb clamps out-of-gamut colours") {
    using c3 = std::array<std::uint8_t, 3>;
    CHECK(vecta::lab_to_rgb(100.f, 0.f, 0.f) == c3{255, 255, 255});
    CHECK(vecta::lab_to_rgb(0.f, 0.f, 0.f) == c3{0, 0, 0});
    CHECK(vecta::lab_to_rgb(150.f, 0.f, 0.f) == c3{255, 255, 255});
    CHECK(vecta::lab_to_rgb(-40.f, 0.f, 0.f) == c3{0, 0, 0});
    // Very saturated red beyond sRGB: red clips to 255, green and blue to 0.
    CHECK(vecta::lab_to_rgb(55.f, 120.f, 90.f) == c3{255, 0, 0});
}

TEST_CASE("lab_to_rgb rejects non-finite input") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(vecta::lab_to_rgb(nan, 0, 0), doctest::Contains("L"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::lab_to_rgb(50, inf, 0), doctest::Contains("a must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::lab_to_rgb(50, 0, -inf), doctest::Contains("b must"), vecta::invalid_argument);
}
