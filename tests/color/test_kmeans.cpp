// SPDX-License-Identifier: MIT
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

/// Small portable generator for test data (splitmix64 written out again on purpose).
struct test_rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / 9007199254740992.0; }  // [0, 1)
};

/// n points in `dim` dimensions around `blobs` random centres in [0, 100)^dim, spread `spread`.
template <class T>
std::vector<T> blobs(std::size_t n, std::size_t dim, std::size_t nblobs, double spread, std::uint64_t seed) {
    test_rng rng{seed};
    std::vector<double> centres(nblobs * dim);
    for (auto& c : centres) c = 100.0 * rng.uniform();
    std::vector<T> pts(n * dim);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t b = i % nblobs;
        for (std::size_t d = 0; d < dim; ++d)
            pts[i * dim + d] = static_cast<T>(centres[b * dim + d] + spread * (rng.uniform() - 0.5));
    }
    return pts;
}

struct ref_result {
    std::vector<double> centroids;
    std::vector<std::uint32_t> labels;
    double inertia = 0;
    std::size_t iterations = 0;
    bool converged = false;
};

/// Naive weighted Lloyd in double with the documented protocol: assign (ties to the lower
/// index), update, re-seed empty clusters with the farthest point, stop on max shift <= tol,
/// then a final assignment.
ref_result reference_lloyd(const std::vector<double>& x, const std::vector<double>& w, std::size_t dim,
                           std::vector<double> c, std::size_t max_iter, double tol) {
    const std::size_t n = x.size() / dim, k = c.size() / dim;
    ref_result r;
    std::vector<double> dist(n);
    auto assign = [&] {
        r.labels.assign(n, 0);
        r.inertia = 0;
        for (std::size_t i = 0; i < n; ++i) {
            double best = std::numeric_limits<double>::infinity();
            for (std::size_t j = 0; j < k; ++j) {
                double s = 0;
                for (std::size_t d = 0; d < dim; ++d) {
                    const double diff = x[i * dim + d] - c[j * dim + d];
                    s += diff * diff;
                }
                if (s < best) {
                    best = s;
                    r.labels[i] = std::uint32_t(j);
                }
            }
            dist[i] = best;
            r.inertia += w[i] * best;
        }
    };
    for (std::size_t it = 0; it < max_iter; ++it) {
        assign();
        std::vector<double> sum(k * dim, 0.0), ws(k, 0.0), next(k * dim);
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t d = 0; d < dim; ++d) sum[r.labels[i] * dim + d] += w[i] * x[i * dim + d];
            ws[r.labels[i]] += w[i];
        }
        for (std::size_t j = 0; j < k; ++j) {
            if (ws[j] > 0) {
                for (std::size_t d = 0; d < dim; ++d) next[j * dim + d] = sum[j * dim + d] / ws[j];
            } else {
                std::size_t far = n;
                double best = 0;
                for (std::size_t i = 0; i < n; ++i)
                    if (w[i] > 0 && dist[i] > best) best = dist[i], far = i;
                for (std::size_t d = 0; d < dim; ++d) next[j * dim + d] = far < n ? x[far * dim + d] : c[j * dim + d];
                if (far < n) dist[far] = -1;
            }
        }
        double shift = 0;
        for (std::size_t j = 0; j < k; ++j) {
            double s = 0;
            for (std::size_t d = 0; d < dim; ++d)
                s += (next[j * dim + d] - c[j * dim + d]) * (next[j * dim + d] - c[j * dim + d]);
            shift = std::max(shift, std::sqrt(s));
        }
        c = next;
        r.iterations = it + 1;
        if (shift <= tol) {
            r.converged = true;
            break;
        }
    }
    assign();
    r.centroids = c;
    return r;
}

bool close_rel(double a, double b, double rel) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

