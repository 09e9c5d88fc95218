// W2 (part): Gaussian blur 5x5 sigma 1.4 on a grey frame; SIMD vs scalar, seq vs par.
// Named W2/gaussian/vecta[-scalar]/<size>/<threads>. The OpenCV peer comes with the edge issue.
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/gray.hpp>

#include "../bench_support.hpp"

namespace {
template <class Policy>
void gaussian(benchmark::State& state, Policy policy, const char* size) {
    const auto* rgb = vecta_bench::bench_frame(size, 3);
    if (vecta_bench::skip_if_missing(state, rgb)) return;
    const auto gray = vecta::to_gray(rgb->view());
    vecta::image<std::uint8_t> out(gray.width(), gray.height());
    for (auto _ : state) {
        vecta::gaussian_blur(policy, gray.view(), out.view(), {.ksize = 5, .sigma = 1.4});
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(gray.size()));
}
}  // namespace

namespace {
const bool registered = [] {
    benchmark::RegisterBenchmark("W2/gaussian/vecta/1920x1080/seq", gaussian<vecta::sequenced_policy>, vecta::seq,
                                 "1920x1080")
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W2/gaussian/vecta-scalar/1920x1080/seq",
                                 gaussian<decltype(vecta::seq | vecta::simd::scalar)>, vecta::seq | vecta::simd::scalar,
                                 "1920x1080")
        ->Unit(benchmark::kMillisecond);
    for (const char* size : {"1920x1080", "3840x2160"})
        benchmark::RegisterBenchmark(("W2/gaussian/vecta/" + std::string(size) + "/par").c_str(),
                                     gaussian<vecta::parallel_policy>, vecta::par, size)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    return true;
}();
}  // namespace
