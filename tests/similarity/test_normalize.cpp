// SPDX-License-Identifier: MIT
// normalize: L1, L2, max against a long-double reference; zero rows; NaN; half inputs; in place;
// SIMD vs scalar on every architecture; seq == par; errors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vecta/similarity/normalize.hpp>
#include <vector>

#include "sim_test_support.hpp"

using vecta::norm_kind;

namespace {

template <class T>
long double ref_norm(norm_kind k, const T* x, std::size_t n) {
    long double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double a = std::fabs(static_cast<long double>(x[i]));
        if (k == norm_kind::l1) s += a;
        if (k == norm_kind::l2) s += a * a;
        if (k == norm_kind::max) s = std::fmax(s, a);
    }
    return k == norm_kind::l2 ? std::sqrt(s) : s;
}

template <class T>
void check_normalize() {
    for (std::size_t dim : {std::size_t(1), std::size_t(3), std::size_t(767), std::size_t(769)}) {
        const std::size_t rows = 37, pad = 2;
        auto in = sim_test::random_matrix<T>(rows, dim, dim, -3, 2, pad);
        for (std::size_t j = 0; j < dim; ++j) in[5 * (dim + pad) + j] = T(0);  // a zero row
        const vecta::matrix_view<const T> iv(in.data(), rows, dim, dim + pad);
        for (norm_kind k : {norm_kind::l1, norm_kind::l2, norm_kind::max}) {
            CAPTURE(dim);
            CAPTURE(int(k));
            const long double eps = std::numeric_limits<T>::epsilon() / 2, tol = (dim + 3) * eps;
            auto run = [&](auto policy) {
                std::vector<T> out(rows * dim, T(-1));
                vecta::normalize(policy, iv, vecta::matrix_view<T>(out.data(), rows, dim), {.norm = k});
                return out;
            };
            const auto scalar = run(vecta::seq | vecta::simd::scalar);
            std::size_t bad = 0;
            for (std::size_t r = 0; r < rows; ++r) {
                const long double nrm = ref_norm(k, iv.row(r), dim);
                for (std::size_t j = 0; j < dim; ++j) {
                    const long double ref = nrm == 0 ? 0.0L : iv(r, j) / nrm;
                    if (!(std::fabs(scalar[r * dim + j] - ref) <= tol * std::fabs(ref) + 1e-30L)) ++bad;
                }
            }
            CHECK(bad == 0);
            for (std::size_t j = 0; j < dim; ++j) CHECK(scalar[5 * dim + j] == T(0));
            sim_test::for_each_arch([&](auto policy, const char* arch) {
                CAPTURE(arch);
                const auto simd = run(policy);
                std::size_t diff = 0;
                for (std::size_t t = 0; t < simd.size(); ++t)
                    if (!(std::fabs(simd[t] - scalar[t]) <= 2 * tol * std::fabs(scalar[t]))) ++diff;
                CHECK(diff == 0);
            });
            CHECK(run(vecta::par) == run(vecta::seq));
            // In place equals out of place.
            std::vector<T> inplace(in);
            vecta::normalize(vecta::par, vecta::matrix_view<T>(inplace.data(), rows, dim, dim + pad), {.norm = k});
            const auto outp = run(vecta::seq);
            bool same = true;
            for (std::size_t r = 0; r < rows; ++r)
                for (std::size_t j = 0; j < dim; ++j) same = same && inplace[r * (dim + pad) + j] == outp[r * dim + j];
            CHECK(same);
        }
    }
}

}  // namespace

TEST_CASE("normalize: L1, L2, max match the reference (f32, f64, odd dims, zero rows)") {
    check_normalize<float>();
    check_normalize<double>();
}

