// SPDX-License-Identifier: MIT
// vecta/structures/split_block_bloom_filter.hpp - the split-block Bloom filter: every key
// touches one 256-bit block (one cache line or less), probed with SIMD.
//
// Layout (Putze, Sanders & Singler, "Cache-, hash- and space-efficient Bloom filters", WEA 2007;
// the variant of Apache Impala, Kudu and the Parquet format's "split block Bloom filter"): the
// filter is B blocks of 8 x 32-bit words. A key's 64-bit hash h picks block
// ((h >> 32) * B) >> 32, and its low 32 bits x set one bit in each word j of that block: bit
// (x * salt[j]) >> 27, with the 8 odd salt multipliers of the Parquet specification. So k = 8
// always, and a block is 32-byte aligned. With the same hash (Parquet uses XXH64, seed 0) the
// words equal a Parquet bitset.
//
// False-positive rate after n keys: the keys per block are Poisson(lambda = n / B), and a block
// holding i keys answers a random key with probability (1 - (31/32)^i)^8, so
//     p(n, B) = sum_i e^-lambda lambda^i / i! (1 - (31/32)^i)^8
// (Putze et al., section 3). It is above the classic filter's rate at the same bits per key
// (about 1.2 % vs 0.82 % at 10 bits per key). Sizing from (n, p) picks the smallest B with
// p(n, B) <= p (m = 256 B bits), starting from the classic m = -n ln p / (ln 2)^2.
//
// The byte format and the sizing parameters are those of bloom_filter.hpp (kind 2).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>
#include <xsimd/xsimd.hpp>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/simd.hpp"
#include "bloom_filter.hpp"
#include "hash.hpp"

