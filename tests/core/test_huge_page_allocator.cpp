// SPDX-License-Identifier: MIT
// core/huge_page_allocator.hpp: alignment (64 bytes; 2 MiB from 2 MiB on Linux), zero size,
// overflow, deallocation, and use in a std::vector against a plain std::vector. On Linux the
// kernel is the reference: /proc/self/status (VmSize: the trimmed mapping is exactly the array
// rounded up to 4 KiB, nothing left after deallocate), mincore(2) (the pages are mapped, then not)
// and /proc/self/smaps (VmFlags "hg": MADV_HUGEPAGE was applied).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vecta/core/huge_page_allocator.hpp>
#include <vector>
#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {

using vecta::detail::huge_page_allocator;
constexpr std::size_t hpa_two_mib = std::size_t(1) << 21;

bool hpa_aligned(const void* p, std::size_t a) { return reinterpret_cast<std::uintptr_t>(p) % a == 0; }

#if defined(__linux__) && defined(MADV_HUGEPAGE)
/// VmSize of this process in KiB from /proc/self/status, read without allocating (so the
/// measurement itself maps nothing); -1 when unreadable.
long hpa_vm_size_kib() {
    char buf[8192];
    const int fd = ::open("/proc/self/status", O_RDONLY);
    if (fd < 0) return -1;
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char* s = std::strstr(buf, "VmSize:");
    return s ? std::strtol(s + 7, nullptr, 10) : -1;
}

/// Whether every page of [p, p + len) is mapped (mincore fails with ENOMEM otherwise).
bool hpa_pages_mapped(const void* p, std::size_t len) {
    std::vector<unsigned char> vec((len + 4095) / 4096);
    return ::mincore(const_cast<void*>(p), len, vec.data()) == 0;
}

/// The VmFlags line of the mapping that holds p in /proc/self/smaps; empty when not found.
std::string hpa_vm_flags(const void* p) {
    std::ifstream smaps("/proc/self/smaps");
    const auto want = reinterpret_cast<std::uintptr_t>(p);
    std::string line;
    bool in = false;
    while (std::getline(smaps, line)) {
        const auto dash = line.find('-');
        if (dash != std::string::npos && dash > 0 && line.find_first_not_of("0123456789abcdef") == dash) {
            char* end = nullptr;
            const auto lo = std::strtoull(line.c_str(), &end, 16), hi = std::strtoull(end + 1, nullptr, 16);
            in = lo <= want && want < hi;
        } else if (in && line.rfind("VmFlags:", 0) == 0) {
            return line;
        }
    }
    return {};
}
#endif

}  // namespace

TEST_CASE("huge_page_allocator: small arrays are 64-byte aligned; zero size and overflow") {
    huge_page_allocator<std::uint64_t> a;
    for (std::size_t n : {1, 3, 8, 1000, 262143}) {  // below 2 MiB of uint64_t
        CHECK_FALSE(a.mapped(n));
        std::uint64_t* p = a.allocate(n);
        CHECK(hpa_aligned(p, 64));
        for (std::size_t i = 0; i < n; ++i) p[i] = i * 3;
        std::uint64_t sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += p[i];
        CHECK(sum == 3 * (n * (n - 1) / 2));
        a.deallocate(p, n);
    }
    std::uint64_t* z = a.allocate(0);  // as malloc(0): any pointer, freed by deallocate
    a.deallocate(z, 0);
    CHECK_FALSE(a.mapped(0));
    CHECK_THROWS_AS(a.allocate(std::numeric_limits<std::size_t>::max() / 8 + 1), std::bad_array_new_length);
    CHECK_THROWS_AS(a.allocate(std::numeric_limits<std::size_t>::max()), std::bad_array_new_length);
    // Stateless: every instance, of any value type, is equal; rebind keeps the allocator.
    huge_page_allocator<char> c(a);
    CHECK(c == huge_page_allocator<char>());
    static_assert(std::is_same_v<std::allocator_traits<huge_page_allocator<int>>::rebind_alloc<float>,
                                 huge_page_allocator<float>>);
}

