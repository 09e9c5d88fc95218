// SPDX-License-Identifier: MIT
// vecta/similarity/matrix.hpp - similarity / distance matrices Q x N between the rows of two
// matrices (queries and database) for the five metrics of distance.hpp, cache-blocked and
// SIMD, or through vecta's packed GEMM.
//
// Paths (vecta::gemm_path):
//   blocked  register-blocked SIMD kernel along the dimension (dispatched at run time, as gemm): MR query rows x 4
//   database rows
//            accumulate in MR x 4 vector registers (MR = 4 on 512-bit SIMD, else 2), reduced
//            horizontally at the end; no packing, so it is the fast choice for small inputs.
//            Tasks are database blocks of 128 rows, tiles 64 queries x 128 rows.
//   gemm     vecta's packed GEMM (gemm.hpp: BLIS loop structure, SIMD micro-kernel along the
//            database rows) on database blocks of 288 rows, for every metric: the micro-kernel
//            operation is the product, the squared difference or the absolute difference.
//   automatic  gemm when queries >= 16, database rows >= 256 and dim >= 32 (smaller products are
//            dominated by packing), else blocked.
// Cosine on every path finishes the dot product as finish_cosine (distance.hpp): norms from the
// pair kernel, division in double; a row whose sum of squares leaves the type's range is first
// multiplied by a power of two (rescale_marked_rows; cosine does not depend on the scale). The
// paths differ only in the order of the dot product's additions (the bound in distance.hpp holds
// for each). Results do not depend on the number of threads (fixed blocks, per-element
// arithmetic independent of the split).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"
#include "distance.hpp"
#include "gemm.hpp"
#include "matrix_view.hpp"

namespace vecta {

/// The kernel vecta::similarity_matrix and vecta::topk use (see the header comment).
enum class gemm_path {
    automatic,  ///< gemm at queries >= 16, rows >= 256, dim >= 32; else blocked
    blocked,    ///< vecta's register-blocked SIMD kernel (every metric)
    gemm,       ///< vecta's packed GEMM (every metric)
};

/// Parameters of vecta::similarity_matrix.
struct matrix_params {
    vecta::metric metric = vecta::metric::dot;  ///< what to compute
    gemm_path path = gemm_path::automatic;      ///< kernel choice
};

namespace detail {

inline constexpr std::size_t blocked_db_block = 128;  // database rows per task (blocked path)
inline constexpr std::size_t blocked_q_block = 64;    // query rows per tile (blocked path)
inline constexpr std::size_t gemm_min_queries = 16;   // automatic: smallest Q for gemm
inline constexpr std::size_t gemm_min_rows = 256;     // automatic: smallest N for gemm
inline constexpr std::size_t gemm_min_dim = 32;       // automatic: smallest dim for gemm

/// The kernel a call runs.
enum class kernel_kind { blocked, packed };

inline kernel_kind choose_kernel(gemm_path p, std::size_t q, std::size_t n, std::size_t dim) noexcept {
    if (p == gemm_path::blocked) return kernel_kind::blocked;
    if (p == gemm_path::gemm) return kernel_kind::packed;
    return q >= gemm_min_queries && n >= gemm_min_rows && dim >= gemm_min_dim ? kernel_kind::packed
                                                                              : kernel_kind::blocked;
}

inline std::size_t db_block_of(kernel_kind k) noexcept { return k == kernel_kind::packed ? gemm_mc : blocked_db_block; }

/// Raw reduction tile: out[i * ld + j] = sum over the dimension for query row i, database row j
/// (dot: a.b; l2sq: |a-b|^2; l1: |a-b|_1). cos3 is computed as dot here (norms separately).
template <reduction R>
struct tile_kernel {
    static constexpr reduction base = R == reduction::cos3 ? reduction::dot : R;

    template <class T>
    void operator()(simd::scalar_t, matrix_view<const T> q, matrix_view<const T> d, T* out,
                    std::size_t ld) const noexcept {
        for (std::size_t i = 0; i < q.rows(); ++i)
            for (std::size_t j = 0; j < d.rows(); ++j)
                out[i * ld + j] = pair_kernel<base>{}(simd::scalar, q.row(i), d.row(j), q.cols()).s;
    }

