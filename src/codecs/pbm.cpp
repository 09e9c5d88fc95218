// SPDX-License-Identifier: MIT
// src/codecs/pbm.cpp - netpbm images (PBM, PGM, PPM in their plain P1-P3 and raw P4-P6 forms,
// and PAM, P7), our own reader, written from the formats' descriptions (Netpbm: pbm(5), pgm(5),
// ppm(5), pam(5); netpbm.sourceforge.net/doc). P1-P6: the magic number, then the width, the height
// and (not for PBM) the maxval in ASCII decimal, separated by whitespace; a '#' starts a comment
// that runs to the end of the line. Raw rasters follow one whitespace character: P4 packs 8 pixels
// a byte, most significant bit first, rows padded to a byte; P5/P6 samples are 1 byte when
// maxval < 256, else 2 bytes, most significant first. Plain rasters are ASCII decimal samples
// separated by whitespace (P1: the digits 0 and 1, no separator needed). P7: header lines
// "WIDTH w", "HEIGHT h", "DEPTH d", "MAXVAL m", "TUPLTYPE t", comments, then "ENDHDR" and a raw
// raster as P5/P6 of d samples per pixel. stb_image reads only P5/P6 and does not rescale other
// maxvals; Debian's libnetpbm exits the process on bad input.
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "codecs_internal.hpp"

