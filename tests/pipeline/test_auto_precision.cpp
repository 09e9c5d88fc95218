// SPDX-License-Identifier: MIT
// vectorize_params::precision = auto_precision (the default): a dense k-means tracing (grain:
// more than dense_regions_per_pixel regions per pixel after the speckle filter) is written with
// whole-pixel coordinates, a clean flat icon and a smooth k-means gradient keep 1 decimal, and an
// explicit precision is used as given. The decimals are read back from the document's path data
// (an independent check of what vectorize_stats::precision reports), and the rule is checked
// against the region count the stats report.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <regex>
#include <string>

#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace auto_precision_test {  // named: the pipeline tests are compiled as one unity translation unit

// Most decimals of a pixel in the documents' path data (d="..."): the decimals written plus
// log10 of the user units per pixel (viewBox width over width: 1, 10, 100, ...).
std::size_t path_decimals(const std::string& doc) {
    std::size_t most = 0;
    const std::regex d(" d=\"([^\"]*)\""), num("\\.([0-9]+)");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), d); it != std::sregex_iterator(); ++it) {
        const std::string data = (*it)[1];
        for (auto n = std::sregex_iterator(data.begin(), data.end(), num); n != std::sregex_iterator(); ++n)
            most = std::max(most, std::size_t((*n)[1].length()));
    }
    std::smatch m;
    const std::regex size("width=\"([0-9]+)\" height=\"[0-9]+\" viewBox=\"0 0 ([0-9]+) ");
    REQUIRE(std::regex_search(doc, m, size));
    for (std::size_t u = std::stoull(m[2]) / std::stoull(m[1]); u >= 10; u /= 10) ++most;
    return most;
}

// Film grain: a mid grey with +-40 uniform noise per channel, 160 x 120.
vecta::image<std::uint8_t> grain() {
    auto im = vecta_test::random_image(160, 120, 3, 7, 88, 168);
    return im;
}

// A smooth diagonal colour gradient, 160 x 120: a k-means palette (too many colours for a flat
// one) whose regions are wide bands.
vecta::image<std::uint8_t> gradient() {
    vecta::image<std::uint8_t> im(160, 120, 3);
    for (std::size_t y = 0; y < 120; ++y)
        for (std::size_t x = 0; x < 160; ++x) {
            im(x, y, 0) = std::uint8_t(x * 255 / 159);
            im(x, y, 1) = std::uint8_t(y * 255 / 119);
            im(x, y, 2) = std::uint8_t((x + y) * 255 / 278);
        }
    return im;
}

// A flat icon: a red disk on white, 64 x 64 (the flat palette, traced at 2x).
vecta::image<std::uint8_t> icon() {
    vecta::image<std::uint8_t> im(64, 64, 3, 255);
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x)
            if ((double(x) - 31.5) * (double(x) - 31.5) + (double(y) - 31.5) * (double(y) - 31.5) < 22.0 * 22.0)
                im(x, y, 0) = 200, im(x, y, 1) = 30, im(x, y, 2) = 40;
    return im;
}

bool dense(const vecta::vectorize_result& r, std::size_t pixels) {
    return double(r.stats.regions) > vecta::vectorize_params::dense_regions_per_pixel * double(pixels);
}

}  // namespace auto_precision_test

TEST_CASE("vectorize's automatic precision: 0 decimals for a dense k-means tracing, 1 otherwise") {
    using namespace auto_precision_test;
    static_assert(vecta::vectorize_params{}.precision == vecta::vectorize_params::auto_precision);
    const auto g = grain(), s = gradient(), i = icon();

    const auto rg = vecta::vectorize(g.view());
    CHECK(dense(rg, 160 * 120));
    CHECK(rg.stats.precision == 0);
    CHECK(path_decimals(rg.document) == 0);

    const auto rs = vecta::vectorize(s.view());
    CHECK_FALSE(dense(rs, 160 * 120));
    CHECK(rs.stats.precision == 1);
    CHECK(path_decimals(rs.document) == 1);

    const auto ri = vecta::vectorize(i.view());
    CHECK(ri.stats.precision == 1);
    CHECK(path_decimals(ri.document) == 1);
    // The disk's curves: tenths of a pixel as whole numbers (viewBox 0 0 640 640) are shorter.
    CHECK(ri.stats.units_per_pixel == 10);
    CHECK(ri.document.find("viewBox=\"0 0 640 640\"") != std::string::npos);
    CHECK(rg.stats.units_per_pixel == 1);  // 0 decimals: pixels

    // The default is the explicit precision it chose, byte for byte.
    CHECK(vecta::vectorize(g.view(), {.precision = 0}).document == rg.document);
    CHECK(vecta::vectorize(s.view(), {.precision = 1}).document == rs.document);
    CHECK(vecta::vectorize(i.view(), {.precision = 1}).document == ri.document);
    // par decides the same.
    CHECK(vecta::vectorize(vecta::par, g.view()).document == rg.document);
}

TEST_CASE("vectorize's automatic precision never overrides an explicit precision") {
    using namespace auto_precision_test;
    const auto g = grain(), i = icon();
    for (const int p : {0, 1, 2, 3}) {
        CAPTURE(p);
        const auto rg = vecta::vectorize(g.view(), {.precision = p});
        CHECK(rg.stats.precision == p);
        CHECK(path_decimals(rg.document) <= std::size_t(p));
        const auto ri = vecta::vectorize(i.view(), {.precision = p});
        CHECK(ri.stats.precision == p);
        CHECK(path_decimals(ri.document) == std::size_t(p));  // the disk's curves need every decimal
    }
    // Binary and centerline modes and kept transparency keep 1 decimal by default.
    CHECK(vecta::vectorize(g.view(), {.mode = vecta::trace_mode::binary}).stats.precision == 1);
    CHECK(vecta::vectorize(g.view(), {.mode = vecta::trace_mode::centerline}).stats.precision == 1);
    auto rgba = vecta_test::random_image(160, 120, 4, 7, 88, 168);  // grain with alpha below 255
    CHECK(vecta::vectorize(rgba.view()).stats.precision == 1);
    // A budget search starts from 1 decimal (and may drop to 0) under the automatic precision.
    const auto b = vecta::vectorize(i.view(), {.max_bytes = 100000});
    CHECK(b.stats.budget.precision == 1);
}

TEST_CASE("vectorize's precision outside 0..6 and not auto_precision is rejected by name") {
    using namespace auto_precision_test;
    const auto i = icon();
    for (const int p : {-2, 7, -100})
        CHECK_THROWS_WITH_AS(vecta::vectorize(i.view(), {.precision = p}), vecta_test::names("params.precision"),
                             vecta::invalid_argument);
}