    /// The tile at a SIMD level (level_bytes: 64, 32, 16, or 0 = the scalar loop above).
    template <class T>
    void operator()(simd::level l, matrix_view<const T> q, matrix_view<const T> d, T* out,
                    std::size_t ld) const noexcept;
};

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// M query rows x N database rows of the blocked kernel with B-byte vectors along the dimension:
/// M x N vector accumulators, reduced lane by lane at the end; the tail by the scalar pair loop.
template <reduction R, std::size_t M, std::size_t N, int B, class T>
VECTA_ALWAYS_INLINE void tile_micro(const matrix_view<const T>& q, const matrix_view<const T>& d, std::size_t i0,
                                    std::size_t j0, T* out, std::size_t ld) noexcept {
    using V = vec<T, B>;
    constexpr std::size_t L = B / sizeof(T);
    const std::size_t n = q.cols();
    const T* qp[M];
    const T* dp[N];
    for (std::size_t a = 0; a < M; ++a) qp[a] = q.row(i0 + a);
    for (std::size_t b = 0; b < N; ++b) dp[b] = d.row(j0 + b);
    V acc[M][N];
    for (std::size_t a = 0; a < M; ++a)
        for (std::size_t b = 0; b < N; ++b) acc[a][b] = V{};
    std::size_t k = 0;
    for (; k + L <= n; k += L) {
        V qv[M], dv[N];
        for (std::size_t a = 0; a < M; ++a) qv[a] = vload<V>(qp[a] + k);
        for (std::size_t b = 0; b < N; ++b) dv[b] = vload<V>(dp[b] + k);
        for (std::size_t a = 0; a < M; ++a)
            for (std::size_t b = 0; b < N; ++b) {
                if constexpr (R == reduction::l2sq) {
                    const V t = qv[a] - dv[b];
                    vfma(acc[a][b], t, t);
                } else if constexpr (R == reduction::l1) {
                    vadd_abs(acc[a][b], qv[a] - dv[b]);
                } else {
                    vfma(acc[a][b], qv[a], dv[b]);
                }
            }
    }
    for (std::size_t a = 0; a < M; ++a)
        for (std::size_t b = 0; b < N; ++b) {
            T s = 0;
            for (std::size_t t = 0; t < L; ++t) s = s + acc[a][b][t];
            const T tail = pair_kernel<R>{}(simd::scalar, qp[a] + k, dp[b] + k, n - k).s;
            out[(i0 + a) * ld + j0 + b] = s + tail;
        }
}

/// The blocked tile with B-byte vectors: MR x 4 register blocks (MR = 4 on 64-byte vectors, else 2).
template <reduction R, int B, class T>
VECTA_ALWAYS_INLINE void tile_vec(matrix_view<const T> q, matrix_view<const T> d, T* out, std::size_t ld) noexcept {
    constexpr std::size_t MR = B >= 64 ? 4 : 2, NR = 4;
    const std::size_t nq = q.rows(), nd = d.rows();
    std::size_t j = 0;
    for (; j + NR <= nd; j += NR) {
        std::size_t i = 0;
        for (; i + MR <= nq; i += MR) tile_micro<R, MR, NR, B>(q, d, i, j, out, ld);
        for (; i < nq; ++i) tile_micro<R, 1, NR, B>(q, d, i, j, out, ld);
    }
    for (; j < nd; ++j) {
        std::size_t i = 0;
        for (; i + MR <= nq; i += MR) tile_micro<R, MR, 1, B>(q, d, i, j, out, ld);
        for (; i < nq; ++i) tile_micro<R, 1, 1, B>(q, d, i, j, out, ld);
    }
}
VECTA_VEC_END
#endif

template <reduction R>
template <class T>
void tile_kernel<R>::operator()(simd::level l, matrix_view<const T> q, matrix_view<const T> d, T* out,
                                std::size_t ld) const noexcept {
    dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
#if VECTA_VECTOR_EXT
        if constexpr (w() != 0) return tile_vec<base, w()>(q, d, out, ld);
#endif
        (*this)(simd::scalar, q, d, out, ld);
    });
}

