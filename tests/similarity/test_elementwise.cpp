// SPDX-License-Identifier: MIT
// Element-wise arithmetic: exact against plain loops (one IEEE operation per element), with and
// without broadcasting, in place, every architecture; errors.
#include <doctest/doctest.h>

#include <vecta/similarity/elementwise.hpp>
#include <vector>

#include "sim_test_support.hpp"

using vecta::arith;

namespace {
template <class T>
void check_ops() {
    for (std::size_t dim : {std::size_t(1), std::size_t(3), std::size_t(767), std::size_t(769)}) {
        const std::size_t rows = 5;
        const auto a = sim_test::random_matrix<T>(rows, dim, 1, -2, 2);
        const auto b = sim_test::random_matrix<T>(rows, dim, 2, 0.5, 2);
        const vecta::matrix_view<const T> av(a.data(), rows, dim), bv(b.data(), rows, dim), brow(b.data(), 1, dim);
        for (arith op : {arith::add, arith::subtract, arith::multiply, arith::divide})
            for (bool bc : {false, true}) {
                std::vector<T> ref(rows * dim);
                for (std::size_t r = 0; r < rows; ++r)
                    for (std::size_t j = 0; j < dim; ++j) {
                        const T x = a[r * dim + j], y = b[(bc ? 0 : r) * dim + j];
                        ref[r * dim + j] = op == arith::add        ? x + y
                                           : op == arith::subtract ? x - y
                                           : op == arith::multiply ? x * y
                                                                   : x / y;
                    }
                sim_test::for_each_arch([&](auto policy, const char* arch) {
                    CAPTURE(arch);
                    std::vector<T> out(rows * dim);
                    vecta::elementwise(policy, op, av, bc ? brow : bv, vecta::matrix_view<T>(out.data(), rows, dim));
                    CHECK(out == ref);
                });
                std::vector<T> inplace(a);
                vecta::matrix_view<T> iv(inplace.data(), rows, dim);
                vecta::elementwise(vecta::par | vecta::simd::scalar, op, iv, bc ? brow : bv, iv);
                CHECK(inplace == ref);
                std::vector<T> inplace2(a);  // in place at the best level
                vecta::matrix_view<T> iv2(inplace2.data(), rows, dim);
                vecta::elementwise(vecta::par, op, iv2, bc ? brow : bv, iv2);
                CHECK(inplace2 == ref);
            }
        std::vector<T> s(rows * dim), sref(rows * dim);
        for (std::size_t t = 0; t < s.size(); ++t) sref[t] = a[t] * T(-1.5);
        vecta::scale(vecta::par, av, T(-1.5), vecta::matrix_view<T>(s.data(), rows, dim));
        CHECK(s == sref);
        sim_test::for_each_arch([&](auto policy, const char* arch) {
            CAPTURE(arch);
            std::vector<T> s2(rows * dim);
            vecta::scale(policy, av, T(-1.5), vecta::matrix_view<T>(s2.data(), rows, dim));
            CHECK(s2 == sref);
        });
    }
}
}  // namespace

TEST_CASE("elementwise: add, subtract, multiply, divide, scale are exact, with broadcasting") {
    check_ops<float>();
    check_ops<double>();
}

TEST_CASE("elementwise: named wrappers") {
    std::vector<float> a{1, 2, 3, 4}, b{10, 20}, out(4);
    const vecta::matrix_view<const float> av(a.data(), 2, 2), bv(b.data(), 1, 2);
    const vecta::matrix_view<float> ov(out.data(), 2, 2);
    vecta::add(av, bv, ov);
    CHECK(out == std::vector<float>{11, 22, 13, 24});
    vecta::subtract(vecta::par, av, bv, ov);
    CHECK(out == std::vector<float>{-9, -18, -7, -16});
    vecta::multiply(av, bv, ov);
    CHECK(out == std::vector<float>{10, 40, 30, 80});
    vecta::divide(av, bv, ov);
    CHECK(out[3] == 0.2f);
    vecta::scale(av, 2.0f, ov);
    CHECK(out == std::vector<float>{2, 4, 6, 8});
}

TEST_CASE("elementwise: shape errors and overlap are rejected") {
    std::vector<float> a(12), b(12), o(12);
    const vecta::matrix_view<const float> a34(a.data(), 3, 4), b43(b.data(), 4, 3), b24(b.data(), 2, 4);
    const vecta::matrix_view<float> o34(o.data(), 3, 4), o43(o.data(), 4, 3);
    CHECK_THROWS_WITH_AS(vecta::add(a34, b43, o34), "vecta::elementwise: b.cols() must equal a.cols()",
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::add(a34, b24, o34),
                         "vecta::elementwise: b.rows() must equal a.rows() or be 1 (broadcast)",
                         vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::add(a34, a34, o43), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::add(a34, a34, vecta::matrix_view<float>(a.data() + 1, 2, 4)), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::scale(a34, 2.0f, o43), vecta::invalid_argument);
    // An op that is no enumerator wrote nothing and returned normally (stranger2).
    CHECK_THROWS_WITH_AS(vecta::elementwise(vecta::seq, static_cast<vecta::arith>(9), a34, a34, o34),
                         "vecta::elementwise: op must be a vecta::arith enumerator", vecta::invalid_argument);
}