namespace vecta {

namespace detail {

/// The 8 odd salt multipliers of the Parquet split-block Bloom filter.
alignas(32) inline constexpr std::uint32_t sbbf_salt[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                                                           0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};

/// 1, broadcast from memory by the inline-assembly AVX2 probe (sbbf_find_hash_avx2).
alignas(4) inline constexpr std::uint32_t sbbf_one = 1;

/// Block of hash h among `blocks`: ((h >> 32) * blocks) >> 32 (the high 32 bits scaled to
/// [0, blocks) without a division).
constexpr std::uint64_t sbbf_block_index(std::uint64_t h, std::uint64_t blocks) noexcept {
    return ((h >> 32) * blocks) >> 32;
}

/// Mask word j of key x: 1 << ((x * salt[j]) >> 27).
constexpr std::uint32_t sbbf_mask(std::uint32_t x, std::size_t j) noexcept {
    return std::uint32_t(1) << ((x * sbbf_salt[j]) >> 27);
}

/// Probe of one block: block[j] & mask_j == mask_j for all j (find), or block[j] |= mask_j
/// (insert), dispatched on the SIMD level (core/cpu.hpp): avx2 and avx512 compute the 8 masks
/// with one 32-bit multiply and one variable shift of 8 lanes (sbbf_masks_avx2, in a
/// target("avx2") function, so a build without -march uses it on an AVX2 CPU; the block is 256
/// bits, so AVX-512 has nothing wider to offer); sse2 has neither a 32-bit multiply nor a
/// per-lane shift and takes two 4-lane halves with SSE2 only (sbbf_masks_sse2); scalar and other
/// targets (NEON ...) the plain loop. Every level gives the same answer (exact integer
/// arithmetic).
inline bool sbbf_find_scalar(const std::uint32_t* block, std::uint32_t x) noexcept {
    std::uint32_t miss = 0;
    for (std::size_t j = 0; j < 8; ++j) miss |= ~block[j] & sbbf_mask(x, j);
    return miss == 0;
}
inline void sbbf_insert_scalar(std::uint32_t* block, std::uint32_t x) noexcept {
    for (std::size_t j = 0; j < 8; ++j) block[j] |= sbbf_mask(x, j);
}

#if defined(__SSE2__) || defined(_M_X64)
#define VECTA_SBBF_SSE2 1
/// Masks of words 4 h .. 4 h + 3 with SSE2 only: the 32-bit products from two pmuludq, and
/// 1 << s as the float 2^s (exponent field s + 127) converted to int32 (2^31 converts to the
/// "integer indefinite" 0x80000000, which is 1 << 31).
inline __m128i sbbf_masks_sse2(__m128i key, std::size_t h) noexcept {
    const __m128i salt = _mm_load_si128(reinterpret_cast<const __m128i*>(sbbf_salt + 4 * h));
    const __m128i even = _mm_mul_epu32(key, salt);
    const __m128i odd = _mm_mul_epu32(_mm_srli_epi64(key, 32), _mm_srli_epi64(salt, 32));
    const __m128i prod = _mm_unpacklo_epi32(_mm_shuffle_epi32(even, _MM_SHUFFLE(0, 0, 2, 0)),
                                            _mm_shuffle_epi32(odd, _MM_SHUFFLE(0, 0, 2, 0)));
    const __m128i exponent = _mm_slli_epi32(_mm_add_epi32(_mm_srli_epi32(prod, 27), _mm_set1_epi32(127)), 23);
    return _mm_cvttps_epi32(_mm_castsi128_ps(exponent));
}
inline bool sbbf_find_sse2(const std::uint32_t* block, std::uint32_t x) noexcept {
    const __m128i key = _mm_set1_epi32(static_cast<int>(x));
    const __m128i* blk = reinterpret_cast<const __m128i*>(block);
    const __m128i miss = _mm_or_si128(_mm_andnot_si128(_mm_load_si128(blk), sbbf_masks_sse2(key, 0)),
                                      _mm_andnot_si128(_mm_load_si128(blk + 1), sbbf_masks_sse2(key, 1)));
    return _mm_movemask_epi8(_mm_cmpeq_epi32(miss, _mm_setzero_si128())) == 0xFFFF;
}
inline void sbbf_insert_sse2(std::uint32_t* block, std::uint32_t x) noexcept {
    const __m128i key = _mm_set1_epi32(static_cast<int>(x));
    __m128i* blk = reinterpret_cast<__m128i*>(block);
    _mm_store_si128(blk, _mm_or_si128(_mm_load_si128(blk), sbbf_masks_sse2(key, 0)));
    _mm_store_si128(blk + 1, _mm_or_si128(_mm_load_si128(blk + 1), sbbf_masks_sse2(key, 1)));
}
#else
#define VECTA_SBBF_SSE2 0
#endif

#if VECTA_X86_DISPATCH
/// The 8 masks with AVX2: 1 << ((x * salt_j) >> 27) in 8 lanes.
VECTA_TARGET_AVX2 inline __m256i sbbf_masks_avx2(std::uint32_t x) noexcept {
    const __m256i salt = _mm256_load_si256(reinterpret_cast<const __m256i*>(sbbf_salt));
    const __m256i prod = _mm256_mullo_epi32(_mm256_set1_epi32(static_cast<int>(x)), salt);
    return _mm256_sllv_epi32(_mm256_set1_epi32(1), _mm256_srli_epi32(prod, 27));
}
VECTA_TARGET_AVX2 inline bool sbbf_find_avx2(const std::uint32_t* block, std::uint32_t x) noexcept {
    // testc: (~block & mask) == 0, every mask bit is set in the block.
    return _mm256_testc_si256(_mm256_load_si256(reinterpret_cast<const __m256i*>(block)), sbbf_masks_avx2(x)) != 0;
}
VECTA_TARGET_AVX2 inline void sbbf_insert_avx2(std::uint32_t* block, std::uint32_t x) noexcept {
    __m256i* blk = reinterpret_cast<__m256i*>(block);
    _mm256_store_si256(blk, _mm256_or_si256(_mm256_load_si256(blk), sbbf_masks_avx2(x)));
}
// The inline-assembly AVX2 probe: x86-64 builds without AVX (the default flags), where the
// compiler holds no 256-bit value that its vzeroupper could clobber, with GCC's flag outputs.
#if defined(__x86_64__) && defined(__SSE2__) && !defined(__AVX__) && defined(__GCC_ASM_FLAG_OUTPUTS__)
#define VECTA_SBBF_ASM_AVX2 1
/// The type of the memory operand that tells the compiler that the assembly reads the filter: an
/// array of unknown size (GCC's documented form); Clang wants a complete type, that of the
/// largest filter's words (2^32 blocks).
#if defined(__clang__)
using sbbf_all_words = std::uint32_t[std::size_t(1) << 35];
#else
using sbbf_all_words = std::uint32_t[];
#endif
#else
#define VECTA_SBBF_ASM_AVX2 0
#endif
/// find of hash h in a filter of `blocks` blocks at `words` with AVX2 (its caller checks that the
/// CPU has AVX2), inline in the caller. A build for AVX2 inlines the intrinsics (sbbf_find_avx2).
/// A build without AVX (no -march) cannot inline a target("avx2") function, and a call costs a
/// per-key loop about 10 instructions a key (argument moves, call, ret, the hasher's constants
/// reloaded after it), while such a loop is bound by how many keys' cache misses the out-of-order
/// window holds (docs/simd.md, W6): so there the probe is 12 instructions of inline assembly (AT&T
/// and Intel syntax; GCC >= 6, Clang >= 9). The block's byte offset is sbbf_block_index(h, blocks)
/// * 32 with BMI2 (which the avx2 level requires): the high half of (h with its low 32 bits
/// cleared) * blocks is ((h >> 32) * blocks) >> 32, exact for every blocks <= 2^32, and mulx with
/// andn is shorter than shr, imul, shr (measured: about 10 % a key). The masks are
/// sbbf_masks_avx2's (the 1s broadcast from memory), vptest's carry says that every mask bit is
/// set in the block, and vzeroupper leaves clean upper halves to the caller's SSE code.
inline bool sbbf_find_hash_avx2(const std::uint32_t* words, std::uint64_t blocks, std::uint64_t h) noexcept {
#if VECTA_SBBF_ASM_AVX2
    bool all;
    std::uint64_t at;  // byte offset of the block
    // An opaque constant: the loop around a per-key call keeps it in a register, where GCC would
    // re-materialize 0xFFFFFFFF (one more instruction a key).
    std::uint64_t low32 = 0xFFFFFFFF;
    __asm__("" : "+r"(low32));
    // ymm0 and ymm1 hold the key and the masks. Every xmm0-15 is declared clobbered, since the
    // final vzeroupper clears the upper halves of all sixteen: this function may be inlined into
    // a caller compiled for AVX (a target("avx2") function of the user's), where the compiler
    // could otherwise keep a 256-bit value across the assembly. A loop of contains holds no
    // vector value, so the clobbers cost it nothing.
    __asm__(
        "andn {%[h], %[low32], %[at]|%[at], %[low32], %[h]}\n\t"  // h & ~low32
        "vmovd {%k[h], %%xmm0|xmm0, %k[h]}\n\t"
        "mulx {%[blocks], %[at], %[at]|%[at], %[at], %[blocks]}\n\t"  // high half of at (rdx) * blocks
        "vpbroadcastd {%%xmm0, %%ymm0|ymm0, xmm0}\n\t"
        "shl {$5, %[at]|%[at], 5}\n\t"
        "vpmulld {%[salt], %%ymm0, %%ymm0|ymm0, ymm0, %[salt]}\n\t"
        "vpsrld {$27, %%ymm0, %%ymm0|ymm0, ymm0, 27}\n\t"
        "vpbroadcastd {%[one], %%ymm1|ymm1, %[one]}\n\t"
        "vpsllvd {%%ymm0, %%ymm1, %%ymm1|ymm1, ymm1, ymm0}\n\t"
        "vmovdqa {(%[words],%[at]), %%ymm0|ymm0, ymmword ptr [%[words]+%[at]]}\n\t"
        "vptest {%%ymm1, %%ymm0|ymm0, ymm1}\n\t"
        "vzeroupper"
        : "=@ccc"(all), [at] "=&d"(at)
        : [h] "r"(h), [low32] "r"(low32), [blocks] "r"(blocks), [words] "r"(words), [salt] "m"(sbbf_salt),
          [one] "m"(sbbf_one), "m"(*reinterpret_cast<const sbbf_all_words*>(words))
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
          "xmm13", "xmm14", "xmm15");
    return all;
#else
    return sbbf_find_avx2(words + sbbf_block_index(h, blocks) * 8, static_cast<std::uint32_t>(h));
#endif
}
/// insert of hash h with AVX2: block index and store in one function (a call in a build below
/// AVX2; a loop of inserts is not bound by its loads as one of lookups is).
VECTA_TARGET_AVX2 inline void sbbf_insert_hash_avx2(std::uint32_t* words, std::uint64_t blocks,
                                                    std::uint64_t h) noexcept {
    sbbf_insert_avx2(words + sbbf_block_index(h, blocks) * 8, static_cast<std::uint32_t>(h));
}
#endif

/// find at a SIMD level (every level gives the same answer).
inline bool sbbf_find(simd::level l, const std::uint32_t* block, std::uint32_t x) noexcept {
#if VECTA_X86_DISPATCH
    if (simd::rank(l) >= simd::rank(simd::level::avx2)) return sbbf_find_avx2(block, x);
#endif
#if VECTA_SBBF_SSE2
    if (l != simd::level::scalar) return sbbf_find_sse2(block, x);
#endif
    (void)l;
    return sbbf_find_scalar(block, x);
}
/// insert at a SIMD level (every level sets the same bits).
inline void sbbf_insert(simd::level l, std::uint32_t* block, std::uint32_t x) noexcept {
#if VECTA_X86_DISPATCH
    if (simd::rank(l) >= simd::rank(simd::level::avx2)) return sbbf_insert_avx2(block, x);
#endif
#if VECTA_SBBF_SSE2
    if (l != simd::level::scalar) return sbbf_insert_sse2(block, x);
#endif
    (void)l;
    sbbf_insert_scalar(block, x);
}

#if VECTA_X86_DISPATCH
/// find of hash h in a filter of `blocks` blocks at `words` at a level below AVX2, out of line so
/// that the inline AVX2 probe of the per-key contains (sbbf_find_hash_avx2) is the only code in
/// the caller's loop besides the hash.
__attribute__((noinline, pure)) inline bool sbbf_find_hash(simd::level l, const std::uint32_t* words,
                                                           std::uint64_t blocks, std::uint64_t h) noexcept {
    return sbbf_find(l, words + sbbf_block_index(h, blocks) * 8, static_cast<std::uint32_t>(h));
}
#endif

/// p(n, B) of the header comment, summed over i within 12 standard deviations of lambda.
inline double sbbf_false_positive_rate(double items, double blocks) noexcept {
    if (items <= 0) return 0;
    const double lambda = items / blocks, q = std::log(31.0 / 32.0);
    const double sd = std::sqrt(lambda);
    const double lo = std::max(0.0, std::floor(lambda - 12 * sd - 20)), hi = std::ceil(lambda + 12 * sd + 20);
    if (hi - lo > 200000) return std::pow(-std::expm1(lambda * q), 8);  // lambda > ~1e8: concentrated
    double sum = 0;
    for (double i = lo; i <= hi; i += 1) {
        const double logp = -lambda + i * std::log(lambda) - std::lgamma(i + 1);
        sum += std::exp(logp) * std::pow(-std::expm1(i * q), 8);
    }
    return std::min(sum, 1.0);
}

}  // namespace detail

/// Split-block Bloom filter (see the top of this header): B blocks of 256 bits, one cache-line
/// access per insert or lookup, k = 8. insert and contains are O(1), noexcept (a throwing hasher
/// terminates) and run the SIMD level simd::max_level() (core/cpu.hpp) gave when the filter was
/// constructed or loaded (a copy keeps it; a later simd::set_level_cap applies to filters made
/// after it, and a level changes only the speed, never an answer); the _many forms take a
/// policy whose SIMD tag may choose a lower level or vecta::simd::scalar. Not thread-safe for
/// concurrent inserts (nor an insert concurrent with contains); concurrent contains on an
/// unchanging filter are safe.
template <hasher Hasher = murmur3_hasher>
class basic_split_block_bloom_filter {
public:
    using hasher_type = Hasher;
    /// Largest size: 2^32 blocks of 256 bits (128 GiB).
    static constexpr std::uint64_t max_bits = std::uint64_t(1) << 40;
    /// The number of hash functions (bits set per key).
    static constexpr std::uint32_t k = 8;

