// SPDX-License-Identifier: MIT
// vecta::write_dxf (vecta/export/dxf.hpp): the file read back by ezdxf (a black-box reader,
// tests/export/check_dxf.py) against the SVG of the same trace on the repository's fixtures;
// the flattening bound against brute force; the group codes of a known square; bad arguments.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vecta/export/dxf.hpp>
#include <vector>

#include "fixtures.hpp"
#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace {

/// The DXF's (code, value) pairs.
std::vector<std::pair<int, std::string>> groups(const std::string& dxf) {
    std::vector<std::pair<int, std::string>> out;
    std::istringstream in(dxf);
    std::string code, value;
    while (std::getline(in, code) && std::getline(in, value)) out.emplace_back(std::stoi(code), value);
    return out;
}

double dist_to_segment(vecta::point2d p, vecta::point2d a, vecta::point2d b) {
    const double dx = b.x - a.x, dy = b.y - a.y, l = dx * dx + dy * dy;
    const double t = l > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / l, 0.0, 1.0) : 0.0;
    return std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
}

}  // namespace

TEST_CASE("write_dxf: a square and a cubic, group by group") {
    vecta::vector_paths g{.width = 10, .height = 8, .paths = {}};
    g.paths.push_back(vecta::rectangle_path(1, 2, 4, 6, {200, 10, 30}));
    vecta::vector_path c;
    c.color = {0, 0, 0};
    c.move_to(0, 0);
    c.cubic_to(0, 4, 8, 4, 8, 0);  // a bulge of height 3
    c.close();
    g.paths.push_back(c);
    std::ostringstream os;
    const std::size_t n = vecta::write_dxf(g, os, {.tolerance = 0.01, .scale = 2, .precision = 3});
    CHECK(n == 2);
    const auto gr = groups(os.str());
    REQUIRE(gr.size() > 10);
    CHECK(gr[0] == std::pair<int, std::string>{0, "SECTION"});
    CHECK(gr.back() == std::pair<int, std::string>{0, "EOF"});
    std::map<std::string, std::string> header;
    for (std::size_t i = 0; i + 1 < gr.size(); ++i)
        if (gr[i].first == 9) header[gr[i].second] = gr[i + 1].second;
    CHECK(header["$ACADVER"] == "AC1015");
    // The square: y flipped ((x, 8 - y) * 2), closed, true colour 200,10,30 = 0xC80A1E.
    std::vector<std::vector<vecta::point2d>> polys;
    std::vector<long long> colours, flags;
    for (std::size_t i = 0; i < gr.size(); ++i) {
        if (gr[i] == std::pair<int, std::string>{0, "LWPOLYLINE"}) polys.emplace_back();
        if (polys.empty()) continue;
        if (gr[i].first == 420) colours.push_back(std::stoll(gr[i].second));
        if (gr[i].first == 70) flags.push_back(std::stoll(gr[i].second));
        if (gr[i].first == 10) polys.back().push_back({std::stod(gr[i].second), std::stod(gr[i + 1].second)});
    }
    REQUIRE(polys.size() == 2);
    CHECK(polys[0] == std::vector<vecta::point2d>{{2, 12}, {8, 12}, {8, 4}, {2, 4}});
    CHECK(colours == std::vector<long long>{0xC80A1E, 0});
    CHECK(flags == std::vector<long long>{1, 1});
    // The cubic: every point of it (dense sampling) within tolerance x scale of the polyline.
    const auto& p = polys[1];
    CHECK(p.size() > 8);
    double worst = 0;
    for (int i = 0; i <= 2000; ++i) {
        const double t = i / 2000.0, u = 1 - t;
        const vecta::point2d q{2 * (3 * u * t * t * 8 + t * t * t * 8),
                               2 * (8 - (3 * u * u * t * 4 + 3 * u * t * t * 4))};
        double d = std::numeric_limits<double>::max();
        for (std::size_t k = 0; k < p.size(); ++k) d = std::min(d, dist_to_segment(q, p[k], p[(k + 1) % p.size()]));
        worst = std::max(worst, d);
    }
    CHECK(worst <= 0.02 + 1e-3);
    std::cout << "[figure] cubic of height 3 px at tolerance 0.01: " << p.size() - 1 << " chords, worst " << worst / 2
              << " px\n";
}

