// SPDX-License-Identifier: MIT
// The library call the `vecta vectorize` tests compare with: for each IN OUT pair, the SVG of
// vecta::vectorize with default parameters (decoded with codecs::load as the command decodes:
// libpng, libjpeg-turbo, libwebp, libtiff, else stb; traced under
// vecta::seq), written to OUT. No options: the command's output must equal this byte for byte.
#include <cstdio>
#include <exception>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

#include "codecs.hpp"

int main(int argc, char** argv) {
    if (argc < 3 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: vecta_cli_ref IN OUT [IN OUT ...]\n");
        return 2;
    }
    try {
        for (int i = 1; i + 1 < argc; i += 2) {
            const auto img = vecta::codecs::load(argv[i]);
            vecta::io::write_file_atomic(argv[i + 1], vecta::vectorize(vecta::seq, img.view()).document);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vecta_cli_ref: %s\n", e.what());
        return 1;
    }
    return 0;
}