/// Norms of rows [r0, r1) of m for cosine into out[0, r1 - r0): cosine_norm (distance.hpp) of
/// the squared norm from the pair kernel, as in the pairwise cosine; -1 marks a row to rescale
/// (rescale_marked_rows).
template <class P, class T>
void row_norms(const P& policy, matrix_view<const T> m, std::size_t r0, std::size_t r1, double* out) noexcept {
    for (std::size_t r = r0; r < r1; ++r)
        out[r - r0] = cosine_norm(pair_kernel<reduction::dot>{}(policy_level(policy), m.row(r), m.row(r), m.cols()).s,
                                  m.row(r), m.cols());
}

/// The cosine's rare path (distance.hpp): when row_norms marked a row of [r0, r1) of m with -1
/// (its sum of squares left T's range), copies rows [r0, r1) into buf (contiguous), the marked ones
/// multiplied by unit_scale of their largest magnitude, recomputes their norms (now trusted) and
/// returns buf's view of nr = r1 - r0 rows: cosine does not depend on a row's scale, so the fast
/// kernels run on it. Otherwise returns m.sub_rows(r0, nr) and leaves buf alone. O(nr) when no row is
/// marked, O(nr cols) when one is.
template <class P, class T>
matrix_view<const T> rescale_marked_rows(const P& policy, matrix_view<const T> m, std::size_t r0, std::size_t r1,
                                         double* norms, aligned_vector<T>& buf) {
    const std::size_t nr = r1 - r0, n = m.cols();
    if (std::none_of(norms, norms + nr, [](double v) { return v < 0.0; })) return m.sub_rows(r0, nr);
    buf.resize(nr * n);
    for (std::size_t r = 0; r < nr; ++r) {
        const T* x = m.row(r0 + r);
        T* y = buf.data() + r * n;
        if (norms[r] < 0.0) {
            const auto [s1, s2] = unit_scale(max_abs(x, n));
            for (std::size_t c = 0; c < n; ++c) y[c] = x[c] * s1 * s2;
        } else {
            std::copy(x, x + n, y);
        }
    }
    const matrix_view<const T> v(buf.data(), nr, n);
    for (std::size_t r = 0; r < nr; ++r)
        if (norms[r] < 0.0) row_norms(policy, v, r, r + 1, norms + r);
    return v;
}

/// Turns a raw tile (dot / l2sq / l1) into the metric's values in place: cosine divides by the
/// norms (qn, dn: sqrt of the squared norms in double, for the tile's rows / columns; the same
/// arithmetic as finish_cosine, written branch-free so that it vectorizes), euclidean takes the
/// square root.
template <metric M, class T>
void finish_tile(T* out, std::size_t ld, std::size_t rows, std::size_t cols, const double* qn,
                 const double* dn) noexcept {
    if constexpr (M == metric::cosine) {
        for (std::size_t i = 0; i < rows; ++i) {
            T* o = out + i * ld;
            const double a = qn[i];
            for (std::size_t j = 0; j < cols; ++j) {
                const double den = a * dn[j];
                double c = double(o[j]) / den;
                c = c > 1.0 ? 1.0 : c;
                c = c < -1.0 ? -1.0 : c;
                o[j] = static_cast<T>(den == 0.0 ? 0.0 : c);
            }
        }
    } else if constexpr (M == metric::euclidean) {
        for (std::size_t i = 0; i < rows; ++i) {
            T* o = out + i * ld;
            for (std::size_t j = 0; j < cols; ++j) o[j] = std::sqrt(o[j]);
        }
    } else {
        (void)out, (void)ld, (void)rows, (void)cols, (void)qn, (void)dn;
    }
}

/// What a task needs to compute tiles: the kernel, the packed queries (packed kernel), the
/// norms (cosine) and a 64-byte aligned scratch of gemm_mc * gemm_kc elements (packed kernel).
template <class P, class T>
struct tile_context {
    kernel_kind kind;
    const gemm_plan<T>* plan;
    const double* qn;
};

