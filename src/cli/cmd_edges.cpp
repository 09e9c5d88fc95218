// SPDX-License-Identifier: MIT
// vecta edges: edge maps (vecta::canny as cv::Canny, or thresholded Sobel) of images as PNG/JPEG.
#include <chrono>
#include <cstdio>
#include <memory>
#include <vecta/imgproc/canny.hpp>
#include <vecta/imgproc/gaussian_blur.hpp>
#include <vecta/imgproc/sobel.hpp>
#include <vecta/io/image_file.hpp>

#include "batch.hpp"
#include "codecs.hpp"
#include "commands.hpp"

namespace vecta::cli {

std::function<int()> add_edges(CLI::App* app) {
    struct options {
        batch_options io;
        std::string method = "canny";
        double low = 50, high = 150, threshold = 100;
        std::size_t blur = 0;
        bool l2 = false, pair = false;
    };
    auto o = std::make_shared<options>();
    app->footer(
        "Input is converted to gray (BT.601). Outputs as for quantize. --stats fields: ms (edge step), "
        "edge_pixels.");
    add_batch_options(*app, o->io, image_patterns);
    choices(app->add_option("--method", o->method,
                            "canny: as cv::Canny (3x3 Sobel, hysteresis); sobel: L2 magnitude > --threshold"),
            {"canny", "sobel"});
    app->add_option("--low", o->low, "Canny hysteresis low threshold, gradient magnitude units")
        ->check(CLI::NonNegativeNumber);
    app->add_option("--high", o->high, "Canny hysteresis high threshold, gradient magnitude units")
        ->check(CLI::NonNegativeNumber);
    app->add_flag("--l2", o->l2, "Canny magnitude sqrt(dx^2 + dy^2) instead of |dx| + |dy|");
    app->add_option("--threshold", o->threshold, "Sobel: edge where the magnitude exceeds T")
        ->check(CLI::NonNegativeNumber);
    app->add_option("--blur", o->blur, "Gaussian blur with an odd K x K kernel first, px (0 = none; 5 is typical)")
        ->check(CLI::Range(0, 31));
    app->add_flag("--pair", o->pair, "write the input in colour and the edges side by side (for figures)");
    auto run = [o]() -> int {
        if (o->blur != 0 && o->blur % 2 == 0) {
            std::fprintf(stderr, "vecta edges: --blur expects 0 or an odd kernel size (see --help)\n");
            return 2;
        }
        if (o->low > o->high) {
            std::fprintf(stderr, "vecta edges: --low must be <= --high (see --help)\n");
            return 2;
        }
        const options opt = *o;
        return run_batch({.command = "edges", .output_ext = ".png"}, o->io, [opt](const item& it, bool parallel) {
            const auto bytes = read_input(it.input, it.name);
            auto gray = codecs::decode(bytes, {.channels = 1}, it.name);
            auto go = [&](const auto& policy) {
                if (opt.blur > 0) {
                    image<std::uint8_t> blurred(gray.width(), gray.height());
                    gaussian_blur(policy, gray, blurred, {.ksize = opt.blur});
                    gray = std::move(blurred);
                }
                if (opt.method == "sobel") return detect_edges_sobel(policy, gray, opt.threshold);
                image<std::uint8_t> e(gray.width(), gray.height());
                canny(policy, gray, e, {.low = opt.low, .high = opt.high, .l2_gradient = opt.l2});
                return e;
            };
            const auto t0 = std::chrono::steady_clock::now();
            const image<std::uint8_t> edges = parallel ? go(seq) : go(par);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            std::size_t n = 0;
            for (std::size_t i = 0; i < edges.size(); ++i) n += edges.data()[i] != 0;
            char fields[160];
            std::snprintf(fields, sizeof fields, "\"ms\": %.2f, \"edge_pixels\": %zu, \"width\": %zu, \"height\": %zu",
                          ms, n, edges.width(), edges.height());
            if (!opt.pair) return result{.bytes = encode_output(it, edges), .fields = fields, .line = {}};
            // Input in colour | 8 white columns | edges in white on black.
            const auto rgb = codecs::decode(bytes, {.channels = 3}, it.name);
            const std::size_t w = rgb.width(), h = rgb.height(), gap = 8;
            image<std::uint8_t> both(2 * w + gap, h, 3, 255);
            for (std::size_t y = 0; y < h; ++y)
                for (std::size_t x = 0; x < w; ++x)
                    for (std::size_t c = 0; c < 3; ++c) {
                        both(x, y, c) = rgb(x, y, c);
                        both(w + gap + x, y, c) = edges(x, y);
                    }
            return result{.bytes = encode_output(it, both), .fields = fields, .line = {}};
        });
    };
    return run;
}

}  // namespace vecta::cli
