// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vecta/io/image_file.hpp>
#include <vector>

#include "render_back.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace fs = std::filesystem;

namespace {
using vecta_test::render;

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

TEST_CASE("an image given up (rvalue) gives the document of its view in every mode, channel count and threshold") {
    // Binary mode thresholds a given-up grey image in place as its ink; nothing else may change.
    const auto noise = vecta_test::random_image(37, 29, 4, 5, 0, 255);
    for (std::size_t ch = 1; ch <= 4; ++ch) {
        vecta::image<std::uint8_t> im(37, 29, ch);
        for (std::size_t y = 0; y < 29; ++y)
            for (std::size_t x = 0; x < 37; ++x)
                for (std::size_t c = 0; c < ch; ++c)  // blobs of 5 x 4 pixels, opaque but for some
                    im(x, y, c) = c == 3 && noise(x / 5, y / 4, 3) > 60 ? 255 : noise(x / 5, y / 4, c);
        for (const auto mode : {vecta::trace_mode::binary, vecta::trace_mode::color, vecta::trace_mode::centerline})
            for (const int threshold : {0, 1, 100, 128, 255}) {
                const vecta::vectorize_params p{.mode = mode, .colors = 4, .threshold = std::uint8_t(threshold)};
                auto copy = vecta::image<std::uint8_t>::from(im.view());
                const auto given = vecta::vectorize(vecta::seq, std::move(copy), p);
                CHECK_MESSAGE(given.document == vecta::vectorize(vecta::seq, im.view(), p).document, "channels ", ch,
                              " mode ", int(mode), " threshold ", threshold);
            }
    }
}

TEST_CASE("grey and RGBA inputs are accepted; alpha kept, or composited over params.background") {
    vecta::image<std::uint8_t> rgba(8, 8, 4, 0);  // fully transparent: no path at all
    const auto r = vecta::vectorize(rgba.view(), {.colors = 2});
    CHECK(r.document.find("<path") == std::string::npos);
    CHECK(r.document.find("<rect") == std::string::npos);
    vecta::vectorize_params over_white{.colors = 2};
    over_white.background = std::array<std::uint8_t, 3>{255, 255, 255};
    CHECK(vecta::vectorize(rgba.view(), over_white).document.find("#fff") != std::string::npos);
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

namespace {
std::vector<fs::path> pngs(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".png") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}
}  // namespace

// Issue 10's W4 acceptance on icons: median PSNR >= 2 dB above the better peer (imagetracerjs,
// 27.61 dB; vtracer 26.23 dB, both measured by tools/w4_compare.sh on this corpus) and median
// SVG bytes <= vtracer's (5,428). vecta measured 35.7 dB and 3,018 bytes; the bounds keep a margin.
TEST_CASE("icons of the shared corpus: median PSNR >= 29.61 dB with median SVG <= 5428 bytes") {
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !fs::exists(dir / "icons")) {
        std::cout << "[skip] shared data not found (set VECTA_DATA_DIR): icon PSNR test skipped\n";
        return;
    }
    auto icons = pngs(dir / "icons");
    REQUIRE(!icons.empty());
    std::vector<double> scores, bytes;
    for (const auto& p : icons) {
        const auto rgb = vecta::io::load_image(p, {.channels = 3});
        const auto r = vecta::vectorize(vecta::par, rgb.view());
        scores.push_back(vecta_test::psnr(rgb, render(r.document, rgb.width(), rgb.height(), "icon")));
        bytes.push_back(double(r.stats.bytes));
    }
    const double m = median(scores), b = median(bytes);
    std::cout << "[figure] " << icons.size() << " icons: median PSNR " << m << " dB, min "
              << *std::min_element(scores.begin(), scores.end()) << ", median bytes " << b << "\n";
    CHECK(m >= 29.61);
    CHECK(b <= 5428);
    // Issue 19: no loss against the icons' output when it was filed (35.65 dB median at 3,011
    // bytes); the 1 px lines kept since cost bytes, won back by whole-number user units (3,103 ->
    // 2,594 bytes, docs/vectorize.md "Pipeline" step 7).
    CHECK(m >= 35.65);
    CHECK(b <= 3011);
}

