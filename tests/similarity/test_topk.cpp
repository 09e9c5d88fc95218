// SPDX-License-Identifier: MIT
// Batched top-k: against a full sort of the reference matrix, ties by lower index, k > N,
// NaN ranked last, seq == par, both paths.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vecta/similarity/topk.hpp>
#include <vector>

#include "sim_test_arch.hpp"
#include "sim_test_support.hpp"

using vecta::gemm_path;
using vecta::metric;

namespace {

/// Reference top-k from the full matrix the same path computes (so the scores are the same
/// bits), by a full stable sort with the documented order.
template <class T, class P = decltype(vecta::seq)>
void check_topk(const vecta::matrix_view<const T>& q, const vecta::matrix_view<const T>& d, std::size_t k, metric m,
                gemm_path path, P pol = vecta::seq) {
    CAPTURE(vecta::to_string(m));
    CAPTURE(k);
    CAPTURE(int(path));
    const auto full = vecta::similarity_matrix(pol, q, d, {.metric = m, .path = path});
    const auto res = vecta::topk(pol, q, d, {.k = k, .metric = m, .path = path});
    const auto res_par = vecta::topk(vecta::par | typename P::simd_type{}, q, d, {.k = k, .metric = m, .path = path});
    const std::size_t nd = d.rows(), keff = std::min(k, nd);
    REQUIRE(res.k == keff);
    REQUIRE(res.queries == q.rows());
    CHECK(res.indices == res_par.indices);
    bool ok = true;
    for (std::size_t i = 0; i < q.rows(); ++i) {
        std::vector<std::size_t> order(nd);
        std::iota(order.begin(), order.end(), 0);
        const T* row = full.data() + i * nd;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const bool na = std::isnan(row[a]), nb = std::isnan(row[b]);
            if (na || nb) return !na && nb;
            return vecta::is_similarity(m) ? row[a] > row[b] : row[a] < row[b];
        });
        for (std::size_t r = 0; r < keff; ++r) {
            ok = ok && res.indices[i * keff + r] == order[r];
            const T s = res.scores[i * keff + r], e = row[order[r]];
            ok = ok && (s == e || (std::isnan(s) && std::isnan(e)));
            const T sp = res_par.scores[i * keff + r];
            ok = ok && (sp == s || (std::isnan(sp) && std::isnan(s)));
        }
    }
    CHECK(ok);
}

}  // namespace

TEST_CASE("topk: equals a full sort, every metric, both paths, k in {1, 10, > N}") {
    for (std::size_t dim : {std::size_t(3), std::size_t(767)}) {
        const std::size_t nq = 18, nd = dim == 3 ? 2600 : 1300;
        auto qv = sim_test::random_matrix<float>(nq, dim, 21 + dim), dv = sim_test::random_matrix<float>(nd, dim, 22);
        const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
        for (metric m : {metric::dot, metric::cosine, metric::sqeuclidean, metric::euclidean, metric::manhattan})
            for (std::size_t k : {std::size_t(1), std::size_t(10)}) check_topk(q, d, k, m, gemm_path::blocked);
        for (metric m : {metric::dot, metric::cosine}) check_topk(q, d, 10, m, gemm_path::gemm);
    }
    auto qv = sim_test::random_matrix<double>(3, 5, 1), dv = sim_test::random_matrix<double>(7, 5, 2);
    const vecta::matrix_view<const double> q(qv.data(), 3, 5), d(dv.data(), 7, 5);
    check_topk(q, d, 50, metric::cosine, gemm_path::automatic);  // k > N: all 7 rows
    check_topk(q, d, 7, metric::manhattan, gemm_path::automatic);
}

