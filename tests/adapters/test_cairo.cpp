// SPDX-License-Identifier: MIT
// vecta::cairo::write_pdf / write_eps (vecta/adapters/cairo.hpp): the PDF rendered back by
// poppler's pdftoppm and the EPS by Ghostscript (black-box readers), compared with librsvg's
// render of the SVG of the same trace, on the repository's icon and line drawing.
#include <doctest/doctest.h>

#include <vecta/adapters/cairo.hpp>

#if defined(VECTA_WITH_CAIRO) && VECTA_WITH_CAIRO

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "../export/fixtures.hpp"
#include "test_support.hpp"

namespace {

vecta::image<std::uint8_t> render_with(const std::string& cmd, const std::filesystem::path& png) {
    std::filesystem::remove(png);
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
    return vecta::io::load_image(png, {.channels = 3});
}

/// Mean of each factor x factor block (box filter).
vecta::image<std::uint8_t> shrink(const vecta::image<std::uint8_t>& a, std::size_t factor) {
    vecta::image<std::uint8_t> out(a.width() / factor, a.height() / factor, 3);
    for (std::size_t y = 0; y < out.height(); ++y)
        for (std::size_t x = 0; x < out.width(); ++x)
            for (std::size_t c = 0; c < 3; ++c) {
                unsigned sum = 0;
                for (std::size_t j = 0; j < factor; ++j)
                    for (std::size_t i = 0; i < factor; ++i)
                        sum += a.view().row(y * factor + j)[(x * factor + i) * 3 + c];
                out.view().row(y)[x * 3 + c] =
                    std::uint8_t((sum + unsigned(factor * factor) / 2) / unsigned(factor * factor));
            }
    return out;
}

/// poppler: `tool` (pdftoppm: its Splash rasterizer; pdftocairo: cairo's) at `dpi`, one pixel
/// per point at 72.
vecta::image<std::uint8_t> render_pdf(const std::filesystem::path& pdf, const std::string& tool, int dpi) {
    auto base = pdf;
    base.replace_extension("." + tool + std::to_string(dpi));
    return render_with(
        tool + " -r " + std::to_string(dpi) + " -png -singlefile '" + pdf.string() + "' '" + base.string() + "'",
        base.string() + ".png");
}

/// Ghostscript at 72 dpi on the EPS's bounding box, anti-aliased (GraphicsAlphaBits 4); with
/// `exact`, fill adjustment 0 (Ghostscript grows fills by default, towards its "any part of a
/// pixel" rule, which darkens every edge pixel).
vecta::image<std::uint8_t> render_eps(const std::filesystem::path& eps, bool exact) {
    auto png = eps;
    png.replace_extension(exact ? ".eps0.png" : ".eps.png");
    return render_with(std::string("gs -q -dSAFER -dBATCH -dNOPAUSE -dEPSCrop -r72 -sDEVICE=png16m "
                                   "-dGraphicsAlphaBits=4 -sOutputFile='") +
                           png.string() + "' " + (exact ? "-c '0 0 .setfilladjust2' -f '" : "'") + eps.string() + "'",
                       png);
}

}  // namespace

