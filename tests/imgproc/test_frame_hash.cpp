// SPDX-License-Identifier: MIT
// Frame hashes and frame difference against naive references written here (per-pixel loops
// over explicit cell bounds), on several sizes, channel counts and strides; SIMD == scalar on
// every compiled architecture; seq == par; bad input.
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <vecta/imgproc/frame_hash.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

namespace {

double ref_grey(const vecta::image_view<const std::uint8_t>& v, std::size_t x, std::size_t y) {
    if (v.channels() == 1) return v(x, y);
    const long s = 9798L * v(x, y, 0) + 19235L * v(x, y, 1) + 3735L * v(x, y, 2) + 16384L;
    return double(s >> 15);
}

// Mean of cell (i, j) of a gw x gh grid: pixels [floor(i w / gw), ceil((i + 1) w / gw)).
std::vector<double> ref_means(const vecta::image_view<const std::uint8_t>& v, std::size_t gw, std::size_t gh) {
    std::vector<double> m(gw * gh);
    const double w = double(v.width()), h = double(v.height());
    for (std::size_t j = 0; j < gh; ++j)
        for (std::size_t i = 0; i < gw; ++i) {
            const auto x0 = std::size_t(std::floor(double(i) * w / double(gw)));
            const auto x1 = std::size_t(std::ceil(double(i + 1) * w / double(gw)));
            const auto y0 = std::size_t(std::floor(double(j) * h / double(gh)));
            const auto y1 = std::size_t(std::ceil(double(j + 1) * h / double(gh)));
            double s = 0;
            for (std::size_t y = y0; y < y1; ++y)
                for (std::size_t x = x0; x < x1; ++x) s += ref_grey(v, x, y);
            m[j * gw + i] = s / double((x1 - x0) * (y1 - y0));
        }
    return m;
}

std::uint64_t ref_ahash(const vecta::image_view<const std::uint8_t>& v) {
    const auto m = ref_means(v, 8, 8);
    double mean = 0;
    for (double x : m) mean += x;
    mean /= 64;
    std::uint64_t h = 0;
    for (int i = 0; i < 64; ++i)
        if (m[std::size_t(i)] > mean) h |= std::uint64_t(1) << i;
    return h;
}

std::uint64_t ref_dhash(const vecta::image_view<const std::uint8_t>& v) {
    const auto m = ref_means(v, 9, 8);
    std::uint64_t h = 0;
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
            if (m[std::size_t(r * 9 + c)] > m[std::size_t(r * 9 + c + 1)]) h |= std::uint64_t(1) << (r * 8 + c);
    return h;
}

// A view with padding at the end of each row (stride > width * channels).
struct padded {
    std::vector<std::uint8_t> storage;
    vecta::image_view<const std::uint8_t> view;
};
padded pad(const vecta::image<std::uint8_t>& im, std::size_t extra) {
    const std::size_t row = im.width() * im.channels(), stride = row + extra;
    padded p{std::vector<std::uint8_t>(stride * im.height(), 0xAB), {}};
    for (std::size_t y = 0; y < im.height(); ++y)
        std::copy(im.data() + y * row, im.data() + (y + 1) * row, p.storage.data() + y * stride);
    p.view = vecta::image_view<const std::uint8_t>(p.storage.data(), im.width(), im.height(), im.channels(), stride);
    return p;
}

}  // namespace

TEST_CASE("average_hash and difference_hash equal naive references") {
    const std::size_t sizes[][2] = {{64, 48}, {1, 1}, {7, 5}, {9, 8}, {100, 37}, {321, 200}};
    std::uint64_t seed = 1;
    for (const auto& s : sizes)
        for (std::size_t c : {1u, 3u, 4u}) {
            CAPTURE(s[0]);
            CAPTURE(s[1]);
            CAPTURE(c);
            const auto im = imgproc_test::random_u8(s[0], s[1], c, seed++);
            const auto smooth = imgproc_test::smooth_random_u8(s[0], s[1], seed++);
            const auto p = pad(im, 5);
            CHECK(vecta::average_hash(im) == ref_ahash(im));
            CHECK(vecta::difference_hash(im) == ref_dhash(im));
            CHECK(vecta::average_hash(p.view) == ref_ahash(im));
            CHECK(vecta::difference_hash(vecta::par, p.view) == ref_dhash(im));
            CHECK(vecta::average_hash(vecta::par, im) == vecta::average_hash(vecta::seq, im));
            CHECK(vecta::difference_hash(smooth) == ref_dhash(smooth));
            CHECK(vecta::average_hash(smooth) == ref_ahash(smooth));
        }
}

