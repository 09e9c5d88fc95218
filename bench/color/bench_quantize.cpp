// W1 (part): colour quantization of an RGB photo, k-means++ seeding, at most 10 Lloyd
// iterations. Named W1/quantize/vecta/<size>/k<k>; PSNR reported as a counter. The OpenCV and
// FAISS peers come with the colour quantization issue.
#include <vecta/color/quantize.hpp>

#include "../bench_support.hpp"

namespace {
void quantize(benchmark::State& state, const char* size, std::size_t k) {
    const auto* rgb = vecta_bench::bench_frame(size, 3);
    if (vecta_bench::skip_if_missing(state, rgb)) return;
    double psnr = 0;
    for (auto _ : state) {
        auto q = vecta::quantize(vecta::par, rgb->view(), {.colors = k, .max_iter = 10, .seed = 1});
        psnr = q.psnr;
        benchmark::DoNotOptimize(q.labels.data());
    }
    state.counters["psnr_db"] = psnr;
}
}  // namespace

namespace {
const bool registered = [] {
    for (int k : {16, 32})
        benchmark::RegisterBenchmark(("W1/quantize/vecta/1920x1080/k" + std::to_string(k)).c_str(), quantize,
                                     "1920x1080", std::size_t(k))
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    return true;
}();
}  // namespace
