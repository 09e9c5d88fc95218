// SPDX-License-Identifier: MIT
// Shared by the similarity tests: random matrices and double-precision naive references.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vecta/similarity/distance.hpp>
#include <vector>

#include "sim_test_arch.hpp"

namespace sim_test {

/// The five metrics of distance.hpp, in enum order.
inline constexpr vecta::metric all_metrics[] = {vecta::metric::dot, vecta::metric::cosine, vecta::metric::sqeuclidean,
                                                vecta::metric::euclidean, vecta::metric::manhattan};

struct rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / 9007199254740992.0; }  // [0, 1)
};

/// rows * cols values uniform in [lo, hi) (row-major, stride cols + pad; padding is NaN so a
/// kernel that reads it fails the tests).
template <class T>
std::vector<T> random_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed, double lo = -1, double hi = 1,
                             std::size_t pad = 0) {
    rng r{seed};
    std::vector<T> v(rows * (cols + pad), std::numeric_limits<T>::quiet_NaN());
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) v[i * (cols + pad) + j] = static_cast<T>(lo + (hi - lo) * r.uniform());
    return v;
}

/// Reference value of a metric in long double, and the sum of |terms| for the error bound.
struct ref_value {
    long double value = 0, abs_terms = 0;
};

template <class T>
ref_value reference(vecta::metric m, const T* a, const T* b, std::size_t n) {
    long double dot = 0, aa = 0, bb = 0, l2 = 0, l1 = 0, adot = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const long double x = a[i], y = b[i];
        dot += x * y;
        adot += std::fabs(x * y);
        aa += x * x;
        bb += y * y;
        l2 += (x - y) * (x - y);
        l1 += std::fabs(x - y);
    }
    switch (m) {
        case vecta::metric::dot: return {dot, adot};
        case vecta::metric::cosine: {
            if (aa == 0 || bb == 0) return {0, 0};
            const long double c = dot / std::sqrt(aa * bb);
            return {std::fmax(-1.0L, std::fmin(1.0L, c)), adot / std::sqrt(aa * bb)};
        }
        case vecta::metric::sqeuclidean: return {l2, l2};
        case vecta::metric::euclidean: return {std::sqrt(l2), std::sqrt(l2)};
        case vecta::metric::manhattan: return {l1, l1};
    }
    return {};
}

/// The stated bound: recursive summation n * eps * sum |terms| (Higham eq. 4.4), plus a few ulps
/// for the final operations (division, square roots, subtraction of the inputs).
template <class T>
long double bound(vecta::metric m, const ref_value& r, std::size_t n) {
    const long double eps = std::numeric_limits<T>::epsilon() / 2;
    // (a_i - b_i) rounds too: each squared / absolute difference carries 1-2 more eps.
    long double b = (static_cast<long double>(n) + 4) * eps * r.abs_terms;
    if (m == vecta::metric::cosine) b += 8 * eps;
    if (m == vecta::metric::euclidean) b = (static_cast<long double>(n) + 4) * eps * r.abs_terms;  // relative to value
    return b + std::numeric_limits<T>::denorm_min();
}

inline bool is_nan_ld(long double x) { return x != x; }

}  // namespace sim_test
