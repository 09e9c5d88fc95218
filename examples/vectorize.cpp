// SPDX-License-Identifier: MIT
// vectorize: the library call behind `vecta vectorize`, as a small program.
//   vectorize INPUT OUTPUT.svg
// Loads a PNG/JPEG, traces it with the default parameters (tuned on icons) and writes the SVG
// atomically. The `vecta` command (src/cli, docs/cli.md) adds options, folders and batches.
#include <cstdio>
#include <exception>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: vectorize INPUT OUTPUT.svg\n");
        return 2;
    }
    try {
        const auto img = vecta::io::load_image(argv[1]);                     // 1-4 channels; alpha over white
        const auto svg = vecta::vectorize(vecta::par, img, {.colors = 24});  // the defaults, spelled out
        vecta::io::write_file_atomic(argv[2], svg.document);
        std::printf("%s: %zu paths, %zu nodes, %zu bytes, %zu colours, %.1f ms\n", argv[2], svg.stats.paths,
                    svg.stats.nodes, svg.stats.bytes, svg.stats.colors, svg.stats.ms);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vectorize: %s\n", e.what());
        return 1;
    }
    return 0;
}