TEST_CASE("frame hashes: hand-computed cases") {
    // Left half black, right half white (16 x 8): aHash sets the right half of each row.
    vecta::image<std::uint8_t> im(16, 8, 1);
    for (std::size_t y = 0; y < 8; ++y)
        for (std::size_t x = 8; x < 16; ++x) im(x, y) = 255;
    CHECK(vecta::average_hash(im) == 0xF0F0F0F0F0F0F0F0ull);
    // A horizontal gradient falling to the right (18 x 8): every cell is brighter than its right
    // neighbour, so dHash is all ones; rising, all zeros. A flat image hashes to 0 both ways.
    vecta::image<std::uint8_t> fall(18, 8, 3), rise(18, 8, 3), flat(18, 8, 3, 77);
    for (std::size_t y = 0; y < 8; ++y)
        for (std::size_t x = 0; x < 18; ++x)
            for (std::size_t c = 0; c < 3; ++c) {
                fall(x, y, c) = std::uint8_t(250 - 10 * x);
                rise(x, y, c) = std::uint8_t(10 * x);
            }
    CHECK(vecta::difference_hash(fall) == ~std::uint64_t(0));
    CHECK(vecta::difference_hash(rise) == 0);
    CHECK(vecta::difference_hash(flat) == 0);
    CHECK(vecta::average_hash(flat) == 0);
    // Brightness shift keeps dHash.
    auto brighter = imgproc_test::smooth_random_u8(120, 90, 3);
    const auto h0 = vecta::difference_hash(brighter);
    for (std::size_t i = 0; i < brighter.size(); ++i) brighter.data()[i] = std::uint8_t(brighter.data()[i] / 2 + 60);
    CHECK(vecta::hamming_distance(h0, vecta::difference_hash(brighter)) <= 4);
}

TEST_CASE("hamming_distance") {
    CHECK(vecta::hamming_distance(0, 0) == 0);
    CHECK(vecta::hamming_distance(0, ~std::uint64_t(0)) == 64);
    CHECK(vecta::hamming_distance(0b1011, 0b0110) == 3);
    static_assert(vecta::hamming_distance(1, 2) == 2);
}

TEST_CASE("frame_difference equals a naive reference; SIMD == scalar on every architecture; seq == par") {
    std::uint64_t seed = 100;
    for (std::size_t c : {1u, 2u, 3u, 4u})
        for (const auto& s : {std::pair<std::size_t, std::size_t>{1, 1}, {17, 3}, {64, 70}, {131, 45}})
            for (int t : {0, 25, 254, 255}) {
                CAPTURE(c);
                CAPTURE(s.first);
                CAPTURE(t);
                const auto a = imgproc_test::random_u8(s.first, s.second, c, seed++);
                auto b = a;
                imgproc_test::splitmix64 rng{seed++};
                for (std::size_t i = 0; i < b.size(); ++i)
                    if (rng.below(3) == 0) b.data()[i] = std::uint8_t(rng.below(256));
                vecta::image<std::uint8_t> ref(s.first, s.second, 1);
                std::size_t ref_count = 0;
                for (std::size_t y = 0; y < s.second; ++y)
                    for (std::size_t x = 0; x < s.first; ++x) {
                        int mx = 0;
                        for (std::size_t k = 0; k < c; ++k)
                            mx = std::max(mx, std::abs(int(a(x, y, k)) - int(b(x, y, k))));
                        ref(x, y) = mx > t ? 255 : 0;
                        ref_count += mx > t;
                    }
                const auto pa = pad(a, 3), pb = pad(b, 7);
                imgproc_test::for_each_arch([&](auto policy, const char* name) {
                    CAPTURE(name);
                    vecta::image<std::uint8_t> mask(s.first, s.second, 1, 9);
                    CHECK(vecta::frame_difference(policy, pa.view, pb.view, mask, t) == ref_count);
                    CHECK(std::equal(mask.data(), mask.data() + mask.size(), ref.data()));
                });
                vecta::image<std::uint8_t> m1(s.first, s.second, 1), m2(s.first, s.second, 1);
                CHECK(vecta::frame_difference(vecta::par, a, b, m1, t) == ref_count);
                CHECK(vecta::frame_difference(a, b, m2, t) == ref_count);
                CHECK(std::equal(m1.data(), m1.data() + m1.size(), ref.data()));
                CHECK(std::equal(m2.data(), m2.data() + m2.size(), ref.data()));
            }
}

TEST_CASE("frame hashes and frame_difference: bad input throws invalid_argument naming the argument") {
    using vecta::invalid_argument;
    const vecta::image_view<const std::uint8_t> empty;
    const vecta::image<std::uint8_t> two(8, 8, 2), rgb(8, 8, 3), rgb2(8, 9, 3), grey(8, 8, 1);
    CHECK_THROWS_WITH_AS(vecta::average_hash(empty), doctest::Contains("src"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::difference_hash(empty), doctest::Contains("src"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::average_hash(two), doctest::Contains("src"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::difference_hash(vecta::par, two), doctest::Contains("src"), invalid_argument);
    vecta::image<std::uint8_t> mask(8, 8, 1), mask_bad(8, 8, 3);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(empty, empty, mask, 10), doctest::Contains("a"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(rgb, rgb2, mask, 10), doctest::Contains("b"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(rgb, grey, mask, 10), doctest::Contains("b"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(rgb, rgb, mask_bad, 10), doctest::Contains("mask_out"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(rgb, rgb, mask, -1), doctest::Contains("threshold"), invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(rgb, rgb, mask, 256), doctest::Contains("threshold"),
                         invalid_argument);
    vecta::image<std::uint8_t> g2(8, 8, 1);
    CHECK_THROWS_WITH_AS(vecta::frame_difference(g2, grey, g2, 10), doctest::Contains("mask_out"), invalid_argument);
}
