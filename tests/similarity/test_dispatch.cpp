// SPDX-License-Identifier: MIT
// vecta::dispatch (VECTA_RUNTIME_DISPATCH): the kernel the running CPU gets, checked against the
// long double reference with the bound of distance.hpp, against the scalar loops, and, when this
// test is itself compiled for the same instruction set, bit for bit against the header kernels.
#include <doctest/doctest.h>

#if VECTA_TEST_DISPATCH
#include <cmath>
#include <limits>
#include <string_view>
#include <vecta/similarity/dispatch.hpp>
#include <vector>

#include "../../src/dispatch/kernels.hpp"  // the per-instruction-set entry points (not public)
#include "sim_test_support.hpp"

using vecta::metric;

namespace {

/// The instruction set xsimd::dispatch should pick, from GCC / Clang's own CPU detection.
std::string_view expected_arch() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw"))
        return "avx512bw";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "fma3<avx2>";
    if (__builtin_cpu_supports("sse4.2")) return "sse4.2";
    return "scalar";
}

constexpr metric all_metrics[] = {metric::dot, metric::cosine, metric::sqeuclidean, metric::euclidean,
                                  metric::manhattan};

template <class T>
void check_pairs() {
    for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(16), std::size_t(767), std::size_t(769)}) {
        CAPTURE(n);
        const auto a = sim_test::random_matrix<T>(1, n, 100 + n), b = sim_test::random_matrix<T>(1, n, 200 + n);
        for (metric m : all_metrics) {
            CAPTURE(vecta::to_string(m));
            const T got = vecta::dispatch::distance(m, std::span<const T>(a), std::span<const T>(b));
            const auto ref = sim_test::reference(m, a.data(), b.data(), n);
            const long double err = std::fabs(static_cast<long double>(got) - ref.value);
            const long double tol = sim_test::bound<T>(m, ref, n);  // as test_distance.cpp
            CHECK(err <= tol);
            // Against the scalar loops: both within the bound of the reference, so within twice it.
            const T plain = vecta::distance(vecta::seq | vecta::simd::scalar, m, a, b);
            CHECK(std::fabs(static_cast<long double>(got) - plain) <= 2 * tol);
            if constexpr (std::is_same_v<xsimd::default_arch, xsimd::avx512bw>) {
                if (vecta::dispatch::selected_arch() == "avx512bw") CHECK(got == vecta::distance(vecta::seq, m, a, b));
            }
        }
    }
    // The named functions are distance() with their metric.
    const auto a = sim_test::random_matrix<T>(1, 50, 7), b = sim_test::random_matrix<T>(1, 50, 8);
    const std::span<const T> sa(a), sb(b);
    CHECK(vecta::dispatch::dot(sa, sb) == vecta::dispatch::distance(metric::dot, sa, sb));
    CHECK(vecta::dispatch::cosine(sa, sb) == vecta::dispatch::distance(metric::cosine, sa, sb));
    CHECK(vecta::dispatch::sqeuclidean(sa, sb) == vecta::dispatch::distance(metric::sqeuclidean, sa, sb));
    CHECK(vecta::dispatch::euclidean(sa, sb) == vecta::dispatch::distance(metric::euclidean, sa, sb));
    CHECK(vecta::dispatch::manhattan(sa, sb) == vecta::dispatch::distance(metric::manhattan, sa, sb));
}

template <class T>
void check_normalize() {
    const std::size_t rows = 9, cols = 769, stride = 771;
    auto in = sim_test::random_matrix<T>(rows, cols, 300, -2, 2, stride - cols);
    for (std::size_t c = 0; c < cols; ++c) in[4 * stride + c] = T(0);  // a zero row stays zero
    for (vecta::norm_kind k : {vecta::norm_kind::l2, vecta::norm_kind::l1, vecta::norm_kind::max}) {
        CAPTURE(int(k));
        std::vector<T> out(rows * cols), plain(rows * cols);
        const vecta::matrix_view<const T> iv(in.data(), rows, cols, stride);
        vecta::dispatch::normalize(vecta::par, iv, vecta::matrix_view<T>(out.data(), rows, cols), {.norm = k});
        vecta::normalize(vecta::seq | vecta::simd::scalar, iv, vecta::matrix_view<T>(plain.data(), rows, cols),
                         {.norm = k});
        bool ok = true;
        for (std::size_t r = 0; r < rows; ++r) {
            long double norm = 0;  // reference norm in long double
            for (std::size_t c = 0; c < cols; ++c) {
                const long double x = std::fabs(static_cast<long double>(in[r * stride + c]));
                norm = k == vecta::norm_kind::l2   ? norm + x * x
                       : k == vecta::norm_kind::l1 ? norm + x
                                                   : std::fmax(norm, x);
            }
            if (k == vecta::norm_kind::l2) norm = std::sqrt(norm);
            const long double rel = (cols + 3) * std::numeric_limits<T>::epsilon();
            for (std::size_t c = 0; c < cols; ++c) {
                const long double x = in[r * stride + c];
                const long double want = norm == 0 ? 0.0L : x / norm;
                ok = ok && std::fabs(out[r * cols + c] - want) <= rel * std::fabs(want);
                ok = ok && std::fabs(out[r * cols + c] - plain[r * cols + c]) <= 2 * rel * std::fabs(want);
            }
        }
        CHECK(ok);
    }
    // In place equals out of place.
    std::vector<T> out(rows * cols), copy(rows * cols);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) copy[r * cols + c] = in[r * stride + c];
    vecta::dispatch::normalize(vecta::matrix_view<const T>(copy.data(), rows, cols),
                               vecta::matrix_view<T>(out.data(), rows, cols));
    vecta::dispatch::normalize(vecta::matrix_view<T>(copy.data(), rows, cols));
    CHECK(copy == out);
}

}  // namespace

