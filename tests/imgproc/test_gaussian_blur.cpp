// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <array>
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
    if (sigma <= 0 && ksize == 9)
        return {4 / 256.0,  13 / 256.0, 30 / 256.0, 51 / 256.0, 60 / 256.0,
                51 / 256.0, 30 / 256.0, 13 / 256.0, 4 / 256.0};
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

// OpenCV's 8-bit kernel, written from the description of getGaussianKernelBitExact and
// getGaussianKernelFixedPoint_ED (research note on OpenCV parity), independent of vecta.
std::vector<long> ref_q8(std::size_t n, double sigma) {
    std::vector<double> k;
    if (sigma <= 0 && n == 9) {
        for (double v : {4.0, 13.0, 30.0, 51.0, 60.0, 51.0, 30.0, 13.0, 4.0}) k.push_back(v / 256);
    } else if (sigma <= 0 && n <= 7) {
        k = ref_weights(n, 0);
    } else {
        const double s = sigma > 0 ? sigma : std::fma(double(n), 0.15, 0.35);
        const std::size_t c = n / 2;
        double sum = 1;
        k.assign(n, 1.0);
        for (std::size_t i = 0; i < c; ++i) {
            const double d = double(c - i);
            k[i] = k[n - 1 - i] = std::exp(-d * d / (2 * s * s));
            sum += 2 * k[i];
        }
        const double inv = 1 / sum;
        for (auto& v : k) v *= inv;
    }
    std::vector<long> q(n);
    double err = 0;
    long total = 0;
    for (std::size_t i = 0; i < n / 2; ++i) {
        const double a = k[i] * 256 + err;
        double v = std::floor(a + 0.5);
        if (v - a == 0.5 && std::fmod(v, 2.0) != 0) v -= 1;  // half to even
        err = a - v;
        q[i] = q[n - 1 - i] = long(v);
        total += 2 * long(v);
    }
    q[n / 2] = 256 - total;
    return q;
}

// dst = (sum_ij q_i q_j src + 2^15) >> 16 with the border rule, in plain integers.
std::vector<long> ref_blur_q8(vecta::image_view<const std::uint8_t> src, std::size_t ksize, double sigma,
                              border_mode border) {
    const auto q = ref_q8(ksize, sigma);
    const long W = long(src.width()), H = long(src.height()), C = long(src.channels()), r = long(ksize / 2);
    std::vector<long> out(std::size_t(W * H * C));
    for (long y = 0; y < H; ++y)
        for (long x = 0; x < W; ++x)
            for (long c = 0; c < C; ++c) {
                long acc = 0;
                for (long i = -r; i <= r; ++i)
                    for (long j = -r; j <= r; ++j) {
                        const long yy = imgproc_test::ref_border(y + i, H, border);
                        const long xx = imgproc_test::ref_border(x + j, W, border);
                        const long v = (yy < 0 || xx < 0) ? 0 : src(std::size_t(xx), std::size_t(yy), std::size_t(c));
                        acc += q[std::size_t(i + r)] * q[std::size_t(j + r)] * v;
                    }
                out[std::size_t((y * W + x) * C + c)] = (acc + 32768) >> 16;
            }
    return out;
}

}  // namespace

TEST_CASE("gaussian_kernel_q8 equals OpenCV's 8-bit kernels") {
    using V = std::vector<std::uint16_t>;
    CHECK(vecta::gaussian_kernel_q8(3) == V{64, 128, 64});
    CHECK(vecta::gaussian_kernel_q8(5) == V{16, 64, 96, 64, 16});
    CHECK(vecta::gaussian_kernel_q8(5, 1.0) == V{14, 62, 104, 62, 14});  // verified by impulse response
    CHECK(vecta::gaussian_kernel_q8(9) == V{4, 13, 30, 51, 60, 51, 30, 13, 4});
    const auto k7 = vecta::gaussian_kernel_q8(7);
    CHECK(V(k7.begin(), k7.begin() + 4) == V{8, 28, 56, 72});
    for (std::size_t ks : {1u, 3u, 5u, 7u, 9u, 11u, 15u, 31u, 101u})
        for (double sigma : {0.0, 0.3, 0.8, 1.4, 2.5, 7.0}) {
            CAPTURE(ks);
            CAPTURE(sigma);
            const auto k = vecta::gaussian_kernel_q8(ks, sigma);
            const auto e = ref_q8(ks, sigma);
            REQUIRE(k.size() == ks);
            long sum = 0;
            for (std::size_t i = 0; i < ks; ++i) {
                CHECK(long(k[i]) == e[i]);
                sum += k[i];
            }
            CHECK(sum == 256);
        }
}

