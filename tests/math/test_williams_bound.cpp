// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vecta/math/williams_bound.hpp>
#include <vector>

#include "../test_arch.hpp"

namespace w = vecta::williams;

namespace {
// Reference in long double, written from the formulas of the issue.
long double ref_bound(long double t) { return t <= 1 ? 1.0L : sqrtl(t) * log2l(t); }

std::vector<double> log_uniform_t(std::size_t n, std::uint64_t seed) {
    std::vector<double> t(n);
    std::uint64_t s = seed;
    for (auto& x : t) {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        const double u = double(z >> 11) * 0x1p-53;  // [0, 1)
        x = std::exp(std::log(2.0) + u * (std::log(1e12) - std::log(2.0)));
    }
    return t;
}
}  // namespace

TEST_CASE("williams: published values at t = 100, 1000, 10000 to 1e-6") {
    CHECK(std::abs(w::space_bound(100.0) - 66.438562) < 1e-6);
    CHECK(std::abs(w::efficiency(100.0) - 1.505150) < 1e-6);
    CHECK(std::abs(w::space_saved(100.0) - 33.561438) < 1e-6);
    CHECK(std::abs(w::space_bound(10000.0) - 1328.771238) < 1e-6);
    CHECK(std::abs(w::efficiency(10000.0) - 7.525750) < 1e-6);
    CHECK(std::abs(w::space_saved(10000.0) - 86.712288) < 1e-6);
    // t = 1000: the formula's values, not the 315.228787 that circulated.
    CHECK(std::abs(w::space_bound(1000.0) - 315.145770) < 1e-6);
    CHECK(std::abs(w::efficiency(1000.0) - 3.173135) < 1e-6);
    CHECK(std::abs(w::space_saved(1000.0) - 68.485423) < 1e-6);
    CHECK(std::abs(w::space_bound(1000.0) - 315.228787) > 0.08);
}

TEST_CASE("williams: space_bound matches the long double formula; 0 <= t <= 1 gives 1") {
    for (double t : {1.0, 1.5, 2.0, 3.0, 7.0, 1e3, 123456.789, 1e12, 1e100}) {
        const long double r = ref_bound(t);
        CHECK(std::abs((long double)w::space_bound(t) - r) <= r * 1e-15L);
    }
    for (double t : {1.0, 0.5, 0.0, -0.0}) CHECK(w::space_bound(t) == 1.0);
    CHECK(std::isinf(w::space_bound(std::numeric_limits<double>::infinity())));
    CHECK(w::space_bound(4.0) == 4.0);
    CHECK(w::space_bound(16.0) == 16.0);
    CHECK(w::efficiency(0.5) == 0.5);
}

TEST_CASE("williams: space_saved is negative exactly where the bound exceeds t (4 < t < 16)") {
    CHECK(w::space_saved(4.0) == 0.0);
    CHECK(w::space_saved(16.0) == 0.0);
    for (double t : {4.5, 8.0, 12.0, 15.5}) CHECK(w::space_saved(t) < 0);
    // t = 8: sqrt(8) * 3 = 8.485281374; (8 - 8.485281374) / 8 * 100 = -6.066017178
    CHECK(std::abs(w::space_saved(8.0) - (-6.066017177982128)) < 1e-9);
    for (double t : {2.0, 3.0, 17.0, 1e6}) CHECK(w::space_saved(t) > 0);
    CHECK(w::space_saved(0.5) == doctest::Approx(-100.0));  // bound 1
}

TEST_CASE("williams: sqrt_t_log_t_bound") {
    CHECK(std::abs(w::sqrt_t_log_t_bound(1000.0) - (double)sqrtl(1000.0L * log2l(1000.0L))) < 1e-12);
    CHECK(std::abs(w::sqrt_t_log_t_bound(1000.0) - 99.82877) < 1e-5);
    CHECK(w::sqrt_t_log_t_bound(16.0) == 8.0);
    CHECK(w::sqrt_t_log_t_bound(1.0) == 1.0);
    CHECK(w::sqrt_t_log_t_bound(0.5) == 1.0);
}