TEST_CASE("normalize: known values; L2 rows have unit norm") {
    std::vector<double> m{3, 4, 0, 0, 0, 0, -2, 1, 2};
    vecta::normalize(vecta::matrix_view<double>(m.data(), 3, 3));
    CHECK(m[0] == doctest::Approx(0.6));
    CHECK(m[1] == doctest::Approx(0.8));
    CHECK(m[3] == 0.0);
    CHECK(m[4] == 0.0);
    CHECK(m[6] == doctest::Approx(-2.0 / 3));
    std::vector<float> l1{1, -3}, mx{1, -4};
    vecta::normalize(vecta::matrix_view<float>(l1.data(), 1, 2), {.norm = norm_kind::l1});
    vecta::normalize(vecta::matrix_view<float>(mx.data(), 1, 2), {.norm = norm_kind::max});
    CHECK(l1[0] == 0.25f);
    CHECK(l1[1] == -0.75f);
    CHECK(mx[1] == -1.0f);
}

namespace {
// Rows of one magnitude scale (x 1, x -0.5, x 0.25, ...) and a -0: their sums of squares overflow or
// underflow the type, 1 / norm may overflow, yet the result must equal x / norm.
template <class T>
void check_extreme_rows(std::initializer_list<T> scales) {
    for (std::size_t dim : {std::size_t(1), std::size_t(3), std::size_t(37)})
        for (const T scale : scales)
            for (norm_kind k : {norm_kind::l1, norm_kind::l2, norm_kind::max}) {
                CAPTURE(dim);
                CAPTURE(double(scale));
                CAPTURE(int(k));
                std::vector<T> in(dim);
                for (std::size_t j = 0; j < dim; ++j)
                    in[j] = j % 4 == 3 ? T(-0.0) : scale / T(1 + j % 4) * (j % 2 ? -1 : 1);
                const long double nrm = ref_norm(k, in.data(), dim);
                auto check = [&](auto policy, const char* arch) {
                    CAPTURE(arch);
                    std::vector<T> out(dim, T(7));
                    vecta::normalize(policy, vecta::matrix_view<const T>(in.data(), 1, dim),
                                     vecta::matrix_view<T>(out.data(), 1, dim), {.norm = k});
                    for (std::size_t j = 0; j < dim; ++j) {
                        const long double ref = in[j] / nrm;
                        CHECK(std::fabs(out[j] - ref) <= 8.0L * static_cast<long double>(dim + 3) *
                                                             std::numeric_limits<T>::epsilon() * std::fabs(ref));
                    }
                    std::vector<T> same(in);  // in place too
                    vecta::normalize(policy, vecta::matrix_view<T>(same.data(), 1, dim), {.norm = k});
                    CHECK(same == out);
                };
                check(vecta::seq | vecta::simd::scalar, "scalar");
                sim_test::for_each_arch(check);
            }
}
}  // namespace

TEST_CASE("normalize: huge, tiny and subnormal rows come out normalized (stranger2: they gave 0, inf or NaN)") {
    check_extreme_rows<float>({1e30f, 3e38f, 1e-20f, 1e-30f, 1e-38f, 1e-44f});
    check_extreme_rows<double>({1e160, 1.7e308, 1e-160, 1e-300, 1e-310, 5e-323});
    // Rows holding an infinity and zero rows keep their documented results.
    std::vector<float> m{INFINITY, 1.0f, 0.0f, -0.0f};
    vecta::normalize(vecta::matrix_view<float>(m.data(), 2, 2));
    CHECK(std::isnan(m[0]));
    CHECK(m[1] == 0.0f);
    CHECK(m[2] == 0.0f);
    CHECK(std::signbit(m[3]));
}

TEST_CASE("normalize: NaN makes its row NaN and leaves the others") {
    for (std::size_t dim : {std::size_t(3), std::size_t(70)})
        for (norm_kind k : {norm_kind::l1, norm_kind::l2, norm_kind::max}) {
            auto m = sim_test::random_matrix<float>(3, dim, 4);
            m[dim + dim - 1] = std::numeric_limits<float>::quiet_NaN();
            auto sc = m;
            vecta::normalize(vecta::matrix_view<float>(m.data(), 3, dim), {.norm = k});
            vecta::normalize(vecta::seq | vecta::simd::scalar, vecta::matrix_view<float>(sc.data(), 3, dim),
                             {.norm = k});
            for (std::size_t j = 0; j < dim; ++j) {
                CHECK(std::isnan(m[dim + j]));
                CHECK(std::isnan(sc[dim + j]));
                CHECK(!std::isnan(m[j]));
                CHECK(!std::isnan(m[2 * dim + j]));
            }
        }
}

