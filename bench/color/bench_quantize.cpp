// SPDX-License-Identifier: MIT
// W1: k-means colour quantization of an RGB photo, k-means++ seeding, at most 10 Lloyd
// iterations, k = 16 and 32, at 600x600 (centre crop of mate-freshflower-1024.png), 1920x1080
// and 3840x2160 (the bench-*.jpg frames). Named W1/kmeans/<impl>/<size>/k<k>, impl = opencv
// (cv::kmeans, KMEANS_PP_CENTERS, 1 attempt, 10 iterations), faiss (faiss::Clustering, niter 10,
// default parameters: it trains on a random sample of 256 k pixels, then every pixel is labelled
// by an IndexFlatL2 search, timed too), libimagequant (quality peer: its own
// median-cut + k-means, no dithering), vecta (vecta::quantize, vecta::par, RGB, defaults) and
// vecta-hamerly (the same forced to Hamerly's bounds: identical output). Peers run on
// the same pixels as float RGB (the conversion is not timed); all on 2 threads. Counters:
// psnr_db of the quantized image (centroids rounded to 8 bits) vs the original; the vecta rows
// also report x_opencv / x_faiss = median peer time / median vecta time from the same run (each
// row runs a fixed number of timed calls and keeps every call's time), and x_faiss_best = the
// fastest single FAISS call (either configuration) / the fastest vecta call. faiss-1t is FAISS
// in its fastest configuration on this 2-core machine: 1 OpenMP thread and single-threaded
// OpenBLAS (with 2 OpenMP threads FAISS's OpenMP threads and OpenBLAS's own pthreads
// oversubscribe the 2 cores and it runs 2-20x slower).
//
// W1/memory/vecta/3840x2160/k<k>: peak extra heap of one vecta::quantize call, measured by
// the replaced global operator new/delete of this program (bytes live, high-water mark reset
// before the call; malloc_usable_size of every block), plus the result's label image (xsimd's
// aligned allocator, outside operator new, counted by its size), against the input's bytes.
// W1/ciede2000/<photo>/k16: mean CIEDE2000 (vecta::ciede2000) between each pixel and its
// quantized colour, RGB mode vs Lab mode, over the colour photos of the corpus.
#include <dlfcn.h>
#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>
#include <libimagequant.h>
#include <malloc.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <new>
#include <opencv2/core.hpp>
#include <string>
#include <vecta/color/ciede2000.hpp>
#include <vecta/color/lab.hpp>
#include <vecta/color/quantize.hpp>
#include <vector>

#include "../bench_support.hpp"

// ---- heap high-water mark ----------------------------------------------------------------
namespace heap {
std::atomic<std::int64_t> live{0}, peak{0};
inline void add(void* p) noexcept {
    if (!p) return;
    const auto now = live.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p))) +
                     static_cast<std::int64_t>(malloc_usable_size(p));
    auto old = peak.load(std::memory_order_relaxed);
    while (now > old && !peak.compare_exchange_weak(old, now)) {
    }
}
inline void sub(void* p) noexcept {
    if (p) live.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)));
}
inline void* alloc(std::size_t n, std::size_t align) {
    void* p = align > alignof(std::max_align_t) ? std::aligned_alloc(align, (n + align - 1) / align * align)
                                                : std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    add(p);
    return p;
}
inline void release(void* p) noexcept {
    sub(p);
    std::free(p);
}
}  // namespace heap

