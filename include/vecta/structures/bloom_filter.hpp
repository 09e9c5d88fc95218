// SPDX-License-Identifier: MIT
// vecta/structures/bloom_filter.hpp - the classic Bloom filter (Bloom 1970): k probes by double
// hashing (Kirsch & Mitzenmacher 2006) into an array of 64-bit words. Also the sizing
// parameters and the byte format shared with split_block_bloom_filter.hpp.
//
// Sizing (Bloom 1970; see e.g. Broder & Mitzenmacher 2004, "Network applications of Bloom
// filters"): for n expected items and a target false-positive rate p, the optimal number of bits
// and of hash functions are
//     m = -n ln p / (ln 2)^2        k = (m / n) ln 2      (rounded: m up to 64, k to nearest >= 1)
// and the false-positive rate after n insertions is (1 - e^(-k n / m))^k.
//
// Byte format (little-endian), version 1:
//     offset  0  magic "VCTBLOOM" (8 bytes)
//             8  u32 version (1)        12  u32 kind (1 classic, 2 split-block)
//            16  u32 hasher id          20  u32 reserved (0)
//            24  u64 hasher seed        32  u64 bits m       40  u64 hashes k
//            48  payload: the filter words, m / 8 bytes, each word little-endian
//        48+m/8  u32 CRC-32 (IEEE) of all the bytes before it
// Loading rejects with vecta::io_error: a wrong magic, version or kind, a non-zero reserved
// field, a shape that is not valid, a length other than 52 + m / 8 (truncated or trailing
// bytes), a checksum mismatch (CRC-32 detects every single-byte corruption) and a hasher
// whose id or seed differs from the one recorded.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/huge_page_allocator.hpp"
#include "hash.hpp"

