#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

using vecta::border_mode;

namespace {

// Gaussian weights written from the definition (OpenCV getGaussianKernel), independent of vecta.
std::vector<double> ref_weights(std::size_t ksize, double sigma) {
    if (sigma <= 0 && ksize == 1) return {1.0};
    if (sigma <= 0 && ksize == 3) return {1 / 4.0, 2 / 4.0, 1 / 4.0};
    if (sigma <= 0 && ksize == 5) return {1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0};
    if (sigma <= 0 && ksize == 7) return {1 / 32.0, 3.5 / 32, 7 / 32.0, 9 / 32.0, 7 / 32.0, 3.5 / 32, 1 / 32.0};
    if (sigma <= 0) sigma = 0.15 * double(ksize) + 0.35;  // = 0.3 ((ksize-1)/2 - 1) + 0.8
    std::vector<double> w(ksize);
    double s = 0;
    for (std::size_t i = 0; i < ksize; ++i) {
        const double d = double(i) - double(ksize - 1) / 2;
        s += w[i] = std::exp(-d * d / (2 * sigma * sigma));
    }
    for (auto& v : w) v /= s;
    return w;
}

// Naive 2-D convolution in double with the outer-product kernel and the given border rule.
std::vector<double> ref_blur(vecta::image_view<const std::uint8_t> src, std::size_t ksize, double sigma,
                             border_mode border) {
    const auto w = ref_weights(ksize, sigma);
    const long W = long(src.width()), H = long(src.height()), C = long(src.channels()), r = long(ksize / 2);
    std::vector<double> out(std::size_t(W * H * C));
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x)
            for (long c = 0; c < C; ++c) {
                double acc = 0;
                for (long i = -r; i <= r; ++i)
                    for (long j = -r; j <= r; ++j) {
                        const long yy = imgproc_test::ref_border(y + i, H, border);
                        const long xx = imgproc_test::ref_border(x + j, W, border);
                        const double v =
                            (yy < 0 || xx < 0) ? 0.0 : src(std::size_t(xx), std::size_t(yy), std::size_t(c));
                        acc += w[std::size_t(i + r)] * w[std::size_t(j + r)] * v;
                    }
                out[std::size_t((y * W + x) * C + c)] = acc;
            }
    return out;
}

// Largest |dst - exact| over the image.
double max_error(vecta::image_view<const std::uint8_t> dst, const std::vector<double>& ref) {
    double e = 0;
    const std::size_t n = dst.width() * dst.channels();
    for (std::size_t y = 0; y < dst.height(); ++y)
        for (std::size_t i = 0; i < n; ++i) e = std::max(e, std::abs(double(dst.row(y)[i]) - ref[y * n + i]));
    return e;
}

}  // namespace

TEST_CASE("gaussian_kernel equals OpenCV's tables for sigma <= 0 and the formula otherwise") {
    CHECK(vecta::gaussian_kernel(5, 0) == std::vector<double>{0.0625, 0.25, 0.375, 0.25, 0.0625});
    CHECK(vecta::gaussian_kernel(1) == std::vector<double>{1.0});
    CHECK(vecta::gaussian_kernel(3, -1) == std::vector<double>{0.25, 0.5, 0.25});
    CHECK(vecta::gaussian_kernel(7) ==
          std::vector<double>{0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125});
    for (std::size_t ks : {1u, 3u, 9u, 15u, 31u})
        for (double sigma : {0.0, 0.5, 1.3, 4.0}) {
            if (sigma <= 0 && ks <= 7) continue;
            const auto k = vecta::gaussian_kernel(ks, sigma), e = ref_weights(ks, sigma);
            REQUIRE(k.size() == ks);
            double sum = 0;
            for (std::size_t i = 0; i < ks; ++i) {
                CHECK(k[i] == doctest::Approx(e[i]).epsilon(1e-12));
                CHECK(k[i] == k[ks - 1 - i]);
                sum += k[i];
            }
            CHECK(sum == doctest::Approx(1.0).epsilon(1e-12));
        }
    // ksize 9, sigma 0: sigma = 0.3 * (4 - 1) + 0.8 = 1.7.
    const auto k9 = vecta::gaussian_kernel(9);
    CHECK(k9[3] / k9[4] == doctest::Approx(std::exp(-1.0 / (2 * 1.7 * 1.7))).epsilon(1e-12));
}

