// SPDX-License-Identifier: MIT
// src/codecs' netpbm reader (pbm.cpp) through codecs::decode: raw and plain PBM / PGM / PPM and PAM
// against a naive reference (samples rescaled as round(v * 255 / maxval), computed in double from
// the pam(5) / pgm(5) definitions), the plain and raw forms of the same image equal, and every bad
// header (maxval 0 or above 65535, a negative side, a sample above maxval, truncation, a PAM depth
// above 4) refused with a message naming the source; and codecs::load's input byte limit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "codecs.hpp"
#include "test_support.hpp"

namespace pnm_test {

using u8 = std::uint8_t;
namespace codecs = vecta::codecs;

std::span<const unsigned char> bytes_of(const std::string& s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

/// Random samples 0..maxval, w * h * c of them.
std::vector<unsigned> samples(std::size_t n, unsigned maxval, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<unsigned> d(0, maxval);
    std::vector<unsigned> v(n);
    for (auto& x : v) x = d(rng);
    v[0] = 0, v[n - 1] = maxval;
    return v;
}

std::string raw_samples(const std::vector<unsigned>& v, unsigned maxval) {
    std::string out;
    for (const unsigned x : v) {
        if (maxval > 255) out.push_back(char(x >> 8));
        out.push_back(char(x & 255));
    }
    return out;
}

/// Plain raster with comments and mixed whitespace between the samples.
std::string plain_samples(const std::vector<unsigned>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        out += std::to_string(v[i]);
        out += i % 7 == 3 ? " # a comment 99\n" : i % 5 == 0 ? "\t\r\n " : " ";
    }
    return out;
}

void check_pixels(const vecta::image<u8>& img, std::size_t w, std::size_t h, std::size_t c,
                  const std::vector<unsigned>& v, unsigned maxval) {
    REQUIRE(img.width() == w);
    REQUIRE(img.height() == h);
    REQUIRE(img.channels() == c);
    std::size_t wrong = 0;
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t i = 0; i < w * c; ++i) {
            const auto want = static_cast<long>(std::floor(v[y * w * c + i] * 255.0 / maxval + 0.5));
            wrong += img.view().row(y)[i] != want;
        }
    CHECK(wrong == 0);
}

void check_refused(const std::string& data, const char* needle) {
    CAPTURE(data.substr(0, 40));
    try {
        (void)codecs::decode(bytes_of(data), {}, "the_file.pnm");
        FAIL("accepted");
    } catch (const codecs::decode_error& e) {
        const std::string m = e.what();
        CAPTURE(m);
        CHECK(m.find("the_file.pnm") != std::string::npos);
        CHECK(m.find(needle) != std::string::npos);
    }
}

TEST_CASE("codecs::decode: PGM / PPM / PAM samples rescaled from every maxval, plain equal to raw") {
    const std::size_t w = 13, h = 7;
    for (const unsigned maxval : {1u, 2u, 15u, 100u, 254u, 255u, 256u, 1000u, 4095u, 65534u, 65535u}) {
        for (const std::size_t c : {1u, 3u}) {
            CAPTURE(maxval);
            CAPTURE(c);
            const auto v = samples(w * h * c, maxval, maxval * 7 + unsigned(c));
            std::string head = " ";
            head += std::to_string(w) + "\n# comment\n";
            head += std::to_string(h) + " " + std::to_string(maxval);
            const std::string raw = (c == 1 ? "P5" : "P6") + head + "\n" + raw_samples(v, maxval);
            const auto a = codecs::decode(bytes_of(raw));
            check_pixels(a, w, h, c, v, maxval);
            const std::string plain = (c == 1 ? "P2" : "P3") + head + "\n" + plain_samples(v);
            const auto b = codecs::decode(bytes_of(plain));
            check_pixels(b, w, h, c, v, maxval);
        }
        for (std::size_t depth = 1; depth <= 4; ++depth) {
            const auto v = samples(w * h * depth, maxval, maxval + unsigned(depth));
            const std::string pam = "P7\nWIDTH " + std::to_string(w) + "\n# comment\nHEIGHT " + std::to_string(h) +
                                    "\nDEPTH " + std::to_string(depth) + "\nMAXVAL " + std::to_string(maxval) +
                                    "\nTUPLTYPE ANY THING\nENDHDR\n" + raw_samples(v, maxval);
            check_pixels(codecs::decode(bytes_of(pam)), w, h, depth, v, maxval);
        }
    }
    // The decode_params.channels conversion applies as to other formats.
    const auto rgba = codecs::decode(bytes_of(std::string("P3 1 1 1000 1000 0 500\n")), {.channels = 4});
    CHECK(std::vector<u8>(rgba.data(), rgba.data() + 4) == std::vector<u8>{255, 0, 128, 255});
}

TEST_CASE("codecs::decode: plain PBM (P1) equals raw PBM (P4), digits with or without separators") {
    const std::size_t w = 19, h = 5;
    const auto v = samples(w * h, 1, 3);
    std::string p1 = "P1\n# c\n19 5\n", p1_tight = "P1 19 5\n", p4 = "P4 19 5\n";
    for (std::size_t y = 0; y < h; ++y) {
        unsigned char byte = 0;
        for (std::size_t x = 0; x < w; ++x) {
            const unsigned bit = v[y * w + x];
            p1 += std::to_string(bit) + (x % 4 == 0 ? "\n" : " ");
            p1_tight += std::to_string(bit);
            byte = static_cast<unsigned char>(byte | bit << (7 - x % 8));
            if (x % 8 == 7 || x == w - 1) p4.push_back(char(byte)), byte = 0;
        }
    }
    const auto a = codecs::decode(bytes_of(p1)), b = codecs::decode(bytes_of(p1_tight)),
               c = codecs::decode(bytes_of(p4));
    REQUIRE(a.channels() == 1);
    for (std::size_t i = 0; i < w * h; ++i) {
        const u8 want = v[i] ? 0 : 255;  // 1 is black
        REQUIRE(a.data()[i] == want);
        REQUIRE(b.data()[i] == want);
        REQUIRE(c.data()[i] == want);
    }
}

