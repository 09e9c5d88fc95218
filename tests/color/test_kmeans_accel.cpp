// SPDX-License-Identifier: MIT
// Hamerly-accelerated Lloyd == plain Lloyd exactly, the greedy k-means++ seeding and LocalSearch++.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vecta/color/kmeans.hpp>
#include <vector>

#include "color_test_arch.hpp"
#include "kmeans_test_util.hpp"

namespace {

struct rng64 {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / 9007199254740992.0; }
};

enum class shape { uniform, blobs, grid };

/// n points in dim dimensions: uniform in [0, 50), Gaussian-ish blobs, or a coarse integer grid
/// (values 0..3: many duplicate points and exact distance ties).
template <class T>
std::vector<T> make_points(shape sh, std::size_t n, std::size_t dim, std::uint64_t seed) {
    rng64 r{seed};
    std::vector<T> p(n * dim);
    std::vector<double> centres(8 * dim);
    for (auto& c : centres) c = 100.0 * r.uniform();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t d = 0; d < dim; ++d) {
            double v = 0;
            if (sh == shape::uniform) v = 50.0 * r.uniform();
            if (sh == shape::blobs)
                v = centres[(i % 8) * dim + d] + 6.0 * (r.uniform() + r.uniform() + r.uniform() - 1.5);
            if (sh == shape::grid) v = double(int(r.uniform() * 4));
            p[i * dim + d] = static_cast<T>(v);
        }
    return p;
}

using color_test::same;

template <class T>
void check_hamerly_equals_lloyd(std::uint64_t seed) {
    rng64 r{seed * 7919};
    for (std::size_t dim = 1; dim <= 8; ++dim)
        for (shape sh : {shape::uniform, shape::blobs, shape::grid}) {
            const std::size_t n = 200 + std::size_t(r.uniform() * 1800);
            const std::size_t k = 2 + std::size_t(r.uniform() * 20);
            const auto pts = make_points<T>(sh, n, dim, seed * 100 + dim);
            std::vector<T> w;
            if (seed % 2 == 1)
                for (std::size_t i = 0; i < n; ++i)
                    w.push_back(static_cast<T>(r.uniform() < 0.1 ? 0 : 3 * r.uniform()));
            const vecta::kmeans_params p{
                .k = k, .max_iter = 60, .tol = 0.0, .seed = seed, .algorithm = vecta::kmeans_algorithm::hamerly};
            auto pl = p;
            pl.algorithm = vecta::kmeans_algorithm::lloyd;
            CAPTURE(seed);
            CAPTURE(dim);
            CAPTURE(int(sh));
            CAPTURE(n);
            CAPTURE(k);
            const auto a = vecta::kmeans<T>(vecta::par, pts, dim, p, w);
            const auto b = vecta::kmeans<T>(vecta::seq, pts, dim, pl, w);
            CHECK(same(a, b));
            CHECK(same(a, vecta::kmeans<T>(vecta::seq, pts, dim, p, w)));
            auto pa = p;  // automatic: one of the two, so the same again
            pa.algorithm = vecta::kmeans_algorithm::automatic;
            CHECK(same(a, vecta::kmeans<T>(vecta::par, pts, dim, pa, w)));
        }
}

}  // namespace

TEST_CASE("kmeans: Hamerly gives identical labels, centroids, inertia and iterations to plain Lloyd") {
#if defined(__SANITIZE_THREAD__)
    constexpr std::uint64_t seeds = 1;  // TSan: one seed covers the parallel paths
#elif defined(VECTA_TEST_SANITIZED)
    constexpr std::uint64_t seeds = 2;  // keeps the sanitizer run short; 6 in normal builds
#else
    constexpr std::uint64_t seeds = 6;
#endif
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
        check_hamerly_equals_lloyd<float>(seed);
        check_hamerly_equals_lloyd<double>(seed);
    }
}

TEST_CASE("kmeans: Hamerly == Lloyd through empty-cluster re-seeding and from a given start") {
    for (std::size_t dim : {1u, 2u, 3u, 5u, 8u}) {
        const auto pts = make_points<float>(shape::blobs, 1500, dim, 40 + dim);
        // Start: three copies of one point (two clusters empty at once) and a far-away centroid.
        std::vector<float> init;
        for (int c = 0; c < 3; ++c) init.insert(init.end(), pts.begin(), pts.begin() + dim);
        for (std::size_t j = 0; j < 5; ++j)
            init.insert(init.end(), pts.begin() + (j * 97 + 11) * dim, pts.begin() + (j * 97 + 12) * dim);
        for (std::size_t d = 0; d < dim; ++d) init.push_back(1e4f);
        vecta::kmeans_params p{.max_iter = 100, .tol = 0.0, .algorithm = vecta::kmeans_algorithm::hamerly};
        const auto a = vecta::detail::kmeans_from<float>(vecta::par, pts, dim, init, p);
        p.algorithm = vecta::kmeans_algorithm::lloyd;
        const auto b = vecta::detail::kmeans_from<float>(vecta::seq, pts, dim, init, p);
        CAPTURE(dim);
        CHECK(same(a, b));
        CHECK(a.converged);
    }
}