// Issue 10's W4 acceptance on line art: binary mode at least potrace's median PSNR (30.29 dB)
// with no more bytes (1,527), potrace 1.16 defaults measured by tools/w4_compare.sh.
TEST_CASE("line art in binary mode: median PSNR >= potrace's 30.29 dB with <= 1527 bytes") {
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !fs::exists(dir / "lineart")) {
        std::cout << "[skip] shared data not found (set VECTA_DATA_DIR): line-art test skipped\n";
        return;
    }
    const auto files = pngs(dir / "lineart");
    REQUIRE(!files.empty());
    std::vector<double> scores, bytes;
    for (const auto& p : files) {
        const auto gray = vecta::io::load_image(p, {.channels = 1});
        const auto rgb = vecta::io::load_image(p, {.channels = 3});
        const auto r = vecta::vectorize(vecta::par, gray.view(), {.mode = vecta::trace_mode::binary});
        CHECK(r.document.find("<rect") == std::string::npos);  // transparent background
        scores.push_back(vecta_test::psnr(rgb, render(r.document, rgb.width(), rgb.height(), "lineart")));
        bytes.push_back(double(r.stats.bytes));
    }
    std::cout << "[figure] " << files.size() << " line-art files, binary mode: median PSNR " << median(scores)
              << " dB, median bytes " << median(bytes) << "\n";
    CHECK(median(scores) >= 30.29);
    CHECK(median(bytes) <= 1527);
}

// Issue 16's acceptance: on every line-art file, binary mode's render is at least as close to
// the input as potrace's (potrace -s on the same threshold, rendered the same way), with no
// more median bytes. Runs the installed potrace (a black-box peer); skipped without it.
TEST_CASE("line art in binary mode: PSNR >= potrace -s on every file, median bytes <= potrace's") {
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !fs::exists(dir / "lineart") || std::system("potrace --version > /dev/null 2>&1") != 0) {
        std::cout << "[skip] shared data or potrace not found: per-file potrace comparison skipped\n";
        return;
    }
    std::vector<double> ours, theirs;
    for (const auto& p : pngs(dir / "lineart")) {
        CAPTURE(p.filename().string());
        const auto gray = vecta::io::load_image(p, {.channels = 1});
        const auto rgb = vecta::io::load_image(p, {.channels = 3});
        // The input of potrace: luma < 128 is ink, as a raw PBM (P4, 1 = black, rows padded to bytes).
        const std::size_t w = gray.width(), h = gray.height(), stride = (w + 7) / 8;
        std::string pbm = "P4\n" + std::to_string(w) + " " + std::to_string(h) + "\n";
        std::string bits(stride * h, '\0');
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x)
                if (gray(x, y) < 128) bits[y * stride + x / 8] = char(bits[y * stride + x / 8] | (0x80 >> (x % 8)));
        const auto pbm_path = vecta_test::render_dir() / "potrace_in.pbm",
                   svg_path = vecta_test::render_dir() / "potrace_out.svg";
        vecta::io::write_file_atomic(pbm_path, pbm + bits);
        REQUIRE(std::system(("potrace -s -o '" + svg_path.string() + "' '" + pbm_path.string() + "'").c_str()) == 0);
        const auto svg_bytes = vecta::io::read_file(svg_path);
        const std::string potrace_svg(svg_bytes.begin(), svg_bytes.end());
        const auto r = vecta::vectorize(vecta::par, gray.view(), {.mode = vecta::trace_mode::binary});
        const double a = vecta_test::psnr(rgb, render(r.document, w, h, "lineart_vecta"));
        const double b = vecta_test::psnr(rgb, render(potrace_svg, w, h, "lineart_potrace"));
        CAPTURE(a);
        CAPTURE(b);
        CHECK(a >= b);
        ours.push_back(double(r.document.size()));
        theirs.push_back(double(potrace_svg.size()));
    }
    CHECK(median(ours) <= median(theirs));
}