TEST_CASE("cubic_flatten_steps: the bound holds on random cubics (brute force)") {
    std::uint64_t s = 12345;
    auto rnd = [&] {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return double(s >> 11) / double(1ull << 53) * 100 - 50;
    };
    for (int trial = 0; trial < 200; ++trial) {
        const vecta::point2d p0{rnd(), rnd()}, c1{rnd(), rnd()}, c2{rnd(), rnd()}, p3{rnd(), rnd()};
        const double tol = trial % 2 ? 0.05 : 0.5;
        const std::size_t n = vecta::cubic_flatten_steps(p0, c1, c2, p3, tol);
        auto at = [&](double t) {
            const double u = 1 - t;
            return vecta::point2d{u * u * u * p0.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * p3.x,
                                  u * u * u * p0.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * p3.y};
        };
        double worst = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (int j = 0; j <= 20; ++j) {
                const double t = (double(i) + j / 20.0) / double(n);
                worst =
                    std::max(worst, dist_to_segment(at(t), at(double(i) / double(n)), at(double(i + 1) / double(n))));
            }
        CHECK(worst <= tol);
    }
}

TEST_CASE("nearest_aci: exact entries and the greys") {
    CHECK(vecta::nearest_aci({255, 0, 0}) == 1);
    CHECK(vecta::nearest_aci({0, 0, 255}) == 5);
    CHECK(vecta::nearest_aci({0, 0, 0}) == 7);
    CHECK(vecta::nearest_aci({255, 255, 255}) == 255);
    CHECK(vecta::nearest_aci({165, 0, 0}) == 12);
    CHECK(vecta::nearest_aci({255, 159, 127}) == 21);  // hue 15 degrees, half saturated
    CHECK(vecta::nearest_aci({132, 132, 132}) == 252);
}

TEST_CASE("write_dxf on the repository's icon and line drawing: read back by ezdxf, equal to the SVG") {
    if (std::system("/usr/bin/python3 -c 'import ezdxf, numpy, PIL' 2>/dev/null") != 0) {
        std::cout << "[skip] /usr/bin/python3 with ezdxf, numpy and PIL not found (tools/bootstrap.sh installs them)\n";
        return;
    }
    const auto dir = vecta_test::render_dir();
    const double tol = 0.05;
    for (auto f : {vecta_test::icon_fixture(), vecta_test::lineart_fixture()}) {
        CAPTURE(f.name);
        const auto svg = dir / ("dxf_" + f.name + ".svg"), dxf = dir / ("dxf_" + f.name + ".dxf"),
                   png = dir / ("dxf_" + f.name + ".png");
        vecta::io::write_file_atomic(svg, f.traced.document);
        {
            std::ofstream out(dxf, std::ios::binary);
            const std::size_t n = vecta::write_dxf(f.traced.paths, out, {.tolerance = tol});
            std::size_t subpaths = 0;
            for (const auto& p : f.traced.paths.paths) subpaths += p.subpaths();
            CHECK(n == subpaths);
        }
        vecta::io::save_image(png, f.svg_render.view());
        const std::string cmd = "/usr/bin/python3 '" + (vecta_test::repo_dir() / "tests/export/check_dxf.py").string() +
                                "' '" + svg.string() + "' '" + dxf.string() + "' '" + png.string() + "' " +
                                std::to_string(tol) + " 36";
        std::cout << "[figure] " << f.name << ": ";
        std::cout.flush();
        CHECK(std::system(cmd.c_str()) == 0);
    }
}