template <class T>
void check_against_reference(std::size_t dim, bool weighted, std::size_t n, std::size_t k, std::uint64_t seed) {
    INFO("dim ", dim, " weighted ", weighted, " n ", n, " k ", k);
    const auto pts = blobs<T>(n, dim, k, 12.0, seed);
    std::vector<T> w;
    test_rng rng{seed + 99};
    if (weighted)
        for (std::size_t i = 0; i < n; ++i) w.push_back(static_cast<T>(0.25 + 3.0 * rng.uniform()));
    // Initial centroids: points k + 3, ..., i.e. one from each blob (points cycle over blobs)
    // but not in blob order, plus a far-away centroid to exercise the empty-cluster re-seed.
    std::vector<T> init;
    for (std::size_t j = 0; j + 1 < k; ++j)
        for (std::size_t d = 0; d < dim; ++d) init.push_back(pts[((j * 7 + 3) % n) * dim + d]);
    for (std::size_t d = 0; d < dim; ++d) init.push_back(T(1e4));

    const auto got = vecta::detail::kmeans_from<T>(vecta::par, pts, dim, init, {.max_iter = 100, .tol = 0.0}, w);
    std::vector<double> xd(pts.begin(), pts.end()), wd(n, 1.0), cd(init.begin(), init.end());
    if (weighted) wd.assign(w.begin(), w.end());
    const auto ref = reference_lloyd(xd, wd, dim, cd, 100, 0.0);

    CHECK(got.dim == dim);
    CHECK(got.iterations == ref.iterations);
    CHECK(got.converged == ref.converged);
    CHECK(got.converged);
    CHECK(got.labels == ref.labels);
    REQUIRE(got.centroids.size() == ref.centroids.size());
    int bad = 0;
    for (std::size_t q = 0; q < ref.centroids.size(); ++q)
        bad += !close_rel(double(got.centroids[q]), ref.centroids[q], 1e-5);
    CHECK(bad == 0);
    CHECK(close_rel(got.inertia, ref.inertia, 1e-5));
    // All k clusters are used at the end (the far centroid was re-seeded).
    std::vector<int> used(k, 0);
    for (auto l : got.labels) used[l] = 1;
    CHECK(std::count(used.begin(), used.end(), 1) == int(k));
}

template <class T>
vecta::kmeans_result<T> run(const auto& policy, const std::vector<T>& pts, std::size_t dim,
                            const vecta::kmeans_params& p, const std::vector<T>& w = {}) {
    return vecta::kmeans<T>(policy, pts, dim, p, w);
}

using color_test::same;

}  // namespace

TEST_CASE("kmeans Lloyd agrees with a naive double reference from the same start") {
    for (std::size_t dim : {1u, 3u, 7u}) {
        check_against_reference<float>(dim, false, 700, 5, 1 + dim);
        check_against_reference<float>(dim, true, 700, 5, 2 + dim);
        check_against_reference<double>(dim, false, 2500, 6, 3 + dim);
        check_against_reference<double>(dim, true, 2500, 6, 4 + dim);
    }
}

TEST_CASE("kmeans result: labels are nearest centroids, inertia matches") {
    for (std::size_t dim : {1u, 3u, 7u}) {
        const auto pts = blobs<float>(3000, dim, 9, 40.0, 50 + dim);
        std::vector<float> w(3000);
        for (std::size_t i = 0; i < w.size(); ++i) w[i] = float(i % 5);
        const auto r = vecta::kmeans<float>(vecta::par, pts, dim, {.k = 7, .max_iter = 5, .seed = 3}, w);
        REQUIRE(r.centroids.size() == 7 * dim);
        REQUIRE(r.labels.size() == 3000);
        double inertia = 0;
        int bad = 0;
        for (std::size_t i = 0; i < 3000; ++i) {
            double best = 1e300, mine = 0;
            for (std::size_t j = 0; j < 7; ++j) {
                double s = 0;
                for (std::size_t d = 0; d < dim; ++d) {
                    const double diff = double(pts[i * dim + d]) - double(r.centroids[j * dim + d]);
                    s += diff * diff;
                }
                best = std::min(best, s);
                if (j == r.labels[i]) mine = s;
            }
            bad += mine > best * (1 + 1e-5) + 1e-9;
            inertia += double(w[i]) * mine;
        }
        CHECK(bad == 0);
        CHECK(close_rel(r.inertia, inertia, 1e-5));
        CHECK(r.iterations >= 1);
        CHECK(r.iterations <= 5);
    }
}

TEST_CASE("kmeans: seq == par and SIMD == scalar exactly") {
    constexpr auto seq_scalar = vecta::seq | vecta::simd::scalar;
    constexpr auto par_scalar = vecta::par | vecta::simd::scalar;
    for (std::size_t dim : {1u, 3u, 7u}) {
        INFO("dim ", dim);
        const auto pf = blobs<float>(5003, dim, 12, 30.0, 7 + dim);
        const vecta::kmeans_params p{.k = 12, .max_iter = 30, .tol = 0.0, .seed = 11};
        const auto a = run(vecta::seq, pf, dim, p);
        CHECK(same(a, run(vecta::par, pf, dim, p)));
        CHECK(same(a, run(seq_scalar, pf, dim, p)));
        CHECK(same(a, run(par_scalar, pf, dim, p)));
        const auto pd = blobs<double>(5003, dim, 12, 30.0, 9 + dim);
        const auto b = run(vecta::seq, pd, dim, p);
        CHECK(same(b, run(vecta::par, pd, dim, p)));
        CHECK(same(b, run(par_scalar, pd, dim, p)));
        // The overload without a policy runs as seq.
        CHECK(same(b, vecta::kmeans<double>(pd, dim, p)));
    }
}