TEST_CASE("codecs::decode: bad netpbm headers and rasters are refused naming the source and the field") {
    check_refused("P6\n2 2\n0\n" + std::string(12, '\0'), "maxval 0 is outside 1..65535");
    check_refused("P5\n2 2\n65536\n" + std::string(8, '\0'), "maxval 65536 is outside 1..65535");
    check_refused("P2\n2 2\n99999999999999999999999 0 0 0 0\n", "maxval");
    check_refused("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 0\nENDHDR\n\x00", "maxval 0");
    check_refused("P6\n-5 2\n255\n" + std::string(30, '\0'), "the width is negative");
    check_refused("P3\n2 -2\n255\n", "the height is negative");
    check_refused("P5 2 1 100\n\x10\xc8", "sample 200 at (1, 0) is above maxval 100");
    check_refused("P5 1 1 1000\n\x03\xe9", "sample 1001 at (0, 0) is above maxval 1000");
    check_refused("P2 2 1 9\n3 10\n", "above maxval 9");
    check_refused("P1 2 1\n0 2\n", "not 0 or 1");
    check_refused("P2 2 1 9\n3 x\n", "not a decimal");
    check_refused("P2 2 2 9\n1 2 3", "truncated");
    CHECK(codecs::decode(bytes_of(std::string("P2 2 2 9\n1 2 3 9"))).data()[3] == 255);  // no final blank: fine
    check_refused("P6 2 2 255\n" + std::string(11, '\0'), "truncated");
    check_refused("P5 2 2 65535\n" + std::string(7, '\0'), "truncated");
    check_refused("P5 2 2", "truncated");
    check_refused("P6x1 1 255\n...", "no whitespace after the magic number");
    check_refused("P7", "no whitespace after the magic number");
    check_refused("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nENDHDR\n" + std::string(5, '\0'), "depth 5");
    check_refused("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\n", "ENDHDR");
    check_refused("P7\nWIDTH 1\nDEPTH 1\nMAXVAL 255\nENDHDR\n\x00", "no HEIGHT");
    check_refused("P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nCOLOUR 3\nENDHDR\n\x00", "unknown header line");
    check_refused("P5 99999999999 1 255\n", "the width is above 2147483647");
    check_refused("P4 0 3\n", "zero width or height");
    // Above max_pixels from the header alone, before the (absent) raster is looked at.
    check_refused("P2 100000 100000 255\n0", "above max_pixels");
    check_refused("P3 1000 1000 255\n0 0 0", "truncated");  // 3M samples cannot fit in 7 bytes
}

TEST_CASE("codecs::decode: no netpbm prefix or byte flip throws anything but decode_error") {
    const std::string good[] = {"P1 3 2\n1 0 1\n0 1 0\n", "P2 2 2 1000\n0 1000 # c\n500 7\n",
                                "P3 1 2 255\n1 2 3 4 5 6\n", "P5 2 1 65535\n\x01\x02\x03\x04",
                                "P7\nWIDTH 2\nHEIGHT 1\nDEPTH 2\nMAXVAL 255\nENDHDR\n\x01\x02\x03\x04"};
    std::mt19937 rng(5);
    std::size_t decoded = 0;
    for (const std::string& g : good) {
        REQUIRE_NOTHROW((void)codecs::decode(bytes_of(g)));
        for (std::size_t n = 1; n <= g.size(); ++n) {
            std::string t = g.substr(0, n);
            for (int k = 0; k < 40; ++k) {
                std::string m = t;
                if (k) m[rng() % m.size()] = char(rng() & 255);
                try {
                    decoded += codecs::decode(bytes_of(m)).size() > 0;
                } catch (const vecta::io_error&) {
                }
            }
        }
    }
    CHECK(decoded > 0);
}

TEST_CASE("codecs::load: at most max_input_bytes bytes are read (/dev/zero, large files)") {
    CHECK(codecs::max_input_bytes() == (std::size_t(1) << 30) + (std::size_t(1) << 20));
    CHECK(codecs::max_input_bytes({.max_pixels = 1000}) == 4000 + (std::size_t(1) << 20));
    CHECK(codecs::max_input_bytes({.max_pixels = std::size_t(-1)}) == std::size_t(-1));
    if (std::filesystem::exists("/dev/zero")) {
        try {
            (void)codecs::load("/dev/zero", {.max_pixels = 1000});
            FAIL("/dev/zero accepted");
        } catch (const vecta::io_error& e) {
            const std::string m = e.what();
            CHECK(m.find("'/dev/zero'") != std::string::npos);
            CHECK(m.find("input limit of 1052576 bytes") != std::string::npos);
        }
    }
    const auto path = std::filesystem::temp_directory_path() / "vecta_test_pnm_limit.pgm";
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f != nullptr);
        const std::string head = "P5 1100 1025 255\n";
        std::fwrite(head.data(), 1, head.size(), f);
        const std::vector<char> zeros(1100 * 1025, 0);
        std::fwrite(zeros.data(), 1, zeros.size(), f);
        std::fclose(f);
    }
    CHECK(codecs::load(path).width() == 1100);
    CHECK_THROWS_WITH_AS((void)codecs::load(path, {.max_pixels = 1000}), doctest::Contains("input limit"),
                         vecta::io_error);
    std::filesystem::remove(path);
}

}  // namespace pnm_test
