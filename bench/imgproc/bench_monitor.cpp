// SPDX-License-Identifier: MIT
// Frame monitoring kernels (issue 17) on a synthetic 1920 x 1080 RGB frame, peers in the same run:
//   monitor/content_hash/{packed,crop}   vecta::content_hash (XXH3-64) of the frame's 6.2 MB
//   monitor/memcpy                       std::memcpy of the same bytes into another buffer
//   monitor/tile_stats/<impl>            per-tile mean, stddev, min, max, 32 x 32 tiles:
//                                        vecta seq, seq | scalar, par (2 threads),
//                                        OpenCV cv::meanStdDev + cv::minMaxLoc per tile and channel
// The targets of issue 17: content_hash within 1.5x of memcpy; tile_stats at least 10x NumPy's
// reshape reference (measured from Python in python/bench/bench_monitor.py).
#include <cstring>
#include <opencv2/core.hpp>
#include <vecta/imgproc/content_hash.hpp>
#include <vecta/imgproc/tile_stats.hpp>
#include <vector>

#include "../bench_support.hpp"

#if VECTA_WITH_TBB
#include <oneapi/tbb/global_control.h>
#endif

namespace {

constexpr std::size_t W = 1920, H = 1080, C = 3;

/// A deterministic desktop-like frame: flat panels, a gradient, text-like noise strips.
const vecta::image<std::uint8_t>& frame() {
    static const vecta::image<std::uint8_t> img = [] {
        vecta::image<std::uint8_t> f(W + 64, H, C);  // 64 extra columns: the crop case reads a strided view
        std::uint64_t s = 42;
        for (std::size_t y = 0; y < H; ++y)
            for (std::size_t x = 0; x < W + 64; ++x) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                const bool panel = (x / 240 + y / 180) % 3 == 0, text = (y % 24) < 12 && (x % 300) < 220;
                for (std::size_t c = 0; c < C; ++c)
                    f(x, y, c) = panel  ? std::uint8_t(40 + 30 * c)
                                 : text ? std::uint8_t((s >> (40 + 8 * c)) & 0xFF)
                                        : std::uint8_t((x + y) / 12 + 20 * c);
            }
        return f;
    }();
    return img;
}

vecta::image_view<const std::uint8_t> packed_view() {
    static const vecta::image<std::uint8_t> packed =
        vecta::image<std::uint8_t>::from(vecta::image_view<const std::uint8_t>(frame().data(), W, H, C, (W + 64) * C));
    return packed.view();
}

void set_bytes(benchmark::State& state) { state.SetBytesProcessed(std::int64_t(state.iterations()) * W * H * C); }

void content_hash_packed(benchmark::State& state) {
    const auto v = packed_view();
    for (auto _ : state) benchmark::DoNotOptimize(vecta::content_hash(v));
    set_bytes(state);
}

void content_hash_crop(benchmark::State& state) {
    const vecta::image_view<const std::uint8_t> v(frame().data(), W, H, C, (W + 64) * C);
    for (auto _ : state) benchmark::DoNotOptimize(vecta::content_hash(v));
    set_bytes(state);
}

void memcpy_frame(benchmark::State& state) {
    const auto v = packed_view();
    std::vector<std::uint8_t> dst(W * H * C);
    for (auto _ : state) {
        std::memcpy(dst.data(), v.data(), dst.size());
        benchmark::ClobberMemory();
    }
    set_bytes(state);
}

template <class Policy>
void tile_stats_vecta(benchmark::State& state, Policy policy) {
#if VECTA_WITH_TBB
    oneapi::tbb::global_control limit(oneapi::tbb::global_control::max_allowed_parallelism, 2);
#endif
    const auto v = packed_view();
    const vecta::tile_params p{.width = 32, .height = 32};
    const std::size_t tx = vecta::tile_count(W, 32), ty = vecta::tile_count(H, 32);
    vecta::image<double> mean(tx, ty, C), sd(tx, ty, C);
    vecta::image<std::uint8_t> lo(tx, ty, C), hi(tx, ty, C);
    for (auto _ : state) {
        vecta::tile_stats(policy, v, p, mean, sd, lo, hi);
        benchmark::ClobberMemory();
    }
    set_bytes(state);
}

void tile_stats_opencv(benchmark::State& state) {
    cv::setNumThreads(1);
    const auto v = packed_view();
    const cv::Mat m(int(H), int(W), CV_8UC3, const_cast<std::uint8_t*>(v.data()));
    std::vector<cv::Mat> planes;
    cv::Scalar mean, sd;
    double lo = 0, hi = 0;
    for (auto _ : state) {
        for (int y = 0; y < int(H); y += 32)
            for (int x = 0; x < int(W); x += 32) {
                const cv::Mat t = m(cv::Rect(x, y, std::min(32, int(W) - x), std::min(32, int(H) - y)));
                cv::meanStdDev(t, mean, sd);
                cv::split(t, planes);
                for (const auto& p : planes) cv::minMaxLoc(p, &lo, &hi);
                benchmark::DoNotOptimize(mean);
                benchmark::DoNotOptimize(hi);
            }
    }
    set_bytes(state);
}

}  // namespace

BENCHMARK(content_hash_packed)->Name("monitor/content_hash/packed")->Unit(benchmark::kMicrosecond);
BENCHMARK(content_hash_crop)->Name("monitor/content_hash/crop")->Unit(benchmark::kMicrosecond);
BENCHMARK(memcpy_frame)->Name("monitor/memcpy")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(tile_stats_vecta, seq, vecta::seq)
    ->Name("monitor/tile_stats/vecta/1thread")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(tile_stats_vecta, scalar, vecta::seq | vecta::simd::scalar)
    ->Name("monitor/tile_stats/vecta-scalar/1thread")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(tile_stats_vecta, par, vecta::par)
    ->Name("monitor/tile_stats/vecta/2threads")
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(tile_stats_opencv)->Name("monitor/tile_stats/opencv/1thread")->Unit(benchmark::kMicrosecond);
