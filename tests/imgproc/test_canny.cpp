// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vecta/imgproc/canny.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

using vecta::border_mode;

namespace {

// Straightforward Canny written from the textbook description (not from vecta's code):
// naive Sobel, real-valued magnitude, the gradient direction quantised with exact tangents of
// 22.5 and 67.5 degrees, magnitude 0 outside the image, and hysteresis by relaxation until
// nothing changes.
vecta::image<std::uint8_t> ref_canny(vecta::image_view<const std::uint8_t> src, double low, double high, bool l2,
                                     border_mode border) {
    const long W = long(src.width()), H = long(src.height());
    std::vector<double> gx(std::size_t(W * H)), gy(std::size_t(W * H)), mag(std::size_t(W * H));
    auto pix = [&](long x, long y) -> double {
        const long xx = imgproc_test::ref_border(x, W, border), yy = imgproc_test::ref_border(y, H, border);
        return (xx < 0 || yy < 0) ? 0.0 : double(src(std::size_t(xx), std::size_t(yy)));
    };
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x) {
            const double dx = (pix(x + 1, y - 1) + 2 * pix(x + 1, y) + pix(x + 1, y + 1)) -
                              (pix(x - 1, y - 1) + 2 * pix(x - 1, y) + pix(x - 1, y + 1));
            const double dy = (pix(x - 1, y + 1) + 2 * pix(x, y + 1) + pix(x + 1, y + 1)) -
                              (pix(x - 1, y - 1) + 2 * pix(x, y - 1) + pix(x + 1, y - 1));
            const std::size_t i = std::size_t(y * W + x);
            gx[i] = dx;
            gy[i] = dy;
            mag[i] = l2 ? std::sqrt(dx * dx + dy * dy) : std::abs(dx) + std::abs(dy);
        }
    auto m_at = [&](long x, long y) {
        return (x < 0 || y < 0 || x >= W || y >= H) ? 0.0 : mag[std::size_t(y * W + x)];
    };
    const double tan22 = std::tan(std::acos(-1.0) / 8), tan67 = std::tan(3 * std::acos(-1.0) / 8);
    // 0 = not an edge, 1 = weak, 2 = strong / edge
    std::vector<int> state(std::size_t(W * H), 0);
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x) {
            const std::size_t i = std::size_t(y * W + x);
            const double m = mag[i], ax = std::abs(gx[i]), ay = std::abs(gy[i]);
            if (!(m > low)) continue;
            bool keep;
            if (ay < tan22 * ax)  // gradient roughly horizontal: compare left and right
                keep = m > m_at(x - 1, y) && m >= m_at(x + 1, y);
            else if (ay > tan67 * ax)  // roughly vertical: compare up and down
                keep = m > m_at(x, y - 1) && m >= m_at(x, y + 1);
            else if ((gx[i] > 0) == (gy[i] > 0))  // gradient along the main diagonal (y down)
                keep = m > m_at(x - 1, y - 1) && m > m_at(x + 1, y + 1);
            else
                keep = m > m_at(x + 1, y - 1) && m > m_at(x - 1, y + 1);
            if (keep) state[i] = m > high ? 2 : 1;
        }
    for (bool changed = true; changed;) {
        changed = false;
        for (long y = 0; y < H; ++y)
            for (long x = 0; x < W; ++x) {
                if (state[std::size_t(y * W + x)] != 1) continue;
                for (long i = -1; i <= 1 && state[std::size_t(y * W + x)] == 1; ++i)
                    for (long j = -1; j <= 1; ++j) {
                        const long yy = y + i, xx = x + j;
                        if (yy < 0 || xx < 0 || yy >= H || xx >= W) continue;
                        if (state[std::size_t(yy * W + xx)] == 2) {
                            state[std::size_t(y * W + x)] = 2;
                            changed = true;
                            break;
                        }
                    }
            }
    }
    vecta::image<std::uint8_t> out{std::size_t(W), std::size_t(H)};
    for (long i = 0; i < W * H; ++i) out.data()[i] = state[std::size_t(i)] == 2 ? 255 : 0;
    return out;
}

std::size_t count_diff(vecta::image_view<const std::uint8_t> a, vecta::image_view<const std::uint8_t> b) {
    std::size_t n = 0;
    for (std::size_t y = 0; y < a.height(); ++y)
        for (std::size_t x = 0; x < a.width(); ++x) n += a(x, y) != b(x, y);
    return n;
}

std::size_t count_edges(vecta::image_view<const std::uint8_t> a) {
    std::size_t n = 0;
    for (std::size_t y = 0; y < a.height(); ++y)
        for (std::size_t x = 0; x < a.width(); ++x) {
            CHECK((a(x, y) == 0 || a(x, y) == 255));
            n += a(x, y) == 255;
        }
    return n;
}

}  // namespace

