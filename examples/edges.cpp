// SPDX-License-Identifier: MIT
// edges: the Canny edge map of an image (5 x 5 Gaussian blur, then Canny 50/150 as cv::Canny).
//   edges INPUT OUTPUT.png
// The `vecta edges` command (docs/cli.md) takes the method, thresholds and blur as options.
#include <cstdio>
#include <exception>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/io/image_file.hpp>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: edges INPUT OUTPUT.png\n");
        return 2;
    }
    try {
        const auto gray = vecta::io::load_image(argv[1], {.channels = 1});  // BT.601 luma
        vecta::image<std::uint8_t> blurred(gray.width(), gray.height()), edges(gray.width(), gray.height());
        vecta::gaussian_blur(vecta::par, gray, blurred, {.ksize = 5});
        vecta::canny(vecta::par, blurred, edges, {.low = 50, .high = 150});
        vecta::io::save_image(argv[2], edges);
        std::size_t n = 0;
        for (std::size_t i = 0; i < edges.size(); ++i) n += edges.data()[i] != 0;
        std::printf("%s: %zu x %zu, %zu edge pixels\n", argv[2], edges.width(), edges.height(), n);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "edges: %s\n", e.what());
        return 1;
    }
    return 0;
}
