// SPDX-License-Identifier: MIT
// vecta quantize: colour quantization (vecta::quantize, k-means) of images, written as PNG/JPEG.
#include <chrono>
#include <cstdio>
#include <memory>
#include <vecta/color/quantize.hpp>
#include <vecta/io/image_file.hpp>

#include "batch.hpp"
#include "codecs.hpp"
#include "commands.hpp"

namespace vecta::cli {

std::function<int()> add_quantize(CLI::App* app) {
    struct options {
        batch_options io;
        quantize_params params{};
        std::string space = "rgb";
    };
    auto o = std::make_shared<options>();
    app->footer(
        "Outputs: -o FILE.png|.jpg for one input, -o FOLDER for several (mirrored, as .png), - for stdout (PNG).\n"
        "PNG output of at most 256 colours is an indexed PNG (palette and 1, 2, 4 or 8-bit indices).\n"
        "--stats fields: ms (vecta::quantize: k-means and labels), colors, psnr (dB against the input).");
    add_batch_options(*app, o->io, image_patterns);
    app->add_option("-k,--colors", o->params.colors, "palette size, colours")->check(CLI::Range(1, 65536));
    choices(app->add_option("--space", o->space, "clustering space: rgb, or lab (CIE L*a*b*, D65)"), {"rgb", "lab"});
    app->add_option("--max-iter", o->params.max_iter, "Lloyd iterations at most")->check(CLI::Range(1, 1000));
    app->add_option("--seed", o->params.seed, "k-means++ seed")->check(CLI::NonNegativeNumber);
    app->add_flag("--dither", o->params.dither, "Floyd-Steinberg error diffusion (serpentine, in RGB)");
    auto run = [o]() -> int {
        quantize_params params = o->params;
        params.space = o->space == "lab" ? color_space::lab : color_space::rgb;
        return run_batch({.command = "quantize", .output_ext = ".png"}, o->io, [params](const item& it, bool parallel) {
            const auto img = codecs::decode(read_input(it.input, it.name), {.channels = 3}, it.name);
            const auto t0 = std::chrono::steady_clock::now();
            const quantize_result q = parallel
                                          ? quantize(seq, img.view(), params)  // files in parallel: one thread each
                                          : quantize(par, img.view(), params);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            // PNG output: indexed up to 256 colours (the palette and 1..8-bit indices), else RGB.
            const bool png =
                it.output.empty() || codecs::format_from_name(it.output.extension().string()) == codecs::format::png;
            std::string bytes;
            if (png) {
                bytes = codecs::encode_png_labels(q.labels.view(), q.palette);
            } else {
                image<std::uint8_t> out(img.width(), img.height(), 3);
                apply_palette(seq, q, out.view());  // memory-bound: one pass, not worth threads
                bytes = encode_output(it, out.view());
            }
            char fields[192];
            std::snprintf(fields, sizeof fields,
                          "\"ms\": %.2f, \"colors\": %zu, \"psnr\": %.3f, \"width\": %zu, \"height\": %zu", ms,
                          q.palette.size(), q.psnr, img.width(), img.height());
            return result{.bytes = std::move(bytes), .fields = fields, .line = {}};
        });
    };
    return run;
}

}  // namespace vecta::cli
