// SPDX-License-Identifier: MIT
// vectorize_params::split_psnr (vectorize step 2b, region splits): on a smooth 2-D gradient, which
// a 24-colour palette explains poorly (palette PSNR below 31 dB), the default cuts regions
// (stats.regions_split > 0) and its render (vecta's own renderer and librsvg's) is closer to the
// input than with split_psnr = 0; the gate is the palette PSNR (a split_psnr just below it equals
// no splits); an image the palette explains well is not cut; seq = par; bad values named.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vecta/svg/rasterize.hpp>
#include <vecta/vectorize.hpp>

#include "render_back.hpp"
#include "test_support.hpp"

namespace region_split_test {  // named: the pipeline tests are compiled as one unity translation unit

// A 160 x 120 smooth gradient over a wide colour range, with +-2 noise (a sky, a blurred
// background).
vecta::image<std::uint8_t> gradient() {
    vecta::image<std::uint8_t> im(160, 120, 3);
    const auto noise = vecta_test::random_image(160, 120, 3, 41, -2, 2);
    for (std::size_t y = 0; y < 120; ++y)
        for (std::size_t x = 0; x < 160; ++x) {
            const double u = double(x) / 159, v = double(y) / 119;
            const double c[3] = {30 + 200 * u, 60 + 150 * v, 200 - 120 * u * v};
            for (std::size_t k = 0; k < 3; ++k)
                im(x, y, k) = std::uint8_t(std::lround(c[k]) + int(std::int8_t(noise(x, y, k))));
        }
    return im;
}

TEST_CASE("vectorize: region splits on a smooth gradient bring the render closer; the gate is the palette PSNR") {
    const vecta::image<std::uint8_t> im = gradient();
    const auto cut = vecta::vectorize(im.view());
    REQUIRE(cut.stats.quantize_psnr < 31);  // the precondition: 24 colours band this gradient
    CHECK(cut.stats.regions_split > 0);
    vecta::vectorize_params off;
    off.split_psnr = 0;
    const auto whole = vecta::vectorize(im.view(), off);
    CHECK(whole.stats.regions_split == 0);
    CHECK(whole.stats.quantize_psnr == cut.stats.quantize_psnr);  // the same palette
    CHECK(cut.stats.regions > whole.stats.regions);
    const double p_cut = vecta_test::psnr(vecta::svg::render_document(cut.document, 160, 120).view(), im.view());
    const double p_whole = vecta_test::psnr(vecta::svg::render_document(whole.document, 160, 120).view(), im.view());
    CHECK(p_cut > p_whole + 1.0);
    // librsvg agrees (a black-box renderer).
    const double r_cut = vecta_test::psnr(vecta_test::render(cut.document, 160, 120, "split_on").view(), im.view());
    const double r_whole =
        vecta_test::psnr(vecta_test::render(whole.document, 160, 120, "split_off").view(), im.view());
    CHECK(r_cut > r_whole + 1.0);
    // The gate: a threshold just below the palette's PSNR cuts nothing, just above it cuts.
    vecta::vectorize_params below, above;
    below.split_psnr = cut.stats.quantize_psnr - 1e-9;
    above.split_psnr = cut.stats.quantize_psnr + 1e-9;
    CHECK(vecta::vectorize(im.view(), below).document == whole.document);
    CHECK(vecta::vectorize(im.view(), above).document == cut.document);
    // Without region fills there are no splits either.
    vecta::vectorize_params no_fills;
    no_fills.region_colors = 0;
    CHECK(vecta::vectorize(im.view(), no_fills).stats.regions_split == 0);
    // seq = par.
    CHECK(vecta::vectorize(vecta::par, im.view()).document == cut.document);
}

TEST_CASE("vectorize: an image its palette explains well is not cut") {
    // 6 x 4 blocks of 8 colours with +-3 noise: the palette PSNR is far above 31 dB.
    vecta::image<std::uint8_t> im(120, 80, 3);
    const auto noise = vecta_test::random_image(120, 80, 3, 7, -3, 3);
    for (std::size_t y = 0; y < 80; ++y)
        for (std::size_t x = 0; x < 120; ++x)
            for (std::size_t k = 0; k < 3; ++k)
                im(x, y, k) =
                    std::uint8_t(30 + 25 * ((x / 20 + 3 * (y / 20) + k) % 8) + int(std::int8_t(noise(x, y, k))));
    vecta::vectorize_params p;
    p.palette = vecta::palette_mode::kmeans;
    const auto r = vecta::vectorize(im.view(), p);
    REQUIRE(r.stats.quantize_psnr > 31);
    CHECK(r.stats.regions_split == 0);
}

TEST_CASE("vectorize: split_psnr out of range is named") {
    const vecta::image<std::uint8_t> im = gradient();
    for (const double bad :
         {-1.0, 100.5, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
        vecta::vectorize_params p;
        p.split_psnr = bad;
        CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), p), vecta_test::names("params.split_psnr"),
                             vecta::invalid_argument);
    }
}

}  // namespace region_split_test