    /// Sized for params.expected_items at params.false_positive_rate: the smallest block count
    /// whose theoretical rate p(n, B) is <= the target. Throws vecta::invalid_argument naming
    /// params.expected_items (0, or needing more than 2^32 blocks), params.false_positive_rate
    /// (outside (0, 1) or NaN), hasher.seed (default hasher, above 32 bits). O(log B) sums.
    explicit basic_split_block_bloom_filter(const bloom_sizing& params, Hasher h = {}) : hasher_(std::move(h)) {
        constexpr std::string_view fn = "vecta::split_block_bloom_filter";
        detail::check_sizing(params, fn);
        detail::check_hasher_seed(hasher_, fn);
        const double n = double(params.expected_items), p = params.false_positive_rate, ln2 = std::log(2.0);
        const double max_blocks = double(max_bits / 256);
        const auto fpr = [&](double b) { return detail::sbbf_false_positive_rate(n, b); };
        double hi = std::max(1.0, std::ceil(-n * std::log(p) / (ln2 * ln2) / 256));
        double lo = 0;  // fpr(lo) > p or lo = 0
        while (hi <= max_blocks && fpr(hi) > p) {
            lo = hi;
            hi *= 2;
        }
        if (hi > max_blocks) {
            detail::require(fpr(max_blocks) <= p, fn, "params.expected_items",
                            "with this false_positive_rate needs more than 2^32 blocks");
            hi = max_blocks;
        }
        while (hi - lo > 1) {  // invariant: fpr(hi) <= p, lo == 0 or fpr(lo) > p
            const double mid = std::floor((lo + hi) / 2);
            (fpr(mid) <= p ? hi : lo) = mid;
        }
        blocks_ = static_cast<std::uint64_t>(hi);
        words_.assign(blocks_ * 8, 0);
    }

