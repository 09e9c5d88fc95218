// vecta/io/image_file.hpp - read and write PNG and JPEG images (stb_image, stb_image_write).
#pragma once

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
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
};

namespace detail {
inline std::string path_text(const std::filesystem::path& p) { return p.string(); }

/// Reads the whole file; throws io_error naming the path when it cannot be opened or read.
inline std::vector<unsigned char> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw io_error("vecta::io: cannot open '" + path_text(path) + "' for reading");
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw io_error("vecta::io: error reading '" + path_text(path) + "'");
    return bytes;
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

/// Decodes a PNG, JPEG, BMP, TGA, GIF (first frame), PSD, HDR (as 8-bit) or PNM image held in
/// memory into 8-bit interleaved channels. `what` names the source in error messages.
/// Throws vecta::invalid_argument for params.channels outside 0..4, vecta::io_error for empty,
/// truncated, corrupt or unsupported data (stb's reason is in the message).
inline image<std::uint8_t> decode_image(std::span<const unsigned char> bytes, const load_params& params = {},
                                        std::string_view what = "memory") {
    vecta::detail::require(params.channels >= 0 && params.channels <= 4, "vecta::io::decode_image", "params.channels",
                           "must be 0 (as in the file) or 1..4");
    if (bytes.empty()) throw io_error("vecta::io: '" + std::string(what) + "' is empty, not an image");
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
        throw io_error("vecta::io: '" + std::string(what) + "' is larger than 2 GiB");
    int w = 0, h = 0, file_channels = 0;
    stbi_uc* pixels =
        stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &file_channels, params.channels);
    if (pixels == nullptr) {
        const char* why = stbi_failure_reason();
        throw io_error("vecta::io: cannot decode '" + std::string(what) + "': " + (why ? why : "unknown reason"));
    }
    const int c = params.channels == 0 ? file_channels : params.channels;
    image<std::uint8_t> out;
    try {
        out =
            image<std::uint8_t>(static_cast<std::size_t>(w), static_cast<std::size_t>(h), static_cast<std::size_t>(c));
    } catch (const vecta::invalid_argument&) {
        stbi_image_free(pixels);
        throw io_error("vecta::io: '" + std::string(what) + "' is too large to hold in memory");
    } catch (...) {
        stbi_image_free(pixels);
        throw;
    }
    std::copy(pixels, pixels + out.size(), out.data());
    stbi_image_free(pixels);
    return out;
}

/// Loads an image file (formats as decode_image). Throws vecta::io_error when the file is
/// missing, unreadable, truncated or not an image.
inline image<std::uint8_t> load_image(const std::filesystem::path& path, const load_params& params = {}) {
    vecta::detail::require(params.channels >= 0 && params.channels <= 4, "vecta::io::load_image", "params.channels",
                           "must be 0 (as in the file) or 1..4");
    const auto bytes = detail::read_file(path);
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