TEST_CASE("canny equals a naive reference on random structured images") {
    struct shape {
        std::size_t w, h;
    };
    const shape shapes[] = {{1, 1}, {2, 2}, {1, 12}, {12, 1}, {3, 3}, {31, 24}, {64, 47}};
    std::uint64_t seed = 40;
    for (const auto s : shapes)
        for (int r : {0, 1, 2})
            for (bool l2 : {false, true})
                for (auto border : {border_mode::replicate, border_mode::reflect101, border_mode::constant}) {
                    auto src = imgproc_test::smooth_random_u8(s.w, s.h, ++seed, r);
                    for (auto [low, high] :
                         {std::pair{20.0, 60.0}, {50.0, 150.0}, {100.5, 100.5}, {0.0, 0.0}, {10.0, 400.0}}) {
                        CAPTURE(s.w);
                        CAPTURE(s.h);
                        CAPTURE(r);
                        CAPTURE(l2);
                        CAPTURE(int(border));
                        CAPTURE(low);
                        CAPTURE(high);
                        auto sv = imgproc_test::strided_copy<std::uint8_t>(src.view(), 3);
                        imgproc_test::strided<std::uint8_t> dst(s.w, s.h, 1, 2, 9);
                        vecta::canny(sv.view, dst.view,
                                     {.low = low, .high = high, .l2_gradient = l2, .border = border});
                        const auto ref = ref_canny(src, low, high, l2, border);
                        CHECK(count_diff(dst.view, ref) == 0);
                        CHECK(dst.storage[s.w] == 9);  // row padding untouched
                    }
                }
}

TEST_CASE("canny finds some but not all pixels of a structured image, and thresholds order it") {
    auto src = imgproc_test::smooth_random_u8(80, 60, 3, 1);
    vecta::image<std::uint8_t> a(80, 60), b(80, 60), c(80, 60);
    vecta::canny(src, a, {.low = 20, .high = 60});
    vecta::canny(src, b, {.low = 60, .high = 200});
    vecta::canny(src, c, {.low = 20, .high = 200});
    const auto na = count_edges(a), nb = count_edges(b), nc = count_edges(c);
    CHECK(nb <= nc);
    CHECK(na > 0);
    CHECK(na < 80 * 60 / 2);
    CHECK(nb < na);
    // Edge sets grow with lower thresholds: b within c within a.
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (b.data()[i]) CHECK(c.data()[i]);
        if (c.data()[i]) CHECK(a.data()[i]);
    }
}

TEST_CASE("canny of a filled square is a closed, one-pixel-wide contour") {
    vecta::image<std::uint8_t> src(24, 22);
    for (std::size_t y = 6; y < 16; ++y)
        for (std::size_t x = 5; x < 17; ++x) src(x, y) = 200;
    for (bool l2 : {false, true}) {
        vecta::image<std::uint8_t> e(24, 22);
        vecta::canny(src, e, {.low = 50, .high = 150, .l2_gradient = l2});
        CHECK(count_diff(e, ref_canny(src, 50, 150, l2, border_mode::replicate)) == 0);
        // The edges follow the ring between the outer step (x = 4, y = 5) and the inner one
        // (x = 16, y = 15): OpenCV keeps the left/upper pixel of a symmetric step.
        for (std::size_t y = 0; y < 22; ++y)
            for (std::size_t x = 0; x < 24; ++x) {
                const bool on_ring = x >= 4 && x <= 16 && y >= 5 && y <= 15 && (x == 4 || x == 16 || y == 5 || y == 15);
                // Corners are cut diagonally, one pixel inside the ring.
                const bool near_ring =
                    x >= 4 && x <= 16 && y >= 5 && y <= 15 && !(x >= 6 && x <= 14 && y >= 7 && y <= 13);
                if (e(x, y)) CHECK(near_ring);
                // Every ring pixel away from the corners is an edge.
                const bool side = on_ring && ((x >= 6 && x <= 14) || (y >= 7 && y <= 13));
                if (side) CHECK(e(x, y) == 255);
            }
        // One pixel wide: no 2x2 block of edges.
        for (std::size_t y = 0; y + 1 < 22; ++y)
            for (std::size_t x = 0; x + 1 < 24; ++x)
                CHECK_FALSE((e(x, y) && e(x + 1, y) && e(x, y + 1) && e(x + 1, y + 1)));
        // Closed: the inside is not 4-connected to the outside through non-edge pixels.
        std::vector<int> seen(24 * 22, 0);
        std::vector<std::size_t> stack{0};
        seen[0] = 1;
        while (!stack.empty()) {
            const std::size_t i = stack.back();
            stack.pop_back();
            const std::size_t x = i % 24, y = i / 24;
            const std::size_t nb[4] = {x > 0 ? i - 1 : i, x + 1 < 24 ? i + 1 : i, y > 0 ? i - 24 : i,
                                       y + 1 < 22 ? i + 24 : i};
            for (std::size_t j : nb)
                if (!seen[j] && e.data()[j] == 0) {
                    seen[j] = 1;
                    stack.push_back(j);
                }
        }
        CHECK_FALSE(seen[10 * 24 + 10]);
        CHECK(seen[0]);
    }
}

