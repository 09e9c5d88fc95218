// SPDX-License-Identifier: MIT
// vecta/io/image_file.hpp - read and write PNG and JPEG images (stb_image, stb_image_write).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "../core/error.hpp"
#include "../core/image.hpp"
#include "stb.hpp"

namespace vecta::io {

enum class image_format { png, jpeg };

struct load_params {
    /// Channels of the result: 0 keeps the file's own count; 1 (grey), 2 (grey+alpha), 3 (RGB)
    /// or 4 (RGBA) converts as stb_image does.
    int channels = 0;
    /// Largest accepted width * height; larger images are refused with vecta::io_error from the
    /// header alone, before any pixel memory is allocated (a decompression-bomb guard). >= 1.
    std::size_t max_pixels = std::size_t(1) << 28;
};

namespace detail {
inline std::string path_text(const std::filesystem::path& p) { return p.string(); }

/// False when a JPEG holds a Huffman table (DHT) segment that declares more than 256 codes.
/// stb_image up to 2.27 (Debian 12's libstb-dev) writes past its 257-entry code-length and
/// 256-entry value arrays on such a table (fixed upstream in 2.28), in stbi_info as well as in
/// stbi_load, so vecta refuses them first. Every "FF C4" in the data is checked the way stb
/// parses a DHT segment (wherever stb's own marker scan might meet it); a table with a bad
/// class or index makes stb stop there, so it ends the check of that segment. O(bytes).
inline bool jpeg_huffman_tables_ok(std::span<const unsigned char> b) noexcept {
    const std::size_t n = b.size();
    if (n < 2 || b[0] != 0xFF || b[1] != 0xD8) return true;                  // not a JPEG
    auto at = [&](std::size_t i) -> unsigned { return i < n ? b[i] : 0u; };  // stb reads 0 past the end
    for (std::size_t i = 2; i + 1 < n; ++i) {
        if (b[i] != 0xFF || b[i + 1] != 0xC4) continue;
        std::size_t p = i + 2;
        long len = long(at(p) << 8 | at(p + 1)) - 2;
        p += 2;
        while (len > 0 && p < n) {
            const unsigned q = at(p++);
            if ((q >> 4) > 1 || (q & 15) > 3) break;  // stb: "bad DHT header"
            unsigned codes = 0;
            for (int k = 0; k < 16; ++k) codes += at(p++);
            if (codes > 256) return false;
            p += codes;
            len -= 17 + long(codes);
        }
    }
    return true;
}

/// A copy of a PNG without its zero-length IDAT chunks (they hold no data, so the decoded image
/// is the same), or an empty vector when there are none or the data is not a PNG. stb_image 2.27
/// passes a null buffer to memcpy for a zero-length first IDAT (undefined behaviour, reported by
/// UBSan). Chunks are walked by their lengths; anything after a truncated chunk is kept as is.
inline std::vector<unsigned char> png_without_empty_idat(std::span<const unsigned char> b) {
    static constexpr unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.size() < 8 || !std::equal(sig, sig + 8, b.begin())) return {};
    auto be32 = [&](std::size_t i) {
        return std::uint32_t(b[i]) << 24 | std::uint32_t(b[i + 1]) << 16 | std::uint32_t(b[i + 2]) << 8 | b[i + 3];
    };
    std::vector<std::size_t> skip;  // offsets of the empty IDAT chunks (12 bytes each)
    std::size_t pos = 8;
    while (b.size() - pos >= 12) {
        const std::size_t len = be32(pos);
        if (len > b.size() - pos - 12) break;
        if (len == 0 && b[pos + 4] == 'I' && b[pos + 5] == 'D' && b[pos + 6] == 'A' && b[pos + 7] == 'T')
            skip.push_back(pos);
        pos += 12 + len;
    }
    if (skip.empty()) return {};
    std::vector<unsigned char> out;
    out.reserve(b.size());
    std::size_t from = 0;
    for (const std::size_t at : skip) {
        out.insert(out.end(), b.begin() + std::ptrdiff_t(from), b.begin() + std::ptrdiff_t(at));
        from = at + 12;
    }
    out.insert(out.end(), b.begin() + std::ptrdiff_t(from), b.end());
    return out;
}

/// The maxval of a PGM / PPM header (P2, P3, P5, P6: magic, width, height, maxval, separated by
/// whitespace and '#' comments, netpbm.sourceforge.net/doc/pgm.html), or 0 when `b` is not one
/// or the header is cut short. Values are capped at 10^7 while read (no overflow).
inline unsigned long pnm_maxval(std::span<const unsigned char> b) noexcept {
    if (b.size() < 2 || b[0] != 'P' || !(b[1] == '2' || b[1] == '3' || b[1] == '5' || b[1] == '6')) return 0;
    std::size_t i = 2;
    unsigned long value = 0;
    for (int field = 0; field < 3; ++field) {
        for (;;) {  // whitespace and comments before the field
            if (i >= b.size()) return 0;
            if (b[i] == '#') {
                while (i < b.size() && b[i] != '\n' && b[i] != '\r') ++i;
            } else if (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == '\v' || b[i] == '\f') {
                ++i;
            } else {
                break;
            }
        }
        if (b[i] < '0' || b[i] > '9') return 0;
        value = 0;
        for (; i < b.size() && b[i] >= '0' && b[i] <= '9'; ++i) value = std::min(value * 10 + (b[i] - '0'), 10000000ul);
    }
    return value;
}

/// Channel conversion of interleaved 8-bit pixels exactly as stb_image's stbi__convert_format
/// (grey to colour by replication, colour to grey as (77 r + 150 g + 29 b) >> 8, alpha 255 when
/// added). `src` holds `pixels` pixels of `sc` channels; `dst` receives `dc` channels.
inline void convert_channels(const unsigned char* src, std::size_t sc, unsigned char* dst, std::size_t dc,
                             std::size_t pixels) noexcept {
    for (std::size_t i = 0; i < pixels; ++i, src += sc, dst += dc) {
        const bool colour = sc >= 3;
        const auto y = colour ? static_cast<unsigned char>((src[0] * 77 + src[1] * 150 + src[2] * 29) >> 8) : src[0];
        const unsigned char alpha = sc == 2 ? src[1] : sc == 4 ? src[3] : 255;
        if (dc <= 2) {
            dst[0] = y;
        } else {
            for (std::size_t c = 0; c < 3; ++c) dst[c] = colour ? src[c] : src[0];
        }
        if (dc == 2 || dc == 4) dst[dc - 1] = alpha;
    }
}
}  // namespace detail

