// SPDX-License-Identifier: MIT
// MurmurHash3 x64_128 against published vectors (SMHasher's verification value, Guava's test
// vectors), the integer mixers against splitmix64's reference outputs, CRC-32's check value.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <set>
#include <string_view>
#include <vecta/structures/hash.hpp>
#include <vector>

namespace {
std::array<std::uint64_t, 2> mm(std::string_view s, std::uint32_t seed = 0) {
    return vecta::murmur3_x64_128(std::as_bytes(std::span<const char>(s.data(), s.size())), seed);
}
}  // namespace

TEST_CASE("murmur3_x64_128: empty input with seed 0 hashes to zero") {
    CHECK(mm("")[0] == 0);
    CHECK(mm("")[1] == 0);
    CHECK(mm("", 1)[0] != 0);
}

TEST_CASE("murmur3_x64_128: Guava's published vectors (every tail length 4..9, body + tail)") {
    struct vec {
        const char* text;
        std::uint32_t seed;
        std::uint64_t h1, h2;
    };
    const vec cases[] = {
        {"hell", 0, 0x629942693e10f867ull, 0x92db0b82baeb5347ull},
        {"hello", 1, 0xa78ddff5adae8d10ull, 0x128900ef20900135ull},
        {"hello ", 2, 0x8a486b23f422e826ull, 0xf962a2c58947765full},
        {"hello w", 3, 0x2ea59f466f6bed8cull, 0xc610990acc428a17ull},
        {"hello wo", 4, 0x79f6305a386c572cull, 0x46305aed3483b94eull},
        {"hello wor", 5, 0xc2219d213ec1f1b5ull, 0xa1d8e2e0a52785bdull},
        {"The quick brown fox jumps over the lazy dog", 0, 0xe34bbc7bbc071b6cull, 0x7a433ca9c49a9347ull},
        {"The quick brown fox jumps over the lazy cog", 0, 0x658ca970ff85269aull, 0x43fee3eaa68e5c3eull},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto h = mm(c.text, c.seed);
        CHECK(h[0] == c.h1);
        CHECK(h[1] == c.h2);
    }
}

TEST_CASE("murmur3_x64_128: SMHasher verification value 0x6384BA69") {
    // SMHasher's VerificationTest: hash {0}, {0,1}, ..., {0..254} (lengths 0..255) with seed
    // 256 - length, concatenate the 16-byte outputs, hash that with seed 0, take the first 4 bytes.
    std::vector<std::byte> key(256), hashes(256 * 16);
    for (int i = 0; i < 256; ++i) {
        key[i] = std::byte(i);
        const auto h =
            vecta::murmur3_x64_128(std::span<const std::byte>(key.data(), std::size_t(i)), std::uint32_t(256 - i));
        for (int b = 0; b < 16; ++b)
            hashes[std::size_t(i * 16 + b)] = std::byte(h[std::size_t(b / 8)] >> (8 * (b % 8)));
    }
    const auto final_hash = vecta::murmur3_x64_128(hashes, 0);
    CHECK(std::uint32_t(final_hash[0]) == 0x6384BA69u);
}

TEST_CASE("fmix64 and mix64: reference values, bijective on a sample, seed-dependent") {
    CHECK(vecta::fmix64(0) == 0);
    // splitmix64 seeded with 0: its first outputs are the finaliser of 1 and 2 times the golden gamma.
    CHECK(vecta::mix64(0) == 0xE220A8397B1DCDAFull);
    CHECK(vecta::mix64(0x9E3779B97F4A7C15ull) == 0x6E789E6AA1B965F4ull);
    std::set<std::uint64_t> seen;
    for (std::uint64_t k = 0; k < 10000; ++k) seen.insert(vecta::mix64(k, 7));
    CHECK(seen.size() == 10000);
    CHECK(vecta::mix64(42, 1) != vecta::mix64(42, 2));
}

TEST_CASE("murmur3_hasher: the policy's two calls; the concept") {
    const vecta::murmur3_hasher h{}, h7{.seed = 7};
    const std::string_view s = "frame-42";
    const auto bytes = std::as_bytes(std::span<const char>(s.data(), s.size()));
    CHECK(h(bytes) == mm(s)[0]);
    CHECK(h7(bytes) == mm(s, 7)[0]);
    CHECK(h(std::uint64_t{42}) == vecta::mix64(42, 0));
    CHECK(h7(std::uint64_t{42}) == vecta::mix64(42, 7));
    static_assert(vecta::hasher<vecta::murmur3_hasher>);
    static_assert(!vecta::hasher<int>);
}

TEST_CASE("crc32: the standard check value") {
    const std::string_view s = "123456789";
    CHECK(vecta::detail::crc32(std::as_bytes(std::span<const char>(s.data(), s.size()))) == 0xCBF43926u);
    CHECK(vecta::detail::crc32({}) == 0u);
}
