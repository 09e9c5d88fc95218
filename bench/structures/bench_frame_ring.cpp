// SPDX-License-Identifier: MIT
// W7 (part): 1080p RGB frames (1920*1080*3 = 6.2 MB) through a frame_ring of 8 frames' bytes.
//   W7/frame_ring/push       frame_ring::push of one frame (bytes/s)
//   W7/frame_ring/memcpy     memcpy of the same frame into a rotating 8-frame buffer: the peer of
//                            push and of read_copy (the bandwidth bound)
//   W7/frame_ring/push_64B   push of 64-byte frames: the fixed cost (header updates, FUTEX_WAKE)
//   W7/frame_ring/read_copy  frame_reader::try_next + copy (copy-and-validate) of one frame
//   W7/frame_ring/read_view  frame_reader::try_next + valid() of one frame, zero copy (frames/s)
//   W7/frame_ring/wake_latency  a reader thread blocked in wait_next, a writer thread pushing a
//                            64-byte frame: time from before push() to wait_next returning
//                            (counters p50_us, p99_us, max_us; futex on Linux)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <thread>
#include <vecta/structures/frame_ring.hpp>
#include <vector>

namespace {
constexpr std::size_t frame_bytes = 1920 * 1080 * 3;
constexpr std::size_t slots = 8;

std::vector<std::byte> source_frame() {
    std::vector<std::byte> f(frame_bytes);
    std::uint64_t s = 7;
    for (auto& b : f) b = std::byte((s = s * 6364136223846793005ull + 1442695040888963407ull) >> 56);
    return f;
}

struct ring_memory {
    std::vector<std::uint64_t> words;
    explicit ring_memory(std::size_t data_bytes) : words((vecta::frame_ring::header_bytes + data_bytes) / 8 + 1) {}
    std::span<std::byte> span() { return {reinterpret_cast<std::byte*>(words.data()), words.size() * 8}; }
};

void push(benchmark::State& state) {
    const auto frame = source_frame();
    ring_memory memory(slots * vecta::frame_ring::record_bytes(frame_bytes));
    vecta::frame_ring ring(memory.span());
    std::uint64_t ts = 0;
    for (auto _ : state) {
        ring.push(ts++, frame);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(frame_bytes));
}

void push_small(benchmark::State& state) {
    ring_memory memory(1 << 20);
    vecta::frame_ring ring(memory.span());
    const std::byte small[64] = {};
    std::uint64_t ts = 0;
    for (auto _ : state) ring.push(ts++, small);
    state.SetItemsProcessed(std::int64_t(state.iterations()));
}

void memcpy_frames(benchmark::State& state) {
    const auto frame = source_frame();
    std::vector<std::byte> memory(slots * frame_bytes);
    std::size_t slot = 0;
    for (auto _ : state) {
        std::memcpy(memory.data() + slot * frame_bytes, frame.data(), frame_bytes);
        slot = (slot + 1) % slots;
        benchmark::DoNotOptimize(memory.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(frame_bytes));
}

// A ring full of frames and a reader; the reader is re-seeked to the oldest frame when it runs out.
template <bool copy>
void read(benchmark::State& state) {
    const auto frame = source_frame();
    ring_memory memory(slots * vecta::frame_ring::record_bytes(frame_bytes));
    vecta::frame_ring ring(memory.span());
    for (std::uint64_t t = 0; t < slots; ++t) ring.push(t, frame);
    std::vector<std::byte> out(frame_bytes);
    std::optional<vecta::frame_reader> reader(std::in_place, memory.span());
    for (auto _ : state) {
        auto got = reader->try_next();
        if (!got) {
            reader.emplace(memory.span());
            got = reader->try_next();
        }
        bool ok;
        if constexpr (copy)
            ok = reader->copy(got.frame, out);
        else
            ok = reader->valid(got.frame);
        benchmark::DoNotOptimize(ok);
        benchmark::ClobberMemory();
    }
    if constexpr (copy) state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(frame_bytes));
    state.SetItemsProcessed(std::int64_t(state.iterations()));
}

void wake_latency(benchmark::State& state) {
    ring_memory memory(1 << 20);
    vecta::frame_ring ring(memory.span());
    std::vector<double> us;
    std::atomic<bool> waiting{false};
    for (auto _ : state) {
        std::chrono::steady_clock::time_point woke;
        std::thread reader([&] {
            vecta::frame_reader r(memory.span());
            r.seek_end();
            waiting = true;
            const auto got = r.wait_next(std::chrono::seconds(5));
            woke = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(got);
        });
        while (!waiting) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the reader is asleep in the futex
        const auto t0 = std::chrono::steady_clock::now();
        const std::byte small[64] = {};
        ring.push(0, small);
        reader.join();
        waiting = false;
        const double d = std::chrono::duration<double, std::micro>(woke - t0).count();
        us.push_back(d);
        state.SetIterationTime(d * 1e-6);
    }
    std::sort(us.begin(), us.end());
    state.counters["p50_us"] = us[us.size() / 2];
    state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    state.counters["max_us"] = us.back();
}

const bool registered = [] {
    benchmark::RegisterBenchmark("W7/frame_ring/push", push)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W7/frame_ring/push_64B", push_small);
    benchmark::RegisterBenchmark("W7/frame_ring/memcpy", memcpy_frames)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W7/frame_ring/read_copy", read<true>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W7/frame_ring/read_view", read<false>)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("W7/frame_ring/wake_latency", wake_latency)
        ->UseManualTime()
        ->Iterations(200)
        ->Unit(benchmark::kMicrosecond);
    return true;
}();
}  // namespace
