// SPDX-License-Identifier: MIT
// vecta/color/kmeans.hpp - generic k-means (k-means++ seeding, Lloyd iterations).
//
// Points are a row-major span of n * dim values (float or double) with optional non-negative
// weights. Results are deterministic: the same input and seed give the same output, and
// vecta::seq, vecta::par and the SIMD and scalar paths all give identical labels and centroids
// (per-block partial sums in double, combined in block order; blocks do not depend on the
// number of threads). The assignment kernel (nearest_centroids), the k-means++ seeding distances
// (kmeans_sqdist_block) and the update sums (kmeans_accumulate) are dispatched at run time
// (core/cpu.hpp, core/vec.hpp: SSE2, AVX2 or AVX-512 from one build, VECTA_SIMD_LEVEL caps it).
// Its squared distances are the same sequence of plain multiplies and adds (acc = acc + d * d,
// dimension by dimension) at every level and in the scalar loop, so they round identically on
// every instruction set provided the compiler evaluates expressions as written: the
// vecta::vecta CMake target adds -ffp-contract=off (GCC/Clang); single-header users should add
// it too, otherwise a*b+c may be contracted into an FMA in the AVX2 / AVX-512 functions and
// not in the others.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/point.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"

namespace vecta {

/// Seeding of vecta::kmeans.
enum class kmeans_init {
    /// Greedy k-means++ (Arthur & Vassilvitskii 2007, section 6; scikit-learn's default): the
    /// first centre is drawn with probability proportional to the weight; each next one is the
    /// best of 2 + floor(ln k) candidates drawn proportional to weight * D^2, the one that
    /// lowers the potential (sum of weight * D^2) most (first drawn on ties).
    greedy_plus_plus,
    /// Plain k-means++ (Arthur & Vassilvitskii 2007): one candidate per step.
    plus_plus,
};

/// Iteration algorithm of vecta::kmeans. All give identical labels, centroids, inertia,
/// iteration counts and convergence flags (the acceleration only skips distance computations
/// whose outcome is known), so the choice only affects the time.
enum class kmeans_algorithm {
    /// hamerly when k >= kmeans_hamerly_min_k (48), else lloyd: with the SIMD kernel the
    /// per-point bookkeeping of the bounds costs about as much as 16-48 distances, so below
    /// that the plain passes are faster (measured, see docs/color.md).
    automatic,
    /// Lloyd iterations with Hamerly's bounds (Hamerly, "Making k-means even faster", SDM 2010):
    /// a lower bound on the distance to the second-nearest centroid per point, kept through the
    /// centroid shifts, and the half-distance to the nearest other centroid, with rounding
    /// margins so that only points whose nearest centroid provably cannot change are skipped.
    hamerly,
    /// Plain Lloyd iterations (Lloyd 1982): every distance computed every iteration.
    lloyd,
};

/// Smallest k for which kmeans_algorithm::automatic uses Hamerly's bounds.
inline constexpr std::size_t kmeans_hamerly_min_k = 48;

/// Parameters of vecta::kmeans.
struct kmeans_params {
    std::size_t k = 8;           ///< clusters, 1 <= k <= number of points
    std::size_t max_iter = 100;  ///< Lloyd iterations at most (>= 1)
    double tol = 1e-4;           ///< stop when the largest centroid shift (Euclidean) is <= tol (>= 0)
    std::uint64_t seed = 0;      ///< seed of the k-means++ seeding
    kmeans_init init = kmeans_init::greedy_plus_plus;          ///< seeding
    kmeans_algorithm algorithm = kmeans_algorithm::automatic;  ///< iterations (same result either way)
};

/// Result of vecta::kmeans. Labels are nearest-centroid assignments to the returned centroids
/// (ties go to the lower centroid index), and inertia is computed for those labels.
template <class T>
struct kmeans_result {
    std::vector<T> centroids;           ///< k * dim, row-major
    std::vector<std::uint32_t> labels;  ///< n
    double inertia = 0;                 ///< sum of weighted squared distances to the assigned centroid
    std::size_t iterations = 0;         ///< Lloyd iterations run
    bool converged = false;             ///< stopped on tol rather than max_iter
    std::size_t dim = 0;
};

namespace detail {

/// splitmix64 (Steele, Lea, Flood 2014): a tiny, portable generator for the seeding.
struct splitmix64 {
    std::uint64_t state;
    constexpr std::uint64_t operator()() noexcept {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform double in [0, 1) with 53 random bits.
    constexpr double uniform01() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
};

/// Points a nearest_centroids call may handle at once through the scratch buffer.
inline constexpr std::size_t kmeans_chunk = 64;

/// Assignment step of Lloyd's algorithm for a block of points, scalar loop: for each of
/// `count` points (row-major, `dim` values each) the index of the nearest of `k` centroids
/// (squared Euclidean distance, ties to the lower index) into `labels` and that squared
/// distance into `dist`; with Two, also the second-smallest squared distance (the smallest over
/// the centroids other than the nearest; infinity when k == 1) into `dist2`: per centroid j,
/// second = acc < best ? best : min(second, acc), then best = min. The squared distance is
/// accumulated dimension by dimension as acc = acc + d * d (a separate multiply and add, no
/// FMA) from 0: the reference of every SIMD level.
template <bool Two, class T>
void nearest_scalar(const T* pts, std::size_t begin, std::size_t end, std::size_t dim, const T* cents, std::size_t k,
                    std::uint32_t* labels, T* dist, T* dist2) noexcept {
    for (std::size_t i = begin; i < end; ++i) {
        const T* p = pts + i * dim;
        T best = std::numeric_limits<T>::infinity(), sec = best;
        std::uint32_t bi = 0;
        for (std::size_t j = 0; j < k; ++j) {
            const T* c = cents + j * dim;
            T acc = 0;
            for (std::size_t d = 0; d < dim; ++d) {
                const T diff = p[d] - c[d];
                acc = acc + diff * diff;
            }
            if (acc < best) {
                if constexpr (Two) sec = best;
                best = acc;
                bi = static_cast<std::uint32_t>(j);
            } else if (Two && acc < sec) {
                sec = acc;
            }
        }
        labels[i] = bi;
        dist[i] = best;
        if constexpr (Two) dist2[i] = sec;
    }
}

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// The vector assignment kernel of B bytes (core/vec.hpp): two vectors of points at a time
/// (2 W, W = B / sizeof(T) lanes), transposed into scratch (structure of arrays:
/// scratch[d * 2W + lane]), against every centroid in turn; the nearest index is carried in an
/// integer vector of the lane width, updated where acc < best (so the lowest index wins ties).
/// Each lane runs the scalar loop's operations in its order (subtract, multiply, add from 0),
/// so the bits equal nearest_scalar's at every B when the compiler does not contract a * b + c
/// (-ffp-contract=off). D is the dimension when known at compile time, else 0; a last block of
/// fewer than 2 W points runs in the vector lanes too (its empty lanes repeat its last point).
template <bool Two, int B, std::size_t D, class T>
VECTA_ALWAYS_INLINE void nearest_vec_d(const T* pts, std::size_t count, std::size_t dim_rt, const T* cents,
                                       std::size_t k, std::uint32_t* labels, T* dist, T* dist2, T* scratch) noexcept {
    using V = vec<T, B>;
    using I = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
    using VI = vec<I, B>;
    constexpr std::size_t W = B / sizeof(T);
    static_assert(2 * W <= kmeans_chunk);
    const std::size_t dim = D != 0 ? D : dim_rt;
    for (std::size_t i = 0; i < count; i += 2 * W) {
        // The last block may be partial: its empty lanes repeat the last point (lanes are
        // independent) and only the first n results are stored.
        const std::size_t n = std::min(2 * W, count - i);
        for (std::size_t p = 0; p < 2 * W; ++p)
            for (std::size_t d = 0; d < dim; ++d) scratch[d * 2 * W + p] = pts[(i + std::min(p, n - 1)) * dim + d];
        const V inf = V{} + std::numeric_limits<T>::infinity();
        V best0 = inf, best1 = inf, sec0 = inf, sec1 = inf;
        VI idx0{}, idx1{}, jj{};
        for (std::size_t j = 0; j < k; ++j, jj += 1) {
            const T* c = cents + j * dim;
            V acc0{}, acc1{};
            for (std::size_t d = 0; d < dim; ++d) {
                const V cd = V{} + c[d];
                const V d0 = vload<V>(scratch + d * 2 * W) - cd, d1 = vload<V>(scratch + d * 2 * W + W) - cd;
                acc0 = acc0 + d0 * d0;
                acc1 = acc1 + d1 * d1;
            }
            const VI m0 = (VI)(acc0 < best0), m1 = (VI)(acc1 < best1);
            if constexpr (Two) {
                vselect(sec0, (VI)(acc0 < sec0), acc0, sec0);
                vselect(sec0, m0, best0, sec0);
                vselect(sec1, (VI)(acc1 < sec1), acc1, sec1);
                vselect(sec1, m1, best1, sec1);
            }
            vselect(best0, m0, acc0, best0);
            vselect(best1, m1, acc1, best1);
            vselect(idx0, m0, jj, idx0);
            vselect(idx1, m1, jj, idx1);
        }
        if (n == 2 * W) {
            vstore(dist + i, best0);
            vstore(dist + i + W, best1);
            if constexpr (Two) {
                vstore(dist2 + i, sec0);
                vstore(dist2 + i + W, sec1);
            }
            for (std::size_t p = 0; p < W; ++p) {
                labels[i + p] = static_cast<std::uint32_t>(idx0[p]);
                labels[i + W + p] = static_cast<std::uint32_t>(idx1[p]);
            }
        } else {
            for (std::size_t p = 0; p < n; ++p) {
                const bool lo = p < W;
                const std::size_t q = lo ? p : p - W;
                dist[i + p] = lo ? best0[q] : best1[q];
                if constexpr (Two) dist2[i + p] = lo ? sec0[q] : sec1[q];
                labels[i + p] = static_cast<std::uint32_t>(lo ? idx0[q] : idx1[q]);
            }
        }
    }
}

/// nearest_vec_d with the common small dimensions (1 to 4) unrolled.
template <bool Two, int B, class T>
VECTA_ALWAYS_INLINE void nearest_vec(const T* pts, std::size_t count, std::size_t dim, const T* cents, std::size_t k,
                                     std::uint32_t* labels, T* dist, T* dist2, T* scratch) noexcept {
    switch (dim) {
        case 1: return nearest_vec_d<Two, B, 1>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
        case 2: return nearest_vec_d<Two, B, 2>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
        case 3: return nearest_vec_d<Two, B, 3>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
        case 4: return nearest_vec_d<Two, B, 4>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
        default: return nearest_vec_d<Two, B, 0>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
    }
}
VECTA_VEC_END
#endif

/// Assignment step for a block of `count` points at SIMD level `l` (core/cpu.hpp; run-time
/// dispatch): nearest centroid index and squared distance per point, and with `dist2` non-null
/// the second-smallest squared distance (see nearest_scalar). Numerical promise: labels, dist
/// and dist2 are bit-identical at every level (scalar, sse2, neon, avx2, avx512), the same
/// operations in the same order per point (tested under every level the CPU has), provided
/// a * b + c is not contracted into an FMA (-ffp-contract=off, which the vecta::vecta target
/// sets). `scratch` holds dim * kmeans_chunk values. k below 2^31.
template <class T>
void nearest_centroids(simd::level l, const T* pts, std::size_t count, std::size_t dim, const T* cents, std::size_t k,
                       std::uint32_t* labels, T* dist, T* dist2, T* scratch) noexcept {
    if (k >= (std::size_t(1) << 31)) l = simd::level::scalar;
    dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) {
            if (dist2) return nearest_vec<true, w()>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
            return nearest_vec<false, w()>(pts, count, dim, cents, k, labels, dist, dist2, scratch);
        }
#endif
        if (dist2) return nearest_scalar<true>(pts, 0, count, dim, cents, k, labels, dist, dist2);
        nearest_scalar<false>(pts, 0, count, dim, cents, k, labels, dist, dist2);
    });
}

