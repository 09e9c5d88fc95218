// SPDX-License-Identifier: MIT
// Where a photo's colour error arises before tracing (docs/vectorize.md "Salient palette"): the
// palette raster (vecta::quantize, optionally vecta::salient_palette), that raster after the
// speckle merge as vectorize does it at k = 1 (label_regions + merge_speckles, two passes), and
// that raster with every region painted with its own rounded mean colour (vecta::region_fills
// with 65536 fills: the means unquantized). Written as IN-stem PPMs; score them with
// tools/palette/score_rasters.py.
//
//   g++ -std=c++20 -O2 -Iinclude tools/palette/stage_rasters.cpp -o build/stage_rasters -lpthread
//   build/stage_rasters IN.ppm OUT_PREFIX COLORS SALIENT(0|1) SPECKLE
//     -> OUT_PREFIX.pal.ppm, .spk.ppm, .reg.ppm; stdout: entries, regions before and after the merge
#include <array>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vecta/vectorize.hpp>
#include <vector>

using rgb8 = std::array<std::uint8_t, 3>;

static void write_ppm(const std::string& path, std::size_t w, std::size_t h, const std::vector<rgb8>& px) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::exit(3);
    std::fprintf(f, "P6\n%zu %zu\n255\n", w, h);
    std::fwrite(px.data(), 3, px.size(), f);
    std::fclose(f);
}

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: stage_rasters IN.ppm OUT_PREFIX COLORS SALIENT SPECKLE\n");
        return 2;
    }
    std::FILE* in = std::fopen(argv[1], "rb");
    std::size_t w = 0, h = 0;
    int maxval = 0;
    if (!in || std::fscanf(in, "P6 %zu %zu %d", &w, &h, &maxval) != 3 || maxval != 255 || w == 0 || h == 0 ||
        w > 65536 || h > 65536)
        return 3;
    std::fgetc(in);
    vecta::image<std::uint8_t> img(w, h, 3);
    if (std::fread(img.data(), 1, w * h * 3, in) != w * h * 3) return 3;
    std::fclose(in);
    const std::string out = argv[2];
    const std::size_t colors = std::strtoul(argv[3], nullptr, 10), speckle = std::strtoul(argv[5], nullptr, 10);
    vecta::quantize_result q = vecta::quantize(vecta::par, img.view(), {.colors = colors});
    if (std::atoi(argv[4]) != 0) {
        auto more = vecta::salient_palette(vecta::par, img.view(), std::span<const rgb8>(q.palette));
        if (more.size() > q.palette.size())
            q = vecta::map_to_palette(vecta::par, img.view(), std::span<const rgb8>(more));
    }
    auto paint = [&](const std::string& path) {
        std::vector<rgb8> px(w * h);
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x) px[y * w + x] = q.palette[q.labels(x, y)];
        write_ppm(path, w, h, px);
    };
    paint(out + ".pal.ppm");
    vecta::region_runs regions = vecta::label_regions(q.labels.view());
    const std::size_t before = regions.count();
    for (int pass = 0; speckle > 1 && pass < 2; ++pass) {
        if (!vecta::merge_speckles(q.labels.view(), regions, img.view(), std::span<const rgb8>(q.palette), speckle))
            break;
        regions = vecta::label_regions(q.labels.view());
    }
    paint(out + ".spk.ppm");
    const vecta::quantize_result fills = vecta::region_fills(vecta::par, regions, img.view(), {.colors = 65536});
    std::vector<rgb8> px(w * h);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) px[y * w + x] = fills.palette[fills.labels(x, y)];
    write_ppm(out + ".reg.ppm", w, h, px);
    std::printf("%zu\t%zu\t%zu\n", q.palette.size(), before, regions.count());
}