TEST_CASE("gaussian_kernel equals OpenCV's tables for sigma <= 0 and the formula otherwise") {
    CHECK(vecta::gaussian_kernel(5, 0) == std::vector<double>{0.0625, 0.25, 0.375, 0.25, 0.0625});
    CHECK(vecta::gaussian_kernel(1) == std::vector<double>{1.0});
    CHECK(vecta::gaussian_kernel(3, -1) == std::vector<double>{0.25, 0.5, 0.25});
    CHECK(vecta::gaussian_kernel(7) ==
          std::vector<double>{0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125});
    for (std::size_t ks : {1u, 3u, 9u, 15u, 31u})
        for (double sigma : {0.0, 0.5, 1.3, 4.0}) {
            if (sigma <= 0 && ks <= 9) continue;
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
    // ksize 9, sigma 0: OpenCV 4.x's table (cv::getGaussianKernel(9, 0) returns it).
    CHECK(vecta::gaussian_kernel(9)[0] == 4 / 256.0);
    // ksize 11, sigma 0: sigma = 0.15 * 11 + 0.35 = 2.0.
    const auto k11 = vecta::gaussian_kernel(11);
    CHECK(k11[4] / k11[5] == doctest::Approx(std::exp(-1.0 / (2 * 2.0 * 2.0))).epsilon(1e-12));
}

TEST_CASE("gaussian_blur u8 equals OpenCV's integer formula, within 2.5 levels of the exact convolution") {
    struct shape {
        std::size_t w, h;
    };
    const shape shapes[] = {{1, 1}, {2, 2}, {1, 9}, {9, 1}, {3, 17}, {23, 13}, {70, 5}};
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
                        const auto ref = ref_blur_q8(src.view(), ks, sigma, border);
                        std::size_t bad = 0;
                        for (std::size_t y = 0; y < s.h; ++y)
                            for (std::size_t i = 0; i < s.w * cn; ++i)
                                bad += long(dst.view.row(y)[i]) != ref[y * s.w * cn + i];
                        CHECK(bad == 0);
                        // The 8-bit kernel is the float one rounded to multiples of 1/256: like
                        // OpenCV's, the result can be up to about 2 levels from the exact blur.
                        CHECK(max_error(dst.view, ref_blur(src.view(), ks, sigma, border)) <= 2.5);
                        // The padding between rows is untouched.
                        CHECK(dst.storage[s.w * cn] == 0);
                    }
}

TEST_CASE("gaussian_blur u16 and float are within rounding of a naive double 2-D convolution") {
    std::uint64_t seed = 300;
    for (auto [w, h] : {std::pair<std::size_t, std::size_t>{1, 1}, {2, 2}, {1, 7}, {29, 11}})
        for (std::size_t cn : {1u, 3u, 4u})
            for (auto border : imgproc_test::all_borders)
                for (std::size_t ks : {1u, 5u, 9u})
                    for (double sigma : {0.0, 1.4}) {
                        CAPTURE(w);
                        CAPTURE(h);
                        CAPTURE(cn);
                        CAPTURE(int(border));
                        CAPTURE(ks);
                        auto src8 = imgproc_test::random_u8(w, h, cn, ++seed);
                        vecta::image<std::uint16_t> s16(w, h, cn), d16(w, h, cn);
                        vecta::image<float> sf(w, h, cn), df(w, h, cn), df2(w, h, cn);
                        for (std::size_t i = 0; i < src8.size(); ++i) {
                            s16.data()[i] = static_cast<std::uint16_t>(src8.data()[i] * 257);
                            sf.data()[i] = float(src8.data()[i]) / 255.0f;
                        }
                        const vecta::gaussian_params p{.ksize = ks, .sigma = sigma, .border = border};
                        vecta::gaussian_blur(s16, d16, p);
                        vecta::gaussian_blur(sf, df, p);
                        vecta::gaussian_blur(vecta::par | vecta::simd::scalar, sf.view(), df2.view(), p);
                        const auto ref = ref_blur(src8.view(), ks, sigma, border);
                        double e16 = 0, ef = 0;
                        for (std::size_t i = 0; i < ref.size(); ++i) {
                            e16 = std::max(e16, std::abs(double(d16.data()[i]) - 257 * ref[i]));
                            ef = std::max(ef, std::abs(double(df.data()[i]) - ref[i] / 255));
                        }
                        CHECK(e16 <= 0.5 + 0.05);
                        CHECK(ef <= 1e-5);
                        CHECK(std::equal(df.data(), df.data() + df.size(), df2.data()));
                    }
}

TEST_CASE("gaussian_blur ksize 0 derives the size from sigma as OpenCV") {
    auto src = imgproc_test::random_u8(40, 30, 1, 9);
    vecta::image<std::uint8_t> a(40, 30), b(40, 30);
    vecta::gaussian_blur(src, a, {.ksize = 0, .sigma = 1.4});  // 8-bit: round(1.4 * 6 + 1) | 1 = 9
    vecta::gaussian_blur(src, b, {.ksize = 9, .sigma = 1.4});
    CHECK(imgproc_test::equal_pixels<std::uint8_t>(a, b));
    vecta::image<float> f(40, 30), g(40, 30), h(40, 30);
    for (std::size_t i = 0; i < f.size(); ++i) f.data()[i] = float(src.data()[i]);
    vecta::gaussian_blur(f, g, {.ksize = 0, .sigma = 1.4});  // others: round(1.4 * 8 + 1) | 1 = 13
    vecta::gaussian_blur(f, h, {.ksize = 13, .sigma = 1.4});
    CHECK(std::equal(g.data(), g.data() + g.size(), h.data()));
}