/// Squared distance between two points of `dim` values, accumulated exactly as the kernels do
/// (acc = acc + d * d from 0, dimension by dimension), so it has the same bits as theirs.
template <class T>
inline T kmeans_sqdist(const T* p, const T* c, std::size_t dim) noexcept {
    T acc = 0;
    for (std::size_t d = 0; d < dim; ++d) {
        const T diff = p[d] - c[d];
        acc = acc + diff * diff;
    }
    return acc;
}

/// Points per block of the assignment pass.
inline constexpr std::size_t kmeans_assign_block = 1024;

/// Runs the assignment step over all n points in parallel blocks (labels and squared distances
/// per point; the result does not depend on the policy's threading).
template <class T, class Policy>
void kmeans_assign(const Policy& policy, const T* pts, std::size_t n, std::size_t dim, const T* cents, std::size_t k,
                   std::uint32_t* labels, T* dist) {
    const simd::level lvl = policy_level(policy);
    parallel_for(policy, n, kmeans_assign_block, [&](std::size_t b, std::size_t e) {
        std::vector<T> scratch(dim * kmeans_chunk);
        for (std::size_t s = b; s < e; s += kmeans_assign_block) {
            const std::size_t m = std::min(e, s + kmeans_assign_block) - s;
            nearest_centroids(lvl, pts + s * dim, m, dim, cents, k, labels + s, dist + s, static_cast<T*>(nullptr),
                              scratch.data());
        }
    });
}

/// Block size of the accumulation (update) pass: depends only on n, k and dim, so that
/// per-block partial sums, added in block order, are the same under seq and par. At most
/// 256 blocks and about 64 MiB of partial sums.
inline std::size_t kmeans_accumulate_block(std::size_t n, std::size_t k, std::size_t dim) noexcept {
    const std::size_t per_block = (k * dim + k + 1) * sizeof(double);
    const std::size_t max_blocks =
        std::clamp<std::size_t>((std::size_t(64) << 20) / std::max<std::size_t>(per_block, 1), 1, 256);
    return std::max<std::size_t>(2048, (n + max_blocks - 1) / max_blocks);
}

