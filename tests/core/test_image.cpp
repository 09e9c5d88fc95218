// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <limits>
#include <vecta/core/image.hpp>

TEST_CASE("image_view addresses interleaved pixels through the stride") {
    unsigned char buf[2 * 8] = {};
    vecta::image_view<unsigned char> v(buf, 3, 2, 2, 8);
    v(2, 1, 1) = 7;
    CHECK(buf[8 + 2 * 2 + 1] == 7);
    CHECK(v.stride() == 8);
    CHECK_FALSE(v.contiguous());
    vecta::image_view<const unsigned char> cv = v;
    CHECK(cv(2, 1, 1) == 7);
}

TEST_CASE("image owns aligned, zeroed storage and converts to views") {
    vecta::image<float> im(5, 4, 3);
    CHECK(im.size() == 60);
    CHECK(reinterpret_cast<std::uintptr_t>(im.data()) % 64 == 0);
    for (std::size_t i = 0; i < im.size(); ++i) CHECK(im.data()[i] == 0.0f);
    vecta::image_view<const float> v = im;
    CHECK(v.width() == 5);
    CHECK(v.height() == 4);
    CHECK(v.channels() == 3);
    CHECK(v.contiguous());
    auto copy = vecta::image<float>::from(v);
    CHECK(copy.size() == im.size());
}

TEST_CASE("image_view and image reject bad shapes with the argument's name") {
    unsigned char buf[16];
    CHECK_THROWS_WITH_AS(vecta::image_view<unsigned char>(buf, 4, 2, 3, 5), doctest::Contains("stride"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::image_view<unsigned char>(buf, 4, 2, 0), doctest::Contains("channels"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::image_view<unsigned char>(nullptr, 4, 2, 1), doctest::Contains("data"),
                         vecta::invalid_argument);
    const auto huge = std::numeric_limits<std::size_t>::max() / 2;
    CHECK_THROWS_AS(vecta::image_view<unsigned char>(buf, huge, 1, 3), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::image<unsigned char>(huge, huge, 1), vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::image<float>(huge / 2, 1, 1), vecta::invalid_argument);
    // Empty views are allowed as values; kernels reject them.
    CHECK(vecta::image_view<unsigned char>(nullptr, 0, 5).empty());
}

TEST_CASE("image_view rejects extents whose byte size is not addressable") {
    float buf[4];
    CHECK_THROWS_WITH_AS(vecta::image_view<const float>(buf, 1, std::size_t(1) << 62),
                         doctest::Contains("stride * height"), vecta::invalid_argument);
}