TEST_CASE("williams: batch_size floors and clamps to [1, n]; the memory-aware form caps by budget") {
    CHECK(w::batch_size(1) == 1);
    CHECK(w::batch_size(2) == 1);     // floor(1.414)
    CHECK(w::batch_size(3) == 2);     // floor(2.746)
    CHECK(w::batch_size(10) == 10);   // 10.50 clamped to n
    CHECK(w::batch_size(16) == 16);   // exactly 16
    CHECK(w::batch_size(100) == 66);  // 66.44
    CHECK(w::batch_size(1000) == 315);
    CHECK(w::batch_size(10000) == 1328);
    CHECK(w::batch_size(SIZE_MAX) == std::size_t(1) << 38);  // n is taken as double: 2^64, bound 2^32 * 64
    CHECK(w::batch_size(10000, 1000, 8) == 125);
    CHECK(w::batch_size(10000, 4, 8) == 1);  // at least 1
    CHECK(w::batch_size(100, 1 << 20, 8) == 66);
    CHECK(w::batch_size(5, 1000, 1) == 5);
}

TEST_CASE("williams: confidence_multiplier and enhance_confidence") {
    CHECK(w::confidence_multiplier(1.0) == 0.85);
    CHECK(w::confidence_multiplier(0.0) == 0.85);
    CHECK(w::confidence_multiplier(-0.0) == 0.85);
    // 0.85 + 0.15 * (1.505149978 / 10)
    CHECK(std::abs(w::confidence_multiplier(100.0) - (0.85 + 0.15 * 0.1505149978319906)) < 1e-12);
    CHECK(w::confidence_multiplier(1e6) == 1.0);  // efficiency 50.2 > 10
    CHECK(std::abs(w::enhance_confidence(0.5, 100.0) - 0.5 * 0.8725772496747986) < 1e-12);
    CHECK(w::enhance_confidence(0.9, 1e6) == 0.9);
    CHECK(w::enhance_confidence(1.0, 1e6) == 1.0);
    CHECK(w::enhance_confidence(0.0, 100.0) == 0.0);
}

TEST_CASE("williams: batched == scalar (exact on the scalar path, within 4 ulp with SIMD), seq == par") {
    auto t = log_uniform_t(100003, 42);
    for (double s : {0.5, 1.0, -0.0, 2.0, 4.0, 16.0, 1e300, std::numeric_limits<double>::infinity()}) t.push_back(s);
    std::vector<double> scalar(t.size()), simd(t.size()), par(t.size()), sq(t.size()), sq_simd(t.size());
    w::space_bound(vecta::seq | vecta::simd::scalar, t, scalar);
    w::space_bound(t, simd);
    w::space_bound(vecta::par, t, par);
    w::sqrt_t_log_t_bound(vecta::seq | vecta::simd::scalar, t, sq);
    w::sqrt_t_log_t_bound(vecta::seq, t, sq_simd);
    std::size_t exact_bad = 0, simd_bad = 0, sq_bad = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        exact_bad += scalar[i] != w::space_bound(t[i]);
        sq_bad += sq[i] != w::sqrt_t_log_t_bound(t[i]);
        const double r = w::space_bound(t[i]);
        if (std::isinf(r))
            simd_bad += simd[i] != r;
        else
            simd_bad += std::abs(simd[i] - r) > 4 * std::numeric_limits<double>::epsilon() * r;
        const double q = w::sqrt_t_log_t_bound(t[i]);
        if (!std::isinf(q)) sq_bad += std::abs(sq_simd[i] - q) > 4 * std::numeric_limits<double>::epsilon() * q;
    }
    CHECK(exact_bad == 0);
    CHECK(simd_bad == 0);
    CHECK(sq_bad == 0);
    CHECK(par == simd);
    // Empty input is fine.
    std::vector<double> none;
    w::space_bound(none, none);
}

