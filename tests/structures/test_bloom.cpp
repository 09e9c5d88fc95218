// SPDX-License-Identifier: MIT
// Bloom filters: construction rules, sizing formulas, no false negatives, layout against naive
// references written from the papers / the Parquet specification, union and intersection,
// estimated_count, SIMD == scalar, serialization round trip and every corruption / truncation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vecta/core/error.hpp>
#include <vecta/structures/bloom_filter.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {

std::vector<std::uint64_t> random_keys(std::size_t n, std::uint64_t seed) {
    std::vector<std::uint64_t> v(n);
    std::uint64_t s = seed;
    for (auto& k : v) {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        k = z ^ (z >> 31);
    }
    return v;
}

// The hasher documented in hash.hpp for XXH3.
struct xxh3_hasher {
    static constexpr std::uint32_t id = 0x33485858;
    std::uint64_t seed = 0;
    std::uint64_t operator()(std::span<const std::byte> s) const noexcept {
        return XXH3_64bits_withSeed(s.data(), s.size(), seed);
    }
    std::uint64_t operator()(std::uint64_t k) const noexcept { return vecta::mix64(k, seed); }
};

// Naive classic reference: bit (g_i * m) >> 64 of g_i = h + i (fmix64(h) | 1), in long arithmetic.
std::vector<std::uint64_t> classic_reference(std::uint64_t bits, std::uint32_t k,
                                             const std::vector<std::uint64_t>& keys) {
    std::vector<std::uint64_t> w(bits / 64, 0);
    for (std::uint64_t key : keys) {
        const std::uint64_t h = vecta::mix64(key, 0), h2 = vecta::fmix64(h) | 1;
        for (std::uint32_t i = 0; i < k; ++i) {
            const std::uint64_t g = h + std::uint64_t(i) * h2;
            // (g * m) >> 64 by schoolbook 32-bit halves.
            const std::uint64_t gl = g & 0xFFFFFFFFu, gh = g >> 32, ml = bits & 0xFFFFFFFFu, mh = bits >> 32;
            const std::uint64_t mid1 = gh * ml + ((gl * ml) >> 32);
            const std::uint64_t mid2 = gl * mh + (mid1 & 0xFFFFFFFFu);
            const std::uint64_t bit = gh * mh + (mid1 >> 32) + (mid2 >> 32);
            w[bit / 64] |= std::uint64_t(1) << (bit % 64);
        }
    }
    return w;
}

// Naive split-block reference from the Parquet specification (BloomFilter.md).
std::vector<std::uint32_t> sbbf_reference(std::uint64_t blocks, const std::vector<std::uint64_t>& keys) {
    const std::uint32_t salt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                   0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};
    std::vector<std::uint32_t> w(blocks * 8, 0);
    for (std::uint64_t key : keys) {
        const std::uint64_t h = vecta::mix64(key, 0);
        const std::uint64_t b = ((h >> 32) * blocks) >> 32;
        const std::uint32_t x = std::uint32_t(h);
        for (int j = 0; j < 8; ++j) {
            const std::uint32_t y = std::uint32_t(x * salt[j]);
            w[b * 8 + j] |= std::uint32_t(1) << (y >> 27);
        }
    }
    return w;
}

}  // namespace