namespace {
template <class T>
void check_kernel() {
    // Integer-valued data on a coarse grid: many exact ties; duplicate centroids. Dimensions
    // 1..4 take the unrolled SIMD loops, 7 the generic one.
    for (std::size_t dim : {1u, 2u, 3u, 4u, 7u}) {
        test_rng rng{dim};
        const std::size_t n = 777, k = 9;
        std::vector<T> pts(n * dim), cents(k * dim);
        for (auto& v : pts) v = T(int(rng.uniform() * 5));
        for (auto& v : cents) v = T(int(rng.uniform() * 5));
        std::copy(cents.begin(), cents.begin() + dim, cents.begin() + 4 * dim);  // 4 == 0
        std::vector<std::uint32_t> l1(n), l2(n);
        std::vector<T> d1(n), d2(n), scratch(dim * vecta::detail::kmeans_chunk);
        vecta::detail::nearest_centroids(vecta::simd::max_level(), pts.data(), n, dim, cents.data(), k, l1.data(),
                                         d1.data(), static_cast<T*>(nullptr), scratch.data());
        vecta::detail::nearest_centroids(vecta::simd::level::scalar, pts.data(), n, dim, cents.data(), k, l2.data(),
                                         d2.data(), static_cast<T*>(nullptr), scratch.data());
        CHECK(l1 == l2);
        CHECK(d1 == d2);
        int bad = 0;
        for (std::size_t i = 0; i < n; ++i) {
            // First index reaching the minimum, computed exactly in double.
            double best = 1e300;
            std::uint32_t bi = 0;
            for (std::size_t j = 0; j < k; ++j) {
                double s = 0;
                for (std::size_t d = 0; d < dim; ++d)
                    s += (double(pts[i * dim + d]) - cents[j * dim + d]) *
                         (double(pts[i * dim + d]) - cents[j * dim + d]);
                if (s < best) best = s, bi = std::uint32_t(j);
            }
            bad += l1[i] != bi || double(d1[i]) != best;
            bad += l1[i] == 4;  // the duplicate of centroid 0 never wins
        }
        CHECK(bad == 0);
    }
}
}  // namespace

TEST_CASE("nearest-centroid kernel: SIMD == scalar, ties to the lower index") {
    check_kernel<float>();
    check_kernel<double>();
}

namespace {
/// Non-integer data whose squared distances round (so an FMA in one path would show):
/// coordinates m * 0.37 for m in 0..49, as in the reviewer's reproducer.
template <class T>
std::vector<T> grid_037(std::size_t count, test_rng& rng) {
    std::vector<T> v(count);
    for (auto& x : v) x = static_cast<T>(float(int(rng.uniform() * 50)) * 0.37f);
    return v;
}

template <class T>
void check_kernel_all_archs() {
    for (std::size_t dim : {1u, 2u, 3u, 4u, 5u, 9u}) {
        test_rng rng{dim * 31};
        for (std::size_t n : {1u, 7u, 64u, 301u}) {
            const std::size_t k = 1 + std::size_t(rng.uniform() * 20);
            const auto pts = grid_037<T>(n * dim, rng), cents = grid_037<T>(k * dim, rng);
            std::vector<std::uint32_t> l_ref(n);
            std::vector<T> d_ref(n);
            vecta::detail::kmeans_assign(vecta::seq | vecta::simd::scalar, pts.data(), n, dim, cents.data(), k,
                                         l_ref.data(), d_ref.data());
            color_test::for_each_arch([&](auto policy, const char* name) {
                CAPTURE(name);
                CAPTURE(dim);
                CAPTURE(n);
                CAPTURE(k);
                std::vector<std::uint32_t> l(n);
                std::vector<T> d(n);
                vecta::detail::kmeans_assign(policy, pts.data(), n, dim, cents.data(), k, l.data(), d.data());
                CHECK(l == l_ref);
                CHECK(d == d_ref);  // bitwise: the same multiplies and adds in the same order
            });
        }
    }
}

template <class T>
void check_kmeans_all_archs() {
    for (std::size_t dim : {1u, 3u, 4u, 7u}) {
        test_rng rng{dim + 1000};
        const std::size_t n = 900;
        const auto pts = grid_037<T>(n * dim, rng);
        std::vector<T> w(n);
        for (auto& x : w) x = static_cast<T>(0.5 + rng.uniform());
        const vecta::kmeans_params p{.k = 9, .max_iter = 15, .tol = 0.0, .seed = dim};
        const auto ref = run(vecta::seq | vecta::simd::scalar, pts, dim, p, w);
        color_test::for_each_arch([&](auto policy, const char* name) {
            CAPTURE(name);
            CAPTURE(dim);
            CHECK(same(ref, run(policy, pts, dim, p, w)));
        });
    }
}
}  // namespace

