// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <random>
#include <string>
#include <vecta/svg/document.hpp>
#include <vecta/svg/path_builder.hpp>
#include <vector>

#include "vectorize_once.hpp"

namespace {
// An independent reader of SVG path data (SVG 1.1 grammar for m l h v c z, relative and
// absolute), returning every on-curve and control point in absolute coordinates.
struct parsed {
    std::vector<std::array<double, 2>> points;
    std::string commands;
};

parsed parse_path(const std::string& d) {
    parsed out;
    std::size_t i = 0;
    auto skip = [&] {
        while (i < d.size() && (d[i] == ' ' || d[i] == ',')) ++i;
    };
    auto number = [&]() -> double {
        skip();
        std::size_t j = i;
        if (d[j] == '-' || d[j] == '+') ++j;
        bool dot = false;
        while (j < d.size() && (std::isdigit(static_cast<unsigned char>(d[j])) || (d[j] == '.' && !dot))) {
            if (d[j] == '.') dot = true;
            ++j;
        }
        const double v = std::stod(d.substr(i, j - i));
        i = j;
        return v;
    };
    auto has_number = [&] {
        skip();
        return i < d.size() && (std::isdigit(static_cast<unsigned char>(d[i])) || d[i] == '-' || d[i] == '.');
    };
    double cx = 0, cy = 0, sx = 0, sy = 0;
    char cmd = 0;
    while (true) {
        skip();
        if (i >= d.size()) break;
        if (std::isalpha(static_cast<unsigned char>(d[i])))
            cmd = d[i++];
        else if (cmd == 'm')
            cmd = 'l';
        else if (cmd == 'M')
            cmd = 'L';
        out.commands += cmd;
        const bool rel = std::islower(static_cast<unsigned char>(cmd));
        const double ox = rel ? cx : 0, oy = rel ? cy : 0;
        switch (std::tolower(cmd)) {
            case 'm':
            case 'l': {
                const double x = number() + ox, y = number() + oy;
                cx = x;
                cy = y;
                if (std::tolower(cmd) == 'm') sx = x, sy = y;
                out.points.push_back({x, y});
                break;
            }
            case 'h':
                cx = number() + ox;
                out.points.push_back({cx, cy});
                break;
            case 'v':
                cy = number() + oy;
                out.points.push_back({cx, cy});
                break;
            case 'c': {
                for (int k = 0; k < 3; ++k) {
                    const double x = number() + ox, y = number() + oy;
                    out.points.push_back({x, y});
                    if (k == 2) cx = x, cy = y;
                }
                break;
            }
            case 'z':
                cx = sx;
                cy = sy;
                break;
            default: FAIL("unexpected command " << cmd);
        }
        (void)has_number;
    }
    return out;
}
}  // namespace

TEST_CASE("path data round-trips through an independent parser within the rounding step") {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(-50.0, 300.0);
    for (int precision : {0, 1, 2, 3, 6}) {
        vecta::svg::path_builder b(precision);
        std::vector<std::array<double, 2>> expected;
        for (int sub = 0; sub < 5; ++sub) {
            double x = u(rng), y = u(rng);
            b.move_to(x, y);
            expected.push_back({x, y});
            for (int k = 0; k < 20; ++k) {
                if (k % 3 == 0) {
                    double pts[6];
                    for (double& p : pts) p = u(rng);
                    b.cubic_to(pts[0], pts[1], pts[2], pts[3], pts[4], pts[5]);
                    for (int j = 0; j < 3; ++j) expected.push_back({pts[2 * j], pts[2 * j + 1]});
                } else {
                    // Mix axis-aligned and general lines.
                    const double nx = (k % 3 == 1) ? u(rng) : expected.back()[0];
                    const double ny = u(rng);
                    b.line_to(nx, ny);
                    expected.push_back({nx, ny});
                }
            }
            b.close();
        }
        const auto p = parse_path(b.str());
        REQUIRE(p.points.size() == expected.size());
        const double tol = 0.5 * std::pow(10.0, -precision) + 1e-9;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            CHECK(std::abs(p.points[i][0] - expected[i][0]) <= tol);
            CHECK(std::abs(p.points[i][1] - expected[i][1]) <= tol);
        }
    }
}