/// Writes `bytes` to `path` atomically: into a temporary file beside it, then renamed over the
/// target, so a failure never leaves a partial file. Throws vecta::io_error.
inline void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::path tmp = path;
    tmp += ".vecta-tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw io_error("vecta::io: cannot open '" + detail::path_text(path) + "' for writing");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw io_error("vecta::io: error writing '" + detail::path_text(path) + "'");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw io_error("vecta::io: cannot write '" + detail::path_text(path) + "'");
    }
}

/// The most bytes read for one encoded image of at most `max_pixels` pixels: 4 * max_pixels +
/// 1 MiB (saturating; 1 GiB + 1 MiB for the default 2^28): an 8-bit RGBA raw image of that size
/// and its header, more than a compressed format needs. O(1).
constexpr std::size_t max_input_bytes(std::size_t max_pixels) noexcept {
    constexpr std::size_t slack = std::size_t(1) << 20, most = std::size_t(-1);
    return max_pixels > (most - slack) / 4 ? most : max_pixels * 4 + slack;
}

/// Reads a whole file into memory (stdio, in 64 KiB blocks), at most `max_bytes` bytes: a larger
/// regular file is refused from its size before reading, a pipe or device (/dev/zero) once that
/// many bytes have come. Throws vecta::io_error naming the path when it cannot be opened or read
/// or holds more than max_bytes bytes.
inline std::vector<unsigned char> read_file(const std::filesystem::path& path,
                                            std::size_t max_bytes = std::size_t(-1)) {
    auto too_large = [&] {
        return io_error("vecta::io: '" + detail::path_text(path) + "' is larger than the input limit of " +
                        std::to_string(max_bytes) + " bytes");
    };
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
        const std::uintmax_t size = std::filesystem::file_size(path, ec);
        if (!ec && size > max_bytes) throw too_large();
    }
