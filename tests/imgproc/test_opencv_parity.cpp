// SPDX-License-Identifier: MIT
// vecta's edges against OpenCV 4.x itself: cv::Canny on every photo of the shared corpus, and
// cv::GaussianBlur, cv::Sobel, cv::Scharr on random images, pixel for pixel.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <test_support.hpp>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/gray.hpp>
#include <vecta/imgproc/sobel.hpp>
#include <vecta/io/image_file.hpp>

#include "imgproc_test_util.hpp"

#if VECTA_TEST_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

using vecta::border_mode;

std::size_t sz(int v) { return static_cast<std::size_t>(v); }

int cv_border(border_mode b) {
    return b == border_mode::reflect101  ? cv::BORDER_REFLECT_101
           : b == border_mode::replicate ? cv::BORDER_REPLICATE
                                         : cv::BORDER_CONSTANT;
}

template <class T>
vecta::image_view<const T> view_of(const cv::Mat& m) {
    return {reinterpret_cast<const T*>(m.data), std::size_t(m.cols), std::size_t(m.rows), std::size_t(m.channels()),
            m.step / sizeof(T)};
}

template <class T>
cv::Mat mat_of(vecta::image<T>& im, int type) {
    return cv::Mat(int(im.height()), int(im.width()), type, im.data());
}

cv::Mat random_mat(int w, int h, int type, std::uint64_t seed) {
    cv::Mat m(h, w, type);
    imgproc_test::splitmix64 rng{seed};
    for (std::size_t i = 0; i < m.total() * m.elemSize(); ++i) m.data[i] = std::uint8_t(rng.below(256));
    return m;
}

std::size_t count_diff(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat d;
    cv::compare(a, b, d, cv::CMP_NE);
    return std::size_t(cv::countNonZero(d.reshape(1)));
}

struct single_thread_opencv {
    single_thread_opencv() { cv::setNumThreads(1); }  // OpenCV's own threads are not instrumented
} const opencv_threads;

}  // namespace

TEST_CASE("canny equals cv::Canny pixel for pixel on every photo of the corpus") {
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !std::filesystem::exists(dir / "photos")) {
        MESSAGE("shared data not found (set VECTA_DATA_DIR): Canny parity on the photos skipped");
        return;
    }
    std::size_t photos = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "photos")) {
        // Decoded with stb and converted with vecta::to_gray (equal to cv::cvtColor RGB2GRAY); both
        // detectors get the same gray image. (cv::imread would pull GDAL into the TSan run.)
        const auto ext = entry.path().extension().string();
        if (ext != ".png" && ext != ".jpg" && ext != ".jpeg") continue;
        const auto rgb = vecta::io::load_image(entry.path(), {.channels = 3});
#if defined(__SANITIZE_THREAD__)
        if (rgb.width() * rgb.height() > 300'000) continue;  // TSan: the small photos are enough
#elif VECTA_TEST_SANITIZED
        if (rgb.width() * rgb.height() > 3'000'000) continue;  // keep the sanitizer run short
#endif
        auto gray_img = vecta::to_gray(rgb.view());
        const cv::Mat gray(int(gray_img.height()), int(gray_img.width()), CV_8UC1, gray_img.data());
        ++photos;
        for (bool l2 : {false, true})
            for (auto [low, high] : {std::pair{50.0, 150.0}, {20.0, 60.0}}) {
                CAPTURE(entry.path().filename().string());
                CAPTURE(l2);
                CAPTURE(low);
                cv::Mat ref;
                cv::Canny(gray, ref, low, high, 3, l2);
                vecta::image<std::uint8_t> out(std::size_t(gray.cols), std::size_t(gray.rows));
                vecta::canny(vecta::par, view_of<std::uint8_t>(gray), out.view(),
                             {.low = low, .high = high, .l2_gradient = l2});
                const std::size_t diff = count_diff(ref, mat_of(out, CV_8UC1));
                CHECK(diff == 0);
                CHECK(cv::countNonZero(ref) > 1000);
            }
    }
    CHECK(photos >= 1);
    MESSAGE("Canny parity checked on " << photos << " photos");
}