TEST_CASE("nearest-centroid kernel: every run-time SIMD level equals scalar bitwise") {
    check_kernel_all_archs<float>();
    check_kernel_all_archs<double>();
}

template <class T>
void check_seeding_distances_all_archs() {
    // kmeans_sqdist_block (the k-means++ seeding distances, all greedy candidates of a step at
    // once: 2 + floor(ln k) of them, 5 at k = 24, 7 at k = 256, 13 at k = 65536) against a
    // naive double loop: s = s + (double(p) - double(c))^2 from 0, dimension by dimension.
    for (std::size_t dim : {1u, 2u, 3u, 4u, 5u, 16u}) {
        test_rng rng{dim * 7 + 3};
        for (std::size_t n : {1u, 7u, 9u, 64u, 301u}) {
            const auto pts = grid_037<T>(n * dim, rng), cents = grid_037<T>(13 * dim, rng);
            for (std::size_t nc : {1u, 2u, 3u, 4u, 5u, 7u, 13u}) {
                std::vector<const T*> cs;
                for (std::size_t t = 0; t < nc; ++t) cs.push_back(cents.data() + t * dim);
                std::vector<double> ref(nc * n);
                for (std::size_t t = 0; t < nc; ++t)
                    for (std::size_t i = 0; i < n; ++i) {
                        double s = 0;
                        for (std::size_t d = 0; d < dim; ++d) {
                            const double diff = double(pts[i * dim + d]) - double(cs[t][d]);
                            s = s + diff * diff;
                        }
                        ref[t * n + i] = s;
                    }
                color_test::for_each_arch([&](auto policy, const char* name) {
                    CAPTURE(name);
                    CAPTURE(dim);
                    CAPTURE(n);
                    CAPTURE(nc);
                    std::vector<double> out(nc * n, -1.0);
                    vecta::detail::kmeans_sqdist_block(vecta::detail::policy_level(policy), pts.data(), n, dim,
                                                       cs.data(), nc, out.data());
                    CHECK(out == ref);  // bitwise
                });
            }
        }
    }
}

TEST_CASE("k-means++ seeding distances: every run-time SIMD level equals a naive loop bitwise") {
    check_seeding_distances_all_archs<float>();
    check_seeding_distances_all_archs<double>();
}

TEST_CASE("kmeans: every run-time SIMD level equals the scalar path") {
    check_kmeans_all_archs<float>();
    check_kmeans_all_archs<double>();
}

TEST_CASE("kmeans: integer weights equal repeated points") {
    for (std::size_t dim : {1u, 3u, 7u}) {
        INFO("dim ", dim);
        const std::size_t n = 400;
        const auto pts = blobs<double>(n, dim, 6, 25.0, 21 + dim);
        std::vector<double> w(n), expanded;
        std::vector<std::size_t> first(n);
        test_rng rng{dim + 5};
        for (std::size_t i = 0; i < n; ++i) {
            w[i] = double(int(rng.uniform() * 4));  // 0..3, some zero
            first[i] = expanded.size() / dim;
            for (int r = 0; r < int(w[i]); ++r)
                expanded.insert(expanded.end(), pts.begin() + i * dim, pts.begin() + (i + 1) * dim);
        }
        for (std::uint64_t seed : {0u, 1u, 2u}) {
            const vecta::kmeans_params p{.k = 6, .max_iter = 50, .tol = 0.0, .seed = seed};
            const auto a = vecta::kmeans<double>(vecta::par, pts, dim, p, w);
            const auto b = vecta::kmeans<double>(vecta::par, expanded, dim, p);
            int bad = 0;
            for (std::size_t q = 0; q < a.centroids.size(); ++q)
                bad += !close_rel(a.centroids[q], b.centroids[q], 1e-9);
            for (std::size_t i = 0; i < n; ++i)
                if (w[i] > 0) bad += a.labels[i] != b.labels[first[i]];
            CHECK(bad == 0);
            CHECK(close_rel(a.inertia, b.inertia, 1e-9));
            CHECK(a.iterations == b.iterations);
        }
    }
}