TEST_CASE("williams: batched bounds at every run-time SIMD level (identical across vector levels, 4 ulp)") {
    // t near 1 (x = 2^e m with e = 0 and tiny f), around the sqrt(2) mantissa split, powers of
    // two, huge values, t <= 1 and +inf, at lengths that leave every tail size.
    auto t = log_uniform_t(4099, 7);
    std::uint64_t s = 99;
    for (int i = 0; i < 2000; ++i) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        t.push_back(1.0 + std::ldexp(double(s >> 11) * 0x1p-53, -int(s % 53)));
    }
    for (double v : {1.0 + 0x1p-52, 1.4142135623730950, 1.4142135623730951, 1.4142135623730952, 2.0, 4.0, 1024.0,
                     0x1p1023, 1.7976931348623157e308, 1.0, 0.5, 0.0, -0.0, std::numeric_limits<double>::infinity()})
        t.push_back(v);
    for (std::size_t n : {t.size(), std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(5), std::size_t(7),
                          std::size_t(9), std::size_t(15)}) {
        const std::span<const double> in(t.data() + (t.size() - n), n);  // ends with the special values
        std::vector<double> first_sb, first_sq;
        vecta::test::for_each_arch([&](auto policy, const char* name) {
            INFO(std::string(name), " n ", n);
            std::vector<double> sb(n), sq(n);
            w::space_bound(policy, in, sb);
            w::sqrt_t_log_t_bound(policy, in, sq);
            std::size_t bad = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const long double x = in[i];
                // t log2 t overflows double near DBL_MAX (the bound is then +inf in double).
                const long double prod = x * log2l(x);
                const long double rb = ref_bound(x), rq = x <= 1 ? 1.0L
                                                          : prod > (long double)std::numeric_limits<double>::max()
                                                              ? HUGE_VALL
                                                              : sqrtl(prod);
                auto off = [](double got, long double ref) {
                    if (std::isinf(double(ref))) return got != double(ref);
                    // 4 units in the last place of the reference rounded to double.
                    const double r = double(ref);
                    const double ulp = std::nextafter(std::fabs(r), HUGE_VAL) - std::fabs(r);
                    return fabsl(got - ref) > 4.0L * ulp;
                };
                bad += off(sb[i], rb) + off(sq[i], rq);
            }
            CHECK(bad == 0);
            const bool vector_level = vecta::detail::policy_level(policy) != vecta::simd::level::scalar;
            if (vector_level && first_sb.empty()) {
                first_sb = sb;
                first_sq = sq;
            } else if (vector_level) {
                CHECK(sb == first_sb);  // the same bits at sse2, avx2, avx512 (and neon)
                CHECK(sq == first_sq);
            }
        });
    }
}