/// Sums of weight * point and of weights per cluster, and the weighted sum of `dist`, for the
/// given labels, in double: per-block partials added in block order. D is the dimension when
/// known at compile time, else 0. Always inlined into kmeans_accumulate's dispatch_width body, so
/// that the compiler vectorizes the per-dimension sums for the run-time level (one multiply and
/// add per element and point, in point order: the same bits at every level).
template <std::size_t D, class T, class W>
VECTA_ALWAYS_INLINE void kmeans_accumulate_range(const T* pts, const W* weights, std::size_t b, std::size_t e,
                                                 std::size_t dim_rt, std::size_t k, const std::uint32_t* labels,
                                                 const T* dist, double* s) noexcept {
    const std::size_t dim = D != 0 ? D : dim_rt;
    double* ws = s + k * dim;
    double in = 0;
    for (std::size_t i = b; i < e; ++i) {
        const double w = weights ? static_cast<double>(weights[i]) : 1.0;
        const std::size_t l = labels[i];
        const T* p = pts + i * dim;
        double* sl = s + l * dim;
        for (std::size_t d = 0; d < dim; ++d) sl[d] += w * static_cast<double>(p[d]);
        ws[l] += w;
        in += w * static_cast<double>(dist[i]);
    }
    s[k * dim + k] = in;
}

template <class T, class W, class Policy>
void kmeans_accumulate(const Policy& policy, const T* pts, const W* weights, std::size_t n, std::size_t dim,
                       std::size_t k, const std::uint32_t* labels, const T* dist, std::vector<double>& sums,
                       std::vector<double>& wsum, double& inertia) {
    const std::size_t block = kmeans_accumulate_block(n, k, dim);
    const std::size_t blocks = (n + block - 1) / block;
    const std::size_t stride = k * dim + k + 1;
    std::vector<double> part(blocks * stride, 0.0);
    const simd::level lvl = policy_level(policy);
    parallel_for(policy, n, block, [&](std::size_t b, std::size_t e) {
        double* s = part.data() + (b / block) * stride;
        dispatch_width(lvl, [&](auto) VECTA_LAMBDA_INLINE {
            switch (dim) {
                case 1: return kmeans_accumulate_range<1>(pts, weights, b, e, dim, k, labels, dist, s);
                case 2: return kmeans_accumulate_range<2>(pts, weights, b, e, dim, k, labels, dist, s);
                case 3: return kmeans_accumulate_range<3>(pts, weights, b, e, dim, k, labels, dist, s);
                case 4: return kmeans_accumulate_range<4>(pts, weights, b, e, dim, k, labels, dist, s);
                default: return kmeans_accumulate_range<0>(pts, weights, b, e, dim, k, labels, dist, s);
            }
        });
    });
    sums.assign(k * dim, 0.0);
    wsum.assign(k, 0.0);
    inertia = 0;
    for (std::size_t bl = 0; bl < blocks; ++bl) {
        const double* s = part.data() + bl * stride;
        for (std::size_t q = 0; q < k * dim; ++q) sums[q] += s[q];
        for (std::size_t j = 0; j < k; ++j) wsum[j] += s[k * dim + j];
        inertia += s[k * dim + k];
    }
}

/// out[i] = squared distance in double between point i of a block (row-major, `dim` values) and
/// `c`, accumulated s = s + diff * diff from 0 (diff = double(p) - double(c)), dimension by
/// dimension: the scalar reference of sqdist_vec. D is the dimension when known at compile time,
/// else 0.
template <class T, std::size_t D>
VECTA_ALWAYS_INLINE void kmeans_sqdist_block_d(const T* pts, std::size_t count, std::size_t dim_rt, const T* c,
                                               double* out) noexcept {
    const std::size_t dim = D != 0 ? D : dim_rt;
    for (std::size_t i = 0; i < count; ++i) {
        double s = 0;
        for (std::size_t d = 0; d < dim; ++d) {
            const double diff = static_cast<double>(pts[i * dim + d]) - static_cast<double>(c[d]);
            s = s + diff * diff;
        }
        out[i] = s;
    }
}

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// kmeans_sqdist_block_d for `nc` centres cs[t] at once (out[t * count + i]), B bytes of double
/// lanes (W = B / 8 points at a time): the W points are transposed and converted into `scratch`
/// (dim * W doubles, scratch[d * W + lane]) once, then each centre runs the scalar loop's
/// operations per lane (subtract, multiply, add from 0, dimension order), so the bits equal
/// kmeans_sqdist_block_d's when a * b + c is not contracted (-ffp-contract=off). The last
/// count % W points run the scalar loop.
template <int B, std::size_t D, class T>
VECTA_ALWAYS_INLINE void sqdist_vec_d(const T* pts, std::size_t count, std::size_t dim_rt, const T* const* cs,
                                      std::size_t nc, double* out, double* scratch) noexcept {
    using V = vec<double, B>;
    constexpr std::size_t W = B / sizeof(double);
    const std::size_t dim = D != 0 ? D : dim_rt;
    std::size_t i = 0;
    for (; i + W <= count; i += W) {
        for (std::size_t p = 0; p < W; ++p)
            for (std::size_t d = 0; d < dim; ++d) scratch[d * W + p] = static_cast<double>(pts[(i + p) * dim + d]);
        for (std::size_t t = 0; t < nc; ++t) {
            const T* c = cs[t];
            V acc{};
            for (std::size_t d = 0; d < dim; ++d) {
                const V diff = vload<V>(scratch + d * W) - static_cast<double>(c[d]);
                acc = acc + diff * diff;
            }
            vstore(out + t * count + i, acc);
        }
    }
    for (std::size_t t = 0; t < nc; ++t)
        kmeans_sqdist_block_d<T, D>(pts + i * dim, count - i, dim, cs[t], out + t * count + i);
}
VECTA_VEC_END
#endif

/// out[t * count + i] = kmeans_sqdist_block_d distance between point i of a block and centre
/// cs[t], t < nc, at SIMD level l (run-time dispatch, core/vec.hpp): identical bits at every
/// level (see sqdist_vec_d). The k-means++ seeding distances.
template <class T>
void kmeans_sqdist_block(simd::level l, const T* pts, std::size_t count, std::size_t dim, const T* const* cs,
                         std::size_t nc, double* out) {
    std::vector<double> scratch(dim * 8);
    dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) {
            switch (dim) {
                case 1: return sqdist_vec_d<w(), 1>(pts, count, dim, cs, nc, out, scratch.data());
                case 2: return sqdist_vec_d<w(), 2>(pts, count, dim, cs, nc, out, scratch.data());
                case 3: return sqdist_vec_d<w(), 3>(pts, count, dim, cs, nc, out, scratch.data());
                case 4: return sqdist_vec_d<w(), 4>(pts, count, dim, cs, nc, out, scratch.data());
                default: return sqdist_vec_d<w(), 0>(pts, count, dim, cs, nc, out, scratch.data());
            }
        }
#endif
        for (std::size_t t = 0; t < nc; ++t) kmeans_sqdist_block_d<T, 0>(pts, count, dim, cs[t], out + t * count);
    });
}

