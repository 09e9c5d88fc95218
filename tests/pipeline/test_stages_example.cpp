// SPDX-License-Identifier: MIT
// The "build your own pipeline" example of docs/vectorize.md, compiled and checked: the public
// stages that vectorize() composes, called one by one. Rendered back with rsvg-convert, the
// pixel-polygon document equals the quantized image exactly; the curve document is close to it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

// --- example begins (docs/vectorize.md, "Build your own pipeline") ---
#include <vecta/color/quantize.hpp>
#include <vecta/geometry/crack_outline.hpp>
#include <vecta/geometry/label_regions.hpp>
#include <vecta/geometry/outline_curve.hpp>
#include <vecta/imgproc/over_white.hpp>
#include <vecta/svg/curve_path.hpp>
#include <vecta/svg/document.hpp>

std::string my_vectorize(vecta::image_view<const std::uint8_t> src, bool curves) {
    const std::size_t w = src.width(), h = src.height();
    // 1. pixels to labels: RGB on white, an 8-colour palette, a label per pixel
    const vecta::image<std::uint8_t> rgb = vecta::rgb_over_white(src);
    vecta::quantize_result q = vecta::quantize(rgb.view(), {.colors = 8});
    // 2. 4-connected regions; regions under 4 pixels join their nearest-coloured neighbour
    vecta::region_runs regions = vecta::label_regions(q.labels);
    if (vecta::merge_speckles(q.labels.view(), regions, rgb.view(), q.palette, 4))
        regions = vecta::label_regions(q.labels);
    // 3. paint order: a region inside another's hole is deeper, so paint by depth
    std::vector<std::size_t> order(regions.count());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return regions.depth[a] < regions.depth[b]; });
    // 4-6. each region's outline on the pixel-edge lattice, written as a path
    vecta::svg::document doc(w, h);
    for (const std::size_t i : order) {
        const std::uint32_t label = regions.label[i];
        const auto ring = vecta::crack_outline(w, h, regions.first_pixel[i],
                                               [&](std::size_t x, std::size_t y) { return q.labels(x, y) == label; });
        vecta::svg::path_builder path(1);
        if (curves)  // 5. corners and cubic Beziers (Selinger 2003)
            vecta::svg::append_closed_curve(path, vecta::fit_outline_curve(ring));
        else
            vecta::svg::append_lattice_polygon(path, ring);  // exact pixels
        doc.add_path(path.str(), q.palette[label]);
    }
    return doc.str();
}
// --- example ends ---

#include "render_back.hpp"
#include "test_support.hpp"

TEST_CASE("the stages example of docs/vectorize.md renders back to the quantized image") {
    // Blobs of 6 colours with 1-pixel specks, touching the frame.
    const auto noise = vecta_test::random_image(8, 6, 3, 21, 0, 255);
    vecta::image<std::uint8_t> im(48, 36, 3);
    for (std::size_t y = 0; y < 36; ++y)
        for (std::size_t x = 0; x < 48; ++x)
            for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = noise((x + y / 3) / 6 % 8, y / 6, c);
    const auto back = vecta_test::render(my_vectorize(im.view(), false), 48, 36, "stages_example");
    // The reference: the same quantization and speckle merge, painted per pixel.
    const auto q = vecta::quantize(im.view(), {.colors = 8});
    auto labels = q.labels;
    const auto regions = vecta::label_regions(labels);
    vecta::merge_speckles(labels.view(), regions, im.view(), q.palette, 4);
    std::size_t wrong = 0;
    vecta::image<std::uint8_t> ref(48, 36, 3);
    for (std::size_t y = 0; y < 36; ++y)
        for (std::size_t x = 0; x < 48; ++x)
            for (std::size_t c = 0; c < 3; ++c) {
                ref(x, y, c) = q.palette[labels(x, y)][c];
                wrong += back(x, y, c) != ref(x, y, c);
            }
    CHECK(wrong == 0);
}

TEST_CASE("the stages example with curves renders three overlapping disks back closely") {
    vecta::image<std::uint8_t> im(64, 48, 3, 255);
    const int disks[3][6] = {{20, 20, 14, 200, 30, 40}, {40, 26, 12, 30, 90, 200}, {30, 36, 8, 250, 200, 0}};
    for (const auto& d : disks)
        for (std::size_t y = 0; y < 48; ++y)
            for (std::size_t x = 0; x < 64; ++x) {
                const double dx = double(x) + 0.5 - d[0], dy = double(y) + 0.5 - d[1];
                if (dx * dx + dy * dy < double(d[2] * d[2]))
                    for (std::size_t c = 0; c < 3; ++c) im(x, y, c) = std::uint8_t(d[3 + c]);
            }
    const std::string svg = my_vectorize(im.view(), true);
    CHECK(svg.find('c') != std::string::npos);  // fitted with cubics
    // Curves are close, not exact: the aliased input differs from the anti-aliased render on
    // every edge pixel, and without vectorize's dilation a thin seam of the page shows between
    // neighbours (the tolerance of test_vectorize's binary disk, 21 dB).
    CHECK(vecta_test::psnr(im.view(), vecta_test::render(svg, 64, 48, "stages_example_curves").view()) > 21.0);
}