TEST_CASE("gaussian_blur is within 1 level of a naive double 2-D convolution") {
    struct shape {
        std::size_t w, h;
    };
    const shape shapes[] = {{1, 1}, {2, 2}, {1, 9}, {9, 1}, {3, 17}, {23, 13}};
    std::uint64_t seed = 100;
    for (const auto s : shapes)
        for (std::size_t cn = 1; cn <= 4; ++cn)
            for (auto border : imgproc_test::all_borders)
                for (std::size_t ks : {1u, 3u, 5u, 7u, 9u, 15u})
                    for (double sigma : {0.0, 0.8, 2.5}) {
                        CAPTURE(s.w);
                        CAPTURE(s.h);
                        CAPTURE(cn);
                        CAPTURE(int(border));
                        CAPTURE(ks);
                        CAPTURE(sigma);
                        auto src = imgproc_test::random_u8(s.w, s.h, cn, ++seed);
                        auto sv = imgproc_test::strided_copy<std::uint8_t>(src.view(), 3);
                        imgproc_test::strided<std::uint8_t> dst(s.w, s.h, cn, 2);
                        vecta::gaussian_blur(sv.view, dst.view, {.ksize = ks, .sigma = sigma, .border = border});
                        const double e = max_error(dst.view, ref_blur(src.view(), ks, sigma, border));
                        // Rounded to nearest: at most 0.5 from the exact value (plus float error).
                        CHECK(e <= 0.5 + 1e-3);
                        // The padding between rows is untouched.
                        CHECK(dst.storage[s.w * cn] == 0);
                    }
}

TEST_CASE("gaussian_blur with sigma <= 0 and ksize <= 7 equals OpenCV's 8-bit fixed point exactly") {
    // OpenCV: dst = (sum_i sum_j ky_i kx_j src + 2^15) >> 16 with integer weights summing to 256.
    const std::vector<std::vector<long>> iw = {{64, 128, 64}, {16, 64, 96, 64, 16}, {8, 28, 56, 72, 56, 28, 8}};
    auto src = imgproc_test::random_u8(19, 14, 2, 7);
    for (const auto& k : iw) {
        const std::size_t ks = k.size();
        const long r = long(ks / 2);
        vecta::image<std::uint8_t> dst(19, 14, 2);
        vecta::gaussian_blur(src, dst, {.ksize = ks});
        std::size_t bad = 0;
        for (long y = 0; y < 14; ++y)
            for (long x = 0; x < 19; ++x)
                for (std::size_t c = 0; c < 2; ++c) {
                    long acc = 0;
                    for (long i = -r; i <= r; ++i)
                        for (long j = -r; j <= r; ++j)
                            acc += k[std::size_t(i + r)] * k[std::size_t(j + r)] *
                                   src(std::size_t(imgproc_test::ref_border(x + j, 19, border_mode::reflect101)),
                                       std::size_t(imgproc_test::ref_border(y + i, 14, border_mode::reflect101)), c);
                    bad += dst(std::size_t(x), std::size_t(y), c) != ((acc + 32768) >> 16);
                }
        CHECK(bad == 0);
    }
}

TEST_CASE("gaussian_blur: SIMD and scalar paths are bitwise identical, seq equals par") {
    auto src = imgproc_test::random_u8(131, 203, 3, 5);
    for (std::size_t ks : {3u, 5u, 9u, 21u})
        for (double sigma : {0.0, 1.1, 3.7})
            for (auto border : imgproc_test::all_borders) {
                CAPTURE(ks);
                CAPTURE(sigma);
                const vecta::gaussian_params p{.ksize = ks, .sigma = sigma, .border = border};
                vecta::image<std::uint8_t> a(131, 203, 3), b(131, 203, 3), c(131, 203, 3), d(131, 203, 3);
                vecta::gaussian_blur(vecta::seq, src, a, p);
                vecta::gaussian_blur(vecta::seq | vecta::simd::scalar, src, b, p);
                vecta::gaussian_blur(vecta::par, src, c, p);
                vecta::gaussian_blur(vecta::par | vecta::simd::scalar, src, d, p);
                CHECK(imgproc_test::equal_pixels<std::uint8_t>(a, b));
                CHECK(imgproc_test::equal_pixels<std::uint8_t>(a, c));
                CHECK(imgproc_test::equal_pixels<std::uint8_t>(a, d));
            }
}