namespace vecta {

/// Sizing of a Bloom filter from the expected number of items and the target false-positive
/// rate: `{.expected_items = 1'000'000, .false_positive_rate = 0.01}`.
struct bloom_sizing {
    /// Number of distinct items the filter is sized for (>= 1).
    std::uint64_t expected_items = 0;
    /// Target false-positive rate at expected_items, in (0, 1).
    double false_positive_rate = 0.01;
};

/// Explicit shape of a Bloom filter: `{.bits = 80'000'000, .hashes = 7}` or
/// `{.megabytes = 16, .hashes = 7}`. Set exactly one of bits and megabytes.
struct bloom_shape {
    /// Size in bits (>= 1); rounded up to the filter's word (64 bits) or block (256 bits).
    std::uint64_t bits = 0;
    /// Size in MiB (2^20 bytes), > 0 and finite; an alternative to bits.
    double megabytes = 0;
    /// Number of hash functions (probes) k, >= 1 (the split-block filter requires 8).
    std::uint32_t hashes = 0;
};

namespace detail {

inline constexpr std::size_t bloom_header_bytes = 48;
inline constexpr std::size_t bloom_trailer_bytes = 4;
inline constexpr std::uint32_t bloom_format_version = 1;
inline constexpr std::uint32_t bloom_kind_classic = 1;
inline constexpr std::uint32_t bloom_kind_split_block = 2;
inline constexpr char bloom_magic[8] = {'V', 'C', 'T', 'B', 'L', 'O', 'O', 'M'};

/// Bits of a bloom_shape: `bits`, or `megabytes` * 2^23, validated, rounded up to a multiple of
/// `granule`, at most `max_bits`.
inline std::uint64_t shape_bits(const bloom_shape& s, std::uint64_t granule, std::uint64_t max_bits,
                                std::string_view fn) {
    require(!(s.bits != 0 && s.megabytes != 0), fn, "params", "must set bits or megabytes, not both");
    std::uint64_t bits = s.bits;
    if (s.bits == 0) {
        require(std::isfinite(s.megabytes) && s.megabytes > 0, fn, "params.bits",
                "must be >= 1 (or params.megabytes > 0 and finite)");
        const double b = std::ceil(s.megabytes * 8388608.0);
        require(b <= double(max_bits), fn, "params.megabytes",
                "exceeds the largest filter (" + std::to_string(max_bits / 8388608) + " MiB)");
        bits = static_cast<std::uint64_t>(b);
    }
    require(bits <= max_bits, fn, "params.bits", "exceeds the largest filter (" + std::to_string(max_bits) + " bits)");
    return (bits + granule - 1) / granule * granule;
}

inline void check_sizing(const bloom_sizing& s, std::string_view fn) {
    require(s.expected_items >= 1, fn, "params.expected_items", "must be >= 1");
    require(s.false_positive_rate > 0 && s.false_positive_rate < 1, fn, "params.false_positive_rate",
            "must be in (0, 1)");
}

inline void put_u32(std::byte* p, std::uint32_t v) noexcept {
    for (int i = 0; i < 4; ++i) p[i] = std::byte(v >> (8 * i));
}
inline void put_u64(std::byte* p, std::uint64_t v) noexcept {
    for (int i = 0; i < 8; ++i) p[i] = std::byte(v >> (8 * i));
}
inline std::uint32_t get_u32(const std::byte* p) noexcept {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint32_t>(p[i]);
    return v;
}

/// Serializes a filter (see the byte format at the top of this header).
template <class Word>
std::vector<std::byte> bloom_to_bytes(std::uint32_t kind, std::uint32_t hasher_id, std::uint64_t seed,
                                      std::uint64_t bits, std::uint64_t hashes, std::span<const Word> words) {
    const std::size_t payload = words.size() * sizeof(Word);
    std::vector<std::byte> out(bloom_header_bytes + payload + bloom_trailer_bytes);
    std::byte* p = out.data();
    std::memcpy(p, bloom_magic, 8);
    put_u32(p + 8, bloom_format_version);
    put_u32(p + 12, kind);
    put_u32(p + 16, hasher_id);
    put_u32(p + 20, 0);
    put_u64(p + 24, seed);
    put_u64(p + 32, bits);
    put_u64(p + 40, hashes);
    std::byte* q = p + bloom_header_bytes;
    if constexpr (std::endian::native == std::endian::little) {
        if (payload) std::memcpy(q, words.data(), payload);
    } else {
        for (std::size_t i = 0; i < words.size(); ++i)
            for (std::size_t b = 0; b < sizeof(Word); ++b) q[i * sizeof(Word) + b] = std::byte(words[i] >> (8 * b));
    }
    put_u32(q + payload, crc32(std::span<const std::byte>(p, bloom_header_bytes + payload)));
    return out;
}

/// The header fields of a serialized filter whose magic, version, kind, length and checksum
/// have been checked.
struct bloom_header {
    std::uint32_t hasher_id;
    std::uint64_t seed, bits, hashes;
    std::span<const std::byte> payload;
};

[[noreturn]] inline void throw_io(std::string_view fn, const std::string& what) {
    throw io_error(std::string(fn) + ": " + what);
}

/// Parses and checks a serialized filter of `kind` whose bits must be a non-zero multiple of
/// `granule` and at most `max_bits`. Throws vecta::io_error naming the first problem found.
inline bloom_header bloom_parse(std::span<const std::byte> bytes, std::uint32_t kind, std::uint64_t granule,
                                std::uint64_t max_bits, std::string_view fn) {
    const std::size_t min_size = bloom_header_bytes + bloom_trailer_bytes;
    if (bytes.size() < min_size)
        throw_io(fn, "truncated data: " + std::to_string(bytes.size()) + " bytes, a filter has at least " +
                         std::to_string(min_size));
    const std::byte* p = bytes.data();
    if (std::memcmp(p, bloom_magic, 8) != 0) throw_io(fn, "not a vecta Bloom filter (bad magic)");
    const std::uint32_t version = get_u32(p + 8);
    if (version != bloom_format_version)
        throw_io(fn, "unsupported format version " + std::to_string(version) + " (this build reads version 1)");
    const std::uint32_t k = get_u32(p + 12);
    if (k != kind) {
        const auto name = [](std::uint32_t x) {
            return x == bloom_kind_classic       ? std::string("classic")
                   : x == bloom_kind_split_block ? std::string("split-block")
                                                 : "unknown (" + std::to_string(x) + ")";
        };
        throw_io(fn, "the data holds a " + name(k) + " filter, not a " + name(kind) + " one");
    }
    if (get_u32(p + 20) != 0) throw_io(fn, "corrupt header (reserved field is not 0)");
    bloom_header h{get_u32(p + 16), load_le64(p + 24), load_le64(p + 32), load_le64(p + 40), {}};
    if (h.bits == 0 || h.bits % granule != 0 || h.bits > max_bits)
        throw_io(fn, "corrupt header (bits " + std::to_string(h.bits) + " is not a valid filter size)");
    const std::uint64_t expected = bloom_header_bytes + h.bits / 8 + bloom_trailer_bytes;
    if (bytes.size() < expected)
        throw_io(fn, "truncated data: " + std::to_string(bytes.size()) + " bytes, the header announces " +
                         std::to_string(expected));
    if (bytes.size() > expected)
        throw_io(fn, std::to_string(bytes.size() - expected) + " trailing bytes after the filter");
    const std::size_t body = bytes.size() - bloom_trailer_bytes;
    if (crc32(bytes.first(body)) != get_u32(p + body)) throw_io(fn, "checksum mismatch (corrupt data)");
    h.payload = bytes.subspan(bloom_header_bytes, body - bloom_header_bytes);
    return h;
}

template <class H>
void check_hasher(const bloom_header& h, const H& hasher, std::string_view fn) {
    if (h.hasher_id != hasher_id<H>())
        throw_io(fn, "hasher mismatch: the data was written with hasher id " + std::to_string(h.hasher_id) +
                         ", loading with id " + std::to_string(hasher_id<H>()));
    if (h.seed != hasher_seed(hasher))
        throw_io(fn, "hasher mismatch: the data was written with seed " + std::to_string(h.seed) +
                         ", loading with seed " + std::to_string(hasher_seed(hasher)));
}

template <class Word, class Alloc>
void bloom_load_words(std::span<const std::byte> payload, std::vector<Word, Alloc>& words) {
    if constexpr (std::endian::native == std::endian::little) {
        if (!payload.empty()) std::memcpy(words.data(), payload.data(), payload.size());
    } else {
        for (std::size_t i = 0; i < words.size(); ++i) {
            Word w = 0;
            for (std::size_t b = sizeof(Word); b-- > 0;)
                w = Word(w << 8) | std::to_integer<Word>(payload[i * sizeof(Word) + b]);
            words[i] = w;
        }
    }
}

/// Swamidass & Baldi (2007): n* = -(m / k) ln(1 - X / m) for X of m bits set; +inf when full.
inline double swamidass_baldi(std::uint64_t set, std::uint64_t bits, std::uint64_t hashes) noexcept {
    if (set >= bits) return std::numeric_limits<double>::infinity();
    return -(double(bits) / double(hashes)) * std::log1p(-double(set) / double(bits));
}

template <class H>
void check_hasher_seed(const H& h, std::string_view fn) {
    if constexpr (std::is_same_v<H, murmur3_hasher>)
        require(h.seed <= 0xFFFFFFFFull, fn, "hasher.seed", "must fit in 32 bits (MurmurHash3 takes a 32-bit seed)");
}

__extension__ using uint128_t = unsigned __int128;
/// The high 64 bits of a * b: (g * m) >> 64 maps a uniform 64-bit g to [0, m).
inline std::uint64_t mul_hi64(std::uint64_t a, std::uint64_t b) noexcept {
    return static_cast<std::uint64_t>((static_cast<uint128_t>(a) * b) >> 64);
}

}  // namespace detail

/// Classic Bloom filter (B. H. Bloom, "Space/time trade-offs in hash coding with allowable
/// errors", CACM 1970) over m bits in 64-bit words. A key's 64-bit hash h gives h1 = h and
/// h2 = fmix64(h) | 1, and the k probes g_i = h1 + i h2 (mod 2^64), i = 0..k-1 (double hashing,
/// Kirsch & Mitzenmacher, "Less hashing, same performance", ESA 2006), each mapped to a bit by
/// the multiply-shift range reduction (g_i m) >> 64 (Lemire 2019).
///
/// insert and contains are O(k), noexcept (a throwing hasher terminates) and touch up to k cache
/// lines. Not thread-safe for concurrent inserts (nor an insert concurrent with contains);
/// concurrent contains on an unchanging filter are safe.
template <hasher Hasher = murmur3_hasher>
class basic_bloom_filter {
public:
    using hasher_type = Hasher;
    /// Largest size: 2^48 bits (32 TiB).
    static constexpr std::uint64_t max_bits = std::uint64_t(1) << 48;
    /// Largest number of hash functions.
    static constexpr std::uint32_t max_hashes = 64;

