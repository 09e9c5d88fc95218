// SPDX-License-Identifier: MIT
// fuzz/fuzz_codecs.cpp - image decoding through vecta::codecs (libpng, libjpeg-turbo, libwebp,
// libtiff; the Python module's and the vecta command's decoder): any bytes either decode to an
// image within the pixel limit or throw vecta::codecs::decode_error (never another exception, a
// crash or a read out of bounds); a decoded image survives a PNG and an indexed-PNG round trip.
// Whenever the libdeflate PNG path accepts the bytes, libpng alone decodes them to the same shape
// and pixels.
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "codecs.hpp"
#include "fuzz_support.hpp"

namespace {

std::span<const unsigned char> as_span(const std::string& s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vecta_fuzz;
    namespace codecs = vecta::codecs;
    if (size < 1) return 0;
    // First byte: requested channels (0..4), whether a tiny pixel limit applies, EXIF orientation.
    const int channels = data[0] % 5;
    codecs::decode_params params;
    params.channels = channels;
    // Bounded so that a header announcing a huge image is refused before the library allocates.
    params.max_pixels = (data[0] & 0x80) != 0 ? 64 : (std::size_t(1) << 20);
    params.apply_orientation = (data[0] & 0x40) != 0;
    const std::span<const unsigned char> bytes(data + 1, size - 1);
    if (codecs::sniff(bytes) == codecs::format::png) {
        std::optional<vecta::image<std::uint8_t>> fast;
        try {
            fast = codecs::detail::decode_png_fast(bytes, params, "fuzz");
        } catch (const codecs::decode_error&) {  // above max_pixels: decode throws the same
        }
        if (fast) {
            vecta::image<std::uint8_t> ref;
            try {
                ref = codecs::detail::decode_png_libpng(bytes, params, "fuzz");
            } catch (const codecs::decode_error&) {
                check(false, "the libdeflate PNG path accepted bytes libpng refuses");
            }
            check(ref.width() == fast->width() && ref.height() == fast->height() && ref.channels() == fast->channels(),
                  "the libdeflate PNG path and libpng decode different shapes");
            for (std::size_t y = 0; y < ref.height(); ++y)
                check(std::memcmp(ref.view().row(y), fast->view().row(y), ref.width() * ref.channels()) == 0,
                      "the libdeflate PNG path and libpng decode different pixels");
        }
    }
    vecta::image<std::uint8_t> img;
    try {
        img = codecs::decode(bytes, params, "fuzz");
    } catch (const codecs::decode_error& e) {
        // decode_error names the source (decode's `what`); callers prefix their own name.
        const std::string_view m = e.what();
        check(m.starts_with("fuzz ") && m.size() > 20, "decode_error does not name the source or say why");
        return 0;
    }
    check(!img.empty(), "codecs::decode returned an empty image");
    check(img.width() * img.height() <= params.max_pixels, "codecs::decode exceeded max_pixels");
    check(channels == 0 ? (img.channels() >= 1 && img.channels() <= 4) : img.channels() == std::size_t(channels),
          "codecs::decode returned the wrong channel count");
    if (img.width() * img.height() > 4096) return 0;
    const auto png = codecs::encode(img.view(), codecs::format::png);
    const auto back = codecs::decode(as_span(png), {.channels = int(img.channels())});
    check(back.width() == img.width() && back.height() == img.height() && back.channels() == img.channels(),
          "PNG round trip changed the shape");
    check(std::memcmp(back.data(), img.data(), img.size()) == 0, "PNG round trip changed the pixels");
    // Indexed PNG: the first 256 distinct RGB colours (of the first three channels, or grey)
    // as a palette, every pixel labelled; decoding gives back those colours.
    std::vector<std::array<std::uint8_t, 3>> palette;
    vecta::image<std::uint16_t> labels(img.width(), img.height(), 1);
    for (std::size_t y = 0; y < img.height(); ++y)
        for (std::size_t x = 0; x < img.width(); ++x) {
            const std::uint8_t* p = img.view().row(y) + x * img.channels();
            const std::array<std::uint8_t, 3> c =
                img.channels() >= 3 ? std::array<std::uint8_t, 3>{p[0], p[1], p[2]} : std::array{p[0], p[0], p[0]};
            auto it = std::find(palette.begin(), palette.end(), c);
            if (it == palette.end() && palette.size() < 256) it = palette.insert(palette.end(), c);
            labels.view().row(y)[x] = static_cast<std::uint16_t>(it == palette.end() ? 0 : it - palette.begin());
        }
    const auto indexed = codecs::encode_png_indexed(labels.view(), palette, {.compression = data[0] % 10});
    const auto rgb = codecs::decode(as_span(indexed), {.channels = 3});
    check(rgb.width() == img.width() && rgb.height() == img.height(), "indexed PNG round trip changed the shape");
    for (std::size_t y = 0; y < rgb.height(); ++y)
        for (std::size_t x = 0; x < rgb.width(); ++x)
            check(std::memcmp(rgb.view().row(y) + 3 * x, palette[labels.view().row(y)[x]].data(), 3) == 0,
                  "indexed PNG round trip changed a colour");
    return 0;
}
