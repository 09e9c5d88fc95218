// SPDX-License-Identifier: MIT
// vecta/structures/hash.hpp - the hasher policy of the Bloom filters and its default,
// MurmurHash3 x64_128 (Austin Appleby, public domain), written here without a library.
//
// A hasher is any copyable type with
//     std::uint64_t operator()(std::span<const std::byte> bytes) const noexcept;
//     std::uint64_t operator()(std::uint64_t key) const noexcept;
// (the concept vecta::hasher). Optionally it names itself for serialization with
//     static constexpr std::uint32_t id = ...;   // 0 when absent ("unnamed")
//     std::uint64_t seed;                         // 0 when absent
// A serialized filter records both, and loading it with a hasher of another id or seed throws.
//
// Plugging in XXH3 (xxHash, Debian libxxhash-dev; header-only with XXH_INLINE_ALL):
//     #define XXH_INLINE_ALL
//     #include <xxhash.h>
//     struct xxh3_hasher {
//         static constexpr std::uint32_t id = 0x33485858;  // "XXH3"
//         std::uint64_t seed = 0;
//         std::uint64_t operator()(std::span<const std::byte> s) const noexcept {
//             return XXH3_64bits_withSeed(s.data(), s.size(), seed);
//         }
//         std::uint64_t operator()(std::uint64_t k) const noexcept { return vecta::mix64(k, seed); }
//     };
//     vecta::basic_split_block_bloom_filter<xxh3_hasher> f({.expected_items = n, .false_positive_rate = 0.01});
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace vecta {

/// The requirements on a Bloom filter hasher: 64-bit hashes of byte strings and of 64-bit
/// integers, callable on a const object. The two need not agree (integer 42 and the 8 bytes
/// of 42 may hash differently).
template <class H>
concept hasher = std::copy_constructible<H> && requires(const H& h, std::span<const std::byte> s, std::uint64_t k) {
    { h(s) } -> std::convertible_to<std::uint64_t>;
    { h(k) } -> std::convertible_to<std::uint64_t>;
};

/// MurmurHash3's 64-bit finaliser fmix64 (Appleby): a bijection of 64-bit integers with full
/// avalanche. fmix64(0) == 0.
constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/// Hash of a 64-bit integer with a seed: the splitmix64 finaliser (Steele, Lea & Flood 2014,
/// "Fast splittable pseudorandom number generators"; Stafford's Mix13 constants) of
/// key + (seed + 1) * 0x9E3779B97F4A7C15. For a fixed seed it is a bijection, so distinct keys
/// never collide in the 64-bit hash. O(1).
constexpr std::uint64_t mix64(std::uint64_t key, std::uint64_t seed = 0) noexcept {
    std::uint64_t z = key + (seed + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

namespace detail {
constexpr std::uint64_t load_le64(const std::byte* p) noexcept {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
    return v;
}
}  // namespace detail

/// The two 64-bit halves {h1, h2} of MurmurHash3_x64_128 (Appleby, SMHasher, public domain) of
/// `bytes` with a 32-bit seed, equal to the reference implementation's output read as two
/// little-endian 64-bit words (and to Guava's murmur3_128). O(bytes.size()).
inline std::array<std::uint64_t, 2> murmur3_x64_128(std::span<const std::byte> bytes, std::uint32_t seed = 0) noexcept {
    constexpr std::uint64_t c1 = 0x87c37b91114253d5ull, c2 = 0x4cf5ad432745937full;
    const std::byte* data = bytes.data();
    const std::size_t len = bytes.size(), nblocks = len / 16;
    std::uint64_t h1 = seed, h2 = seed;
    for (std::size_t i = 0; i < nblocks; ++i) {
        std::uint64_t k1 = detail::load_le64(data + 16 * i), k2 = detail::load_le64(data + 16 * i + 8);
        k1 *= c1;
        k1 = std::rotl(k1, 31);
        k1 *= c2;
        h1 ^= k1;
        h1 = std::rotl(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729;
        k2 *= c2;
        k2 = std::rotl(k2, 33);
        k2 *= c1;
        h2 ^= k2;
        h2 = std::rotl(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5;
    }
    const std::byte* tail = data + 16 * nblocks;
    const std::size_t rest = len & 15;
    std::uint64_t k1 = 0, k2 = 0;
    for (std::size_t i = rest; i > 8; --i) k2 ^= std::to_integer<std::uint64_t>(tail[i - 1]) << (8 * (i - 9));
    if (rest > 8) {
        k2 *= c2;
        k2 = std::rotl(k2, 33);
        k2 *= c1;
        h2 ^= k2;
    }
    for (std::size_t i = rest < 8 ? rest : 8; i > 0; --i)
        k1 ^= std::to_integer<std::uint64_t>(tail[i - 1]) << (8 * (i - 1));
    if (rest > 0) {
        k1 *= c1;
        k1 = std::rotl(k1, 31);
        k1 *= c2;
        h1 ^= k1;
    }
    h1 ^= std::uint64_t(len);
    h2 ^= std::uint64_t(len);
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    return {h1, h2};
}

/// The default hasher: byte strings by the first half (h1) of MurmurHash3_x64_128 with a 32-bit
/// seed, integers by mix64(key, seed). Serialized under id 0x33524D4D ("MMR3") and its seed.
struct murmur3_hasher {
    static constexpr std::uint32_t id = 0x33524D4Du;
    /// Seed of both hashes (MurmurHash3 takes 32 bits; the upper bits must be 0, which the
    /// filters check at construction).
    std::uint64_t seed = 0;

    std::uint64_t operator()(std::span<const std::byte> bytes) const noexcept {
        return murmur3_x64_128(bytes, static_cast<std::uint32_t>(seed))[0];
    }
    std::uint64_t operator()(std::uint64_t key) const noexcept { return mix64(key, seed); }
};

namespace detail {
/// The hasher's serialized id (H::id, else 0) and seed (h.seed, else 0).
template <class H>
constexpr std::uint32_t hasher_id() noexcept {
    if constexpr (requires { H::id; })
        return static_cast<std::uint32_t>(H::id);
    else
        return 0;
}
template <class H>
constexpr std::uint64_t hasher_seed(const H& h) noexcept {
    if constexpr (requires { h.seed; })
        return static_cast<std::uint64_t>(h.seed);
    else
        return 0;
}

/// The bytes of a string_view as a byte span.
inline std::span<const std::byte> as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's crc32): detects every error
/// burst of at most 32 bits, hence every single-byte corruption. crc32("123456789") = 0xCBF43926.
inline std::uint32_t crc32(std::span<const std::byte> bytes, std::uint32_t crc = 0) noexcept {
    static constexpr auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int j = 0; j < 8; ++j) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (std::byte b : bytes) crc = table[(crc ^ std::to_integer<std::uint32_t>(b)) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}
}  // namespace detail

}  // namespace vecta