    /// Of the given shape: bits (or megabytes) rounded up to a multiple of 256; params.hashes must
    /// be 8. Throws vecta::invalid_argument naming params.bits / params.megabytes (0, both set,
    /// not finite, above max_bits), params.hashes (not 8), hasher.seed (see above).
    explicit basic_split_block_bloom_filter(const bloom_shape& params, Hasher h = {}) : hasher_(std::move(h)) {
        constexpr std::string_view fn = "vecta::split_block_bloom_filter";
        const std::uint64_t bits = detail::shape_bits(params, 256, max_bits, fn);
        detail::require(params.hashes == k, fn, "params.hashes",
                        "must be 8 (the split-block layout sets one bit in each of 8 words)");
        detail::check_hasher_seed(hasher_, fn);
        blocks_ = bits / 256;
        words_.assign(blocks_ * 8, 0);
    }

    basic_split_block_bloom_filter(const basic_split_block_bloom_filter&) = default;
    basic_split_block_bloom_filter& operator=(const basic_split_block_bloom_filter&) = default;
    /// Takes o's blocks. o is left with 0 blocks (bits(), blocks(), size_bytes() are 0): it
    /// contains no key and ignores inserts until a filter is assigned to it.
    basic_split_block_bloom_filter(basic_split_block_bloom_filter&& o) noexcept(
        std::is_nothrow_move_constructible_v<Hasher>)
        : hasher_(std::move(o.hasher_)),
          level_(o.level_),
#if VECTA_X86_DISPATCH
          avx2_(o.avx2_),
#endif
          blocks_(std::exchange(o.blocks_, 0)),
          words_(std::move(o.words_)) {
        o.words_.clear();
    }
    basic_split_block_bloom_filter& operator=(basic_split_block_bloom_filter&& o) noexcept(
        std::is_nothrow_move_assignable_v<Hasher>) {
        if (this != &o) {
            hasher_ = std::move(o.hasher_);
            level_ = o.level_;
#if VECTA_X86_DISPATCH
            avx2_ = o.avx2_;
#endif
            blocks_ = std::exchange(o.blocks_, 0);
            words_ = std::move(o.words_);
            o.words_.clear();
        }
        return *this;
    }

