// SPDX-License-Identifier: MIT
// vecta/similarity/gemm.hpp - the packed GEMM behind the large matrices:
// out(i, j) = sum_k op(Q(i, k), D(j, k)) for row-major queries Q, database D and output out,
// with op the product (dot, cosine), the squared difference (Euclidean) or the absolute
// difference (Manhattan): one kernel, three micro-kernel operations.
//
// The loop structure of BLIS (Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
// Instantiating BLAS Functionality", ACM TOMS 2015; Goto & van de Geijn 2008): the queries are
// packed once into panels of MI rows ([k][MI], zero-padded); each task owns MC database rows,
// packs them per depth block of KC into panels of NJ = V SIMD vectors ([k][NJ]; k-outer copy:
// contiguous writes, NJ sequential read streams), and runs an MI x NJ register-blocked
// micro-kernel (MI broadcast query values x V vector loads per k, MI x V accumulators: 8 x 3 =
// 24 of the 32 AVX-512 registers, 6 x 2 = 12 of the 16 AVX2 / SSE registers). The micro-kernel
// vectorizes along the database rows, which are contiguous in the row-major output, so results
// are stored with full vector stores.
// Blocking: KC = 768 (a query micro-panel of KC x MI floats, 24 KB, stays in L1), MC = 288
// database rows (6 panels of 48 on AVX-512; a packed block of MC x KC floats, 864 KB, stays in
// L2); the packed queries (Q x dim) are read from L3. Chosen on AVX-512 cores: (KC, MC) in
// {(192, 1024), (256, 512), (384, 512), (512, 256), (768, 256)} on a Zen 4 core, then the
// micro-kernel shapes 12 x 2, 14 x 2, 8 x 3, 9 x 3, 6 x 4 vectors with KC in {384, 512, 768}
// on a Sapphire Rapids-class Xeon (8 x 3 with KC 768: 165-184 GFLOP/s per core against 150-160
// for 12 x 2, 1000 x 20000 x 768 f32). Tasks are database
// blocks of MC rows, independent of the
// thread count, and each output element is the same sequence of FMAs (k ascending within a
// depth block, depth blocks in order) whatever the split: seq and par give identical bits.
// The scalar policy runs the same packing with a plain-loop micro-kernel.
// Run-time dispatch (core/cpu.hpp): the micro-kernel is written once over GCC/Clang vector
// extensions of B bytes (core/vec.hpp) and compiled as three functions, B = 16 (the baseline:
// SSE2, NEON), B = 32 in a target("avx2,fma") function and B = 64 in a target("avx512...")
// function; the plan picks one with the policy's level (simd::max_level() by default), so a
// build without -march runs the AVX-512 micro-kernel on an AVX-512 CPU. Every output element is
// the same sequence of k-ascending steps at every width: the avx2 and avx512 levels (fused
// multiply-add) give identical bits, and so do sse2 / neon and scalar (multiply, then add).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>
#include <xsimd/memory/xsimd_aligned_allocator.hpp>

#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "../core/vec.hpp"
#include "distance.hpp"
#include "matrix_view.hpp"