TEST_CASE("canny equals cv::Canny on random and tiny images, from dx/dy too") {
    std::uint64_t seed = 1;
    for (auto [w, h] : {std::pair{1, 1}, {2, 2}, {1, 9}, {9, 1}, {3, 3}, {64, 48}, {201, 97}})
        for (bool l2 : {false, true}) {
            CAPTURE(w);
            CAPTURE(h);
            auto img = imgproc_test::smooth_random_u8(sz(w), sz(h), ++seed, 1);
            cv::Mat src(h, w, CV_8UC1, img.data()), ref, gx, gy, ref2;
            cv::Canny(src, ref, 30, 90, 3, l2);
            vecta::image<std::uint8_t> out(sz(w), sz(h));
            vecta::canny(vecta::par, img, out, {.low = 30, .high = 90, .l2_gradient = l2});
            CHECK(count_diff(ref, mat_of(out, CV_8UC1)) == 0);
            // Canny(dx, dy): Scharr gradients with a replicated border.
            cv::Scharr(src, gx, CV_16S, 1, 0, 1, 0, cv::BORDER_REPLICATE);
            cv::Scharr(src, gy, CV_16S, 0, 1, 1, 0, cv::BORDER_REPLICATE);
            cv::Canny(gx, gy, ref2, 100, 300, l2);
            vecta::canny(view_of<std::int16_t>(gx), view_of<std::int16_t>(gy), out.view(),
                         {.low = 100, .high = 300, .l2_gradient = l2});
            CHECK(count_diff(ref2, mat_of(out, CV_8UC1)) == 0);
        }
}

TEST_CASE("gaussian_blur u8 equals cv::GaussianBlur for 1-4 channels, any ksize and sigma, three borders") {
    std::uint64_t seed = 10;
    for (auto [w, h] : {std::pair{1, 1}, {2, 2}, {1, 7}, {13, 1}, {37, 29}, {130, 21}})
        for (int cn = 1; cn <= 4; ++cn)
            for (auto border : imgproc_test::all_borders)
                for (int ks : {0, 1, 3, 5, 7, 9, 11, 15})
                    for (double sigma : {0.0, 0.8, 1.4, 3.0}) {
                        if (ks == 0 && sigma == 0) continue;
                        CAPTURE(w);
                        CAPTURE(h);
                        CAPTURE(cn);
                        CAPTURE(int(border));
                        CAPTURE(ks);
                        CAPTURE(sigma);
                        const cv::Mat src = random_mat(w, h, CV_8UC(cn), ++seed);
                        cv::Mat ref;
                        cv::GaussianBlur(src, ref, {ks, ks}, sigma, sigma, cv_border(border));
                        vecta::image<std::uint8_t> out(sz(w), sz(h), sz(cn));
                        vecta::gaussian_blur(vecta::par, view_of<std::uint8_t>(src), out.view(),
                                             {.ksize = std::size_t(ks), .sigma = sigma, .border = border});
                        CHECK(count_diff(ref, mat_of(out, CV_8UC(cn))) == 0);
                    }
}

TEST_CASE("gaussian_blur u16 and float are within 2 levels / 1e-4 of cv::GaussianBlur") {
    std::uint64_t seed = 20;
    for (int cn : {1, 3})
        for (auto border : imgproc_test::all_borders)
            for (int ks : {3, 5, 9})
                for (double sigma : {0.0, 1.4}) {
                    CAPTURE(cn);
                    CAPTURE(int(border));
                    CAPTURE(ks);
                    CAPTURE(sigma);
                    const cv::Mat s8 = random_mat(61, 33, CV_8UC(cn), ++seed);
                    cv::Mat s16, sf, r16, rf;
                    s8.convertTo(s16, CV_16U, 257);
                    s8.convertTo(sf, CV_32F, 1.0 / 255);
                    cv::GaussianBlur(s16, r16, {ks, ks}, sigma, sigma, cv_border(border));
                    cv::GaussianBlur(sf, rf, {ks, ks}, sigma, sigma, cv_border(border));
                    vecta::image<std::uint16_t> o16(61, 33, sz(cn));
                    vecta::image<float> of(61, 33, sz(cn));
                    const vecta::gaussian_params p{.ksize = std::size_t(ks), .sigma = sigma, .border = border};
                    vecta::gaussian_blur(vecta::par, view_of<std::uint16_t>(s16), o16.view(), p);
                    vecta::gaussian_blur(vecta::par, view_of<float>(sf), of.view(), p);
                    double e16 = 0, ef = 0;
                    for (std::size_t i = 0; i < o16.size(); ++i) {
                        e16 = std::max(e16, std::abs(double(o16.data()[i]) - double(r16.ptr<std::uint16_t>()[i])));
                        ef = std::max(ef, std::abs(double(of.data()[i]) - double(rf.ptr<float>()[i])));
                    }
                    CHECK(e16 <= 2);  // of 65535: OpenCV rounds its 16-bit path differently
                    CHECK(ef <= 1e-4);
                }
}