TEST_CASE("normalize: float16 and bfloat16 input into float") {
    const std::size_t rows = 9, dim = 769;
    const auto src = sim_test::random_matrix<float>(rows, dim, 77, -4, 4);
    std::vector<vecta::float16> h(src.size());
    std::vector<vecta::bfloat16> bf(src.size());
    std::vector<float> hf(src.size()), bff(src.size());
    for (std::size_t t = 0; t < src.size(); ++t) {
        h[t] = vecta::float16::from_float(src[t]);
        bf[t] = vecta::bfloat16::from_float(src[t]);
        hf[t] = h[t].to_float();
        bff[t] = bf[t].to_float();
        CHECK(std::fabs(hf[t] - src[t]) <= std::fabs(src[t]) * 0x1p-11f + 0x1p-25f);
        CHECK(std::fabs(bff[t] - src[t]) <= std::fabs(src[t]) * 0x1p-8f);
    }
    std::vector<float> out_h(src.size()), ref_h(src.size()), out_b(src.size()), ref_b(src.size());
    vecta::normalize(vecta::par, vecta::matrix_view<const vecta::float16>(h.data(), rows, dim),
                     vecta::matrix_view<float>(out_h.data(), rows, dim));
    vecta::normalize(vecta::par, vecta::matrix_view<const float>(hf.data(), rows, dim),
                     vecta::matrix_view<float>(ref_h.data(), rows, dim));
    vecta::normalize(vecta::seq, vecta::matrix_view<const vecta::bfloat16>(bf.data(), rows, dim),
                     vecta::matrix_view<float>(out_b.data(), rows, dim), {.norm = norm_kind::l1});
    vecta::normalize(vecta::seq, vecta::matrix_view<const float>(bff.data(), rows, dim),
                     vecta::matrix_view<float>(ref_b.data(), rows, dim), {.norm = norm_kind::l1});
    CHECK(out_h == ref_h);  // the conversion is exact, then the float kernel runs
    CHECK(out_b == ref_b);
    // Conversion edge cases.
    CHECK(vecta::float16::from_float(65520.0f).to_float() == std::numeric_limits<float>::infinity());
    CHECK(vecta::float16::from_float(65504.0f).to_float() == 65504.0f);
    CHECK(vecta::float16::from_float(0x1p-24f).to_float() == 0x1p-24f);
    CHECK(vecta::float16::from_float(0x1p-26f).to_float() == 0.0f);
    CHECK(std::isnan(vecta::float16::from_float(std::numeric_limits<float>::quiet_NaN()).to_float()));
    CHECK(std::isnan(vecta::bfloat16::from_float(std::numeric_limits<float>::quiet_NaN()).to_float()));
    CHECK(vecta::float16::from_float(1.0f + 0x1p-11f).to_float() == 1.0f);  // ties to even
    CHECK(vecta::bfloat16::from_float(-2.5f).to_float() == -2.5f);
}

TEST_CASE("normalize: shape errors and partial overlap are rejected") {
    std::vector<float> a(20), b(20);
    CHECK_THROWS_WITH_AS(
        vecta::normalize(vecta::matrix_view<const float>(a.data(), 4, 5), vecta::matrix_view<float>(b.data(), 5, 4)),
        "vecta::normalize: out must have the shape of in", vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::normalize(vecta::matrix_view<const float>(a.data(), 3, 5),
                                     vecta::matrix_view<float>(a.data() + 1, 3, 5)),
                    vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::normalize(vecta::matrix_view<float>(a.data(), 4, 0)), vecta::invalid_argument);
    // A norm that is no enumerator wrote nothing and returned normally (stranger2).
    CHECK_THROWS_WITH_AS(
        vecta::normalize(vecta::matrix_view<float>(a.data(), 4, 5), {.norm = static_cast<norm_kind>(9)}),
        "vecta::normalize: params.norm must be a vecta::norm_kind enumerator", vecta::invalid_argument);
}