    /// Sized for params.expected_items at params.false_positive_rate with the optimal m and k
    /// (see the top of this header). Throws vecta::invalid_argument naming params.expected_items
    /// (0), params.false_positive_rate (outside (0, 1) or NaN), or the size when m would exceed
    /// max_bits, and hasher.seed when the default hasher's seed exceeds 32 bits.
    explicit basic_bloom_filter(const bloom_sizing& params, Hasher h = {}) : hasher_(std::move(h)) {
        constexpr std::string_view fn = "vecta::bloom_filter";
        detail::check_sizing(params, fn);
        detail::check_hasher_seed(hasher_, fn);
        const double ln2 = std::log(2.0), n = double(params.expected_items);
        const double m = std::ceil(-n * std::log(params.false_positive_rate) / (ln2 * ln2));
        detail::require(m <= double(max_bits), fn, "params.expected_items",
                        "with this false_positive_rate needs more than 2^48 bits");
        bits_ = (static_cast<std::uint64_t>(std::max(m, 1.0)) + 63) / 64 * 64;
        const double k = std::round(double(bits_) / n * ln2);
        hashes_ = static_cast<std::uint32_t>(std::clamp(k, 1.0, double(max_hashes)));
        words_.assign(bits_ / 64, 0);
    }

    /// Of the given shape: bits (or megabytes) rounded up to a multiple of 64, and k hashes.
    /// Throws vecta::invalid_argument naming params.bits / params.megabytes (0, both set, not
    /// finite, or above max_bits), params.hashes (0 or above 64), hasher.seed (see above).
    explicit basic_bloom_filter(const bloom_shape& params, Hasher h = {}) : hasher_(std::move(h)) {
        constexpr std::string_view fn = "vecta::bloom_filter";
        bits_ = detail::shape_bits(params, 64, max_bits, fn);
        detail::require(params.hashes >= 1 && params.hashes <= max_hashes, fn, "params.hashes", "must be in [1, 64]");
        detail::check_hasher_seed(hasher_, fn);
        hashes_ = params.hashes;
        words_.assign(bits_ / 64, 0);
    }

