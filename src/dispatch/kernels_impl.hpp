// SPDX-License-Identifier: MIT
// src/dispatch/kernels_impl.hpp - definitions of the dispatched functors for one instruction set,
// included by each arch_*.cpp after it defines VECTA_DISPATCH_ARCH (an xsimd architecture the
// translation unit's flags enable). Everything the entry points call is inlined into them
// (flatten), so an arch_*.cpp emits no out-of-line copy of a shared inline function compiled
// for its instruction set that the linker could pick for baseline code (the ODR hazard of
// per-file ISA flags): `nm -C` on the arch_*.o objects lists only the architecture-named entry
// points.
#include <cmath>

#include "kernels.hpp"

#if !defined(VECTA_DISPATCH_ARCH)
#error "define VECTA_DISPATCH_ARCH before including kernels_impl.hpp"
#endif

#if defined(__GNUC__)
#define VECTA_DISPATCH_FLATTEN __attribute__((flatten))
#else
#define VECTA_DISPATCH_FLATTEN
#endif

namespace vecta::dispatch::detail {

template <class Arch, class T>
VECTA_DISPATCH_FLATTEN T pair_entry::operator()(Arch arch, metric m, const T* a, const T* b,
                                                std::size_t n) const noexcept {
    using vecta::detail::pair_kernel;
    using vecta::detail::reduction;
    switch (m) {
        case metric::dot: return pair_kernel<reduction::dot>{}(arch, a, b, n).s;
        case metric::cosine: {
            const auto r = pair_kernel<reduction::cos3>{}(arch, a, b, n);
            return vecta::detail::finish_cosine(r.s, r.aa, r.bb);
        }
        case metric::sqeuclidean: return pair_kernel<reduction::l2sq>{}(arch, a, b, n).s;
        case metric::euclidean: return std::sqrt(pair_kernel<reduction::l2sq>{}(arch, a, b, n).s);
        case metric::manhattan: break;
    }
    return pair_kernel<reduction::l1>{}(arch, a, b, n).s;
}

template <class Arch, class T>
VECTA_DISPATCH_FLATTEN void normalize_entry::operator()(Arch arch, norm_kind k, const T* in, std::size_t in_stride,
                                                        T* out, std::size_t out_stride, std::size_t rows,
                                                        std::size_t cols) const noexcept {
    using vecta::detail::normalize_kernel;
    for (std::size_t r = 0; r < rows; ++r) {
        const T* src = in + r * in_stride;
        T* dst = out + r * out_stride;
        switch (k) {
            case norm_kind::l1: normalize_kernel<norm_kind::l1>{}(arch, src, dst, cols); break;
            case norm_kind::l2: normalize_kernel<norm_kind::l2>{}(arch, src, dst, cols); break;
            case norm_kind::max: normalize_kernel<norm_kind::max>{}(arch, src, dst, cols); break;
        }
    }
}

#define VECTA_DISPATCH_INSTANTIATE(A, T)                                                                               \
    template T pair_entry::operator()<A, T>(A, metric, const T*, const T*, std::size_t) const noexcept;                \
    template void normalize_entry::operator()<A, T>(A, norm_kind, const T*, std::size_t, T*, std::size_t, std::size_t, \
                                                    std::size_t) const noexcept;

VECTA_DISPATCH_INSTANTIATE(VECTA_DISPATCH_ARCH, float)
VECTA_DISPATCH_INSTANTIATE(VECTA_DISPATCH_ARCH, double)

}  // namespace vecta::dispatch::detail
