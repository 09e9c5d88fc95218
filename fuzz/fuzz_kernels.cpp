// SPDX-License-Identifier: MIT
// fuzz/fuzz_kernels.cpp - the kernels with random shapes, strides and parameters (valid or not).
// The first byte selects the kernel. Each call either succeeds and passes cheap invariant checks
// (seq == par where the kernel promises it, indices and coordinates in range, areas adding up)
// or throws a documented vecta::invalid_argument whose message names the function.
//
// The imgproc part (kernels 2-5) uses only the public calls of vecta/imgproc as they are; it is
// kept in one block so it is easy to adapt when those headers change.
#include <cmath>
#include <vecta/color/kmeans.hpp>
#include <vecta/color/quantize.hpp>
#include <vecta/geometry/bezier_fit.hpp>
#include <vecta/geometry/douglas_peucker.hpp>
#include <vecta/geometry/find_contours.hpp>
#include <vecta/geometry/trace_regions.hpp>
#ifndef VECTA_FUZZ_IMGPROC
#define VECTA_FUZZ_IMGPROC 1
#endif
#if VECTA_FUZZ_IMGPROC
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/gray.hpp>
#include <vecta/imgproc/sobel.hpp>
#endif

#include "fuzz_support.hpp"

namespace {

using namespace vecta_fuzz;

double pick_double(FuzzedDataProvider& fdp, double lo, double hi) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
        case 0: return std::nan("");
        case 1: return INFINITY;
        case 2: return -INFINITY;
        case 3: return -fdp.ConsumeFloatingPointInRange<double>(0, hi);
        case 4: return fdp.ConsumeFloatingPoint<double>();
        default: return fdp.ConsumeFloatingPointInRange<double>(lo, hi);
    }
}

std::vector<vecta::point2d> points(FuzzedDataProvider& fdp, std::size_t max_n) {
    const std::size_t n = fdp.ConsumeIntegralInRange<std::size_t>(0, max_n);
    const bool lattice = fdp.ConsumeBool();
    std::vector<vecta::point2d> pts(n);
    for (auto& p : pts) {
        if (lattice) {
            p = {double(fdp.ConsumeIntegralInRange<int>(-20, 20)), double(fdp.ConsumeIntegralInRange<int>(-20, 20))};
        } else {
            p = {pick_double(fdp, -1e6, 1e6), pick_double(fdp, -1e6, 1e6)};
        }
    }
    return pts;
}

bool finite(const vecta::point2d& p) { return std::isfinite(p.x) && std::isfinite(p.y); }

void run_kmeans(FuzzedDataProvider& fdp) {
    const std::size_t dim = fdp.ConsumeIntegralInRange<std::size_t>(0, 5);
    const std::size_t n = fdp.ConsumeIntegralInRange<std::size_t>(0, 48);
    vecta::kmeans_params p;
    p.k = fdp.ConsumeIntegralInRange<std::size_t>(0, n + 2);
    p.max_iter = fdp.ConsumeIntegralInRange<std::size_t>(0, 6);
    p.tol = fdp.ConsumeBool() ? 1e-4 : pick_double(fdp, 0, 10);
    p.seed = fdp.ConsumeIntegral<std::uint8_t>();
    p.init = static_cast<vecta::kmeans_init>(fdp.ConsumeIntegralInRange<int>(0, 2));
    p.algorithm = static_cast<vecta::kmeans_algorithm>(fdp.ConsumeIntegralInRange<int>(0, 3));
    const bool raw = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
    std::vector<float> pts(n * dim + fdp.ConsumeIntegralInRange<std::size_t>(0, 1));
    for (auto& v : pts)
        v = raw ? fdp.ConsumeFloatingPoint<float>() : float(fdp.ConsumeIntegralInRange<int>(-64, 64)) / 4.0f;
    std::vector<float> w;
    if (fdp.ConsumeBool()) {
        w.resize(n + fdp.ConsumeIntegralInRange<std::size_t>(0, 1));
        for (auto& v : w) v = raw ? fdp.ConsumeFloatingPoint<float>() : float(fdp.ConsumeIntegralInRange<int>(0, 9));
    }
    const auto r = vecta::kmeans(std::span<const float>(pts), dim, p, std::span<const float>(w));
    // (pts may hold one extra value: with dim 1 that is one more point, otherwise it is refused)
    check(r.labels.size() == pts.size() / dim && r.centroids.size() == p.k * dim, "kmeans result sizes");
    for (auto l : r.labels) check(l < p.k, "kmeans label out of range");
    for (auto c : r.centroids) check(std::isfinite(c), "kmeans centroid not finite");
    check(std::isfinite(r.inertia) && r.inertia >= 0, "kmeans inertia not finite");
    check(r.iterations <= p.max_iter, "kmeans ran more than max_iter iterations");
    if (fdp.ConsumeBool()) {
        const auto rp = vecta::kmeans(vecta::par, std::span<const float>(pts), dim, p, std::span<const float>(w));
        check(rp.labels == r.labels && rp.centroids == r.centroids, "kmeans differs under seq and par");
    }
}