TEST_CASE("gaussian_blur: every enabled xsimd architecture equals the scalar path") {
    // Widths around the float batch sizes (4, 8, 16 lanes) times channels exercise the tails;
    // ksize 9 with sigma 0.7 and 4 channels is the reviewer's case that differed with FMA.
    struct config {
        std::size_t w, h, c, ks;
        double sigma;
    };
    const config configs[] = {{64, 40, 4, 9, 0.7}, {1, 9, 1, 3, 0.0},    {5, 7, 3, 5, 1.3},
                              {17, 12, 1, 7, 0.0}, {33, 21, 2, 11, 2.9}, {50, 9, 3, 21, 4.1}};
    std::uint64_t seed = 100;
    for (const auto& cf : configs) {
        auto src = imgproc_test::random_u8(cf.w, cf.h, cf.c, ++seed);
        for (auto border : imgproc_test::all_borders) {
            const vecta::gaussian_params p{.ksize = cf.ks, .sigma = cf.sigma, .border = border};
            vecta::image<std::uint8_t> ref(cf.w, cf.h, cf.c);
            vecta::gaussian_blur(vecta::seq | vecta::simd::scalar, src, ref, p);
            imgproc_test::for_each_arch([&](auto policy, const char* name) {
                CAPTURE(name);
                CAPTURE(cf.w);
                CAPTURE(cf.c);
                CAPTURE(cf.ks);
                CAPTURE(int(border));
                vecta::image<std::uint8_t> out(cf.w, cf.h, cf.c);
                vecta::gaussian_blur(policy, src, out, p);
                CHECK(imgproc_test::equal_pixels<std::uint8_t>(out, ref));
            });
        }
    }
}

TEST_CASE("gaussian row and column kernels: every architecture equals the scalar path in float") {
    // The float sums themselves (before rounding to 8 bits) must be bitwise equal.
    const std::size_t n = 45, r = 4, cn = 3;
    std::vector<float> in(n + 2 * r * cn);
    imgproc_test::splitmix64 rng{77};
    for (auto& v : in) v = float(rng.below(256));
    const auto kd = vecta::gaussian_kernel(2 * r + 1, 0.7);
    const std::vector<float> w(kd.begin(), kd.end());
    std::vector<float> ref(n), ref_col(n);
    std::vector<const float*> rows(2 * r + 1);
    for (std::size_t k = 0; k <= 2 * r; ++k) rows[k] = in.data() + k * cn;
    vecta::detail::gaussian_row_kernel{}(vecta::simd::scalar, in.data(), ref.data(), n, w.data(), r, cn);
    vecta::detail::gaussian_column_kernel{}(vecta::simd::scalar, rows.data(), ref_col.data(), n, w.data(), r);
    imgproc_test::for_each_arch([&](auto policy, const char* name) {
        CAPTURE(name);
        std::vector<float> out(n), out_col(n);
        vecta::detail::simd_invoke(policy, vecta::detail::gaussian_row_kernel{}, in.data(), out.data(), n, w.data(), r,
                                   cn);
        vecta::detail::simd_invoke(policy, vecta::detail::gaussian_column_kernel{}, rows.data(), out_col.data(), n,
                                   w.data(), r);
        CHECK(out == ref);
        CHECK(out_col == ref_col);
    });
}

TEST_CASE("gaussian_blur with a tiny sigma is the identity (delta kernel)") {
    const auto k = vecta::gaussian_kernel(5, 1e-3);
    CHECK(k == std::vector<double>{0, 0, 1, 0, 0});
    const auto k2 = vecta::gaussian_kernel(7, 1e-150);  // sigma^2 = 1e-300 is still normal
    CHECK(k2 == std::vector<double>{0, 0, 0, 1, 0, 0, 0});
    auto src = imgproc_test::random_u8(11, 6, 3, 3);
    vecta::image<std::uint8_t> dst(11, 6, 3);
    vecta::gaussian_blur(src, dst, {.ksize = 5, .sigma = 1e-3});
    CHECK(imgproc_test::equal_pixels<std::uint8_t>(src, dst));
}

TEST_CASE("round_to_u8 saturates and maps NaN to 0") {
    using vecta::detail::round_to_u8;
    CHECK(round_to_u8(-3.0f) == 0);
    CHECK(round_to_u8(0.49f) == 0);
    CHECK(round_to_u8(0.5f) == 1);
    CHECK(round_to_u8(254.5f) == 255);
    CHECK(round_to_u8(1e30f) == 255);
    CHECK(round_to_u8(std::numeric_limits<float>::infinity()) == 255);
    CHECK(round_to_u8(-std::numeric_limits<float>::infinity()) == 0);
    CHECK(round_to_u8(std::numeric_limits<float>::quiet_NaN()) == 0);
}

