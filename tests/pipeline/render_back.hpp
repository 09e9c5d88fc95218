// SPDX-License-Identifier: MIT
// Renders an SVG document back to pixels with librsvg's rsvg-convert (a black-box renderer),
// for the pipeline tests.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vecta/io/image_file.hpp>

namespace vecta_test {

inline std::filesystem::path render_dir() {
    auto d = std::filesystem::temp_directory_path() / "vecta_pipeline_test";
    std::filesystem::create_directories(d);
    return d;
}

/// Renders an SVG with rsvg-convert on `background` (a CSS colour, white by default) at w x h and
/// loads it as RGB.
inline vecta::image<std::uint8_t> render(const std::string& svg, std::size_t w, std::size_t h, const std::string& name,
                                         const std::string& background = "white") {
    const auto svg_path = render_dir() / (name + ".svg"), png_path = render_dir() / (name + ".png");
    vecta::io::write_file_atomic(svg_path, svg);
    const std::string cmd = "rsvg-convert -b '" + background + "' -w " + std::to_string(w) + " -h " +
                            std::to_string(h) + " -o '" + png_path.string() + "' '" + svg_path.string() + "'";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "rsvg-convert failed (tools/bootstrap.sh installs librsvg2-bin)");
    return vecta::io::load_image(png_path, {.channels = 3});
}

}  // namespace vecta_test