TEST_CASE("topk: the SIMD score filter is exact: gemm path for every metric, two depth blocks, scalar policy") {
    // dim 800 > 768: the packed kernel accumulates two depth blocks before the scan.
    for (std::size_t dim : {std::size_t(64), std::size_t(800)}) {
        const std::size_t nq = 30, nd = 1100;
        auto qv = sim_test::random_matrix<float>(nq, dim, 31 + dim), dv = sim_test::random_matrix<float>(nd, dim, 32);
        const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
        for (metric m : {metric::dot, metric::cosine, metric::sqeuclidean, metric::euclidean, metric::manhattan})
            check_topk(q, d, 10, m, gemm_path::gemm);
    }
    const std::size_t nq = 20, nd = 700, dim = 40;
    auto qv = sim_test::random_matrix<double>(nq, dim, 41), dv = sim_test::random_matrix<double>(nd, dim, 42);
    const vecta::matrix_view<const double> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
    for (metric m : {metric::cosine, metric::euclidean, metric::manhattan}) {
        const auto simd = vecta::topk(vecta::seq, q, d, {.k = 7, .metric = m});
        const auto plain = vecta::topk(vecta::seq | vecta::simd::scalar, q, d, {.k = 7, .metric = m});
        const auto full = vecta::similarity_matrix(vecta::seq | vecta::simd::scalar, q, d, {.metric = m});
        // Both policies rank exactly by the scores each computes; the scalar one equals a sort.
        bool ok = true;
        for (std::size_t i = 0; i < nq; ++i) {
            const double* row = full.data() + i * nd;
            std::vector<std::size_t> order(nd);
            std::iota(order.begin(), order.end(), 0);
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return vecta::is_similarity(m) ? row[a] > row[b] : row[a] < row[b];
            });
            for (std::size_t r = 0; r < 7; ++r) ok = ok && plain.row_indices(i)[r] == order[r];
            ok = ok && simd.row_indices(i)[0] == plain.row_indices(i)[0];
        }
        CAPTURE(vecta::to_string(m));
        CHECK(ok);
    }
}

TEST_CASE("topk: equals a full sort of the same level's matrix under every run-time SIMD level") {
    for (std::size_t dim : {std::size_t(64), std::size_t(800)}) {
        const std::size_t nq = 19, nd = 700;
        auto qv = sim_test::random_matrix<float>(nq, dim, 61 + dim), dv = sim_test::random_matrix<float>(nd, dim, 62);
        const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
        vecta::test::for_each_arch([&](auto pol, const char* name) {
            CAPTURE(name);
            for (metric m : {metric::dot, metric::cosine, metric::euclidean, metric::manhattan})
                check_topk(q, d, 10, m, gemm_path::gemm, pol);
        });
    }
}

TEST_CASE("topk: cosine with tiny, huge and zero rows (the scaled filter switches off or stays exact)") {
    const std::size_t nq = 16, nd = 1200, dim = 48;
    auto qv = sim_test::random_matrix<float>(nq, dim, 51), dv = sim_test::random_matrix<float>(nd, dim, 52);
    // Query rows scaled by 1e-30 .. 1e30, database rows by 1e-35 .. 1e35, some database rows zero.
    for (std::size_t i = 0; i < nq; ++i)
        for (std::size_t c = 0; c < dim; ++c) qv[i * dim + c] *= std::pow(10.0f, float(int(i % 7) * 10 - 30));
    for (std::size_t j = 0; j < nd; ++j)
        for (std::size_t c = 0; c < dim; ++c)
            dv[j * dim + c] = j % 97 == 5 ? 0.0f : dv[j * dim + c] * std::pow(10.0f, float(int(j % 15) * 5 - 35));
    std::vector<float> zero(dim, 0.0f);
    std::copy(zero.begin(), zero.end(), qv.begin() + 3 * dim);  // a zero query: every score 0
    const vecta::matrix_view<const float> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
    for (gemm_path p : {gemm_path::blocked, gemm_path::gemm}) {
        check_topk(q, d, 10, metric::cosine, p);
        check_topk(q, d, 1, metric::cosine, p);
    }
    const auto r = vecta::topk(q, d, {.k = 4, .metric = metric::cosine});
    for (std::size_t t = 0; t < 4; ++t) CHECK(r.row_indices(3)[t] == t);  // all 0: lowest indices
}