TEST_CASE_TEMPLATE("bloom filters: bad constructor arguments throw invalid_argument naming the argument", F,
                   vecta::bloom_filter, vecta::split_block_bloom_filter) {
    using vecta::invalid_argument;
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(F({.expected_items = 0, .false_positive_rate = 0.01}),
                         doctest::Contains("params.expected_items"), invalid_argument);
    for (double p : {0.0, 1.0, -0.5, 1.5, nan})
        CHECK_THROWS_WITH_AS(F({.expected_items = 10, .false_positive_rate = p}),
                             doctest::Contains("params.false_positive_rate"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.expected_items = std::uint64_t(1) << 62, .false_positive_rate = 1e-9}),
                         doctest::Contains("params.expected_items"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.bits = 0, .hashes = 8}), doctest::Contains("params.bits"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.bits = 1024, .megabytes = 1, .hashes = 8}), doctest::Contains("params"), invalid_argument);
    for (double mb : {nan, inf, -1.0})
        CHECK_THROWS_WITH_AS(F({.megabytes = mb, .hashes = 8}), doctest::Contains("params.bits"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.megabytes = 1e12, .hashes = 8}), doctest::Contains("params.megabytes"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.bits = std::numeric_limits<std::uint64_t>::max(), .hashes = 8}),
                         doctest::Contains("params.bits"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.bits = 1024, .hashes = 0}), doctest::Contains("params.hashes"), invalid_argument);
    CHECK_THROWS_WITH_AS(F({.bits = 1024, .hashes = 8}, vecta::murmur3_hasher{.seed = std::uint64_t(1) << 32}),
                         doctest::Contains("hasher.seed"), invalid_argument);
    F ok({.megabytes = 1.0 / 1024, .hashes = 8});  // 1 KiB
    CHECK(ok.bits() == 8192);
    std::vector<std::uint8_t> found(3);
    const std::uint64_t keys[2] = {1, 2};
    CHECK_THROWS_WITH_AS(ok.contains_many(keys, found), doctest::Contains("found"), invalid_argument);
}

