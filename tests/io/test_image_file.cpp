// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <vecta/io/image_file.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {
fs::path temp_path(const std::string& name) {
    auto dir = fs::temp_directory_path() / "vecta_io_test";
    fs::create_directories(dir);
    return dir / name;
}
}  // namespace

TEST_CASE("PNG round trip is lossless for 1 to 4 channels, including strided views") {
    for (std::size_t c = 1; c <= 4; ++c) {
        auto im = vecta_test::random_image(13, 7, c, static_cast<std::uint32_t>(c));
        const auto p = temp_path("rt" + std::to_string(c) + ".png");
        vecta::io::save_image(p, im);
        auto back = vecta::io::load_image(p);
        REQUIRE(back.width() == 13);
        REQUIRE(back.height() == 7);
        REQUIRE(back.channels() == c);
        CHECK(std::equal(im.data(), im.data() + im.size(), back.data()));
    }
    // A view of the left 5 columns of a wider image.
    auto wide = vecta_test::random_image(9, 4, 3, 9);
    vecta::image_view<const std::uint8_t> sub(wide.data(), 5, 4, 3, wide.stride());
    const auto p = temp_path("sub.png");
    vecta::io::save_image(p, sub);
    auto back = vecta::io::load_image(p);
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 0; x < 5; ++x)
            for (std::size_t ch = 0; ch < 3; ++ch) CHECK(back(x, y, ch) == sub(x, y, ch));
}