    basic_bloom_filter(const basic_bloom_filter&) = default;
    basic_bloom_filter& operator=(const basic_bloom_filter&) = default;
    /// Takes o's bits. o is left with 0 bits and 0 hashes (bits(), hashes(), size_bytes() are 0):
    /// it contains no key and ignores inserts until a filter is assigned to it.
    basic_bloom_filter(basic_bloom_filter&& o) noexcept(std::is_nothrow_move_constructible_v<Hasher>)
        : hasher_(std::move(o.hasher_)),
          bits_(std::exchange(o.bits_, 0)),
          hashes_(std::exchange(o.hashes_, 0)),
          words_(std::move(o.words_)) {
        o.words_.clear();
    }
    basic_bloom_filter& operator=(basic_bloom_filter&& o) noexcept(std::is_nothrow_move_assignable_v<Hasher>) {
        if (this != &o) {
            hasher_ = std::move(o.hasher_);
            bits_ = std::exchange(o.bits_, 0);
            hashes_ = std::exchange(o.hashes_, 0);
            words_ = std::move(o.words_);
            o.words_.clear();
        }
        return *this;
    }

    /// Adds a 64-bit integer key. O(k).
    void insert(std::uint64_t key) noexcept { insert_hash(hasher_(key)); }
    /// Floating-point keys are refused at compile time: they would be truncated to integers
    /// silently (1.5 and 1 the same key; NaN undefined). Hash their bytes, or a canonical text.
    template <std::floating_point F>
    void insert(F) = delete;
    /// Adds a byte-string key. O(k + bytes).
    void insert(std::span<const std::byte> key) noexcept { insert_hash(hasher_(key)); }
    void insert(std::string_view key) noexcept { insert(detail::as_bytes(key)); }

