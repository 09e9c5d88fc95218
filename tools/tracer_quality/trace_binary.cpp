// SPDX-License-Identifier: MIT
// trace_binary IN.png OUT.svg [alphamax] [opttolerance]: the black-box harness of
// tools/tracer_quality/tracer_quality.py. Reads a grey PNG, ink = luma < 128, splits it into
// 4-connected regions (vecta::trace_regions), fits each region's outline with
// vecta::fit_outline_curve and writes an SVG painted as vecta::vectorize's binary mode paints:
// on a white page, the ink regions and the paper regions off the image border (holes), black or
// white, in order of decreasing enclosed area; outline vertices on the image frame are pushed
// one pixel outward first. Paper regions on the border are not drawn: painting them over the
// ink would draw every ink/page boundary twice, the second time white over the anti-aliased
// black edge (about +0.6 dB of error on adwaita-face-monkey). Prints "fit_ms vertices
// segments" (the time of the fit_outline_curve calls alone, best of 5) on stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vecta/geometry/outline_curve.hpp>
#include <vecta/geometry/trace_regions.hpp>
#include <vecta/io/image_file.hpp>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: trace_binary IN.png OUT.svg [alphamax] [opttolerance]\n");
        return 2;
    }
    vecta::outline_curve_params params;
    if (argc > 3) params.alphamax = std::atof(argv[3]);
    if (argc > 4) params.opttolerance = std::atof(argv[4]);
    const auto img = vecta::io::load_image(argv[1], {.channels = 1});
    vecta::image<std::uint8_t> ink(img.width(), img.height(), 1);
    for (std::size_t y = 0; y < img.height(); ++y)
        for (std::size_t x = 0; x < img.width(); ++x) ink(x, y) = img(x, y) < 128 ? 1 : 0;
    auto regions = vecta::trace_regions(ink);
    const int w = int(img.width()), h = int(img.height());
    std::vector<bool> drawn(regions.size());
    for (std::size_t i = 0; i < regions.size(); ++i) {
        bool border = false;
        for (auto& p : regions[i].outline) {
            border = border || p.x == 0 || p.y == 0 || p.x == w || p.y == h;
            p.x = p.x == 0 ? -1 : p.x == w ? w + 1 : p.x;  // the frame pushed out, as vectorize does
            p.y = p.y == 0 ? -1 : p.y == h ? h + 1 : p.y;
        }
        drawn[i] = regions[i].label != 0 || !border;
    }
    std::vector<std::size_t> order(regions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return regions[a].enclosed_area > regions[b].enclosed_area; });
    std::vector<vecta::closed_curve> curves(regions.size());
    double best = 1e300;
    std::size_t vertices = 0;
    for (std::size_t i = 0; i < regions.size(); ++i) vertices += drawn[i] ? regions[i].outline.size() : 0;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < regions.size(); ++i)
            if (drawn[i]) curves[i] = vecta::fit_outline_curve(regions[i].outline, params);
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(img.width()) +
                      "\" height=\"" + std::to_string(img.height()) + "\" viewBox=\"0 0 " +
                      std::to_string(img.width()) + " " + std::to_string(img.height()) +
                      "\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
    char buf[256];
    auto num = [&](double v) {
        std::snprintf(buf, sizeof buf, "%.2f", v);
        return std::string(buf);
    };
    std::size_t segments = 0;
    for (const std::size_t i : order) {
        const auto& c = curves[i].segments;
        if (c.empty()) continue;
        segments += c.size();
        std::string d = "M" + num(c.back().end.x) + " " + num(c.back().end.y);
        for (const auto& s : c) {
            if (s.type == vecta::curve_segment::kind::corner)
                d += "L" + num(s.vertex.x) + " " + num(s.vertex.y) + "L" + num(s.end.x) + " " + num(s.end.y);
            else
                d += "C" + num(s.c1.x) + " " + num(s.c1.y) + " " + num(s.c2.x) + " " + num(s.c2.y) + " " +
                     num(s.end.x) + " " + num(s.end.y);
        }
        svg += "<path fill=\"" + std::string(regions[i].label ? "#000" : "#fff") + "\" d=\"" + d + "Z\"/>\n";
    }
    svg += "</svg>\n";
    vecta::io::write_file_atomic(argv[2], svg);
    std::printf("%.3f %zu %zu\n", best, vertices, segments);
    return 0;
}
