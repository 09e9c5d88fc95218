// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/svg: path_builder precision and coordinates (NaN, infinity, above
// 1e12), document sizes 0, and path data that could break out of the attribute.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vecta/svg/document.hpp>
#include <vecta/svg/path_builder.hpp>

#include "test_support.hpp"

namespace {
using vecta_test::names;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: path_builder") {
    CHECK_BAD(vecta::svg::path_builder(-1), "precision");
    CHECK_BAD(vecta::svg::path_builder(7), "precision");
    vecta::svg::path_builder b(2);
    CHECK_BAD(b.move_to(nan_v, 0), "move_to");
    CHECK_BAD(b.move_to(0, inf_v), "move_to");
    CHECK_BAD(b.line_to(-inf_v, 0), "line_to");
    CHECK_BAD(b.line_to(1e12 * 1.01, 0), "line_to");
    CHECK_BAD(b.cubic_to(0, 0, nan_v, 0, 1, 1), "cubic_to");
    CHECK(b.empty());  // refused commands write nothing
    CHECK(b.nodes() == 0);
    // The largest accepted magnitude at the largest precision stays exact.
    vecta::svg::path_builder big(6);
    big.move_to(1e12, -1e12);
    CHECK(big.str() == "m1000000000000-1000000000000");
    // Empty path: close alone is allowed (a 'z' with no subpath), nodes stay 0.
    vecta::svg::path_builder z(0);
    z.close();
    CHECK(z.str() == "z");
    CHECK(z.nodes() == 0);
}

TEST_CASE("bad input: document") {
    CHECK_BAD(vecta::svg::document(0, 5), "width");
    CHECK_BAD(vecta::svg::document(5, 0), "height");
    vecta::svg::document doc(1, 1);
    doc.add_path("", {1, 2, 3});  // skipped
    CHECK(doc.paths() == 0);
    // Regression (fuzz_svg): path data is pasted into d="..." and was not checked, so a quote
    // or '<' could inject attributes or elements.
    CHECK_BAD(doc.add_path("m0 0\"/><script>alert(1)</script><path d=\"", {0, 0, 0}), "d");
    CHECK_BAD(doc.add_path("m0 0&amp;", {0, 0, 0}), "d");
    CHECK_BAD(doc.add_path(std::string("m0 0\0", 5), {0, 0, 0}), "d");
    CHECK(doc.paths() == 0);
    doc.add_path("M0,0 L1e-3 .5\tz", {0, 0, 0});  // every path data character is accepted
    CHECK(doc.paths() == 1);
    CHECK(doc.str().find("<script>") == std::string::npos);
}
