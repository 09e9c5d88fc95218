// SPDX-License-Identifier: MIT
// src/dispatch/kernels.hpp - the functors behind vecta/similarity/dispatch.hpp. Their call
// operators are only declared here: each arch_*.cpp defines them (kernels_impl.hpp) and
// instantiates them for its instruction set, compiled with that set's flags; dispatch.cpp calls
// them through xsimd::dispatch without ever instantiating them itself (the pattern of xsimd's
// documentation, "Writing vectorized code ... runtime dispatching").
#pragma once

#include <cstddef>
#include <vecta/similarity/distance.hpp>
#include <vecta/similarity/normalize.hpp>

namespace vecta::dispatch::detail {

/// One metric of one pair of vectors.
struct pair_entry {
    template <class Arch, class T>
    T operator()(Arch, metric m, const T* a, const T* b, std::size_t n) const noexcept;
};

/// Normalization of `rows` rows.
struct normalize_entry {
    template <class Arch, class T>
    void operator()(Arch, norm_kind k, const T* in, std::size_t in_stride, T* out, std::size_t out_stride,
                    std::size_t rows, std::size_t cols) const noexcept;
};

}  // namespace vecta::dispatch::detail