/// Sum of n doubles with 8 interleaved accumulators (element i goes to accumulator i % 8, the
/// accumulators are then added in order 0..7): a fixed order, so the same on every machine,
/// and one the compiler can vectorize without reassociating.
inline double kmeans_sum8(const double* x, std::size_t n) noexcept {
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t j = 0; j < 8; ++j) acc[j] = acc[j] + x[i + j];
    for (std::size_t j = 0; i < n; ++i, ++j) acc[j] = acc[j] + x[i];
    double s = 0;
    for (const double a : acc) s += a;
    return s;
}

/// Candidates per step of the greedy k-means++ seeding: 2 + floor(ln k), as scikit-learn.
inline std::size_t kmeans_greedy_trials(std::size_t k) noexcept {
    return 2 + static_cast<std::size_t>(std::floor(std::log(static_cast<double>(k))));
}

/// k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre is drawn with probability
/// proportional to the weight, each next one proportional to weight * D^2 (squared distance
/// to the nearest centre chosen so far, in double). With trials > 1 (greedy k-means++, as
/// scikit-learn), each step draws `trials` candidates that way and keeps the one giving the
/// lowest potential sum_i weight_i * min(D_i^2, |x_i - candidate|^2) (the first drawn on ties;
/// per-block partial sums added in block order). When every remaining weight * D^2 is 0
/// (fewer distinct points than k) the lowest-index point not chosen yet is taken.
template <class T, class Policy, class W>
std::vector<T> kmeans_plus_plus(const Policy& policy, const T* pts, const W* weights, std::size_t n, std::size_t dim,
                                std::size_t k, std::uint64_t seed, std::size_t trials = 1) {
    constexpr std::size_t block = 4096;
    const std::size_t blocks = (n + block - 1) / block;
    trials = std::max<std::size_t>(trials, 1);
    splitmix64 rng{seed};
    std::vector<T> cents(k * dim);
    std::vector<double> d2(n, std::numeric_limits<double>::infinity());
    std::vector<double> bsum(blocks), pot(trials > 1 ? blocks * trials : 0);
    std::vector<char> chosen(n, 0);
    std::vector<std::size_t> cand;
    std::vector<const T*> cand_pts;
    auto wt = [&](std::size_t i) { return weights ? static_cast<double>(weights[i]) : 1.0; };
    const simd::level lvl = policy_level(policy);

    // Draws an index with probability proportional to mass(i), given the per-block sums of
    // mass in bsum; returns n if the total is 0.
    auto draw = [&](auto&& mass) -> std::size_t {
        double total = 0;
        for (double s : bsum) total += s;
        const double u = rng.uniform01() * total;  // draw even when total is 0: fixed stream
        if (!(total > 0)) return n;
        double before = 0;
        std::size_t bl = 0;
        for (; bl + 1 < blocks; ++bl) {
            if (before + bsum[bl] > u) break;
            before += bsum[bl];
        }
        // Walk forward from the block found; the last positive mass wins on rounding.
        std::size_t last = n;
        for (; bl < blocks; ++bl) {
            const double t = u - before;
            double s = 0;
            const std::size_t e = std::min(n, (bl + 1) * block);
            for (std::size_t i = bl * block; i < e; ++i) {
                const double m = mass(i);
                if (m > 0) {
                    s += m;
                    last = i;
                    if (s > t) return i;
                }
            }
            before += bsum[bl];
        }
        return last;
    };

    parallel_for(policy, n, block, [&](std::size_t b, std::size_t e) {
        std::vector<double> tmp(e - b);
        for (std::size_t i = b; i < e; ++i) tmp[i - b] = wt(i);
        bsum[b / block] = kmeans_sum8(tmp.data(), e - b);
    });
    for (std::size_t c = 0; c < k; ++c) {
        std::size_t pick = n;
        if (c == 0 || trials == 1) {
            pick = c == 0 ? draw([&](std::size_t i) { return wt(i); })
                          : draw([&](std::size_t i) { return wt(i) * d2[i]; });
        } else {
            cand.clear();
            for (std::size_t t = 0; t < trials; ++t) {
                const std::size_t q = draw([&](std::size_t i) { return wt(i) * d2[i]; });
                if (q < n) cand.push_back(q);
            }
            if (cand.size() == 1) {
                pick = cand[0];
            } else if (cand.size() > 1) {
                const std::size_t nc = cand.size();
                cand_pts.clear();
                for (const std::size_t q : cand) cand_pts.push_back(pts + q * dim);
                parallel_for(policy, n, block, [&](std::size_t b, std::size_t e) {
                    double* out = pot.data() + (b / block) * trials;
                    std::vector<double> tmp(nc * (e - b));
                    kmeans_sqdist_block(lvl, pts + b * dim, e - b, dim, cand_pts.data(), nc, tmp.data());
                    for (std::size_t t = 0; t < nc; ++t) {
                        double* tt = tmp.data() + t * (e - b);
                        for (std::size_t i = b; i < e; ++i) tt[i - b] = wt(i) * std::min(d2[i], tt[i - b]);
                        out[t] = kmeans_sum8(tt, e - b);
                    }
                });
                double best = std::numeric_limits<double>::infinity();
                for (std::size_t t = 0; t < nc; ++t) {
                    double total = 0;
                    for (std::size_t bl = 0; bl < blocks; ++bl) total += pot[bl * trials + t];
                    if (total < best) {
                        best = total;
                        pick = cand[t];
                    }
                }
                if (pick >= n) pick = cand[0];
            }
        }
        if (pick >= n) {
            pick = 0;
            while (chosen[pick]) ++pick;  // k <= n, so one is left
        }
        chosen[pick] = 1;
        const T* p = pts + pick * dim;
        std::copy(p, p + dim, cents.begin() + c * dim);
        if (c + 1 == k) break;
        // D^2 to the nearest centre so far, and the block sums of weight * D^2.
        parallel_for(policy, n, block, [&](std::size_t b, std::size_t e) {
            std::vector<double> tmp(e - b);
            kmeans_sqdist_block(lvl, pts + b * dim, e - b, dim, &p, 1, tmp.data());
            for (std::size_t i = b; i < e; ++i) {
                d2[i] = std::min(d2[i], tmp[i - b]);
                tmp[i - b] = wt(i) * d2[i];
            }
            bsum[b / block] = kmeans_sum8(tmp.data(), e - b);
        });
    }
    return cents;
}

