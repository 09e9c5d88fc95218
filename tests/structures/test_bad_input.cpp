// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/structures (bloom_filter, split_block_bloom_filter, frame_ring,
// hash): sizes 0 and 1, NaN and infinite rates, shapes above the maximum, size mismatches, every
// corruption of the serialized form, memory too small, unaligned or corrupt, capacity 0 and 1.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vecta/structures/bloom_filter.hpp>
#include <vecta/structures/frame_ring.hpp>
#include <vecta/structures/hash.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>
#include <vector>

#include "test_support.hpp"

namespace {
using vecta_test::names;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_v = std::numeric_limits<double>::infinity();

void put_u32(std::vector<std::byte>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + std::size_t(i)] = std::byte((v >> (8 * i)) & 0xFF);
}
void put_u64(std::vector<std::byte>& b, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b[at + std::size_t(i)] = std::byte((v >> (8 * i)) & 0xFF);
}
/// Recomputes the CRC-32 trailer, so that a test reaches the checks behind the checksum.
void fix_crc(std::vector<std::byte>& b) {
    put_u32(b, b.size() - 4, vecta::detail::crc32(std::span<const std::byte>(b).first(b.size() - 4)));
}

template <class Filter>
void check_from_bytes_matrix(const Filter& good, const char* other_kind) {
    using namespace std::string_literals;
    const auto bytes = good.to_bytes();
    auto load = [](std::vector<std::byte> b, vecta::murmur3_hasher h = {}) { return Filter::from_bytes(b, h); };
    CHECK(load(bytes) == good);
    CHECK_THROWS_WITH_AS(load({}), doctest::Contains("truncated"), vecta::io_error);
    CHECK_THROWS_WITH_AS(load({bytes.begin(), bytes.begin() + 51}), doctest::Contains("truncated"), vecta::io_error);
    CHECK_THROWS_WITH_AS(load({bytes.begin(), bytes.end() - 1}), doctest::Contains("truncated"), vecta::io_error);
    auto longer = bytes;
    longer.push_back(std::byte{0});
    CHECK_THROWS_WITH_AS(load(longer), doctest::Contains("trailing"), vecta::io_error);
    auto b = bytes;
    b[0] = std::byte{'X'};
    CHECK_THROWS_WITH_AS(load(b), doctest::Contains("bad magic"), vecta::io_error);
    b = bytes;
    put_u32(b, 8, 2);
    CHECK_THROWS_WITH_AS(load(b), doctest::Contains("version"), vecta::io_error);
    b = bytes;
    put_u32(b, 12, 99);
    CHECK_THROWS_WITH_AS(load(b), doctest::Contains("unknown (99)"), vecta::io_error);
    b = bytes;
    put_u32(b, 20, 1);
    CHECK_THROWS_WITH_AS(load(b), doctest::Contains("reserved"), vecta::io_error);
    for (std::uint64_t bits : {0ull, 8ull, ~0ull}) {
        b = bytes;
        put_u64(b, 32, bits);
        CHECK_THROWS_WITH_AS(load(b), doctest::Contains("not a valid filter size"), vecta::io_error);
    }
    b = bytes;
    b[48] ^= std::byte{1};  // one payload bit
    CHECK_THROWS_WITH_AS(load(b), doctest::Contains("checksum"), vecta::io_error);
    for (std::uint64_t k : {0ull, 65ull, ~0ull}) {
        b = bytes;
        put_u64(b, 40, k);
        fix_crc(b);
        CHECK_THROWS_WITH_AS(load(b), doctest::Contains("hashes"), vecta::io_error);
    }
    CHECK_THROWS_WITH_AS(load(bytes, vecta::murmur3_hasher{5}), doctest::Contains("seed"), vecta::io_error);
    b = bytes;
    put_u32(b, 16, 1234);
    fix_crc(b);
    CHECK_THROWS_WITH_AS(load(b), doctest::Contains("hasher id"), vecta::io_error);
    (void)other_kind;
}
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)