    /// Adds a 64-bit integer key. O(1).
    void insert(std::uint64_t key) noexcept { insert_hash(hasher_(key)); }
    /// Floating-point keys are refused at compile time: they would be truncated to integers
    /// silently (1.5 and 1 the same key; NaN undefined). Hash their bytes, or a canonical text.
    template <std::floating_point F>
    void insert(F) = delete;
    /// Adds a byte-string key. O(bytes).
    void insert(std::span<const std::byte> key) noexcept { insert_hash(hasher_(key)); }
    void insert(std::string_view key) noexcept { insert(detail::as_bytes(key)); }

    /// True when the key may have been inserted (false positives at about
    /// false_positive_rate()); false when it certainly was not. O(1): the hash and, on an AVX2
    /// CPU, the AVX2 probe inline in the caller, also in a build without -march (x86-64, GCC or
    /// Clang: inline assembly), so that a loop of contains keeps about as many keys' cache misses
    /// in flight as a -march=native build (docs/simd.md, W6).
    bool contains(std::uint64_t key) const noexcept { return contains_hash(hasher_(key)); }
    template <std::floating_point F>
    bool contains(F) const = delete;
    bool contains(std::span<const std::byte> key) const noexcept { return contains_hash(hasher_(key)); }
    bool contains(std::string_view key) const noexcept { return contains(detail::as_bytes(key)); }

