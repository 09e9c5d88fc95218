// SPDX-License-Identifier: MIT
// vecta/similarity/dispatch.hpp - pairwise metrics and row normalization with run-time choice of
// the instruction set (CMake option VECTA_RUNTIME_DISPATCH, link vecta::dispatch).
//
// The rest of vecta is header-only and compiles its xsimd kernels for the architecture the
// compiler targets (-march). This is the one part that is not: the vecta::dispatch library
// compiles the same kernels (distance.hpp's pair kernel, normalize.hpp's row kernel) once per
// instruction set in its own translation units (SSE4.2, AVX2 + FMA, AVX-512 F/CD/DQ/BW), and
// xsimd::dispatch picks the best one the running CPU has on the first call (xsimd's CPUID
// detection; a CPU without SSE4.2 gets the scalar loops). So a program built for the x86-64
// baseline still runs AVX-512 kernels on an AVX-512 machine.
// Results: the definitions and error bounds of distance.hpp and normalize.hpp hold for every
// instruction set; the sums differ between instruction sets only in the order of additions
// (vector width) and in fused (FMA) versus separate multiply-add (SSE4.2 has no FMA).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "distance.hpp"
#include "matrix_view.hpp"
#include "normalize.hpp"

namespace vecta::dispatch {

namespace detail {
// Defined in the vecta::dispatch library (src/dispatch/); inputs validated by the callers below.
float pair_f32(metric m, const float* a, const float* b, std::size_t n) noexcept;
double pair_f64(metric m, const double* a, const double* b, std::size_t n) noexcept;
void normalize_rows_f32(norm_kind k, const float* in, std::size_t in_stride, float* out, std::size_t out_stride,
                        std::size_t rows, std::size_t cols) noexcept;
void normalize_rows_f64(norm_kind k, const double* in, std::size_t in_stride, double* out, std::size_t out_stride,
                        std::size_t rows, std::size_t cols) noexcept;
std::string_view arch_name() noexcept;

inline float pair(metric m, const float* a, const float* b, std::size_t n) noexcept { return pair_f32(m, a, b, n); }
inline double pair(metric m, const double* a, const double* b, std::size_t n) noexcept { return pair_f64(m, a, b, n); }
inline void normalize_rows(norm_kind k, const float* in, std::size_t is, float* out, std::size_t os, std::size_t rows,
                           std::size_t cols) noexcept {
    normalize_rows_f32(k, in, is, out, os, rows, cols);
}
inline void normalize_rows(norm_kind k, const double* in, std::size_t is, double* out, std::size_t os, std::size_t rows,
                           std::size_t cols) noexcept {
    normalize_rows_f64(k, in, is, out, os, rows, cols);
}

template <class T>
T checked_pair(metric m, std::span<const T> a, std::span<const T> b) {
    vecta::detail::require(b.size() == a.size(), "vecta::dispatch::distance", "b.size()", "must equal a.size()");
    return pair(m, a.data(), b.data(), a.size());
}
}  // namespace detail

/// The instruction set the dispatched kernels run on this CPU: "avx512bw", "fma3<avx2>",
/// "sse4.2" or "scalar". Chosen once (CPUID), on the first call of any dispatched function.
inline std::string_view selected_arch() noexcept { return detail::arch_name(); }

/// vecta::distance(m, a, b) (float or double vectors of equal length; metric definitions and
/// error bounds in distance.hpp), on the best instruction set of the running CPU. O(n).
/// Throws vecta::invalid_argument if the sizes differ.
inline float distance(metric m, std::span<const float> a, std::span<const float> b) {
    return detail::checked_pair(m, a, b);
}
inline double distance(metric m, std::span<const double> a, std::span<const double> b) {
    return detail::checked_pair(m, a, b);
}

/// sum a_i b_i (see vecta::dot). Throws vecta::invalid_argument if the sizes differ.
inline float dot(std::span<const float> a, std::span<const float> b) { return distance(metric::dot, a, b); }
inline double dot(std::span<const double> a, std::span<const double> b) { return distance(metric::dot, a, b); }
/// a.b / (|a| |b|), 0 when a vector is zero (see vecta::cosine).
inline float cosine(std::span<const float> a, std::span<const float> b) { return distance(metric::cosine, a, b); }
inline double cosine(std::span<const double> a, std::span<const double> b) { return distance(metric::cosine, a, b); }
/// sum (a_i - b_i)^2 (see vecta::sqeuclidean).
inline float sqeuclidean(std::span<const float> a, std::span<const float> b) {
    return distance(metric::sqeuclidean, a, b);
}
inline double sqeuclidean(std::span<const double> a, std::span<const double> b) {
    return distance(metric::sqeuclidean, a, b);
}
/// sqrt(sum (a_i - b_i)^2) (see vecta::euclidean).
inline float euclidean(std::span<const float> a, std::span<const float> b) { return distance(metric::euclidean, a, b); }
inline double euclidean(std::span<const double> a, std::span<const double> b) {
    return distance(metric::euclidean, a, b);
}
/// sum |a_i - b_i| (see vecta::manhattan).
inline float manhattan(std::span<const float> a, std::span<const float> b) { return distance(metric::manhattan, a, b); }
inline double manhattan(std::span<const double> a, std::span<const double> b) {
    return distance(metric::manhattan, a, b);
}

/// vecta::normalize(policy, in, out, params) for float or double rows (L1, L2 or max norm;
/// zero rows stay zero; `out` is `in` itself or does not overlap it), each row on the best
/// instruction set of the running CPU; rows split over threads as vecta::normalize does.
/// O(rows * cols). Throws vecta::invalid_argument on a shape mismatch, cols == 0 or partial
/// overlap.
template <execution_policy P, class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) void normalize(const P& policy, matrix_view<const T> in,
                                                                               matrix_view<T> out,
                                                                               normalize_params params = {}) {
    constexpr std::string_view fn = "vecta::dispatch::normalize";
    vecta::detail::require(in.cols() >= 1, fn, "in.cols()", "must be >= 1");
    vecta::detail::require(out.rows() == in.rows() && out.cols() == in.cols(), fn, "out", "must have the shape of in");
    const bool same = in.data() == out.data() && in.stride() == out.stride();
    vecta::detail::require(same || !vecta::detail::views_overlap(in, out), fn, "out",
                           "must be in itself or not overlap it");
    vecta::detail::parallel_for(policy, in.rows(), 256, [&](std::size_t r0, std::size_t r1) {
        detail::normalize_rows(params.norm, in.row(r0), in.stride(), out.row(r0), out.stride(), r1 - r0, in.cols());
    });
}

/// In place: every row of m to unit norm. Throws vecta::invalid_argument if cols == 0.
template <execution_policy P, class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) void normalize(const P& policy, matrix_view<T> m,
                                                                               normalize_params params = {}) {
    vecta::dispatch::normalize(policy, matrix_view<const T>(m), m, params);
}

template <class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) void normalize(matrix_view<const T> in,
                                                                               matrix_view<T> out,
                                                                               normalize_params params = {}) {
    vecta::dispatch::normalize(seq, in, out, params);
}
template <class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) void normalize(matrix_view<T> m,
                                                                               normalize_params params = {}) {
    vecta::dispatch::normalize(seq, m, params);
}

}  // namespace vecta::dispatch