TEST_CASE("path data is compact") {
    vecta::svg::path_builder b(1);
    b.move_to(10, 10);
    b.line_to(20, 10);
    b.line_to(20, 20.5);
    b.line_to(20.5, 21);
    b.line_to(20.5, 21);  // zero-length: dropped
    b.line_to(21, 20);
    b.close();
    CHECK(b.str() == "m10 10h10v10.5l.5.5.5-1z");
    CHECK(b.nodes() == 5);
}

TEST_CASE("hex colours use the short form when exact") {
    CHECK(vecta::svg::hex_color({255, 0, 17}) == "#f01");
    CHECK(vecta::svg::hex_color({254, 0, 17}) == "#fe0011");
}

TEST_CASE("the document wraps paths in an svg element of the right size") {
    vecta::svg::document doc(30, 20);
    doc.add_background({255, 255, 255});
    doc.add_path("m0 0h1v1h-1z", {1, 2, 3});
    doc.add_path("", {1, 2, 3});
    const auto s = doc.str();
    CHECK(doc.paths() == 2);
    CHECK(s.find("viewBox=\"0 0 30 20\"") != std::string::npos);
    CHECK(s.find("<path fill=\"#010203\" d=\"m0 0h1v1h-1z\"/>") != std::string::npos);
    CHECK(s.rfind("</svg>") != std::string::npos);
}

TEST_CASE("svg writers reject bad arguments by name") {
    CHECK_THROWS_WITH_AS(vecta::svg::path_builder(7), doctest::Contains("precision"), vecta::invalid_argument);
    vecta::svg::path_builder b;
    CHECK_THROWS_WITH_AS(b.move_to(std::nan(""), 0), doctest::Contains("move_to"), vecta::invalid_argument);
    CHECK_THROWS_AS(b.line_to(INFINITY, 0), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::document(0, 5), doctest::Contains("width"), vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::svg::document(5, 0), doctest::Contains("height"), vecta::invalid_argument);
}

TEST_CASE("vectorize output parses back: every path's data is valid, points stay near the canvas") {
    // Three nested shapes and a two-colour split: several subpaths per <path>, relative moves
    // after z, curves and lines.
    vecta::image<std::uint8_t> im(60, 40, 3, 255);
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < 60; ++x) {
            const double dx = double(x) + 0.5 - 20, dy = double(y) + 0.5 - 20, r2 = dx * dx + dy * dy;
            std::uint8_t* p = &im(x, y, 0);
            if (r2 < 15.0 * 15.0) p[0] = 200, p[1] = 20, p[2] = 20;
            if (r2 < 8.0 * 8.0) p[0] = 255, p[1] = 255, p[2] = 255;
            if (r2 < 3.0 * 3.0) p[0] = 10, p[1] = 10, p[2] = 10;
            if (x >= 42 && y >= 5 && y < 35) p[0] = 20, p[1] = 20, p[2] = 200;
        }
    const auto r = vecta::vectorize(im.view());
    std::size_t pos = 0, paths = 0, moves = 0;
    while ((pos = r.document.find(" d=\"", pos)) != std::string::npos) {
        pos += 4;
        const std::string d = r.document.substr(pos, r.document.find('"', pos) - pos);
        const auto parsed = parse_path(d);
        ++paths;
        for (const char c : parsed.commands) {
            CHECK(std::string("mlhvcz").find(c) != std::string::npos);  // relative commands only
            moves += c == 'm';
        }
        const double u = r.stats.units_per_pixel;  // user units per pixel (viewBox width / width)
        for (const auto& pt : parsed.points) {
            CHECK(pt[0] / u >= -1.0);
            CHECK(pt[0] / u <= 61.0);
            CHECK(pt[1] / u >= -1.0);
            CHECK(pt[1] / u <= 41.0);
        }
    }
    CHECK(r.document.find("viewBox=\"0 0 " + std::to_string(60 * r.stats.units_per_pixel) + " " +
                          std::to_string(40 * r.stats.units_per_pixel) + "\"") != std::string::npos);
    CHECK(paths + 1 == r.stats.paths);    // plus the background rectangle
    CHECK(moves == r.stats.regions - 1);  // one subpath per region but the background one
}