    /// Inserts every key, in order, with the policy's SIMD choice. O(keys.size()).
    template <execution_policy P>
    void insert_many(const P& policy, std::span<const std::uint64_t> keys) noexcept {
        const simd::level l = detail::policy_level(policy);
        if (blocks_ == 0) return;  // moved from
        for (std::uint64_t key : keys) {
            const std::uint64_t h = hasher_(key);
            detail::sbbf_insert(l, block_of(h), static_cast<std::uint32_t>(h));
        }
    }
    void insert_many(std::span<const std::uint64_t> keys) noexcept { insert_many(seq, keys); }

    /// found[i] = contains(keys[i]) (1 or 0) for every i; returns the number found. Hashes a
    /// group of keys and prefetches their blocks before probing them; ranges of keys run in
    /// parallel under vecta::par; `vecta::seq | vecta::simd::scalar` forces the scalar probe
    /// (same answers). Throws vecta::invalid_argument naming "found" when its size differs from
    /// keys.size().
    template <execution_policy P>
    std::size_t contains_many(const P& policy, std::span<const std::uint64_t> keys,
                              std::span<std::uint8_t> found) const {
        detail::require(found.size() == keys.size(), "vecta::split_block_bloom_filter::contains_many", "found",
                        "must have the size of keys");
        constexpr std::size_t block = 16384, group = 16;
        const simd::level l = detail::policy_level(policy);
        if (blocks_ == 0) {  // moved from: contains nothing
            std::fill(found.begin(), found.end(), std::uint8_t(0));
            return 0;
        }
        std::vector<std::size_t> counts((keys.size() + block - 1) / block, 0);
        detail::parallel_for(policy, keys.size(), block, [&](std::size_t b, std::size_t e) {
            std::size_t c = 0;
            std::uint64_t hs[group];
            for (std::size_t i = b; i < e; i += group) {
                const std::size_t g = std::min(group, e - i);
                for (std::size_t j = 0; j < g; ++j) {
                    hs[j] = hasher_(keys[i + j]);
                    __builtin_prefetch(block_of(hs[j]));
                }
                for (std::size_t j = 0; j < g; ++j) {
                    const bool hit = detail::sbbf_find(l, block_of(hs[j]), static_cast<std::uint32_t>(hs[j]));
                    found[i + j] = hit ? 1 : 0;
                    c += hit;
                }
            }
            counts[b / block] = c;
        });
        std::size_t total = 0;
        for (std::size_t c : counts) total += c;
        return total;
    }
    std::size_t contains_many(std::span<const std::uint64_t> keys, std::span<std::uint8_t> found) const {
        return contains_many(seq, keys, found);
    }