/// LocalSearch++ (Lattanzi & Sohler, "A better k-means++ algorithm via local search", ICML
/// 2019): improves a seeding in place by `steps` swap steps. Each step draws a point p with
/// probability proportional to weight * D^2 (squared distance to its nearest centre), computes
/// for every centre j the potential sum_i weight_i * min(D_i^2 without j, |x_i - p|^2) in one
/// pass from the nearest and second-nearest squared distances, and replaces the centre giving
/// the lowest potential by p if that is below the current potential (lowest index on ties). No
/// Lloyd step: centres stay data points. Squared distances come from nearest_two_kernel and
/// kmeans_sqdist (float or double, the same bits on every SIMD path); potentials are per-block
/// partial sums in double added in block order, so seq, par and every SIMD width agree.
/// O(steps n k dim) time, O(n + k) extra memory. Needs k >= 2 and valid input (see
/// kmeans_check_range); the random stream is splitmix64 from `seed`.
template <class T, class Policy, class W>
void kmeans_local_search(const Policy& policy, const T* pts, const W* weights, std::size_t n, std::size_t dim,
                         std::vector<T>& cents, std::size_t k, std::uint64_t seed, std::size_t steps) {
    if (k < 2 || steps == 0) return;
    constexpr std::size_t block = 4096;
    const std::size_t blocks = (n + block - 1) / block;
    splitmix64 rng{seed};
    std::vector<std::uint32_t> lab(n);
    std::vector<T> d1(n), d2(n);
    std::vector<double> bsum(blocks), part(blocks * (k + 1));
    auto wt = [&](std::size_t i) { return weights ? static_cast<double>(weights[i]) : 1.0; };
    const simd::level lvl = policy_level(policy);
    auto nearest_two = [&] {
        parallel_for(policy, n, block, [&](std::size_t b, std::size_t e) {
            std::vector<T> scratch(dim * kmeans_chunk);
            std::vector<double> tmp(e - b);
            nearest_centroids(lvl, pts + b * dim, e - b, dim, cents.data(), k, lab.data() + b, d1.data() + b,
                              d2.data() + b, scratch.data());
            for (std::size_t i = b; i < e; ++i) tmp[i - b] = wt(i) * static_cast<double>(d1[i]);
            bsum[b / block] = kmeans_sum8(tmp.data(), e - b);
        });
    };
    nearest_two();
    std::vector<T> cand(dim);
    for (std::size_t step = 0; step < steps; ++step) {
        double total = 0;
        for (const double s : bsum) total += s;
        const double u = rng.uniform01() * total;
        if (!(total > 0)) return;  // every point is a centre: nothing to improve
        // The point drawn proportional to weight * D^2 (the last positive one on rounding).
        std::size_t bl = 0;
        double before = 0;
        for (; bl + 1 < blocks && before + bsum[bl] <= u; ++bl) before += bsum[bl];
        std::size_t pick = n, last = n;
        for (; bl < blocks && pick == n; ++bl) {
            const double t = u - before;
            double s = 0;
            for (std::size_t i = bl * block, e = std::min(n, (bl + 1) * block); i < e; ++i) {
                const double m = wt(i) * static_cast<double>(d1[i]);
                if (m > 0) {
                    s += m;
                    last = i;
                    if (s > t) {
                        pick = i;
                        break;
                    }
                }
            }
            before += bsum[bl];
        }
        if (pick == n) pick = last;
        if (pick >= n) continue;
        std::copy(pts + pick * dim, pts + (pick + 1) * dim, cand.begin());
        // Potential with p added (base) and the change when centre j is removed (delta[j]).
        parallel_for(policy, n, block, [&](std::size_t b, std::size_t e) {
            double* out = part.data() + (b / block) * (k + 1);
            std::fill(out, out + k + 1, 0.0);
            for (std::size_t i = b; i < e; ++i) {
                const T dc = kmeans_sqdist(pts + i * dim, cand.data(), dim);
                const double w = wt(i);
                const double with = w * static_cast<double>(std::min(dc, d1[i]));
                out[k] += with;
                out[lab[i]] += w * static_cast<double>(std::min(dc, d2[i])) - with;
            }
        });
        std::vector<double> delta(k + 1, 0.0);
        for (std::size_t q = 0; q < blocks; ++q)
            for (std::size_t j = 0; j <= k; ++j) delta[j] += part[q * (k + 1) + j];
        std::size_t best = 0;
        for (std::size_t j = 1; j < k; ++j)
            if (delta[j] < delta[best]) best = j;
        if (delta[k] + delta[best] < total) {
            std::copy(cand.begin(), cand.end(), cents.begin() + best * dim);
            nearest_two();
        }
    }
}

/// Rounding margins of the Hamerly bounds. A squared distance computed in T as the kernels do
/// (dim subtractions, multiplies and adds) is D~ = D (1 + theta) + sigma with |theta| <= gamma
/// = 2 (dim + 4) eps_T and |sigma| <= slack = dim * (smallest normal T) (underflow), where D is
/// the exact squared distance of the stored values. Bounds are true (real-number) distances
/// kept in double; every double operation on them is rounded outwards by a few DBL_EPSILON.
template <class T>
struct kmeans_margins {
    static constexpr double eps = std::numeric_limits<double>::epsilon();
    double gamma, slack;
    explicit kmeans_margins(std::size_t dim) noexcept
        : gamma(2.0 * (static_cast<double>(dim) + 4.0) * static_cast<double>(std::numeric_limits<T>::epsilon())),
          slack(static_cast<double>(dim) * static_cast<double>(std::numeric_limits<T>::min())) {}
    /// An upper bound on the true distance of a computed squared distance.
    double upper(double sq) const noexcept { return std::sqrt((sq + slack) * (1 + 2 * gamma)) * (1 + 8 * eps); }
    /// A lower bound on the true distance of a computed squared distance.
    double lower(double sq) const noexcept {
        const double v = (sq - slack) * (1 - gamma);
        return v > 0 ? std::sqrt(v) * (1 - 8 * eps) : 0.0;
    }
    /// A lower bound on the computed squared distance of a point at true distance >= z.
    double min_computed_sq(double z) const noexcept { return (z * z * (1 - gamma) - slack) * (1 - 16 * eps); }
};

/// Hamerly's bookkeeping between two sets of centroids (Hamerly 2010): s[j] = a lower bound on
/// the distance from centroid j to the nearest other centroid, and shift_excl[j] = an upper
/// bound on the largest movement old -> new of the centroids other than j. O(k^2 dim).
template <class T>
void kmeans_hamerly_prepare(const T* old_c, const T* new_c, std::size_t k, std::size_t dim, std::vector<double>& s,
                            std::vector<double>& shift_excl) {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    const double up = 1 + 2 * (static_cast<double>(dim) + 8) * eps, down = 1 - 2 * (static_cast<double>(dim) + 8) * eps;
    auto dist = [dim](const T* a, const T* b) {
        double acc = 0;
        for (std::size_t d = 0; d < dim; ++d) {
            const double diff = static_cast<double>(a[d]) - static_cast<double>(b[d]);
            acc += diff * diff;
        }
        return std::sqrt(acc);
    };
    s.assign(k, std::numeric_limits<double>::infinity());
    shift_excl.assign(k, 0.0);
    for (std::size_t j = 0; j < k; ++j)
        for (std::size_t q = j + 1; q < k; ++q) {
            const double d = dist(new_c + j * dim, new_c + q * dim) * down;
            s[j] = std::min(s[j], d);
            s[q] = std::min(s[q], d);
        }
    double m1 = 0, m2 = 0;
    std::size_t arg = 0;
    for (std::size_t j = 0; j < k; ++j) {
        const double d = dist(old_c + j * dim, new_c + j * dim) * up;
        if (d > m1) {
            m2 = m1;
            m1 = d;
            arg = j;
        } else if (d > m2) {
            m2 = d;
        }
    }
    for (std::size_t j = 0; j < k; ++j) shift_excl[j] = j == arg ? m2 : m1;
}