TEST_CASE("huge_page_allocator: 2 MiB and more are mapped 2 MiB-aligned, huge-page advised, unmapped on release") {
    huge_page_allocator<std::uint32_t> a;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const std::size_t first = hpa_two_mib / 4;  // the first mapped size (2 MiB of uint32_t)
    CHECK_FALSE(a.mapped(first - 1));
    CHECK(a.mapped(first));
    CHECK_FALSE(a.mapped(std::numeric_limits<std::size_t>::max() / 4));  // len + 2 MiB would overflow
    // 2 MiB exactly, 3 MiB + 4 bytes (a tail that is not a whole page), 5 MiB.
    for (std::size_t n : {first, first * 3 / 2 + 1, first * 5 / 2}) {
        const std::size_t len = (n * 4 + 4095) / 4096 * 4096;
        const long before = hpa_vm_size_kib();
        std::uint32_t* p = a.allocate(n);
        const long during = hpa_vm_size_kib();
        CHECK(hpa_aligned(p, hpa_two_mib));
        if (before > 0 && during > 0) CHECK(during - before == long(len / 1024));  // trimmed to len
        CHECK(hpa_pages_mapped(p, len));
        CHECK(std::count(p, p + n, 0u) == std::ptrdiff_t(n));                       // anonymous pages: zero
        for (std::size_t i = 0; i < n; ++i) p[i] = std::uint32_t(i * 2654435761u);  // every byte writable
        std::size_t bad = 0;
        for (std::size_t i = 0; i < n; ++i) bad += p[i] != std::uint32_t(i * 2654435761u);
        CHECK(bad == 0);
        const std::string flags = hpa_vm_flags(p);
        if (flags.empty() || !std::filesystem::exists("/sys/kernel/mm/transparent_hugepage"))
            MESSAGE("no VmFlags in /proc/self/smaps or no THP in this kernel: MADV_HUGEPAGE not checked");
        else
            CHECK_MESSAGE(flags.find(" hg") != std::string::npos, flags);  // "hg": huge page advised
        const long held = hpa_vm_size_kib();
        a.deallocate(p, n);
        const long after = hpa_vm_size_kib();
        if (held > 0 && after > 0) CHECK(held - after == long(len / 1024));  // nothing of the mapping is left
        CHECK_FALSE(hpa_pages_mapped(p, len));
    }
#else
    CHECK_FALSE(a.mapped(hpa_two_mib));  // no mmap path here: everything from aligned_alloc
#endif
}

TEST_CASE("huge_page_allocator in std::vector: the contents of a plain std::vector through growth past 2 MiB") {
    std::vector<std::uint64_t, huge_page_allocator<std::uint64_t>> v;
    std::vector<std::uint64_t> ref;
    std::uint64_t x = 88172645463325252ull;
    for (std::size_t i = 0; i < 700000; ++i) {  // 5.3 MiB: reallocations below and above 2 MiB
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v.push_back(x);
        ref.push_back(x);
        if ((i & (i + 1)) == 0) CHECK(hpa_aligned(v.data(), 64));
    }
    CHECK(std::equal(v.begin(), v.end(), ref.begin(), ref.end()));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    CHECK(hpa_aligned(v.data(), hpa_two_mib));
#endif
    auto copy = v;  // a second mapping of its own
    CHECK(copy.data() != v.data());
    CHECK(copy == v);
    v.assign(300000, 7);  // within capacity
    v.shrink_to_fit();    // 2.3 MiB: a new, smaller mapping
    CHECK(v.size() == 300000);
    CHECK(std::count(v.begin(), v.end(), 7u) == 300000);
    v.resize(10);
    v.shrink_to_fit();  // back to posix_memalign
    CHECK(hpa_aligned(v.data(), 64));
    CHECK(std::equal(copy.begin(), copy.end(), ref.begin(), ref.end()));
    std::vector<std::uint64_t, huge_page_allocator<std::uint64_t>> zeros(400000);  // value-initialized
    CHECK(std::count(zeros.begin(), zeros.end(), 0u) == 400000);
}