TEST_CASE("bloom filters: per-kind argument rules") {
    CHECK_THROWS_WITH_AS(vecta::bloom_filter({.bits = 1024, .hashes = 65}), doctest::Contains("params.hashes"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::split_block_bloom_filter({.bits = 1024, .hashes = 7}),
                         doctest::Contains("params.hashes"), vecta::invalid_argument);
    CHECK(vecta::bloom_filter({.bits = 1, .hashes = 1}).bits() == 64);
    CHECK(vecta::split_block_bloom_filter({.bits = 257, .hashes = 8}).bits() == 512);
}

TEST_CASE("bloom_filter: optimal m and k from (n, p)") {
    for (auto [n, p] : {std::pair{1'000'000ull, 0.01}, {12345ull, 0.001}, {1ull, 0.5}, {10'000'000ull, 0.05}}) {
        const vecta::bloom_filter f({.expected_items = n, .false_positive_rate = p});
        const double m = std::ceil(-double(n) * std::log(p) / (std::log(2.0) * std::log(2.0)));
        const auto bits = (std::uint64_t(m) + 63) / 64 * 64;
        CHECK(f.bits() == bits);
        CHECK(f.hashes() ==
              std::max<std::uint32_t>(1, std::uint32_t(std::lround(double(bits) / double(n) * std::log(2.0)))));
    }
    CHECK(vecta::bloom_filter({.expected_items = 1'000'000, .false_positive_rate = 0.01}).hashes() == 7);
}

TEST_CASE("split_block_bloom_filter: sizing picks the smallest block count meeting p") {
    // p(n, B) summed directly from the Poisson pmf (independent of the header's log-space sum).
    const auto theory = [](double n, double blocks) {
        const double lambda = n / blocks;
        double pmf = std::exp(-lambda), sum = 0;
        for (int i = 0; i < 2000; ++i) {
            sum += pmf * std::pow(1 - std::pow(31.0 / 32.0, i), 8);
            pmf *= lambda / (i + 1);
        }
        return sum;
    };
    for (auto [n, p] : {std::pair{1'000'000ull, 0.01}, {5000ull, 0.001}, {100ull, 0.2}}) {
        const vecta::split_block_bloom_filter f({.expected_items = n, .false_positive_rate = p});
        const double b = double(f.blocks());
        CHECK(theory(double(n), b) <= p * (1 + 1e-9));
        if (b > 1) CHECK(theory(double(n), b - 1) > p * (1 - 1e-9));
        CHECK(vecta::split_block_bloom_filter::theoretical_false_positive_rate(f.bits(), n) ==
              doctest::Approx(theory(double(n), b)).epsilon(1e-9));
    }
}

TEST_CASE_TEMPLATE("bloom filters: no false negatives for integers and byte strings", F, vecta::bloom_filter,
                   vecta::split_block_bloom_filter) {
    F f({.expected_items = 20000, .false_positive_rate = 0.01});
    const auto keys = random_keys(10000, 1);
    for (auto k : keys) f.insert(k);
    std::vector<std::string> words;
    for (int i = 0; i < 10000; ++i) words.push_back("frame-" + std::to_string(i));
    for (const auto& w : words) f.insert(std::string_view{w});
    for (auto k : keys) CHECK_UNARY(f.contains(k));
    for (const auto& w : words) {
        CHECK_UNARY(f.contains(std::string_view{w}));
        CHECK_UNARY(f.contains(std::as_bytes(std::span<const char>(w.data(), w.size()))));
    }
    // Inserting again changes nothing; clear empties.
    const auto before = f.bits_set();
    for (auto k : keys) f.insert(k);
    CHECK(f.bits_set() == before);
    f.clear();
    CHECK(f.bits_set() == 0);
    CHECK_FALSE(f.contains(keys[0]));
    CHECK(f.false_positive_rate() == 0);
}

TEST_CASE("bloom filters: bit layout equals naive references (Kirsch-Mitzenmacher, Parquet SBBF)") {
    const auto keys = random_keys(3000, 2);
    vecta::bloom_filter c({.bits = 50'000, .hashes = 5});
    c.insert_many(keys);
    const auto ref = classic_reference(c.bits(), 5, keys);
    CHECK(std::equal(ref.begin(), ref.end(), c.words().begin(), c.words().end()));

    vecta::split_block_bloom_filter s({.bits = 40'000, .hashes = 8});
    for (auto k : keys) s.insert(k);
    const auto sref = sbbf_reference(s.blocks(), keys);
    CHECK(std::equal(sref.begin(), sref.end(), s.words().begin(), s.words().end()));
    // Every inserted key sets exactly one bit per word of its block: 8 bits at most per key.
    CHECK(s.bits_set() <= 8 * keys.size());
}

TEST_CASE("split_block_bloom_filter: SIMD and scalar probes agree, seq and par agree") {
    const auto keys = random_keys(40000, 3), probe = random_keys(100000, 4);
    vecta::split_block_bloom_filter a({.bits = 400'000, .hashes = 8}), b({.bits = 400'000, .hashes = 8});
    a.insert_many(vecta::seq, keys);
    b.insert_many(vecta::seq | vecta::simd::scalar, keys);
    CHECK(a == b);
    std::vector<std::uint8_t> native(probe.size()), scalar(probe.size()), par(probe.size()), single(probe.size());
    const auto n1 = a.contains_many(vecta::seq, probe, native);
    const auto n2 = a.contains_many(vecta::seq | vecta::simd::scalar, probe, scalar);
    const auto n3 = a.contains_many(vecta::par, probe, par);
    std::size_t n4 = 0;
    for (std::size_t i = 0; i < probe.size(); ++i) n4 += single[i] = a.contains(probe[i]);
    CHECK(native == scalar);
    CHECK(native == par);
    CHECK(native == single);
    CHECK(n1 == n2);
    CHECK(n1 == n3);
    CHECK(n1 == n4);
    CHECK(n1 > 0);  // about 20 % false positives at this load, so both answers are exercised
    CHECK(n1 < probe.size());
    // Kernel level, on random blocks and keys, against the plain formula.
    const auto rnd = random_keys(8 * 2000, 5);
    alignas(32) std::uint32_t block[8];
    for (std::size_t t = 0; t < 2000; ++t) {
        for (int j = 0; j < 8; ++j)
            block[j] = std::uint32_t(rnd[t * 8 + std::size_t(j)] | rnd[(t * 8 + 3) % rnd.size()]);
        const std::uint32_t x = std::uint32_t(rnd[t] >> 7);
        bool expect = true;
        for (int j = 0; j < 8; ++j) expect &= ((block[j] >> ((x * vecta::detail::sbbf_salt[j]) >> 27)) & 1u) != 0;
        for (vecta::simd::level l : {vecta::simd::level::scalar, vecta::simd::level::sse2, vecta::simd::level::avx2}) {
            if (vecta::simd::rank(l) > vecta::simd::rank(vecta::simd::max_level())) continue;
            CHECK(vecta::detail::sbbf_find(l, block, x) == expect);
            alignas(32) std::uint32_t set[8] = {}, ref[8] = {};
            vecta::detail::sbbf_insert(l, set, x);
            vecta::detail::sbbf_insert_scalar(ref, x);
            CHECK(std::equal(set, set + 8, ref));
        }
    }
}

TEST_CASE("split_block_bloom_filter: per-key insert and contains at each level taken at construction") {
    // insert(key) and contains(key) run the level max_level() had when the filter was made (the
    // AVX2 call, or the out-of-line SSE2 / scalar probe): every level gives the reference bits and,
    // for present and absent keys, the answer of the plain formula on those bits.
    namespace vs = vecta::simd;
    const auto keys = random_keys(5000, 6), probe = random_keys(20000, 7);
    std::vector<std::uint64_t> all = keys;
    all.insert(all.end(), probe.begin(), probe.end());
    std::vector<std::uint32_t> sref;
    std::vector<std::uint8_t> expect;
    for (vs::level l : {vs::level::scalar, vs::level::sse2, vs::level::avx2, vs::level::avx512}) {
        if (vs::rank(l) > vs::rank(vs::cpu_level())) continue;
        const vs::level old = vs::set_level_cap(l);
        vecta::split_block_bloom_filter f({.bits = 60'000, .hashes = 8});
        vs::set_level_cap(old);  // the filter keeps l
        for (auto k : keys) f.insert(k);
        if (sref.empty()) {
            sref = sbbf_reference(f.blocks(), keys);
            for (auto k : all) {
                const std::uint64_t h = vecta::mix64(k, 0), b = ((h >> 32) * f.blocks()) >> 32;
                bool in = true;
                for (int j = 0; j < 8; ++j)
                    in &= ((sref[b * 8 + std::size_t(j)] >> ((std::uint32_t(h) * vecta::detail::sbbf_salt[j]) >> 27)) &
                           1u) != 0;
                expect.push_back(in ? 1 : 0);
            }
        }
        CAPTURE(vs::name(l));
        CHECK(std::equal(sref.begin(), sref.end(), f.words().begin(), f.words().end()));
        std::size_t mismatches = 0, found = 0;
        for (std::size_t i = 0; i < all.size(); ++i) {
            const bool c = f.contains(all[i]);
            mismatches += c != (expect[i] != 0);
            found += c;
        }
        CHECK(mismatches == 0);
        CHECK(found > keys.size());  // every inserted key, and some false positives (about 0.3 %)
        CHECK(found < all.size() / 2);
    }
}

TEST_CASE("split_block_bloom_filter: the per-key AVX2 probe's block index up to 2^32 blocks") {
    // sbbf_find_hash_avx2 (inline assembly in a default x86-64 build) takes block
    // ((h >> 32) * blocks) >> 32 as the high half of a 64 x 64-bit product: checked against the
    // formula for block counts up to the largest filter's 2^32, with hashes whose block falls in
    // a 32-block array, and every answer against the plain probe of that block.
#if VECTA_X86_DISPATCH
    namespace vs = vecta::simd;
    if (vs::rank(vs::cpu_level()) < vs::rank(vs::level::avx2)) {
        MESSAGE("skipped: the CPU has no AVX2");
        return;
    }
    const auto rnd = random_keys(32 * 8 + 4000, 8);
    alignas(32) std::uint32_t words[32 * 8];
    for (std::size_t i = 0; i < 32 * 8; ++i) words[i] = std::uint32_t(rnd[i] | (rnd[i] >> 32));  // 3/4 of bits set
    std::size_t hits = 0;
    for (std::uint64_t blocks : {std::uint64_t(1) << 32, (std::uint64_t(1) << 32) - 1, (std::uint64_t(3) << 30) + 7,
                                 (std::uint64_t(1) << 20) + 3, std::uint64_t(32), std::uint64_t(1)}) {
        const std::uint64_t his = std::min(std::uint64_t(1) << 32, (std::uint64_t(32) << 32) / blocks);
        for (std::size_t t = 0; t < 4000; ++t) {
            const std::uint64_t r = rnd[32 * 8 + t], h = ((r >> 32) % his) << 32 | (r & 0xFFFFFFFFu);
            const std::uint64_t b = ((h >> 32) * blocks) >> 32;
            REQUIRE(b < 32);
            const bool expect = vecta::detail::sbbf_find_scalar(words + 8 * b, std::uint32_t(h));
            CAPTURE(blocks);
            CAPTURE(h);
            CHECK(vecta::detail::sbbf_find_hash_avx2(words, blocks, h) == expect);
            hits += expect;
        }
    }
    CHECK(hits > 0);  // about 10 % of the probes find their 8 bits
    CHECK(hits < 6 * 4000 / 2);
#endif
}

#if VECTA_X86_DISPATCH
#include <immintrin.h>
namespace {
// A caller compiled for AVX2 that keeps 256-bit values live across per-key contains calls: the
// inline-assembly probe ends with vzeroupper, which must not clear their upper halves.
VECTA_TARGET_AVX2 __attribute__((noinline)) std::uint64_t avx2_caller_sum(const vecta::split_block_bloom_filter& f,
                                                                          const std::vector<std::uint64_t>& keys,
                                                                          std::size_t& found) {
    __m256i acc = _mm256_set1_epi64x(0);
    const __m256i step = _mm256_set_epi64x(4, 3, 2, 1);
    found = 0;
    for (const std::uint64_t k : keys) {
        acc = _mm256_add_epi64(acc, step);
        found += f.contains(k);
    }
    alignas(32) std::uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), acc);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
}  // namespace

TEST_CASE("split_block_bloom_filter: contains inlined into an AVX2 caller keeps its 256-bit values") {
    namespace vs = vecta::simd;
    if (vs::rank(vs::cpu_level()) < vs::rank(vs::level::avx2)) {
        MESSAGE("skipped: the CPU has no AVX2");
        return;
    }
    const auto keys = random_keys(2000, 31);
    vecta::split_block_bloom_filter f({.expected_items = keys.size(), .false_positive_rate = 0.01});
    for (std::size_t i = 0; i < keys.size(); i += 2) f.insert(keys[i]);
    std::size_t found = 0;
    const std::uint64_t sum = avx2_caller_sum(f, keys, found);
    CHECK(sum == 10 * keys.size());  // (1 + 2 + 3 + 4) per key, in the upper lanes too
    CHECK(found >= keys.size() / 2);
    CHECK(found < keys.size() / 2 + keys.size() / 10);
}
#endif

TEST_CASE_TEMPLATE("bloom filters: arrays of 2 MiB and more (mapped, huge-page advised) keep the bits", F,
                   vecta::bloom_filter, vecta::split_block_bloom_filter) {
    // 24 Mbit = 3 MiB + 256 bits: mapped on Linux (2 MiB-aligned, a tail below 2 MiB); a copy, a
    // union, clear and a round trip through bytes allocate and free the same way.
    const auto keys = random_keys(300000, 21);
    F f({.bits = 24'000'256, .hashes = 8});
    for (auto k : keys) f.insert(k);
#if defined(__linux__)
    CHECK(reinterpret_cast<std::uintptr_t>(f.words().data()) % (std::uintptr_t(1) << 21) == 0);
#endif
    F small({.bits = 64'000, .hashes = 8});
    CHECK(reinterpret_cast<std::uintptr_t>(small.words().data()) % 64 == 0);
    for (auto k : keys) CHECK_UNARY(f.contains(k));
    F g = f;
    CHECK(g == f);
    g |= f;
    CHECK(g == f);
    const F h = F::from_bytes(f.to_bytes());
    CHECK(h == f);
    g.clear();  // the copy has storage of its own
    CHECK(g.bits_set() == 0);
    CHECK(f.bits_set() == h.bits_set());
    CHECK(f.bits_set() > 0);
    std::size_t found = 0;
    for (auto k : keys) found += f.contains(k) && h.contains(k) && !g.contains(k);
    CHECK(found == keys.size());
}

TEST_CASE("bloom_filter: contains_many under seq and par") {
    const auto keys = random_keys(20000, 6), probe = random_keys(50000, 7);
    vecta::bloom_filter f({.bits = 100'000, .hashes = 4});
    f.insert_many(keys);
    std::vector<std::uint8_t> a(probe.size()), b(probe.size());
    const auto na = f.contains_many(vecta::seq, probe, a), nb = f.contains_many(vecta::par, probe, b);
    CHECK(a == b);
    CHECK(na == nb);
    std::size_t naive = 0;
    for (auto k : probe) naive += f.contains(k);
    CHECK(na == naive);
}

TEST_CASE_TEMPLATE("bloom filters: union and intersection", F, vecta::bloom_filter, vecta::split_block_bloom_filter) {
    const auto all = random_keys(6000, 8);
    const std::vector<std::uint64_t> a(all.begin(), all.begin() + 4000), b(all.begin() + 2000, all.end());
    F fa({.bits = 64'000, .hashes = 8}), fb({.bits = 64'000, .hashes = 8}), fab({.bits = 64'000, .hashes = 8});
    for (auto k : a) fa.insert(k);
    for (auto k : b) fb.insert(k);
    for (auto k : all) fab.insert(k);
    F u = fa, i = fa;
    u |= fb;
    i &= fb;
    CHECK(u == fab);  // the union is exactly the filter of the union
    for (std::size_t w = 0; w < i.words().size(); ++w) CHECK(i.words()[w] == (fa.words()[w] & fb.words()[w]));
    for (std::size_t k = 2000; k < 4000; ++k) CHECK_UNARY(i.contains(all[k]));
    CHECK(i.estimated_count() >= 2000 * 0.97);
    F other({.bits = 128'000, .hashes = 8});
    CHECK_THROWS_WITH_AS(u.unite(other), doctest::Contains("other"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(u.intersect(other), doctest::Contains("other"), vecta::invalid_argument);
    F seeded({.bits = 64'000, .hashes = 8}, vecta::murmur3_hasher{.seed = 9});
    CHECK_THROWS_WITH_AS(u |= seeded, doctest::Contains("other"), vecta::invalid_argument);
}

TEST_CASE_TEMPLATE("bloom filters: a moved-from filter is empty and usable (contains on it read past an empty array)",
                   F, vecta::bloom_filter, vecta::split_block_bloom_filter) {
    F a({.expected_items = 1000, .false_positive_rate = 0.01});
    a.insert(std::uint64_t{5});
    a.insert(std::string_view{"key"});
    const F b = std::move(a);
    CHECK_UNARY(b.contains(std::uint64_t{5}));
    CHECK(a.bits() == 0);
    CHECK(a.size_bytes() == 0);
    CHECK(a.bits_set() == 0);
    CHECK(a.false_positive_rate() == 0.0);
    if constexpr (std::is_same_v<F, vecta::bloom_filter>)
        CHECK(a.hashes() == 0);
    else
        CHECK(a.blocks() == 0);
    for (std::uint64_t key = 0; key < 1000; ++key) CHECK_FALSE(a.contains(key));
    CHECK_FALSE(a.contains(std::string_view{"key"}));
    a.insert(std::uint64_t{7});  // ignored, no write
    a.insert_many(std::vector<std::uint64_t>{8, 9});
    CHECK_FALSE(a.contains(std::uint64_t{7}));
    std::vector<std::uint8_t> found(2, 9);
    CHECK(a.contains_many(std::vector<std::uint64_t>{5, 8}, found) == 0);
    CHECK(found == std::vector<std::uint8_t>{0, 0});
    CHECK_THROWS_WITH_AS(a.unite(b), doctest::Contains("other"), vecta::invalid_argument);
    F c = b;
    c = std::move(c);  // self-move keeps it
    CHECK_UNARY(c.contains(std::uint64_t{5}));
    a = std::move(c);  // a moved-from filter takes a new one
    CHECK_UNARY(a.contains(std::string_view{"key"}));
    CHECK(c.bits() == 0);
    CHECK_FALSE(c.contains(std::string_view{"key"}));
}

// Floating-point keys do not compile (they were truncated to integers: 1.5 was key 1, NaN UB).
template <class F, class K>
concept can_insert_key = requires(F f, K k) {
    f.insert(k);
};
template <class F, class K>
concept can_contain_key = requires(const F f, K k) {
    f.contains(k);
};
static_assert(!can_insert_key<vecta::bloom_filter, double> && !can_insert_key<vecta::split_block_bloom_filter, float>);
static_assert(!can_contain_key<vecta::bloom_filter, float> &&
              !can_contain_key<vecta::split_block_bloom_filter, double>);
static_assert(can_insert_key<vecta::bloom_filter, int> &&
              can_contain_key<vecta::split_block_bloom_filter, std::uint8_t>);
static_assert(can_insert_key<vecta::split_block_bloom_filter, const char*> &&
              can_contain_key<vecta::bloom_filter, std::string>);

TEST_CASE("bloom_filter: union rejects another k") {
    vecta::bloom_filter a({.bits = 1024, .hashes = 3}), b({.bits = 1024, .hashes = 4});
    CHECK_THROWS_WITH_AS(a |= b, doctest::Contains("other"), vecta::invalid_argument);
}

TEST_CASE_TEMPLATE("bloom filters: estimated_count (Swamidass & Baldi) and fill-based false-positive rate", F,
                   vecta::bloom_filter, vecta::split_block_bloom_filter) {
    F f({.expected_items = 100'000, .false_positive_rate = 0.01});
    CHECK(f.estimated_count() == 0);
    const auto keys = random_keys(50'000, 9);
    for (auto k : keys) f.insert(k);
    CHECK(f.estimated_count() == doctest::Approx(50'000).epsilon(0.03));
    // Naive recomputation of the estimator and the current-fill rate.
    double set = 0;
    for (auto w : f.words()) set += std::popcount(w);
    const double m = double(f.bits()), k = double(f.hashes());
    CHECK(f.estimated_count() == doctest::Approx(-m / k * std::log(1 - set / m)).epsilon(1e-12));
    if constexpr (std::is_same_v<F, vecta::bloom_filter>) {
        CHECK(f.false_positive_rate() == doctest::Approx(std::pow(set / m, k)).epsilon(1e-12));
    } else {
        double sum = 0;
        for (std::size_t b = 0; b < f.blocks(); ++b) {
            double prod = 1;
            for (int j = 0; j < 8; ++j) prod *= std::popcount(f.words()[b * 8 + std::size_t(j)]) / 32.0;
            sum += prod;
        }
        CHECK(f.false_positive_rate() == doctest::Approx(sum / double(f.blocks())).epsilon(1e-12));
    }
    // A full filter: infinite estimate, rate 1.
    F full({.bits = 256, .hashes = 8});
    for (std::uint64_t x = 0; x < 5000; ++x) full.insert(x);
    CHECK(full.bits_set() == 256);
    CHECK(std::isinf(full.estimated_count()));
    CHECK(full.false_positive_rate() == 1.0);
}

TEST_CASE_TEMPLATE("bloom filters: serialization round trip", F, vecta::bloom_filter, vecta::split_block_bloom_filter) {
    F f({.expected_items = 5000, .false_positive_rate = 0.02}, vecta::murmur3_hasher{.seed = 77});
    const auto keys = random_keys(5000, 10);
    for (auto k : keys) f.insert(k);
    f.insert(std::string_view{"frame-42"});
    const auto bytes = f.to_bytes();
    CHECK(bytes.size() == 48 + f.bits() / 8 + 4);
    CHECK(std::memcmp(bytes.data(), "VCTBLOOM", 8) == 0);
    CHECK(std::to_integer<int>(bytes[8]) == 1);  // version 1, little-endian
    const F g = F::from_bytes(bytes, vecta::murmur3_hasher{.seed = 77});
    CHECK(g == f);
    CHECK(g.hashes() == f.hashes());
    for (auto k : keys) CHECK_UNARY(g.contains(k));
    CHECK_UNARY(g.contains(std::string_view{"frame-42"}));
    CHECK(g.to_bytes() == bytes);
    // Another seed or another hasher is refused.
    CHECK_THROWS_WITH_AS(F::from_bytes(bytes), doctest::Contains("seed"), vecta::io_error);
    using FX = std::conditional_t<std::is_same_v<F, vecta::bloom_filter>, vecta::basic_bloom_filter<xxh3_hasher>,
                                  vecta::basic_split_block_bloom_filter<xxh3_hasher>>;
    CHECK_THROWS_WITH_AS(FX::from_bytes(bytes, xxh3_hasher{.seed = 77}), doctest::Contains("hasher id"),
                         vecta::io_error);
}

TEST_CASE("bloom filters: loading the other kind is refused") {
    const vecta::bloom_filter c({.bits = 1024, .hashes = 3});
    const vecta::split_block_bloom_filter s({.bits = 1024, .hashes = 8});
    CHECK_THROWS_WITH_AS(vecta::split_block_bloom_filter::from_bytes(c.to_bytes()), doctest::Contains("classic"),
                         vecta::io_error);
    CHECK_THROWS_WITH_AS(vecta::bloom_filter::from_bytes(s.to_bytes()), doctest::Contains("split-block"),
                         vecta::io_error);
}

TEST_CASE_TEMPLATE("bloom filters: every single-byte corruption and every truncation throws io_error", F,
                   vecta::bloom_filter, vecta::split_block_bloom_filter) {
    F f({.bits = 512, .hashes = 8});
    for (std::uint64_t k = 0; k < 20; ++k) f.insert(k);
    const auto bytes = f.to_bytes();
    REQUIRE(bytes.size() == 48 + 64 + 4);
    CHECK(F::from_bytes(bytes) == f);
    for (std::size_t i = 0; i < bytes.size(); ++i)
        for (int flip : {0x01, 0x80, 0xFF}) {
            auto bad = bytes;
            bad[i] ^= std::byte(flip);
            CAPTURE(i);
            CAPTURE(flip);
            CHECK_THROWS_AS(F::from_bytes(bad), vecta::io_error);
        }
    for (std::size_t len = 0; len < bytes.size(); ++len) {
        CAPTURE(len);
        CHECK_THROWS_WITH_AS(F::from_bytes(std::span<const std::byte>(bytes.data(), len)),
                             doctest::Contains("truncated"), vecta::io_error);
    }
    auto longer = bytes;
    longer.push_back(std::byte{0});
    CHECK_THROWS_WITH_AS(F::from_bytes(longer), doctest::Contains("trailing"), vecta::io_error);
    auto bad_crc = bytes;
    bad_crc[60] ^= std::byte{4};
    CHECK_THROWS_WITH_AS(F::from_bytes(bad_crc), doctest::Contains("checksum"), vecta::io_error);
    auto bad_magic = bytes;
    bad_magic[0] = std::byte{'X'};
    CHECK_THROWS_WITH_AS(F::from_bytes(bad_magic), doctest::Contains("magic"), vecta::io_error);
    auto bad_version = bytes;
    bad_version[8] = std::byte{2};
    CHECK_THROWS_WITH_AS(F::from_bytes(bad_version), doctest::Contains("version"), vecta::io_error);
}

TEST_CASE("bloom filters: an XXH3 hasher plugs in") {
    vecta::basic_split_block_bloom_filter<xxh3_hasher> s({.expected_items = 1000, .false_positive_rate = 0.01},
                                                         xxh3_hasher{.seed = 5});
    vecta::basic_bloom_filter<xxh3_hasher> c({.expected_items = 1000, .false_positive_rate = 0.01});
    for (int i = 0; i < 1000; ++i) {
        const auto w = "key" + std::to_string(i);
        s.insert(std::string_view{w});
        c.insert(std::string_view{w});
    }
    for (int i = 0; i < 1000; ++i) {
        const auto w = "key" + std::to_string(i);
        CHECK_UNARY(s.contains(std::string_view{w}));
        CHECK_UNARY(c.contains(std::string_view{w}));
    }
    const auto bytes = s.to_bytes();
    CHECK(vecta::detail::get_u32(bytes.data() + 16) == xxh3_hasher::id);
    CHECK(decltype(s)::from_bytes(bytes, xxh3_hasher{.seed = 5}) == s);
}