/// Assignment step with Hamerly's bounds. On the first call (first = true) every point gets
/// its nearest and second-nearest centroid from nearest_two_kernel. Later, for each point with
/// label a: D~ = its computed squared distance to centroid a (the kernel's bits), the lower
/// bound l on the distance to every other centroid is decreased by shift_excl[a], and
/// z = max(l, s[a] - upper(D~)) bounds that distance from below (triangle inequality). If
/// D~ < min_computed_sq(z) (tested as D~ < min_computed_sq(l) or D~ < theta[a], a threshold
/// per centroid that implies it through the s[a] term), every other centroid's computed
/// squared distance is provably larger, so the nearest centroid (ties to the lower index) is still a and the point is
/// skipped; otherwise the kernel recomputes all k distances for it (points gathered per block
/// and run through nearest_centroids). Labels and dist equal kmeans_assign's exactly.
template <class T, class Policy>
void kmeans_hamerly_assign(const Policy& policy, const T* pts, std::size_t n, std::size_t dim, const T* cents,
                           std::size_t k, bool first, const std::vector<double>& s,
                           const std::vector<double>& shift_excl, std::uint32_t* labels, T* dist, double* lower) {
    const kmeans_margins<T> mg(dim);
    const simd::level lvl = policy_level(policy);
    constexpr double eps = std::numeric_limits<double>::epsilon();
    // theta[a]: D~ < theta[a] implies upper(D~) <= h = s[a] / 2 (rounded down), hence
    // z >= s[a] - h >= h and D~ < min_computed_sq(z): Hamerly's u <= s/2 test without a sqrt.
    std::vector<double> theta(first ? 0 : k);
    for (std::size_t a = 0; a < theta.size(); ++a) {
        const double h = 0.5 * s[a] * (1 - 8 * eps), hu = h / (1 + 8 * eps);
        const double rho = (hu * hu / (1 + 2 * mg.gamma) - mg.slack) * (1 - 16 * eps);
        theta[a] = std::min(rho, mg.min_computed_sq(h * (1 - 8 * eps)));
    }
    parallel_for(policy, n, kmeans_assign_block, [&](std::size_t b, std::size_t e) {
        std::vector<T> scratch(dim * kmeans_chunk), gathered, d1, d2;
        std::vector<std::uint32_t> idx, lab;
        for (std::size_t s0 = b; s0 < e; s0 += kmeans_assign_block) {
            const std::size_t s1 = std::min(e, s0 + kmeans_assign_block);
            if (first) {
                d2.resize(s1 - s0);
                nearest_centroids(lvl, pts + s0 * dim, s1 - s0, dim, cents, k, labels + s0, dist + s0, d2.data(),
                                  scratch.data());
                for (std::size_t i = s0; i < s1; ++i) lower[i] = mg.lower(static_cast<double>(d2[i - s0]));
                continue;
            }
            // Branch-free: idx[m] = i is always written, m advances when the point is not skipped.
            idx.resize(s1 - s0);
            auto bounds = [&]<std::size_t D>(std::integral_constant<std::size_t, D>) noexcept {
                const std::size_t dm = D != 0 ? D : dim;
                const double* th = theta.data();
                const double* sx = shift_excl.data();
                std::uint32_t* ix = idx.data();
                std::size_t cnt = 0;
                for (std::size_t i = s0; i < s1; ++i) {
                    const std::uint32_t a = labels[i];
                    const T d = kmeans_sqdist(pts + i * dm, cents + a * dm, dm);
                    dist[i] = d;
                    double l = lower[i] - sx[a];
                    l = l > 0 ? l * (1 - 4 * eps) : 0.0;
                    lower[i] = l;
                    const double dd = static_cast<double>(d);
                    const bool skip = (dd < th[a]) | (dd < mg.min_computed_sq(l));
                    ix[cnt] = static_cast<std::uint32_t>(i);
                    cnt += skip ? 0 : 1;
                }
                return cnt;
            };
            std::size_t m = 0;
            switch (dim) {
                case 1: m = bounds(std::integral_constant<std::size_t, 1>{}); break;
                case 2: m = bounds(std::integral_constant<std::size_t, 2>{}); break;
                case 3: m = bounds(std::integral_constant<std::size_t, 3>{}); break;
                case 4: m = bounds(std::integral_constant<std::size_t, 4>{}); break;
                default: m = bounds(std::integral_constant<std::size_t, 0>{}); break;
            }
            if (m == 0) continue;
            gathered.resize(m * dim);
            d1.resize(m);
            d2.resize(m);
            lab.resize(m);
            for (std::size_t q = 0; q < m; ++q)
                std::copy(pts + idx[q] * dim, pts + (idx[q] + 1) * dim, gathered.begin() + q * dim);
            nearest_centroids(lvl, gathered.data(), m, dim, cents, k, lab.data(), d1.data(), d2.data(), scratch.data());
            for (std::size_t q = 0; q < m; ++q) {
                const std::size_t i = idx[q];
                labels[i] = lab[q];
                dist[i] = d1[q];
                lower[i] = mg.lower(static_cast<double>(d2[q]));
            }
        }
    });
}

/// Lloyd's algorithm (Lloyd 1982) from the given initial centroids (validated input, see
/// kmeans_check_range; weights of any arithmetic type W, e.g. exact double pixel counts).
/// Each iteration assigns every point to its nearest centroid and moves each centroid to the
/// weighted mean of its points. A cluster left without weight is re-seeded with the point
/// farthest from its assigned centroid (largest squared distance, lowest index on ties, each
/// point used once per iteration); if no point is farther than 0 it keeps its centroid.
/// Stops when the largest centroid shift is <= tol (converged) or after max_iter iterations,
/// then assigns once more so labels and inertia belong to the returned centroids.
/// With kmeans_algorithm::hamerly the assignment steps go through kmeans_hamerly_assign,
/// which gives the same labels and squared distances, so everything else is unchanged.
template <class T, class Policy, class W>
kmeans_result<T> kmeans_lloyd(const Policy& policy, const T* pts, const W* weights, std::size_t n, std::size_t dim,
                              std::vector<T> cents, std::size_t k, std::size_t max_iter, double tol,
                              kmeans_algorithm algorithm = kmeans_algorithm::automatic) {
    kmeans_result<T> r;
    r.dim = dim;
    r.labels.resize(n);
    std::vector<T> dist(n);
    std::vector<double> sums, wsum;
    double inertia = 0;
    const bool hamerly = k > 1 && (algorithm == kmeans_algorithm::hamerly ||
                                   (algorithm == kmeans_algorithm::automatic && k >= kmeans_hamerly_min_k));
    std::vector<double> lower(hamerly ? n : 0), s, shift_excl;
    bool first = true;
    auto assign = [&] {
        if (hamerly)
            kmeans_hamerly_assign(policy, pts, n, dim, cents.data(), k, first, s, shift_excl, r.labels.data(),
                                  dist.data(), lower.data());
        else
            kmeans_assign(policy, pts, n, dim, cents.data(), k, r.labels.data(), dist.data());
        first = false;
    };
    for (std::size_t it = 0; it < max_iter; ++it) {
        assign();
        kmeans_accumulate(policy, pts, weights, n, dim, k, r.labels.data(), dist.data(), sums, wsum, inertia);
        std::vector<T> next(k * dim);
        for (std::size_t j = 0; j < k; ++j) {
            if (wsum[j] > 0) {
                for (std::size_t d = 0; d < dim; ++d) next[j * dim + d] = static_cast<T>(sums[j * dim + d] / wsum[j]);
                continue;
            }
            // Empty cluster: the farthest point with positive weight.
            std::size_t far = n;
            T best = T(0);
            for (std::size_t i = 0; i < n; ++i)
                if (dist[i] > best && (!weights || weights[i] > 0)) {
                    best = dist[i];
                    far = i;
                }
            if (far < n) {
                std::copy(pts + far * dim, pts + (far + 1) * dim, next.begin() + j * dim);
                dist[far] = T(-1);
            } else {
                std::copy(cents.begin() + j * dim, cents.begin() + (j + 1) * dim, next.begin() + j * dim);
            }
        }
        double shift = 0;
        for (std::size_t j = 0; j < k; ++j) {
            double sq = 0;
            for (std::size_t d = 0; d < dim; ++d) {
                const double diff = static_cast<double>(next[j * dim + d]) - static_cast<double>(cents[j * dim + d]);
                sq += diff * diff;
            }
            shift = std::max(shift, std::sqrt(sq));
        }
        if (hamerly) kmeans_hamerly_prepare(cents.data(), next.data(), k, dim, s, shift_excl);
        cents.swap(next);
        r.iterations = it + 1;
        if (shift <= tol) {
            r.converged = true;
            break;
        }
    }
    assign();
    kmeans_accumulate(policy, pts, weights, n, dim, k, r.labels.data(), dist.data(), sums, wsum, inertia);
    r.inertia = inertia;
    r.centroids = std::move(cents);
    return r;
}