// The renderers anti-alias differently, and on a line drawing (long black-on-white edges) that
// alone costs dB: pdftoppm's Splash at 72 dpi has 4 x 4 coverage levels, librsvg (cairo) exact
// coverage. So the PDF is scored three ways: pdftocairo at 72 dpi (poppler's parser, cairo's
// rasterizer: the geometry alone), pdftoppm at 288 dpi box-averaged to 72 (finer coverage), and
// pdftoppm at 72 dpi as it is (reported; asserted above 34 dB).
TEST_CASE("write_pdf and write_eps render like the SVG (PSNR > 40 dB) on the icon and the line drawing") {
    const bool have_gs = std::system("gs --version > /dev/null 2>&1") == 0;
    if (!have_gs) std::cout << "[skip] gs not found (tools/bootstrap.sh installs ghostscript): EPS part skipped\n";
    const auto dir = vecta_test::render_dir();
    for (auto f : {vecta_test::icon_fixture(), vecta_test::lineart_fixture()}) {
        CAPTURE(f.name);
        const auto pdf = dir / ("cairo_" + f.name + ".pdf"), eps = dir / ("cairo_" + f.name + ".eps");
        {
            std::ofstream a(pdf, std::ios::binary), b(eps, std::ios::binary);
            vecta::cairo::write_pdf(f.traced.paths, a);
            vecta::cairo::write_eps(f.traced.paths, b);
        }
        const auto splash72 = render_pdf(pdf, "pdftoppm", 72), splash288 = shrink(render_pdf(pdf, "pdftoppm", 288), 4),
                   cairo72 = render_pdf(pdf, "pdftocairo", 72);
        for (const auto* im : {&splash72, &splash288, &cairo72}) {
            REQUIRE(im->width() == 256);
            REQUIRE(im->height() == 256);
        }
        const auto db = [&](const vecta::image<std::uint8_t>& im) {
            return vecta_test::psnr(im.view(), f.svg_render.view());
        };
        std::cout << "[figure] " << f.name << " vs the SVG's rsvg-convert render: PDF "
                  << std::filesystem::file_size(pdf) << " B: pdftocairo -r 72 " << db(cairo72)
                  << " dB, pdftoppm -r 288 / 4 " << db(splash288) << " dB, pdftoppm -r 72 " << db(splash72) << " dB";
        CHECK(db(cairo72) > 40);
        CHECK(db(splash288) > 40);
        CHECK(db(splash72) > 34);
        if (have_gs) {
            const auto e0 = render_eps(eps, true), e = render_eps(eps, false);
            REQUIRE(e0.width() == 256);
            REQUIRE(e0.height() == 256);
            std::cout << "; EPS " << std::filesystem::file_size(eps) << " B: gs -r 72 fill adjust 0 " << db(e0)
                      << " dB, default fill adjust " << db(e) << " dB";
            CHECK(db(e0) > 40);
        }
        std::cout << " (input vs SVG " << vecta_test::psnr(f.input.view(), f.svg_render.view()) << " dB)\n";
    }
}

TEST_CASE("write_pdf in centerline mode: round-capped strokes render like the SVG") {
    const auto cam = vecta_test::lineart_fixture();
    const auto r = vecta::vectorize(cam.input.view(), {.mode = vecta::trace_mode::centerline, .keep_paths = true});
    const auto pdf = vecta_test::render_dir() / "cairo_centerline.pdf";
    {
        std::ofstream a(pdf, std::ios::binary);
        vecta::cairo::write_pdf(r.paths, a);
    }
    const auto svg = vecta_test::render(r.document, 256, 256, "cairo_centerline");
    const double db = vecta_test::psnr(render_pdf(pdf, "pdftocairo", 72).view(), svg.view());
    std::cout << "[figure] camera, centerline mode: PDF (pdftocairo) vs SVG " << db << " dB\n";
    CHECK(db > 40);
}

TEST_CASE("write_eps: the bounding box is the page, also without a background") {
    vecta::vector_paths g{.width = 100, .height = 80, .paths = {vecta::rectangle_path(10, 10, 30, 30, {0, 0, 0})}};
    std::ostringstream os;
    vecta::cairo::write_eps(g, os);
    const std::string s = os.str();
    CHECK(s.rfind("%!PS-Adobe-3.0 EPSF-3.0", 0) == 0);
    CHECK(s.find("%%BoundingBox: 0 0 100 80\n") != std::string::npos);
    std::ostringstream pdf;
    vecta::cairo::write_pdf(g, pdf);
    CHECK(pdf.str().rfind("%PDF-", 0) == 0);
}

TEST_CASE("cairo adapter: bad arguments") {
    std::ostringstream os;
    CHECK_THROWS_WITH_AS(vecta::cairo::write_pdf(vecta::vector_paths{}, os), doctest::Contains("paths"),
                         vecta::invalid_argument);  // vectorize without keep_paths
    vecta::vector_paths bad{.width = 4, .height = 4, .paths = {vecta::rectangle_path(0, 0, 4, 4, {1, 2, 3})}};
    bad.paths[0].stroke_width = -1;
    CHECK_THROWS_WITH_AS(vecta::cairo::write_eps(bad, os), doctest::Contains("paths.paths[0].stroke_width"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::cairo::draw(nullptr, bad), doctest::Contains("cr"), vecta::invalid_argument);
    std::ostringstream failed;
    failed.setstate(std::ios::badbit);
    bad.paths[0].stroke_width = 0;
    CHECK_THROWS_AS(vecta::cairo::write_pdf(bad, failed), vecta::io_error);
    CHECK_THROWS_AS(vecta::cairo::write_eps(bad, failed), vecta::io_error);
}

#endif
