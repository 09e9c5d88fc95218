// SPDX-License-Identifier: MIT
// src/codecs/pbm.cpp - binary PBM (netpbm P4), our own reader, written from the format's
// description (Netpbm, pbm(5)): "P4", whitespace, the width and the height in ASCII decimal
// separated by whitespace, one whitespace character, then the raster: height rows of
// ceil(width / 8) bytes, the most significant bit first, 1 for black, the padding bits of a row
// ignored. A '#' in the header starts a comment that runs to the end of the line. stb_image reads
// P5 / P6 but not P4; Debian's libnetpbm exits the process on bad input.
#include <string>

#include "codecs_internal.hpp"

namespace vecta::codecs {
using namespace internal;

bool internal::is_pbm(std::span<const unsigned char> b) noexcept { return b.size() >= 2 && b[0] == 'P' && b[1] == '4'; }

/// Decodes a binary PBM to one grey channel: black 0, white 255 (the first image of a file that
/// holds several; bytes after it are ignored). O(pixels).
image<u8> internal::decode_pbm(std::span<const unsigned char> b, const decode_params& p, std::string_view what) {
    auto bad = [&](std::string_view why) {  // throws
        throw decode_error(std::string(what).append(" is not a decodable PBM image: ").append(why));
    };
    auto space = [](unsigned char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    };
    std::size_t pos = 2;
    auto skip_blanks = [&] {  // whitespace and comments before a number
        while (pos < b.size()) {
            if (b[pos] == '#') {
                while (pos < b.size() && b[pos] != '\n' && b[pos] != '\r') ++pos;
            } else if (space(b[pos])) {
                ++pos;
            } else {
                break;
            }
        }
    };
    auto number = [&](const char* name) {
        const std::size_t start = pos;
        std::uint64_t v = 0;
        while (pos < b.size() && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + std::uint64_t(b[pos++] - '0');
            if (v > 0x7fffffffu) bad(std::string(name) + " above 2^31 - 1");
        }
        if (pos == start) bad(std::string("no ") + name + " in the header (truncated or not decimal)");
        return v;
    };
    // A comment may follow the magic number directly (pbm(5); libnetpbm reads "P4#c\n8 2\n").
    if (pos >= b.size() || !(space(b[pos]) || b[pos] == '#')) bad("no whitespace after the magic number P4");
    skip_blanks();
    const std::uint64_t w = number("width");
    if (pos >= b.size() || !(space(b[pos]) || b[pos] == '#')) bad("no whitespace after the width");
    skip_blanks();
    const std::uint64_t h = number("height");
    // One whitespace character ends the header (a comment may come before it).
    if (pos < b.size() && b[pos] == '#')
        while (pos < b.size() && b[pos] != '\n' && b[pos] != '\r') ++pos;
    if (pos >= b.size() || !space(b[pos])) bad("no whitespace after the height (truncated header)");
    ++pos;
    if (w == 0 || h == 0) bad("zero width or height");
    check_size(w, h, p, what, format::other);
    const std::size_t row_bytes = std::size_t((w + 7) / 8);
    if ((b.size() - pos) / row_bytes < h)
        bad("the raster ends early (truncated): " + std::to_string(h) + " rows of " + std::to_string(row_bytes) +
            " bytes expected, " + std::to_string(b.size() - pos) + " bytes left");
    image<u8> img(std::size_t(w), std::size_t(h), 1);
    const std::size_t full = std::size_t(w / 8), rest = std::size_t(w % 8);
    for (std::size_t y = 0; y < h; ++y) {
        const unsigned char* s = b.data() + pos + y * row_bytes;
        u8* d = img.view().row(y);
        for (std::size_t i = 0; i < full; ++i, d += 8) {
            const unsigned v = s[i];
            for (int bit = 0; bit < 8; ++bit) d[bit] = (v >> (7 - bit)) & 1u ? 0 : 255;
        }
        for (std::size_t bit = 0; bit < rest; ++bit) d[bit] = (s[full] >> (7 - bit)) & 1u ? 0 : 255;
    }
    return img;
}

}  // namespace vecta::codecs
