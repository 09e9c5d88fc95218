// SPDX-License-Identifier: MIT
// src/codecs/codecs.hpp - PNG, JPEG, WebP and TIFF decode and encode through the system codec
// libraries (libpng, libjpeg-turbo, libwebp, libtiff), for the vecta command and the Python
// module (issue 21). Not part of the header-only core: include/vecta/io/image_file.hpp (stb)
// stays the core's reader; this library falls back to it for BMP, GIF, TGA, PSD, HDR and PNM
// (netpbm P1-P7 has a reader of its own here).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vecta/core/error.hpp>
#include <vecta/core/image.hpp>

namespace vecta::codecs {

/// Encoded formats handled by a codec library; `other` is anything else (decoded by stb).
enum class format { png, jpeg, webp, tiff, other };

/// Thrown for bytes that are not a decodable image: corrupt, truncated, unsupported, or above
/// decode_params::max_pixels. The message names the source (decode's `what`). A vecta::io_error,
/// so callers that catch io_error keep working; the Python module raises it as a ValueError
/// (vecta.ImageDecodeError, also an OSError).
class decode_error : public io_error {
public:
    using io_error::io_error;
};

/// The format of encoded bytes from their signature (PNG 89 50 4E 47 0D 0A 1A 0A, JPEG FF D8 FF,
/// WebP "RIFF" .... "WEBP", TIFF "II*\0" / "MM\0*"); `other` otherwise. O(1).
format sniff(std::span<const unsigned char> bytes) noexcept;

/// The format named by a file extension or format name, any case, with or without the dot:
/// png; jpg, jpeg, jpe; webp; tif, tiff. `other` for anything else.
format format_from_name(std::string_view name) noexcept;

struct decode_params {
    /// Channels of the result: 0 keeps the file's (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA);
    /// 1..4 converts as stb_image does (grey = (77 r + 150 g + 29 b) >> 8, alpha 255 when added).
    int channels = 0;
    /// Largest accepted width * height, checked from the header before any pixel memory is
    /// allocated (decompression bombs). >= 1.
    std::size_t max_pixels = std::size_t(1) << 28;
    /// JPEG: rotate / mirror by the EXIF Orientation tag (values 2-8) as viewers, browsers and
    /// cv2.imread do; false returns the stored pixels (PIL's Image.open, cv2's
    /// IMREAD_IGNORE_ORIENTATION).
    bool apply_orientation = true;
};

/// Decodes an image held in memory to 8-bit interleaved pixels, rows packed.
/// PNG (libpng): palette and low-bit grey expanded, tRNS as alpha, 16-bit samples scaled to 8
/// bits with rounding (v * 255 / 65535), interlaced files de-interlaced; 8-bit grey, grey + alpha,
/// RGB and RGBA without interlace or tRNS (most files) inflated by libdeflate in one call and
/// unfiltered by our own code, about 2x faster, the same pixels (anything unexpected there goes
/// to libpng, so errors are libpng's). JPEG (libjpeg): grey or
/// RGB, Adobe CMYK converted to RGB, EXIF orientation per params; a file that ends before its
/// last scan is an error (libjpeg would pad it with grey), as are more than 1000 scans.
/// WebP (libwebp): RGB or RGBA, the first frame of an animation is refused (not supported).
/// TIFF (libtiff, first page): 8- and 16-bit grey / RGB with an optional extra (alpha) sample
/// read as stored; palette, bilevel, YCbCr, CMYK, tiled and other layouts through libtiff's
/// RGBA reader (associated alpha there). Netpbm (the first image of the file), our own reader:
/// plain (ASCII) and raw PBM, PGM, PPM (P1-P6) and PAM (P7, depth 1-4); PBM black 0 and white 255
/// in one grey channel, PGM grey, PPM RGB, PAM its depth's channels; samples rescaled from
/// 0..maxval (1..65535, 2 bytes big-endian above 255) to round(v * 255 / maxval); a sample above
/// maxval, maxval 0 or above 65535 and a negative side are refused. Other formats: stb_image
/// (vecta::io::decode_image).
/// `what` names the source in messages (the Python argument, a path). O(pixels).
/// Throws vecta::invalid_argument for params.channels outside 0..4 or max_pixels 0,
/// decode_error for empty, corrupt, truncated or unsupported data and images above max_pixels.
image<std::uint8_t> decode(std::span<const unsigned char> bytes, const decode_params& params = {},
                           std::string_view what = "data");

/// The most bytes read for one encoded image (vecta::io::max_input_bytes): 4 * params.max_pixels
/// + 1 MiB (saturating; 1 GiB + 1 MiB at the default limit): an 8-bit RGBA raw image (PAM) of
/// max_pixels pixels and its header, more than any compressed format needs at that size. A 16-bit or plain (ASCII)
/// netpbm file near the pixel limit can be above it and is refused. O(1).
std::size_t max_input_bytes(const decode_params& params = {}) noexcept;

/// Reads a file (at most max_input_bytes(params) bytes, so /dev/zero or an endless pipe fails
/// quickly) and decodes it (decode with `what` = the path). Throws vecta::io_error when the
/// file cannot be read or is larger than that, otherwise as decode.
image<std::uint8_t> load(const std::filesystem::path& path, const decode_params& params = {});

struct encode_params {
    /// JPEG and lossy WebP quality, 1..100.
    int quality = 90;
    /// WebP: lossless (exact pixels, also under alpha 0) instead of lossy. PNG and TIFF are
    /// always lossless; JPEG is always lossy.
    bool lossless = false;
    /// PNG: DEFLATE level 0..9 (libpng's zlib with the adaptive row filters; libdeflate, whose
    /// scale follows zlib's, for unfiltered rows); TIFF: Deflate level 1..9 (with the horizontal
    /// predictor). -1: 6 for all.
    int compression = -1;
    /// PNG: libpng's adaptive choice among the five row filters (best for photographs); false
    /// writes unfiltered rows through libdeflate, smaller and several times faster for images of
    /// few flat colours (quantized images, line art, screenshots).
    bool png_filters = true;
};

/// Encodes an 8-bit image of 1..4 channels (grey, grey + alpha, RGB, RGBA; any row stride).
/// PNG and TIFF keep every channel; JPEG drops alpha (grey stays grey); WebP stores grey as RGB.
/// O(pixels). Throws vecta::invalid_argument for an empty image, more than 4 channels, format
/// `other`, quality outside 1..100, compression outside -1..9, or dimensions the format cannot
/// hold (JPEG 65535, WebP 16383 per side; PNG and TIFF < 2^31 bytes per row); vecta::io_error
/// when the library fails.
std::string encode(image_view<const std::uint8_t> img, format fmt, const encode_params& params = {});

/// Encodes an indexed-colour PNG (colour type 3, ISO/IEC 15948 §4.4 and §11.2.3): `labels` is
/// width x height, 1 channel, each an index into `palette` (1..256 sRGB entries). The bit depth
/// is the smallest of 1, 2, 4 and 8 that holds palette.size() - 1, rows are unfiltered (the
/// standard's advice for palette images, §12.6) and params.compression is the DEFLATE level
/// (libdeflate, -1: 6). For an image of few colours (a quantized photo, line art) this compresses
/// 3 / depth x 8 times fewer bytes than an RGB PNG: smaller files, faster. O(pixels). Throws
/// vecta::invalid_argument for empty labels, more than 1 channel, an empty palette or one of more
/// than 256 entries, a label >= palette.size(), compression outside -1..9; vecta::io_error when
/// libdeflate fails.
std::string encode_png_indexed(image_view<const std::uint16_t> labels,
                               std::span<const std::array<std::uint8_t, 3>> palette, const encode_params& params = {});

/// PNG of a labelled image (a quantize_result's labels and palette): encode_png_indexed when the
/// palette has at most 256 entries, else an RGB PNG of each label's colour (unfiltered rows).
/// O(pixels). Throws as encode_png_indexed (palette: 1 to 65536 entries here).
std::string encode_png_labels(image_view<const std::uint16_t> labels,
                              std::span<const std::array<std::uint8_t, 3>> palette, const encode_params& params = {});

/// Encodes to the format of the path's extension and writes the file atomically
/// (vecta::io::write_file_atomic). Throws vecta::invalid_argument for an unknown extension (or as
/// encode), vecta::io_error when the file cannot be written.
void save(const std::filesystem::path& path, image_view<const std::uint8_t> img, const encode_params& params = {});

namespace detail {

/// Test and fuzzing hook: the libdeflate PNG path alone (8-bit grey, grey + alpha, RGB, RGBA, no
/// interlace or tRNS; see decode). The image (params.channels applied as decode does) when that
/// path accepts the bytes, std::nullopt when decode would hand them to libpng. Throws
/// decode_error for an image above params.max_pixels. O(bytes).
std::optional<image<std::uint8_t>> decode_png_fast(std::span<const unsigned char> bytes,
                                                   const decode_params& params = {}, std::string_view what = "data");

/// Test and fuzzing hook: a PNG through libpng alone, never the libdeflate path (the reference
/// decode_png_fast must equal). Throws decode_error as decode does; for a PNG only (no sniffing).
image<std::uint8_t> decode_png_libpng(std::span<const unsigned char> bytes, const decode_params& params = {},
                                      std::string_view what = "data");

}  // namespace detail

}  // namespace vecta::codecs