TEST_CASE("kmeans: automatic picks Hamerly from k = 48 on, the result is the same as plain Lloyd") {
    CHECK(vecta::kmeans_hamerly_min_k == 48);
    const auto pts = make_points<float>(shape::uniform, 4000, 3, 3);
    for (std::size_t k : {47u, 48u, 60u}) {
        vecta::kmeans_params p{.k = k, .max_iter = 30, .tol = 0.0, .seed = 2};
        const auto a = vecta::kmeans<float>(vecta::par, pts, 3, p);
        p.algorithm = vecta::kmeans_algorithm::lloyd;
        CHECK(same(a, vecta::kmeans<float>(vecta::par, pts, 3, p)));
    }
}

TEST_CASE("kmeans: Hamerly at every SIMD level equals scalar plain Lloyd") {
    for (std::size_t dim : {1u, 3u, 4u, 6u}) {
        const auto pts = make_points<float>(shape::uniform, 1300, dim, 90 + dim);
        const vecta::kmeans_params p{
            .k = 13, .max_iter = 25, .tol = 0.0, .seed = dim, .algorithm = vecta::kmeans_algorithm::hamerly};
        auto pl = p;
        pl.algorithm = vecta::kmeans_algorithm::lloyd;
        const auto ref = vecta::kmeans<float>(vecta::seq | vecta::simd::scalar, pts, dim, pl);
        color_test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            CAPTURE(dim);
            CHECK(same(ref, vecta::kmeans<float>(policy, pts, dim, p)));
        });
    }
}

TEST_CASE("nearest_centroids with dist2: best and second-best squared distances, every SIMD level == scalar == naive") {
    for (std::size_t dim : {1u, 2u, 3u, 4u, 7u}) {
        rng64 r{dim * 3};
        const std::size_t n = 203, k = 11;
        std::vector<float> pts(n * dim), cents(k * dim);
        for (auto& v : pts) v = float(int(r.uniform() * 5)) * 0.37f;
        for (auto& v : cents) v = float(int(r.uniform() * 5)) * 0.37f;
        std::vector<std::uint32_t> l_ref(n);
        std::vector<float> d_ref(n), s_ref(n), scratch(dim * vecta::detail::kmeans_chunk);
        vecta::detail::nearest_centroids(vecta::simd::level::scalar, pts.data(), n, dim, cents.data(), k, l_ref.data(),
                                         d_ref.data(), s_ref.data(), scratch.data());
        int bad = 0;
        for (std::size_t i = 0; i < n; ++i) {
            // Naive: the same float operations, then sort.
            std::vector<float> d(k);
            for (std::size_t j = 0; j < k; ++j) {
                float acc = 0;
                for (std::size_t q = 0; q < dim; ++q) {
                    const float diff = pts[i * dim + q] - cents[j * dim + q];
                    acc = acc + diff * diff;
                }
                d[j] = acc;
            }
            const auto best = std::min_element(d.begin(), d.end());
            const float b = *best;
            const std::size_t bi = std::size_t(best - d.begin());
            float second = std::numeric_limits<float>::infinity();
            for (std::size_t j = 0; j < k; ++j)
                if (j != bi) second = std::min(second, d[j]);
            bad += l_ref[i] != bi || d_ref[i] != b || s_ref[i] != second;
        }
        CHECK(bad == 0);
        color_test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            std::vector<std::uint32_t> l(n);
            std::vector<float> d(n), s(n);
            vecta::detail::nearest_centroids(vecta::detail::policy_level(policy), pts.data(), n, dim, cents.data(), k,
                                             l.data(), d.data(), s.data(), scratch.data());
            CHECK(l == l_ref);
            CHECK(d == d_ref);
            CHECK(s == s_ref);
        });
    }
}

namespace {
/// Potential sum_i w_i min_j |x_i - c_j|^2 in double, naively.
double potential(const std::vector<double>& x, const std::vector<double>& w, const std::vector<double>& c,
                 std::size_t dim) {
    double total = 0;
    for (std::size_t i = 0; i < x.size() / dim; ++i) {
        double best = 1e300;
        for (std::size_t j = 0; j < c.size() / dim; ++j) {
            double s = 0;
            for (std::size_t d = 0; d < dim; ++d)
                s += (x[i * dim + d] - c[j * dim + d]) * (x[i * dim + d] - c[j * dim + d]);
            best = std::min(best, s);
        }
        total += w[i] * best;
    }
    return total;
}
}  // namespace

