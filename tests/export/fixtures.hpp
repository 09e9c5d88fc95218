// SPDX-License-Identifier: MIT
// The repository's own fixtures for the output-format tests (issue 19): the input panels of
// docs/img/vectorize-*.png (the left 256 x 256 pixels), an icon traced in colour mode and a
// line drawing traced in binary mode, each with its vectorize result (paths kept) and the
// rsvg-convert render of its SVG. Needs nothing outside the repository.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <vecta/io/image_file.hpp>

#include "../pipeline/render_back.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace vecta_test {

struct format_fixture {
    std::string name;
    vecta::image<std::uint8_t> input;       // RGB, 256 x 256
    vecta::vectorize_result traced;         // params.keep_paths = true
    vecta::image<std::uint8_t> svg_render;  // rsvg-convert, RGB on white
};

/// The top-left 256 x 256 pixels of docs/img/vectorize-<name>.png, traced with `params`
/// (keep_paths set) and the SVG rendered back.
inline format_fixture load_format_fixture(const std::string& name, vecta::vectorize_params params) {
    const auto full =
        vecta::io::load_image(repo_dir() / "docs" / "img" / ("vectorize-" + name + ".png"), {.channels = 3});
    format_fixture f;
    f.name = name;
    f.input = vecta::image<std::uint8_t>(256, 256, 3);
    for (std::size_t y = 0; y < 256; ++y) std::memcpy(f.input.view().row(y), full.view().row(y), 256 * 3);
    params.keep_paths = true;
    f.traced = vecta::vectorize(f.input.view(), params);
    f.svg_render = render(f.traced.document, 256, 256, "format_" + name);
    return f;
}

/// The icon (colour mode, defaults, 3 decimals) and the line drawing (binary mode, 3 decimals).
inline format_fixture icon_fixture() { return load_format_fixture("twemoji-1f98a-fox-face", {.precision = 3}); }
inline format_fixture lineart_fixture() {
    return load_format_fixture("feather-camera", {.mode = vecta::trace_mode::binary, .precision = 3});
}

}  // namespace vecta_test
