// SPDX-License-Identifier: MIT
// src/codecs/png.cpp - PNG through libpng (any layout; the reference of the libdeflate path in
// png_fast.cpp, tried first), the PNG writers (libpng's adaptive row filters; unfiltered rows
// through libdeflate, written from ISO/IEC 15948) and indexed / labelled PNGs. libpng reports
// errors by longjmp, so each call keeps its state in one heap object created before setjmp and
// never reassigned (no automatic variable changes between setjmp and longjmp).
#include <libdeflate.h>
#include <png.h>

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "codecs_internal.hpp"

namespace vecta::codecs {
using namespace internal;
namespace {

struct png_state {
    const unsigned char* src = nullptr;
    std::size_t size = 0, pos = 0;
    std::string* out = nullptr;  // encoder output
    char msg[256] = "unknown error";
    image<u8> img;
    std::vector<png_bytep> rows;
};

void png_on_error(png_structp png, png_const_charp m) {
    auto* s = static_cast<png_state*>(png_get_error_ptr(png));
    std::snprintf(s->msg, sizeof s->msg, "%s", m ? m : "unknown error");
    png_longjmp(png, 1);
}
void png_on_warning(png_structp, png_const_charp) {}

void png_read_mem(png_structp png, png_bytep out, std::size_t len) {
    auto* s = static_cast<png_state*>(png_get_io_ptr(png));
    if (len > s->size - s->pos) png_error(png, "the data ends early (truncated)");
    std::memcpy(out, s->src + s->pos, len);
    s->pos += len;
}

void png_write_mem(png_structp png, png_bytep data, std::size_t len) {
    auto* s = static_cast<png_state*>(png_get_io_ptr(png));
    try {
        s->out->append(reinterpret_cast<const char*>(data), len);
    } catch (...) {
        png_error(png, "out of memory");
    }
}
void png_flush_mem(png_structp) {}

/// Decodes a PNG through libpng alone (any layout; see codecs::decode), the file's channels.
image<u8> decode_png_libpng(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what) {
    const auto st = std::make_unique<png_state>();
    st->src = bytes.data();
    st->size = bytes.size();
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, st.get(), png_on_error, png_on_warning);
    if (!png) throw std::bad_alloc();
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        throw std::bad_alloc();
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        corrupt(what, format::png, st->msg);
    }
    png_set_read_fn(png, st.get(), png_read_mem);
    png_set_user_limits(png, 0x7fffffffu, 0x7fffffffu);  // max_pixels is the limit
    // The zlib stream's Adler-32 is not checked: every IDAT chunk's CRC-32 (ISO/IEC 15948 §5.3),
    // which libpng checks, already covers the compressed bytes (2 % of a line-art trace command).
#ifdef PNG_IGNORE_ADLER32  // libpng >= 1.6.26
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    png_uint_32 w = 0, h = 0;
    int depth = 0, ctype = 0, interlace = 0;
    png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, nullptr, nullptr);
    try {  // a C++ exception here leaves through the catch, which frees libpng's structs
        check_size(w, h, p, what, format::png);
        png_set_expand(png);    // palette -> RGB, grey below 8 bits -> 8, tRNS -> alpha
        png_set_scale_16(png);  // 16 -> 8 bits, rounded (not truncated)
        png_set_interlace_handling(png);
        png_read_update_info(png, info);
        const std::size_t c = png_get_channels(png, info);
        if (c < 1 || c > 4 || png_get_rowbytes(png, info) != std::size_t(w) * c)
            corrupt(what, format::png, "unexpected row layout after expansion");
        st->img = image<u8>(w, h, c);
        st->rows.resize(h);
        for (std::size_t y = 0; y < h; ++y) st->rows[y] = st->img.view().row(y);
    } catch (...) {
        png_destroy_read_struct(&png, &info, nullptr);
        throw;
    }
    png_read_image(png, st->rows.data());
    png_destroy_read_struct(&png, &info, nullptr);
    return std::move(st->img);
}