/// The raw reduction (dot for dot and cosine, |a-b|^2 for the Euclidean metrics, |a-b|_1) for
/// queries [i0, i1) x database rows [j0, j1) into out (element (i0, j0) at out[0], leading
/// dimension ld).
template <metric M, class P, class T>
void compute_raw_block(const P& policy, const tile_context<P, T>& ctx, matrix_view<const T> q, matrix_view<const T> d,
                       std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1, T* out, std::size_t ld,
                       T* scratch) noexcept {
    if (ctx.kind == kernel_kind::packed)
        ctx.plan->template run<tile_kernel<reduction_of(M)>::base>(d, i0, i1, j0, j1, out, ld, scratch);
    else
        tile_kernel<reduction_of(M)>{}(policy_level(policy), q.sub_rows(i0, i1 - i0), d.sub_rows(j0, j1 - j0), out, ld);
}

/// Computes the metric for queries [i0, i1) x database rows [j0, j1) into out (element (i0, j0)
/// at out[0], leading dimension ld). dn: norms of rows j0.. (cosine only).
template <metric M, class P, class T>
void compute_block(const P& policy, const tile_context<P, T>& ctx, matrix_view<const T> q, matrix_view<const T> d,
                   std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1, T* out, std::size_t ld,
                   const double* dn, T* scratch) noexcept {
    compute_raw_block<M>(policy, ctx, q, d, i0, i1, j0, j1, out, ld, scratch);
    finish_tile<M>(out, ld, i1 - i0, j1 - j0, ctx.qn + i0, dn);
}

/// The packed queries when the kernel is the packed GEMM, for the policy's SIMD level.
template <class P, class T>
std::unique_ptr<gemm_plan<T>> make_plan(const P& policy, kernel_kind k, matrix_view<const T> q) {
    return k == kernel_kind::packed ? std::make_unique<gemm_plan<T>>(policy_level(policy), q) : nullptr;
}

template <class TQ, class TD>
using common_value_t =
    std::enable_if_t<std::is_same_v<std::remove_const_t<TQ>, std::remove_const_t<TD>>, std::remove_const_t<TQ>>;

template <class T>
inline constexpr bool is_float_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

inline void check_pair(std::size_t qcols, std::size_t dcols, std::string_view fn) {
    require(qcols >= 1, fn, "queries.cols()", "must be >= 1");
    require(dcols == qcols, fn, "database.cols()", "must equal queries.cols()");
}

// params.metric and params.path must be enumerators (a cast integer used to fall back silently).
inline void check_metric_path(metric m, gemm_path p, std::string_view fn) {
    require(unsigned(m) <= unsigned(metric::manhattan), fn, "params.metric", "must be a vecta::metric enumerator");
    require(unsigned(p) <= unsigned(gemm_path::gemm), fn, "params.path", "must be a vecta::gemm_path enumerator");
}

template <metric M, class P, class T>
void similarity_matrix_impl(const P& policy, matrix_view<const T> q, matrix_view<const T> d, matrix_view<T> out,
                            gemm_path path) {
    const std::size_t nq = q.rows(), nd = d.rows();
    if (nq == 0 || nd == 0) return;
    const kernel_kind kind = choose_kernel(path, nq, nd, q.cols());
    std::vector<double> qn;
    aligned_vector<T> qbuf;
    if constexpr (M == metric::cosine) {
        qn.resize(nq);
        parallel_for(policy, nq, 256, [&](std::size_t a, std::size_t b) { row_norms(policy, q, a, b, qn.data() + a); });
        q = rescale_marked_rows(policy, q, 0, nq, qn.data(), qbuf);
    }
    const auto plan = make_plan(policy, kind, q);
    const tile_context<P, T> ctx{kind, plan.get(), qn.data()};
    const std::size_t q_block = kind == kernel_kind::blocked ? blocked_q_block : nq;
    parallel_for(policy, nd, db_block_of(kind), [&](std::size_t j0, std::size_t j1) {
        std::vector<double> dn;
        matrix_view<const T> db = d;  // rows [b0, b1) of db are database rows [j0, j1)
        std::size_t b0 = j0, b1 = j1;
        aligned_vector<T> dbuf;
        if constexpr (M == metric::cosine) {
            dn.resize(j1 - j0);
            row_norms(policy, d, j0, j1, dn.data());
            db = rescale_marked_rows(policy, d, j0, j1, dn.data(), dbuf);
            b0 = 0, b1 = j1 - j0;
        }
        aligned_vector<T> scratch(kind == kernel_kind::packed ? gemm_plan<T>::scratch_size() : 0);
        for (std::size_t i0 = 0; i0 < nq; i0 += q_block) {
            const std::size_t i1 = std::min(nq, i0 + q_block);
            compute_block<M>(policy, ctx, q, db, i0, i1, b0, b1, out.row(i0) + j0, out.stride(), dn.data(),
                             scratch.data());
        }
    });
}