TEST_CASE("decode_pixels: stb's buffer without the copy, the same pixels and errors as decode_image") {
    for (std::size_t c = 1; c <= 4; ++c) {
        const auto im = vecta_test::random_image(11, 6, c, static_cast<std::uint32_t>(40 + c));
        const std::string png = vecta::io::encode_image(im, vecta::io::image_format::png);
        const std::span<const unsigned char> bytes(reinterpret_cast<const unsigned char*>(png.data()), png.size());
        for (int want = 0; want <= 4; ++want) {
            const vecta::io::decoded_image d = vecta::io::decode_pixels(bytes, {.channels = want});
            const vecta::image<std::uint8_t> ref = vecta::io::decode_image(bytes, {.channels = want});
            REQUIRE(d.width() == 11);
            REQUIRE(d.height() == 6);
            REQUIRE(d.channels() == (want == 0 ? c : std::size_t(want)));
            REQUIRE(d.view().stride() == d.width() * d.channels());  // rows packed, as stb leaves them
            CHECK(std::equal(ref.data(), ref.data() + ref.size(), d.view().data()));
            if (want == 0) CHECK(std::equal(im.data(), im.data() + im.size(), d.view().data()));
        }
        // Moving keeps the pixels (the buffer is owned, not copied).
        vecta::io::decoded_image a = vecta::io::decode_pixels(bytes);
        const std::uint8_t* data = a.view().data();
        vecta::io::decoded_image b = std::move(a);
        CHECK(b.view().data() == data);
    }
    const std::vector<unsigned char> none, junk = {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'};
    CHECK_THROWS_AS(vecta::io::decode_pixels(none), vecta::io_error);
    CHECK_THROWS_WITH_AS(vecta::io::decode_pixels(junk, {}, "junk.png"), doctest::Contains("junk.png"),
                         vecta::io_error);
    const auto im = vecta_test::random_image(64, 64, 3, 7);
    const std::string png = vecta::io::encode_image(im, vecta::io::image_format::png);
    const std::vector<unsigned char> half(png.begin(), png.begin() + std::ptrdiff_t(png.size() / 2));
    CHECK_THROWS_AS(vecta::io::decode_pixels(half), vecta::io_error);
    CHECK_THROWS_WITH_AS(
        vecta::io::decode_pixels(std::vector<unsigned char>(png.begin(), png.end()), {.max_pixels = 100}),
        doctest::Contains("max_pixels"), vecta::io_error);
    CHECK_THROWS_WITH_AS(vecta::io::decode_pixels(half, {.channels = 5}), doctest::Contains("channels"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::io::read_file(temp_path("does-not-exist.png")), doctest::Contains("does-not-exist.png"),
                         vecta::io_error);
}

TEST_CASE("JPEG round trip stays close and channel conversion follows stb") {
    vecta::image<std::uint8_t> im(32, 32, 3);
    for (std::size_t y = 0; y < 32; ++y)
        for (std::size_t x = 0; x < 32; ++x) {
            im(x, y, 0) = static_cast<std::uint8_t>(x * 8);
            im(x, y, 1) = static_cast<std::uint8_t>(y * 8);
            im(x, y, 2) = 128;
        }
    const auto p = temp_path("rt.jpg");
    vecta::io::save_image(p, im, 95);
    auto back = vecta::io::load_image(p);
    CHECK(vecta_test::psnr(im, back) > 35.0);
    auto gray = vecta::io::load_image(p, {.channels = 1});
    CHECK(gray.channels() == 1);
}

TEST_CASE("missing, empty, truncated and non-image files raise io_error") {
    CHECK_THROWS_AS(vecta::io::load_image(temp_path("does-not-exist.png")), vecta::io_error);
    const auto empty = temp_path("empty.png");
    std::ofstream(empty).close();
    CHECK_THROWS_AS(vecta::io::load_image(empty), vecta::io_error);
    const auto text = temp_path("text.png");
    std::ofstream(text) << "this is not an image at all";
    CHECK_THROWS_WITH_AS(vecta::io::load_image(text), doctest::Contains("text.png"), vecta::io_error);

    auto im = vecta_test::random_image(40, 40, 3, 5);
    const std::string png = vecta::io::encode_image(im, vecta::io::image_format::png);
    const auto trunc = temp_path("trunc.png");
    std::ofstream(trunc, std::ios::binary).write(png.data(), static_cast<std::streamsize>(png.size() / 2));
    CHECK_THROWS_AS(vecta::io::load_image(trunc), vecta::io_error);
}

TEST_CASE("load_image reads at most max_input_bytes: /dev/zero fails quickly naming the file") {
    CHECK(vecta::io::max_input_bytes(1000) == 4000 + (std::size_t(1) << 20));
    CHECK(vecta::io::max_input_bytes(std::size_t(-1)) == std::size_t(-1));
    if (!std::filesystem::exists("/dev/zero")) return;
    CHECK_THROWS_WITH_AS(vecta::io::load_image("/dev/zero", {.max_pixels = 1000}),
                         doctest::Contains("'/dev/zero' is larger than the input limit of 1052576 bytes"),
                         vecta::io_error);
    // read_file alone: the limit as given, the same bytes below it.
    const auto p = temp_path("limit.bin");
    std::ofstream(p, std::ios::binary) << std::string(100, 'x');
    CHECK(vecta::io::read_file(p, 100).size() == 100);
    CHECK_THROWS_WITH_AS(vecta::io::read_file(p, 99), doctest::Contains("input limit of 99 bytes"), vecta::io_error);
}

TEST_CASE("bad arguments to the writers are rejected by name") {
    auto im = vecta_test::random_image(4, 4, 3, 1);
    CHECK_THROWS_WITH_AS(vecta::io::save_image(temp_path("x.bmp"), im), doctest::Contains("path"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::io::encode_image(vecta::image_view<const std::uint8_t>{}, vecta::io::image_format::png),
                         doctest::Contains("img"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::io::encode_image(im, vecta::io::image_format::jpeg, 0), doctest::Contains("quality"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::io::load_image(temp_path("a.png"), {.channels = 5}), doctest::Contains("channels"),
                         vecta::invalid_argument);
    CHECK_THROWS_AS(vecta::io::save_image(fs::path("/nonexistent-dir/x.png"), im), vecta::io_error);
    CHECK_FALSE(fs::exists("/nonexistent-dir/x.png.vecta-tmp"));
}

TEST_CASE("encoders reject dimensions their format cannot store instead of corrupting memory or output") {
    // The views claim more pixels than the buffer holds; the checks reject them before any read.
    static std::uint8_t buf[16];
    const vecta::image_view<const std::uint8_t> huge(buf, 65536, 65536, 1);
    CHECK_THROWS_WITH_AS(vecta::io::encode_image(huge, vecta::io::image_format::png), doctest::Contains("PNG"),
                         vecta::invalid_argument);
    const vecta::image_view<const std::uint8_t> wide(buf, 70000, 1, 1);
    CHECK_THROWS_WITH_AS(vecta::io::encode_image(wide, vecta::io::image_format::jpeg), doctest::Contains("65535"),
                         vecta::invalid_argument);
    const vecta::image_view<const std::uint8_t> tall(buf, 1, 70000, 1);
    CHECK_THROWS_AS(vecta::io::encode_image(tall, vecta::io::image_format::jpeg), vecta::invalid_argument);
}
