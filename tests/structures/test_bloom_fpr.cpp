// SPDX-License-Identifier: MIT
// Measured false-positive rates against theory: 1M random 64-bit keys, and the word lists of
// the shared corpus (keys_american-english.txt inserted, negatives_*.txt queried).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <unordered_set>
#include <vecta/structures/bloom_filter.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>
#include <vector>

#include "test_support.hpp"

namespace bloom_fpr_test {  // named: the structures tests are compiled as one unity translation unit

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

#ifdef VECTA_TEST_SANITIZED
constexpr std::size_t n_keys = 200'000;
#else
constexpr std::size_t n_keys = 1'000'000;
#endif

double theory(const vecta::bloom_filter& f, std::uint64_t n) {
    return vecta::bloom_filter::theoretical_false_positive_rate(f.bits(), f.hashes(), n);
}
double theory(const vecta::split_block_bloom_filter& f, std::uint64_t n) {
    return vecta::split_block_bloom_filter::theoretical_false_positive_rate(f.bits(), n);
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::vector<std::string> out;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

}  // namespace

TEST_CASE_TEMPLATE("bloom filters: measured FPR on random 64-bit keys is within 10% of theory", F, vecta::bloom_filter,
                   vecta::split_block_bloom_filter) {
    const auto keys = random_keys(2 * n_keys, 2024);
    const std::span<const std::uint64_t> present(keys.data(), n_keys), absent(keys.data() + n_keys, n_keys);
    // Sized from (n, p), and at 10 bits per key (the W6 shape).
    for (int shape = 0; shape < 2; ++shape) {
        F f = shape == 0 ? F({.expected_items = n_keys, .false_positive_rate = 0.01})
                         : F({.bits = 10 * n_keys, .hashes = std::is_same_v<F, vecta::bloom_filter> ? 7u : 8u});
        for (auto k : present) f.insert(k);
        for (auto k : present) REQUIRE(f.contains(k));
        std::size_t fp = 0;
        for (auto k : absent) fp += f.contains(k);
        const double measured = double(fp) / double(n_keys), expected = theory(f, n_keys);
        MESSAGE("shape " << shape << ": bits/key " << double(f.bits()) / double(n_keys) << ", k " << f.hashes()
                         << ", measured " << measured << ", theory " << expected << ", fill-based "
                         << f.false_positive_rate());
        CHECK(std::abs(measured - expected) <= 0.10 * expected);
        CHECK(std::abs(f.false_positive_rate() - expected) <= 0.10 * expected);
        // The optimal m and k meet p exactly only for a real k; rounding k moves the rate slightly.
        if (shape == 0) CHECK(expected == doctest::Approx(0.01).epsilon(0.01));
    }
}

TEST_CASE_TEMPLATE("bloom filters: measured FPR on the word lists", F, vecta::bloom_filter,
                   vecta::split_block_bloom_filter) {
    const auto dir = vecta_test::data_dir() / "words";
    const auto keys_path = dir / "keys_american-english.txt";
    if (vecta_test::data_dir().empty() || !std::filesystem::exists(keys_path)) {
        MESSAGE("skipped: word lists not found (set VECTA_DATA_DIR to ../shared/data)");
        return;
    }
    const auto keys = read_lines(keys_path);
    REQUIRE(keys.size() > 50'000);
    const std::unordered_set<std::string> key_set(keys.begin(), keys.end());
    F f({.expected_items = key_set.size(), .false_positive_rate = 0.01});
    for (const auto& k : keys) f.insert(std::string_view{k});
    for (const auto& k : keys) REQUIRE(f.contains(std::string_view{k}));
    const double expected = theory(f, key_set.size());
    for (const char* name : {"negatives_ngerman-minus-american.txt", "negatives_british-minus-american.txt"}) {
        std::size_t n = 0, fp = 0;
        for (const auto& w : read_lines(dir / name)) {
            if (key_set.count(w)) continue;
            ++n;
            fp += f.contains(std::string_view{w});
        }
        REQUIRE(n > 1000);
        const double measured = double(fp) / double(n);
        // Within 10 % of theory, or within 4 binomial standard deviations when the list is too short
        // for 10 % to be a meaningful bound (the British list: about 20 expected false positives).
        const double sd = std::sqrt(expected * (1 - expected) / double(n));
        const double bound = std::max(0.10 * expected, 4 * sd);
        MESSAGE(std::string(name) << ": " << n << " negatives, measured " << measured << ", theory " << expected
                                  << ", bound +-" << bound);
        CHECK(std::abs(measured - expected) <= bound);
    }
}

}  // namespace bloom_fpr_test
