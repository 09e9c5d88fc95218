// SPDX-License-Identifier: MIT
// Similarity / distance matrices: every metric, both paths (blocked, gemm), strides, against the
// long-double reference; seq == par bit for bit; errors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vecta/similarity/matrix.hpp>
#include <vector>

#include "sim_test_arch.hpp"
#include "sim_test_support.hpp"

using vecta::gemm_path;
using vecta::metric;

namespace {
using sim_test::all_metrics;

template <class T>
void check_matrix(std::size_t nq, std::size_t nd, std::size_t dim, gemm_path path) {
    const std::size_t pad = 3;
    auto qv = sim_test::random_matrix<T>(nq, dim, 5 * dim + nq, -1, 1, pad);
    auto dv = sim_test::random_matrix<T>(nd, dim, 7 * dim + nd, -1, 1, pad);
    if (nd > 2)  // a zero database row
        for (std::size_t j = 0; j < dim; ++j) dv[2 * (dim + pad) + j] = T(0);
    const vecta::matrix_view<const T> q(qv.data(), nq, dim, dim + pad), d(dv.data(), nd, dim, dim + pad);
    for (metric m : all_metrics) {
        CAPTURE(vecta::to_string(m));
        CAPTURE(dim);
        CAPTURE(int(path));
        std::vector<T> out(nq * (nd + 1), T(-7));
        vecta::matrix_view<T> ov(out.data(), nq, nd, nd + 1);
        vecta::similarity_matrix(vecta::seq, q, d, ov, {.metric = m, .path = path});
        std::size_t bad = 0;
        for (std::size_t i = 0; i < nq; ++i)
            for (std::size_t j = 0; j < nd; ++j) {
                const auto ref = sim_test::reference(m, q.row(i), d.row(j), dim);
                const long double err = std::fabs(ov(i, j) - ref.value);
                if (!(err <= sim_test::bound<T>(m, ref, dim))) ++bad;
            }
        CHECK(bad == 0);
        for (std::size_t i = 0; i < nq; ++i) CHECK(out[i * (nd + 1) + nd] == T(-7));  // padding untouched
        // par gives the same bits.
        auto par = vecta::similarity_matrix(vecta::par, q, d, {.metric = m, .path = path});
        bool same = true;
        for (std::size_t i = 0; i < nq; ++i)
            for (std::size_t j = 0; j < nd; ++j) same = same && par[i * nd + j] == ov(i, j);
        CHECK(same);
        // scalar within the bound too.
        auto sc = vecta::similarity_matrix(vecta::seq | vecta::simd::scalar, q, d, {.metric = m, .path = path});
        std::size_t bad_sc = 0;
        for (std::size_t i = 0; i < nq; ++i)
            for (std::size_t j = 0; j < nd; ++j) {
                const auto ref = sim_test::reference(m, q.row(i), d.row(j), dim);
                if (!(std::fabs(sc[i * nd + j] - ref.value) <= sim_test::bound<T>(m, ref, dim))) ++bad_sc;
            }
        CHECK(bad_sc == 0);
    }
}
}  // namespace

TEST_CASE("similarity_matrix: blocked path, every metric, odd dims, f32 and f64") {
    for (std::size_t dim : {std::size_t(1), std::size_t(3), std::size_t(767), std::size_t(769)}) {
        check_matrix<float>(7, 133, dim, gemm_path::blocked);
        check_matrix<double>(5, 9, dim, gemm_path::blocked);
    }
}

TEST_CASE("similarity_matrix: gemm path (dot, cosine) and automatic") {
#if defined(__SANITIZE_THREAD__)
    const std::size_t dims[] = {3, 769};  // TSan checks the threading; Release and ASan run every dim
#else
    const std::size_t dims[] = {1, 3, 767, 769};
#endif
    for (std::size_t dim : dims) {
        check_matrix<float>(29, 1100, dim, gemm_path::gemm);  // partial panels in both directions
        check_matrix<double>(3, 20, dim, gemm_path::gemm);
    }
    check_matrix<float>(20, 300, 64, gemm_path::automatic);
}

