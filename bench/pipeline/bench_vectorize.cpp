// SPDX-License-Identifier: MIT
// W4: vectorize, decoded pixels to an SVG document, with the defaults (no flag), on icons,
// photos and line art (binary mode). Named W4/vectorize/vecta/<input>/<mode>/<policy>; SVG
// bytes, paths and nodes are reported as counters. The peers (vtracer, imagetracerjs, potrace)
// are command-line / node tools: tools/w4_compare.sh times them on the same files.
#include <vecta/vectorize.hpp>

#include "../bench_support.hpp"

namespace {
template <class Policy>
void vectorize(benchmark::State& state, Policy policy, std::filesystem::path path, vecta::trace_mode mode) {
    const auto* img = vecta_bench::load(path, mode == vecta::trace_mode::binary ? 1 : 3);
    if (vecta_bench::skip_if_missing(state, img)) return;
    vecta::vectorize_stats stats;
    for (auto _ : state) {
        auto r = vecta::vectorize(policy, img->view(), {.mode = mode});
        stats = r.stats;
        benchmark::DoNotOptimize(r.document.data());
    }
    state.counters["svg_bytes"] = double(stats.bytes);
    state.counters["paths"] = double(stats.paths);
    state.counters["nodes"] = double(stats.nodes);
}

struct input {
    const char* name;
    std::filesystem::path path;
    vecta::trace_mode mode;
};

const bool registered = [] {
    const auto data = vecta_bench::data_dir();
    const input inputs[] = {
        {"chelsea-451x300/color", vecta_bench::repo_dir() / "examples/data/chelsea.png", vecta::trace_mode::color},
        {"icon-tango-computer/color", data / "icons/tango-computer.png", vecta::trace_mode::color},
        {"icon-mdi-cat/color", data / "icons/mdi-cat.png", vecta::trace_mode::color},
        {"icon-twemoji-fox/color", data / "icons/twemoji-1f98a-fox-face.png", vecta::trace_mode::color},
        {"lineart-mdi-dog-512/binary", data / "lineart/mdi-dog.png", vecta::trace_mode::binary},
        {"lineart-skimage-horse/binary", data / "lineart/skimage-horse.png", vecta::trace_mode::binary},
    };
    for (const auto& in : inputs) {
        benchmark::RegisterBenchmark((std::string("W4/vectorize/vecta/") + in.name + "/seq").c_str(),
                                     vectorize<vecta::sequenced_policy>, vecta::seq, in.path, in.mode)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string("W4/vectorize/vecta/") + in.name + "/par").c_str(),
                                     vectorize<vecta::parallel_policy>, vecta::par, in.path, in.mode)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    }
    return true;
}();
}  // namespace
