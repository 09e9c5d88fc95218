// SPDX-License-Identifier: MIT
// W2 of BENCHMARKS.md: Gaussian blur 5x5 sigma 1.4, Sobel 3x3 gradient magnitude and Canny 50/150
// (L1 and L2) on the grey 1920x1080 and 3840x2160 frames, vecta and OpenCV in the same run.
// Names: W2/<kernel>/<impl>/<size> on 2 threads (vecta::par limited to 2 threads, and
// cv::setNumThreads(2)), W2/<kernel>/<impl>/<size>/1thread on one (vecta::seq,
// cv::setNumThreads(1)). Kernels: gaussian, sobel (L2 magnitude as float: vecta::sobel_magnitude
// vs cv::spatialGradient + convertTo + cv::magnitude), sobel_xy (the int16 derivative pair:
// vecta::sobel vs cv::spatialGradient), canny_l1, canny_l2, gaussian_f32 (the same blur of the
// frame as float in [0, 1] vs cv::GaussianBlur on CV_32F). vecta-scalar = the plain loops.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/gray.hpp>
#include <vecta/imgproc/sobel.hpp>

#include "../bench_support.hpp"

#if VECTA_WITH_TBB
#include <oneapi/tbb/global_control.h>
#endif

namespace {

enum class kernel { gaussian, sobel, sobel_xy, canny_l1, canny_l2, gaussian_f32 };

struct frame {
    vecta::image<std::uint8_t> gray;
    cv::Mat mat;
    vecta::image<float> grayf;  // gray / 255
    cv::Mat matf;
};

const frame* gray_frame(const std::string& size) {
    static std::map<std::string, frame> cache;
    auto it = cache.find(size);
    if (it == cache.end()) {
        const auto* rgb = vecta_bench::bench_frame(size, 3);
        if (rgb == nullptr) return nullptr;
        frame f{vecta::to_gray(rgb->view()), {}, {}, {}};
        f.mat = cv::Mat(int(f.gray.height()), int(f.gray.width()), CV_8UC1, f.gray.data());
        f.grayf = vecta::image<float>(f.gray.width(), f.gray.height());
        for (std::size_t i = 0; i < f.gray.size(); ++i) f.grayf.data()[i] = float(f.gray.data()[i]) / 255.0f;
        f.matf = cv::Mat(int(f.gray.height()), int(f.gray.width()), CV_32FC1, f.grayf.data());
        it = cache.emplace(size, std::move(f)).first;
    }
    return &it->second;
}

template <class Policy>
void run_vecta(benchmark::State& state, kernel k, const std::string& size, Policy policy) {
    const frame* f = gray_frame(size);
    if (vecta_bench::skip_if_missing(state, f)) return;
#if VECTA_WITH_TBB
    oneapi::tbb::global_control limit(oneapi::tbb::global_control::max_allowed_parallelism, 2);
#endif
    const auto& g = f->gray;
    const std::size_t w = g.width(), h = g.height();
    vecta::image<std::uint8_t> out(w, h);
    vecta::image<float> mag(w, h), outf(w, h);
    vecta::image<std::int16_t> dx(w, h), dy(w, h);
    for (auto _ : state) {
        switch (k) {
            case kernel::gaussian: vecta::gaussian_blur(policy, g, out, {.ksize = 5, .sigma = 1.4}); break;
            case kernel::sobel: vecta::sobel_magnitude(policy, g, mag, {.l2_gradient = true}); break;
            case kernel::sobel_xy: vecta::sobel(policy, g, dx.view(), dy.view()); break;
            case kernel::canny_l1: vecta::canny(policy, g, out, {.low = 50, .high = 150}); break;
            case kernel::canny_l2: vecta::canny(policy, g, out, {.low = 50, .high = 150, .l2_gradient = true}); break;
            case kernel::gaussian_f32:
                vecta::gaussian_blur(policy, f->grayf.view(), outf.view(), {.ksize = 5, .sigma = 1.4});
                break;
        }
        benchmark::DoNotOptimize(outf.data());
        benchmark::DoNotOptimize(out.data());
        benchmark::DoNotOptimize(mag.data());
        benchmark::DoNotOptimize(dx.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(w * h));
}

void run_opencv(benchmark::State& state, kernel k, const std::string& size, int threads) {
    const frame* f = gray_frame(size);
    if (vecta_bench::skip_if_missing(state, f)) return;
    const int saved = cv::getNumThreads();
    cv::setNumThreads(threads);
    const cv::Mat& g = f->mat;
    cv::Mat out, dx, dy, fx, fy, mag;
    for (auto _ : state) {
        switch (k) {
            case kernel::gaussian: cv::GaussianBlur(g, out, {5, 5}, 1.4, 1.4); break;
            case kernel::sobel:
                cv::spatialGradient(g, dx, dy);
                dx.convertTo(fx, CV_32F);
                dy.convertTo(fy, CV_32F);
                cv::magnitude(fx, fy, mag);
                break;
            case kernel::sobel_xy: cv::spatialGradient(g, dx, dy); break;
            case kernel::canny_l1: cv::Canny(g, out, 50, 150, 3, false); break;
            case kernel::canny_l2: cv::Canny(g, out, 50, 150, 3, true); break;
            case kernel::gaussian_f32: cv::GaussianBlur(f->matf, out, {5, 5}, 1.4, 1.4); break;
        }
        benchmark::DoNotOptimize(out.data);
        benchmark::DoNotOptimize(mag.data);
        benchmark::DoNotOptimize(dx.data);
        benchmark::ClobberMemory();
    }
    cv::setNumThreads(saved);
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(g.total()));
}

const bool registered = [] {
    const std::pair<kernel, const char*> kernels[] = {
        {kernel::gaussian, "gaussian"}, {kernel::sobel, "sobel"},       {kernel::sobel_xy, "sobel_xy"},
        {kernel::canny_l1, "canny_l1"}, {kernel::canny_l2, "canny_l2"}, {kernel::gaussian_f32, "gaussian_f32"}};
    for (const auto& [k, name] : kernels)
        for (const std::string size : {"1920x1080", "3840x2160"}) {
            const std::string base = std::string("W2/") + name + "/";
            benchmark::RegisterBenchmark((base + "vecta/" + size).c_str(), run_vecta<vecta::parallel_policy>, k, size,
                                         vecta::par)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
            benchmark::RegisterBenchmark((base + "opencv/" + size).c_str(), run_opencv, k, size, 2)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
            benchmark::RegisterBenchmark((base + "vecta/" + size + "/1thread").c_str(),
                                         run_vecta<vecta::sequenced_policy>, k, size, vecta::seq)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
            benchmark::RegisterBenchmark((base + "opencv/" + size + "/1thread").c_str(), run_opencv, k, size, 1)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
            if (size == "1920x1080")
                benchmark::RegisterBenchmark((base + "vecta-scalar/" + size + "/1thread").c_str(),
                                             run_vecta<decltype(vecta::seq | vecta::simd::scalar)>, k, size,
                                             vecta::seq | vecta::simd::scalar)
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime();
        }
    return true;
}();

}  // namespace
