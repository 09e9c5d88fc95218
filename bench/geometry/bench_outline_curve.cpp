// SPDX-License-Identifier: MIT
// Outline tracer stages on the regions of line art. Names: OutlineCurve/<stage>/<file>.
//
// Input: ../shared/data/lineart/<file>.png read as grey, ink = luma < 128 (as
// tools/tracer_quality/tracer_quality.py and tools/w4_compare.sh threshold it), split into
// 4-connected regions by vecta::trace_regions (not timed). Timed, per iteration, over every
// region's outline: `polygon` vecta::optimal_polygon; `curve` vecta::fit_outline_curve with the
// defaults (alphamax 1, corner_angle_deg 135, opttolerance 0.2); `curve_noopt` the same with
// opttolerance 0. Counters: steps (unit steps of all outlines), ns_per_step (CPU time per unit
// step), segments (curve segments out).
// No library peer runs in process (potrace is GPL and only a command here); the comparison with
// the `potrace` command is in tools/tracer_quality/tracer_quality.py (whole-command wall times).
#include <cstdlib>
#include <string>
#include <vecta/geometry/optimal_polygon.hpp>
#include <vecta/geometry/outline_curve.hpp>
#include <vecta/geometry/trace_regions.hpp>
#include <vector>

#include "../bench_support.hpp"

namespace {

struct lineart_outlines {
    std::vector<std::vector<vecta::point2<int>>> outlines;
    double steps = 0;
};

const lineart_outlines* outlines_of(const std::string& file) {
    static std::map<std::string, lineart_outlines> cache;
    if (auto it = cache.find(file); it != cache.end()) return &it->second;
    const auto* img = vecta_bench::load(vecta_bench::data_dir() / "lineart" / (file + ".png"), 1);
    if (!img) return nullptr;
    vecta::image<std::uint8_t> ink(img->width(), img->height(), 1);
    for (std::size_t y = 0; y < img->height(); ++y)
        for (std::size_t x = 0; x < img->width(); ++x) ink(x, y) = (*img)(x, y) < 128 ? 1 : 0;
    lineart_outlines out;
    for (auto& r : vecta::trace_regions(ink)) {
        const auto& o = r.outline;
        for (std::size_t i = 0; i < o.size(); ++i) {
            const auto a = o[i], b = o[(i + 1) % o.size()];
            out.steps += std::abs(b.x - a.x) + std::abs(b.y - a.y);
        }
        out.outlines.push_back(o);
    }
    return &cache.emplace(file, std::move(out)).first->second;
}

template <int Stage>
void bm_outline(benchmark::State& state, const std::string& file) {
    const lineart_outlines* in = outlines_of(file);
    if (!in) {
        state.SkipWithError(("missing ../shared/data/lineart/" + file + ".png").c_str());
        return;
    }
    std::size_t segments = 0;
    for (auto _ : state) {
        segments = 0;
        for (const auto& o : in->outlines) {
            if constexpr (Stage == 0) {
                segments += vecta::optimal_polygon(o).size();
            } else {
                const auto c = vecta::fit_outline_curve(o, {.opttolerance = Stage == 1 ? 0.2 : 0.0});
                segments += c.segments.size();
            }
        }
        benchmark::DoNotOptimize(segments);
    }
    state.counters["steps"] = in->steps;
    state.counters["segments"] = double(segments);
    state.counters["ns_per_step"] = benchmark::Counter(
        in->steps * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

const char* const files[] = {"adwaita-emoji-nature-symbolic",
                             "adwaita-face-monkey-symbolic",
                             "mdi-butterfly",
                             "mdi-dog",
                             "mdi-fish",
                             "mdi-flower",
                             "mdi-home-variant",
                             "mdi-horse",
                             "mdi-key",
                             "skimage-horse"};

const bool registered = [] {
    for (const char* f : files) {
        benchmark::RegisterBenchmark((std::string("OutlineCurve/polygon/") + f).c_str(), bm_outline<0>, std::string(f))
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string("OutlineCurve/curve/") + f).c_str(), bm_outline<1>, std::string(f))
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string("OutlineCurve/curve_noopt/") + f).c_str(), bm_outline<2>,
                                     std::string(f))
            ->Unit(benchmark::kMillisecond);
    }
    return true;
}();

}  // namespace
