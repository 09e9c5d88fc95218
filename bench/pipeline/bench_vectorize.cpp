// W4 (part): vectorize, PNG pixels to an SVG document, on the bundled photo and an icon.
// Named W4/vectorize/vecta/<input>/<policy>; bytes, paths and nodes reported as counters.
#include <vecta/vectorize.hpp>

#include "../bench_support.hpp"

namespace {
template <class Policy>
void vectorize(benchmark::State& state, Policy policy, std::filesystem::path path) {
    const auto* img = vecta_bench::load(path, 3);
    if (vecta_bench::skip_if_missing(state, img)) return;
    vecta::vectorize_stats stats;
    for (auto _ : state) {
        auto r = vecta::vectorize(policy, img->view(), {.colors = 16});
        stats = r.stats;
        benchmark::DoNotOptimize(r.document.data());
    }
    state.counters["svg_bytes"] = double(stats.bytes);
    state.counters["paths"] = double(stats.paths);
    state.counters["nodes"] = double(stats.nodes);
}
const auto chelsea = vecta_bench::repo_dir() / "examples/data/chelsea.png";
const auto icon = vecta_bench::data_dir() / "icons/tango-computer.png";
}  // namespace

namespace {
const bool registered = [] {
    benchmark::RegisterBenchmark("W4/vectorize/vecta/chelsea-451x300/seq", vectorize<vecta::sequenced_policy>,
                                 vecta::seq, chelsea)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W4/vectorize/vecta/chelsea-451x300/par", vectorize<vecta::parallel_policy>,
                                 vecta::par, chelsea)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("W4/vectorize/vecta/icon-tango-computer/par", vectorize<vecta::parallel_policy>,
                                 vecta::par, icon)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    return true;
}();
}  // namespace
