#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
    auto d = fs::temp_directory_path() / "vecta_pipeline_test";
    fs::create_directories(d);
    return d;
}

/// Renders an SVG with librsvg's rsvg-convert on white at w x h and loads it as RGB.
vecta::image<std::uint8_t> render(const std::string& svg, std::size_t w, std::size_t h, const std::string& name) {
    const auto svg_path = temp_dir() / (name + ".svg"), png_path = temp_dir() / (name + ".png");
    vecta::io::write_file_atomic(svg_path, svg);
    const std::string cmd = "rsvg-convert -b white -w " + std::to_string(w) + " -h " + std::to_string(h) + " -o '" +
                            png_path.string() + "' '" + svg_path.string() + "'";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "rsvg-convert failed (tools/bootstrap.sh installs librsvg2-bin)");
    return vecta::io::load_image(png_path, {.channels = 3});
}

double rendered_psnr(const vecta::image<std::uint8_t>& rgb, const vecta::vectorize_params& p, const std::string& name) {
    const auto r = vecta::vectorize(vecta::par, rgb.view(), p);
    const auto back = render(r.document, rgb.width(), rgb.height(), name);
    return vecta_test::psnr(rgb, back);
}
}  // namespace

TEST_CASE("a two-colour disk becomes a background and one smooth path that renders back closely") {
    vecta::image<std::uint8_t> im(64, 48, 3, 255);
    for (std::size_t y = 0; y < 48; ++y)
        for (std::size_t x = 0; x < 64; ++x) {
            const double dx = double(x) + 0.5 - 30, dy = double(y) + 0.5 - 22;
            if (dx * dx + dy * dy < 15.0 * 15.0) im(x, y, 0) = 200, im(x, y, 1) = 30, im(x, y, 2) = 40;
        }
    const auto r = vecta::vectorize(im.view(), {.colors = 4});
    CHECK(r.stats.paths == 2);
    CHECK(r.stats.colors == 2);
    CHECK(r.document.find('c') != std::string::npos);  // fitted with curves
    CHECK(r.stats.bytes == r.document.size());
    const auto back = render(r.document, 64, 48, "disk");
    CHECK(vecta_test::psnr(im, back) > 25.0);
}

TEST_CASE("an axis-aligned rectangle is written exactly and renders back without error") {
    vecta::image<std::uint8_t> im(20, 20, 3, 10);
    for (std::size_t y = 5; y < 12; ++y)
        for (std::size_t x = 3; x < 17; ++x) im(x, y, 0) = 250, im(x, y, 1) = 250, im(x, y, 2) = 0;
    const auto r = vecta::vectorize(im.view(), {.colors = 2});
    const auto back = render(r.document, 20, 20, "rect");
    CHECK(vecta_test::psnr(im, back) > 45.0);
}

TEST_CASE("seq and par give the same document; the seed is honoured") {
    auto im = vecta_test::random_image(40, 30, 3, 11, 0, 255);
    // Smooth it into blobs so regions are large.
    vecta::image<std::uint8_t> blobs(40, 30, 3);
    for (std::size_t y = 0; y < 30; ++y)
        for (std::size_t x = 0; x < 40; ++x)
            for (std::size_t c = 0; c < 3; ++c) blobs(x, y, c) = im(x / 8, y / 6, c);
    const auto a = vecta::vectorize(vecta::seq, blobs.view(), {.colors = 6, .seed = 3});
    const auto b = vecta::vectorize(vecta::par, blobs.view(), {.colors = 6, .seed = 3});
    CHECK(a.document == b.document);
    const auto c = vecta::vectorize(vecta::seq, blobs.view(), {.colors = 6, .seed = 3});
    CHECK(a.document == c.document);
}

TEST_CASE("grey and RGBA inputs are accepted; alpha is composited over white") {
    vecta::image<std::uint8_t> rgba(8, 8, 4, 0);  // fully transparent: renders white
    const auto r = vecta::vectorize(rgba.view(), {.colors = 2});
    CHECK(r.document.find("#fff") != std::string::npos);
    vecta::image<std::uint8_t> gray(8, 8, 1, 0);
    CHECK(vecta::vectorize(gray.view()).document.find("#000") != std::string::npos);
}

TEST_CASE("vectorize rejects bad input by argument name") {
    vecta::image<std::uint8_t> im(8, 8, 3, 0);
    CHECK_THROWS_WITH_AS(vecta::vectorize(vecta::image_view<const std::uint8_t>{}), doctest::Contains("src"),
                         vecta::invalid_argument);
    vecta::image<std::uint8_t> five(4, 4, 5);
    CHECK_THROWS_WITH_AS(vecta::vectorize(five.view()), doctest::Contains("src"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.colors = 0}), doctest::Contains("colors"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.colors = 65537}),
                         doctest::Contains("vecta::vectorize: params.colors"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.mode = vecta::trace_mode(9)}), doctest::Contains("mode"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.tolerance = 0}), doctest::Contains("tolerance"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.tolerance = std::nan("")}), doctest::Contains("tolerance"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.corner_angle_deg = 0}), doctest::Contains("corner"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), {.precision = 9}), doctest::Contains("precision"),
                         vecta::invalid_argument);
}

TEST_CASE("the bundled photo renders back at >= 22 dB PSNR with 16 colours") {
    const auto photo = vecta::io::load_image(vecta_test::repo_dir() / "examples/data/chelsea.png", {.channels = 3});
    const double p = rendered_psnr(photo, {.colors = 16}, "chelsea");
    std::cout << "[figure] chelsea.png, 16 colours: PSNR of the rendered SVG = " << p << " dB\n";
    CHECK(p >= 22.0);
}

TEST_CASE("icons of the shared corpus render back at a median >= 25 dB PSNR") {
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !fs::exists(dir / "icons")) {
        std::cout << "[skip] shared data not found (set VECTA_DATA_DIR): icon PSNR test skipped\n";
        return;
    }
    std::vector<fs::path> icons;
    for (const auto& e : fs::directory_iterator(dir / "icons"))
        if (e.path().extension() == ".png") icons.push_back(e.path());
    std::sort(icons.begin(), icons.end());
#ifdef VECTA_TEST_SANITIZED
    icons.resize(std::min<std::size_t>(icons.size(), 6));  // the full set runs in the Release suite
#endif
    REQUIRE(!icons.empty());
    std::vector<double> scores;
    for (const auto& p : icons) {
        const auto rgb = vecta::io::load_image(p, {.channels = 3});
        scores.push_back(rendered_psnr(rgb, {}, "icon"));
    }
    std::sort(scores.begin(), scores.end());
    const double median = scores.size() % 2 ? scores[scores.size() / 2]
                                            : 0.5 * (scores[scores.size() / 2 - 1] + scores[scores.size() / 2]);
    std::cout << "[figure] " << icons.size() << " icons: median PSNR " << median << " dB, min " << scores.front()
              << ", max " << scores.back() << "\n";
    CHECK(median >= 25.0);
}