namespace vecta::detail {

inline constexpr std::size_t gemm_kc = 768;  // depth block
inline constexpr std::size_t gemm_mc = 288;  // database rows per task (a multiple of every nj)

/// Register blocking of a level: NJ = V vectors of database rows x MI queries, V x MI
/// accumulators: 3 x 8 on 512-bit SIMD (24 of 32 registers, 11 loads per 24 FMAs), 2 x 6 on
/// 128 / 256-bit SIMD (12 of 16 registers); the scalar loop 8 x 4.
struct gemm_shape {
    std::size_t mi, nj;
};
template <class T>
constexpr gemm_shape gemm_shape_of(int bytes) noexcept {
    if (bytes == 0) return {4, 8};
    const std::size_t lanes = std::size_t(bytes) / sizeof(T);
    return bytes >= 64 ? gemm_shape{8, 3 * lanes} : gemm_shape{6, 2 * lanes};
}

template <class T>
using aligned_vector = std::vector<T, xsimd::aligned_allocator<T, 64>>;

/// Queries packed as panels of mi rows: element (p * mi + t, k) at data[(p * dim + k) * mi + t].
template <class T>
aligned_vector<T> gemm_pack_queries(matrix_view<const T> q, std::size_t mi) {
    const std::size_t panels = (q.rows() + mi - 1) / mi, dim = q.cols();
    aligned_vector<T> out(panels * dim * mi, T(0));
    for (std::size_t p = 0; p < panels; ++p)
        for (std::size_t t = 0; t < mi && p * mi + t < q.rows(); ++t) {
            const T* row = q.row(p * mi + t);
            T* dst = out.data() + p * dim * mi + t;
            for (std::size_t k = 0; k < dim; ++k) dst[k * mi] = row[k];
        }
    return out;
}

inline constexpr std::size_t gemm_max_nj = 64;  // widest database panel (nj) gemm_pack_db takes

/// Database rows [j0, j0 + rows) x depth [k0, k0 + kc) packed as panels of nj rows:
/// element (r, k) at dst[((r / nj) * kc + k) * nj + r % nj], zero-padded to whole panels.
template <class T>
void gemm_pack_db(matrix_view<const T> d, std::size_t j0, std::size_t rows, std::size_t k0, std::size_t kc,
                  std::size_t nj, T* dst) noexcept {
    const std::size_t panels = (rows + nj - 1) / nj;
    const T* src[gemm_max_nj];
    for (std::size_t p = 0; p < panels; ++p) {
        T* pd = dst + p * kc * nj;
        const std::size_t nr = std::min(nj, rows - p * nj);
        for (std::size_t r = 0; r < nr; ++r) src[r] = d.row(j0 + p * nj + r) + k0;
        // k outer: each step writes one contiguous run of nj elements and reads one element of
        // each of the nr rows (nr sequential read streams), instead of nj strided write streams.
        for (std::size_t k = 0; k < kc; ++k) {
            T* o = pd + k * nj;
            for (std::size_t r = 0; r < nr; ++r) o[r] = src[r][k];
            for (std::size_t r = nr; r < nj; ++r) o[r] = T(0);
        }
    }
}

/// The micro-kernels: acc(t, r) = sum_k op(b[k * mi + t], a[k * nj + r]) with op the product
/// (R = dot), the squared difference (l2sq) or the absolute difference (l1); then out rows
/// t < mq, columns r < nr get acc (first depth block) or out + acc.
template <class T>
using gemm_micro_fn = void (*)(std::size_t kc, const T* a, const T* b, T* out, std::size_t ld, std::size_t mq,
                               std::size_t nr, bool first) noexcept;

template <reduction R, class T>
void gemm_micro_scalar(std::size_t kc, const T* a, const T* b, T* out, std::size_t ld, std::size_t mq, std::size_t nr,
                       bool first) noexcept {
    constexpr std::size_t MI = gemm_shape_of<T>(0).mi, NJ = gemm_shape_of<T>(0).nj;
    T acc[MI][NJ] = {};
    for (std::size_t k = 0; k < kc; ++k)
        for (std::size_t t = 0; t < MI; ++t)
            for (std::size_t r = 0; r < NJ; ++r) {
                const T x = a[k * NJ + r], y = b[k * MI + t];
                if constexpr (R == reduction::l2sq)
                    acc[t][r] = acc[t][r] + (x - y) * (x - y);
                else if constexpr (R == reduction::l1)
                    acc[t][r] = acc[t][r] + std::abs(x - y);
                else
                    acc[t][r] = acc[t][r] + x * y;
            }
    for (std::size_t t = 0; t < mq; ++t)
        for (std::size_t r = 0; r < nr; ++r) out[t * ld + r] = first ? acc[t][r] : out[t * ld + r] + acc[t][r];
}

#if VECTA_VECTOR_EXT
VECTA_VEC_BEGIN
/// The vector micro-kernel of B bytes (inlined into the per-level functions below).
template <reduction R, int B, class T>
VECTA_ALWAYS_INLINE void gemm_micro_vec(std::size_t kc, const T* a, const T* b, T* out, std::size_t ld, std::size_t mq,
                                        std::size_t nr, bool first) noexcept {
    using V = vec<T, B>;
    constexpr std::size_t L = B / sizeof(T), MI = gemm_shape_of<T>(B).mi, NJ = gemm_shape_of<T>(B).nj, NV = NJ / L;
    V c[MI][NV];
#pragma GCC unroll 8
    for (std::size_t t = 0; t < MI; ++t)
#pragma GCC unroll 3
        for (std::size_t u = 0; u < NV; ++u) c[t][u] = V{};
    for (std::size_t k = 0; k < kc; ++k) {
        if constexpr (B == 64) {
            // The database panel streams from L2: fetch its cache lines 4 steps ahead (one line per
            // 64-byte vector; +3% on a Sapphire Rapids-class core).
            const T* ahead = a + std::min(k + 4, kc - 1) * NJ;  // within the panel
#pragma GCC unroll 3
            for (std::size_t u = 0; u < NV; ++u) __builtin_prefetch(ahead + u * L);
        }
        V av[NV];
#pragma GCC unroll 3
        for (std::size_t u = 0; u < NV; ++u) av[u] = vload<V>(a + k * NJ + u * L);
        const T* bk = b + k * MI;
#pragma GCC unroll 8
        for (std::size_t t = 0; t < MI; ++t) {
            const V bt = V{} + bk[t];  // broadcast
#pragma GCC unroll 3
            for (std::size_t u = 0; u < NV; ++u) {
                if constexpr (R == reduction::l2sq) {
                    const V d = av[u] - bt;
                    vfma(c[t][u], d, d);
                } else if constexpr (R == reduction::l1) {
                    vadd_abs(c[t][u], av[u] - bt);
                } else {
                    vfma(c[t][u], av[u], bt);
                }
            }
        }
    }
    if (nr == NJ) {
        for (std::size_t t = 0; t < mq; ++t) {
            T* o = out + t * ld;
#pragma GCC unroll 3
            for (std::size_t u = 0; u < NV; ++u) vstore(o + u * L, first ? c[t][u] : vload<V>(o + u * L) + c[t][u]);
        }
    } else {
        T tmp[NJ];
        for (std::size_t t = 0; t < mq; ++t) {
            for (std::size_t u = 0; u < NV; ++u) vstore(tmp + u * L, c[t][u]);
            T* o = out + t * ld;
            for (std::size_t r = 0; r < nr; ++r) o[r] = first ? tmp[r] : o[r] + tmp[r];
        }
    }
}
VECTA_VEC_END

template <reduction R, class T>
void gemm_micro_16(std::size_t kc, const T* a, const T* b, T* out, std::size_t ld, std::size_t mq, std::size_t nr,
                   bool first) noexcept {
    gemm_micro_vec<R, 16>(kc, a, b, out, ld, mq, nr, first);
}
#if VECTA_X86_DISPATCH
template <reduction R, class T>
VECTA_TARGET_AVX2 void gemm_micro_32(std::size_t kc, const T* a, const T* b, T* out, std::size_t ld, std::size_t mq,
                                     std::size_t nr, bool first) noexcept {
    gemm_micro_vec<R, 32>(kc, a, b, out, ld, mq, nr, first);
}
template <reduction R, class T>
VECTA_TARGET_AVX512 void gemm_micro_64(std::size_t kc, const T* a, const T* b, T* out, std::size_t ld, std::size_t mq,
                                       std::size_t nr, bool first) noexcept {
    gemm_micro_vec<R, 64>(kc, a, b, out, ld, mq, nr, first);
}
#endif
#endif

/// The micro-kernel for a vector width (level_bytes).
template <reduction R, class T>
gemm_micro_fn<T> gemm_micro_for(int bytes) noexcept {
#if VECTA_VECTOR_EXT
#if VECTA_X86_DISPATCH
    if (bytes == 64) return gemm_micro_64<R, T>;
    if (bytes == 32) return gemm_micro_32<R, T>;
#endif
    if (bytes == 16) return gemm_micro_16<R, T>;
#endif
    (void)bytes;
    return gemm_micro_scalar<R, T>;
}

/// Queries [i0, i1) x database rows [j0, j1) of Q D^T into out (element (i0, j0) at out[0],
/// leading dimension ld), with pre-packed queries `qp` (gemm_pack_queries with the shape's mi;
/// i0 a multiple of mi). `scratch` (64-byte aligned) holds gemm_mc * gemm_kc elements and
/// j1 - j0 <= gemm_mc. After the last depth block of each query panel, on_panel(r0, r1, rows)
/// gets the panel's final values (query rows [r0, r1), the first at `rows`, leading dimension
/// ld) while they are in L1: top-k consumes them there. With PanelTile and dim <= gemm_kc every
/// panel is written to out[0 .. mi * ld) (a one-panel tile that stays in L1); otherwise panel p
/// goes to its own rows of out.
template <reduction R, bool PanelTile = false, class T, class F>
void gemm_block(int bytes, std::size_t dim, const T* qp, matrix_view<const T> d, std::size_t i0, std::size_t i1,
                std::size_t j0, std::size_t j1, T* out, std::size_t ld, T* scratch, F&& on_panel) noexcept {
    const std::size_t MI = gemm_shape_of<T>(bytes).mi, NJ = gemm_shape_of<T>(bytes).nj;
    const gemm_micro_fn<T> micro = gemm_micro_for<R, T>(bytes);
    const std::size_t rows = j1 - j0, dpanels = (rows + NJ - 1) / NJ;
    const std::size_t p0 = i0 / MI, p1 = (i1 + MI - 1) / MI;
    const bool one_panel_tile = PanelTile && dim <= gemm_kc;
    for (std::size_t k0 = 0; k0 < dim; k0 += gemm_kc) {
        const std::size_t kc = std::min(gemm_kc, dim - k0);
        gemm_pack_db(d, j0, rows, k0, kc, NJ, scratch);
        for (std::size_t p = p0; p < p1; ++p) {
            const T* b = qp + (p * dim + k0) * MI;
            const std::size_t mq = std::min(MI, i1 - p * MI);
            T* orow = one_panel_tile ? out : out + (p - p0) * MI * ld;
            for (std::size_t a = 0; a < dpanels; ++a)
                micro(kc, scratch + a * kc * NJ, b, orow + a * NJ, ld, mq, std::min(NJ, rows - a * NJ), k0 == 0);
            if (k0 + kc == dim) on_panel(p * MI, p * MI + mq, orow);
        }
    }
}

/// gemm_block without a panel callback: every panel to its own rows of out.
template <reduction R, class T>
void gemm_block(int bytes, std::size_t dim, const T* qp, matrix_view<const T> d, std::size_t i0, std::size_t i1,
                std::size_t j0, std::size_t j1, T* out, std::size_t ld, T* scratch) noexcept {
    gemm_block<R>(bytes, dim, qp, d, i0, i1, j0, j1, out, ld, scratch, [](std::size_t, std::size_t, const T*) {});
}

/// A prepared GEMM: the level's micro-kernel width and the packed queries.
template <class T>
struct gemm_plan {
    int bytes;       ///< micro-kernel width (level_bytes of the policy's level)
    std::size_t mi;  ///< query panel height
    std::size_t nq, dim;
    aligned_vector<T> packed;