template <class F>
decltype(auto) dispatch_metric(metric m, F&& f) {
    switch (m) {
        case metric::dot: return f(std::integral_constant<metric, metric::dot>{});
        case metric::cosine: return f(std::integral_constant<metric, metric::cosine>{});
        case metric::sqeuclidean: return f(std::integral_constant<metric, metric::sqeuclidean>{});
        case metric::euclidean: return f(std::integral_constant<metric, metric::euclidean>{});
        case metric::manhattan: break;
    }
    return f(std::integral_constant<metric, metric::manhattan>{});
}

}  // namespace detail

/// Fills out (queries.rows() x database.rows()) with out(i, j) = metric(queries row i, database
/// row j), float or double. The metric's definition and error bound are in distance.hpp; the
/// gemm path's dot products carry the same kind of bound (blocked summation).
/// Complexity O(Q N dim); extra memory O(Q + block), never Q x N beyond `out`.
/// Throws vecta::invalid_argument if the dimensions differ or are 0, out's shape is not
/// Q x N, out overlaps an input, or params.metric / params.path is no enumerator.
template <execution_policy P, class TQ, class TD, class TO>
requires detail::is_float_v<detail::common_value_t<TQ, TD>> && std::is_same_v<TO, detail::common_value_t<TQ, TD>>
void similarity_matrix(const P& policy, matrix_view<TQ> queries, matrix_view<TD> database, matrix_view<TO> out,
                       matrix_params params = {}) {
    using T = TO;
    constexpr std::string_view fn = "vecta::similarity_matrix";
    detail::check_pair(queries.cols(), database.cols(), fn);
    detail::check_metric_path(params.metric, params.path, fn);
    detail::require(out.rows() == queries.rows() && out.cols() == database.rows(), fn, "out",
                    "must be queries.rows() x database.rows()");
    detail::require(!detail::views_overlap(out, queries) && !detail::views_overlap(out, database), fn, "out",
                    "must not overlap the inputs");
    const matrix_view<const T> q = queries;
    const matrix_view<const T> d = database;
    detail::dispatch_metric(params.metric, [&](auto m) {
        detail::similarity_matrix_impl<decltype(m)::value>(policy, q, d, out, params.path);
    });
}

/// As above, returning the Q x N matrix row-major in a std::vector.
template <execution_policy P, class TQ, class TD>
requires detail::is_float_v<detail::common_value_t<TQ, TD>> std::vector<detail::common_value_t<TQ, TD>>
similarity_matrix(const P& policy, matrix_view<TQ> queries, matrix_view<TD> database, matrix_params params = {}) {
    using T = detail::common_value_t<TQ, TD>;
    detail::check_pair(queries.cols(), database.cols(), "vecta::similarity_matrix");
    std::vector<T> out(detail::checked_mul_size(queries.rows(), database.rows()));
    similarity_matrix(policy, queries, database, matrix_view<T>(out.data(), queries.rows(), database.rows()), params);
    return out;
}

template <class TQ, class TD, class TO>
requires detail::is_float_v<detail::common_value_t<TQ, TD>>
void similarity_matrix(matrix_view<TQ> queries, matrix_view<TD> database, matrix_view<TO> out,
                       matrix_params params = {}) {
    similarity_matrix(seq, queries, database, out, params);
}
template <class TQ, class TD>
requires detail::is_float_v<detail::common_value_t<TQ, TD>>
auto similarity_matrix(matrix_view<TQ> queries, matrix_view<TD> database, matrix_params params = {}) {
    return similarity_matrix(seq, queries, database, params);
}

}  // namespace vecta
