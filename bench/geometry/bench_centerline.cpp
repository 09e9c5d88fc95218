// SPDX-License-Identifier: MIT
// Issue 20: centerline tracing of a 2000 x 2000 line drawing on one thread (target < 100 ms),
// with its stages, and OpenCV in the same run as the peer of the stage it has:
// cv::distanceTransform (DIST_L2, DIST_MASK_PRECISE) against vecta::distance_transform, and
// cv::findContours (the outline tracing a non-centerline tracer does on the same ink).
// Names: CL/<op>/<impl>/2000. The drawing: 400 smooth random pen strokes, widths 1.5-8 px,
// drawn anti-aliased with cv::polylines (LINE_AA), black on white; fixed seed.
#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <vecta/geometry/centerline.hpp>
#include <vecta/geometry/thinning.hpp>
#include <vecta/imgproc/distance_transform.hpp>
#include <vecta/svg/centerline_svg.hpp>

#include "../bench_support.hpp"

namespace {

struct single_thread {
    single_thread() { cv::setNumThreads(1); }
} const one_thread;

const cv::Mat& drawing() {
    static const cv::Mat img = [] {
        cv::Mat m(2000, 2000, CV_8UC1, cv::Scalar(255));
        std::mt19937 rng(2000);
        std::uniform_real_distribution<double> u(0, 1);
        for (int s = 0; s < 400; ++s) {
            std::vector<cv::Point> pts;
            double x = 100 + 1800 * u(rng), y = 100 + 1800 * u(rng), h = 6.283 * u(rng), turn = 0;
            const int steps = 40 + int(120 * u(rng));
            for (int i = 0; i < steps; ++i) {
                pts.emplace_back(int(std::lround(x * 16)), int(std::lround(y * 16)));
                turn = std::clamp(turn + 0.02 * (u(rng) - 0.5), -0.05, 0.05);
                h += turn;
                x = std::clamp(x + 2 * std::cos(h), 10.0, 1990.0);
                y = std::clamp(y + 2 * std::sin(h), 10.0, 1990.0);
            }
            const int width = 2 + int(6 * u(rng));
            cv::polylines(m, std::vector<std::vector<cv::Point>>{pts}, false, cv::Scalar(0), width, cv::LINE_AA, 4);
        }
        return m;
    }();
    return img;
}

vecta::image_view<const std::uint8_t> view_of(const cv::Mat& m) {
    return {m.ptr<std::uint8_t>(), std::size_t(m.cols), std::size_t(m.rows), 1, m.step1()};
}

cv::Mat ink_mask() {
    cv::Mat mask;
    cv::threshold(drawing(), mask, 127, 1, cv::THRESH_BINARY_INV);
    return mask;
}

void CL_trace_centerlines_vecta(benchmark::State& state) {
    const auto v = view_of(drawing());
    std::size_t strokes = 0, bytes = 0;
    for (auto _ : state) {
        auto r = vecta::trace_centerlines(vecta::seq, v);
        strokes = r.strokes.size();
        benchmark::DoNotOptimize(r);
    }
    bytes = vecta::svg::centerline_svg(vecta::trace_centerlines(v), 2000, 2000).size();
    state.counters["strokes"] = double(strokes);
    state.counters["svg_bytes"] = double(bytes);
}
BENCHMARK(CL_trace_centerlines_vecta)->Name("CL/trace_centerlines/vecta/2000")->Unit(benchmark::kMillisecond);

void CL_svg_vecta(benchmark::State& state) {
    const auto r = vecta::trace_centerlines(view_of(drawing()));
    for (auto _ : state) benchmark::DoNotOptimize(vecta::svg::centerline_svg(r, 2000, 2000));
}
BENCHMARK(CL_svg_vecta)->Name("CL/centerline_svg/vecta/2000")->Unit(benchmark::kMillisecond);

void CL_dt_vecta(benchmark::State& state) {
    const cv::Mat mask = ink_mask();
    vecta::image<float> dist(2000, 2000);
    for (auto _ : state) {
        vecta::distance_transform(vecta::seq, view_of(mask), dist.view());
        benchmark::DoNotOptimize(dist.data());
    }
}
BENCHMARK(CL_dt_vecta)->Name("CL/distance_transform/vecta/2000")->Unit(benchmark::kMillisecond);

void CL_dt_opencv(benchmark::State& state) {
    const cv::Mat mask = ink_mask();
    cv::Mat dist;
    for (auto _ : state) {
        cv::distanceTransform(mask, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
        benchmark::DoNotOptimize(dist.data);
    }
}
BENCHMARK(CL_dt_opencv)->Name("CL/distance_transform/opencv/2000")->Unit(benchmark::kMillisecond);

void CL_thinning_vecta(benchmark::State& state) {
    const cv::Mat mask = ink_mask();
    vecta::image<std::uint8_t> out(2000, 2000);
    for (auto _ : state) {
        vecta::thinning(vecta::seq, view_of(mask), out.view());
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(CL_thinning_vecta)->Name("CL/thinning/vecta/2000")->Unit(benchmark::kMillisecond);

void CL_outline_opencv(benchmark::State& state) {
    const cv::Mat mask = ink_mask();
    std::size_t n = 0;
    for (auto _ : state) {
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(mask, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
        n = contours.size();
        benchmark::DoNotOptimize(contours);
    }
    state.counters["contours"] = double(n);
}
BENCHMARK(CL_outline_opencv)->Name("CL/findContours/opencv/2000")->Unit(benchmark::kMillisecond);

}  // namespace