/// arguments, then one call row(y) per row returning that row's packed bytes.
template <class Row>
std::string write_png(std::size_t w, std::size_t h, int depth, int color_type, int level, Row&& row) {
    std::string out;
    const auto st = std::make_unique<png_state>();
    st->out = &out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, st.get(), png_on_error, png_on_warning);
    if (!png) throw std::bad_alloc();
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, nullptr);
        throw std::bad_alloc();
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw io_error(std::string("vecta::codecs::encode: PNG encoding failed: ") + st->msg);
    }
    png_set_write_fn(png, st.get(), png_write_mem, png_flush_mem);
    png_set_user_limits(png, 0x7fffffffu, 0x7fffffffu);  // the PNG limit, not libpng's default 10^6
    png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), depth, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_write_info(png, info);
    for (std::size_t y = 0; y < h; ++y) png_write_row(png, row(y));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

/// Writes a PNG of unfiltered rows (filter type 0 on every row, ISO/IEC 15948 §9.2), written from
/// the standard: the signature, IHDR (§11.2.2), a PLTE when `palette` is not empty (§11.2.3), the
/// zlib stream of the rows from one libdeflate call at `level` (0..9, libdeflate's scale, which
/// follows zlib's) in IDAT chunks of at most 2^30 bytes, IEND; CRC-32 per chunk (§5.3). row(y)
/// returns a pointer to that row's `row_bytes` packed bytes. libdeflate at level 1 is about 2x
/// faster than zlib at level 2 here and its output about 8 % smaller (docs/python.md).
/// Extra memory: the filtered rows and the compressed stream. Throws std::bad_alloc,
/// vecta::io_error if libdeflate fails.
template <class Row>
std::string write_png_unfiltered(std::size_t w, std::size_t h, int depth, int color_type, std::size_t row_bytes,
                                 std::span<const std::array<u8, 3>> palette, int level, Row&& row) {
    std::vector<u8> raw(h * (row_bytes + 1));
    for (std::size_t y = 0; y < h; ++y) {
        u8* r = raw.data() + y * (row_bytes + 1);
        r[0] = 0;  // filter type None
        std::memcpy(r + 1, row(y), row_bytes);
    }
    const std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> comp(
        libdeflate_alloc_compressor(level), libdeflate_free_compressor);
    if (!comp) throw std::bad_alloc();
    std::vector<u8> z(libdeflate_zlib_compress_bound(comp.get(), raw.size()));
    const std::size_t zn = libdeflate_zlib_compress(comp.get(), raw.data(), raw.size(), z.data(), z.size());
    if (zn == 0) throw io_error("vecta::codecs::encode: PNG encoding failed: libdeflate could not compress");
    raw = {};
    std::string out;
    out.reserve(8 + 25 + (12 + 3 * palette.size()) + zn + 12 * (zn / (std::size_t(1) << 30) + 1) + 12);
    const auto put32 = [&](std::uint32_t v) {
        const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
        out.append(b, 4);
    };
    const auto chunk = [&](const char* type, const void* data, std::size_t n) {
        put32(static_cast<std::uint32_t>(n));
        const std::size_t start = out.size();
        out.append(type, 4).append(static_cast<const char*>(data), n);
        put32(libdeflate_crc32(0, out.data() + start, n + 4));
    };
    out.append("\x89PNG\r\n\x1a\n", 8);
    u8 ihdr[13] = {u8(w >> 24), u8(w >> 16), u8(w >> 8), u8(w),     u8(h >> 24),
                   u8(h >> 16), u8(h >> 8),  u8(h),      u8(depth), u8(color_type),
                   0,           0,           0};  // compression 0, filter method 0, no interlace
    chunk("IHDR", ihdr, 13);
    static_assert(sizeof(std::array<u8, 3>) == 3, "palette entries are 3 packed bytes");
    if (!palette.empty()) chunk("PLTE", palette.data(), 3 * palette.size());
    for (std::size_t off = 0; off < zn; off += std::size_t(1) << 30)
        chunk("IDAT", z.data() + off, std::min(zn - off, std::size_t(1) << 30));
    chunk("IEND", nullptr, 0);
    return out;
}

}  // namespace

image<u8> internal::decode_png(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what) {
    if (image<u8> img; decode_png_deflate(bytes, p, what, img)) return img;
    return decode_png_libpng(bytes, p, what);
}

std::string internal::encode_png(image_view<const u8> img, int level, bool filters) {
    static constexpr int types[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                    PNG_COLOR_TYPE_RGB_ALPHA};
    const auto row = [&](std::size_t y) { return const_cast<png_bytep>(img.row(y)); };
    if (!filters)
        return write_png_unfiltered(img.width(), img.height(), 8, types[img.channels() - 1],
                                    img.width() * img.channels(), {}, level, row);
    return write_png(img.width(), img.height(), 8, types[img.channels() - 1], level, row);
}

