// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <vecta/imgproc/sobel.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

using vecta::border_mode;

namespace {

// Naive 3x3 correlation with the two Sobel matrices and the given border rule.
void ref_sobel(vecta::image_view<const std::uint8_t> src, border_mode border, std::vector<int>& dx,
               std::vector<int>& dy) {
    static const int kx[3][3] = {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}};
    static const int ky[3][3] = {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}};
    const long W = long(src.width()), H = long(src.height());
    dx.assign(std::size_t(W * H), 0);
    dy.assign(std::size_t(W * H), 0);
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x) {
            int sx = 0, sy = 0;
            for (long i = -1; i <= 1; ++i)
                for (long j = -1; j <= 1; ++j) {
                    const long yy = imgproc_test::ref_border(y + i, H, border);
                    const long xx = imgproc_test::ref_border(x + j, W, border);
                    const int v = (yy < 0 || xx < 0) ? 0 : src(std::size_t(xx), std::size_t(yy));
                    sx += kx[i + 1][j + 1] * v;
                    sy += ky[i + 1][j + 1] * v;
                }
            dx[std::size_t(y * W + x)] = sx;
            dy[std::size_t(y * W + x)] = sy;
        }
}

}  // namespace

TEST_CASE("sobel equals a naive 3x3 correlation for every border and tiny shapes") {
    struct shape {
        std::size_t w, h;
    };
    const shape shapes[] = {{1, 1}, {2, 2}, {1, 7}, {7, 1}, {3, 3}, {40, 3}, {67, 45}};
    std::uint64_t seed = 1;
    for (const auto s : shapes)
        for (auto border : imgproc_test::all_borders) {
            CAPTURE(s.w);
            CAPTURE(s.h);
            CAPTURE(int(border));
            auto src = imgproc_test::random_u8(s.w, s.h, 1, ++seed);
            auto sv = imgproc_test::strided_copy<std::uint8_t>(src.view(), 3);
            imgproc_test::strided<std::int16_t> dx(s.w, s.h, 1, 1), dy(s.w, s.h, 1, 5);
            vecta::sobel(sv.view, dx.view, dy.view, {.border = border});
            std::vector<int> rx, ry;
            ref_sobel(src, border, rx, ry);
            std::size_t bad = 0;
            for (std::size_t y = 0; y < s.h; ++y)
                for (std::size_t x = 0; x < s.w; ++x)
                    bad += dx.view(x, y) != rx[y * s.w + x] || dy.view(x, y) != ry[y * s.w + x];
            CHECK(bad == 0);
        }
}

TEST_CASE("sobel of a vertical step is 4 * 255 on both sides of the step") {
    vecta::image<std::uint8_t> src(6, 4, 1);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 3; x < 6; ++x) src(x, y) = 255;
    vecta::image<std::int16_t> dx(6, 4), dy(6, 4);
    vecta::sobel(src, dx, dy);
    for (std::size_t y = 0; y < 4; ++y) {
        CHECK(dx(1, y) == 0);
        CHECK(dx(2, y) == 1020);
        CHECK(dx(3, y) == 1020);
        CHECK(dx(4, y) == 0);
        for (std::size_t x = 0; x < 6; ++x) CHECK(dy(x, y) == 0);
    }
}

TEST_CASE("sobel: SIMD equals scalar and seq equals par") {
    auto src = imgproc_test::random_u8(157, 211, 1, 9);
    for (auto border : imgproc_test::all_borders) {
        vecta::image<std::int16_t> ax(157, 211), ay(157, 211), bx(157, 211), by(157, 211), cx(157, 211), cy(157, 211);
        vecta::sobel(vecta::seq, src, ax, ay, {.border = border});
        vecta::sobel(vecta::seq | vecta::simd::scalar, src, bx, by, {.border = border});
        vecta::sobel(vecta::par, src, cx, cy, {.border = border});
        CHECK(imgproc_test::equal_pixels<std::int16_t>(ax, bx));
        CHECK(imgproc_test::equal_pixels<std::int16_t>(ay, by));
        CHECK(imgproc_test::equal_pixels<std::int16_t>(ax, cx));
        CHECK(imgproc_test::equal_pixels<std::int16_t>(ay, cy));
    }
}

