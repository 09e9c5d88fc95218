// SPDX-License-Identifier: MIT
// Time of vecta::onnx::model::run on a photo for one tile_size; run under /usr/bin/time -f %M
// for the peak RSS (docs/consuming.md, tiling table). Not part of the test suite.
//   onnx_tiling_rss PHOTO MODEL.onnx TILE_SIZE
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vecta/adapters/onnx.hpp>
#include <vecta/io/image_file.hpp>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: onnx_tiling_rss PHOTO MODEL.onnx TILE_SIZE\n");
        return 2;
    }
    const auto rgb = vecta::io::load_image(argv[1], {.channels = 3});
    const std::size_t tile = std::strtoul(argv[3], nullptr, 10);
    const vecta::onnx::model m(argv[2], {.tile_size = tile, .tile_overlap = 2});
    const auto t0 = std::chrono::steady_clock::now();
    const auto out = m.run(vecta::par, rgb.view());
    const auto t1 = std::chrono::steady_clock::now();
    std::printf("%zux%zu tile_size %zu: %.2f s, out(100, 100) = %f\n", rgb.width(), rgb.height(), tile,
                std::chrono::duration<double>(t1 - t0).count(), double(out(100, 100)));
}
