// SPDX-License-Identifier: MIT
// W7 (part): 1080p RGB frames (1920*1080*3 bytes) pushed into a frame_ring of 8 frames' bytes vs a
// plain memcpy of the same frame into a rotating 8-frame buffer (the bandwidth bound).
// Named W7/frame_ring/<impl>, impl vecta or memcpy; bytes/s is the figure.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
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

void vecta_frame_ring(benchmark::State& state) {
    const auto frame = source_frame();
    std::vector<std::uint64_t> memory((vecta::frame_ring::header_bytes + slots * (frame_bytes + 16)) / 8 + 1);
    vecta::frame_ring ring(std::span<std::byte>(reinterpret_cast<std::byte*>(memory.data()), memory.size() * 8));
    std::uint64_t ts = 0;
    for (auto _ : state) {
        ring.push(ts++, frame);
        benchmark::DoNotOptimize(memory.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(frame_bytes));
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

const bool registered = [] {
    benchmark::RegisterBenchmark("W7/frame_ring/vecta", vecta_frame_ring)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W7/frame_ring/memcpy", memcpy_frames)->Unit(benchmark::kMillisecond);
    return true;
}();
}  // namespace