#ifdef _WIN32
    std::FILE* f = ::_wfopen(path.c_str(), L"rb");  // path::c_str() is wide there
#else
    std::FILE* f = std::fopen(path.c_str(), "rb");
#endif
    if (!f) throw io_error("vecta::io: cannot open '" + detail::path_text(path) + "' for reading");
    std::vector<unsigned char> bytes;
    unsigned char buf[1 << 16];
    for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) {
        if (got > max_bytes - bytes.size()) {
            std::fclose(f);
            throw too_large();
        }
        if (bytes.size() + got > bytes.capacity()) {  // doubling, straight to max_bytes near it
            const std::size_t want = std::max(bytes.capacity() * 2, bytes.size() + got);
            bytes.reserve(want > max_bytes / 2 ? max_bytes : want);
        }
        bytes.insert(bytes.end(), buf, buf + got);
    }
    const bool bad = std::ferror(f) != 0;
    std::fclose(f);
    if (bad) throw io_error("vecta::io: error reading '" + detail::path_text(path) + "'");
    return bytes;
}

/// Pixels as stb_image decoded them (8-bit, interleaved, rows packed), owned without a copy
/// into a vecta::image: for programs that read an image once and only look at it. Move-only.
class decoded_image {
public:
    decoded_image() = default;
    image_view<const std::uint8_t> view() const noexcept { return view_; }
    std::size_t width() const noexcept { return view_.width(); }
    std::size_t height() const noexcept { return view_.height(); }
    std::size_t channels() const noexcept { return view_.channels(); }

private:
    friend decoded_image decode_pixels(std::span<const unsigned char>, const load_params&, std::string_view);
    std::unique_ptr<stbi_uc, void (*)(void*)> stb_{nullptr, stbi_image_free};
    image_view<const std::uint8_t> view_;
};