TEST_CASE("vectorize keep_paths: the same SVG bytes, one path per element, in each mode") {
    const auto icon = vecta_test::icon_fixture();
    for (auto mode : {vecta::trace_mode::color, vecta::trace_mode::binary, vecta::trace_mode::centerline}) {
        vecta::vectorize_params p{.mode = mode};
        const auto a = vecta::vectorize(icon.input.view(), p);
        p.keep_paths = true;
        const auto b = vecta::vectorize(icon.input.view(), p);
        CHECK(a.document == b.document);
        CHECK(a.paths.paths.empty());
        CHECK(b.paths.width == 256);
        std::size_t elements = 0;
        for (std::size_t i = b.document.find('<', 1); i != std::string::npos; i = b.document.find('<', i + 1))
            elements += b.document.compare(i, 5, "<path") == 0 || b.document.compare(i, 5, "<rect") == 0;
        CHECK(b.paths.paths.size() == elements);
    }
}

TEST_CASE("write_dxf in centerline mode: one open polyline per stroke, its width as constant width") {
    const auto cam = vecta_test::lineart_fixture();
    const auto r = vecta::vectorize(cam.input.view(), {.mode = vecta::trace_mode::centerline, .keep_paths = true});
    std::size_t strokes = 0, widths = 0;
    for (const auto& p : r.paths.paths) {
        if (p.stroke_width > 0) {
            ++strokes;
            REQUIRE(p.ops.size() >= 2);
        }
    }
    REQUIRE(strokes > 0);
    std::ostringstream os;
    const std::size_t n = vecta::write_dxf(r.paths, os);
    const auto gr = groups(os.str());
    for (std::size_t i = 0; i < gr.size(); ++i) {
        if (gr[i].first == 43) {
            ++widths;
            CHECK(std::stod(gr[i].second) > 0);
        }
    }
    CHECK(widths == strokes);  // each stroke is one subpath (append_centerline_stroke)
    std::cout << "[figure] camera, centerline mode: " << strokes << " strokes, " << n << " DXF entities\n";
}

TEST_CASE("write_dxf: bad arguments name themselves") {
    vecta::vector_paths g{.width = 4, .height = 4, .paths = {vecta::rectangle_path(0, 0, 4, 4, {1, 2, 3})}};
    std::ostringstream os;
    auto throws = [&](const vecta::vector_paths& x, vecta::dxf_params p, const char* what) {
        CHECK_THROWS_WITH_AS(vecta::write_dxf(x, os, p), doctest::Contains(what), vecta::invalid_argument);
    };
    throws(g, {.tolerance = 0}, "params.tolerance");
    throws(g, {.tolerance = std::nan("")}, "params.tolerance");
    throws(g, {.scale = std::numeric_limits<double>::infinity()}, "params.scale");
    throws(g, {.precision = 10}, "params.precision");
    throws(vecta::vector_paths{}, {}, "paths.width");  // vectorize without keep_paths
    auto bad = g;
    bad.paths[0].points.pop_back();
    throws(bad, {}, "paths.paths[0].points");
    bad = g;
    bad.paths[0].ops.insert(bad.paths[0].ops.begin(), vecta::path_op::line);
    bad.paths[0].points.insert(bad.paths[0].points.begin(), vecta::point2d{0, 0});
    throws(bad, {}, "paths.paths[0].ops");
    bad = g;
    bad.paths[0].points[2].x = std::nan("");
    throws(bad, {}, "paths.paths[0].points");
    bad = g;
    bad.paths[0].ops[1] = vecta::path_op(9);
    throws(bad, {}, "paths.paths[0].ops");
    bad = g;
    bad.paths[0].opacity = 2;
    throws(bad, {}, "paths.paths[0].opacity");
    std::ostringstream failed;
    failed.setstate(std::ios::badbit);
    CHECK_THROWS_AS(vecta::write_dxf(g, failed), vecta::io_error);
    // A path with no command and a subpath of one point write nothing, and nothing breaks.
    vecta::vector_paths few{.width = 4, .height = 4, .paths = {vecta::vector_path{}}};
    few.paths[0].move_to(1, 1);
    few.paths[0].close();
    CHECK(vecta::write_dxf(few, os) == 0);
}