TEST_CASE("sobel and scharr equal cv::Sobel / cv::Scharr (CV_16S) for each border, tiny images too") {
    std::uint64_t seed = 30;
    for (auto [w, h] : {std::pair{1, 1}, {2, 2}, {1, 8}, {8, 1}, {3, 3}, {99, 41}})
        for (auto border : imgproc_test::all_borders)
            for (bool scharr : {false, true}) {
                CAPTURE(w);
                CAPTURE(h);
                CAPTURE(int(border));
                CAPTURE(scharr);
                const cv::Mat src = random_mat(w, h, CV_8UC1, ++seed);
                cv::Mat rx, ry;
                if (scharr) {
                    cv::Scharr(src, rx, CV_16S, 1, 0, 1, 0, cv_border(border));
                    cv::Scharr(src, ry, CV_16S, 0, 1, 1, 0, cv_border(border));
                } else {
                    cv::Sobel(src, rx, CV_16S, 1, 0, 3, 1, 0, cv_border(border));
                    cv::Sobel(src, ry, CV_16S, 0, 1, 3, 1, 0, cv_border(border));
                }
                vecta::image<std::int16_t> dx(sz(w), sz(h)), dy(sz(w), sz(h));
                vecta::sobel(vecta::par, view_of<std::uint8_t>(src), dx.view(), dy.view(),
                             {.border = border, .scharr = scharr});
                CHECK(count_diff(rx, mat_of(dx, CV_16SC1)) == 0);
                CHECK(count_diff(ry, mat_of(dy, CV_16SC1)) == 0);
                // The magnitude equals cv::magnitude of the float-converted derivatives.
                cv::Mat fx, fy, mag;
                rx.convertTo(fx, CV_32F);
                ry.convertTo(fy, CV_32F);
                cv::magnitude(fx, fy, mag);
                vecta::image<float> m(sz(w), sz(h));
                vecta::sobel_magnitude(view_of<std::uint8_t>(src), m.view(), {.border = border, .scharr = scharr});
                double e = 0;
                for (std::size_t i = 0; i < m.size(); ++i)
                    e = std::max(e, std::abs(double(m.data()[i]) - double(mag.ptr<float>()[i])));
                CHECK(e <= 1e-3);
            }
}

TEST_CASE("to_gray equals cv::cvtColor RGB2GRAY / RGBA2GRAY on every colour") {
    // All 2^24 colours as one 4096 x 4096 RGB image (OpenCV 4.x's 15-bit weights; the 14-bit
    // ones vecta used before differ on 0.26 % of random colours, e.g. (1, 13, 5): 8 against 9).
    cv::Mat rgb(4096, 4096, CV_8UC3);
    for (int i = 0; i < 1 << 24; ++i) {
        auto* p = rgb.ptr<std::uint8_t>() + 3 * std::size_t(i);
        p[0] = std::uint8_t(i >> 16);
        p[1] = std::uint8_t(i >> 8);
        p[2] = std::uint8_t(i);
    }
    cv::Mat ref, rgba, ref4;
    cv::cvtColor(rgb, ref, cv::COLOR_RGB2GRAY);
    auto g = vecta::to_gray(vecta::par, view_of<std::uint8_t>(rgb));
    CHECK(std::equal(g.data(), g.data() + g.size(), ref.ptr<std::uint8_t>()));
    const cv::Mat part = rgb.rowRange(0, 64);
    cv::cvtColor(part, rgba, cv::COLOR_RGB2RGBA);
    cv::cvtColor(rgba, ref4, cv::COLOR_RGBA2GRAY);
    auto g4 = vecta::to_gray(view_of<std::uint8_t>(rgba));
    CHECK(std::equal(g4.data(), g4.data() + g4.size(), ref4.ptr<std::uint8_t>()));
}

#else
TEST_CASE("OpenCV parity") { MESSAGE("OpenCV not found at configure time: parity cases skipped"); }
#endif