TEST_CASE("greedy k-means++: 2 + floor(ln k) candidates, lower potential than plain k-means++") {
    using vecta::detail::kmeans_greedy_trials;
    CHECK(kmeans_greedy_trials(1) == 2);
    CHECK(kmeans_greedy_trials(2) == 2);
    CHECK(kmeans_greedy_trials(3) == 3);   // ln 3 = 1.10
    CHECK(kmeans_greedy_trials(7) == 3);   // ln 7 = 1.95
    CHECK(kmeans_greedy_trials(8) == 4);   // ln 8 = 2.08
    CHECK(kmeans_greedy_trials(20) == 4);  // ln 20 = 3.00
    CHECK(kmeans_greedy_trials(21) == 5);  // ln 21 = 3.04
    CHECK(kmeans_greedy_trials(55) == 6);  // ln 55 = 4.007

    const std::size_t dim = 2, n = 1500, k = 12;
    const auto pts = make_points<double>(shape::uniform, n, dim, 5);
    std::vector<double> w(n);
    rng64 r{77};
    for (auto& v : w) v = 0.5 + r.uniform();
    double greedy = 0, plain = 0;
    int greedy_wins = 0;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        const auto cg = vecta::detail::kmeans_plus_plus<double>(vecta::seq, pts.data(), w.data(), n, dim, k, seed,
                                                                kmeans_greedy_trials(k));
        const auto cp = vecta::detail::kmeans_plus_plus<double>(vecta::seq, pts.data(), w.data(), n, dim, k, seed, 1);
        // Every centre is one of the points, all distinct.
        for (std::size_t j = 0; j < k; ++j) {
            bool found = false;
            for (std::size_t i = 0; i < n && !found; ++i)
                found = pts[i * dim] == cg[j * dim] && pts[i * dim + 1] == cg[j * dim + 1];
            CHECK(found);
            for (std::size_t q = 0; q < j; ++q)
                CHECK_FALSE((cg[q * dim] == cg[j * dim] && cg[q * dim + 1] == cg[j * dim + 1]));
        }
        const double pg = potential(pts, w, cg, dim), pp = potential(pts, w, cp, dim);
        greedy += pg;
        plain += pp;
        greedy_wins += pg < pp;
        // Deterministic, and the same under par.
        CHECK(cg == vecta::detail::kmeans_plus_plus<double>(vecta::par, pts.data(), w.data(), n, dim, k, seed,
                                                            kmeans_greedy_trials(k)));
    }
    MESSAGE("mean seeding potential: greedy ", greedy / 30, ", plain ", plain / 30, "; greedy lower in ", greedy_wins,
            " of 30");
    CHECK(greedy < 0.92 * plain);
    CHECK(greedy_wins >= 22);
}

TEST_CASE("kmeans: greedy seeding is the default, plain k-means++ an option; both deterministic by seed") {
    const auto pts = make_points<float>(shape::blobs, 3000, 3, 8);
    const vecta::kmeans_params g{.k = 10, .max_iter = 5, .seed = 3};
    auto p = g;
    p.init = vecta::kmeans_init::plus_plus;
    const auto a = vecta::kmeans<float>(vecta::par, pts, 3, g);
    CHECK(same(a, vecta::kmeans<float>(vecta::seq, pts, 3, g)));
    CHECK(same(a, vecta::kmeans<float>(vecta::par | vecta::simd::scalar, pts, 3, g)));
    const auto b = vecta::kmeans<float>(vecta::par, pts, 3, p);
    CHECK(same(b, vecta::kmeans<float>(vecta::seq, pts, 3, p)));
    CHECK_FALSE(same(a, b));
    auto g2 = g;
    g2.seed = 4;
    CHECK_FALSE(same(a, vecta::kmeans<float>(vecta::par, pts, 3, g2)));
}

TEST_CASE("kmeans rejects bad init and algorithm values") {
    const std::vector<float> pts{0, 1, 2, 3, 4, 5};
    vecta::kmeans_params p{.k = 2};
    p.init = static_cast<vecta::kmeans_init>(7);
    CHECK_THROWS_WITH_AS(vecta::kmeans<float>(pts, 2, p), doctest::Contains("params.init"), vecta::invalid_argument);
    p = {.k = 2};
    p.algorithm = static_cast<vecta::kmeans_algorithm>(-1);
    CHECK_THROWS_WITH_AS(vecta::kmeans<float>(vecta::par, pts, 2, p), doctest::Contains("params.algorithm"),
                         vecta::invalid_argument);
}

