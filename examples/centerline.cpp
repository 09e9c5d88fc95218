// SPDX-License-Identifier: MIT
// centerline: traces the pen strokes of a line drawing as stroked SVG paths along their
// middles (vecta::trace_centerlines, vecta::svg::centerline_svg).
//
//   build/examples/centerline INPUT.png OUTPUT.svg
//
// The image is read as grey; pixels darker than 128 are ink. Prints the number of strokes,
// their typical width, the filled regions and the SVG size.
#include <cstdio>
#include <exception>
#include <string_view>
#include <vecta/geometry/centerline.hpp>
#include <vecta/io/image_file.hpp>
#include <vecta/svg/centerline_svg.hpp>

int main(int argc, char** argv) {
    if (argc != 3 || std::string_view(argv[1]) == "--help") {
        std::fprintf(stderr, "usage: %s INPUT.png OUTPUT.svg\n", argv[0]);
        return argc == 2 ? 0 : 2;
    }
    try {
        const auto grey = vecta::io::load_image(argv[1], {.channels = 1});
        const auto result = vecta::trace_centerlines(vecta::seq, grey.view());
        const std::string svg = vecta::svg::centerline_svg(result, grey.width(), grey.height());
        vecta::io::write_file_atomic(argv[2], svg);
        std::printf("%zu strokes (typical width %.2f px), %zu filled outlines, %zu bytes\n", result.strokes.size(),
                    result.typical_width, result.fill_rings.size(), svg.size());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "centerline: %s\n", e.what());
        return 1;
    }
    return 0;
}
