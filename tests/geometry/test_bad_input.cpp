// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/geometry: douglas_peucker(_indices), bezier_fit, find_contours and
// trace_regions with empty and one-point polylines, NaN and infinity, negative tolerances,
// zero and one-pixel images, padded strides and sizes whose products overflow.
#include <doctest/doctest.h>

#include <climits>
#include <cmath>
#include <limits>
#include <string>
#include <vecta/geometry/bezier_fit.hpp>
#include <vecta/geometry/douglas_peucker.hpp>
#include <vecta/geometry/find_contours.hpp>
#include <vecta/geometry/trace_regions.hpp>
#include <vector>

#include "test_support.hpp"

namespace {
using vecta_test::names;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();
using polyline2d = std::vector<vecta::point2d>;
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: douglas_peucker") {
    const polyline2d square{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (bool closed : {false, true}) {
        CHECK_BAD(vecta::douglas_peucker(square, {.epsilon = -1.0, .closed = closed}), "epsilon");
        CHECK_BAD(vecta::douglas_peucker(square, {.epsilon = nan_v, .closed = closed}), "epsilon");
        CHECK_BAD(vecta::douglas_peucker_indices(square, {.epsilon = -1e-300, .closed = closed}), "epsilon");
        CHECK_BAD(vecta::douglas_peucker(polyline2d{{0, 0}, {nan_v, 1}, {2, 2}}, {.epsilon = 0.5, .closed = closed}),
                  "points");
        CHECK_BAD(vecta::douglas_peucker(polyline2d{{0, 0}, {1, inf_v}}, {.epsilon = 0.5, .closed = closed}), "points");
        CHECK_BAD(
            vecta::douglas_peucker_indices(vecta::seq, polyline2d{{-inf_v, 0}}, {.epsilon = 0.5, .closed = closed}),
            "points");
        // Empty, one and two points come back unchanged.
        CHECK(vecta::douglas_peucker(polyline2d{}, {.epsilon = 1.0, .closed = closed}).empty());
        CHECK(vecta::douglas_peucker_indices(polyline2d{{3, 4}}, {.epsilon = 1.0, .closed = closed}) ==
              std::vector<std::size_t>{0});
        CHECK(vecta::douglas_peucker(polyline2d{{0, 0}, {0, 0}}, {.epsilon = 0.0, .closed = closed}).size() == 2);
        // epsilon = +inf keeps only what is always kept; epsilon 0 keeps every corner.
        CHECK(vecta::douglas_peucker_indices(square, {.epsilon = inf_v, .closed = closed}) ==
              (closed ? std::vector<std::size_t>{0, 2} : std::vector<std::size_t>{0, 3}));
        CHECK(vecta::douglas_peucker(square, {.epsilon = 0.0, .closed = closed}).size() == 4);
    }
    // Huge finite coordinates (their differences overflow to infinity) neither crash nor drop
    // the endpoints.
    const polyline2d far{{-1e308, 0}, {0, 1e308}, {1e308, 0}};
    const auto idx = vecta::douglas_peucker_indices(far, {.epsilon = 1.0});
    CHECK(idx.front() == 0);
    CHECK(idx.back() == 2);
}

TEST_CASE("bad input: bezier_fit") {
    const polyline2d line{{0, 0}, {1, 0}, {2, 0}};
    CHECK_BAD(vecta::bezier_fit(line, {.max_error = 0}), "params.max_error");
    CHECK_BAD(vecta::bezier_fit(line, {.max_error = -1}), "params.max_error");
    CHECK_BAD(vecta::bezier_fit(line, {.max_error = nan_v}), "params.max_error");
    CHECK_BAD(vecta::bezier_fit(line, {.corner_angle_deg = 0}), "params.corner_angle_deg");
    CHECK_BAD(vecta::bezier_fit(line, {.corner_angle_deg = 180.5}), "params.corner_angle_deg");
    CHECK_BAD(vecta::bezier_fit(line, {.corner_angle_deg = nan_v}), "params.corner_angle_deg");
    CHECK_BAD(vecta::bezier_fit(polyline2d{}, {}), "points");
    CHECK_BAD(vecta::bezier_fit(polyline2d{{1, 1}}, {}), "points");
    CHECK_BAD(vecta::bezier_fit(polyline2d{{1, 1}, {1, 1}, {1, 1}}, {}), "points");  // one distinct point
    CHECK_BAD(vecta::bezier_fit(polyline2d{{1, 1}, {1, 1}}, {.closed = true}), "points");
    CHECK(vecta::bezier_fit(polyline2d{{1, 1}, {2, 2}, {1, 1}}, {.closed = true}).size() >=
          1);  // the repeated end is dropped
    CHECK_BAD(vecta::bezier_fit(polyline2d{{0, 0}, {nan_v, 0}, {2, 0}}, {}), "points");
    CHECK_BAD(vecta::bezier_fit(vecta::seq, polyline2d{{0, 0}, {inf_v, 0}}, {}), "points");
    // Regression (fuzz_kernels): coordinates near DBL_MAX gave infinite control points; they
    // are refused, 1e100 still fits.
    CHECK_BAD(vecta::bezier_fit(polyline2d{{-1.47e308, 1e6}, {1e6, -4e5}, {-4e5, -2e5}}, {.closed = true}), "points");
    CHECK_BAD(vecta::bezier_fit(polyline2d{{0, 0}, {1e101, 0}}, {}), "points");
    for (const auto& c :
         vecta::bezier_fit(polyline2d{{-1e100, 1e100}, {1e100, -1e100}, {1e100, 1e100}}, {.closed = true}))
        CHECK((std::isfinite(c.p1.x) && std::isfinite(c.p1.y) && std::isfinite(c.p2.x) && std::isfinite(c.p2.y)));
    // max_error = +inf: one segment per corner-free span.
    const auto one =
        vecta::bezier_fit(polyline2d{{0, 0}, {1, 1}, {2, 0}, {3, 1}}, {.max_error = inf_v, .corner_angle_deg = 180});
    CHECK(one.size() == 1);
    // Two distinct points: one straight segment; closed, the ring goes there and back.
    CHECK(vecta::bezier_fit(polyline2d{{0, 0}, {3, 0}}, {}).size() == 1);
}

TEST_CASE("bad input: find_contours") {
    CHECK_BAD(vecta::find_contours(vecta::image_view<const std::uint8_t>()), "binary");
    const auto two = vecta_test::random_image(3, 3, 2, 1);
    CHECK_BAD(vecta::find_contours(two.view()), "binary");
    const vecta::image<std::uint8_t> px(1, 1, 1, 1);
    CHECK_BAD(vecta::find_contours(px.view(), {.mode = static_cast<vecta::retrieval>(7)}), "params.mode");
    // Sizes whose padded buffer would overflow are refused before reading (fake views).
    std::uint8_t buf[4] = {};
    CHECK_BAD(vecta::find_contours(vecta::image_view<const std::uint8_t>(buf, 70000, 70000, 1, 70000)), "binary");
    CHECK_BAD(vecta::find_contours(vecta::image_view<const std::uint8_t>(buf, std::size_t(INT_MAX), 1)), "binary");
    // One pixel, background and foreground.
    CHECK(vecta::find_contours(vecta::image<std::uint8_t>(1, 1).view()).empty());
    const auto c = vecta::find_contours(px.view(), {.mode = vecta::retrieval::tree});
    REQUIRE(c.size() == 1);
    CHECK(c[0].points.size() == 1);
    CHECK(c[0].parent == -1);
    // A padded stride gives the result of the packed image.
    const auto packed = vecta_test::random_image(7, 5, 1, 9, 0, 1);
    std::vector<std::uint8_t> padded(5 * 10, 1);
    for (std::size_t y = 0; y < 5; ++y)
        for (std::size_t x = 0; x < 7; ++x) padded[y * 10 + x] = packed(x, y);
    const auto a = vecta::find_contours(packed.view()),
               b = vecta::find_contours(vecta::image_view<const std::uint8_t>(padded.data(), 7, 5, 1, 10));
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].points == b[i].points);
}