    /// True when the key may have been inserted (false positives at about
    /// false_positive_rate()); false when it certainly was not. O(k).
    bool contains(std::uint64_t key) const noexcept { return contains_hash(hasher_(key)); }
    template <std::floating_point F>
    bool contains(F) const = delete;
    bool contains(std::span<const std::byte> key) const noexcept { return contains_hash(hasher_(key)); }
    bool contains(std::string_view key) const noexcept { return contains(detail::as_bytes(key)); }

    /// Inserts every key, in order. O(keys.size() k).
    void insert_many(std::span<const std::uint64_t> keys) noexcept {
        for (std::uint64_t k : keys) insert(k);
    }

    /// found[i] = contains(keys[i]) (1 or 0) for every i; returns the number found. Ranges of keys
    /// run in parallel under vecta::par. Throws vecta::invalid_argument naming "found" when its
    /// size differs from keys.size().
    template <execution_policy P>
    std::size_t contains_many(const P& policy, std::span<const std::uint64_t> keys,
                              std::span<std::uint8_t> found) const {
        detail::require(found.size() == keys.size(), "vecta::bloom_filter::contains_many", "found",
                        "must have the size of keys");
        constexpr std::size_t block = 16384;
        std::vector<std::size_t> counts((keys.size() + block - 1) / block, 0);
        detail::parallel_for(policy, keys.size(), block, [&](std::size_t b, std::size_t e) {
            std::size_t c = 0;
            for (std::size_t i = b; i < e; ++i) c += (found[i] = contains(keys[i]) ? 1 : 0);
            counts[b / block] = c;
        });
        std::size_t total = 0;
        for (std::size_t c : counts) total += c;
        return total;
    }
    std::size_t contains_many(std::span<const std::uint64_t> keys, std::span<std::uint8_t> found) const {
        return contains_many(seq, keys, found);
    }

    /// Union in place: afterwards contains every key either filter contains (exact: the result
    /// equals a filter into which both key sets were inserted). Throws vecta::invalid_argument
    /// naming "other" unless bits, hashes and hasher (id and seed) are equal. O(m / 64).
    basic_bloom_filter& unite(const basic_bloom_filter& other) {
        check_same_shape(other, "vecta::bloom_filter::unite");
        for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
        return *this;
    }
    /// Intersection in place: contains every key both filters contain (it may hold more bits than
    /// a filter of the common keys, so its false-positive rate and estimated_count are upper
    /// bounds). Throws as unite does. O(m / 64).
    basic_bloom_filter& intersect(const basic_bloom_filter& other) {
        check_same_shape(other, "vecta::bloom_filter::intersect");
        for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
        return *this;
    }
    basic_bloom_filter& operator|=(const basic_bloom_filter& other) { return unite(other); }
    basic_bloom_filter& operator&=(const basic_bloom_filter& other) { return intersect(other); }

    /// Removes every key. O(m / 64).
    void clear() noexcept { std::fill(words_.begin(), words_.end(), 0); }

    /// Number of bits m (a multiple of 64).
    std::uint64_t bits() const noexcept { return bits_; }
    /// Number of hash functions k.
    std::uint32_t hashes() const noexcept { return hashes_; }
    /// Size of the bit array in bytes (m / 8).
    std::size_t size_bytes() const noexcept { return words_.size() * 8; }
    /// The bit array: bit i is bit (i % 64) of word i / 64.
    std::span<const std::uint64_t> words() const noexcept { return words_; }
    const Hasher& hash_function() const noexcept { return hasher_; }
    /// Number of bits set X. O(m / 64).
    std::uint64_t bits_set() const noexcept {
        std::uint64_t s = 0;
        for (std::uint64_t w : words_) s += std::uint64_t(std::popcount(w));
        return s;
    }

    /// Estimated number of distinct keys inserted, n* = -(m / k) ln(1 - X / m) (Swamidass &
    /// Baldi, "Mathematical correction for fingerprint similarity measures to improve chemical
    /// retrieval", J. Chem. Inf. Model. 2007); +infinity when every bit is set. O(m / 64).
    double estimated_count() const noexcept { return detail::swamidass_baldi(bits_set(), bits_, hashes_); }