TEST_CASE("topk: ties go to the lower index; duplicates across blocks and parts") {
    // 3000 identical database rows: every score ties, so the result is 0..k-1 in order.
    const std::size_t nd = 3000, dim = 8;
    std::vector<float> dv(nd * dim, 0.5f), qv(2 * dim, 1.0f);
    const vecta::matrix_view<const float> q(qv.data(), 2, dim), d(dv.data(), nd, dim);
    for (gemm_path p : {gemm_path::blocked, gemm_path::gemm})
        for (metric m : {metric::dot, metric::cosine, metric::euclidean}) {
            const auto r = vecta::topk(vecta::par, q, d, {.k = 5, .metric = m, .path = p});
            for (std::size_t i = 0; i < 2; ++i)
                for (std::size_t t = 0; t < 5; ++t) CHECK(r.row_indices(i)[t] == t);
        }
    // A better row late in the database wins; equal rows keep index order.
    dv[2500 * dim] = 3.0f;
    dv[1700 * dim] = 3.0f;
    const auto r = vecta::topk(vecta::par, q, d, {.k = 3, .metric = metric::dot});
    CHECK(r.row_indices(0)[0] == 1700);
    CHECK(r.row_indices(0)[1] == 2500);
    CHECK(r.row_indices(0)[2] == 0);
}

TEST_CASE("topk: NaN scores rank below every number") {
    const std::size_t nd = 6, dim = 4;
    auto dv = sim_test::random_matrix<float>(nd, dim, 9), qv = sim_test::random_matrix<float>(1, dim, 10);
    dv[1 * dim] = std::numeric_limits<float>::quiet_NaN();
    dv[4 * dim + 2] = std::numeric_limits<float>::quiet_NaN();
    const vecta::matrix_view<const float> q(qv.data(), 1, dim), d(dv.data(), nd, dim);
    for (metric m : {metric::dot, metric::sqeuclidean}) {
        const auto r4 = vecta::topk(q, d, {.k = 4, .metric = m});
        for (std::size_t t = 0; t < 4; ++t) {
            CHECK(r4.indices[t] != 1);
            CHECK(r4.indices[t] != 4);
            CHECK(!std::isnan(r4.scores[t]));
        }
        const auto r6 = vecta::topk(q, d, {.k = 6, .metric = m});
        CHECK(r6.indices[4] == 1);  // the NaNs last, lower index first
        CHECK(r6.indices[5] == 4);
        CHECK(std::isnan(r6.scores[5]));
    }
}

TEST_CASE("topk: the default metric is dot, as similarity_matrix (docs/conventions.md)") {
    // Query (1, 0); rows (10, 10) and (1, 0): dot ranks row 0 first, cosine row 1.
    const std::vector<float> qa{1, 0}, da{10, 10, 1, 0};
    const vecta::matrix_view<const float> q(qa.data(), 1, 2), d(da.data(), 2, 2);
    const auto r = vecta::topk(q, d, {.k = 2});
    CHECK(r.indices == std::vector<std::size_t>{0, 1});
    CHECK(r.scores == std::vector<float>{10, 1});
    CHECK(vecta::topk(q, d, {.k = 2, .metric = metric::cosine}).indices == std::vector<std::size_t>{1, 0});
}

TEST_CASE("topk: argument errors") {
    std::vector<float> a(12);
    const vecta::matrix_view<const float> q(a.data(), 3, 4), d(a.data(), 4, 3);
    CHECK_THROWS_WITH_AS(vecta::topk(q, q, {.k = 0}), "vecta::topk: params.k must be >= 1", vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::topk(q, d), vecta::invalid_argument);
    const vecta::matrix_view<const float> e(a.data(), 0, 4);
    CHECK(vecta::topk(q, e).k == 0);
    CHECK(vecta::topk(e, q).indices.empty());
    // Casted integers that are no enumerator (stranger2: ran manhattan / the automatic path silently).
    CHECK_THROWS_WITH_AS(vecta::topk(q, q, {.k = 1, .metric = static_cast<vecta::metric>(99)}),
                         "vecta::topk: params.metric must be a vecta::metric enumerator", vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::topk(q, q, {.k = 1, .path = static_cast<vecta::gemm_path>(99)}),
                         "vecta::topk: params.path must be a vecta::gemm_path enumerator", vecta::invalid_argument);
    std::vector<float> out(9);
    CHECK_THROWS_WITH_AS(vecta::similarity_matrix(q, q, vecta::matrix_view<float>(out.data(), 3, 3),
                                                  {.metric = static_cast<vecta::metric>(-1)}),
                         "vecta::similarity_matrix: params.metric must be a vecta::metric enumerator",
                         vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::similarity_matrix(q, q, {.path = static_cast<vecta::gemm_path>(3)}),
                    vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::distance(static_cast<vecta::metric>(5), a, a),
                         "vecta::distance: m must be a vecta::metric enumerator", vecta::invalid_argument);
}