void* operator new(std::size_t n) { return heap::alloc(n, 0); }
void* operator new[](std::size_t n) { return heap::alloc(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return heap::alloc(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return heap::alloc(n, static_cast<std::size_t>(a)); }
void operator delete(void* p) noexcept { heap::release(p); }
void operator delete[](void* p) noexcept { heap::release(p); }
void operator delete(void* p, std::size_t) noexcept { heap::release(p); }
void operator delete[](void* p, std::size_t) noexcept { heap::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { heap::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { heap::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { heap::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { heap::release(p); }

namespace {

using clock_type = std::chrono::steady_clock;
constexpr int threads = 2;

/// The W1 input of a size: "600x600" is the centre crop of mate-freshflower-1024.png.
const vecta::image<std::uint8_t>* frame(const std::string& size) {
    if (size != "600x600") return vecta_bench::bench_frame(size, 3);
    static std::optional<vecta::image<std::uint8_t>> crop;
    if (!crop) {
        const auto* src = vecta_bench::load(vecta_bench::data_dir() / "photos" / "mate-freshflower-1024.png", 3);
        if (!src) return nullptr;
        const std::size_t x0 = (src->width() - 600) / 2, y0 = (src->height() - 600) / 2;
        crop.emplace(600, 600, 3);
        for (std::size_t y = 0; y < 600; ++y)
            for (std::size_t x = 0; x < 600; ++x)
                for (std::size_t c = 0; c < 3; ++c) (*crop)(x, y, c) = (*src)(x0 + x, y0 + y, c);
    }
    return &*crop;
}

std::vector<float> to_float(const vecta::image<std::uint8_t>& img) {
    std::vector<float> f(img.width() * img.height() * 3);
    for (std::size_t y = 0; y < img.height(); ++y)
        for (std::size_t x = 0; x < img.width(); ++x)
            for (std::size_t c = 0; c < 3; ++c) f[(y * img.width() + x) * 3 + c] = img(x, y, c);
    return f;
}

/// PSNR (8-bit peak, over R, G, B) of the image quantized to rounded float centroids.
template <class Label>
double psnr_of(const vecta::image<std::uint8_t>& img, const float* centers, const Label* labels) {
    double se = 0;
    const std::size_t w = img.width();
    for (std::size_t y = 0; y < img.height(); ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const float* c = centers + 3 * static_cast<std::size_t>(labels[y * w + x]);
            for (std::size_t ch = 0; ch < 3; ++ch) {
                const double q = std::clamp(std::round(double(c[ch])), 0.0, 255.0);
                se += (q - img(x, y, ch)) * (q - img(x, y, ch));
            }
        }
    const double mse = se / (3.0 * double(img.width() * img.height()));
    return mse == 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

/// Seconds of every timed call of each impl in this run ("impl/size/k"), for the ratios.
std::map<std::string, std::vector<double>>& call_seconds() {
    static std::map<std::string, std::vector<double>> m;
    return m;
}

double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double min_of(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end()); }

std::string key_of(const std::string& impl, const std::string& size, int k) {
    return impl + "/" + size + "/" + std::to_string(k);
}

/// Reports the median and fastest call time of this row (ms) and records them for the ratios.
void record(benchmark::State& state, const std::string& key, const std::vector<double>& secs) {
    auto& all = call_seconds()[key];
    all.insert(all.end(), secs.begin(), secs.end());
    state.counters["median_ms"] = median_of(all) * 1e3;
    state.counters["min_ms"] = min_of(all) * 1e3;
}

/// openblas_set_num_threads when the BLAS FAISS runs on is OpenBLAS (found at run time).
void set_blas_threads(int n) {
    using fn = void (*)(int);
    if (auto f = reinterpret_cast<fn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(n);
}

template <class F>
double timed(F&& f) {
    const auto t0 = clock_type::now();
    f();
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

void bench_opencv(benchmark::State& state, std::string size, int k) {
    const auto* img = frame(size);
    if (vecta_bench::skip_if_missing(state, img)) return;
    auto px = to_float(*img);
    const cv::Mat samples(static_cast<int>(img->width() * img->height()), 3, CV_32F, px.data());
    cv::setNumThreads(threads);
    cv::Mat labels, centers;
    std::vector<double> secs;
    for (auto _ : state) {
        cv::theRNG().state = 1;
        secs.push_back(timed([&] {
            cv::kmeans(samples, k, labels, cv::TermCriteria(cv::TermCriteria::MAX_ITER, 10, 0.0), 1,
                       cv::KMEANS_PP_CENTERS, centers);
        }));
    }
    record(state, key_of("opencv", size, k), secs);
    state.counters["psnr_db"] = psnr_of(*img, centers.ptr<float>(), labels.ptr<int>());
}

void bench_faiss(benchmark::State& state, std::string size, int k, int omp_threads) {
    const auto* img = frame(size);
    if (vecta_bench::skip_if_missing(state, img)) return;
    const auto px = to_float(*img);
    const std::size_t n = img->width() * img->height();
    omp_set_num_threads(omp_threads);
    set_blas_threads(omp_threads == 1 ? 1 : threads);
    std::vector<float> centers;
    std::vector<faiss::Index::idx_t> labels(n);
    std::vector<float> d(n);
    std::vector<double> secs;
    for (auto _ : state) {
        secs.push_back(timed([&] {
            faiss::ClusteringParameters cp;
            cp.niter = 10;
            cp.seed = 1;
            faiss::Clustering clus(3, k, cp);
            faiss::IndexFlatL2 index(3);
            clus.train(static_cast<faiss::Index::idx_t>(n), px.data(), index);
            index.search(static_cast<faiss::Index::idx_t>(n), px.data(), 1, d.data(), labels.data());
            centers = clus.centroids;
        }));
    }
    omp_set_num_threads(threads);
    set_blas_threads(threads);
    record(state, key_of(omp_threads == 1 ? "faiss-1t" : "faiss", size, k), secs);
    state.counters["psnr_db"] = psnr_of(*img, centers.data(), labels.data());
}

void bench_liq(benchmark::State& state, std::string size, int k) {
    const auto* img = frame(size);
    if (vecta_bench::skip_if_missing(state, img)) return;
    const std::size_t w = img->width(), h = img->height();
    std::vector<std::uint8_t> rgba(w * h * 4);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            for (std::size_t c = 0; c < 3; ++c) rgba[(y * w + x) * 4 + c] = (*img)(x, y, c);
            rgba[(y * w + x) * 4 + 3] = 255;
        }
    std::vector<std::uint8_t> idx(w * h);
    std::vector<float> centers;
    for (auto _ : state) {
        liq_attr* attr = liq_attr_create();
        liq_set_max_colors(attr, k);
        liq_image* li = liq_image_create_rgba(attr, rgba.data(), int(w), int(h), 0);
        liq_result* res = nullptr;
        if (liq_image_quantize(li, attr, &res) != LIQ_OK) {
            state.SkipWithError("liq_image_quantize failed");
            break;
        }
        liq_set_dithering_level(res, 0.0f);
        liq_write_remapped_image(res, li, idx.data(), idx.size());
        const liq_palette* pal = liq_get_palette(res);
        centers.assign(pal->count * 3, 0.0f);
        for (unsigned j = 0; j < pal->count; ++j)
            centers[j * 3] = pal->entries[j].r, centers[j * 3 + 1] = pal->entries[j].g,
                        centers[j * 3 + 2] = pal->entries[j].b;
        liq_result_destroy(res);
        liq_image_destroy(li);
        liq_attr_destroy(attr);
    }
    if (!centers.empty()) state.counters["psnr_db"] = psnr_of(*img, centers.data(), idx.data());
}

/// vecta::quantize under vecta::par (2 threads here), or vecta::seq when one_thread (the
/// vecta-1t rows, against faiss-1t).
void bench_vecta(benchmark::State& state, std::string size, int k, vecta::kmeans_algorithm algorithm, bool one_thread) {
    const auto* img = frame(size);
    if (vecta_bench::skip_if_missing(state, img)) return;
    double psnr = 0;
    std::vector<double> secs;
    const vecta::quantize_params p{.colors = std::size_t(k), .max_iter = 10, .seed = 1, .algorithm = algorithm};
    for (auto _ : state) {
        secs.push_back(timed([&] {
            auto q =
                one_thread ? vecta::quantize(vecta::seq, img->view(), p) : vecta::quantize(vecta::par, img->view(), p);
            psnr = q.psnr;
            benchmark::DoNotOptimize(q.labels.data());
        }));
    }
    const std::string self = key_of(one_thread                                        ? "vecta-1t"
                                    : algorithm == vecta::kmeans_algorithm::automatic ? "vecta"
                                                                                      : "vecta-hamerly",
                                    size, k);
    record(state, self, secs);
    state.counters["psnr_db"] = psnr;
    const auto& me = call_seconds()[self];
    auto peer = [&](const char* impl) -> const std::vector<double>* {
        const auto it = call_seconds().find(key_of(impl, size, k));
        return it == call_seconds().end() || it->second.empty() ? nullptr : &it->second;
    };
    if (one_thread) {  // single thread against single thread
        if (const auto* t = peer("faiss-1t")) state.counters["x_faiss-1t"] = median_of(*t) / median_of(me);
        return;
    }
    for (const char* impl : {"opencv", "faiss", "faiss-1t"})
        if (const auto* t = peer(impl)) state.counters[std::string("x_") + impl] = median_of(*t) / median_of(me);
    double best_faiss = 0;
    for (const char* impl : {"faiss", "faiss-1t"})
        if (const auto* t = peer(impl)) best_faiss = best_faiss > 0 ? std::min(best_faiss, min_of(*t)) : min_of(*t);
    if (best_faiss > 0) state.counters["x_faiss_best"] = best_faiss / min_of(me);
}

void bench_memory(benchmark::State& state, int k) {
    const auto* img = frame("3840x2160");
    if (vecta_bench::skip_if_missing(state, img)) return;
    std::int64_t extra = 0, labels = 0;
    for (auto _ : state) {
        const std::int64_t base = heap::live.load();
        heap::peak.store(base);
        auto q = vecta::quantize(vecta::par, img->view(), {.colors = std::size_t(k), .max_iter = 10, .seed = 1});
        extra = heap::peak.load() - base;
        // The result's label image comes from xsimd's aligned allocator (malloc, not operator
        // new): added by its size, since it is live from its allocation to the end.
        labels = static_cast<std::int64_t>(q.labels.size() * sizeof(std::uint16_t));
        benchmark::DoNotOptimize(q.labels.data());
    }
    const double input = double(img->width() * img->height() * 3);
    state.counters["peak_new_MB"] = double(extra) / 1e6;
    state.counters["labels_MB"] = double(labels) / 1e6;
    state.counters["input_MB"] = input / 1e6;
    state.counters["peak_over_input"] = double(extra + labels) / input;
}

/// Mean CIEDE2000 between every pixel and its quantized colour.
double mean_de00(const vecta::image<std::uint8_t>& img, const vecta::quantize_result& q) {
    std::vector<std::array<double, 3>> pal;
    for (const auto& p : q.palette) {
        const auto l = vecta::rgb_to_lab(p[0], p[1], p[2]);
        pal.push_back({l[0], l[1], l[2]});
    }
    double sum = 0;
    for (std::size_t y = 0; y < img.height(); ++y)
        for (std::size_t x = 0; x < img.width(); ++x) {
            const auto l = vecta::rgb_to_lab(img(x, y, 0), img(x, y, 1), img(x, y, 2));
            sum += vecta::ciede2000({l[0], l[1], l[2]}, pal[q.labels(x, y)]);
        }
    return sum / double(img.width() * img.height());
}

void bench_ciede2000(benchmark::State& state, std::string photo, int k) {
    const auto* img = vecta_bench::load(vecta_bench::data_dir() / "photos" / photo, 3);
    if (vecta_bench::skip_if_missing(state, img)) return;
    double rgb = 0, lab = 0;
    for (auto _ : state) {
        const vecta::quantize_params p{.colors = std::size_t(k), .max_iter = 10, .seed = 1};
        auto pl = p;
        pl.space = vecta::color_space::lab;
        rgb = mean_de00(*img, vecta::quantize(vecta::par, img->view(), p));
        lab = mean_de00(*img, vecta::quantize(vecta::par, img->view(), pl));
    }
    state.counters["de00_rgb"] = rgb;
    state.counters["de00_lab"] = lab;
}

/// Mean PSNR over seeds 0..4 (OpenCV: RNG state seed + 1), one run each: the quality
/// comparison without the luck of one seed.
void bench_psnr5(benchmark::State& state, std::string impl, int k) {
    const auto* img = frame("1920x1080");
    if (vecta_bench::skip_if_missing(state, img)) return;
    auto px = to_float(*img);
    const cv::Mat samples(static_cast<int>(img->width() * img->height()), 3, CV_32F, px.data());
    cv::setNumThreads(threads);
    double mean = 0, lo = 0, hi = 0;
    for (auto _ : state) {
        mean = 0, lo = 1e9, hi = 0;
        for (std::uint64_t seed = 0; seed < 5; ++seed) {
            double p = 0;
            if (impl == "vecta") {
                p = vecta::quantize(vecta::par, img->view(), {.colors = std::size_t(k), .max_iter = 10, .seed = seed})
                        .psnr;
            } else {
                cv::theRNG().state = seed + 1;
                cv::Mat labels, centers;
                cv::kmeans(samples, k, labels, cv::TermCriteria(cv::TermCriteria::MAX_ITER, 10, 0.0), 1,
                           cv::KMEANS_PP_CENTERS, centers);
                p = psnr_of(*img, centers.ptr<float>(), labels.ptr<int>());
            }
            mean += p / 5;
            lo = std::min(lo, p);
            hi = std::max(hi, p);
        }
    }
    state.counters["psnr_db_mean5"] = mean;
    state.counters["psnr_db_min5"] = lo;
    state.counters["psnr_db_max5"] = hi;
}

const bool registered = [] {
    // Fixed numbers of timed calls per row (the ratios use every call of the run): the slow
    // peers fewer at 3840x2160.
    for (const char* size : {"600x600", "1920x1080", "3840x2160"})
        for (int k : {16, 32}) {
            const std::string tail = std::string(size) + "/k" + std::to_string(k);
            const bool big = std::string(size) == "3840x2160";
            benchmark::RegisterBenchmark(("W1/kmeans/opencv/" + tail).c_str(), bench_opencv, size, k)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(big ? 2 : 3);
            benchmark::RegisterBenchmark(("W1/kmeans/faiss/" + tail).c_str(), bench_faiss, size, k, threads)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(big ? 3 : 5);
            benchmark::RegisterBenchmark(("W1/kmeans/faiss-1t/" + tail).c_str(), bench_faiss, size, k, 1)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(big ? 3 : 5);
            benchmark::RegisterBenchmark(("W1/kmeans/libimagequant/" + tail).c_str(), bench_liq, size, k)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(2);
            benchmark::RegisterBenchmark(("W1/kmeans/vecta/" + tail).c_str(), bench_vecta, size, k,
                                         vecta::kmeans_algorithm::automatic, false)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(20);
            benchmark::RegisterBenchmark(("W1/kmeans/vecta-1t/" + tail).c_str(), bench_vecta, size, k,
                                         vecta::kmeans_algorithm::automatic, true)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(20);
            // The same forced to Hamerly's bounds (identical output; automatic is plain Lloyd
            // below k = 48): what the bounds cost or save here.
            benchmark::RegisterBenchmark(("W1/kmeans/vecta-hamerly/" + tail).c_str(), bench_vecta, size, k,
                                         vecta::kmeans_algorithm::hamerly, false)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->Iterations(20);
        }
    for (int k : {16, 32})
        for (const char* impl : {"opencv", "vecta"})
            benchmark::RegisterBenchmark(("W1/psnr5/" + std::string(impl) + "/1920x1080/k" + std::to_string(k)).c_str(),
                                         bench_psnr5, impl, k)
                ->Unit(benchmark::kMillisecond)
                ->Iterations(1);
    for (int k : {16, 32})
        benchmark::RegisterBenchmark(("W1/memory/vecta/3840x2160/k" + std::to_string(k)).c_str(), bench_memory, k)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->Iterations(1);
    for (const char* photo : {"kde-colorfulcups-1024.png", "kde-fallenleaf-1024.png", "mate-freshflower-1024.png",
                              "mate-ladybird-1024.png", "skimage-astronaut.png", "skimage-chelsea.png",
                              "skimage-coffee.png", "skimage-hubble-deep-field.png", "skimage-rocket.png"})
        benchmark::RegisterBenchmark(("W1/ciede2000/" + std::string(photo) + "/k16").c_str(), bench_ciede2000, photo,
                                     16)
            ->Unit(benchmark::kMillisecond)
            ->Iterations(1);
    return true;
}();
}  // namespace
