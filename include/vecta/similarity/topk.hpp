// SPDX-License-Identifier: MIT
// vecta/similarity/topk.hpp - batched top-k: for each query row the k best database rows
// (highest dot / cosine, lowest distance), fused with the blocked matrix computation.
//
// Ranking (one definition for every path): a score ranks above another if it is better
// (greater for dot and cosine, smaller for the distances); equal scores rank by lower database
// index; NaN scores rank below every number (so they are returned only when fewer than k
// numbers exist), among themselves by lower index. This is a strict total order on
// (score, index), so the top-k set and its order are unique: the result is the same for
// vecta::seq and vecta::par and for any block split.
// Memory: the Q x N matrix is never held. The database is cut into at most 64 parts of whole
// 288-row (gemm) or 128-row (blocked) blocks, the parts run in parallel and
// each keeps a k-list per query; the part lists are merged at the end: O(parts * Q * k + tile)
// extra memory. The gemm path hands each 8-query x 288-row panel of raw scores to the scan
// while it is in L1 (one 9 KB tile when dim <= 768); the scan compares a SIMD vector of scores
// at a time with the k-th best score so far and finishes (cosine division, Euclidean root) and
// inserts only the few that can enter (see scan_row).
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "distance.hpp"
#include "matrix.hpp"
#include "matrix_view.hpp"

namespace vecta {

/// Parameters of vecta::topk.
struct topk_params {
    std::size_t k = 10;                         ///< results per query (>= 1); k > N gives N
    vecta::metric metric = vecta::metric::dot;  ///< ranking metric (dot by default, as matrix_params)
    gemm_path path = gemm_path::automatic;      ///< kernel for dot / cosine (see matrix.hpp)
};

/// Result of vecta::topk: for query i, indices()[i * k + r] and scores()[i * k + r] for ranks
/// r = 0 .. k - 1, best first. k = min(params.k, database rows).
template <class T>
struct topk_result {
    std::size_t queries = 0;           ///< number of query rows
    std::size_t k = 0;                 ///< results per query: min(params.k, database rows)
    std::vector<std::size_t> indices;  ///< queries * k database row indices
    std::vector<T> scores;             ///< queries * k metric values

    std::span<const std::size_t> row_indices(std::size_t i) const noexcept { return {indices.data() + i * k, k}; }
    std::span<const T> row_scores(std::size_t i) const noexcept { return {scores.data() + i * k, k}; }
};

namespace detail {

/// True when (sa, ia) ranks above (sb, ib) (see the header comment).
template <bool Higher, class T>
inline bool ranks_above(T sa, std::size_t ia, T sb, std::size_t ib) noexcept {
    const bool na = std::isnan(sa), nb = std::isnan(sb);
    if (na || nb) return na == nb ? ia < ib : nb;
    if (sa != sb) return Higher ? sa > sb : sa < sb;
    return ia < ib;
}

/// A sorted list of at most k (score, index) pairs, best first, inserted in increasing index
/// order (so an equal score never displaces an entry).
template <bool Higher, class T>
struct klist {
    T* s;
    std::size_t* id;
    std::size_t n = 0, k = 0;