/// Checks the magnitude bound of vecta::kmeans: with M = max_abs (largest |coordinate| of the
/// points and of any starting centroid), W = total_weight and
/// f = 8 dim (1 + eps)^(dim + 4), eps = numeric_limits<T>::epsilon(), requires
///   f M^2 <= numeric_limits<T>::max(),  W f M^2 <= DBL_MAX / 2,  W M <= DBL_MAX / 2.
/// Centroids are weighted means of the points, so |c| <= M (up to rounding) and every squared
/// distance sum_d (x_d - c_d)^2 <= 4 dim M^2; the factor (1 + eps)^(dim + 4) bounds the
/// rounding growth of the dim + 4 operations and the extra 2 is a safety margin. The first
/// inequality keeps the squared distances finite in T, the other two keep the double
/// accumulators finite: weighted coordinate sums (<= W M), weighted D^2 of the seeding and the
/// inertia (<= W 4 dim M^2). Where a product in the check overflows to infinity the
/// comparison fails, as it should.
template <class T>
void kmeans_check_range(std::string_view fn, std::string_view name, double max_abs, std::size_t dim,
                        double total_weight) {
    const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
    const double f = 8.0 * static_cast<double>(dim) * std::pow(1.0 + eps, static_cast<double>(dim) + 4.0);
    const double d2 = f * max_abs * max_abs;
    constexpr double half_max = std::numeric_limits<double>::max() / 2;
    if (d2 <= static_cast<double>(std::numeric_limits<T>::max()) && total_weight * d2 <= half_max &&
        total_weight * max_abs <= half_max)
        return;
    char rule[320];
    std::snprintf(rule, sizeof rule,
                  "are too large: 8 dim max|x|^2 must be at most the largest %s and (sum of weights) * 8 dim "
                  "max|x|^2 at most 8.9e307, so that squared distances and sums stay finite (here max|x| = %g, "
                  "dim = %zu)",
                  sizeof(T) == 4 ? "float32 (3.4e38)" : "float64 (1.8e308)", max_abs, dim);
    require(false, fn, name, rule);
}

/// Validates the arguments of kmeans and returns the number of points. max_abs and
/// total_weight receive the largest |coordinate| and the sum of the weights (n if none).
template <class T>
std::size_t kmeans_validate(std::string_view fn, std::span<const T> points, std::size_t dim,
                            const kmeans_params& params, std::span<const T> weights, double& max_abs,
                            double& total_weight) {
    require(dim >= 1, fn, "dim", "must be >= 1");
    require(points.size() % dim == 0, fn, "points", "size must be a multiple of dim");
    const std::size_t n = points.size() / dim;
    require(n >= 1, fn, "points", "must not be empty");
    require(params.k >= 1, fn, "params.k", "must be >= 1");
    require(params.k <= n, fn, "params.k", "must be <= the number of points");
    require(params.k <= std::numeric_limits<std::uint32_t>::max(), fn, "params.k", "must fit in std::uint32_t");
    require(params.max_iter >= 1, fn, "params.max_iter", "must be >= 1");
    require(params.tol >= 0, fn, "params.tol", "must be >= 0 (and not NaN)");
    require(params.init == kmeans_init::greedy_plus_plus || params.init == kmeans_init::plus_plus, fn, "params.init",
            "must be kmeans_init::greedy_plus_plus or kmeans_init::plus_plus");
    require(params.algorithm == kmeans_algorithm::automatic || params.algorithm == kmeans_algorithm::hamerly ||
                params.algorithm == kmeans_algorithm::lloyd,
            fn, "params.algorithm", "must be kmeans_algorithm::automatic, hamerly or lloyd");
    max_abs = 0;
    for (const T v : points) {
        if (!std::isfinite(v)) throw_invalid(fn, "points", "must be finite (no NaN or infinity)");
        max_abs = std::max(max_abs, std::abs(static_cast<double>(v)));
    }
    total_weight = static_cast<double>(n);
    if (!weights.empty()) {
        require(weights.size() == n, fn, "weights", "must be empty or hold one value per point");
        double total = 0;
        for (const T w : weights) {
            if (!(w >= 0) || !std::isfinite(w)) throw_invalid(fn, "weights", "must be finite and >= 0");
            total += static_cast<double>(w);
        }
        require(total > 0, fn, "weights", "must have a positive sum");
        require(total <= std::numeric_limits<double>::max() / 2, fn, "weights",
                "must have a finite sum <= DBL_MAX / 2");
        total_weight = total;
    }
    kmeans_check_range<T>(fn, "points", max_abs, dim, total_weight);
    return n;
}

/// k-means from caller-given initial centroids (k * dim values), k = initial.size() / dim;
/// params.k is ignored. Validates like vecta::kmeans and checks `initial` (size a positive
/// multiple of dim, at most n centroids, finite). Used by the tests to compare with a
/// reference Lloyd from the same start.
template <class T, execution_policy Policy>
kmeans_result<T> kmeans_from(const Policy& policy, std::span<const T> points, std::size_t dim,
                             std::span<const T> initial, const kmeans_params& params = {},
                             std::span<const T> weights = {}) {
    constexpr std::string_view fn = "vecta::detail::kmeans_from";
    require(dim >= 1, fn, "dim", "must be >= 1");
    require(!initial.empty() && initial.size() % dim == 0, fn, "initial", "size must be a positive multiple of dim");
    kmeans_params p = params;
    p.k = initial.size() / dim;
    double max_abs = 0, total_weight = 0;
    const std::size_t n = kmeans_validate<T>(fn, points, dim, p, weights, max_abs, total_weight);
    for (const T v : initial) {
        if (!std::isfinite(v)) throw_invalid(fn, "initial", "must be finite");
        max_abs = std::max(max_abs, std::abs(static_cast<double>(v)));
    }
    kmeans_check_range<T>(fn, "initial", max_abs, dim, total_weight);
    return kmeans_lloyd<T>(policy, points.data(), weights.empty() ? nullptr : weights.data(), n, dim,
                           std::vector<T>(initial.begin(), initial.end()), p.k, p.max_iter, p.tol, p.algorithm);
}

}  // namespace detail