TEST_CASE("sobel: every enabled xsimd architecture equals the scalar path") {
    // Widths around the batch sizes (8, 16, 32 int16 lanes) exercise the SIMD tails.
    for (std::size_t w : {1u, 7u, 16u, 33u, 67u}) {
        const std::size_t h = 19;
        auto src = imgproc_test::random_u8(w, h, 1, 40 + w);
        for (auto border : imgproc_test::all_borders) {
            vecta::image<std::int16_t> rx(w, h), ry(w, h);
            vecta::sobel(vecta::seq | vecta::simd::scalar, src, rx, ry, {.border = border});
            imgproc_test::for_each_arch([&](auto policy, const char* name) {
                CAPTURE(name);
                CAPTURE(w);
                CAPTURE(int(border));
                vecta::image<std::int16_t> ax(w, h), ay(w, h);
                vecta::sobel(policy, src, ax, ay, {.border = border});
                CHECK(imgproc_test::equal_pixels<std::int16_t>(ax, rx));
                CHECK(imgproc_test::equal_pixels<std::int16_t>(ay, ry));
            });
        }
    }
}

TEST_CASE("sobel_magnitude equals sqrt(dx^2 + dy^2) or |dx| + |dy| of the naive derivatives") {
    auto src = imgproc_test::random_u8(37, 29, 1, 4);
    for (auto border : imgproc_test::all_borders)
        for (bool l2 : {true, false}) {
            std::vector<int> rx, ry;
            ref_sobel(src, border, rx, ry);
            imgproc_test::strided<float> m(37, 29, 1, 2);
            vecta::sobel_magnitude(vecta::par, src, m.view, {.l2_gradient = l2, .border = border});
            vecta::image<float> s(37, 29);
            vecta::sobel_magnitude(src, s, {.l2_gradient = l2, .border = border});
            double worst = 0;
            for (std::size_t y = 0; y < 29; ++y)
                for (std::size_t x = 0; x < 37; ++x) {
                    const double a = rx[y * 37 + x], b = ry[y * 37 + x];
                    const double e = l2 ? std::sqrt(a * a + b * b) : std::abs(a) + std::abs(b);
                    worst = std::max(worst, std::abs(m.view(x, y) - e) / std::max(1.0, e));
                    CHECK(m.view(x, y) == s(x, y));
                }
            CHECK(worst < 1e-6);
        }
}

TEST_CASE("sobel and sobel_magnitude defaults: reflect101 border, L2 magnitude") {
    auto src = imgproc_test::random_u8(9, 8, 1, 12);
    std::vector<int> rx, ry;
    ref_sobel(src, border_mode::reflect101, rx, ry);
    vecta::image<std::int16_t> dx(9, 8), dy(9, 8);
    vecta::sobel(vecta::par, src, dx, dy);
    vecta::image<float> m(9, 8);
    vecta::sobel_magnitude(vecta::par, src, m);
    std::size_t bad = 0;
    for (std::size_t y = 0; y < 8; ++y)
        for (std::size_t x = 0; x < 9; ++x) {
            const double a = rx[y * 9 + x], b = ry[y * 9 + x];
            bad += dx(x, y) != a || dy(x, y) != b;
            bad += std::abs(m(x, y) - std::sqrt(a * a + b * b)) > 1e-3;
        }
    CHECK(bad == 0);
}

TEST_CASE("sobel and sobel_magnitude reject bad input with the argument's name") {
    auto src = imgproc_test::random_u8(5, 4, 1, 1);
    auto rgb = imgproc_test::random_u8(5, 4, 3, 1);
    vecta::image<std::int16_t> dx(5, 4), dy(5, 4), small(4, 4), two(5, 4, 2);
    vecta::image<float> mag(5, 4), mag_small(5, 3);
    const vecta::image_view<const std::uint8_t> empty{};
    CHECK_THROWS_WITH_AS(vecta::sobel(empty, dx, dy), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel(rgb, dx, dy), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel(src, small, dy), doctest::Contains("dx"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel(vecta::par, src, dx, two), doctest::Contains("dy"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel(src, dx, dx), doctest::Contains("dy"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel(src, dx, dy, {.border = static_cast<border_mode>(-1)}),
                         doctest::Contains("params.border"), vecta::invalid_argument);
    vecta::image_view<std::int16_t> alias(reinterpret_cast<std::int16_t*>(src.data()), 5, 4);
    CHECK_THROWS_WITH_AS(vecta::sobel(src, alias, dy), doctest::Contains("dx"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel_magnitude(empty, mag), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel_magnitude(rgb, mag), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel_magnitude(vecta::par, src, mag_small), doctest::Contains("dst"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::sobel_magnitude(src, mag, {.l2_gradient = true, .border = static_cast<border_mode>(5)}),
                         doctest::Contains("params.border"), vecta::invalid_argument);
}
