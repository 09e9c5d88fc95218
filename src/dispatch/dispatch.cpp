// SPDX-License-Identifier: MIT
// src/dispatch/dispatch.cpp - the entry points of vecta/similarity/dispatch.hpp: xsimd::dispatch
// over AVX-512 BW, AVX2 + FMA and SSE4.2 (each compiled in its arch_*.cpp), the scalar loops
// when the CPU has none of them. This file is compiled with the project's baseline flags.
#include <vecta/similarity/dispatch.hpp>
#include <xsimd/xsimd.hpp>

#include "kernels.hpp"

namespace vecta::dispatch::detail {
namespace {

using archs = xsimd::arch_list<xsimd::avx512bw, xsimd::fma3<xsimd::avx2>, xsimd::sse4_2>;

bool has_simd() noexcept {
    static const bool yes = xsimd::available_architectures().best >= xsimd::sse4_2::version();
    return yes;
}

template <class T>
T pair_any(metric m, const T* a, const T* b, std::size_t n) noexcept {
    if (!has_simd()) {
        using vecta::detail::pair_kernel;
        using vecta::detail::reduction;
        const auto s = vecta::simd::scalar;
        switch (m) {
            case metric::dot: return pair_kernel<reduction::dot>{}(s, a, b, n).s;
            case metric::cosine: {
                const auto r = pair_kernel<reduction::cos3>{}(s, a, b, n);
                return vecta::detail::finish_cosine(r.s, r.aa, r.bb);
            }
            case metric::sqeuclidean: return pair_kernel<reduction::l2sq>{}(s, a, b, n).s;
            case metric::euclidean: return std::sqrt(pair_kernel<reduction::l2sq>{}(s, a, b, n).s);
            case metric::manhattan: break;
        }
        return pair_kernel<reduction::l1>{}(s, a, b, n).s;
    }
    static auto run = xsimd::dispatch<archs>(pair_entry{});
    return run(m, a, b, n);
}

template <class T>
void normalize_any(norm_kind k, const T* in, std::size_t is, T* out, std::size_t os, std::size_t rows,
                   std::size_t cols) noexcept {
    if (!has_simd()) {
        for (std::size_t r = 0; r < rows; ++r) {
            const T* src = in + r * is;
            T* dst = out + r * os;
            const auto s = vecta::simd::scalar;
            switch (k) {
                case norm_kind::l1: vecta::detail::normalize_kernel<norm_kind::l1>{}(s, src, dst, cols); break;
                case norm_kind::l2: vecta::detail::normalize_kernel<norm_kind::l2>{}(s, src, dst, cols); break;
                case norm_kind::max: vecta::detail::normalize_kernel<norm_kind::max>{}(s, src, dst, cols); break;
            }
        }
        return;
    }
    static auto run = xsimd::dispatch<archs>(normalize_entry{});
    run(k, in, is, out, os, rows, cols);
}

}  // namespace

float pair_f32(metric m, const float* a, const float* b, std::size_t n) noexcept { return pair_any(m, a, b, n); }
double pair_f64(metric m, const double* a, const double* b, std::size_t n) noexcept { return pair_any(m, a, b, n); }
void normalize_rows_f32(norm_kind k, const float* in, std::size_t is, float* out, std::size_t os, std::size_t rows,
                        std::size_t cols) noexcept {
    normalize_any(k, in, is, out, os, rows, cols);
}
void normalize_rows_f64(norm_kind k, const double* in, std::size_t is, double* out, std::size_t os, std::size_t rows,
                        std::size_t cols) noexcept {
    normalize_any(k, in, is, out, os, rows, cols);
}

std::string_view arch_name() noexcept {
    const unsigned best = xsimd::available_architectures().best;
    if (best >= xsimd::avx512bw::version()) return "avx512bw";
    if (best >= xsimd::fma3<xsimd::avx2>::version()) return "fma3<avx2>";
    if (best >= xsimd::sse4_2::version()) return "sse4.2";
    return "scalar";
}

}  // namespace vecta::dispatch::detail
