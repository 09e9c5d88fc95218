// SPDX-License-Identifier: MIT
// src/codecs' libdeflate PNG path (decode_png_deflate, through codecs::detail::decode_png_fast):
// the common layouts (8-bit grey, grey + alpha, RGB, RGBA) go through it, and its pixels equal
// libpng's (codecs::detail::decode_png_libpng) and the pixels encoded, for every row filter type.
// The PNGs come from a writer here (ISO/IEC 15948 §9.2 filters, §5.3 chunks; libdeflate's zlib
// compressor) and from codecs::encode (libpng's adaptive filters; unfiltered rows).
#include <doctest/doctest.h>
#include <libdeflate.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "codecs.hpp"
#include "test_support.hpp"

namespace {

using u8 = std::uint8_t;
namespace codecs = vecta::codecs;

void put32(std::string& s, std::uint32_t v) {
    for (int k = 3; k >= 0; --k) s.push_back(char((v >> (8 * k)) & 0xff));
}

void chunk(std::string& out, const char* type, const std::string& data) {
    put32(out, std::uint32_t(data.size()));
    std::string td = std::string(type, 4) + data;
    out += td;
    put32(out, libdeflate_crc32(0, td.data(), td.size()));
}

/// An 8-bit PNG of `img` (1..4 channels), row y filtered with filters[y % filters.size()].
std::string png_with_filters(const vecta::image<u8>& img, const std::vector<int>& filters) {
    const std::size_t w = img.width(), h = img.height(), c = img.channels(), row = w * c;
    std::vector<u8> raw;
    const std::vector<u8> zeros(row, 0);
    for (std::size_t y = 0; y < h; ++y) {
        const int t = filters[y % filters.size()];
        const u8* cur = img.view().row(y);
        const u8* up = y ? img.view().row(y - 1) : zeros.data();
        raw.push_back(u8(t));
        for (std::size_t i = 0; i < row; ++i) {
            const int a = i >= c ? cur[i - c] : 0, b = up[i], cc = i >= c ? up[i - c] : 0;
            const int p = a + b - cc, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - cc);
            const int paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
            const int pred = t == 0 ? 0 : t == 1 ? a : t == 2 ? b : t == 3 ? (a + b) / 2 : paeth;
            raw.push_back(u8((cur[i] - pred) & 255));
        }
    }
    libdeflate_compressor* comp = libdeflate_alloc_compressor(6);
    REQUIRE(comp != nullptr);
    std::string z(libdeflate_zlib_compress_bound(comp, raw.size()), '\0');
    z.resize(libdeflate_zlib_compress(comp, raw.data(), raw.size(), z.data(), z.size()));
    libdeflate_free_compressor(comp);
    REQUIRE(!z.empty());
    std::string out("\x89PNG\r\n\x1a\n", 8), ihdr;
    put32(ihdr, std::uint32_t(w));
    put32(ihdr, std::uint32_t(h));
    const char ctype = c == 1 ? 0 : c == 2 ? 4 : c == 3 ? 2 : 6;
    ihdr += std::string{char(8), ctype, 0, 0, 0};
    chunk(out, "IHDR", ihdr);
    const std::size_t half = z.size() / 2;  // two IDAT chunks: the path joins them
    chunk(out, "IDAT", z.substr(0, half));
    chunk(out, "IDAT", z.substr(half));
    chunk(out, "IEND", "");
    return out;
}

std::span<const unsigned char> bytes_of(const std::string& s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

bool same_pixels(const vecta::image<u8>& a, const vecta::image<u8>& b) {
    if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) return false;
    for (std::size_t y = 0; y < a.height(); ++y)
        if (std::memcmp(a.view().row(y), b.view().row(y), a.width() * a.channels()) != 0) return false;
    return true;
}

/// The fast path accepts `png`, and its pixels equal libpng's, codecs::decode's and `img`.
void check_fast(const std::string& png, const vecta::image<u8>& img) {
    const auto fast = codecs::detail::decode_png_fast(bytes_of(png));
    REQUIRE(fast.has_value());
    const auto ref = codecs::detail::decode_png_libpng(bytes_of(png));
    CHECK(same_pixels(*fast, ref));
    CHECK(same_pixels(*fast, img));
    CHECK(same_pixels(codecs::decode(bytes_of(png)), img));
    for (int ch = 1; ch <= 4; ++ch) {  // channel conversion as decode does
        const auto f = codecs::detail::decode_png_fast(bytes_of(png), {.channels = ch});
        REQUIRE(f.has_value());
        CHECK(same_pixels(*f, codecs::detail::decode_png_libpng(bytes_of(png), {.channels = ch})));
    }
}

}  // namespace

TEST_CASE("codecs PNG fast path: every filter type, 1-4 channels, equals libpng") {
    for (std::size_t c = 1; c <= 4; ++c)
        for (std::size_t w : {1u, 2u, 5u, 9u, 33u}) {
            const auto img = vecta_test::random_image(w, 7, c, std::uint32_t(10 * w + c));
            for (const auto& filters : std::vector<std::vector<int>>{{0}, {1}, {2}, {3}, {4}, {4, 3, 1, 0, 2}}) {
                CAPTURE(c);
                CAPTURE(w);
                CAPTURE(filters.front());
                check_fast(png_with_filters(img, filters), img);
            }
        }
}

TEST_CASE("codecs PNG fast path: PNGs written by codecs::encode") {
    for (std::size_t c = 1; c <= 4; ++c)
        for (bool filters : {true, false}) {
            auto img = vecta_test::random_image(40, 23, c, std::uint32_t(c), 0, 255);
            for (std::size_t y = 0; y < 23; ++y)  // smooth rows: libpng's adaptive choice varies
                for (std::size_t x = 0; x < 40 * c; ++x)
                    if ((x + y) % 3) img.view().row(y)[x] = u8(x * 5 + y * 3);
            CAPTURE(c);
            CAPTURE(filters);
            check_fast(codecs::encode(img.view(), codecs::format::png, {.png_filters = filters}), img);
        }
}

TEST_CASE("codecs PNG fast path: other layouts go to libpng") {
    const auto labels = vecta_test::random_image<std::uint16_t>(9, 4, 1, 3, 0, 2);
    const std::array<std::array<u8, 3>, 3> palette{{{0, 0, 0}, {255, 0, 0}, {1, 2, 3}}};
    const std::string png = codecs::encode_png_indexed(labels.view(), palette);
    CHECK_FALSE(codecs::detail::decode_png_fast(bytes_of(png)).has_value());  // palette (colour type 3)
    const auto rgb = codecs::detail::decode_png_libpng(bytes_of(png));
    REQUIRE(rgb.channels() == 3);
    CHECK(same_pixels(codecs::decode(bytes_of(png)), rgb));
    for (std::size_t y = 0; y < 4; ++y)
        for (std::size_t x = 0; x < 9; ++x)
            CHECK(std::memcmp(rgb.view().row(y) + 3 * x, palette[labels.view().row(y)[x]].data(), 3) == 0);
    CHECK_THROWS_AS(codecs::detail::decode_png_fast(bytes_of(png), {.channels = 5}), vecta::invalid_argument);
}