TEST_CASE("dispatch: xsimd::dispatch picks the instruction set the CPU has") {
    MESSAGE("vecta::dispatch runs on " << vecta::dispatch::selected_arch());
    CHECK(vecta::dispatch::selected_arch() == expected_arch());
}

TEST_CASE("dispatch: pairwise metrics within the stated bound of a long double reference, f32 and f64") {
    check_pairs<float>();
    check_pairs<double>();
}

TEST_CASE("dispatch: normalize L2 / L1 / max against a long double reference and the scalar loops") {
    check_normalize<float>();
    check_normalize<double>();
}

TEST_CASE("dispatch: every compiled instruction set the CPU has, against the reference and the scalar loops") {
    __builtin_cpu_init();
    auto run = [](auto arch, const char* name) {
        CAPTURE(name);
        for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(767), std::size_t(769)}) {
            CAPTURE(n);
            const auto a = sim_test::random_matrix<float>(1, n, 500 + n),
                       b = sim_test::random_matrix<float>(1, n, 600 + n);
            const auto ad = sim_test::random_matrix<double>(1, n, 700 + n),
                       bd = sim_test::random_matrix<double>(1, n, 800 + n);
            for (metric m : all_metrics) {
                CAPTURE(vecta::to_string(m));
                const auto ref = sim_test::reference(m, a.data(), b.data(), n);
                const float got = vecta::dispatch::detail::pair_entry{}(arch, m, a.data(), b.data(), n);
                CHECK(std::fabs(got - ref.value) <= sim_test::bound<float>(m, ref, n));
                const auto refd = sim_test::reference(m, ad.data(), bd.data(), n);
                const double gotd = vecta::dispatch::detail::pair_entry{}(arch, m, ad.data(), bd.data(), n);
                CHECK(std::fabs(gotd - refd.value) <= sim_test::bound<double>(m, refd, n));
            }
            std::vector<float> out(n), plain(n);
            vecta::dispatch::detail::normalize_entry{}(arch, vecta::norm_kind::l2, a.data(), n, out.data(), n, 1, n);
            vecta::normalize(vecta::seq | vecta::simd::scalar, vecta::matrix_view<const float>(a.data(), 1, n),
                             vecta::matrix_view<float>(plain.data(), 1, n));
            bool ok = true;
            for (std::size_t c = 0; c < n; ++c)
                ok = ok && std::fabs(out[c] - plain[c]) <= 2.0 * double(n + 3) * 6e-8 * std::fabs(plain[c]);
            CHECK(ok);
        }
    };
    if (__builtin_cpu_supports("sse4.2")) run(xsimd::sse4_2{}, "sse4.2");
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) run(xsimd::fma3<xsimd::avx2>{}, "fma3<avx2>");
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512cd"))
        run(xsimd::avx512bw{}, "avx512bw");
}

TEST_CASE("dispatch: argument errors") {
    std::vector<float> a(5), b(4);
    CHECK_THROWS_WITH_AS(vecta::dispatch::dot(a, b), "vecta::dispatch::distance: b.size() must equal a.size()",
                         vecta::invalid_argument);
    const vecta::matrix_view<const float> in(a.data(), 1, 5);
    CHECK_THROWS_AS(vecta::dispatch::normalize(in, vecta::matrix_view<float>(b.data(), 1, 4)), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::dispatch::normalize(vecta::matrix_view<float>(a.data(), 1, 0)), vecta::invalid_argument);
    // Partial overlap: out starts one element into in.
    std::vector<float> m(12, 1.0f);
    CHECK_THROWS_AS(vecta::dispatch::normalize(vecta::matrix_view<const float>(m.data(), 2, 5),
                                               vecta::matrix_view<float>(m.data() + 1, 2, 5)),
                    vecta::invalid_argument);
}
#endif
