// SPDX-License-Identifier: MIT
// vecta/core/huge_page_allocator.hpp - an allocator for large arrays that are probed at random
// (the Bloom filters' bit arrays): 64-byte aligned, and on Linux huge-page advised from 2 MiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <xsimd/memory/xsimd_aligned_allocator.hpp>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace vecta::detail {

/// A std::allocator replacement for arrays of trivial T, 64-byte aligned (one cache line: a
/// 32-byte split block never straddles two). On Linux an array of 2 MiB or more is mapped on its
/// own (mmap), 2 MiB-aligned and advised MADV_HUGEPAGE before its first touch (madvise(2)), so
/// that with transparent huge pages in "madvise" mode (the Debian default) each 2 MiB of the array
/// takes one TLB entry instead of 512 and a random access's cache miss no longer waits for a page
/// walk as well (W6 per-key split-block contains: see docs/simd.md). The mapping is the array
/// rounded up to 4 KiB.
///
/// Falls back to xsimd::aligned_allocator<T, 64> (posix_memalign; 64-byte alignment only) below
/// 2 MiB, on other systems and where <sys/mman.h> has no MADV_HUGEPAGE. The advice is a hint:
/// without THP ("never" mode, or a kernel without it) the pages stay 4 KiB and only the speed
/// changes, never the contents. Stateless, all instances equal.
/// allocate(n): O(1) (plus the kernel's page faults on first touch); throws
/// std::bad_array_new_length when n * sizeof(T) overflows std::size_t, std::bad_alloc when the
/// memory cannot be had. deallocate(p, n) takes the n given to allocate (as every allocator).
/// Source: Linux madvise(2), MADV_HUGEPAGE; mmap(2), munmap(2); Documentation/admin-guide/mm/
/// transhuge.rst.
template <class T>
struct huge_page_allocator : xsimd::aligned_allocator<T, 64> {
    using value_type = T;
    template <class U>
    struct rebind {
        using other = huge_page_allocator<U>;
    };
    huge_page_allocator() noexcept = default;
    template <class U>
    huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (mapped(n)) {
            const std::size_t len = mapping_bytes(n);
            void* p = ::mmap(nullptr, len + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) throw std::bad_alloc();
            const auto a = reinterpret_cast<std::uintptr_t>(p), start = (a + huge - 1) & ~std::uintptr_t(huge - 1);
            if (start > a) ::munmap(p, start - a);  // trim to the 2 MiB-aligned start and len bytes
            if (a + len + huge > start + len)
                ::munmap(reinterpret_cast<void*>(start + len), a + len + huge - start - len);
            ::madvise(reinterpret_cast<void*>(start), len, MADV_HUGEPAGE);
            return reinterpret_cast<T*>(start);
        }
#endif
        return xsimd::aligned_allocator<T, 64>::allocate(n);
    }

    void deallocate(T* p, std::size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (mapped(n)) {
            ::munmap(p, mapping_bytes(n));
            return;
        }
#endif
        xsimd::aligned_allocator<T, 64>::deallocate(p, n);
    }

    /// Whether allocate(n) maps the array on its own (2 MiB-aligned, huge-page advised).
    static constexpr bool mapped(std::size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        return n >= huge / sizeof(T) && n <= (std::numeric_limits<std::size_t>::max() - 2 * huge) / sizeof(T);
#else
        (void)n;
        return false;
#endif
    }

    static constexpr std::size_t huge = std::size_t(1) << 21, page = 4096;

    friend bool operator==(const huge_page_allocator&, const huge_page_allocator&) noexcept { return true; }

private:
    static constexpr std::size_t mapping_bytes(std::size_t n) noexcept {
        return (n * sizeof(T) + page - 1) / page * page;
    }
};

}  // namespace vecta::detail
