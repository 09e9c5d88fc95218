// SPDX-License-Identifier: MIT
// Scharr, float derivatives, direction, detect_edges_sobel, canny from dx/dy, and every
// dispatched vector width against the scalar loops.
#include <doctest/doctest.h>

#include <cmath>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/imgproc/sobel.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

using vecta::border_mode;

namespace {

// Naive 3x3 correlation with the derivative kernels [-1 0 1] x (s, m, s)^T.
void ref_deriv(vecta::image_view<const std::uint8_t> src, border_mode border, int s, int m, std::vector<int>& dx,
               std::vector<int>& dy) {
    const long W = long(src.width()), H = long(src.height());
    const int w[3] = {s, m, s};
    dx.assign(std::size_t(W * H), 0);
    dy.assign(std::size_t(W * H), 0);
    auto px = [&](long x, long y) {
        const long xx = imgproc_test::ref_border(x, W, border), yy = imgproc_test::ref_border(y, H, border);
        return (xx < 0 || yy < 0) ? 0 : int(src(std::size_t(xx), std::size_t(yy)));
    };
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x) {
            int sx = 0, sy = 0;
            for (long k = -1; k <= 1; ++k) {
                sx += w[k + 1] * (px(x + 1, y + k) - px(x - 1, y + k));
                sy += w[k + 1] * (px(x + k, y + 1) - px(x + k, y - 1));
            }
            dx[std::size_t(y * W + x)] = sx;
            dy[std::size_t(y * W + x)] = sy;
        }
}

std::size_t count_nonzero(vecta::image_view<const std::uint8_t> e) {
    std::size_t n = 0;
    for (std::size_t y = 0; y < e.height(); ++y)
        for (std::size_t x = 0; x < e.width(); ++x) n += e(x, y) != 0;
    return n;
}

}  // namespace

TEST_CASE("scharr and float sobel equal a naive correlation; every width equals scalar") {
    struct shape {
        std::size_t w, h;
    };
    const shape shapes[] = {{1, 1}, {2, 2}, {1, 9}, {9, 1}, {33, 3}, {67, 45}, {130, 7}};
    std::uint64_t seed = 500;
    for (const auto s : shapes)
        for (auto border : imgproc_test::all_borders)
            for (bool scharr : {false, true}) {
                CAPTURE(s.w);
                CAPTURE(s.h);
                CAPTURE(int(border));
                CAPTURE(scharr);
                auto src = imgproc_test::random_u8(s.w, s.h, 1, ++seed);
                std::vector<int> rx, ry;
                ref_deriv(src, border, scharr ? 3 : 1, scharr ? 10 : 2, rx, ry);
                imgproc_test::for_each_width([&](auto policy, int bytes) {
                    CAPTURE(bytes);
                    vecta::image<std::int16_t> dx(s.w, s.h), dy(s.w, s.h);
                    vecta::image<float> fx(s.w, s.h), fy(s.w, s.h);
                    vecta::sobel(policy, src, dx.view(), dy.view(), {.border = border, .scharr = scharr});
                    vecta::sobel(policy, src, fx.view(), fy.view(), {.border = border, .scharr = scharr});
                    std::size_t bad = 0;
                    for (std::size_t i = 0; i < s.w * s.h; ++i)
                        bad += dx.data()[i] != rx[i] || dy.data()[i] != ry[i] || fx.data()[i] != float(rx[i]) ||
                               fy.data()[i] != float(ry[i]);
                    CHECK(bad == 0);
                });
            }
}