    /// Union in place (exact, as for bloom_filter). Throws vecta::invalid_argument naming "other"
    /// unless the block count and hasher (id and seed) are equal. O(m / 32).
    basic_split_block_bloom_filter& unite(const basic_split_block_bloom_filter& other) {
        check_same_shape(other, "vecta::split_block_bloom_filter::unite");
        for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
        return *this;
    }
    /// Intersection in place (an upper bound of the common keys' filter, as for bloom_filter).
    /// Throws as unite does. O(m / 32).
    basic_split_block_bloom_filter& intersect(const basic_split_block_bloom_filter& other) {
        check_same_shape(other, "vecta::split_block_bloom_filter::intersect");
        for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
        return *this;
    }
    basic_split_block_bloom_filter& operator|=(const basic_split_block_bloom_filter& o) { return unite(o); }
    basic_split_block_bloom_filter& operator&=(const basic_split_block_bloom_filter& o) { return intersect(o); }

    /// Removes every key. O(m / 32).
    void clear() noexcept { std::fill(words_.begin(), words_.end(), 0u); }

    /// Number of bits m = 256 B.
    std::uint64_t bits() const noexcept { return blocks_ * 256; }
    /// Number of 256-bit blocks B.
    std::uint64_t blocks() const noexcept { return blocks_; }
    /// Number of hash functions (always 8).
    std::uint32_t hashes() const noexcept { return k; }
    /// Size of the bit array in bytes (32 B).
    std::size_t size_bytes() const noexcept { return words_.size() * 4; }
    /// The words, block after block (word j of block b at index 8 b + j).
    std::span<const std::uint32_t> words() const noexcept { return words_; }
    const Hasher& hash_function() const noexcept { return hasher_; }
    /// Number of bits set X. O(m / 32).
    std::uint64_t bits_set() const noexcept {
        std::uint64_t s = 0;
        for (std::uint32_t w : words_) s += std::uint64_t(std::popcount(w));
        return s;
    }

    /// Estimated number of distinct keys inserted, n* = -(m / 8) ln(1 - X / m) (Swamidass & Baldi
    /// 2007; with Poisson block loads the expected fraction of set bits is 1 - e^(-8 n / m) as in
    /// the classic filter, so the estimator carries over); +infinity when every bit is set.
    double estimated_count() const noexcept { return detail::swamidass_baldi(bits_set(), bits(), k); }

    /// False-positive rate of the filter as it is: the mean over blocks of prod_j (X_bj / 32), the
    /// chance that a random key finds its 8 bits set (X_bj = bits set in word j of block b).
    /// O(m / 32).
    double false_positive_rate() const noexcept {
        double sum = 0;
        for (std::uint64_t b = 0; b < blocks_; ++b) {
            double prod = 1;
            for (std::size_t j = 0; j < 8; ++j) prod *= double(std::popcount(words_[b * 8 + j])) / 32.0;
            sum += prod;
        }
        return blocks_ == 0 ? 0.0 : sum / double(blocks_);
    }

    /// Theoretical false-positive rate p(n, B) of a filter of `bits` bits (B = bits / 256 blocks)
    /// after `items` distinct insertions (see the top of this header). 0 for items = 0, 1 for
    /// bits < 256.
    static double theoretical_false_positive_rate(std::uint64_t bits, std::uint64_t items) noexcept {
        if (bits < 256) return 1;
        return detail::sbbf_false_positive_rate(double(items), double(bits / 256));
    }

    /// Serialized form (the byte format of bloom_filter.hpp, kind 2). O(m / 8).
    std::vector<std::byte> to_bytes() const {
        return detail::bloom_to_bytes<std::uint32_t>(detail::bloom_kind_split_block, detail::hasher_id<Hasher>(),
                                                     detail::hasher_seed(hasher_), bits(), k, words_);
    }

