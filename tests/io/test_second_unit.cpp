// SPDX-License-Identifier: MIT
// A second translation unit that includes vecta/io: the test binary links only if stb's
// implementation has no external symbols that would collide.
#include <doctest/doctest.h>

#include <vecta/io/image_file.hpp>

#include "test_support.hpp"

TEST_CASE("vecta/io works from a second translation unit of the same program") {
    auto im = vecta_test::random_image(3, 2, 4, 77);
    auto bytes = vecta::io::encode_image(im, vecta::io::image_format::png);
    auto back = vecta::io::decode_image(std::span(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
    CHECK(std::equal(im.data(), im.data() + im.size(), back.data()));
}