TEST_CASE("sobel_magnitude (Scharr, L1, L2) and sobel_direction equal the naive derivatives") {
    auto src = imgproc_test::random_u8(45, 23, 1, 8);
    for (bool scharr : {false, true}) {
        std::vector<int> rx, ry;
        ref_deriv(src, border_mode::reflect101, scharr ? 3 : 1, scharr ? 10 : 2, rx, ry);
        imgproc_test::for_each_width([&](auto policy, int bytes) {
            CAPTURE(bytes);
            CAPTURE(scharr);
            vecta::image<float> l1(45, 23), l2(45, 23), dir(45, 23);
            vecta::sobel_magnitude(policy, src, l1.view(), {.l2_gradient = false, .scharr = scharr});
            vecta::sobel_magnitude(policy, src, l2.view(), {.l2_gradient = true, .scharr = scharr});
            vecta::sobel_direction(policy, src, dir.view(), {.scharr = scharr});
            std::size_t bad = 0;
            for (std::size_t i = 0; i < rx.size(); ++i) {
                const double a = rx[i], b = ry[i];
                bad += l1.data()[i] != float(std::abs(a) + std::abs(b));
                bad += l2.data()[i] != std::sqrt(float(a * a + b * b));
                double ang = std::atan2(b, a);
                if (ang < 0) ang += 2 * std::acos(-1.0);
                bad += std::abs(double(dir.data()[i]) - ang) > 1e-6 && std::abs(double(dir.data()[i])) > 1e-6;
                bad += !(dir.data()[i] >= 0.0f && dir.data()[i] < 6.2832f);
            }
            CHECK(bad == 0);
        });
    }
    // Direction of a vertical step from dark (left) to bright: the gradient points along +x (0),
    // of a horizontal step from bright (top) to dark: along -y ... y grows downwards, so pi/2 for
    // dark above bright.
    vecta::image<std::uint8_t> step(6, 6);
    for (std::size_t y = 0; y < 6; ++y)
        for (std::size_t x = 3; x < 6; ++x) step(x, y) = 200;
    vecta::image<float> d(6, 6);
    vecta::sobel_direction(step, d);
    CHECK(d(2, 2) == 0.0f);
    for (std::size_t y = 0; y < 6; ++y)
        for (std::size_t x = 0; x < 6; ++x) step(x, y) = y >= 3 ? 200 : 0;
    vecta::sobel_direction(step, d);
    CHECK(d(2, 2) == doctest::Approx(std::acos(-1.0) / 2));
}

TEST_CASE("detect_edges_sobel thresholds the exact L2 magnitude; gray, RGB and RGBA") {
    auto src = imgproc_test::smooth_random_u8(50, 40, 4, 1);
    std::vector<int> rx, ry;
    ref_deriv(src, border_mode::reflect101, 1, 2, rx, ry);
    for (double t : {0.0, 10.0, 40.5, 100.0}) {
        const auto e = vecta::detect_edges_sobel(vecta::par, src, t);
        std::size_t bad = 0, n = 0;
        for (std::size_t i = 0; i < rx.size(); ++i) {
            const bool edge = std::sqrt(double(rx[i]) * rx[i] + double(ry[i]) * ry[i]) > t;
            bad += (e.data()[i] == 255) != edge || (e.data()[i] != 0 && e.data()[i] != 255);
            n += edge;
        }
        CHECK(bad == 0);
        if (t == 10.0) CHECK(n > 0);
    }
    // A 0 -> 25 step has magnitude exactly 100 on both sides: strict comparison.
    vecta::image<std::uint8_t> step(8, 4);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 4; x < 8; ++x) step(x, y) = 25;
    CHECK(count_nonzero(vecta::detect_edges_sobel(step, 100)) == 0);
    CHECK(count_nonzero(vecta::detect_edges_sobel(step, 99.99)) == 8);
    // RGB: converted to gray first.
    vecta::image<std::uint8_t> rgb(8, 4, 3), rgba(8, 4, 4);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 4; x < 8; ++x)
            for (std::size_t c = 0; c < 3; ++c) rgb(x, y, c) = rgba(x, y, c) = 200;
    CHECK(count_nonzero(vecta::detect_edges_sobel(rgb, 100)) == 8);
    CHECK(count_nonzero(vecta::detect_edges_sobel(rgba, 100)) == 8);
    auto throws_with = [](auto&& f, const char* what) {
        CHECK_THROWS_WITH_AS(f(), doctest::Contains(what), vecta::invalid_argument);
    };
    vecta::image<std::uint8_t> two(4, 4, 2);
    throws_with([&] { vecta::detect_edges_sobel(two, 1); }, "src");
    throws_with([&] { vecta::detect_edges_sobel(vecta::image_view<const std::uint8_t>{}, 1); }, "src");
    throws_with([&] { vecta::detect_edges_sobel(step, -1); }, "threshold");
    throws_with([&] { vecta::detect_edges_sobel(step, std::nan("")); }, "threshold");
}