    /// Loads a filter written by to_bytes with a hasher of the same id and seed. Throws
    /// vecta::io_error with the reason when the bytes are truncated, corrupt, of another version
    /// or kind, or written with another hasher.
    static basic_split_block_bloom_filter from_bytes(std::span<const std::byte> bytes, Hasher h = {}) {
        constexpr std::string_view fn = "vecta::split_block_bloom_filter::from_bytes";
        const detail::bloom_header hd = detail::bloom_parse(bytes, detail::bloom_kind_split_block, 256, max_bits, fn);
        if (hd.hashes != k)
            detail::throw_io(fn, "corrupt header (hashes " + std::to_string(hd.hashes) + ", the layout has 8)");
        detail::check_hasher(hd, h, fn);
        basic_split_block_bloom_filter f(bloom_shape{.bits = hd.bits, .hashes = k}, std::move(h));
        detail::bloom_load_words(hd.payload, f.words_);
        return f;
    }

    /// Same block count, hasher seed and bits.
    friend bool operator==(const basic_split_block_bloom_filter& a, const basic_split_block_bloom_filter& b) noexcept {
        return a.blocks_ == b.blocks_ && detail::hasher_seed(a.hasher_) == detail::hasher_seed(b.hasher_) &&
               a.words_ == b.words_;
    }

private:
    void check_same_shape(const basic_split_block_bloom_filter& o, std::string_view fn) const {
        detail::require(o.blocks_ == blocks_ && detail::hasher_seed(o.hasher_) == detail::hasher_seed(hasher_), fn,
                        "other", "must have the same bits and hasher seed");
    }

    const std::uint32_t* block_of(std::uint64_t h) const noexcept {
        return words_.data() + detail::sbbf_block_index(h, blocks_) * 8;
    }
    std::uint32_t* block_of(std::uint64_t h) noexcept {
        return words_.data() + detail::sbbf_block_index(h, blocks_) * 8;
    }

    // The per-key insert and contains run level_, max_level() at construction: members, not the
    // process-wide atomic, so that in a caller's loop of contains(key) the level test, words_ and
    // blocks_ are loop-invariant (hoisted, the loop unswitched), and contains inlines the hash
    // and the AVX2 probe (inline assembly in a default x86-64 build: sbbf_find_hash_avx2). A
    // per-key loop is bound by how many keys' cache misses the out-of-order window holds, so
    // fewer instructions per key overlap more misses (docs/simd.md, W6).
    // blocks_ == 0 only in a moved-from filter (a loop-invariant test, hoisted with the level's).
    void insert_hash(std::uint64_t h) noexcept {
        if (blocks_ == 0) [[unlikely]]
            return;
#if VECTA_X86_DISPATCH
        if (avx2_) return detail::sbbf_insert_hash_avx2(words_.data(), blocks_, h);
#endif
        detail::sbbf_insert(level_, block_of(h), static_cast<std::uint32_t>(h));
    }
    bool contains_hash(std::uint64_t h) const noexcept {
        if (blocks_ == 0) [[unlikely]]
            return false;
#if VECTA_X86_DISPATCH
        return avx2_ ? detail::sbbf_find_hash_avx2(words_.data(), blocks_, h)
                     : detail::sbbf_find_hash(level_, words_.data(), blocks_, h);
#else
        return detail::sbbf_find(level_, block_of(h), static_cast<std::uint32_t>(h));
#endif
    }

    Hasher hasher_;
    simd::level level_ = simd::max_level();
#if VECTA_X86_DISPATCH
    bool avx2_ = simd::rank(level_) >= simd::rank(simd::level::avx2);
#endif
    std::uint64_t blocks_ = 0;
    std::vector<std::uint32_t, detail::huge_page_allocator<std::uint32_t>> words_;
};

/// The split-block Bloom filter with the default MurmurHash3 hasher.
using split_block_bloom_filter = basic_split_block_bloom_filter<>;

}  // namespace vecta
