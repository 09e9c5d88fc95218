// SPDX-License-Identifier: MIT
// W6: Bloom filters at 10 bits per key: insert 10M random u64 keys, then look up 10M keys of
// which half were inserted. vecta's classic and split-block filters and libbloom (Debian) in
// the same run, named W6/<op>/<impl>. Counters: sec/op (shown as e.g. "12.3n" = 12.3 ns per
// key), fpr (measured on the 5M absent keys) and fpr_theory (for the filter's shape).
// W6/contains_many/vecta_split_block is the batched lookup (hash, prefetch, probe).
#include <cmath>
#include <cstdint>
#include <memory>
#include <vecta/structures/bloom_filter.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>
#include <vector>

#include "../bench_support.hpp"

#if VECTA_BENCH_HAVE_LIBBLOOM
extern "C" {
#include <bloom.h>
}
#endif

namespace {

constexpr std::size_t n_keys = 10'000'000;
constexpr double bits_per_key = 10;

struct workload {
    std::vector<std::uint64_t> inserted, lookups;  // lookups: even index present, odd absent
};

const workload& keys() {
    static const workload w = [] {
        workload k;
        std::uint64_t s = 42;
        auto next = [&] {
            std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            return z ^ (z >> 31);
        };
        k.inserted.resize(n_keys);
        for (auto& x : k.inserted) x = next();
        k.lookups.resize(n_keys);
        for (std::size_t i = 0; i < n_keys; ++i) k.lookups[i] = i % 2 == 0 ? k.inserted[(i * 7919) % n_keys] : next();
        return k;
    }();
    return w;
}

void set_counters(benchmark::State& state, std::size_t false_pos, double theory) {
    state.counters["sec/op"] =
        benchmark::Counter(double(n_keys), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["fpr"] = double(false_pos) / double(n_keys / 2);
    state.counters["fpr_theory"] = theory;
}

template <class F>
F make_filter() {
    if constexpr (std::is_same_v<F, vecta::bloom_filter>)
        return F({.bits = std::uint64_t(bits_per_key * n_keys), .hashes = 7});
    else
        return F({.bits = std::uint64_t(bits_per_key * n_keys), .hashes = 8});
}

template <class F>
double theory(const F& f) {
    if constexpr (std::is_same_v<F, vecta::bloom_filter>)
        return F::theoretical_false_positive_rate(f.bits(), f.hashes(), n_keys);
    else
        return F::theoretical_false_positive_rate(f.bits(), n_keys);
}

template <class F>
std::size_t count_false_positives(const F& f) {
    std::size_t fp = 0;
    const auto& k = keys();
    for (std::size_t i = 1; i < n_keys; i += 2) fp += f.contains(k.lookups[i]);
    return fp;
}

template <class F>
void vecta_insert(benchmark::State& state) {
    const auto& k = keys();
    F f = make_filter<F>();
    for (auto _ : state) {
        state.PauseTiming();
        f.clear();
        state.ResumeTiming();
        for (std::uint64_t x : k.inserted) f.insert(x);
        benchmark::DoNotOptimize(f.words().data());
    }
    set_counters(state, count_false_positives(f), theory(f));
}

template <class F>
void vecta_contains(benchmark::State& state) {
    const auto& k = keys();
    F f = make_filter<F>();
    for (std::uint64_t x : k.inserted) f.insert(x);
    for (auto _ : state) {
        std::size_t found = 0;
        for (std::uint64_t x : k.lookups) found += f.contains(x);
        benchmark::DoNotOptimize(found);
    }
    set_counters(state, count_false_positives(f), theory(f));
}

void sbbf_contains_many(benchmark::State& state) {
    const auto& k = keys();
    auto f = make_filter<vecta::split_block_bloom_filter>();
    f.insert_many(k.inserted);
    std::vector<std::uint8_t> found(n_keys);
    for (auto _ : state) benchmark::DoNotOptimize(f.contains_many(vecta::seq, k.lookups, found));
    set_counters(state, count_false_positives(f), theory(f));
}

#if VECTA_BENCH_HAVE_LIBBLOOM
// libbloom sizes from (entries, error) with bits per entry = -ln(error) / ln(2)^2, so error =
// exp(-10 ln(2)^2) gives 10 bits per key (k = 7 after its rounding up of 6.93).
struct libbloom_filter {
    bloom b{};
    libbloom_filter() {
        const double error = std::exp(-bits_per_key * std::log(2.0) * std::log(2.0));
        if (bloom_init(&b, int(n_keys), error) != 0) throw std::runtime_error("bloom_init failed");
    }
    ~libbloom_filter() { bloom_free(&b); }
    libbloom_filter(const libbloom_filter&) = delete;
    libbloom_filter& operator=(const libbloom_filter&) = delete;
    double theory() const {
        return vecta::bloom_filter::theoretical_false_positive_rate(std::uint64_t(b.bits), std::uint32_t(b.hashes),
                                                                    n_keys);
    }
    std::size_t false_positives() {
        std::size_t fp = 0;
        const auto& k = keys();
        for (std::size_t i = 1; i < n_keys; i += 2) fp += bloom_check(&b, &k.lookups[i], 8) == 1;
        return fp;
    }
};

void libbloom_insert(benchmark::State& state) {
    const auto& k = keys();
    libbloom_filter f;
    for (auto _ : state) {
        state.PauseTiming();
        bloom_reset(&f.b);
        state.ResumeTiming();
        for (const std::uint64_t& x : k.inserted) bloom_add(&f.b, &x, 8);
    }
    set_counters(state, f.false_positives(), f.theory());
    state.SetLabel("bits " + std::to_string(f.b.bits) + ", k " + std::to_string(f.b.hashes));
}

void libbloom_contains(benchmark::State& state) {
    const auto& k = keys();
    libbloom_filter f;
    for (const std::uint64_t& x : k.inserted) bloom_add(&f.b, &x, 8);
    for (auto _ : state) {
        std::size_t found = 0;
        for (const std::uint64_t& x : k.lookups) found += bloom_check(&f.b, &x, 8) == 1;
        benchmark::DoNotOptimize(found);
    }
    set_counters(state, f.false_positives(), f.theory());
    state.SetLabel("bits " + std::to_string(f.b.bits) + ", k " + std::to_string(f.b.hashes));
}
#endif

const bool registered = [] {
    const auto reg = [](const char* name, void (*fn)(benchmark::State&)) {
        benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMillisecond);
    };
    reg("W6/insert/vecta_classic", vecta_insert<vecta::bloom_filter>);
    reg("W6/insert/vecta_split_block", vecta_insert<vecta::split_block_bloom_filter>);
    reg("W6/contains/vecta_classic", vecta_contains<vecta::bloom_filter>);
    reg("W6/contains/vecta_split_block", vecta_contains<vecta::split_block_bloom_filter>);
    reg("W6/contains_many/vecta_split_block", sbbf_contains_many);
#if VECTA_BENCH_HAVE_LIBBLOOM
    reg("W6/insert/libbloom", libbloom_insert);
    reg("W6/contains/libbloom", libbloom_contains);
#endif
    return true;
}();

}  // namespace
