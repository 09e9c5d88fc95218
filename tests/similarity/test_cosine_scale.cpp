// SPDX-License-Identifier: MIT
// Cosine of finite vectors whose sums of squares overflow or underflow the input type (stranger2
// #6: float 1e20 .. 1e38 gave NaN, 1e-30 gave 0, double 1e300 NaN): pairwise, similarity_matrix
// (both paths, seq and par, every SIMD level) and topk, against the long double reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <vecta/similarity/distance.hpp>
#include <vecta/similarity/matrix.hpp>
#include <vecta/similarity/topk.hpp>
#include <vector>

#include "sim_test_arch.hpp"
#include "sim_test_support.hpp"

namespace cosine_scale_test {

/// rows x dim values: row r is uniform [-1, 1) times scales[r % scales.size()] (a scale of 0 gives a
/// zero row).
template <class T>
std::vector<T> scaled_rows(std::size_t rows, std::size_t dim, std::uint64_t seed, std::initializer_list<T> scales) {
    auto v = sim_test::random_matrix<T>(rows, dim, seed);
    const std::vector<T> s(scales);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < dim; ++c) v[r * dim + c] = v[r * dim + c] * s[r % s.size()];
    return v;
}

/// Number of entries of the nq x nd matrix m farther from the reference cosine than the bound.
template <class T>
std::size_t bad_entries(const vecta::matrix_view<const T>& q, const vecta::matrix_view<const T>& d, const T* m) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < q.rows(); ++i)
        for (std::size_t j = 0; j < d.rows(); ++j) {
            const auto ref = sim_test::reference(vecta::metric::cosine, q.row(i), d.row(j), q.cols());
            if (!(std::fabs(m[i * d.rows() + j] - ref.value) <=
                  sim_test::bound<T>(vecta::metric::cosine, ref, q.cols())))
                ++bad;
        }
    return bad;
}

template <class T>
void check_scales(std::initializer_list<T> scales) {
    using vecta::gemm_path;
    using vecta::metric;
    for (const std::size_t dim : {std::size_t(1), std::size_t(37), std::size_t(70)}) {
        CAPTURE(dim);
        const std::size_t nq = 13, nd = 290;  // 3 blocked blocks, 2 gemm blocks
        const auto qv = scaled_rows<T>(nq, dim, 3 + dim, scales), dv = scaled_rows<T>(nd, dim, 4 + dim, scales);
        const vecta::matrix_view<const T> q(qv.data(), nq, dim), d(dv.data(), nd, dim);
        // Pairwise, scalar and every SIMD level.
        std::vector<T> pw(nq * nd);
        auto pairwise = [&](auto policy, const char* arch) {
            CAPTURE(arch);
            for (std::size_t i = 0; i < nq; ++i)
                for (std::size_t j = 0; j < nd; ++j)
                    pw[i * nd + j] = vecta::cosine(policy, std::span(q.row(i), dim), std::span(d.row(j), dim));
            CHECK(bad_entries(q, d, pw.data()) == 0);
        };
        pairwise(vecta::seq | vecta::simd::scalar, "scalar");
        sim_test::for_each_arch(pairwise);
        // Matrix and topk on both paths.
        for (gemm_path path : {gemm_path::blocked, gemm_path::gemm}) {
            CAPTURE(int(path));
            const auto m = vecta::similarity_matrix(vecta::seq, q, d, {.metric = metric::cosine, .path = path});
            CHECK(bad_entries(q, d, m.data()) == 0);
            CHECK(vecta::similarity_matrix(vecta::par, q, d, {.metric = metric::cosine, .path = path}) == m);
            sim_test::for_each_arch([&](auto policy, const char* arch) {
                CAPTURE(arch);
                const auto ma = vecta::similarity_matrix(policy, q, d, {.metric = metric::cosine, .path = path});
                CHECK(bad_entries(q, d, ma.data()) == 0);
            });
            for (const std::size_t k : {std::size_t(1), std::size_t(7)}) {
                const auto r = vecta::topk(vecta::seq, q, d, {.k = k, .metric = metric::cosine, .path = path});
                const auto rp = vecta::topk(vecta::par, q, d, {.k = k, .metric = metric::cosine, .path = path});
                CHECK(r.indices == rp.indices);
                bool ok = true;
                for (std::size_t i = 0; i < nq; ++i) {  // a full stable sort of the matrix row
                    std::vector<std::size_t> order(nd);
                    std::iota(order.begin(), order.end(), 0);
                    const T* row = m.data() + i * nd;
                    std::stable_sort(order.begin(), order.end(),
                                     [&](std::size_t a, std::size_t b) { return row[a] > row[b]; });
                    for (std::size_t t = 0; t < k; ++t)
                        ok = ok && r.indices[i * k + t] == order[t] && r.scores[i * k + t] == row[order[t]];
                }
                CHECK(ok);
            }
        }
    }
}

}  // namespace cosine_scale_test

TEST_CASE("cosine: vectors whose sums of squares overflow or underflow the type (stranger2: NaN or 0)") {
    // The reproducers: cosine(x, x) is 1.
    for (const float s : {1e20f, 1e30f, 1e38f, 1e-23f, 1e-30f, 1e-38f}) {
        CAPTURE(s);
        const std::vector<float> x(8, s), y{s, s, s, s, s, s, s, -s};
        CHECK(vecta::cosine(x, x) == doctest::Approx(1.0));
        CHECK(vecta::cosine(vecta::seq | vecta::simd::scalar, x, x) == doctest::Approx(1.0));
        CHECK(vecta::cosine(x, y) == doctest::Approx(0.75));
        const vecta::matrix_view<const float> v(x.data(), 1, 8);
        CHECK(vecta::similarity_matrix(v, v, {.metric = vecta::metric::cosine})[0] == doctest::Approx(1.0));
        CHECK(vecta::topk(v, v, {.k = 1, .metric = vecta::metric::cosine}).scores[0] == doctest::Approx(1.0));
    }
    for (const double s : {1e300, 1e-300, 5e-324}) {
        CAPTURE(s);
        const std::vector<double> x(8, s);
        CHECK(vecta::cosine(x, x) == doctest::Approx(1.0));
    }
    // Zero vectors stay 0, NaN stays NaN, next to a rescued vector.
    const std::vector<float> tiny(5, 1e-30f), zero(5, 0.0f), nan{1e-30f, NAN, 0, 0, 0};
    CHECK(vecta::cosine(tiny, zero) == 0.0f);
    CHECK(vecta::cosine(zero, tiny) == 0.0f);
    CHECK(std::isnan(vecta::cosine(tiny, nan)));
    // Rows of every scale against each other (0: zero rows; 1: the fast path).
    cosine_scale_test::check_scales<float>({1.0f, 1e20f, 1e-30f, 3e37f, 0.0f, 1e-13f, 1e18f, 1e-38f, 1e-44f, 1e-20f});
    cosine_scale_test::check_scales<double>({1.0, 1e160, 1e-300, 1e307, 0.0, 1e-160, 1e150, 1e-310, 5e-322});
}
