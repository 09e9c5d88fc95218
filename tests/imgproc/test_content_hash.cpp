// SPDX-License-Identifier: MIT
// content_hash against XXH3 called directly on a packed copy of the pixels (the reference is
// xxHash's one-shot function, linked as the shared libxxhash when present through the inline
// header here); strided == packed; changed pixels change the hash; other element types.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <vecta/imgproc/content_hash.hpp>
#include <vector>

#include "imgproc_test_util.hpp"

namespace {

std::vector<std::uint8_t> packed_bytes(vecta::image_view<const std::uint8_t> v) {
    std::vector<std::uint8_t> out;
    for (std::size_t y = 0; y < v.height(); ++y) out.insert(out.end(), v.row(y), v.row(y) + v.width() * v.channels());
    return out;
}

}  // namespace

TEST_CASE("content_hash equals XXH3_64bits_withSeed of the packed pixel bytes") {
    std::uint64_t seed = 1;
    for (const auto& s : {std::pair<std::size_t, std::size_t>{1, 1}, {3, 2}, {17, 5}, {64, 64}, {333, 101}, {1920, 3}})
        for (std::size_t c : {1u, 3u, 4u})
            for (std::uint64_t hseed : {std::uint64_t(0), std::uint64_t(12345), ~std::uint64_t(0)}) {
                CAPTURE(s.first);
                CAPTURE(s.second);
                CAPTURE(c);
                const auto im = imgproc_test::random_u8(s.first, s.second, c, seed++);
                const auto bytes = packed_bytes(im);
                const std::uint64_t ref = XXH3_64bits_withSeed(bytes.data(), bytes.size(), hseed);
                CHECK(vecta::content_hash(im, hseed) == ref);
                CHECK(vecta::content_hash(im.view(), hseed) == ref);
                for (std::size_t pad : {1u, 7u, 64u}) {
                    const auto st = imgproc_test::strided_copy<std::uint8_t>(im, pad);
                    CHECK(!st.view.contiguous());
                    CHECK(vecta::content_hash(st.view, hseed) == ref);
                    CHECK(vecta::content_hash(vecta::image_view<const std::uint8_t>(st.view), hseed) == ref);
                }
            }
}

TEST_CASE("content_hash: a crop of a larger frame equals its packed copy") {
    const auto big = imgproc_test::random_u8(200, 120, 3, 9);
    const vecta::image_view<const std::uint8_t> crop(big.data() + (10 * 200 + 30) * 3, 50, 40, 3, 200 * 3);
    const auto copy = vecta::image<std::uint8_t>::from(crop);
    const auto bytes = packed_bytes(crop);
    CHECK(vecta::content_hash(crop) == vecta::content_hash(copy));
    CHECK(vecta::content_hash(crop) == XXH3_64bits(bytes.data(), bytes.size()));
}

TEST_CASE("content_hash: any changed pixel byte changes the hash; the seed changes it") {
    auto im = imgproc_test::random_u8(97, 31, 3, 5);
    std::set<std::uint64_t> seen{vecta::content_hash(im)};
    for (std::size_t i = 0; i < 500; ++i) {
        const std::size_t at = i * 17 % im.size();  // 500 distinct bytes (17 is prime to 97 * 31 * 3)
        const auto old = im.data()[at];
        im.data()[at] = std::uint8_t(old ^ (1u << (i % 8)));  // one bit flipped
        CHECK(seen.insert(vecta::content_hash(im)).second);
        im.data()[at] = old;
    }
    CHECK(vecta::content_hash(im, 1) != vecta::content_hash(im, 2));
    // Padding bytes are not hashed.
    auto st = imgproc_test::strided_copy<std::uint8_t>(im, 8);
    const auto h = vecta::content_hash(st.view);
    for (std::size_t y = 0; y < st.view.height(); ++y) st.view.row(y)[st.view.width() * 3] ^= 0xFF;
    CHECK(vecta::content_hash(st.view) == h);
    CHECK(h == vecta::content_hash(im));
}

TEST_CASE("content_hash: other element types hash their bytes; empty views hash zero bytes") {
    vecta::image<float> f(13, 7, 2);
    for (std::size_t i = 0; i < f.size(); ++i) f.data()[i] = float(i) * 0.25f - 3.0f;
    CHECK(vecta::content_hash(f, 3) == XXH3_64bits_withSeed(f.data(), f.size() * sizeof(float), 3));
    std::vector<std::uint16_t> store(10 * 4, 0xBEEF);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 0; x < 8; ++x) store[y * 10 + x] = std::uint16_t(y * 1000 + x);
    const vecta::image_view<std::uint16_t> v16(store.data(), 8, 4, 1, 10);
    const auto p16 = vecta::image<std::uint16_t>::from(v16);
    CHECK(vecta::content_hash(v16) == XXH3_64bits(p16.data(), p16.size() * 2));
    CHECK(vecta::content_hash(vecta::image_view<const std::uint8_t>{}) == XXH3_64bits(nullptr, 0));
    CHECK(vecta::content_hash(vecta::image<std::uint8_t>{}, 9) == XXH3_64bits_withSeed(nullptr, 0, 9));
}