/// k-means clustering of n points of dimension `dim` (row-major `points`, n * dim values,
/// float or double) into params.k clusters, with optional per-point weights (empty = all 1).
/// Seeding (params.init): greedy k-means++ by default - each step draws 2 + floor(ln k)
/// candidates with probability weight * D^2 and keeps the one that lowers the potential most, as
/// scikit-learn does - or plain k-means++ (Arthur & Vassilvitskii, "k-means++: the advantages of
/// careful seeding", 2007), from splitmix64(params.seed). Then Lloyd iterations (Lloyd 1982):
/// assign each point to its nearest centroid (squared Euclidean, ties to the lower index; SIMD
/// kernel dispatched at run time, bit-identical to its scalar loop) and move each centroid to the weighted mean of its
/// points (sums in double). With Hamerly's bounds (params.algorithm; Hamerly, "Making k-means
/// even faster", SDM 2010; by default from k = 48 on) a point is skipped when a lower bound on
/// its distance to every other centroid, with rounding margins, proves its nearest centroid
/// unchanged: labels, centroids, inertia and iteration counts are identical to plain Lloyd. A
/// cluster left empty is re-seeded with the point farthest from its centroid. Stops when the
/// largest centroid shift is <= params.tol (converged = true) or after params.max_iter
/// iterations; labels and inertia are then computed for the returned centroids. Weighted
/// points give the same result as repeating each point weight times (up to floating-point
/// rounding of the sums).
/// Deterministic: same input and seed give the same result under seq and par, SIMD or scalar.
/// Complexity: O(n k dim) per iteration at worst (Hamerly: O(n dim) plus O(k dim) per point
/// whose bound fails), O(n k dim (2 + ln k)) for the greedy seeding (O(n k dim) plain);
/// memory O(n + k dim) (plus 8 bytes per point with Hamerly's bounds).
/// Throws vecta::invalid_argument naming the argument if dim is 0, points is empty or its size
/// is not a multiple of dim, params.k is 0 or exceeds the number of points, a point value is
/// NaN or infinite, weights is neither empty nor of size n, a weight is negative, NaN or
/// infinite, the weights sum to 0 or above DBL_MAX / 2, params.max_iter is 0, params.tol
/// is negative or NaN, or params.init or params.algorithm is not an enumerator.
/// Magnitude bound (throws naming "points" otherwise): with M = max |coordinate|,
/// W = sum of weights (n when unweighted) and f = 8 dim (1 + eps)^(dim + 4)
/// (eps = numeric_limits<T>::epsilon(), so f is 8 dim up to rounding for any realistic dim),
///   f M^2 <= numeric_limits<T>::max()       (squared distances, computed in T, stay finite),
///   W f M^2 <= DBL_MAX / 2, W M <= DBL_MAX / 2  (the double accumulators - weighted sums of
///                                            coordinates, seeding D^2 and inertia - stay finite).
/// E.g. float, dim 3: |x| <= about 3.7e18; double, dim 3, a million points: about 1.9e150.
template <class T, execution_policy Policy>
kmeans_result<T> kmeans(const Policy& policy, std::span<const T> points, std::size_t dim,
                        const kmeans_params& params = {}, std::span<const T> weights = {}) {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "vecta::kmeans works on float or double points");
    double max_abs = 0, total_weight = 0;
    const std::size_t n =
        detail::kmeans_validate<T>("vecta::kmeans", points, dim, params, weights, max_abs, total_weight);
    const T* w = weights.empty() ? nullptr : weights.data();
    const std::size_t trials =
        params.init == kmeans_init::greedy_plus_plus ? detail::kmeans_greedy_trials(params.k) : 1;
    auto init = detail::kmeans_plus_plus<T>(policy, points.data(), w, n, dim, params.k, params.seed, trials);
    return detail::kmeans_lloyd<T>(policy, points.data(), w, n, dim, std::move(init), params.k, params.max_iter,
                                   params.tol, params.algorithm);
}

/// vecta::kmeans run as vecta::seq.
template <class T>
kmeans_result<T> kmeans(std::span<const T> points, std::size_t dim, const kmeans_params& params = {},
                        std::span<const T> weights = {}) {
    return kmeans<T>(seq, points, dim, params, weights);
}

namespace detail {
/// Dimension and coordinate type of a point kmeans can read: std::array<T, D> (any D), or a
/// 2-D point_like type (x, y through point_traits) with float or double coordinates.
template <class P>
struct kmeans_point {};
template <class T, std::size_t D>
requires(std::is_floating_point_v<T>&& D >= 1) struct kmeans_point<std::array<T, D>> {
    using value_type = T;
    static constexpr std::size_t dim = D;
    static void append(const std::array<T, D>& p, std::vector<T>& out) { out.insert(out.end(), p.begin(), p.end()); }
};
template <class P>
requires(point_like<P>&& std::is_floating_point_v<typename point_traits<P>::value_type> &&
         !requires { typename std::tuple_size<P>::type; }) struct kmeans_point<P> {
    using value_type = typename point_traits<P>::value_type;
    static constexpr std::size_t dim = 2;
    static void append(const P& p, std::vector<value_type>& out) {
        out.push_back(point_traits<P>::x(p));
        out.push_back(point_traits<P>::y(p));
    }
};
template <class R>
concept kmeans_point_range = std::ranges::forward_range<R> && requires {
    kmeans_point<std::ranges::range_value_t<R>>::dim;
};
}  // namespace detail

/// k-means over a range of points: std::array<T, D> of any dimension D, or 2-D point types
/// (members x/y, Eigen::Vector2f/2d, cv::Point2f, ... through vecta::point_traits), with float
/// or double coordinates. The points are copied into a row-major buffer (O(n D) extra memory)
/// and clustered exactly as by the span overload, whose rules, complexity and errors apply.
template <execution_policy Policy, detail::kmeans_point_range R>
auto kmeans(const Policy& policy, const R& points, const kmeans_params& params = {}) {
    using traits = detail::kmeans_point<std::ranges::range_value_t<R>>;
    using T = typename traits::value_type;
    std::vector<T> flat;
    if constexpr (std::ranges::sized_range<R>) flat.reserve(std::ranges::size(points) * traits::dim);
    for (const auto& p : points) traits::append(p, flat);
    return kmeans<T>(policy, std::span<const T>(flat), traits::dim, params);
}

/// k-means over a range of points, run as vecta::seq.
template <detail::kmeans_point_range R>
auto kmeans(const R& points, const kmeans_params& params = {}) {
    return kmeans(seq, points, params);
}

}  // namespace vecta