namespace detail {

image<std::uint8_t> decode_png_libpng(std::span<const unsigned char> bytes, const decode_params& p,
                                      std::string_view what) {
    vecta::detail::require(p.channels >= 0 && p.channels <= 4, "vecta::codecs::detail::decode_png_libpng",
                           "params.channels", "must be 0 (as in the file) or 1..4");
    return with_channels(codecs::decode_png_libpng(bytes, p, what), p);
}

}  // namespace detail

std::string encode_png_indexed(image_view<const std::uint16_t> labels, std::span<const std::array<u8, 3>> palette,
                               const encode_params& p) {
    constexpr std::string_view fn = "vecta::codecs::encode_png_indexed";
    vecta::detail::check_image(labels, fn, "labels", 1);
    vecta::detail::require(!palette.empty() && palette.size() <= 256, fn, "palette", "must have 1 to 256 entries");
    vecta::detail::require(p.compression >= -1 && p.compression <= 9, fn, "params.compression", "must be in -1..9");
    const std::size_t w = labels.width(), h = labels.height();
    vecta::detail::require(w <= 0x7fffffffu && h <= 0x7fffffffu, fn, "labels",
                           "is too large for PNG (2^31 - 1 pixels per side)");
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint16_t* in = labels.row(y);
        std::uint16_t top = 0;
        for (std::size_t x = 0; x < w; ++x) top = std::max(top, in[x]);
        if (top >= palette.size()) vecta::detail::throw_invalid(fn, "labels", "must index into palette");
    }
    const int depth = palette.size() <= 2 ? 1 : palette.size() <= 4 ? 2 : palette.size() <= 16 ? 4 : 8;
    std::vector<png_byte> packed((w * std::size_t(depth) + 7) / 8);
    const auto pack = [&]<int D>(std::size_t y) {
        // 8 / D pixels per byte, the leftmost in the high bits (ISO/IEC 15948 §7.2), the last
        // byte padded with zero bits.
        constexpr std::size_t per = 8 / D;
        const std::uint16_t* in = labels.row(y);
        const std::size_t full = w / per;
        for (std::size_t i = 0; i < full; ++i, in += per) {
            unsigned b = 0;
            for (std::size_t j = 0; j < per; ++j) b = (b << D) | in[j];
            packed[i] = static_cast<png_byte>(b);
        }
        if (const std::size_t rest = w % per; rest != 0) {
            unsigned b = 0;
            for (std::size_t j = 0; j < rest; ++j) b = (b << D) | in[j];
            packed[full] = static_cast<png_byte>(b << (D * (per - rest)));
        }
        return packed.data();
    };
    return write_png_unfiltered(w, h, depth, PNG_COLOR_TYPE_PALETTE, packed.size(), palette,
                                p.compression < 0 ? 6 : p.compression, [&](std::size_t y) {
                                    switch (depth) {
                                        case 1: return pack.template operator()<1>(y);
                                        case 2: return pack.template operator()<2>(y);
                                        case 4: return pack.template operator()<4>(y);
                                        default: return pack.template operator()<8>(y);
                                    }
                                });
}

std::string encode_png_labels(image_view<const std::uint16_t> labels, std::span<const std::array<u8, 3>> palette,
                              const encode_params& p) {
    constexpr std::string_view fn = "vecta::codecs::encode_png_labels";
    if (palette.size() <= 256) return encode_png_indexed(labels, palette, p);
    vecta::detail::check_image(labels, fn, "labels", 1);
    vecta::detail::require(palette.size() <= 65536, fn, "palette", "must have 1 to 65536 entries");
    vecta::detail::require(p.compression >= -1 && p.compression <= 9, fn, "params.compression", "must be in -1..9");
    image<u8> rgb(labels.width(), labels.height(), 3);
    for (std::size_t y = 0; y < labels.height(); ++y) {
        const std::uint16_t* in = labels.row(y);
        u8* out = rgb.view().row(y);
        for (std::size_t x = 0; x < labels.width(); ++x, out += 3) {
            if (in[x] >= palette.size()) vecta::detail::throw_invalid(fn, "labels", "must index into palette");
            std::memcpy(out, palette[in[x]].data(), 3);
        }
    }
    return encode(rgb.view(), format::png, {.compression = p.compression, .png_filters = false});
}

}  // namespace vecta::codecs