TEST_CASE("kmeans is deterministic by seed") {
    const auto pts = blobs<float>(2000, 3, 40, 30.0, 77);  // many blobs: the seeding matters
    const vecta::kmeans_params p{.k = 10, .max_iter = 3, .seed = 5};
    const auto a = vecta::kmeans<float>(vecta::par, pts, 3, p);
    CHECK(same(a, vecta::kmeans<float>(vecta::par, pts, 3, p)));
    int differ = 0;
    for (std::uint64_t s = 6; s < 10; ++s) {
        auto q = p;
        q.seed = s;
        differ += vecta::kmeans<float>(vecta::par, pts, 3, q).centroids != a.centroids;
    }
    CHECK(differ >= 3);
}

TEST_CASE("kmeans seeding picks distinct data points (k-means++)") {
    // max_iter = 1 and a huge tol: centroids are the means after one step; with k = n every
    // point is its own cluster, so the seeding must have picked every point once.
    const std::vector<double> pts{0, 0, 10, 0, 0, 10, 10, 10, 5, 5};
    const auto r = vecta::kmeans<double>(pts, 2, {.k = 5, .max_iter = 1, .tol = 1e9});
    CHECK(r.inertia == 0);
    CHECK(r.converged);
    std::vector<std::uint32_t> sorted = r.labels;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
}

TEST_CASE("kmeans with fewer distinct points than k does not fail") {
    std::vector<float> pts;
    for (int i = 0; i < 50; ++i) pts.push_back(i % 2 ? 3.f : -1.f);
    const auto r = vecta::kmeans<float>(vecta::par, pts, 1, {.k = 4, .max_iter = 10});
    CHECK(r.inertia == 0);
    CHECK(std::find(r.centroids.begin(), r.centroids.end(), 3.f) != r.centroids.end());
    CHECK(std::find(r.centroids.begin(), r.centroids.end(), -1.f) != r.centroids.end());
    for (std::size_t i = 0; i < 50; ++i) CHECK(r.centroids[r.labels[i]] == pts[i]);
}

TEST_CASE("kmeans stops on max_iter or tol") {
    const auto pts = blobs<double>(1000, 2, 30, 50.0, 3);
    const auto a = vecta::kmeans<double>(pts, 2, {.k = 8, .max_iter = 1, .tol = 0.0});
    CHECK(a.iterations == 1);
    CHECK_FALSE(a.converged);
    const auto b = vecta::kmeans<double>(pts, 2, {.k = 8, .max_iter = 1000, .tol = 0.0});
    CHECK(b.converged);
    CHECK(b.iterations > 1);
    CHECK(b.iterations < 1000);
    CHECK(b.inertia <= a.inertia);
}

TEST_CASE("kmeans compiles with a vector argument and designated initializers") {
    std::vector<float> vec = blobs<float>(100, 2, 4, 5.0, 1);
    const std::size_t dim = 2;
    auto r = vecta::kmeans<float>(vecta::par, vec, dim, {.k = 4});
    CHECK(r.centroids.size() == 8);
    CHECK(r.labels.size() == 50 * 2);
    auto s = vecta::kmeans<float>(vec, dim, {.k = 4});
    CHECK(same(r, s));
}