TEST_CASE("binary mode: a filled square keeps its 4 corners exactly, a disk becomes curves") {
    vecta::image<std::uint8_t> im(40, 40, 1, 255);
    for (std::size_t y = 8; y < 30; ++y)
        for (std::size_t x = 5; x < 25; ++x) im(x, y) = 0;
    const auto sq = vecta::vectorize(im.view(), {.mode = vecta::trace_mode::binary});
    // One path: a move and 4 axis-aligned lines (the last closed by z), at the pixel edges.
    CHECK(sq.stats.paths == 1);
    CHECK(sq.stats.nodes == 4);  // m, then 3 lines; z closes
    CHECK(sq.document.find("d=\"m5 8h20v22h-20z\"") != std::string::npos);
    const auto back = render(sq.document, 40, 40, "square");
    vecta::image<std::uint8_t> rgb(40, 40, 3);
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 40; ++x)
            for (std::size_t c = 0; c < 3; ++c) rgb(x, y, c) = im(x, y);
    CHECK(vecta_test::psnr(rgb, back) > 50.0);

    vecta::image<std::uint8_t> disk(64, 64, 1, 255);
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x) {
            const double dx = double(x) + 0.5 - 32, dy = double(y) + 0.5 - 31;
            if (dx * dx + dy * dy < 20.0 * 20.0) disk(x, y) = 0;
        }
    const auto d = vecta::vectorize(disk.view(), {.mode = vecta::trace_mode::binary});
    CHECK(d.document.find('c') != std::string::npos);
    const auto d0 = d.document.find(" d=\"") + 4;
    const std::string dd = d.document.substr(d0, d.document.find('"', d0) - d0);
    CHECK(dd.find_first_of("hvl") == std::string::npos);  // no straight runs on a circle
    CHECK(d.stats.nodes <= 12);                           // a handful of cubics (potrace: 4 to 8)
    vecta::image<std::uint8_t> drgb(64, 64, 3);
    for (std::size_t y = 0; y < 64; ++y)
        for (std::size_t x = 0; x < 64; ++x)
            for (std::size_t c = 0; c < 3; ++c) drgb(x, y, c) = disk(x, y);
    const double p = vecta_test::psnr(drgb, render(d.document, 64, 64, "bdisk"));
    std::cout << "[figure] binary disk r=20: " << d.stats.nodes << " nodes, PSNR " << p << " dB\n";
    CHECK(p > 21.0);  // the input is aliased: the anti-aliased render differs on every edge pixel
}

TEST_CASE("the speckle filter merges small regions into their neighbour; 0 keeps them") {
    vecta::image<std::uint8_t> im(32, 32, 3, 255);
    for (std::size_t y = 4; y < 28; ++y)
        for (std::size_t x = 4; x < 28; ++x) im(x, y, 1) = im(x, y, 2) = 0;    // red square
    for (std::size_t c = 0; c < 3; ++c) im(15, 15, c) = 0, im(16, 15, c) = 0;  // 2-pixel black speck
    const auto merged =
        vecta::vectorize(im.view(), {.colors = 4, .palette = vecta::palette_mode::kmeans, .speckle = 3});
    const auto kept = vecta::vectorize(im.view(), {.colors = 4, .palette = vecta::palette_mode::kmeans, .speckle = 0});
    CHECK(merged.stats.regions == 2);
    CHECK(kept.stats.regions == 3);
    CHECK(merged.document.find("#000") == std::string::npos);
    CHECK(kept.document.find("#000") != std::string::npos);
}

TEST_CASE("stacked regions leave no seam of the background between neighbours") {
    // A white band on top (the background), red and blue below, meeting along a sine curve:
    // every rendered pixel away from the white band must be a red/blue mix, with no white in it.
    vecta::image<std::uint8_t> im(96, 64, 3, 255);
    for (std::size_t y = 16; y < 64; ++y)
        for (std::size_t x = 0; x < 96; ++x) {
            const bool red = double(x) + 0.5 < 48 + 10 * std::sin(double(y) * 0.2);
            im(x, y, 0) = red ? 220 : 0;
            im(x, y, 1) = 0;
            im(x, y, 2) = red ? 0 : 200;
        }
    const auto r = vecta::vectorize(im.view());
    const auto back = render(r.document, 96, 64, "seam");
    int worst = 0;
    for (std::size_t y = 18; y < 64; ++y)
        for (std::size_t x = 0; x < 96; ++x) worst = std::max(worst, int(back(x, y, 1)));
    CHECK(worst <= 8);  // green stays ~0: no white shows through between red and blue
}

