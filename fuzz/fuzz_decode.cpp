// SPDX-License-Identifier: MIT
// fuzz/fuzz_decode.cpp - image decoding through vecta::io (stb_image): any bytes either decode
// to an image within the pixel limit or throw vecta::io_error; a decoded image survives a PNG
// round trip unchanged.
#include <vecta/io/image_file.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vecta_fuzz;
    if (size < 1) return 0;
    // First byte: requested channels (0..4) and whether a tiny pixel limit applies.
    const int channels = data[0] % 5;
    const bool tiny_limit = (data[0] & 0x80) != 0;
    vecta::io::load_params params;
    params.channels = channels;
    // Bounded so that a header announcing a huge image is refused before stb allocates.
    params.max_pixels = tiny_limit ? 64 : (std::size_t(1) << 20);
    const std::span<const unsigned char> bytes(data + 1, size - 1);
    vecta::image<std::uint8_t> img;
    try {
        img = vecta::io::decode_image(bytes, params, "fuzz");
    } catch (const vecta::io_error& e) {
        check_message(e);
        return 0;
    }
    check(!img.empty(), "decode_image returned an empty image");
    check(img.width() * img.height() <= params.max_pixels, "decode_image exceeded max_pixels");
    check(channels == 0 ? (img.channels() >= 1 && img.channels() <= 4) : img.channels() == std::size_t(channels),
          "decode_image returned the wrong channel count");
    if (img.width() * img.height() <= 4096) {
        const std::string png = vecta::io::encode_image(img.view(), vecta::io::image_format::png);
        vecta::io::load_params again;
        again.channels = int(img.channels());
        const auto back = vecta::io::decode_image(
            std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(png.data()), png.size()), again);
        check(back.width() == img.width() && back.height() == img.height() && back.channels() == img.channels(),
              "PNG round trip changed the shape");
        check(std::memcmp(back.data(), img.data(), img.size()) == 0, "PNG round trip changed the pixels");
        const std::string jpg = vecta::io::encode_image(img.view(), vecta::io::image_format::jpeg, 1 + data[0] % 100);
        check(!jpg.empty(), "JPEG encoding produced nothing");
    }
    return 0;
}