TEST_CASE("bad input: bloom_filter construction and use") {
    using bf = vecta::bloom_filter;
    CHECK_BAD(bf(vecta::bloom_sizing{.expected_items = 0}), "params.expected_items");
    for (double p : {0.0, 1.0, -0.1, 2.0, nan_v, inf_v})
        CHECK_BAD(bf(vecta::bloom_sizing{.expected_items = 10, .false_positive_rate = p}),
                  "params.false_positive_rate");
    CHECK_BAD(bf(vecta::bloom_sizing{.expected_items = ~0ull, .false_positive_rate = 1e-9}), "params.expected_items");
    CHECK_BAD(bf(vecta::bloom_shape{.hashes = 3}), "params.bits");  // neither bits nor megabytes
    CHECK_BAD(bf(vecta::bloom_shape{.bits = 64, .megabytes = 1, .hashes = 3}), "params");
    for (double mb : {-1.0, nan_v, inf_v})
        CHECK_BAD(bf(vecta::bloom_shape{.megabytes = mb, .hashes = 3}), "params.bits");
    CHECK_BAD(bf(vecta::bloom_shape{.megabytes = 1e30, .hashes = 3}), "params.megabytes");
    CHECK_BAD(bf(vecta::bloom_shape{.bits = (1ull << 48) + 1, .hashes = 3}), "params.bits");
    CHECK_BAD(bf(vecta::bloom_shape{.bits = 64, .hashes = 0}), "params.hashes");
    CHECK_BAD(bf(vecta::bloom_shape{.bits = 64, .hashes = 65}), "params.hashes");
    CHECK_BAD(bf(vecta::bloom_shape{.bits = 64, .hashes = 1}, vecta::murmur3_hasher{1ull << 32}), "hasher.seed");
    // Capacity 1: one expected item, and a 1-bit shape (rounded up to a 64-bit word).
    bf one(vecta::bloom_sizing{.expected_items = 1, .false_positive_rate = 0.5});
    one.insert(std::string_view("x"));
    CHECK(one.contains(std::string_view("x")));
    bf tiny(vecta::bloom_shape{.bits = 1, .hashes = 64});
    CHECK(tiny.bits() == 64);
    tiny.insert(std::uint64_t{7});
    CHECK(tiny.contains(std::uint64_t{7}));
    tiny.insert(std::string_view());  // the empty key is a key
    CHECK(tiny.contains(std::string_view()));
    // Size mismatches.
    const std::uint64_t keys[3] = {1, 2, 3};
    std::uint8_t found[2];
    CHECK_BAD(tiny.contains_many(std::span<const std::uint64_t>(keys), std::span<std::uint8_t>(found)), "found");
    CHECK(tiny.contains_many(std::span<const std::uint64_t>(), std::span<std::uint8_t>()) == 0);
    bf other(vecta::bloom_shape{.bits = 128, .hashes = 64});
    CHECK_BAD(tiny.unite(other), "other");
    CHECK_BAD(tiny.intersect(other), "other");
    check_from_bytes_matrix(one, "split-block");
    // A classic filter's bytes are not a split-block filter.
    CHECK_THROWS_WITH_AS(vecta::split_block_bloom_filter::from_bytes(one.to_bytes()), doctest::Contains("classic"),
                         vecta::io_error);
}

TEST_CASE("bad input: split_block_bloom_filter construction and use") {
    using sb = vecta::split_block_bloom_filter;
    CHECK_BAD(sb(vecta::bloom_sizing{.expected_items = 0}), "params.expected_items");
    for (double p : {0.0, 1.0, nan_v, -inf_v})
        CHECK_BAD(sb(vecta::bloom_sizing{.expected_items = 10, .false_positive_rate = p}),
                  "params.false_positive_rate");
    CHECK_BAD(sb(vecta::bloom_sizing{.expected_items = ~0ull, .false_positive_rate = 1e-6}), "params.expected_items");
    CHECK_BAD(sb(vecta::bloom_shape{.bits = 256, .hashes = 7}), "params.hashes");
    CHECK_BAD(sb(vecta::bloom_shape{.bits = 0, .hashes = 8}), "params.bits");
    CHECK_BAD(sb(vecta::bloom_shape{.bits = (1ull << 40) + 1, .hashes = 8}), "params.bits");
    CHECK_BAD(sb(vecta::bloom_shape{.megabytes = nan_v, .hashes = 8}), "params.bits");
    // Capacity 1: one block.
    sb one(vecta::bloom_sizing{.expected_items = 1, .false_positive_rate = 0.5});
    one.insert(std::uint64_t{42});
    CHECK(one.contains(std::uint64_t{42}));
    sb block(vecta::bloom_shape{.bits = 1, .hashes = 8});
    CHECK(block.bits() == 256);
    const std::uint64_t keys[3] = {1, 2, 3};
    std::uint8_t found[4];
    CHECK_BAD(block.contains_many(std::span<const std::uint64_t>(keys), std::span<std::uint8_t>(found)), "found");
    sb two(vecta::bloom_shape{.bits = 512, .hashes = 8});
    CHECK_BAD(block.unite(two), "other");
    CHECK_BAD(block.intersect(two), "other");
    check_from_bytes_matrix(one, "classic");
    CHECK_THROWS_WITH_AS(vecta::bloom_filter::from_bytes(one.to_bytes()), doctest::Contains("split-block"),
                         vecta::io_error);
}

