// SPDX-License-Identifier: MIT
// fuzz/fuzz_bloom.cpp - Bloom filter deserialization (bloom_filter and split_block_bloom_filter):
// any bytes either load or throw vecta::io_error; a loaded filter serializes back to the same
// bytes and answers queries. The first byte picks the filter and whether the CRC-32 trailer is
// recomputed, so that the fuzzer also reaches the checks behind the checksum.
#include <vecta/structures/bloom_filter.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>

#include "fuzz_support.hpp"

namespace {

template <class Filter>
void exercise(std::span<const std::byte> bytes, std::uint64_t seed) {
    using namespace vecta_fuzz;
    Filter f = [&] {
        if (seed == 0) return Filter::from_bytes(bytes);
        return Filter::from_bytes(bytes, vecta::murmur3_hasher{seed});
    }();
    const auto out = f.to_bytes();
    check(out.size() == bytes.size() && std::memcmp(out.data(), bytes.data(), out.size()) == 0,
          "from_bytes then to_bytes is not the identity");
    const std::uint64_t keys[4] = {0, 1, seed, 0x9E3779B97F4A7C15ull};
    std::uint8_t found[4];
    const std::size_t before = f.contains_many(std::span<const std::uint64_t>(keys), std::span<std::uint8_t>(found));
    check(before <= 4, "contains_many counted more than its keys");
    for (auto k : keys) f.insert(k);
    for (auto k : keys) check(f.contains(k), "an inserted key is not found");
    check(f.bits_set() <= f.bits(), "more bits set than the filter has");
    Filter g = Filter::from_bytes(std::span<const std::byte>(f.to_bytes()),
                                  seed == 0 ? vecta::murmur3_hasher{} : vecta::murmur3_hasher{seed});
    check(g == f, "reloading a filter changed it");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vecta_fuzz;
    if (size < 1 || size > (1u << 20) + 64) return 0;
    const std::uint8_t mode = data[0];
    std::vector<std::byte> bytes(size - 1);
    if (size > 1) std::memcpy(bytes.data(), data + 1, size - 1);
    if ((mode & 2) && bytes.size() >= 4) {  // make the checksum right
        const std::size_t body = bytes.size() - 4;
        const std::uint32_t crc = vecta::detail::crc32(std::span<const std::byte>(bytes).first(body));
        for (int i = 0; i < 4; ++i) bytes[body + std::size_t(i)] = std::byte((crc >> (8 * i)) & 0xFF);
    }
    // Seed recorded in the header when present, so that the hasher check passes too.
    std::uint64_t seed = 0;
    if ((mode & 4) && bytes.size() >= 32) {
        for (int i = 7; i >= 0; --i) seed = (seed << 8) | std::to_integer<std::uint64_t>(bytes[24 + std::size_t(i)]);
        if (seed > 0xFFFFFFFFull) seed = 0;
    }
    try {
        if (mode & 1)
            exercise<vecta::split_block_bloom_filter>(bytes, seed);
        else
            exercise<vecta::bloom_filter>(bytes, seed);
    } catch (const vecta::io_error& e) {
        check_message(e);
    }
    return 0;
}