void run_quantize(FuzzedDataProvider& fdp) {
    vecta::quantize_params p;
    p.colors = fdp.ConsumeIntegralInRange<std::size_t>(0, 20);
    p.space = static_cast<vecta::color_space>(fdp.ConsumeIntegralInRange<int>(0, 2));
    p.max_iter = fdp.ConsumeIntegralInRange<std::size_t>(0, 5);
    p.tol = fdp.ConsumeBool() ? 1e-4 : pick_double(fdp, 0, 10);
    p.dither = fdp.ConsumeBool();
    p.seed = fdp.ConsumeIntegral<std::uint8_t>();
    const std::uint8_t hi = fdp.ConsumeIntegral<std::uint8_t>();
    fuzz_image<std::uint8_t> img(fdp, 20, 1, 4, 0, hi);
    if (!img.ok) return;
    const auto r = vecta::quantize(img.view, p);
    check(!r.palette.empty() && r.palette.size() <= p.colors, "quantize palette size");
    check(r.labels.width() == img.view.width() && r.labels.height() == img.view.height(), "quantize labels shape");
    for (std::size_t i = 0; i < r.labels.size(); ++i)
        check(r.labels.data()[i] < r.palette.size(), "quantize label out of range");
    check(std::isfinite(r.psnr), "quantize psnr not finite");
    vecta::image<std::uint8_t> out(img.view.width(), img.view.height(), 3);
    vecta::apply_palette(r, out.view());
    if (fdp.ConsumeBool()) {
        const auto rp = vecta::quantize(vecta::par, img.view, p);
        check(rp.palette == r.palette, "quantize palette differs under seq and par");
    }
}

// ---- imgproc (public API only; adapt here when vecta/imgproc changes) ----------------------
#if VECTA_FUZZ_IMGPROC
template <class T>
bool same(vecta::image_view<const T> a, vecta::image_view<const T> b) {
    for (std::size_t y = 0; y < a.height(); ++y)
        for (std::size_t x = 0; x < a.width() * a.channels(); ++x)
            if (std::memcmp(&a.row(y)[x], &b.row(y)[x], sizeof(T)) != 0) return false;
    return true;
}

vecta::border_mode border(FuzzedDataProvider& fdp) {
    return static_cast<vecta::border_mode>(fdp.ConsumeIntegralInRange<int>(0, 3));
}