TEST_CASE("canny from precomputed dx, dy equals canny on the image; Scharr gradients accepted") {
    auto src = imgproc_test::smooth_random_u8(97, 61, 12, 1);
    vecta::image<std::int16_t> dx(97, 61), dy(97, 61);
    for (bool l2 : {false, true}) {
        vecta::sobel(src, dx.view(), dy.view(), {.border = border_mode::replicate});
        vecta::image<std::uint8_t> a(97, 61), b(97, 61);
        const vecta::canny_params p{.low = 12, .high = 40, .l2_gradient = l2};
        vecta::canny(src, a, p);
        vecta::canny(vecta::par, dx, dy, b, p);
        CHECK(count_nonzero(a) > 50);
        CHECK(imgproc_test::equal_pixels<std::uint8_t>(a, b));
        // Scharr gradients with thresholds scaled by 16 / 4 = 4 (both kernels' DC gains).
        vecta::sobel(src, dx.view(), dy.view(), {.border = border_mode::replicate, .scharr = true});
        vecta::canny(dx, dy, b, {.low = 48, .high = 160, .l2_gradient = l2});
        CHECK(count_nonzero(b) > 50);
    }
    auto throws_with = [](auto&& f, const char* what) {
        CHECK_THROWS_WITH_AS(f(), doctest::Contains(what), vecta::invalid_argument);
    };
    vecta::image<std::uint8_t> e(97, 61), small(97, 60);
    vecta::image<std::int16_t> dy_small(97, 60), big(97, 61);
    throws_with([&] { vecta::canny(dx, dy_small, e); }, "dy");
    throws_with([&] { vecta::canny(dx, dy, small); }, "dst");
    throws_with([&] { vecta::canny(dx, dy, e, {.low = 9, .high = 3}); }, "params.low");
    big(5, 7) = 23171;
    throws_with([&] { vecta::canny(big, dy, e); }, "dx");
    throws_with([&] { vecta::canny(dx, big, e); }, "dy");
    big(5, 7) = -23170;
    CHECK_NOTHROW(vecta::canny(big, dy, e));
    throws_with([&] { vecta::canny(vecta::image_view<const std::int16_t>{}, dy, e); }, "dx");
}

TEST_CASE("canny: every dispatched width, seq and par equal the scalar loops; stripes of many sizes") {
    for (auto [w, h] :
         {std::pair<std::size_t, std::size_t>{1, 1}, {2, 2}, {1, 40}, {40, 1}, {5, 3}, {131, 77}, {77, 300}, {300, 33}})
        for (bool l2 : {false, true}) {
            CAPTURE(w);
            CAPTURE(h);
            CAPTURE(l2);
            auto src = imgproc_test::smooth_random_u8(w, h, w * 1000 + h, 1);
            const vecta::canny_params p{.low = 10, .high = 35, .l2_gradient = l2};
            vecta::image<std::uint8_t> ref(w, h);
            vecta::canny(vecta::seq | vecta::simd::scalar, src, ref, p);
            if (w * h > 5000) CHECK(count_nonzero(ref) > 100);
            imgproc_test::for_each_width([&](auto policy, int bytes) {
                CAPTURE(bytes);
                vecta::image<std::uint8_t> out(w, h);
                vecta::canny(policy, src, out, p);
                CHECK(imgproc_test::equal_pixels<std::uint8_t>(out, ref));
            });
            vecta::image<std::uint8_t> out(w, h);
            vecta::canny(vecta::par | vecta::simd::scalar, src, out, p);
            CHECK(imgproc_test::equal_pixels<std::uint8_t>(out, ref));
        }
}

TEST_CASE("canny: an edge chain that crosses many stripes is followed through the global pass") {
    // A long diagonal ramp whose only strong pixel is at the top: hysteresis must carry the edge
    // down through every stripe boundary (stripes are at least 32 rows).
    const std::size_t w = 40, h = 400;
    vecta::image<std::uint8_t> src(w, h);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) src(x, y) = x >= 20 ? (y < 3 ? 200 : 30) : 0;
    vecta::image<std::uint8_t> e(w, h), f(w, h);
    vecta::canny(vecta::par, src, e, {.low = 50, .high = 300});
    vecta::canny(vecta::seq | vecta::simd::scalar, src, f, {.low = 50, .high = 300});
    CHECK(imgproc_test::equal_pixels<std::uint8_t>(e, f));
    CHECK(e(19, h - 1) == 255);  // the weak step (magnitude 120) at the bottom joined the strong top
    CHECK(e(19, h / 2) == 255);
}

TEST_CASE("frame hashes: every dispatched width and par equal the scalar loops") {
    for (std::size_t cn : {1u, 3u, 4u})
        for (auto [w, h] : {std::pair<std::size_t, std::size_t>{1, 1}, {7, 5}, {100, 67}, {333, 41}}) {
            CAPTURE(cn);
            CAPTURE(w);
            const auto img = imgproc_test::random_u8(w, h, cn, w * 7 + cn);
            const auto a = vecta::average_hash(vecta::seq | vecta::simd::scalar, img);
            const auto d = vecta::difference_hash(vecta::seq | vecta::simd::scalar, img);
            imgproc_test::for_each_width([&](auto policy, int bytes) {
                CAPTURE(bytes);
                CHECK(vecta::average_hash(policy, img) == a);
                CHECK(vecta::difference_hash(policy, img) == d);
            });
        }
}
