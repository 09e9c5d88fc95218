// SPDX-License-Identifier: MIT
// Bad-input matrix for vecta/io: decode/load/encode/save with bad parameters, empty, truncated
// and corrupt data, the pixel-count limit (checked from the header, before allocating), and
// regressions for two stb_image 2.27 buffer overflows found by fuzz_decode.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vecta/io/image_file.hpp>
#include <vector>

#include "test_support.hpp"

namespace {
using vecta_test::names;

std::span<const unsigned char> as_span(const std::string& s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

void put_be32(std::string& s, std::uint32_t v) {
    for (int i = 3; i >= 0; --i) s += char((v >> (8 * i)) & 0xFF);
}

/// A PNG made of the signature and an IHDR chunk announcing w x h 8-bit grey (no pixel data).
std::string png_header(std::uint32_t w, std::uint32_t h) {
    std::string s = "\x89PNG\r\n\x1a\n";
    put_be32(s, 13);
    s += "IHDR";
    put_be32(s, w);
    put_be32(s, h);
    s += std::string("\x08\x00\x00\x00\x00", 5);
    put_be32(s, 0);  // CRC (stb does not check it)
    return s;
}
}  // namespace

#define CHECK_BAD(expr, arg) CHECK_THROWS_WITH_AS(expr, names(arg), vecta::invalid_argument)
#define CHECK_IO(expr, text) CHECK_THROWS_WITH_AS(expr, doctest::Contains(text), vecta::io_error)

TEST_CASE("bad input: decode_image parameters and data") {
    const auto one = vecta_test::random_image(1, 1, 3, 1);
    const std::string png = vecta::io::encode_image(one.view(), vecta::io::image_format::png);
    CHECK_BAD(vecta::io::decode_image(as_span(png), {.channels = -1}), "params.channels");
    CHECK_BAD(vecta::io::decode_image(as_span(png), {.channels = 5}), "params.channels");
    CHECK_BAD(vecta::io::decode_image(as_span(png), {.max_pixels = 0}), "params.max_pixels");
    CHECK_IO(vecta::io::decode_image({}), "is empty");
    CHECK_IO(vecta::io::decode_image(as_span(std::string("not an image at all"))), "cannot decode");
    CHECK_IO(vecta::io::decode_image(as_span(png.substr(0, png.size() / 2))), "cannot decode");
    // One pixel decodes, in every channel count.
    for (int c = 0; c <= 4; ++c) {
        const auto im = vecta::io::decode_image(as_span(png), {.channels = c});
        CHECK(im.width() == 1);
        CHECK(im.channels() == std::size_t(c == 0 ? 3 : c));
    }
}

TEST_CASE("bad input: decode_image refuses images above max_pixels before allocating") {
    // 20000 x 20000 grey (stb itself accepts PNG headers up to 2^30 bytes): refused from the
    // header alone (the data is missing, so anything that tried to decode would fail differently).
    CHECK_IO(vecta::io::decode_image(as_span(png_header(20000, 20000))), "above params.max_pixels (268435456)");
    // 2^14 x 2^14 = 2^28 pixels is exactly the default limit: accepted by the limit, then the
    // missing data makes stb fail.
    CHECK_IO(vecta::io::decode_image(as_span(png_header(16384, 16384))), "cannot decode");
    CHECK_IO(vecta::io::decode_image(as_span(png_header(16384, 16385))), "above params.max_pixels");
    // The limit is configurable, and counts pixels (not bytes).
    const auto im = vecta_test::random_image(8, 4, 4, 2);
    const std::string png = vecta::io::encode_image(im.view(), vecta::io::image_format::png);
    CHECK_IO(vecta::io::decode_image(as_span(png), {.max_pixels = 31}), "8 x 4 pixels");
    CHECK(vecta::io::decode_image(as_span(png), {.max_pixels = 32}).size() == 8 * 4 * 4);
    CHECK_BAD(vecta::io::load_image("/nonexistent.png", {.max_pixels = 0}), "params.max_pixels");
}

TEST_CASE("bad input: JPEG with an oversized Huffman table (stb_image 2.27 overflow)") {
    // Regression (fuzz_decode): a DHT segment whose 16 code counts add up to more than 256 made
    // stbi__build_huffman write past its 257-entry array (UBSan: index 257 out of bounds).
    const auto im = vecta_test::random_image(16, 8, 3, 3);
    std::string jpg = vecta::io::encode_image(im.view(), vecta::io::image_format::jpeg, 90);
    REQUIRE(vecta::io::decode_image(as_span(jpg)).width() == 16);
    const std::size_t dht = jpg.find("\xff\xc4");
    REQUIRE(dht != std::string::npos);
    // Counts start after FF C4, the 2-byte length and the class/index byte.
    for (std::size_t k = 0; k < 16; ++k) jpg[dht + 5 + k] = char(0x20);  // 16 * 32 = 512 codes
    CHECK_IO(vecta::io::decode_image(as_span(jpg)), "Huffman table");
    CHECK(vecta::io::detail::jpeg_huffman_tables_ok(as_span(std::string("\xff\xd8\xff\xc4", 4))));  // truncated
    CHECK(vecta::io::detail::jpeg_huffman_tables_ok(as_span(std::string("not a jpeg"))));
}

TEST_CASE("bad input: PGM / PPM with a maxval other than 255 are refused, not decoded wrong") {
    // stb_image 2.27 neither rescales samples to maxval nor reads 16-bit samples big-endian (and
    // its 16-bit channel conversion read past the buffer: fuzz_decode). The header-only decoder
    // refuses them by name; vecta::codecs reads every maxval.
    const std::string cases[] = {std::string("P5\n2 1\n65535\n") + std::string("\xff\xff\x80\x80", 4),
                                 std::string("P6 # comment\n1 1\n65535\n") + std::string("\xff\xff\x00\x00\x80\x80", 6),
                                 std::string("P5\n2 1\n# c\n15\n") + std::string("\x0f\x07", 2),
                                 "P2\n2 1\n1000\n1000 500\n"};
    const unsigned long want[] = {65535, 65535, 15, 1000};
    for (std::size_t t = 0; t < 4; ++t) {
        CHECK(vecta::io::detail::pnm_maxval(as_span(cases[t])) == want[t]);
        const std::string text = "maxval " + std::to_string(want[t]);
        for (int c = 0; c <= 4; ++c)
            CHECK_IO(vecta::io::decode_image(as_span(cases[t]), {.channels = c}), text.c_str());
    }
    // maxval 255 decodes as before; a cut-short or non-PNM header has no maxval.
    const std::string ok = std::string("P5\n2 1\n255\n") + std::string("\xff\x80", 2);
    CHECK(vecta::io::detail::pnm_maxval(as_span(ok)) == 255);
    const auto grey = vecta::io::decode_image(as_span(ok));
    CHECK(grey(0, 0) == 255);
    CHECK(grey(1, 0) == 128);
    CHECK(vecta::io::detail::pnm_maxval(as_span(std::string("P5\n2 1"))) == 0);
    CHECK(vecta::io::detail::pnm_maxval(as_span(std::string("P5\n2 1\n99999999999999999999\n"))) == 10000000);
    CHECK(vecta::io::detail::pnm_maxval(as_span(std::string("\x89PNG"))) == 0);
}

TEST_CASE("bad input: encode_image and save_image") {
    const auto im = vecta_test::random_image(2, 2, 3, 4);
    CHECK_BAD(vecta::io::encode_image({}, vecta::io::image_format::png), "img");
    std::uint8_t buf[40] = {};
    CHECK_BAD(
        vecta::io::encode_image(vecta::image_view<const std::uint8_t>(buf, 1, 1, 5), vecta::io::image_format::png),
        "img");
    CHECK_BAD(vecta::io::encode_image(im.view(), vecta::io::image_format::jpeg, 0), "quality");
    CHECK_BAD(vecta::io::encode_image(im.view(), vecta::io::image_format::jpeg, 101), "quality");
    // Sizes the formats cannot hold are refused before any pixel is read (the view is a fake
    // 70000 x 1 over a small buffer).
    const vecta::image_view<const std::uint8_t> wide(buf, 70000, 1, 1);
    CHECK_BAD(vecta::io::encode_image(wide, vecta::io::image_format::jpeg), "img");
    const vecta::image_view<const std::uint8_t> huge(buf, 1u << 20, 1u << 12, 1);
    CHECK_BAD(vecta::io::encode_image(huge, vecta::io::image_format::png), "img");
    // A one-pixel image with a padded stride round-trips.
    std::uint8_t px[8] = {10, 20, 30, 0, 0, 0, 0, 0};
    const vecta::image_view<const std::uint8_t> padded(px, 1, 1, 3, 8);
    const std::string png = vecta::io::encode_image(padded, vecta::io::image_format::png);
    const auto back = vecta::io::decode_image(as_span(png));
    CHECK(back(0, 0, 2) == 30);
    CHECK_BAD(vecta::io::save_image("out.bmp", im.view()), "path");
    CHECK_THROWS_AS(vecta::io::save_image("/nonexistent-dir/x.png", im.view()), vecta::io_error);
    CHECK_THROWS_AS(vecta::io::load_image("/nonexistent-dir/x.png"), vecta::io_error);
    CHECK_BAD(vecta::io::load_image("/nonexistent-dir/x.png", {.channels = 9}), "params.channels");
}

TEST_CASE("bad input: PNG with an empty IDAT chunk (stb_image 2.27 memcpy from null)") {
    // Regression (fuzz_decode): a zero-length first IDAT made stb call memcpy with a null
    // buffer (UBSan: null pointer passed as argument 1). vecta drops empty IDAT chunks, which
    // hold no data, so the image decodes as without them.
    const auto im = vecta_test::random_image(5, 3, 3, 11);
    const std::string png = vecta::io::encode_image(im.view(), vecta::io::image_format::png);
    const std::size_t idat = png.find("IDAT") - 4;  // the chunk starts with its length
    std::string empty_chunk;
    put_be32(empty_chunk, 0);
    empty_chunk += "IDAT";
    put_be32(empty_chunk, 0x35AF061Eu);  // CRC-32 of "IDAT" (stb does not check it)
    const std::string patched = png.substr(0, idat) + empty_chunk + png.substr(idat);
    const auto back = vecta::io::decode_image(as_span(patched));
    REQUIRE(back.size() == im.size());
    CHECK(std::equal(back.data(), back.data() + back.size(), im.data()));
    const auto cleaned = vecta::io::detail::png_without_empty_idat(as_span(patched));
    CHECK(std::string(cleaned.begin(), cleaned.end()) == png);
    CHECK(vecta::io::detail::png_without_empty_idat(as_span(png)).empty());  // nothing to drop
    // Truncated after the empty chunk: still refused cleanly.
    CHECK_IO(vecta::io::decode_image(as_span(patched.substr(0, idat + 14))), "cannot decode");
}