void run_imgproc(FuzzedDataProvider& fdp, int which) {
    fuzz_image<std::uint8_t> src(fdp, 24, 1, 4);
    if (!src.ok) return;
    const vecta::image_view<const std::uint8_t> s = src.view;
    // A destination of the same shape, or (sometimes) a wrong one.
    const bool wrong = fdp.ConsumeIntegralInRange<int>(0, 7) == 0;
    const std::size_t dw = s.width() + (wrong ? 1 : 0), dh = s.height();
    switch (which) {
        case 0: {  // gaussian_blur
            vecta::gaussian_params p;
            p.ksize = fdp.ConsumeIntegralInRange<std::size_t>(0, 11);
            p.sigma = fdp.ConsumeBool() ? 0.0 : pick_double(fdp, 0, 8);
            p.border = border(fdp);
            vecta::image<std::uint8_t> a(dw, dh, s.channels()), b(dw, dh, s.channels());
            vecta::gaussian_blur(s, a.view(), p);
            vecta::gaussian_blur(vecta::par | vecta::simd::scalar, s, b.view(), p);
            check(same<std::uint8_t>(a.view(), b.view()), "gaussian_blur differs seq/SIMD vs par/scalar");
            break;
        }
        case 1: {  // sobel and sobel_magnitude
            vecta::image<std::int16_t> dx(dw, dh), dy(dw, dh);
            vecta::sobel_params sp;
            sp.border = border(fdp);
            vecta::sobel(s, dx.view(), dy.view(), sp);
            vecta::sobel_magnitude_params mp;
            mp.l2_gradient = fdp.ConsumeBool();
            mp.border = border(fdp);
            vecta::image<float> m(dw, dh), m2(dw, dh);
            vecta::sobel_magnitude(s, m.view(), mp);
            vecta::sobel_magnitude(vecta::par | vecta::simd::scalar, s, m2.view(), mp);
            check(same<float>(m.view(), m2.view()), "sobel_magnitude differs seq/SIMD vs par/scalar");
            break;
        }
        case 2: {  // canny
            vecta::canny_params p;
            p.low = fdp.ConsumeBool() ? double(fdp.ConsumeIntegralInRange<int>(0, 300)) : pick_double(fdp, 0, 3000);
            p.high = fdp.ConsumeBool() ? double(fdp.ConsumeIntegralInRange<int>(0, 600)) : pick_double(fdp, 0, 3000);
            p.l2_gradient = fdp.ConsumeBool();
            p.border = border(fdp);
            vecta::image<std::uint8_t> a(dw, dh), b(dw, dh);
            vecta::canny(s, a.view(), p);
            vecta::canny(vecta::par | vecta::simd::scalar, s, b.view(), p);
            check(same<std::uint8_t>(a.view(), b.view()), "canny differs seq/SIMD vs par/scalar");
            for (std::size_t i = 0; i < a.size(); ++i)
                check(a.data()[i] == 0 || a.data()[i] == 255, "canny not binary");
            break;
        }
        default: {  // to_gray, frame hashes, frame_difference
            vecta::image<std::uint8_t> g(dw, dh);
            vecta::to_gray(s, g.view());
            (void)vecta::average_hash(s);
            (void)vecta::difference_hash(s);
            vecta::image<std::uint8_t> mask(dw, dh);
            const int t = fdp.ConsumeIntegralInRange<int>(-2, 257);
            const std::size_t n = vecta::frame_difference(s, s, mask.view(), t);
            check(n == 0, "frame_difference of a frame with itself is not 0");
            break;
        }
    }
}
#else
void run_imgproc(FuzzedDataProvider&, int) {}
#endif
// ---- end of imgproc ------------------------------------------------------------------------

void run_find_contours(FuzzedDataProvider& fdp) {
    fuzz_image<std::uint8_t> img(fdp, 32, 1, 2, 0, 1);
    if (!img.ok) return;
    vecta::contour_params p;
    p.mode = static_cast<vecta::retrieval>(fdp.ConsumeIntegralInRange<int>(0, 2));
    const auto cs = vecta::find_contours(img.view, p);
    const auto w = int(img.view.width()), h = int(img.view.height());
    for (const auto& c : cs) {
        check(!c.points.empty(), "find_contours: empty contour");
        for (const auto& q : c.points) check(q.x >= 0 && q.y >= 0 && q.x < w && q.y < h, "contour point outside");
        check(c.parent >= -1 && c.parent < int(cs.size()), "contour parent out of range");
        for (const auto& q : c.points)
            check(img.view(std::size_t(q.x), std::size_t(q.y)) != 0, "contour on background");
    }
}