TEST_CASE("flat-colour icons get a small automatic palette; photos fall back to k-means") {
    vecta::image<std::uint8_t> im(48, 48, 3, 255);
    for (std::size_t y = 0; y < 48; ++y)
        for (std::size_t x = 0; x < 48; ++x) {
            const double dx = double(x) + 0.5 - 24, dy = double(y) + 0.5 - 24, d = std::sqrt(dx * dx + dy * dy);
            const double a = std::clamp(16.5 - d, 0.0, 1.0);  // anti-aliased disk
            im(x, y, 0) = std::uint8_t(std::lround(255 * (1 - a) + 30 * a));
            im(x, y, 1) = std::uint8_t(std::lround(255 * (1 - a) + 120 * a));
            im(x, y, 2) = std::uint8_t(std::lround(255 * (1 - a) + 200 * a));
        }
    const auto r = vecta::vectorize(im.view());
    CHECK(r.stats.colors == 2);  // the anti-aliasing tones are not palette entries
    CHECK(r.stats.paths == 2);
    const auto photo = vecta::io::load_image(vecta_test::repo_dir() / "examples/data/chelsea.png", {.channels = 3});
    // k-means with 24 entries shapes the regions; by default (region_colors = 256) they are
    // painted with up to 256 fills from their mean colours, with region_colors = 0 in the 24.
    const auto filled = vecta::vectorize(photo.view());
    CHECK(filled.stats.colors > 24);
    CHECK(filled.stats.colors <= 256);
    vecta::vectorize_params palette_only{};
    palette_only.region_colors = 0;
    CHECK(vecta::vectorize(photo.view(), palette_only).stats.colors == 24);
}

TEST_CASE("centerline mode: a pen stroke becomes one round-capped stroked path; paper gives none") {
    // A 5 px wide horizontal bar from x = 10 to 69 at y = 20..24 on white, RGBA (opaque).
    vecta::image<std::uint8_t> im(80, 40, 4, 255);
    for (std::size_t y = 20; y < 25; ++y)
        for (std::size_t x = 10; x < 70; ++x) im(x, y, 0) = im(x, y, 1) = im(x, y, 2) = 0;
    vecta::vectorize_params p{.mode = vecta::trace_mode::centerline};
    const auto r = vecta::vectorize(vecta::par, im.view(), p);
    CHECK(r.stats.paths == 1);
    CHECK(r.document.find("stroke-linecap=\"round\"") != std::string::npos);
    CHECK(r.document.find("fill=\"none\"") != std::string::npos);
    CHECK(r.stats.bytes == r.document.size());
    vecta::image<std::uint8_t> rgb(80, 40, 3, 255);
    for (std::size_t y = 20; y < 25; ++y)
        for (std::size_t x = 10; x < 70; ++x) rgb(x, y, 0) = rgb(x, y, 1) = rgb(x, y, 2) = 0;
    const auto back = render(r.document, 80, 40, "centerline-bar");
    CHECK(vecta_test::psnr(rgb, back) > 15.0);  // round caps add half discs at the ends

    vecta::image<std::uint8_t> paper(30, 20, 1, 255);
    const auto e = vecta::vectorize(paper.view(), p);
    CHECK(e.stats.paths == 0);
    CHECK(e.document.find("<path") == std::string::npos);
    vecta::vectorize_params capped = p;
    capped.max_paths = 1;
    CHECK_NOTHROW(vecta::vectorize(im.view(), capped));
    vecta::image<std::uint8_t> two = rgb;  // a second bar: two strokes
    for (std::size_t y = 30; y < 35; ++y)
        for (std::size_t x = 10; x < 70; ++x) two(x, y, 0) = two(x, y, 1) = two(x, y, 2) = 0;
    CHECK_THROWS_WITH_AS(vecta::vectorize(two.view(), capped), doctest::Contains("params.max_paths"),
                         vecta::invalid_argument);
    capped = p;
    capped.max_nodes = 2;
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), capped), doctest::Contains("params.max_nodes"),
                         vecta::invalid_argument);
    p.threshold = 0;  // nothing is darker than 0
    CHECK(vecta::vectorize(im.view(), p).stats.paths == 0);
    p.threshold = 128;
    p.centerline.spur_ratio = -1;
    CHECK_THROWS_WITH_AS(vecta::vectorize(im.view(), p),
                         doctest::Contains("vecta::vectorize: params.centerline.spur_ratio"), vecta::invalid_argument);
}