    void push(T score, std::size_t index) noexcept {
        if (n == k && !ranks_above<Higher>(score, index, s[k - 1], id[k - 1])) return;
        std::size_t pos = n < k ? n++ : k - 1;
        while (pos > 0 && ranks_above<Higher>(score, index, s[pos - 1], id[pos - 1])) {
            s[pos] = s[pos - 1];
            id[pos] = id[pos - 1];
            --pos;
        }
        s[pos] = score;
        id[pos] = index;
    }
};

/// The metric's value from the raw reduction (dot, |a-b|^2, |a-b|_1): the arithmetic of
/// finish_tile (matrix.hpp), element by element.
template <metric M, class T>
inline T exact_score(T raw, double qn, double dn) noexcept {
    if constexpr (M == metric::cosine) {
        const double den = qn * dn;
        double c = double(raw) / den;
        c = c > 1.0 ? 1.0 : c;
        c = c < -1.0 ? -1.0 : c;
        return static_cast<T>(den == 0.0 ? 0.0 : c);
    } else if constexpr (M == metric::euclidean) {
        (void)qn, (void)dn;
        return std::sqrt(raw);
    } else {
        (void)qn, (void)dn;
        return raw;
    }
}

/// Norm data of one query row against one database block, for the cosine filter.
template <class T>
struct row_scale {
    double qn = 0;               ///< query norm (cosine)
    const double* dn = nullptr;  ///< database norms of the block (cosine)
    T qinv = 0;                  ///< T(1 / qn) (cosine)
    const T* dinv = nullptr;     ///< T(1 / dn[j]), 0 for zero rows (cosine)
    bool filter = true;          ///< cosine: the scaled filter is safe (all factors finite and normal)
};

/// The bound a raw score (cosine: scaled by qinv * dinv[j] in T) must pass to possibly rank
/// above `thr`, the list's k-th score (a number): every score that enters passes it.
/// dot, sqeuclidean, manhattan: the raw score is the score (strict: an equal score has a higher
/// index). cosine: the scaled score differs from the exact one (division in double, one rounding
/// to T, |c| <= 1) by at most 5 eps |c| when the factors are normal (row_scale::filter), so
/// thr - 1e-6 is safe. euclidean: sqrt(raw) < thr implies raw < thr^2 (monotone rounding), so
/// any bound >= thr^2 is safe.
template <metric M, class T>
inline T filter_bound(T thr) noexcept {
    if constexpr (M == metric::cosine)
        return thr - T(1e-6);
    else if constexpr (M == metric::euclidean)
        return std::max(thr * thr * T(1 + 1e-6), std::numeric_limits<T>::min());
    else
        return thr;
}

/// Feeds a row of raw scores (database indices base .. base + n - 1) to a list: while the list
/// is not full of numbers every score goes in; then only the scores that pass filter_bound,
/// tested a SIMD vector at a time (one compare and an any() per vector: the common case once
/// the list is full is that nothing passes), are finished exactly and pushed.
/// filter_bound for a k-th score `s` published by another part (parts run in parallel): a
/// score that ranks below it cannot be in the result (that part holds k better ones), but an
/// equal score may (a lower index than that part's entry), so the bound is not strict:
/// nextafter towards worse for the exact metrics; cosine and Euclidean bounds are loose already.
template <metric M, class T>
inline T shared_bound(T s) noexcept {
    if constexpr (M == metric::cosine || M == metric::euclidean)
        return filter_bound<M>(s);
    else
        return std::nextafter(
            s, is_similarity(M) ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity());
}

/// scan_row's loop with vectors of B bytes (core/vec.hpp; B = 0: the scalar loop only). The
/// filter only decides which scores are finished and pushed: the list receives the same
/// (score, index) pairs at every B (each passing value is the scalar product of the same
/// factors), so the result is identical at every level.
VECTA_VEC_BEGIN
template <metric M, int B, class T>
VECTA_ALWAYS_INLINE void scan_row_b(klist<is_similarity(M), T>& list, const T* raw, std::size_t n, std::size_t base,
                                    const row_scale<T>& sc, T shared) noexcept {
    constexpr bool higher = is_similarity(M);
    constexpr bool scaled = M == metric::cosine;
    const std::size_t k = list.k;
    auto exact = [&](std::size_t j) { return exact_score<M>(raw[j], sc.qn, scaled ? sc.dn[j] : 0.0); };
    std::size_t j = 0;
    for (; j < n && (list.n < k || std::isnan(list.s[k - 1])); ++j) list.push(exact(j), base + j);
    if (j == n) return;
    if (scaled && !sc.filter) {  // unusual norms: finish every score
        for (; j < n; ++j) list.push(exact(j), base + j);
        return;
    }
    auto tight = [&](T own) { return higher ? std::max(own, shared) : std::min(own, shared); };
    T bound = tight(filter_bound<M>(list.s[k - 1]));
    auto value = [&](std::size_t t) { return scaled ? raw[t] * (sc.qinv * sc.dinv[t]) : raw[t]; };
#if VECTA_VECTOR_EXT
    if constexpr (B > 0) {
        using V = vec<T, B>;
        using I = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;
        using VI = vec<I, B>;
        constexpr std::size_t L = B / sizeof(T);
        V vb = V{} + bound;
        const V vq = V{} + sc.qinv;
        for (; j + L <= n; j += L) {
            V v = vload<V>(raw + j);
            if constexpr (scaled) v = v * (vq * vload<V>(sc.dinv + j));
            // v passes when it ranks above vb or is NaN: not (v <= vb) (higher) or not (v >= vb),
            // one unordered compare. (v > vb) | (v != v) is the same set, but GCC 12 scalarizes the
            // self-compare of 64-byte vectors in the AVX-512 function of a build without -mavx512f
            // (16 vucomiss per vector: the default build's scan took 2.3x the -march=native one's).
            const VI pass = higher ? ~(VI)(v <= vb) : ~(VI)(v >= vb);
            if (vany(pass)) {  // rare: recheck lane by lane, the bound rising
                for (std::size_t t = 0; t < L; ++t) {
                    const T x = v[t];
                    if ((higher ? x > bound : x < bound) || x != x) {
                        list.push(exact(j + t), base + j + t);
                        bound = tight(filter_bound<M>(list.s[k - 1]));
                    }
                }
                vb = V{} + bound;
            }
        }
    }
#endif
    for (; j < n; ++j) {
        const T v = value(j);
        if ((higher ? v > bound : v < bound) || v != v) {
            list.push(exact(j), base + j);
            bound = tight(filter_bound<M>(list.s[k - 1]));
        }
    }
}
VECTA_VEC_END

/// Feeds a row of raw scores to a list (see shared_bound's comment) at SIMD level `l`
/// (run-time dispatch, core/cpu.hpp); identical results at every level.
template <metric M, class T>
void scan_row(simd::level l, klist<is_similarity(M), T>& list, const T* raw, std::size_t n, std::size_t base,
              const row_scale<T>& sc, T shared) noexcept {
    dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE { scan_row_b<M, w()>(list, raw, n, base, sc, shared); });
}

/// Norm data of a database block for the cosine filter: dinv[j] = T(1 / dn[j]) (0 for zero
/// rows); returns false when a norm is NaN or infinite or a nonzero 1 / dn is not a normal
/// number of T (the filter is then off for the block). lo, hi: the smallest nonzero and the
/// largest dinv.
template <class T>
bool block_scales(const double* dn, std::size_t n, T* dinv, T& lo, T& hi) noexcept {
    bool ok = true;
    lo = std::numeric_limits<T>::max(), hi = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const T v = dn[j] == 0.0 ? T(0) : static_cast<T>(1.0 / dn[j]);
        dinv[j] = v;
        ok = ok && std::isfinite(dn[j]) && std::isfinite(v) && (v == T(0) || std::isnormal(v));
        if (v != T(0)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    return ok;
}

/// Whether the scaled cosine filter is safe for a query: qinv and every product qinv * dinv of
/// the block are normal numbers of T, with room (2^8) for the product with the raw dot.
template <class T>
bool row_filter_ok(bool block_ok, double qn, T qinv, T lo, T hi) noexcept {
    constexpr T room = T(256);
    return block_ok && std::isfinite(qn) && qn > 0.0 && std::isnormal(qinv) &&
           (hi == T(0) || (double(qinv) * double(hi) < double(std::numeric_limits<T>::max()) / room &&
                           double(qinv) * double(lo) > double(std::numeric_limits<T>::min()) * room));
}

template <metric M, class P, class T>
topk_result<T> topk_impl(const P& policy, matrix_view<const T> q, matrix_view<const T> d, std::size_t k_req,
                         gemm_path path) {
    constexpr bool higher = is_similarity(M);
    const std::size_t nq = q.rows(), nd = d.rows();
    topk_result<T> res;
    res.queries = nq;
    res.k = std::min(k_req, nd);
    const std::size_t k = res.k;
    res.indices.resize(checked_mul_size(nq, k));
    res.scores.resize(nq * k);
    if (nq == 0 || k == 0) return res;

    const kernel_kind kind = choose_kernel(path, nq, nd, q.cols());
    const std::size_t block = db_block_of(kind);
    std::vector<double> qn;
    std::vector<T> qinv;
    aligned_vector<T> qbuf;
    if constexpr (M == metric::cosine) {  // (rows whose sums of squares leave T's range are rescaled)
        qn.resize(nq);
        qinv.resize(nq);
        parallel_for(policy, nq, 256, [&](std::size_t a, std::size_t b) { row_norms(policy, q, a, b, qn.data() + a); });
        q = rescale_marked_rows(policy, q, 0, nq, qn.data(), qbuf);
        for (std::size_t i = 0; i < nq; ++i) qinv[i] = qn[i] == 0.0 ? T(0) : static_cast<T>(1.0 / qn[i]);
    }
    // Query rows per tile (a multiple of the packed kernel's panel height): the packed kernel packs
    // each database block once per query block, so it takes up to 256 panels (2048 queries on AVX-512).
    const auto plan = make_plan(policy, kind, q);
    const std::size_t q_block = kind == kernel_kind::blocked ? blocked_q_block : plan->mi * 256;
    // The packed kernel hands each panel of mi queries to the scan as soon as it is final; when
    // the dimension fits one depth block all panels share one mi-row tile (in L1).
    const bool panel_tile = kind == kernel_kind::packed && q.cols() <= gemm_kc;
    const std::size_t tile_rows = panel_tile ? plan->mi : std::min(q_block, nq);
    // Parts: one under seq; under par 16 per thread (at most 64), so that a core slowed by other
    // work delays the end by little. Parts share each query's best k-th score (best_kth below),
    // so more parts cost few extra insertions (without sharing, 32 parts cost 20 % more CPU time
    // than one at 1000 x 50000 x 768).
    const std::size_t blocks = (nd + block - 1) / block;
    const std::size_t max_parts = P::is_parallel ? std::min<std::size_t>(64, 16 * hardware_threads()) : 1;
    const std::size_t blocks_per_part = (blocks + max_parts - 1) / max_parts;
    const std::size_t part_rows = blocks_per_part * block;
    const std::size_t parts = (nd + part_rows - 1) / part_rows;

    const tile_context<P, T> ctx{kind, plan.get(), qn.data()};
    const simd::level lvl = policy_level(policy);
    // Per part and query: k scores, k indices, the count.
    std::vector<T> ps(checked_mul_size(parts * nq, k));
    std::vector<std::size_t> pi(parts * nq * k), pn(parts * nq, 0);
    // Per query, the best k-th score any part has reached (parts > 1): every part filters with it,
    // so a part does not refill its lists from scratch. The result does not depend on when a
    // value is seen (it only skips scores that cannot be in the result).
    constexpr T worst = higher ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    std::vector<std::atomic<T>> best_kth(parts > 1 ? nq : 0);
    for (auto& b : best_kth) b.store(worst, std::memory_order_relaxed);

    parallel_for(policy, nd, part_rows, [&](std::size_t p0, std::size_t p1) {
        const std::size_t part = p0 / part_rows;
        aligned_vector<T> tile(tile_rows * block);
        std::vector<double> dn(block);
        std::vector<T> dinv(block);
        aligned_vector<T> scratch(kind == kernel_kind::packed ? gemm_plan<T>::scratch_size() : 0);
        aligned_vector<T> dbuf;
        for (std::size_t j0 = p0; j0 < p1; j0 += block) {
            const std::size_t j1 = std::min(p1, j0 + block), nj = j1 - j0;
            bool block_ok = true;
            T lo = 0, hi = 0;
            matrix_view<const T> db = d;  // rows [b0, b1) of db are database rows [j0, j1)
            std::size_t b0 = j0, b1 = j1;
            if constexpr (M == metric::cosine) {
                row_norms(policy, d, j0, j1, dn.data());
                db = rescale_marked_rows(policy, d, j0, j1, dn.data(), dbuf);
                b0 = 0, b1 = nj;
                block_ok = block_scales(dn.data(), nj, dinv.data(), lo, hi);
            }
            // Scans query rows [r0, r1) of raw scores (the first at rows, leading dimension nj).
            auto scan = [&](std::size_t r0, std::size_t r1, const T* rows) {
                for (std::size_t i = r0; i < r1; ++i) {
                    const std::size_t slot = part * nq + i;
                    klist<higher, T> list{ps.data() + slot * k, pi.data() + slot * k, pn[slot], k};
                    row_scale<T> sc;
                    if constexpr (M == metric::cosine)
                        sc = {qn[i], dn.data(), qinv[i], dinv.data(), row_filter_ok(block_ok, qn[i], qinv[i], lo, hi)};
                    const T shared = parts > 1 ? shared_bound<M>(best_kth[i].load(std::memory_order_relaxed)) : worst;
                    scan_row<M>(lvl, list, rows + (i - r0) * nj, nj, j0, sc, shared);
                    pn[slot] = list.n;
                    if (parts > 1 && list.n == k && !std::isnan(list.s[k - 1])) {  // publish a better k-th
                        const T v = list.s[k - 1];
                        T cur = best_kth[i].load(std::memory_order_relaxed);
                        while ((higher ? v > cur : v < cur) &&
                               !best_kth[i].compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
                        }
                    }
                }
            };
            for (std::size_t i0 = 0; i0 < nq; i0 += q_block) {
                const std::size_t i1 = std::min(nq, i0 + q_block);
                if (kind == kernel_kind::packed)
                    plan->template run_panels<tile_kernel<reduction_of(M)>::base>(db, i0, i1, b0, b1, tile.data(), nj,
                                                                                  scratch.data(), scan);
                else {
                    compute_raw_block<M>(policy, ctx, q, db, i0, i1, b0, b1, tile.data(), nj, scratch.data());
                    scan(i0, i1, tile.data());
                }
            }
        }
    });
    // Merge the part lists of each query (parts hold increasing index ranges).
    parallel_for(policy, nq, 64, [&](std::size_t a, std::size_t b) {
        for (std::size_t i = a; i < b; ++i) {
            klist<higher, T> list{res.scores.data() + i * k, res.indices.data() + i * k, 0, k};
            for (std::size_t part = 0; part < parts; ++part) {
                const std::size_t slot = part * nq + i;
                for (std::size_t r = 0; r < pn[slot]; ++r) list.push(ps[slot * k + r], pi[slot * k + r]);
            }
        }
    });
    return res;
}

}  // namespace detail

/// For each row of `queries`, the k rows of `database` that rank best under params.metric
/// (default metric::dot, as FAISS IndexFlatIP; pass .metric = metric::cosine for cosine)
/// (float or double), best first, with their scores; ranking, ties and NaN as in the header
/// comment. k > database rows returns every row (result.k = database rows).
/// Complexity O(Q N dim + Q N log k) time; O(Q k * parts + tile) memory, never Q x N.
/// Throws vecta::invalid_argument if params.k is 0, the dimensions differ or are 0, or
/// params.metric / params.path is no enumerator.
template <execution_policy P, class TQ, class TD>
requires detail::is_float_v<detail::common_value_t<TQ, TD>> topk_result<detail::common_value_t<TQ, TD>> topk(
    const P& policy, matrix_view<TQ> queries, matrix_view<TD> database, topk_params params = {}) {
    using T = detail::common_value_t<TQ, TD>;
    constexpr std::string_view fn = "vecta::topk";
    detail::require(params.k >= 1, fn, "params.k", "must be >= 1");
    detail::check_pair(queries.cols(), database.cols(), fn);
    detail::check_metric_path(params.metric, params.path, fn);
    const matrix_view<const T> q = queries;
    const matrix_view<const T> d = database;
    return detail::dispatch_metric(params.metric, [&](auto m) {
        return detail::topk_impl<decltype(m)::value>(policy, q, d, params.k, params.path);
    });
}

template <class TQ, class TD>
requires detail::is_float_v<detail::common_value_t<TQ, TD>>
auto topk(matrix_view<TQ> queries, matrix_view<TD> database, topk_params params = {}) {
    return topk(seq, queries, database, params);
}

}  // namespace vecta