namespace {
/// Naive LocalSearch++ swap step decision for a given candidate: the potential after the best
/// swap (the lowest over replacing each centre by the candidate), in double.
double best_swap_potential(const std::vector<double>& x, const std::vector<double>& w, std::vector<double> c,
                           const double* cand, std::size_t dim) {
    double best = 1e300;
    for (std::size_t j = 0; j < c.size() / dim; ++j) {
        auto t = c;
        std::copy(cand, cand + dim, t.begin() + j * dim);
        best = std::min(best, potential(x, w, t, dim));
    }
    return best;
}
}  // namespace

TEST_CASE("LocalSearch++: never raises the potential, lowers it on average, centres stay data points") {
    const std::size_t dim = 3, n = 1200, k = 10;
    rng64 r{91};
    std::vector<double> w(n);
    for (auto& v : w) v = 0.25 + r.uniform();
    double before_sum = 0, after_sum = 0;
    for (std::uint64_t seed = 0; seed < 12; ++seed) {
        const auto pts = make_points<double>(seed % 2 ? shape::blobs : shape::uniform, n, dim, 200 + seed);
        const auto init = vecta::detail::kmeans_plus_plus<double>(vecta::seq, pts.data(), w.data(), n, dim, k, seed, 1);
        auto ls = init;
        vecta::detail::kmeans_local_search<double>(vecta::seq, pts.data(), w.data(), n, dim, ls, k, seed, 20);
        const double p0 = potential(pts, w, init, dim), p1 = potential(pts, w, ls, dim);
        CHECK(p1 <= p0 * (1 + 1e-12));
        before_sum += p0;
        after_sum += p1;
        // Every centre is one of the points.
        for (std::size_t j = 0; j < k; ++j) {
            bool found = false;
            for (std::size_t i = 0; i < n && !found; ++i)
                found = std::equal(ls.begin() + j * dim, ls.begin() + (j + 1) * dim, pts.begin() + i * dim);
            CHECK(found);
        }
        // seq == par == scalar == every enabled architecture, bitwise.
        auto lp = init;
        vecta::detail::kmeans_local_search<double>(vecta::par, pts.data(), w.data(), n, dim, lp, k, seed, 20);
        CHECK(lp == ls);
        auto lsc = init;
        vecta::detail::kmeans_local_search<double>(vecta::seq | vecta::simd::scalar, pts.data(), w.data(), n, dim, lsc,
                                                   k, seed, 20);
        CHECK(lsc == ls);
        color_test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            auto la = init;
            vecta::detail::kmeans_local_search<double>(policy, pts.data(), w.data(), n, dim, la, k, seed, 20);
            CHECK(la == ls);
        });
        // 0 steps: unchanged.
        auto l0 = init;
        vecta::detail::kmeans_local_search<double>(vecta::seq, pts.data(), w.data(), n, dim, l0, k, seed, 0);
        CHECK(l0 == init);
    }
    MESSAGE("mean potential: k-means++ ", before_sum / 12, ", after 20 LocalSearch++ steps ", after_sum / 12);
    CHECK(after_sum < 0.95 * before_sum);
}

TEST_CASE("LocalSearch++: one step takes the best improving swap (naive reference)") {
    // With one step the drawn candidate is unknown to the test, so every candidate is tried
    // naively: the result must be either the start (no swap improves for the drawn point) or a
    // swap of some data point into some centre slot whose potential equals the naive best swap
    // for that point.
    const std::size_t dim = 2, n = 300, k = 5;
    const auto pts = make_points<double>(shape::blobs, n, dim, 17);
    const std::vector<double> w(n, 1.0);
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        const auto init = vecta::detail::kmeans_plus_plus<double>(vecta::seq, pts.data(), w.data(), n, dim, k, seed, 1);
        auto ls = init;
        vecta::detail::kmeans_local_search<double>(vecta::seq, pts.data(), w.data(), n, dim, ls, k, seed, 1);
        std::size_t changed = 0, slot = 0;
        for (std::size_t j = 0; j < k; ++j)
            if (!std::equal(ls.begin() + j * dim, ls.begin() + (j + 1) * dim, init.begin() + j * dim)) {
                ++changed;
                slot = j;
            }
        CHECK(changed <= 1);
        if (changed == 1) {
            const double got = potential(pts, w, ls, dim);
            CHECK(got < potential(pts, w, init, dim));
            const double ref = best_swap_potential(pts, w, init, ls.data() + slot * dim, dim);
            CHECK(got == doctest::Approx(ref).epsilon(1e-12));
        }
    }
}
