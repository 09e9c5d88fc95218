// SPDX-License-Identifier: MIT
// vecta/core/execution.hpp - execution policies vecta::seq and vecta::par.
//
// Every kernel takes the policy as its first, optional argument (as the standard parallel
// algorithms and oneDPL do). A policy also carries the SIMD choice:
//   vecta::seq, vecta::par                    native SIMD (xsimd::default_arch)
//   vecta::par | vecta::simd::scalar          plain loops
// vecta::par runs on oneTBB when VECTA_WITH_TBB is 1, else on a std::thread fork-join over
// contiguous ranges. Work is split into blocks whose boundaries do not depend on the number
// of threads, so reductions that combine per-block results in block order are identical
// under seq and par.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

#include "config.hpp"
#include "simd.hpp"

#if VECTA_WITH_TBB
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#endif

namespace vecta {

struct sequenced_tag {};
struct parallel_tag {};

template <class Threading, class Simd = simd::native_t>
struct basic_policy {
    using threading = Threading;
    using simd_type = Simd;
    static constexpr bool is_parallel = std::is_same_v<Threading, parallel_tag>;
};

using sequenced_policy = basic_policy<sequenced_tag>;
using parallel_policy = basic_policy<parallel_tag>;

/// One thread.
inline constexpr sequenced_policy seq{};
/// All hardware threads (oneTBB when VECTA_WITH_TBB, else std::thread).
inline constexpr parallel_policy par{};

/// Replaces the SIMD choice of a policy: `vecta::par | vecta::simd::scalar`.
template <class Th, class S, class NewSimd>
requires simd::is_simd_tag<NewSimd>::value constexpr basic_policy<Th, NewSimd> operator|(basic_policy<Th, S>,
                                                                                         NewSimd) noexcept {
    return {};
}

template <class T>
struct is_execution_policy : std::false_type {};
template <class Th, class S>
struct is_execution_policy<basic_policy<Th, S>> : std::true_type {};
template <class T>
inline constexpr bool is_execution_policy_v = is_execution_policy<std::remove_cvref_t<T>>::value;

/// Constrains the policy overloads of the public functions.
template <class T>
concept execution_policy = is_execution_policy_v<T>;

namespace detail {

inline std::size_t hardware_threads() noexcept {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

/// Calls fn(begin, end) over [0, n) split into blocks of `block` items (the last may be
/// shorter). Blocks run in order under seq and concurrently under par; fn must only write
/// state owned by its block. The first exception thrown by fn is rethrown.
template <class Policy, class Fn>
void parallel_for(const Policy&, std::size_t n, std::size_t block, Fn&& fn) {
    if (n == 0) return;
    block = std::max<std::size_t>(block, 1);
    const std::size_t blocks = (n + block - 1) / block;
    if constexpr (!std::remove_cvref_t<Policy>::is_parallel) {
        for (std::size_t b = 0; b < blocks; ++b) fn(b * block, std::min(n, (b + 1) * block));
    } else {
#if VECTA_WITH_TBB
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t b = r.begin(); b != r.end(); ++b) fn(b * block, std::min(n, (b + 1) * block));
        });
#else
        const std::size_t threads = std::min(hardware_threads(), blocks);
        if (threads <= 1) {
            for (std::size_t b = 0; b < blocks; ++b) fn(b * block, std::min(n, (b + 1) * block));
            return;
        }
        std::vector<std::exception_ptr> errors(threads);
        auto worker = [&](std::size_t t) {
            try {
                // Contiguous runs of blocks per thread.
                const std::size_t b0 = blocks * t / threads, b1 = blocks * (t + 1) / threads;
                for (std::size_t b = b0; b < b1; ++b) fn(b * block, std::min(n, (b + 1) * block));
            } catch (...) {
                errors[t] = std::current_exception();
            }
        };
        std::vector<std::thread> pool;
        pool.reserve(threads - 1);
        std::size_t started = 1;
        try {
            for (; started < threads; ++started) pool.emplace_back(worker, started);
        } catch (const std::system_error&) {
            // The system refused a thread: the calling thread runs the shares not started.
        }
        worker(0);
        for (std::size_t t = started; t < threads; ++t) worker(t);
        for (auto& th : pool) th.join();
        for (auto& e : errors)
            if (e) std::rethrow_exception(e);
#endif
    }
}

/// Runs `kernel` with the architecture tag the policy selects: simd::scalar_t{}, the fixed
/// xsimd Arch{}, or xsimd::default_arch{} (scalar when no SIMD architecture is available).
template <class Policy, class Kernel, class... Args>
decltype(auto) simd_invoke(const Policy&, Kernel&& kernel, Args&&... args) {
    using S = typename std::remove_cvref_t<Policy>::simd_type;
    if constexpr (std::is_same_v<S, simd::scalar_t>) {
        return kernel(simd::scalar_t{}, std::forward<Args>(args)...);
    } else if constexpr (std::is_same_v<S, simd::native_t>) {
        if constexpr (simd::native_available)
            return kernel(xsimd::default_arch{}, std::forward<Args>(args)...);
        else
            return kernel(simd::scalar_t{}, std::forward<Args>(args)...);
    } else {
        return kernel(typename S::arch_type{}, std::forward<Args>(args)...);
    }
}

}  // namespace detail
}  // namespace vecta
