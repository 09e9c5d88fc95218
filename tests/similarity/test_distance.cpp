// SPDX-License-Identifier: MIT
// Pairwise kernels against a long-double reference, on every compiled xsimd architecture and the
// scalar path; zero vectors, NaN, shape errors, int8.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vecta/similarity/distance.hpp>
#include <vector>

#include "sim_test_support.hpp"

using vecta::metric;

namespace {
using sim_test::all_metrics;

template <class T>
void check_pairs() {
    for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(16), std::size_t(767), std::size_t(769)}) {
        const auto a = sim_test::random_matrix<T>(1, n, 11 + n, -2, 2);
        const auto b = sim_test::random_matrix<T>(1, n, 97 + n, -1, 3);
        for (metric m : all_metrics) {
            const auto ref = sim_test::reference(m, a.data(), b.data(), n);
            const long double tol = sim_test::bound<T>(m, ref, n);
            const T scalar = vecta::distance(vecta::seq | vecta::simd::scalar, m, a, b);
            CAPTURE(n);
            CAPTURE(vecta::to_string(m));
            CHECK(std::fabs(scalar - ref.value) <= tol);
            sim_test::for_each_arch([&](auto policy, const char* arch) {
                CAPTURE(arch);
                const T simd = vecta::distance(policy, m, a, b);
                CHECK(std::fabs(simd - ref.value) <= tol);
                // SIMD == scalar within twice the bound (both are within it of the exact value).
                CHECK(std::fabs(simd - scalar) <= 2 * tol);
            });
        }
    }
}
}  // namespace

TEST_CASE("similarity: pairwise metrics match a long double reference (f32, f64, odd dims)") {
    check_pairs<float>();
    check_pairs<double>();
}

TEST_CASE("similarity: named functions equal distance(metric)") {
    const auto a = sim_test::random_matrix<float>(1, 33, 1), b = sim_test::random_matrix<float>(1, 33, 2);
    CHECK(vecta::dot(a, b) == vecta::distance(metric::dot, a, b));
    CHECK(vecta::cosine(a, b) == vecta::distance(metric::cosine, a, b));
    CHECK(vecta::sqeuclidean(a, b) == vecta::distance(metric::sqeuclidean, a, b));
    CHECK(vecta::euclidean(a, b) == vecta::distance(metric::euclidean, a, b));
    CHECK(vecta::manhattan(a, b) == vecta::distance(metric::manhattan, a, b));
    CHECK(vecta::euclidean(a, b) == std::sqrt(vecta::sqeuclidean(a, b)));
}

TEST_CASE("similarity: zero vectors and known values") {
    const std::vector<double> z(5, 0.0), x{3, 4, 0, 0, 0}, y{0, 0, 0, 0, 2};
    CHECK(vecta::cosine(z, x) == 0.0);
    CHECK(vecta::cosine(z, z) == 0.0);
    CHECK(vecta::cosine(vecta::seq | vecta::simd::scalar, z, x) == 0.0);
    CHECK(vecta::dot(z, x) == 0.0);
    CHECK(vecta::euclidean(x, y) == doctest::Approx(std::sqrt(29.0)));
    CHECK(vecta::manhattan(x, y) == 9.0);
    CHECK(vecta::cosine(x, x) == 1.0);  // clamped to [-1, 1]
    std::vector<float> big(769, 0.1f), neg(769, -0.1f);
    CHECK(vecta::cosine(big, big) == 1.0f);
    CHECK(vecta::cosine(big, neg) == -1.0f);
    const std::vector<float> empty;
    CHECK(vecta::dot(empty, empty) == 0.0f);
    CHECK(vecta::cosine(empty, empty) == 0.0f);
}

TEST_CASE("similarity: NaN propagates through every pairwise metric") {
    for (std::size_t n : {std::size_t(1), std::size_t(40)}) {
        std::vector<float> a(n, 1.0f), b(n, 2.0f);
        a[n / 2] = std::numeric_limits<float>::quiet_NaN();
        for (metric m : all_metrics) {
            CHECK(std::isnan(vecta::distance(m, a, b)));
            CHECK(std::isnan(vecta::distance(vecta::seq | vecta::simd::scalar, m, a, b)));
        }
    }
}

TEST_CASE("similarity: size mismatch is rejected with the argument named") {
    const std::vector<float> a(4), b(5);
    CHECK_THROWS_WITH_AS(vecta::dot(a, b), "vecta::dot: b.size() must equal a.size()", vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::cosine(a, b), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::manhattan(vecta::par, a, b), vecta::invalid_argument);
    const std::vector<std::int8_t> c(3), d(2);
    CHECK_THROWS_AS(vecta::dot(c, d), vecta::invalid_argument);
}

TEST_CASE("similarity: int8 dot with int32 accumulation is exact") {
    for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(767), std::size_t(769), std::size_t(70000)}) {
        std::vector<std::int8_t> a(n), b(n);
        sim_test::rng r{n};
        std::int64_t ref = 0;
        for (std::size_t i = 0; i < n; ++i) {
            a[i] = static_cast<std::int8_t>(int(r.next() % 256) - 128);
            b[i] = static_cast<std::int8_t>(int(r.next() % 256) - 128);
            ref += std::int64_t(a[i]) * b[i];
        }
        CHECK(vecta::dot(a, b) == ref);
        CHECK(vecta::dot(vecta::par | vecta::simd::scalar, a, b) == ref);
        sim_test::for_each_arch([&](auto policy, const char* arch) {
            CAPTURE(arch);
            CHECK(vecta::dot(policy, a, b) == ref);
        });
    }
    // Extremes: -128 * -128 summed 140,000 times exceeds int32.
    std::vector<std::int8_t> m(140000, -128);
    CHECK_THROWS_AS(vecta::dot(m, m), vecta::invalid_argument);
    std::vector<std::int8_t> s(131000, -128), t(131000, 127);
    CHECK(vecta::dot(s, t) == std::int64_t(131000) * -128 * 127);
}
