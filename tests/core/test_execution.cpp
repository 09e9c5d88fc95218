// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <Eigen/Core>
#include <atomic>
#include <numeric>
#include <vecta/core/execution.hpp>
#include <vecta/core/point.hpp>
#include <vector>

TEST_CASE("parallel_for covers every index exactly once under seq and par") {
    for (std::size_t n : {0u, 1u, 7u, 1000u, 4097u}) {
        std::vector<int> hits_seq(n), hits_par(n);
        vecta::detail::parallel_for(vecta::seq, n, 64, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) ++hits_seq[i];
        });
        vecta::detail::parallel_for(vecta::par, n, 64, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) ++hits_par[i];
        });
        CHECK(std::all_of(hits_seq.begin(), hits_seq.end(), [](int h) { return h == 1; }));
        CHECK(hits_seq == hits_par);
    }
}

TEST_CASE("parallel_for rethrows an exception thrown by a block") {
    CHECK_THROWS_AS(vecta::detail::parallel_for(vecta::par, 100, 10,
                                                [](std::size_t b, std::size_t) {
                                                    if (b == 50) throw std::runtime_error("x");
                                                }),
                    std::runtime_error);
}

TEST_CASE("policies carry the SIMD choice") {
    constexpr auto p = vecta::par | vecta::simd::scalar;
    static_assert(decltype(p)::is_parallel);
    static_assert(std::is_same_v<decltype(p)::simd_type, vecta::simd::scalar_t>);
    static_assert(vecta::execution_policy<decltype(vecta::seq)>);
    static_assert(!vecta::execution_policy<int>);
    auto which = [](auto arch) { return std::is_same_v<decltype(arch), vecta::simd::scalar_t>; };
    CHECK(vecta::detail::simd_invoke(p, which));
    CHECK(vecta::detail::simd_invoke(vecta::seq, which) == !vecta::simd::native_available);
}

namespace {
struct my_point {
    double x, y;
};
}  // namespace

TEST_CASE("point_traits reads plain structs, Eigen vectors, arrays and pairs") {
    CHECK(vecta::get_x(my_point{1, 2}) == 1);
    CHECK(vecta::get_y(Eigen::Vector2f(3, 4)) == 4);
    CHECK(vecta::get_y(std::array<int, 2>{5, 6}) == 6);
    CHECK(vecta::get_x(std::pair<float, float>{7, 8}) == 7);
    static_assert(!vecta::point_like<int>);
}

TEST_CASE("parallel_for results do not depend on the backend: blocks are fixed by size, not thread count") {
    // Per-block partial sums combined in block order equal the sequential sum bit for bit.
    std::vector<float> v(10007);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.0f / float(i + 1);
    auto blocked_sum = [&](auto policy) {
        const std::size_t block = 256, blocks = (v.size() + block - 1) / block;
        std::vector<float> partial(blocks);
        vecta::detail::parallel_for(policy, v.size(), block, [&](std::size_t b, std::size_t e) {
            float s = 0;
            for (std::size_t i = b; i < e; ++i) s += v[i];
            partial[b / block] = s;
        });
        float total = 0;
        for (float p : partial) total += p;
        return total;
    };
    CHECK(blocked_sum(vecta::seq) == blocked_sum(vecta::par));
}