TEST_CASE("canny thresholds are strict: a 0 -> 25 step has magnitude 100") {
    // As verified against OpenCV 4.6: Canny(50, 100) gives no edge, (50, 99) an edge on the left
    // column of the step only; L2 (50, 99.99) gives the edge too.
    vecta::image<std::uint8_t> src(8, 5);
    for (std::size_t y = 0; y < 5; ++y)
        for (std::size_t x = 4; x < 8; ++x) src(x, y) = 25;
    vecta::image<std::uint8_t> e(8, 5);
    vecta::canny(src, e, {.low = 50, .high = 100});
    CHECK(count_edges(e) == 0);
    vecta::canny(src, e, {.low = 50, .high = 99});
    CHECK(count_edges(e) == 5);
    for (std::size_t y = 0; y < 5; ++y) CHECK(e(3, y) == 255);
    vecta::canny(src, e, {.low = 50, .high = 99.99, .l2_gradient = true});
    CHECK(count_edges(e) == 5);
}

TEST_CASE("canny: seq equals par, SIMD equals scalar") {
    auto src = imgproc_test::smooth_random_u8(173, 259, 77, 2);
    for (bool l2 : {false, true}) {
        vecta::image<std::uint8_t> a(173, 259), b(173, 259), c(173, 259);
        const vecta::canny_params p{.low = 15, .high = 45, .l2_gradient = l2};
        vecta::canny(vecta::seq, src, a, p);
        vecta::canny(vecta::par, src, b, p);
        vecta::canny(vecta::par | vecta::simd::scalar, src, c, p);
        CHECK(count_edges(a) > 100);
        CHECK(count_diff(a, b) == 0);
        CHECK(count_diff(a, c) == 0);
    }
}

TEST_CASE("canny: every enabled xsimd architecture equals the scalar path") {
    auto src = imgproc_test::smooth_random_u8(67, 41, 78, 1);
    for (bool l2 : {false, true}) {
        const vecta::canny_params p{.low = 10, .high = 30, .l2_gradient = l2};
        vecta::image<std::uint8_t> ref(67, 41);
        vecta::canny(vecta::seq | vecta::simd::scalar, src, ref, p);
        CHECK(count_edges(ref) > 20);
        imgproc_test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            vecta::image<std::uint8_t> out(67, 41);
            vecta::canny(policy, src, out, p);
            CHECK(count_diff(out, ref) == 0);
        });
    }
}

TEST_CASE("canny rejects bad input with the argument's name") {
    auto src = imgproc_test::random_u8(6, 5, 1, 2);
    auto rgb = imgproc_test::random_u8(6, 5, 3, 2);
    vecta::image<std::uint8_t> dst(6, 5), small(6, 4), three(6, 5, 3);
    const double nan = std::nan("");
    auto throws_with = [](auto&& f, const char* what) {
        CHECK_THROWS_WITH_AS(f(), doctest::Contains(what), vecta::invalid_argument);
    };
    throws_with([&] { vecta::canny(vecta::image_view<const std::uint8_t>{}, dst); }, "src");
    throws_with([&] { vecta::canny(rgb, three); }, "src");
    throws_with([&] { vecta::canny(src, small); }, "dst");
    throws_with([&] { vecta::canny(vecta::par, src, three); }, "dst");
    throws_with([&] { vecta::canny(src, dst, {.low = 100, .high = 50}); }, "params.low");
    throws_with([&] { vecta::canny(src, dst, {.low = -1}); }, "params.low");
    throws_with([&] { vecta::canny(src, dst, {.low = nan}); }, "params.low");
    throws_with([&] { vecta::canny(src, dst, {.high = nan}); }, "params.high");
    throws_with([&] { vecta::canny(src, dst, {.low = -5, .high = -1}); }, "params.low");
    throws_with([&] { vecta::canny(src, dst, {.border = static_cast<border_mode>(4)}); }, "params.border");
    throws_with([&] { vecta::canny(src, src); }, "dst");
    // Infinite high threshold: valid, no strong pixel, so no edge.
    CHECK_NOTHROW(vecta::canny(src, dst, {.low = 1, .high = std::numeric_limits<double>::infinity()}));
    CHECK(count_edges(dst) == 0);
}