TEST_CASE("gaussian_blur with sigma <= 0 and ksize <= 7 equals the hand-written 8-bit fixed point") {
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
            imgproc_test::for_each_width([&](auto policy, int bytes) {
                CAPTURE(bytes);
                CAPTURE(cf.w);
                CAPTURE(cf.c);
                vecta::image<std::uint8_t> out(cf.w, cf.h, cf.c);
                vecta::gaussian_blur(policy, src, out, p);
                CHECK(imgproc_test::equal_pixels<std::uint8_t>(out, ref));
            });
        }
    }
}

TEST_CASE("gaussian row and column passes: every run-time SIMD level equals the scalar loop in float") {
    // The float sums themselves (before rounding) must be bitwise equal; n = 45 and cn = 3 leave
    // tails at every width (4, 8, 16 lanes), values 0.x with non-dyadic weights make sums round.
    const std::size_t n = 45, r = 4, cn = 3;
    std::vector<float> in(n + 2 * r * cn);
    imgproc_test::splitmix64 rng{77};
    for (auto& v : in) v = float(rng.below(256)) / 255.0f;
    const auto kd = vecta::gaussian_kernel(2 * r + 1, 0.7);
    const std::vector<float> w(kd.begin(), kd.end());
    std::vector<float> ref(n), ref_col(n);
    std::vector<const float*> rows(2 * r + 1);
    for (std::size_t k = 0; k <= 2 * r; ++k) rows[k] = in.data() + k * cn;
    // Independent reference: the folded sum written out here, in the documented order.
    for (std::size_t i = 0; i < n; ++i) {
        float acc = w[r] * in[i + r * cn];
        for (std::size_t k = 0; k < r; ++k) acc = acc + w[k] * (in[i + k * cn] + in[i + (2 * r - k) * cn]);
        ref[i] = ref_col[i] = acc;
    }
    using vecta::simd::level;
    for (level l : {level::scalar, level::sse2, level::avx2, level::avx512}) {
        const level run = vecta::simd::min_level(l, vecta::simd::max_level());
        CAPTURE(int(run));
        std::vector<float> out(n), out_col(n);
        vecta::detail::gaussian_row(run, in.data(), out.data(), n, w.data(), r, cn);
        vecta::detail::gaussian_column(run, rows.data(), out_col.data(), n, w.data(), r);
        CHECK(out == ref);
        CHECK(out_col == ref_col);
    }
}

TEST_CASE("gaussian_blur float and u16: every vector width equals the scalar path bitwise") {
    std::uint64_t seed = 900;
    for (auto [w, h, cn, ks] : {std::array<std::size_t, 4>{67, 13, 3, 9}, {5, 7, 1, 3}, {33, 21, 4, 21}})
        for (auto border : imgproc_test::all_borders) {
            auto src8 = imgproc_test::random_u8(w, h, cn, ++seed);
            vecta::image<float> sf(w, h, cn), ref(w, h, cn);
            vecta::image<std::uint16_t> s16(w, h, cn), ref16(w, h, cn);
            for (std::size_t i = 0; i < src8.size(); ++i) {
                sf.data()[i] = float(src8.data()[i]) / 255.0f;
                s16.data()[i] = static_cast<std::uint16_t>(src8.data()[i] * 257);
            }
            const vecta::gaussian_params p{.ksize = ks, .sigma = 1.3, .border = border};
            vecta::gaussian_blur(vecta::seq | vecta::simd::scalar, sf.view(), ref.view(), p);
            vecta::gaussian_blur(vecta::seq | vecta::simd::scalar, s16.view(), ref16.view(), p);
            imgproc_test::for_each_width([&](auto policy, int bytes) {
                CAPTURE(bytes);
                CAPTURE(w);
                CAPTURE(int(border));
                vecta::image<float> out(w, h, cn);
                vecta::image<std::uint16_t> out16(w, h, cn);
                vecta::gaussian_blur(policy, sf.view(), out.view(), p);
                vecta::gaussian_blur(policy, s16.view(), out16.view(), p);
                CHECK(std::equal(out.data(), out.data() + out.size(), ref.data()));
                CHECK(std::equal(out16.data(), out16.data() + out16.size(), ref16.data()));
            });
        }
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
    throws_with([&] { vecta::gaussian_blur(src, dst, {.ksize = 0, .sigma = 600}); }, "params.ksize");
    CHECK_NOTHROW(vecta::gaussian_blur(src, dst, {.ksize = 0, .sigma = 2}));
    vecta::image<float> f(6, 5, 3), g(6, 5, 3), fnarrow(5, 5, 3);
    throws_with([&] { vecta::gaussian_blur(f, fnarrow); }, "dst");
    throws_with([&] { vecta::gaussian_blur(f, g, {.ksize = 6}); }, "params.ksize");
    vecta::image<std::uint16_t> u(6, 5, 3);
    throws_with([&] { vecta::gaussian_blur(u, u); }, "dst");
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