TEST_CASE("similarity_matrix: gemm path under every run-time SIMD level (the promise of docs/simd.md)") {
    // Each output element is the same k-ascending sequence of steps at every width: sse2 (and
    // neon) equal the scalar loop bit for bit, avx2 equals avx512 (fused multiply-add); l1 has
    // no multiply, so every level is identical; every level within the bound (check_matrix).
    // Cosine divides by norms from the pair kernel, whose partial sums depend on the width: bound
    // only.
    using vecta::simd::level;
    for (std::size_t dim : {std::size_t(5), std::size_t(800)}) {
        const std::size_t nq = 13, nd = 333;
        auto qv = sim_test::random_matrix<float>(nq, dim, 71 + dim), dv = sim_test::random_matrix<float>(nd, dim, 72);
        auto qd = sim_test::random_matrix<double>(nq, dim, 73 + dim), dd = sim_test::random_matrix<double>(nd, dim, 74);
        const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
        const vecta::matrix_view<const double> q64(qd.data(), nq, dim), d64(dd.data(), nd, dim);
        for (metric m : all_metrics) {
            CAPTURE(vecta::to_string(m));
            CAPTURE(dim);
            const vecta::matrix_params prm{.metric = m, .path = gemm_path::gemm};
            const auto scalar = vecta::similarity_matrix(vecta::seq | vecta::simd::scalar, q, d, prm);
            const auto scalar64 = vecta::similarity_matrix(vecta::seq | vecta::simd::scalar, q64, d64, prm);
            std::vector<float> fused;
            std::vector<double> fused64;
            vecta::test::for_each_arch([&](auto pol, const char* name) {
                CAPTURE(name);
                const level l = vecta::detail::policy_level(pol);
                const auto r = vecta::similarity_matrix(pol, q, d, prm);
                const auto r64 = vecta::similarity_matrix(pol, q64, d64, prm);
                if (m == metric::cosine) {
                    // bound only (below)
                } else if (vecta::simd::rank(l) <= 1 || m == metric::manhattan) {
                    CHECK(r == scalar);
                    CHECK(r64 == scalar64);
                } else if (fused.empty()) {
                    fused = r, fused64 = r64;
                } else {
                    CHECK(r == fused);
                    CHECK(r64 == fused64);
                }
                std::size_t bad = 0;
                for (std::size_t t = 0; t < r.size(); ++t) {
                    const auto ref = sim_test::reference(m, q.row(t / nd), d.row(t % nd), dim);
                    bad += !(std::fabs(r[t] - ref.value) <= sim_test::bound<float>(m, ref, dim));
                }
                CHECK(bad == 0);
            });
        }
    }
}

TEST_CASE("similarity_matrix: gemm and blocked agree within the bound") {
    const std::size_t nq = 20, nd = 300, dim = 96;
    auto qv = sim_test::random_matrix<float>(nq, dim, 1), dv = sim_test::random_matrix<float>(nd, dim, 2);
    const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
    for (metric m : {metric::dot, metric::cosine}) {
        auto g = vecta::similarity_matrix(vecta::par, q, d, {.metric = m, .path = gemm_path::gemm});
        auto b = vecta::similarity_matrix(vecta::par, q, d, {.metric = m, .path = gemm_path::blocked});
        auto a = vecta::similarity_matrix(vecta::par, q, d, {.metric = m});  // automatic picks gemm here
        double worst = 0;
        for (std::size_t t = 0; t < g.size(); ++t) worst = std::max(worst, double(std::fabs(g[t] - b[t])));
        CHECK(worst <= 2 * (dim + 4) * 6e-8 * dim);
        CHECK(a == g);
    }
}

TEST_CASE("similarity_matrix: NaN in an input row gives NaN in that row and column only") {
    const std::size_t nq = 4, nd = 300, dim = 40;
    auto qv = sim_test::random_matrix<float>(nq, dim, 3), dv = sim_test::random_matrix<float>(nd, dim, 4);
    qv[1 * dim + 5] = std::numeric_limits<float>::quiet_NaN();
    const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
    for (metric m : {metric::dot, metric::cosine, metric::manhattan}) {
        for (gemm_path p : {gemm_path::blocked, gemm_path::gemm}) {
            auto out = vecta::similarity_matrix(q, d, {.metric = m, .path = p});
            for (std::size_t j = 0; j < nd; ++j) {
                CHECK(std::isnan(out[1 * nd + j]));
                CHECK(!std::isnan(out[0 * nd + j]));
            }
        }
    }
}

TEST_CASE("similarity_matrix: shape errors name the argument") {
    std::vector<float> a(12), b(15), o(100);
    const vecta::matrix_view<const float> q(a.data(), 3, 4), d(b.data(), 3, 5), d4(b.data(), 3, 4);
    CHECK_THROWS_WITH_AS(vecta::similarity_matrix(q, d),
                         "vecta::similarity_matrix: database.cols() must equal queries.cols()",
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::similarity_matrix(q, d4, vecta::matrix_view<float>(o.data(), 3, 4)),
                         "vecta::similarity_matrix: out must be queries.rows() x database.rows()",
                         vecta::invalid_argument);
    // out aliasing an input
    std::vector<float> big(64);
    const vecta::matrix_view<const float> qq(big.data(), 2, 4);
    CHECK_THROWS_AS(vecta::similarity_matrix(qq, qq, vecta::matrix_view<float>(big.data() + 4, 2, 2)),
                    vecta::invalid_argument);
    const vecta::matrix_view<const float> z(a.data(), 3, 0);
    CHECK_THROWS_AS(vecta::similarity_matrix(z, z), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::matrix_view<const float>(a.data(), 3, 4, 2), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::matrix_view<const float>(std::span<const float>(a.data(), 11), 4), vecta::invalid_argument);
    // empty inputs: nothing to do
    const vecta::matrix_view<const float> e(a.data(), 0, 4);
    CHECK(vecta::similarity_matrix(e, d4).empty());
}