void run_douglas_peucker(FuzzedDataProvider& fdp) {
    const auto pts = points(fdp, 64);
    const double eps = fdp.ConsumeBool() ? double(fdp.ConsumeIntegralInRange<int>(0, 40)) / 8 : pick_double(fdp, 0, 10);
    const bool closed = fdp.ConsumeBool();
    const auto idx =
        vecta::douglas_peucker_indices(std::span<const vecta::point2d>(pts), {.epsilon = eps, .closed = closed});
    check(idx.size() <= pts.size(), "douglas_peucker kept more points than given");
    for (std::size_t i = 1; i < idx.size(); ++i) check(idx[i - 1] < idx[i], "indices not ascending");
    if (!pts.empty()) {
        check(!idx.empty() && idx.front() == 0, "first point not kept");
        if (!closed) check(idx.back() == pts.size() - 1, "last point not kept");
    }
    const auto kept = vecta::douglas_peucker(std::span<const vecta::point2d>(pts), {.epsilon = eps, .closed = closed});
    check(kept.size() == idx.size(), "douglas_peucker and _indices disagree");
}

void run_bezier_fit(FuzzedDataProvider& fdp) {
    const auto pts = points(fdp, 64);
    vecta::bezier_params p;
    p.max_error = fdp.ConsumeBool() ? double(fdp.ConsumeIntegralInRange<int>(1, 40)) / 8 : pick_double(fdp, 0, 10);
    p.corner_angle_deg = fdp.ConsumeBool() ? 60.0 : pick_double(fdp, 0, 200);
    p.closed = fdp.ConsumeBool();
    const auto cs = vecta::bezier_fit(std::span<const vecta::point2d>(pts), p);
    check(!cs.empty(), "bezier_fit returned no segment");
    for (std::size_t i = 0; i < cs.size(); ++i) {
        if (!(finite(cs[i].p0) && finite(cs[i].p1) && finite(cs[i].p2) && finite(cs[i].p3))) {
            std::fprintf(stderr, "max_error=%.17g corner=%.17g closed=%d points:\n", p.max_error, p.corner_angle_deg,
                         int(p.closed));
            for (const auto& q : pts) std::fprintf(stderr, "  {%.17g, %.17g},\n", q.x, q.y);
            fail("non-finite control point");
        }
        if (i + 1 < cs.size())
            check(cs[i].p3.x == cs[i + 1].p0.x && cs[i].p3.y == cs[i + 1].p0.y, "bezier chain is broken");
    }
    if (p.closed) check(cs.back().p3.x == cs.front().p0.x && cs.back().p3.y == cs.front().p0.y, "ring not closed");
}

template <class L>
void trace(FuzzedDataProvider& fdp) {
    const L hi = fdp.ConsumeIntegralInRange<L>(0, L(~L(0)));
    fuzz_image<L> img(fdp, 32, 1, 2, 0, hi);
    if (!img.ok) return;
    const auto regions = vecta::trace_regions(img.view);
    std::size_t total = 0;
    const auto w = int(img.view.width()), h = int(img.view.height());
    for (const auto& r : regions) {
        total += r.area;
        check(r.enclosed_area >= r.area, "enclosed area below area");
        check(r.outline.size() >= 4 && r.outline.size() % 2 == 0, "outline is not a rectilinear ring");
        for (const auto& q : r.outline) check(q.x >= 0 && q.y >= 0 && q.x <= w && q.y <= h, "outline vertex outside");
    }
    check(total == img.view.pixel_count(), "region areas do not add up to the image");
}

void run_trace_regions(FuzzedDataProvider& fdp) {
    switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
        case 0: return trace<std::uint8_t>(fdp);
        case 1: return trace<std::uint16_t>(fdp);
        default: return trace<std::uint32_t>(fdp);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    FuzzedDataProvider fdp(data + 1, size - 1);
    try {
        switch (data[0] % 11) {
            case 0: run_kmeans(fdp); break;
            case 1: run_quantize(fdp); break;
            case 2:
            case 3:
            case 4:
            case 5: run_imgproc(fdp, data[0] % 11 - 2); break;
            case 6: run_find_contours(fdp); break;
            case 7: run_douglas_peucker(fdp); break;
            case 8: run_bezier_fit(fdp); break;
            default: run_trace_regions(fdp); break;
        }
    } catch (const vecta::invalid_argument& e) {
        check_message(e);
    }
    return 0;
}
