// SPDX-License-Identifier: MIT
// vectorize_params::split_psnr at the edges a user reaches (stranger test of 63a7bd7): 1 x 1,
// 1 x N, N x 1 and one colour at split_psnr 100 trace without cuts; transparency kept is never
// cut (vectorize_alpha paints palette colours) but the same RGBA over a background is; binary and
// centerline documents do not depend on split_psnr; the cut document is the same under par.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vecta/vectorize.hpp>

#include "test_support.hpp"

namespace region_split_edge_test {  // named: the pipeline tests are compiled as one unity translation unit

// A w x h smooth 2-D gradient over a wide colour range (24 colours band it: palette PSNR < 31 dB),
// `channels` 3 or 4 (alpha 255).
vecta::image<std::uint8_t> gradient(std::size_t w, std::size_t h, std::size_t channels = 3) {
    vecta::image<std::uint8_t> im(w, h, channels);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const double u = w > 1 ? double(x) / double(w - 1) : 0.5, v = h > 1 ? double(y) / double(h - 1) : 0.5;
            const double c[4] = {30 + 200 * u, 60 + 150 * v, 200 - 120 * u * v, 255};
            for (std::size_t k = 0; k < channels; ++k) im(x, y, k) = std::uint8_t(std::lround(c[k]));
        }
    return im;
}

vecta::vectorize_params with_split(double split_psnr) {
    vecta::vectorize_params p;
    p.split_psnr = split_psnr;
    return p;
}

TEST_CASE("vectorize: region splits on 1 x 1, 1 x N, N x 1 and one colour") {
    for (const auto& [w, h] : {std::pair<std::size_t, std::size_t>{1, 1}, {1, 300}, {300, 1}, {2, 2}}) {
        const auto im = gradient(w, h);
        const auto r = vecta::vectorize(im.view(), with_split(100));
        CHECK(r.stats.regions_split == 0);  // no region of 64 pixels spread in colour across a line
        CHECK(r.document == vecta::vectorize(im.view(), with_split(0)).document);
    }
    vecta::image<std::uint8_t> flat(100, 80, 3);
    std::fill(flat.data(), flat.data() + 100 * 80 * 3, std::uint8_t(77));
    const auto r = vecta::vectorize(flat.view(), with_split(100));
    CHECK(r.stats.regions_split == 0);
    CHECK(r.stats.regions == 1);
}

TEST_CASE("vectorize: region splits never apply when transparency is kept, and do over a background") {
    const auto opaque = gradient(200, 150, 4);
    CHECK(vecta::vectorize(opaque.view()).stats.regions_split > 0);  // alpha 255 everywhere: flattened
    auto clear = opaque;
    for (std::size_t x = 0; x < 200; ++x) clear(x, 0, 3) = 0;
    const auto kept = vecta::vectorize(clear.view(), with_split(100));
    CHECK(kept.stats.regions_split == 0);
    CHECK(kept.document == vecta::vectorize(clear.view(), with_split(0)).document);
    vecta::vectorize_params over = with_split(31);
    over.background = std::array<std::uint8_t, 3>{0, 0, 0};
    CHECK(vecta::vectorize(clear.view(), over).stats.regions_split > 0);
}

TEST_CASE("vectorize: binary and centerline documents do not depend on split_psnr; par = seq with cuts") {
    const auto im = gradient(200, 150);
    for (const auto mode : {vecta::trace_mode::binary, vecta::trace_mode::centerline}) {
        vecta::vectorize_params on = with_split(100), off = with_split(0);
        on.mode = off.mode = mode;
        const auto a = vecta::vectorize(im.view(), on);
        CHECK(a.stats.regions_split == 0);
        CHECK(a.document == vecta::vectorize(im.view(), off).document);
    }
    const auto cut = vecta::vectorize(im.view());
    CHECK(cut.stats.regions_split > 0);
    CHECK(vecta::vectorize(vecta::par, im.view()).document == cut.document);
}

}  // namespace region_split_edge_test