TEST_CASE("bad input: trace_regions") {
    CHECK_BAD(vecta::trace_regions(vecta::image_view<const std::uint8_t>()), "labels");
    const auto two = vecta_test::random_image(3, 3, 2, 1);
    CHECK_BAD(vecta::trace_regions(two.view()), "labels");
    std::uint16_t buf[4] = {};
    // 2^32 pixels and sides above INT_MAX are refused before reading (fake views).
    CHECK_BAD(vecta::trace_regions(
                  vecta::image_view<const std::uint16_t>(buf, std::size_t(1) << 16, std::size_t(1) << 16, 1)),
              "labels");
    CHECK_BAD(vecta::trace_regions(vecta::image_view<const std::uint16_t>(buf, std::size_t(INT_MAX) + 1, 1)), "labels");
    // One pixel: one region, a unit square.
    const vecta::image<std::uint32_t> px(1, 1, 1, 0xFFFFFFFFu);
    const auto r = vecta::trace_regions(px);
    REQUIRE(r.size() == 1);
    CHECK(r[0].label == 0xFFFFFFFFu);
    CHECK(r[0].outline.size() == 4);
    CHECK(r[0].enclosed_area == 1);
    // A 1 x n and n x 1 strip of distinct labels: n unit squares.
    vecta::image<std::uint8_t> row(5, 1), col(1, 5);
    for (std::uint8_t i = 0; i < 5; ++i) row(i, 0) = col(0, i) = i;
    CHECK(vecta::trace_regions(row).size() == 5);
    CHECK(vecta::trace_regions(col).size() == 5);
    // A padded stride gives the result of the packed image.
    const auto packed = vecta_test::random_image(6, 4, 1, 3, 0, 2);
    std::vector<std::uint8_t> padded(4 * 9, 7);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 0; x < 6; ++x) padded[y * 9 + x] = packed(x, y);
    const auto a = vecta::trace_regions(packed.view());
    const auto b = vecta::trace_regions(vecta::image_view<const std::uint8_t>(padded.data(), 6, 4, 1, 9));
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].outline == b[i].outline);
}
