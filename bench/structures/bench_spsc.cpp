// SPDX-License-Identifier: MIT
// W7 (part): 100M int64 through an SPSC queue between two threads (not pinned: on a shared machine a
// pinned thread cannot leave a busy core), vecta::spsc_queue
// vs boost::lockfree::spsc_queue in the same run, both with 8192 slots. Named W7/spsc/<impl>; the
// _batch variants move blocks of 256 items (push_n/pop_n vs Boost's push(ptr, n)/pop(ptr, n)).
#include <benchmark/benchmark.h>

#include <boost/lockfree/spsc_queue.hpp>
#include <cstdint>
#include <thread>
#include <vecta/structures/spsc_queue.hpp>
#include <vector>

namespace {
constexpr std::int64_t items = 100'000'000;
constexpr std::size_t capacity = 8192;
constexpr std::size_t block = 256;

// Both queues wait the same way: spin briefly, then yield, so that a loaded 2-core machine (where
// the two threads may share one core) measures the queue and not the scheduler.
struct backoff {
    int spins = 0;
    void operator()() noexcept {
        if (++spins > 64) {
            spins = 0;
            std::this_thread::yield();
        }
    }
};

template <class Push, class Pop>
void run(benchmark::State& state, Push push, Pop pop) {
    for (auto _ : state) {
        std::int64_t sum = 0;
        std::thread consumer([&] {
            std::int64_t got = 0, s = 0, v = 0;
            backoff wait;
            while (got < items) {
                if (pop(v)) {
                    s += v;
                    ++got;
                } else {
                    wait();
                }
            }
            sum = s;
        });
        backoff wait;
        for (std::int64_t i = 0; i < items; ++i)
            while (!push(i)) wait();
        consumer.join();
        if (sum != items * (items - 1) / 2) state.SkipWithError("lost or duplicated items");
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * items);
}

template <class PushN, class PopN>
void run_batch(benchmark::State& state, PushN push_n, PopN pop_n) {
    for (auto _ : state) {
        std::int64_t sum = 0;
        std::thread consumer([&] {
            std::vector<std::int64_t> buf(block);
            std::int64_t got = 0, s = 0;
            backoff wait;
            while (got < items) {
                const std::size_t k = pop_n(buf.data(), block);
                if (k == 0) wait();
                for (std::size_t i = 0; i < k; ++i) s += buf[i];
                got += std::int64_t(k);
            }
            sum = s;
        });
        std::vector<std::int64_t> buf(block);
        backoff wait;
        for (std::int64_t i = 0; i < items;) {
            const std::size_t k = std::size_t(std::min<std::int64_t>(block, items - i));
            for (std::size_t j = 0; j < k; ++j) buf[j] = i + std::int64_t(j);
            std::size_t sent = 0;
            while (sent < k) {
                const std::size_t m = push_n(buf.data() + sent, k - sent);
                if (m == 0) wait();
                sent += m;
            }
            i += std::int64_t(k);
        }
        consumer.join();
        if (sum != items * (items - 1) / 2) state.SkipWithError("lost or duplicated items");
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(state.iterations() * items);
}

void vecta_spsc(benchmark::State& state) {
    vecta::spsc_queue<std::int64_t> q(capacity);
    run(
        state, [&](std::int64_t v) { return q.try_push(v); }, [&](std::int64_t& v) { return q.try_pop(v); });
}
void boost_spsc(benchmark::State& state) {
    boost::lockfree::spsc_queue<std::int64_t> q(capacity);
    run(
        state, [&](std::int64_t v) { return q.push(v); }, [&](std::int64_t& v) { return q.pop(v); });
}
void vecta_spsc_batch(benchmark::State& state) {
    vecta::spsc_queue<std::int64_t> q(capacity);
    run_batch(
        state,
        [&](const std::int64_t* p, std::size_t n) {
            return q.push_n({p, n});
        },
        [&](std::int64_t* p, std::size_t n) {
            return q.pop_n({p, n});
        });
}
void boost_spsc_batch(benchmark::State& state) {
    boost::lockfree::spsc_queue<std::int64_t> q(capacity);
    run_batch(
        state, [&](const std::int64_t* p, std::size_t n) { return q.push(p, n); },
        [&](std::int64_t* p, std::size_t n) { return q.pop(p, n); });
}

const bool registered = [] {
    for (auto [name, fn] :
         {std::pair{"W7/spsc/vecta", &vecta_spsc}, std::pair{"W7/spsc/boost", &boost_spsc},
          std::pair{"W7/spsc/vecta_batch", &vecta_spsc_batch}, std::pair{"W7/spsc/boost_batch", &boost_spsc_batch}})
        benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
    return true;
}();
}  // namespace
