// SPDX-License-Identifier: MIT
// edges: edge map of an image with Canny or Sobel.
//   edges INPUT -o OUTPUT.png --method canny|sobel [--low L --high H] [--l2] [--blur K] [--threshold T]
// Loads INPUT as gray (BT.601), optionally blurs it with a K x K Gaussian (sigma from K as
// OpenCV), and writes a white-on-black edge map: Canny with hysteresis thresholds L < H (OpenCV
// semantics, 3x3 Sobel, L1 magnitude unless --l2), or the thresholded Sobel L2 magnitude (> T).
// Prints the edge-pixel count and the time of the edge step.
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/sobel.hpp>
#include <vecta/io/image_file.hpp>

namespace {
constexpr const char* usage =
    "usage: edges INPUT -o OUTPUT.png --method canny|sobel [--low L --high H] [--l2] [--blur K] [--threshold T]\n"
    "  Writes the edge map of INPUT (any image stb reads; converted to gray) to OUTPUT (.png or .jpg):\n"
    "  255 on edges, 0 elsewhere.\n"
    "  --method canny    Canny as cv::Canny: hysteresis thresholds --low (default 50) and --high\n"
    "                    (default 150) on the 3x3 Sobel magnitude, |dx| + |dy| unless --l2\n"
    "  --method sobel    pixels whose Sobel magnitude sqrt(dx^2 + dy^2) is > --threshold (default 100)\n"
    "  --blur K          Gaussian blur with an odd K x K kernel first (default 0 = none; 5 is typical)\n"
    "  --pair            write the input (colour) and the edges side by side instead (for figures)\n";

double parse_number(std::string_view flag, const char* text) {
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !std::isfinite(v) || v < 0)
        throw std::invalid_argument(std::string(flag) + " expects a number >= 0, got '" + text + "'");
    return v;
}
}  // namespace

int main(int argc, char** argv) {
    std::string input, output, method;
    double low = 50, high = 150, threshold = 100, blur = 0;
    bool l2 = false, pair = false;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            auto value = [&]() -> const char* {
                if (i + 1 >= argc) throw std::invalid_argument(std::string(a) + " needs a value");
                return argv[++i];
            };
            if (a == "-h" || a == "--help") {
                std::fputs(usage, stdout);
                return 0;
            } else if (a == "-o") {
                output = value();
            } else if (a == "--method") {
                method = value();
                if (method != "canny" && method != "sobel")
                    throw std::invalid_argument("--method must be canny or sobel, got '" + method + "'");
            } else if (a == "--low") {
                low = parse_number(a, value());
            } else if (a == "--high") {
                high = parse_number(a, value());
            } else if (a == "--threshold") {
                threshold = parse_number(a, value());
            } else if (a == "--blur") {
                blur = parse_number(a, value());
                if (blur != std::floor(blur) || (blur != 0 && std::fmod(blur, 2) != 1) || blur > 31)
                    throw std::invalid_argument("--blur expects 0 or an odd kernel size up to 31");
            } else if (a == "--l2") {
                l2 = true;
            } else if (a == "--pair") {
                pair = true;
            } else if (!a.empty() && a[0] == '-') {
                throw std::invalid_argument("unknown option " + std::string(a));
            } else if (input.empty()) {
                input = a;
            } else {
                throw std::invalid_argument("more than one INPUT given");
            }
        }
        if (input.empty()) throw std::invalid_argument("missing INPUT (see --help)");
        if (output.empty()) throw std::invalid_argument("missing -o OUTPUT");
        if (method.empty()) throw std::invalid_argument("missing --method canny|sobel");
        if (low > high) throw std::invalid_argument("--low must be <= --high");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "edges: %s\n", e.what());
        return 2;
    }

    try {
        auto gray = vecta::io::load_image(input, {.channels = 1});
        if (blur > 0) {
            vecta::image<std::uint8_t> blurred(gray.width(), gray.height());
            vecta::gaussian_blur(vecta::par, gray, blurred, {.ksize = std::size_t(blur)});
            gray = std::move(blurred);
        }
        const auto t0 = std::chrono::steady_clock::now();
        vecta::image<std::uint8_t> edges;
        if (method == "canny") {
            edges = vecta::image<std::uint8_t>(gray.width(), gray.height());
            vecta::canny(vecta::par, gray, edges, {.low = low, .high = high, .l2_gradient = l2});
        } else {
            edges = vecta::detect_edges_sobel(vecta::par, gray, threshold);
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::size_t n = 0;
        for (std::size_t i = 0; i < edges.size(); ++i) n += edges.data()[i] != 0;
        if (pair) {
            // Input in colour | 8 white columns | edges in white on black.
            const auto rgb = vecta::io::load_image(input, {.channels = 3});
            const std::size_t w = rgb.width(), h = rgb.height(), gap = 8;
            vecta::image<std::uint8_t> both(2 * w + gap, h, 3, 255);
            for (std::size_t y = 0; y < h; ++y)
                for (std::size_t x = 0; x < w; ++x)
                    for (std::size_t c = 0; c < 3; ++c) {
                        both(x, y, c) = rgb(x, y, c);
                        both(w + gap + x, y, c) = edges(x, y);
                    }
            vecta::io::save_image(output, both);
        } else {
            vecta::io::save_image(output, edges);
        }
        std::printf("%zux%zu, %zu edge pixels (%.2f %%), %s in %.2f ms\n", edges.width(), edges.height(), n,
                    100.0 * double(n) / double(edges.size()), method.c_str(), ms);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "edges: %s\n", e.what());
        return 1;
    }
    return 0;
}