/// Decodes a PNG, JPEG, BMP, TGA, GIF (first frame), PSD, HDR (as 8-bit) or PNM image held in
/// memory into 8-bit interleaved channels, left in stb's buffer (decoded_image::view()).
/// `what` names the source in error messages. Errors and limits as decode_image, which is this
/// function followed by a copy into a vecta::image.
inline decoded_image decode_pixels(std::span<const unsigned char> bytes, const load_params& params = {},
                                   std::string_view what = "memory") {
    vecta::detail::require(params.channels >= 0 && params.channels <= 4, "vecta::io::decode_image", "params.channels",
                           "must be 0 (as in the file) or 1..4");
    if (bytes.empty()) throw io_error("vecta::io: '" + std::string(what) + "' is empty, not an image");
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
        throw io_error("vecta::io: '" + std::string(what) + "' is larger than 2 GiB");
    vecta::detail::require(params.max_pixels >= 1, "vecta::io::decode_image", "params.max_pixels", "must be >= 1");
    const std::vector<unsigned char> cleaned = detail::png_without_empty_idat(bytes);
    if (!cleaned.empty()) bytes = cleaned;
    if (!detail::jpeg_huffman_tables_ok(bytes))
        throw io_error("vecta::io: cannot decode '" + std::string(what) +
                       "': corrupt JPEG (a Huffman table declares more than 256 codes)");
    // stb_image 2.27 neither rescales PGM / PPM samples to maxval nor reads 16-bit samples
    // big-endian: any maxval but 255 would decode to silently wrong pixels, so it is refused here.
    // vecta's compiled codecs (vecta::codecs, the command and Python) read every maxval.
    if (const unsigned long maxval = detail::pnm_maxval(bytes); maxval != 0 && maxval != 255)
        throw io_error("vecta::io: cannot decode '" + std::string(what) + "': PGM / PPM maxval " +
                       std::to_string(maxval) +
                       " is not supported by the header-only decoder (only 255); vecta::codecs reads every maxval");
    int w = 0, h = 0, file_channels = 0;
    // Dimensions from the header first (stbi_info reads no pixels), so that an image above the
    // limit is refused before stb allocates its buffer.
    if (!stbi_info_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &file_channels)) {
        const char* why = stbi_failure_reason();
        throw io_error("vecta::io: cannot decode '" + std::string(what) + "': " + (why ? why : "unknown reason"));
    }
    const auto over_limit = [&](int iw, int ih) {
        return iw <= 0 || ih <= 0 || static_cast<std::size_t>(iw) > params.max_pixels / static_cast<std::size_t>(ih);
    };
    if (over_limit(w, h))
        throw io_error("vecta::io: '" + std::string(what) + "' is " + std::to_string(w) + " x " + std::to_string(h) +
                       " pixels, above params.max_pixels (" + std::to_string(params.max_pixels) + ")");
    decoded_image out;
    out.stb_.reset(
        stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &file_channels, params.channels));
    if (!out.stb_) {
        const char* why = stbi_failure_reason();
        throw io_error("vecta::io: cannot decode '" + std::string(what) + "': " + (why ? why : "unknown reason"));
    }
    if (over_limit(w, h) || file_channels < 1 || file_channels > 4)  // never trust a disagreeing decoder
        throw io_error("vecta::io: cannot decode '" + std::string(what) + "': inconsistent dimensions or channels");
    const auto uw = static_cast<std::size_t>(w), uh = static_cast<std::size_t>(h);
    const int c = params.channels == 0 ? file_channels : params.channels;
    out.view_ = image_view<const std::uint8_t>(out.stb_.get(), uw, uh, static_cast<std::size_t>(c));
    return out;
}

/// Decodes a PNG, JPEG, BMP, TGA, GIF (first frame), PSD, HDR (as 8-bit) or PNM image held in
/// memory into 8-bit interleaved channels. `what` names the source in error messages.
/// Resource limit: the dimensions are read from the header first (stbi_info_from_memory) and an
/// image of more than params.max_pixels pixels (default 2^28) is refused before allocating.
/// Throws vecta::invalid_argument for params.channels outside 0..4 or params.max_pixels 0,
/// vecta::io_error for empty, truncated, corrupt or unsupported data (stb's reason is in the
/// message) and for images above params.max_pixels. JPEGs with a Huffman table of more than 256
/// codes are refused before stb sees them (stb_image 2.27 overflows a buffer on them); empty IDAT
/// chunks of PNGs are dropped first (stb 2.27 passes null to memcpy on them).
inline image<std::uint8_t> decode_image(std::span<const unsigned char> bytes, const load_params& params = {},
                                        std::string_view what = "memory") {
    const decoded_image d = decode_pixels(bytes, params, what);
    const image_view<const std::uint8_t> v = d.view();
    image<std::uint8_t> out;
    try {
        out = image<std::uint8_t>(v.width(), v.height(), v.channels());
    } catch (const vecta::invalid_argument&) {
        throw io_error("vecta::io: '" + std::string(what) + "' is too large to hold in memory");
    }
    std::copy(v.data(), v.data() + out.size(), out.data());
    return out;
}