TEST_CASE("gaussian_blur keeps a constant image constant, except constant borders fade") {
    vecta::image<std::uint8_t> src(12, 10, 1, 200), dst(12, 10, 1);
    vecta::gaussian_blur(src, dst, {.ksize = 7, .sigma = 2});
    CHECK(imgproc_test::equal_pixels<std::uint8_t>(src, dst));
    vecta::gaussian_blur(src, dst, {.ksize = 7, .sigma = 2, .border = border_mode::replicate});
    CHECK(imgproc_test::equal_pixels<std::uint8_t>(src, dst));
    vecta::gaussian_blur(src, dst, {.ksize = 3, .border = border_mode::constant});
    CHECK(dst(0, 0) == 113);  // 200 * (3/4)^2 = 112.5, rounded half up
    CHECK(dst(5, 0) == 150);  // 200 * 3/4
    CHECK(dst(5, 5) == 200);
}

TEST_CASE("gaussian_blur rejects bad input with the argument's name") {
    auto src = imgproc_test::random_u8(6, 5, 3, 1);
    vecta::image<std::uint8_t> dst(6, 5, 3), narrow(5, 5, 3), gray(6, 5, 1);
    auto throws_with = [](auto&& f, const char* what) {
        CHECK_THROWS_WITH_AS(f(), doctest::Contains(what), vecta::invalid_argument);
    };
    throws_with([&] { vecta::gaussian_blur(vecta::image_view<const std::uint8_t>{}, dst); }, "src");
    throws_with([&] { vecta::gaussian_blur(src, narrow); }, "dst");
    throws_with([&] { vecta::gaussian_blur(src, gray); }, "dst");
    throws_with([&] { vecta::gaussian_blur(src, dst, {.ksize = 4}); }, "params.ksize");
    throws_with([&] { vecta::gaussian_blur(src, dst, {.ksize = 0}); }, "params.ksize");
    throws_with([&] { vecta::gaussian_blur(vecta::par, src, dst, {.ksize = 4097}); }, "params.ksize");
    throws_with([&] { vecta::gaussian_blur(src, dst, {.sigma = std::nan("")}); }, "params.sigma");
    throws_with([&] { vecta::gaussian_blur(src, dst, {.sigma = std::numeric_limits<double>::infinity()}); },
                "params.sigma");
    throws_with([&] { vecta::gaussian_blur(src, dst, {.border = static_cast<border_mode>(3)}); }, "params.border");
    // In place and partial overlap.
    throws_with([&] { vecta::gaussian_blur(src, src); }, "dst");
    vecta::image<std::uint8_t> big(6, 6, 3);
    vecta::image_view<std::uint8_t> top(big.data(), 6, 5, 3), shifted(big.data() + 18, 6, 5, 3);
    throws_with([&] { vecta::gaussian_blur(top, shifted); }, "dst");
    throws_with([] { vecta::gaussian_kernel(2); }, "ksize");
    throws_with([] { vecta::gaussian_kernel(3, std::nan("")); }, "sigma");
    // sigma^2 underflows (would give a NaN kernel) or overflows.
    throws_with([] { vecta::gaussian_kernel(5, 1e-200); }, "sigma");
    throws_with([] { vecta::gaussian_kernel(5, std::numeric_limits<double>::denorm_min()); }, "sigma");
    throws_with([] { vecta::gaussian_kernel(5, 1e200); }, "sigma");
    throws_with([&] { vecta::gaussian_blur(src, dst, {.sigma = 1e-200}); }, "params.sigma");
    throws_with([&] { vecta::gaussian_blur(vecta::par, src, dst, {.ksize = 9, .sigma = 1e-160}); }, "params.sigma");
    CHECK_NOTHROW(vecta::gaussian_kernel(5, -1e-200));                // <= 0: derived from ksize
    CHECK_NOTHROW(vecta::gaussian_blur(src, dst, {.sigma = 1e150}));  // a box filter
    CHECK_NOTHROW(vecta::gaussian_blur(src, dst, {.ksize = 4095, .sigma = 0}));
}
