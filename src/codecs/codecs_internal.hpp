// SPDX-License-Identifier: MIT
// src/codecs/codecs_internal.hpp - what the source files of vecta_codecs share; private to
// src/codecs (the command and the Python module include codecs.hpp only). One file per concept:
//   codecs.cpp    sniffing, decode / encode by format, JPEG, WebP, TIFF, the stb fallback
//   png.cpp       PNG through libpng, the PNG writers (libpng; unfiltered rows through
//                 libdeflate), indexed and labelled PNGs
//   png_fast.cpp  the libdeflate PNG decode path: one inflate call, then our own unfiltering
//   pbm.cpp       netpbm PBM, PGM, PPM (plain and raw, P1-P6) and PAM (P7), our own reader
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "codecs.hpp"

namespace vecta::codecs::internal {

using u8 = std::uint8_t;

// ---- codecs.cpp

/// Throws decode_error: "<what> is not a decodable <format> image: <why>".
[[noreturn]] void corrupt(std::string_view what, format f, std::string_view why);

/// Refuses an empty or too large image from its header dimensions: decode_error for a zero side
/// (as corrupt) or w * h above p.max_pixels.
void check_size(std::uint64_t w, std::uint64_t h, const decode_params& p, std::string_view what, format f);

/// params.channels applied as stb_image does (0 or the image's own: unchanged).
image<u8> with_channels(image<u8>&& img, const decode_params& p);

// ---- png.cpp

/// A PNG in the file's channels: decode_png_deflate when it accepts the bytes, else libpng.
image<u8> decode_png(std::span<const unsigned char> bytes, const decode_params& p, std::string_view what);

/// An 8-bit 1..4 channel PNG at DEFLATE `level` 0..9: libpng's adaptive row filters when
/// `filters`, else unfiltered rows compressed by libdeflate.
std::string encode_png(image_view<const u8> img, int level, bool filters);

// ---- png_fast.cpp

/// The libdeflate path of decode_png for the common layouts; false (out untouched) when libpng
/// must decode the bytes. See the definition for what it accepts.
bool decode_png_deflate(std::span<const unsigned char> b, const decode_params& p, std::string_view what,
                        image<u8>& out);

// ---- pbm.cpp

/// Whether the bytes start with a netpbm magic number P1..P7.
bool is_pnm(std::span<const unsigned char> b) noexcept;

/// Decodes a netpbm image (P1..P7) to 8 bits, samples rescaled from 0..maxval. See the definition.
image<u8> decode_pnm(std::span<const unsigned char> b, const decode_params& p, std::string_view what);

}  // namespace vecta::codecs::internal