/// Loads an image file (formats and the params.max_pixels limit as decode_image; at most
/// max_input_bytes(params.max_pixels) bytes are read). Throws vecta::invalid_argument as
/// decode_image, vecta::io_error when the file is missing, unreadable, larger than that,
/// truncated, not an image or above params.max_pixels.
inline image<std::uint8_t> load_image(const std::filesystem::path& path, const load_params& params = {}) {
    vecta::detail::require(params.channels >= 0 && params.channels <= 4, "vecta::io::load_image", "params.channels",
                           "must be 0 (as in the file) or 1..4");
    vecta::detail::require(params.max_pixels >= 1, "vecta::io::load_image", "params.max_pixels", "must be >= 1");
    const auto bytes = read_file(path, max_input_bytes(params.max_pixels));
    return decode_image(bytes, params, detail::path_text(path));
}

namespace detail {
inline void append_bytes(void* ctx, void* data, int size) {
    auto* out = static_cast<std::string*>(ctx);
    out->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

inline void check_writable(image_view<const std::uint8_t> img, image_format format, std::string_view fn) {
    vecta::detail::check_image(img, fn, "img");
    vecta::detail::require(img.channels() <= 4, fn, "img", "must have 1 to 4 channels");
    const std::size_t w = img.width(), h = img.height(), c = img.channels();
    if (format == image_format::png) {
        // stb_image_write sizes its buffer as (w * c + 1) * h in int.
        vecta::detail::require(w <= INT32_MAX / c - 1 && h <= INT32_MAX / (w * c + 1) &&
                                   img.stride() <= static_cast<std::size_t>(INT32_MAX),
                               fn, "img",
                               "is too large for PNG encoding ((width * channels + 1) * height must be < 2^31)");
    } else {
        // JPEG stores 16-bit dimensions.
        vecta::detail::require(w <= 65535 && h <= 65535, fn, "img", "must be at most 65535 x 65535 for JPEG");
    }
}
}  // namespace detail

/// Encodes an 8-bit image with 1-4 channels as PNG or JPEG (quality 1..100; JPEG drops alpha as
/// stb does). O(pixels). Throws vecta::invalid_argument for an empty image, more than 4
/// channels, a quality outside 1..100, or dimensions the format cannot hold (PNG:
/// (width * channels + 1) * height < 2^31; JPEG: at most 65535 x 65535); vecta::io_error when
/// encoding fails.
inline std::string encode_image(image_view<const std::uint8_t> img, image_format format, int quality = 90) {
    constexpr std::string_view fn = "vecta::io::encode_image";
    detail::check_writable(img, format, fn);
    vecta::detail::require(quality >= 1 && quality <= 100, fn, "quality", "must be in 1..100");
    std::string out;
    const int w = static_cast<int>(img.width()), h = static_cast<int>(img.height()),
              c = static_cast<int>(img.channels());
    int ok = 0;
    if (format == image_format::png) {
        ok = stbi_write_png_to_func(detail::append_bytes, &out, w, h, c, img.data(), static_cast<int>(img.stride()));
    } else {
        // stb's JPEG writer takes packed rows.
        image<std::uint8_t> packed = img.contiguous() ? image<std::uint8_t>{} : image<std::uint8_t>::from(img);
        const std::uint8_t* data = img.contiguous() ? img.data() : packed.data();
        ok = stbi_write_jpg_to_func(detail::append_bytes, &out, w, h, c, data, quality);
    }
    if (!ok) throw io_error("vecta::io: encoding failed");
    return out;
}

/// Saves a PNG (".png") or JPEG (".jpg", ".jpeg"), chosen by the extension, atomically. O(pixels).
/// Throws vecta::invalid_argument for an unknown extension or a bad image, vecta::io_error when
/// the file cannot be written.
inline void save_image(const std::filesystem::path& path, image_view<const std::uint8_t> img, int jpeg_quality = 90) {
    std::string ext = path.extension().string();
    for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    image_format format;
    if (ext == ".png")
        format = image_format::png;
    else if (ext == ".jpg" || ext == ".jpeg")
        format = image_format::jpeg;
    else
        vecta::detail::throw_invalid("vecta::io::save_image", "path", "must end in .png, .jpg or .jpeg");
    write_file_atomic(path, encode_image(img, format, jpeg_quality));
}

}  // namespace vecta::io
