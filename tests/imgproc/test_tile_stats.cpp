// SPDX-License-Identifier: MIT
// tile_stats against a naive double implementation written here (two-pass mean and variance per
// tile from explicit bounds) over random images of odd sizes, 1 to 4 channels, tiles larger than
// the image, 1 x 1 images, strided views; every vector width and seq == par bit for bit; bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vecta/imgproc/tile_stats.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

namespace {

struct ref_stats {
    std::size_t tx, ty, cn;
    std::vector<double> mean, sd;
    std::vector<int> lo, hi;
};

ref_stats naive(vecta::image_view<const std::uint8_t> v, std::size_t tw, std::size_t th) {
    ref_stats r{(v.width() + tw - 1) / tw, (v.height() + th - 1) / th, v.channels(), {}, {}, {}, {}};
    for (std::size_t j = 0; j < r.ty; ++j)
        for (std::size_t i = 0; i < r.tx; ++i)
            for (std::size_t c = 0; c < r.cn; ++c) {
                const std::size_t x0 = i * tw, x1 = std::min(v.width(), x0 + tw);
                const std::size_t y0 = j * th, y1 = std::min(v.height(), y0 + th);
                double s = 0;
                int lo = 256, hi = -1;
                for (std::size_t y = y0; y < y1; ++y)
                    for (std::size_t x = x0; x < x1; ++x) {
                        const int p = v(x, y, c);
                        s += p;
                        lo = std::min(lo, p);
                        hi = std::max(hi, p);
                    }
                const double n = double((x1 - x0) * (y1 - y0)), m = s / n;
                double ss = 0;
                for (std::size_t y = y0; y < y1; ++y)
                    for (std::size_t x = x0; x < x1; ++x) ss += (v(x, y, c) - m) * (v(x, y, c) - m);
                r.mean.push_back(m);
                r.sd.push_back(std::sqrt(ss / n));
                r.lo.push_back(lo);
                r.hi.push_back(hi);
            }
    return r;
}

void check_against(const vecta::tile_stats_result& got, const ref_stats& ref) {
    REQUIRE(got.mean.width() == ref.tx);
    REQUIRE(got.mean.height() == ref.ty);
    REQUIRE(got.mean.channels() == ref.cn);
    for (std::size_t k = 0; k < ref.mean.size(); ++k) {
        CAPTURE(k);
        REQUIRE(got.mean.data()[k] == doctest::Approx(ref.mean[k]).epsilon(1e-12));
        REQUIRE(std::abs(got.stddev.data()[k] - ref.sd[k]) <= 1e-9 * (1 + ref.sd[k]));
        REQUIRE(int(got.min.data()[k]) == ref.lo[k]);
        REQUIRE(int(got.max.data()[k]) == ref.hi[k]);
    }
}

bool same_bits(const vecta::tile_stats_result& a, const vecta::tile_stats_result& b) {
    const auto eq = [](const auto& x, const auto& y) {
        return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(*x.data())) == 0;
    };
    return eq(a.mean, b.mean) && eq(a.stddev, b.stddev) && eq(a.min, b.min) && eq(a.max, b.max);
}

}  // namespace

TEST_CASE("tile_stats equals a naive double reference (odd sizes, partial tiles, 1-4 channels)") {
    std::uint64_t seed = 11;
    const std::size_t sizes[][2] = {{1, 1}, {2, 3}, {17, 9}, {64, 64}, {101, 37}, {259, 130}};
    const std::size_t tiles[][2] = {{1, 1}, {3, 5}, {8, 8}, {32, 32}, {17, 1}, {1000, 1000}};
    for (const auto& s : sizes)
        for (std::size_t c = 1; c <= 4; ++c)
            for (const auto& t : tiles) {
                CAPTURE(s[0]);
                CAPTURE(s[1]);
                CAPTURE(c);
                CAPTURE(t[0]);
                CAPTURE(t[1]);
                const auto im = imgproc_test::random_u8(s[0], s[1], c, seed++);
                const auto ref = naive(im, t[0], t[1]);
                const auto got = vecta::tile_stats(im, {.width = t[0], .height = t[1]});
                check_against(got, ref);
                const auto st = imgproc_test::strided_copy<std::uint8_t>(im, 5);
                CHECK(same_bits(vecta::tile_stats(vecta::par, st, {.width = t[0], .height = t[1]}), got));
            }
}

TEST_CASE("tile_stats: constant and two-valued tiles in closed form; tile larger than the image") {
    vecta::image<std::uint8_t> flat(50, 30, 3, 200);
    auto r = vecta::tile_stats(flat, {.width = 16, .height = 16});
    CHECK(r.mean.width() == 4);
    CHECK(r.mean.height() == 2);
    for (std::size_t k = 0; k < r.mean.size(); ++k) {
        CHECK(r.mean.data()[k] == 200.0);
        CHECK(r.stddev.data()[k] == 0.0);  // exact numerator: no cancellation
        CHECK(r.min.data()[k] == 200);
        CHECK(r.max.data()[k] == 200);
    }
    // Half 0, half 255: mean 127.5, stddev 127.5 exactly.
    vecta::image<std::uint8_t> half(8, 8, 1);
    for (std::size_t y = 0; y < 8; ++y)
        for (std::size_t x = 4; x < 8; ++x) half(x, y) = 255;
    r = vecta::tile_stats(half, {.width = 100, .height = 200});
    REQUIRE(r.mean.size() == 1);
    CHECK(r.mean.data()[0] == 127.5);
    CHECK(r.stddev.data()[0] == 127.5);
    CHECK(r.min.data()[0] == 0);
    CHECK(r.max.data()[0] == 255);
    vecta::image<std::uint8_t> one(1, 1, 4);
    one(0, 0, 2) = 9;
    r = vecta::tile_stats(one, {.width = 32, .height = 32});
    CHECK(r.mean(0, 0, 2) == 9.0);
    CHECK(r.stddev(0, 0, 2) == 0.0);
    CHECK(r.mean(0, 0, 1) == 0.0);
}