TEST_CASE("kmeans rejects bad input, naming the argument") {
    const std::vector<float> pts{0, 1, 2, 3, 4, 5};
    using vecta::invalid_argument;
    auto km = [&](std::span<const float> p, std::size_t dim, vecta::kmeans_params prm, std::span<const float> w = {}) {
        return vecta::kmeans<float>(vecta::par, p, dim, prm, w);
    };
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 0}), doctest::Contains("params.k"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 4}), doctest::Contains("params.k"), invalid_argument);
    CHECK_NOTHROW(km(pts, 2, {.k = 3}));
    CHECK_THROWS_WITH_AS(km(pts, 0, {.k = 1}), doctest::Contains("dim"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 4, {.k = 1}), doctest::Contains("points"), invalid_argument);
    CHECK_THROWS_WITH_AS(km({}, 2, {.k = 1}), doctest::Contains("points"), invalid_argument);
    std::vector<float> bad = pts;
    bad[3] = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH_AS(km(bad, 2, {.k = 1}), doctest::Contains("points"), invalid_argument);
    bad[3] = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(km(bad, 2, {.k = 1}), doctest::Contains("points"), invalid_argument);
    const std::vector<float> w2{1, 1}, wneg{1, -1, 1}, wnan{1, std::nanf(""), 1}, wzero{0, 0, 0};
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1}, w2), doctest::Contains("weights"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1}, wneg), doctest::Contains("weights"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1}, wnan), doctest::Contains("weights"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1}, wzero), doctest::Contains("weights"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1, .max_iter = 0}), doctest::Contains("params.max_iter"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1, .tol = -1}), doctest::Contains("params.tol"), invalid_argument);
    CHECK_THROWS_WITH_AS(km(pts, 2, {.k = 1, .tol = std::nan("")}), doctest::Contains("params.tol"), invalid_argument);
    CHECK_THROWS_AS(vecta::kmeans<double>(std::vector<double>{}, 1), invalid_argument);
    // Squared distances that would overflow T (the reviewer's case gave wrong labels silently).
    const std::vector<float> huge{-1e20f, -5e19f, 5e19f, 1e20f};
    CHECK_THROWS_WITH_AS(km(huge, 1, {.k = 2}), doctest::Contains("points"), invalid_argument);
    const double dmax = std::numeric_limits<double>::max();
    CHECK_THROWS_WITH_AS(vecta::kmeans<double>(std::vector<double>{-dmax, 0, dmax}, 1, {.k = 2}),
                         doctest::Contains("points"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::kmeans<double>(std::vector<double>{1e160, 0, 1}, 1, {.k = 2}),
                         doctest::Contains("points"), invalid_argument);
    // The bound is 8 dim M^2 <= max (up to rounding): just inside passes, just outside throws,
    // and it tightens with dim.
    const float fmax = std::numeric_limits<float>::max();
    const float inside = std::sqrt(fmax / 8.0f) * 0.999f, outside = std::sqrt(fmax / 8.0f) * 1.001f;
    CHECK_NOTHROW(km(std::vector<float>{-inside, inside, 0}, 1, {.k = 2}));
    CHECK_THROWS_WITH_AS(km(std::vector<float>{-outside, outside, 0}, 1, {.k = 2}), doctest::Contains("points"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(km(std::vector<float>{-inside, inside, 0, 0}, 2, {.k = 2}), doctest::Contains("points"),
                         invalid_argument);
    // Inside the bound the labels are right: the two outer points go to different clusters.
    const auto r = km(std::vector<float>{-inside, -inside * 0.5f, inside * 0.5f, inside}, 1, {.k = 2});
    CHECK(r.labels[0] == r.labels[1]);
    CHECK(r.labels[2] == r.labels[3]);
    CHECK(r.labels[0] != r.labels[3]);
    CHECK(std::isfinite(r.inertia));
    // Double accumulators: the weighted sums must stay finite too.
    const double dq = std::sqrt(dmax / 8.0) * 0.25;  // 8 M^2 = max / 16: fine for total weight 2
    const auto rd = vecta::kmeans<double>(std::vector<double>{-dq, dq}, 1, {.k = 2});
    CHECK(rd.labels[0] != rd.labels[1]);
    CHECK(std::isfinite(rd.inertia));
    CHECK_THROWS_WITH_AS(vecta::kmeans<double>(std::vector<double>{-dq, dq}, 1, {.k = 2}, std::vector<double>{16, 16}),
                         doctest::Contains("points"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::kmeans<double>(std::vector<double>{0, 1}, 1, {.k = 1}, std::vector<double>{dmax, dmax}),
                         doctest::Contains("weights"), invalid_argument);
    // detail::kmeans_from checks its initial centroids too.
    const std::vector<float> init_bad{0, 1, 2}, init_nan{0, std::nanf("")};
    CHECK_THROWS_WITH_AS(vecta::detail::kmeans_from<float>(vecta::seq, pts, 2, init_bad), doctest::Contains("initial"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::detail::kmeans_from<float>(vecta::seq, pts, 2, init_nan), doctest::Contains("initial"),
                         invalid_argument);
    const std::vector<float> init_huge{0, 1e20f};
    CHECK_THROWS_WITH_AS(vecta::detail::kmeans_from<float>(vecta::seq, pts, 2, init_huge), doctest::Contains("initial"),
                         invalid_argument);
}