    /// False-positive rate of the filter as it is: (X / m)^k, the chance that k independent
    /// uniform probes all find a set bit. O(m / 64).
    double false_positive_rate() const noexcept {
        return bits_ == 0 ? 0.0 : std::pow(double(bits_set()) / double(bits_), hashes_);  // 0 bits: moved from
    }

    /// Theoretical false-positive rate of a filter of `bits` bits and `hashes` hash functions after
    /// `items` distinct insertions: (1 - e^(-k n / m))^k (Bloom 1970). Returns 0 for items = 0.
    static double theoretical_false_positive_rate(std::uint64_t bits, std::uint32_t hashes,
                                                  std::uint64_t items) noexcept {
        if (bits == 0) return 1;
        const double k = double(hashes);
        return std::pow(-std::expm1(-k * double(items) / double(bits)), k);
    }

    /// Serialized form (see the byte format at the top of this header). O(m / 8).
    std::vector<std::byte> to_bytes() const {
        return detail::bloom_to_bytes<std::uint64_t>(detail::bloom_kind_classic, detail::hasher_id<Hasher>(),
                                                     detail::hasher_seed(hasher_), bits_, hashes_, words_);
    }

    /// Loads a filter written by to_bytes with a hasher of the same id and seed. Throws
    /// vecta::io_error with the reason when the bytes are truncated, corrupt (checksum, magic,
    /// header fields), of another version or kind, or written with another hasher.
    static basic_bloom_filter from_bytes(std::span<const std::byte> bytes, Hasher h = {}) {
        constexpr std::string_view fn = "vecta::bloom_filter::from_bytes";
        const detail::bloom_header hd = detail::bloom_parse(bytes, detail::bloom_kind_classic, 64, max_bits, fn);
        if (hd.hashes < 1 || hd.hashes > max_hashes)
            detail::throw_io(fn, "corrupt header (hashes " + std::to_string(hd.hashes) + " is not in [1, 64])");
        detail::check_hasher(hd, h, fn);
        basic_bloom_filter f(bloom_shape{.bits = hd.bits, .hashes = static_cast<std::uint32_t>(hd.hashes)},
                             std::move(h));
        detail::bloom_load_words(hd.payload, f.words_);
        return f;
    }

    /// Same shape, hasher id and seed, and bits.
    friend bool operator==(const basic_bloom_filter& a, const basic_bloom_filter& b) noexcept {
        return a.bits_ == b.bits_ && a.hashes_ == b.hashes_ &&
               detail::hasher_seed(a.hasher_) == detail::hasher_seed(b.hasher_) && a.words_ == b.words_;
    }

private:
    void check_same_shape(const basic_bloom_filter& o, std::string_view fn) const {
        detail::require(
            o.bits_ == bits_ && o.hashes_ == hashes_ && detail::hasher_seed(o.hasher_) == detail::hasher_seed(hasher_),
            fn, "other", "must have the same bits, hashes and hasher seed");
    }

    void insert_hash(std::uint64_t h) noexcept {
        const std::uint64_t h2 = fmix64(h) | 1;
        std::uint64_t g = h;
        for (std::uint32_t i = 0; i < hashes_; ++i, g += h2) {
            const std::uint64_t bit = detail::mul_hi64(g, bits_);
            words_[bit >> 6] |= std::uint64_t(1) << (bit & 63);
        }
    }
    bool contains_hash(std::uint64_t h) const noexcept {
        const std::uint64_t h2 = fmix64(h) | 1;
        std::uint64_t g = h;
        for (std::uint32_t i = 0; i < hashes_; ++i, g += h2) {
            const std::uint64_t bit = detail::mul_hi64(g, bits_);
            if (!((words_[bit >> 6] >> (bit & 63)) & 1)) return false;
        }
        return hashes_ != 0;  // a moved-from filter (no probes) contains nothing
    }

    Hasher hasher_;
    std::uint64_t bits_ = 0;
    std::uint32_t hashes_ = 0;
    std::vector<std::uint64_t, detail::huge_page_allocator<std::uint64_t>> words_;
};

/// The classic Bloom filter with the default MurmurHash3 hasher.
using bloom_filter = basic_bloom_filter<>;

}  // namespace vecta