TEST_CASE("williams: bad input throws vecta::invalid_argument naming the argument") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(w::space_bound(nan), doctest::Contains("t"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::sqrt_t_log_t_bound(nan), doctest::Contains("t must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::efficiency(nan), doctest::Contains("t must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::space_saved(nan), doctest::Contains("t must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::space_saved(0.0), doctest::Contains("t must be > 0"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::space_saved(-1.0), doctest::Contains("t must be > 0"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::batch_size(0), doctest::Contains("n must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::batch_size(0, 10, 1), doctest::Contains("n must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::batch_size(10, 0, 1), doctest::Contains("budget_bytes"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::batch_size(10, 10, 0), doctest::Contains("item_bytes"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::confidence_multiplier(nan), doctest::Contains("n must"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::enhance_confidence(nan, 10), doctest::Contains("base"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::enhance_confidence(1.5, 10), doctest::Contains("base"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::enhance_confidence(-0.1, 10), doctest::Contains("base"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::enhance_confidence(0.5, nan), doctest::Contains("n must"), vecta::invalid_argument);
    std::vector<double> t{1.0, 2.0, nan, 4.0}, out(4), small(3);
    CHECK_THROWS_WITH_AS(w::space_bound(t, small), doctest::Contains("out"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::space_bound(t, out), doctest::Contains("t must not contain NaN"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(w::space_bound(vecta::seq | vecta::simd::scalar, t, out), doctest::Contains("NaN"),
                         vecta::invalid_argument);
    std::vector<double> big(40000, 3.0);
    big[39999] = nan;  // NaN in the SIMD body of the last block, and in a tail
    std::vector<double> big_out(big.size());
    CHECK_THROWS_AS(w::space_bound(vecta::par, big, big_out), vecta::invalid_argument);
    CHECK_THROWS_AS(w::sqrt_t_log_t_bound(big, big_out), vecta::invalid_argument);
    big[39999] = 3.0;
    big[16] = nan;
    CHECK_THROWS_AS(w::space_bound(big, big_out), vecta::invalid_argument);
}

TEST_CASE("williams: negative t is refused, as the Python functions do (stranger2: space_bound(-5) was 1 in C++)") {
    const double ninf = -std::numeric_limits<double>::infinity();
    for (double t : {-5.0, -0x1p-1074, ninf}) {
        CAPTURE(t);
        CHECK_THROWS_WITH_AS(w::space_bound(t), "vecta::williams::space_bound: t must be >= 0",
                             vecta::invalid_argument);
        CHECK_THROWS_WITH_AS(w::sqrt_t_log_t_bound(t), doctest::Contains("t must be >= 0"), vecta::invalid_argument);
        CHECK_THROWS_WITH_AS(w::efficiency(t), doctest::Contains("t must be >= 0"), vecta::invalid_argument);  // was t
        CHECK_THROWS_WITH_AS(w::confidence_multiplier(t), doctest::Contains("n must be >= 0"), vecta::invalid_argument);
        CHECK_THROWS_WITH_AS(w::enhance_confidence(0.5, t), "vecta::williams::enhance_confidence: n must be >= 0",
                             vecta::invalid_argument);
    }
    CHECK(w::space_bound(-0.0) == 1.0);  // -0 is 0
    CHECK(w::efficiency(-0.0) == 0.0);
    // Batched: a negative value anywhere (SIMD body, tail, second block) at every level.
    for (std::size_t n : {std::size_t(1), std::size_t(5), std::size_t(9), std::size_t(40000)})
        for (std::size_t at : {std::size_t(0), n / 2, n - 1}) {
            std::vector<double> t(n, 3.0), out(n);
            t[at] = at % 2 ? ninf : -1.0;
            auto check = [&](auto policy, const char* name) {
                INFO(name, " n ", n, " at ", at);
                CHECK_THROWS_WITH_AS(w::space_bound(policy, t, out),
                                     doctest::Contains("t must not contain NaN or negative"), vecta::invalid_argument);
                CHECK_THROWS_AS(w::sqrt_t_log_t_bound(policy, t, out), vecta::invalid_argument);
            };
            check(vecta::seq | vecta::simd::scalar, "scalar");
            check(vecta::par, "par");
            vecta::test::for_each_arch(check);
        }
}

TEST_CASE(
    "williams: space_saved of a t whose percentage overflows throws; +inf gives the limit (stranger2: -inf, NaN)") {
    for (double t : {5e-324, 0x1p-1022, 1e-308, 5e-307}) {
        CAPTURE(t);
        CHECK_THROWS_WITH_AS(w::space_saved(t), doctest::Contains("t must be >= 100 / DBL_MAX"),
                             vecta::invalid_argument);
    }
    for (double t : {5.6e-307, 1e-300, 1e-10}) {  // (t - 1) / t * 100, finite
        CAPTURE(t);
        const double r = w::space_saved(t);
        CHECK(std::isfinite(r));
        CHECK(r == doctest::Approx((t - 1.0) / t * 100.0).epsilon(1e-15));
    }
    CHECK(w::space_saved(std::numeric_limits<double>::infinity()) == 100.0);  // was (inf - inf) / inf = NaN
    CHECK(w::space_saved(1e300) == doctest::Approx(100.0));
}
