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
// 256-row (gemm), 1024-row (eigen) or 128-row (blocked) blocks; each part computes Q x block score tiles into a
// scratch buffer and keeps a k-list per query; the part lists are merged at the end:
// O(parts * Q * k + tile) extra memory.
#pragma once

#include <algorithm>
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
    std::size_t k = 10;                            ///< results per query (>= 1); k > N gives N
    vecta::metric metric = vecta::metric::cosine;  ///< ranking metric
    gemm_path path = gemm_path::automatic;         ///< kernel for dot / cosine (see matrix.hpp)
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

    /// Score a candidate must beat when the list is full and its worst entry is a number.
    T threshold() const noexcept {
        if (n < k || std::isnan(s[k - 1]))
            return Higher ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
        return s[k - 1];
    }

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

/// Feeds a row of scores (database indices base .. base + n - 1) to a list, skipping by the
/// threshold the scores that cannot enter (the common case once the list is full).
template <bool Higher, class T>
void scan_row(klist<Higher, T>& list, const T* row, std::size_t n, std::size_t base) noexcept {
    std::size_t j = 0;
    while (j < n) {
        if (list.n < list.k || std::isnan(list.s[list.k - 1])) {
            list.push(row[j], base + j);
            ++j;
            continue;
        }
        const T thr = list.s[list.k - 1];
        // Strictly better only: an equal score has a higher index than the list's entries.
        constexpr std::size_t chunk = 16;
        for (; j + chunk <= n; j += chunk) {
            bool any = false;
            for (std::size_t t = 0; t < chunk; ++t) any |= Higher ? row[j + t] > thr : row[j + t] < thr;
            if (any) break;
        }
        const std::size_t end = std::min(n, j + chunk);
        for (; j < end; ++j)
            if (Higher ? row[j] > thr : row[j] < thr) list.push(row[j], base + j);
    }
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

    const kernel_kind kind = choose_kernel(M, path, nq, nd, q.cols());
    const std::size_t block = db_block_of(kind);
    // Query rows per tile (a multiple of the packed kernel's panel height): the packed kernel packs
    // each database block once per query block, so it takes up to 256 panels (3072 queries).
    const std::size_t q_block = kind == kernel_kind::blocked  ? blocked_q_block
                                : kind == kernel_kind::packed ? gemm_plan<P, T>::mi * 256
                                                              : 256;
    const std::size_t blocks = (nd + block - 1) / block;
    constexpr std::size_t max_parts = 64;
    const std::size_t blocks_per_part = (blocks + max_parts - 1) / max_parts;
    const std::size_t part_rows = blocks_per_part * block;
    const std::size_t parts = (nd + part_rows - 1) / part_rows;

    std::vector<double> qn;
    if constexpr (M == metric::cosine) {
        qn.resize(nq);
        parallel_for(policy, nq, 256, [&](std::size_t a, std::size_t b) { row_norms(policy, q, a, b, qn.data() + a); });
    }
    const auto plan = make_plan<P>(kind, q);
    const tile_context<P, T> ctx{kind, plan.get(), qn.data()};
    // Per part and query: k scores, k indices, the count.
    std::vector<T> ps(checked_mul_size(parts * nq, k));
    std::vector<std::size_t> pi(parts * nq * k), pn(parts * nq, 0);

    parallel_for(policy, nd, part_rows, [&](std::size_t p0, std::size_t p1) {
        const std::size_t part = p0 / part_rows;
        std::vector<T> tile(std::min(q_block, nq) * block);
        std::vector<double> dn(block);
        aligned_vector<T> scratch(kind == kernel_kind::packed ? gemm_plan<P, T>::scratch_size() : 0);
        for (std::size_t j0 = p0; j0 < p1; j0 += block) {
            const std::size_t j1 = std::min(p1, j0 + block);
            if constexpr (M == metric::cosine) row_norms(policy, d, j0, j1, dn.data());
            for (std::size_t i0 = 0; i0 < nq; i0 += q_block) {
                const std::size_t i1 = std::min(nq, i0 + q_block);
                compute_block<M>(policy, ctx, q, d, i0, i1, j0, j1, tile.data(), j1 - j0, dn.data(), scratch.data());
                for (std::size_t i = i0; i < i1; ++i) {
                    const std::size_t slot = part * nq + i;
                    klist<higher, T> list{ps.data() + slot * k, pi.data() + slot * k, pn[slot], k};
                    scan_row(list, tile.data() + (i - i0) * (j1 - j0), j1 - j0, j0);
                    pn[slot] = list.n;
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
/// (float or double), best first, with their scores; ranking, ties and NaN as in the header
/// comment. k > database rows returns every row (result.k = database rows).
/// Complexity O(Q N dim + Q N log k) time; O(Q k * parts + tile) memory, never Q x N.
/// Throws vecta::invalid_argument if params.k is 0 or the dimensions differ or are 0.
template <execution_policy P, class TQ, class TD>
requires detail::is_float_v<detail::common_value_t<TQ, TD>> topk_result<detail::common_value_t<TQ, TD>> topk(
    const P& policy, matrix_view<TQ> queries, matrix_view<TD> database, topk_params params = {}) {
    using T = detail::common_value_t<TQ, TD>;
    constexpr std::string_view fn = "vecta::topk";
    detail::require(params.k >= 1, fn, "params.k", "must be >= 1");
    detail::check_pair(queries.cols(), database.cols(), fn);
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