    gemm_plan(simd::level l, matrix_view<const T> q)
        : bytes(level_bytes(l)),
          mi(gemm_shape_of<T>(bytes).mi),
          nq(q.rows()),
          dim(q.cols()),
          packed(gemm_pack_queries(q, mi)) {}

    /// Scratch one task needs.
    static std::size_t scratch_size() noexcept { return gemm_mc * gemm_kc; }

    /// Queries [i0, i1) (i0 a multiple of mi) x database rows [j0, j1) (at most gemm_mc) into out
    /// (element (i0, j0) at out[0], leading dimension ld).
    template <reduction R>
    void run(matrix_view<const T> d, std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1, T* out,
             std::size_t ld, T* scratch) const noexcept {
        gemm_block<R>(bytes, dim, packed.data(), d, i0, i1, j0, j1, out, ld, scratch);
    }

    /// As run, calling on_panel(r0, r1, rows) on each query panel's final values (gemm_block
    /// with PanelTile: when dim <= gemm_kc, out needs only mi rows).
    template <reduction R, class F>
    void run_panels(matrix_view<const T> d, std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1, T* out,
                    std::size_t ld, T* scratch, F&& on_panel) const noexcept {
        gemm_block<R, true>(bytes, dim, packed.data(), d, i0, i1, j0, j1, out, ld, scratch, on_panel);
    }
};

}  // namespace vecta::detail
