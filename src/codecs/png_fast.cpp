// SPDX-License-Identifier: MIT
// src/codecs/png_fast.cpp - PNG of the common layouts through libdeflate, written from ISO/IEC
// 15948 (PNG, 2nd edition): chunks §5.3, IHDR §11.2.2, one zlib datastream over consecutive IDAT
// chunks §10 and §11.2.4, row filters §9.2. libdeflate inflates the whole stream in one call and
// our unfiltering follows: the whole decode takes 2.0-2.2x less CPU than libpng streaming through
// zlib's inflate (300 decodes of each of three 600 x 600 RGB photos: docs/python.md). Anything
// else goes to libpng (png.cpp).
#include <libdeflate.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "codecs_internal.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace vecta::codecs {
using namespace internal;
namespace {

std::uint32_t be32(const unsigned char* p) noexcept {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

/// One row's filter undone (§9.2): out = raw + predictor, bytes modulo 256, from a (the byte
/// Bpp to the left, 0 before the first pixel), b (above: prior, the previous output row, zeros
/// above the first row) and c (above-left). False for a filter type above 4. O(n).
template <std::size_t Bpp>
bool unfilter_row(unsigned type, const u8* __restrict raw, const u8* __restrict prior, u8* __restrict out,
                  std::size_t n) noexcept {
    switch (type) {
        case 0: std::memcpy(out, raw, n); return true;
        case 1: {  // Sub
            std::size_t i = 0;
#ifdef __SSE2__
            if constexpr (Bpp >= 3) {
                // A pixel per step: its bytes added lane-wise (paddb) to the previous output pixel,
                // 4 bytes loaded and stored (for Bpp 3 the fourth is the next pixel's, rewritten
                // by the next step); the dependency chain is one paddb per pixel.
                __m128i prev = _mm_setzero_si128();
                for (; i + 4 <= n; i += Bpp) {
                    std::uint32_t v;
                    std::memcpy(&v, raw + i, 4);
                    prev = _mm_add_epi8(prev, _mm_cvtsi32_si128(static_cast<int>(v)));
                    v = static_cast<std::uint32_t>(_mm_cvtsi128_si32(prev));
                    std::memcpy(out + i, &v, 4);
                }
            }
#endif
            for (; i < n; ++i) out[i] = u8(raw[i] + (i >= Bpp ? out[i - Bpp] : 0));
            return true;
        }
        case 2:  // Up
            for (std::size_t i = 0; i < n; ++i) out[i] = u8(raw[i] + prior[i]);
            return true;
        case 3:  // Average: floor((a + b) / 2) without overflow
            for (std::size_t i = 0; i < Bpp; ++i) out[i] = u8(raw[i] + (prior[i] >> 1));
            for (std::size_t i = Bpp; i < n; ++i) out[i] = u8(raw[i] + ((unsigned(out[i - Bpp]) + prior[i]) >> 1));
            return true;
        case 4:  // Paeth: of a, b, c the nearest to a + b - c, ties in the order a, b, c
            for (std::size_t i = 0; i < Bpp; ++i) out[i] = u8(raw[i] + prior[i]);  // a = c = 0: b
            for (std::size_t i = Bpp; i < n; ++i) {
                const int a = out[i - Bpp], b = prior[i], c = prior[i - Bpp];
                const int pa = std::abs(b - c), pb = std::abs(a - c), pc = std::abs(a + b - 2 * c);
                out[i] = u8(raw[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c));
            }
            return true;
        default: return false;
    }
}

}  // namespace

/// Decodes the PNG layouts most files have (8-bit grey, grey + alpha, RGB or RGBA, not
/// interlaced, no tRNS, no PLTE) into `out`: the IDAT data inflated by one libdeflate call, then
/// the row filters undone. Returns false, with `out` untouched, for any other layout and for
/// anything unexpected: a critical chunk's CRC-32 mismatch, an unknown critical chunk, a chunk
/// type that is not four letters, a zlib stream that does not inflate to exactly the image's
/// filtered bytes or does not end with the IDAT data (its Adler-32 is checked here), a filter type
/// above 4, a truncated chunk, or more than 2^28 filtered bytes (larger images stream through
/// libpng, without the whole-image buffer this path needs). libpng then decodes the file, so the
/// result is libpng's and errors are libpng's errors. Ancillary chunks are skipped unread (libpng
/// discards them here too; their CRC errors are only warnings there). Throws decode_error for an
/// image above p.max_pixels. Extra memory: the compressed and the filtered bytes. O(bytes).
bool internal::decode_png_deflate(std::span<const unsigned char> b, const decode_params& p, std::string_view what,
                                  image<u8>& out) {
    auto crc_ok = [&](std::size_t pos, std::uint32_t len) {  // over the type and data (§5.3)
        return libdeflate_crc32(0, b.data() + pos + 4, std::size_t(len) + 4) == be32(b.data() + pos + 8 + len);
    };
    if (b.size() < 8 + 25 || be32(b.data() + 8) != 13 || std::memcmp(b.data() + 12, "IHDR", 4) != 0 || !crc_ok(8, 13))
        return false;
    const unsigned char* ih = b.data() + 16;
    const std::uint32_t w = be32(ih), h = be32(ih + 4);
    if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu) return false;
    // Bit depth 8, compression 0, filter method 0, no interlace; colour types 0, 2, 4, 6.
    if (ih[8] != 8 || ih[10] != 0 || ih[11] != 0 || ih[12] != 0) return false;
    const std::size_t c = ih[9] == 0 ? 1 : ih[9] == 2 ? 3 : ih[9] == 4 ? 2 : ih[9] == 6 ? 4 : 0;
    if (c == 0) return false;
    const std::size_t row = std::size_t(w) * c, raw_n = std::size_t(h) * (row + 1);
    // Chunks up to the end of the IDAT run; the image data is complete there (what follows is
    // not read, as libpng's png_read_image does not read it).
    std::vector<std::pair<std::size_t, std::uint32_t>> idat;  // data offset, length
    std::size_t pos = 33, total = 0;
    for (;;) {
        if (b.size() - pos < 12) return false;
        const std::uint32_t len = be32(b.data() + pos);
        if (len > 0x7fffffffu || b.size() - pos - 12 < len) return false;
        const unsigned char* type = b.data() + pos + 4;
        for (int i = 0; i < 4; ++i)
            if ((type[i] | 0x20) < 'a' || (type[i] | 0x20) > 'z') return false;  // ASCII letters (§5.4)
        const bool is_idat = std::memcmp(type, "IDAT", 4) == 0;
        if (!is_idat && !idat.empty()) break;
        if (is_idat) {
            // libpng refuses an IDAT chunk longer than the stored-block bound of the filtered
            // bytes; this bound is below libpng's.
            if (len > raw_n + 6 + 5 * (raw_n / 65535 + 1) || !crc_ok(pos, len)) return false;
            idat.emplace_back(pos + 8, len);
            total += len;
        } else if (!(type[0] & 0x20) || std::memcmp(type, "tRNS", 4) == 0) {
            return false;  // a critical chunk other than IDAT (PLTE, IEND before any IDAT, ...), or tRNS
        }
        pos += 12 + std::size_t(len);
    }
    check_size(w, h, p, what, format::png);
    if (raw_n > (std::size_t(1) << 28)) return false;
    std::vector<u8> joined;
    const unsigned char* z = b.data() + idat[0].first;
    if (idat.size() > 1) {
        joined.reserve(total);
        for (const auto& [off, len] : idat) joined.insert(joined.end(), b.data() + off, b.data() + off + len);
        z = joined.data();
    }
    const std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> dec(
        libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
    if (!dec) throw std::bad_alloc();
    const std::unique_ptr<u8[]> raw(new u8[raw_n]);
    std::size_t in_used = 0, out_got = 0;
    if (libdeflate_zlib_decompress_ex(dec.get(), z, total, raw.get(), raw_n, &in_used, &out_got) !=
            LIBDEFLATE_SUCCESS ||
        in_used != total || out_got != raw_n)
        return false;
    image<u8> img(w, h, c);
    const std::vector<u8> zeros(row, 0);
    auto rows = [&]<std::size_t Bpp>() {
        for (std::size_t y = 0; y < h; ++y) {
            const u8* r = raw.get() + y * (row + 1);
            if (!unfilter_row<Bpp>(r[0], r + 1, y ? img.view().row(y - 1) : zeros.data(), img.view().row(y), row))
                return false;
        }
        return true;
    };
    const bool ok = c == 1   ? rows.template operator()<1>()
                    : c == 2 ? rows.template operator()<2>()
                    : c == 3 ? rows.template operator()<3>()
                             : rows.template operator()<4>();
    if (ok) out = std::move(img);
    return ok;
}

namespace detail {

std::optional<image<std::uint8_t>> decode_png_fast(std::span<const unsigned char> bytes, const decode_params& p,
                                                   std::string_view what) {
    vecta::detail::require(p.channels >= 0 && p.channels <= 4, "vecta::codecs::detail::decode_png_fast",
                           "params.channels", "must be 0 (as in the file) or 1..4");
    if (image<u8> img; decode_png_deflate(bytes, p, what, img)) return with_channels(std::move(img), p);
    return std::nullopt;
}

}  // namespace detail

}  // namespace vecta::codecs
