// SPDX-License-Identifier: MIT
// W7 (part): a FIFO ring of int64 (capacity 1024, the oldest consumed once 512 are held):
// push / front / pop on vecta::ring_buffer vs boost::circular_buffer, 10M pushes per iteration.
// Named W7/ring/<impl>.
#include <benchmark/benchmark.h>

#include <boost/circular_buffer.hpp>
#include <cstdint>
#include <vecta/structures/ring_buffer.hpp>

namespace {
constexpr std::int64_t pushes = 10'000'000;

void vecta_ring(benchmark::State& state) {
    vecta::ring_buffer<std::int64_t> r(1024, vecta::full_policy::overwrite_oldest);
    for (auto _ : state) {
        std::int64_t sum = 0;
        for (std::int64_t i = 0; i < pushes; ++i) {
            r.push(i);
            if (r.size() > 512) {
                sum += r.front();
                r.pop();
            }
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * pushes);
}

void boost_ring(benchmark::State& state) {
    boost::circular_buffer<std::int64_t> r(1024);
    for (auto _ : state) {
        std::int64_t sum = 0;
        for (std::int64_t i = 0; i < pushes; ++i) {
            r.push_back(i);
            if (r.size() > 512) {
                sum += r.front();
                r.pop_front();
            }
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * pushes);
}

// Random access over a wrapped ring: sum of every element through operator[].
void vecta_ring_index(benchmark::State& state) {
    vecta::ring_buffer<std::int64_t> r(4096);
    for (std::int64_t i = 0; i < 4096 + 1000; ++i) r.push(i);
    for (auto _ : state) {
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < r.size(); ++i) sum += r[i];
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * 4096);
}
void boost_ring_index(benchmark::State& state) {
    boost::circular_buffer<std::int64_t> r(4096);
    for (std::int64_t i = 0; i < 4096 + 1000; ++i) r.push_back(i);
    for (auto _ : state) {
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < r.size(); ++i) sum += r[i];
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * 4096);
}

const bool registered = [] {
    benchmark::RegisterBenchmark("W7/ring/vecta", vecta_ring)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W7/ring/boost", boost_ring)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W7/ring_index/vecta", vecta_ring_index);
    benchmark::RegisterBenchmark("W7/ring_index/boost", boost_ring_index);
    return true;
}();
}  // namespace