namespace vecta::codecs {
using namespace internal;
namespace {

bool space(unsigned char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/// A cursor over untrusted header / plain raster bytes; every read checks the end.
struct reader {
    std::span<const unsigned char> b;
    std::size_t pos;
    std::string_view what;
    const char* kind;  // "PBM", "PGM", "PPM", "PAM"

    [[noreturn]] void bad(std::string_view why) const {
        throw decode_error(std::string(what) + " is not a decodable " + kind + " image: " + std::string(why));
    }
    bool at_end() const noexcept { return pos >= b.size(); }
    void skip_comment() noexcept {
        while (pos < b.size() && b[pos] != '\n' && b[pos] != '\r') ++pos;
    }
    /// Whitespace and comments (anywhere between tokens, as libnetpbm reads them).
    void skip_blanks() noexcept {
        while (pos < b.size()) {
            if (b[pos] == '#') {
                skip_comment();
            } else if (space(b[pos])) {
                ++pos;
            } else {
                break;
            }
        }
    }
    /// An unsigned decimal at pos (after skip_blanks); `limit` bounds it ("above <limit>").
    std::uint64_t number(const char* name, std::uint64_t limit) {
        skip_blanks();
        if (pos < b.size() && b[pos] == '-') bad(std::string("the ") + name + " is negative");
        const std::size_t start = pos;
        std::uint64_t v = 0;
        while (pos < b.size() && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + std::uint64_t(b[pos++] - '0');
            if (v > limit) bad(std::string("the ") + name + " is above " + std::to_string(limit));
        }
        if (pos == start)
            bad(at_end() ? std::string("the data ends before the ") + name + " (truncated)"
                         : std::string("the ") + name + " is not a decimal number");
        if (pos < b.size() && !space(b[pos]) && b[pos] != '#')
            bad(std::string("the ") + name + " is not followed by whitespace");
        return v;
    }
};

constexpr std::uint64_t max_side = 0x7fffffffu;

struct header {
    int type = 0;  // 1..7
    std::uint64_t w = 0, h = 0, maxval = 1;
    std::size_t depth = 1;
};

/// The P7 header lines up to ENDHDR and its newline (pam(5)).
void read_pam_header(reader& r, header& hd) {
    bool seen[4] = {false, false, false, false};  // WIDTH HEIGHT DEPTH MAXVAL
    for (;;) {
        r.skip_blanks();
        const std::size_t start = r.pos;
        while (r.pos < r.b.size() && !space(r.b[r.pos])) ++r.pos;
        const std::string_view key(reinterpret_cast<const char*>(r.b.data()) + start, r.pos - start);
        if (key.empty()) r.bad("the header ends before ENDHDR (truncated)");
        if (key == "ENDHDR") {
            while (r.pos < r.b.size() && r.b[r.pos] != '\n') ++r.pos;  // the rest of the line
            if (r.at_end()) r.bad("no newline after ENDHDR (truncated)");
            ++r.pos;
            break;
        }
        if (key == "TUPLTYPE") {
            r.skip_comment();  // informative: the depth decides the channels
        } else if (key == "WIDTH") {
            hd.w = r.number("width", max_side), seen[0] = true;
        } else if (key == "HEIGHT") {
            hd.h = r.number("height", max_side), seen[1] = true;
        } else if (key == "DEPTH") {
            hd.depth = std::size_t(r.number("depth", 1u << 20)), seen[2] = true;
        } else if (key == "MAXVAL") {
            hd.maxval = r.number("maxval", std::uint64_t(1) << 32), seen[3] = true;
        } else {
            r.bad("unknown header line '" + std::string(key.substr(0, 32)) + "'");
        }
    }
    static constexpr const char* names[4] = {"WIDTH", "HEIGHT", "DEPTH", "MAXVAL"};
    for (int i = 0; i < 4; ++i)
        if (!seen[i]) r.bad(std::string("no ") + names[i] + " line in the header");
    if (hd.depth < 1 || hd.depth > 4)
        r.bad("depth " + std::to_string(hd.depth) + " is not supported (1 to 4: grey, grey + alpha, RGB, RGBA)");
}

}  // namespace

bool internal::is_pnm(std::span<const unsigned char> b) noexcept {
    return b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7';
}

/// Decodes a netpbm image (P1-P7, the first image of a file that holds several; bytes after it
/// are ignored): PBM to one grey channel, black 0 and white 255; PGM to grey, PPM to RGB, PAM to
/// its depth (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA). Samples are rescaled from 0..maxval to
/// 0..255 as round(v * 255 / maxval) (maxval 255: as stored). Refused with decode_error: maxval
/// outside 1..65535, a negative or zero side, an image above max_pixels (before allocating), a
/// raster shorter than the header declares, a sample above maxval, plain tokens that are not
/// decimal, a PAM depth outside 1..4. O(bytes).
image<u8> internal::decode_pnm(std::span<const unsigned char> b, const decode_params& p, std::string_view what) {
    header hd;
    hd.type = b[1] - '0';
    static constexpr const char* kinds[8] = {"", "PBM", "PGM", "PPM", "PBM", "PGM", "PPM", "PAM"};
    reader r{b, 2, what, kinds[hd.type]};
    // A comment may follow the magic number directly (libnetpbm reads "P4#c\n8 2\n").
    if (r.at_end() || !(space(b[2]) || b[2] == '#')) r.bad("no whitespace after the magic number");
    const bool bits = hd.type == 1 || hd.type == 4, plain = hd.type <= 3;
    if (hd.type == 7) {
        read_pam_header(r, hd);
    } else {
        hd.w = r.number("width", max_side);
        hd.h = r.number("height", max_side);
        if (!bits) hd.maxval = r.number("maxval", std::uint64_t(1) << 32);
        hd.depth = hd.type == 3 || hd.type == 6 ? 3 : 1;
        if (!plain) {  // a comment may come before the one whitespace character ending the header
            if (r.pos < b.size() && b[r.pos] == '#') r.skip_comment();
            if (r.at_end()) r.bad("the data ends after the header (truncated)");
            ++r.pos;
        }
    }
    if (hd.maxval < 1 || hd.maxval > 65535) r.bad("maxval " + std::to_string(hd.maxval) + " is outside 1..65535");
    if (hd.w == 0 || hd.h == 0) r.bad("zero width or height");
    check_size(hd.w, hd.h, p, what, format::other);
    const std::size_t w = std::size_t(hd.w), h = std::size_t(hd.h), c = hd.depth;
    const std::size_t samples_per_row = w * c;  // w < 2^31, c <= 4
    const std::size_t left = b.size() - std::min(r.pos, b.size());
    // Enough bytes for the raster before allocating it: a plain sample takes at least a byte.
    const std::size_t sample_bytes = hd.maxval > 255 ? 2 : 1;
    const std::size_t row_bytes = hd.type == 4 ? (w + 7) / 8 : plain ? samples_per_row : samples_per_row * sample_bytes;
    if (left / row_bytes < h) {
        if (plain)
            r.bad("the raster ends early (truncated): " + std::to_string(w * c) + " x " + std::to_string(h) +
                  " samples expected");
        r.bad("the raster ends early (truncated): " + std::to_string(h) + " rows of " + std::to_string(row_bytes) +
              " bytes expected, " + std::to_string(left) + " bytes left");
    }
    // round(v * 255 / maxval) for every v <= maxval (ties up; equal to PNG's 16-bit scaling).
    std::vector<u8> lut;
    if (!bits && hd.maxval != 255) {
        lut.resize(std::size_t(hd.maxval) + 1);
        for (std::uint64_t v = 0; v <= hd.maxval; ++v) lut[v] = u8((v * 510 + hd.maxval) / (2 * hd.maxval));
    }
    const auto maxval = std::uint32_t(hd.maxval);
    auto above = [&](std::uint32_t v, std::size_t x, std::size_t y) {
        r.bad("sample " + std::to_string(v) + " at (" + std::to_string(x / c) + ", " + std::to_string(y) +
              ") is above maxval " + std::to_string(maxval));
    };
    image<u8> img(w, h, c);
    for (std::size_t y = 0; y < h; ++y) {
        u8* d = img.view().row(y);
        if (hd.type == 4) {
            const unsigned char* s = b.data() + r.pos + y * row_bytes;
            for (std::size_t x = 0; x < w; ++x) d[x] = (s[x >> 3] >> (7 - (x & 7))) & 1u ? 0 : 255;
        } else if (hd.type == 1) {
            for (std::size_t x = 0; x < w; ++x) {
                r.skip_blanks();
                if (r.at_end()) r.bad("the raster ends early (truncated)");
                const unsigned char ch = b[r.pos++];
                if (ch != '0' && ch != '1') r.bad("a plain PBM pixel is not 0 or 1");
                d[x] = ch == '1' ? 0 : 255;
            }
        } else if (plain) {
            for (std::size_t i = 0; i < samples_per_row; ++i) {
                r.skip_blanks();
                if (r.at_end()) r.bad("the raster ends early (truncated)");
                const std::size_t start = r.pos;
                std::uint32_t v = 0;
                while (r.pos < b.size() && b[r.pos] >= '0' && b[r.pos] <= '9') {
                    v = v * 10 + std::uint32_t(b[r.pos++] - '0');
                    if (v > maxval) above(v, i, y);
                }
                if (r.pos == start || (r.pos < b.size() && !space(b[r.pos]) && b[r.pos] != '#'))
                    r.bad("a plain sample is not a decimal number");
                d[i] = lut.empty() ? u8(v) : lut[v];
            }
        } else {
            const unsigned char* s = b.data() + r.pos + y * row_bytes;
            if (sample_bytes == 2) {
                for (std::size_t i = 0; i < samples_per_row; ++i) {
                    const std::uint32_t v = std::uint32_t(s[2 * i]) << 8 | s[2 * i + 1];
                    if (v > maxval) above(v, i, y);
                    d[i] = lut[v];
                }
            } else if (lut.empty()) {
                std::memcpy(d, s, samples_per_row);
            } else {
                for (std::size_t i = 0; i < samples_per_row; ++i) {
                    if (s[i] > maxval) above(s[i], i, y);
                    d[i] = lut[s[i]];
                }
            }
        }
    }
    return img;
}

}  // namespace vecta::codecs