TEST_CASE("bad input: frame_ring memory, capacity and corruption") {
    alignas(8) std::byte mem[512] = {};
    CHECK_BAD(vecta::frame_ring(std::span<std::byte>(mem + 1, 200)), "memory");  // unaligned
    CHECK_BAD(vecta::frame_ring(std::span<std::byte>(mem, 159)), "memory");      // below header + 32
    CHECK_BAD(vecta::frame_ring(std::span<std::byte>()), "memory");
    CHECK_BAD(vecta::frame_ring::attach(std::span<std::byte>(mem, 100)), "memory");
    // Capacity for frames of 0 bytes only (32 data bytes): empty frames work, 1 byte does not.
    vecta::frame_ring zero(std::span<std::byte>(mem, 160));
    CHECK(zero.max_frame_bytes() == 0);
    CHECK(zero.push(1, {}) == 0);
    CHECK(zero.push(2, {}) == 1);  // evicts the previous one
    CHECK(zero.size() == 1);
    const std::byte b1[1] = {std::byte{9}};
    CHECK_BAD(zero.push(3, b1), "frame");
    CHECK_BAD(zero.push(1, {}), "timestamp");
    CHECK(zero.size() == 1);  // unchanged by the refused pushes
    // Capacity for one 8-byte frame (168 bytes: 40 data bytes).
    alignas(8) std::byte mem1[168] = {};
    vecta::frame_ring one(std::span<std::byte>(mem1, 168));
    CHECK(one.max_frame_bytes() == 8);
    const std::byte eight[8] = {};
    for (std::uint64_t t = 0; t < 5; ++t) one.push(t, eight);
    CHECK(one.size() == 1);
    CHECK(one.front().timestamp == 4);
    CHECK(vecta::frame_ring::attach(std::span<std::byte>(mem1, 168)).size() == 1);
    // Empty ring: front/back throw std::out_of_range (documented), iteration is empty.
    vecta::frame_ring empty(std::span<std::byte>(mem, 512));
    CHECK_THROWS_AS((void)empty.front(), std::out_of_range);
    CHECK_THROWS_AS((void)empty.back(), std::out_of_range);
    CHECK(empty.begin() == empty.end());
    // Corruption: zeros, a bad version, a capacity above the memory throw; a record size running
    // past the data area or a broken tag is repaired (an empty ring, sequence numbers go on).
    alignas(8) std::byte z[256] = {};
    CHECK_THROWS_WITH_AS(vecta::frame_ring::attach(z), doctest::Contains("bad magic"), vecta::io_error);
    auto corrupt = [&](std::size_t off, std::uint64_t v, const char* what) {
        alignas(8) std::byte m[256] = {};
        vecta::frame_ring r(m);
        const std::byte f[20] = {};
        r.push(1, f);
        r.push(2, f);
        std::memcpy(m + off, &v, 8);
        CHECK_THROWS_WITH_AS(vecta::frame_ring::attach(m), doctest::Contains(what), vecta::io_error);
    };
    corrupt(8, 1, "version");
    corrupt(16, 4096, "capacity");
    corrupt(16, 12, "capacity");
    auto repaired = [&](std::size_t off, std::uint64_t v, std::size_t frames_left) {
        alignas(8) std::byte m[256] = {};
        vecta::frame_ring r(m);
        const std::byte f[20] = {};
        r.push(1, f);
        r.push(2, f);
        std::memcpy(m + off, &v, 8);
        CHECK(vecta::frame_ring::attach(m).size() == frames_left);
    };
    repaired(136, 1000, 0);    // first record's size
    repaired(128, 5, 0);       // first record's tag
    repaired(128 + 56, 7, 0);  // second record's tag
    repaired(144 + 56, 0, 0);  // second timestamp below the first
}

TEST_CASE("bad input: hashes of empty input") {
    CHECK(vecta::detail::crc32({}) == 0);
    const auto h = vecta::murmur3_x64_128({}, 0);
    CHECK(h[0] == 0);  // MurmurHash3_x64_128("", seed 0) is all zeros
    CHECK(h[1] == 0);
    CHECK(vecta::murmur3_hasher{}(std::span<const std::byte>()) == 0);
    CHECK(vecta::fmix64(0) == 0);
}
