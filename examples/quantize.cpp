// SPDX-License-Identifier: MIT
// quantize: colour quantization of an image to 16 colours by k-means, written as PNG.
//   quantize INPUT OUTPUT.png
// The `vecta quantize` command (docs/cli.md) takes the palette size, colour space, dithering.
#include <cstdio>
#include <exception>
#include <vecta/color/quantize.hpp>
#include <vecta/io/image_file.hpp>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: quantize INPUT OUTPUT.png\n");
        return 2;
    }
    try {
        const auto img = vecta::io::load_image(argv[1], {.channels = 3});
        const auto q = vecta::quantize(vecta::par, img.view(), {.colors = 16, .space = vecta::color_space::lab});
        vecta::image<std::uint8_t> out(img.width(), img.height(), 3);
        vecta::apply_palette(vecta::par, q, out.view());
        vecta::io::save_image(argv[2], out.view());
        std::printf("%s: %zu colours, PSNR %.2f dB\n", argv[2], q.palette.size(), q.psnr);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quantize: %s\n", e.what());
        return 1;
    }
    return 0;
}
