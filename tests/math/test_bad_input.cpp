// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/math (vecta::williams): NaN and infinities, zero sizes, empty and
// mismatched spans.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vecta/math/williams_bound.hpp>
#include <vector>

#include "test_support.hpp"

namespace {
using vecta_test::names;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: williams scalar functions") {
    namespace w = vecta::williams;
    CHECK_BAD(w::space_bound(nan_v), "t");
    CHECK_BAD(w::sqrt_t_log_t_bound(nan_v), "t");
    CHECK_BAD(w::efficiency(nan_v), "t");
    CHECK_BAD(w::space_saved(nan_v), "t");
    CHECK_BAD(w::space_saved(0), "t");
    CHECK_BAD(w::space_saved(-1), "t");
    CHECK_BAD(w::space_saved(-inf_v), "t");
    CHECK_BAD(w::batch_size(0), "n");
    CHECK_BAD(w::batch_size(0, 100, 1), "n");
    CHECK_BAD(w::batch_size(10, 0, 1), "budget_bytes");
    CHECK_BAD(w::batch_size(10, 100, 0), "item_bytes");
    CHECK_BAD(w::confidence_multiplier(nan_v), "n");
    CHECK_BAD(w::enhance_confidence(nan_v, 10), "base");
    CHECK_BAD(w::enhance_confidence(-0.1, 10), "base");
    CHECK_BAD(w::enhance_confidence(1.1, 10), "base");
    CHECK_BAD(w::enhance_confidence(0.5, nan_v), "n");
    // Infinities and the smallest sizes are defined.
    CHECK(w::space_bound(inf_v) == inf_v);
    CHECK_BAD(w::space_bound(-inf_v), "t");
    CHECK_BAD(w::sqrt_t_log_t_bound(-inf_v), "t");
    CHECK_BAD(w::efficiency(-1), "t");
    CHECK_BAD(w::confidence_multiplier(-1), "n");
    CHECK(w::batch_size(1) == 1);
    CHECK(w::batch_size(std::numeric_limits<std::size_t>::max()) >= 1);
    CHECK(w::batch_size(1, 1, 1) == 1);
    // Regression: n = +inf gave inf / inf = NaN (documented range [0.85, 1]; efficiency: +inf).
    CHECK(w::efficiency(inf_v) == inf_v);
    CHECK(w::confidence_multiplier(inf_v) == 1.0);
    CHECK(w::enhance_confidence(0.5, inf_v) == 0.5);
    CHECK(w::enhance_confidence(1.0, inf_v) == 1.0);
}

TEST_CASE("bad input: williams batched functions") {
    namespace w = vecta::williams;
    std::vector<double> t{1, 2, nan_v}, out(3), short_out(2);
    CHECK_BAD(w::space_bound(std::span<const double>(t), std::span<double>(short_out)), "out");
    CHECK_BAD(w::sqrt_t_log_t_bound(std::span<const double>(t), std::span<double>(short_out)), "out");
    CHECK_BAD(w::space_bound(std::span<const double>(t), std::span<double>(out)), "t");
    CHECK_BAD(w::sqrt_t_log_t_bound(vecta::par, std::span<const double>(t), std::span<double>(out)), "t");
    // Empty spans are fine.
    CHECK_NOTHROW(w::space_bound(std::span<const double>(), std::span<double>()));
    CHECK_NOTHROW(w::sqrt_t_log_t_bound(vecta::par, std::span<const double>(), std::span<double>()));
}