TEST_CASE("tile_stats: every vector width and seq == par give the same bits") {
    const auto im = imgproc_test::random_u8(1923, 77, 3, 3);
    const vecta::tile_params p{.width = 32, .height = 32};
    const auto ref = vecta::tile_stats(vecta::seq | vecta::simd::scalar, im, p);
    check_against(ref, naive(im, 32, 32));
    CHECK(same_bits(vecta::tile_stats(vecta::seq | vecta::detail::vec_width<16>, im, p), ref));
    CHECK(same_bits(vecta::tile_stats(vecta::seq | vecta::detail::vec_width<32>, im, p), ref));
    CHECK(same_bits(vecta::tile_stats(vecta::seq | vecta::detail::vec_width<64>, im, p), ref));
    CHECK(same_bits(vecta::tile_stats(vecta::par, im, p), ref));
    CHECK(same_bits(vecta::tile_stats(vecta::par | vecta::simd::scalar, im, p), ref));
    vecta::test::for_each_arch([&](auto policy, const char* name) {
        CAPTURE(name);
        CHECK(same_bits(vecta::tile_stats(policy, im, p), ref));
    });
}

TEST_CASE("tile_stats: tall tiles cross the 65536-row band of 32-bit sums exactly") {
    // 2 x 70000 gray, all 255 except a pattern: the u32 sums of squares of a column would
    // overflow after 66051 rows of 255 without the band split.
    vecta::image<std::uint8_t> tall(2, 70000, 1, 255);
    for (std::size_t y = 0; y < 70000; y += 7) tall(1, y) = 3;
    const auto r = vecta::tile_stats(vecta::par, tall, {.width = 2, .height = 70000});
    check_against(r, naive(tall, 2, 70000));
}

TEST_CASE("tile_stats: caller-owned output views, and bad arguments named") {
    const auto im = imgproc_test::random_u8(40, 20, 2, 8);
    vecta::image<double> mean(5, 3, 2), sd(5, 3, 2);
    vecta::image<std::uint8_t> lo(5, 3, 2), hi(5, 3, 2);
    vecta::tile_stats(vecta::par, im, {.width = 8, .height = 7}, mean, sd, lo, hi);
    const auto r = vecta::tile_stats(im, {.width = 8, .height = 7});
    CHECK(std::memcmp(mean.data(), r.mean.data(), mean.size() * sizeof(double)) == 0);
    CHECK(std::memcmp(hi.data(), r.max.data(), hi.size()) == 0);

    const auto throws_naming = [](auto&& f, const char* what) {
        CHECK_THROWS_WITH_AS(f(), doctest::Contains(what), vecta::invalid_argument);
    };
    throws_naming([&] { vecta::tile_stats(im, {.width = 0, .height = 4}); }, "params.width");
    throws_naming([&] { vecta::tile_stats(im, {.width = 4, .height = 0}); }, "params.height");
    throws_naming([&] { vecta::tile_stats(vecta::image_view<const std::uint8_t>{}, {}); }, "src");
    const vecta::image<std::uint8_t> five(4, 4, 5);
    throws_naming([&] { vecta::tile_stats(five, {}); }, "src must have 1 to 4 channels");
    vecta::image<double> wrong(4, 3, 2);
    throws_naming([&] { vecta::tile_stats(im, {.width = 8, .height = 7}, wrong, sd, lo, hi); }, "mean must be");
    throws_naming([&] { vecta::tile_stats(im, {.width = 8, .height = 7}, mean, wrong, lo, hi); }, "stddev must be");
    vecta::image<std::uint8_t> wrong8(5, 3, 1);
    throws_naming([&] { vecta::tile_stats(im, {.width = 8, .height = 7}, mean, sd, wrong8, hi); }, "min must be");
    throws_naming([&] { vecta::tile_stats(im, {.width = 8, .height = 7}, mean, sd, lo, wrong8); }, "max must be");
    throws_naming([&] { vecta::tile_stats(im, {.width = 8, .height = 7}, mean, mean, lo, hi); },
                  "stddev must not overlap");
    throws_naming([&] { vecta::tile_stats(im, {.width = 8, .height = 7}, mean, sd, lo, lo); }, "max must not overlap");
    // An output inside the source's memory.
    vecta::image<std::uint8_t> big(100, 100, 2);
    const vecta::image_view<std::uint8_t> inside(big.data() + 10, 5, 3, 2, 200);
    throws_naming([&] { vecta::tile_stats(big.view(), {.width = 20, .height = 34}, mean, sd, inside, hi); },
                  "min must not overlap src");
    // Huge tile sizes do not overflow the tile count.
    const auto r1 = vecta::tile_stats(im, {.width = SIZE_MAX, .height = SIZE_MAX});
    CHECK(r1.mean.width() == 1);
    CHECK(r1.mean.height() == 1);
}
