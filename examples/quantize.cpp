// SPDX-License-Identifier: MIT
// quantize: colour quantization of a PNG/JPEG image by k-means, written as PNG.
//   quantize INPUT -o OUTPUT.png --colors K [--space rgb|lab] [--seed S] [--dither]
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vecta/color/quantize.hpp>
#include <vecta/io/image_file.hpp>

namespace {
constexpr const char* usage =
    "usage: quantize INPUT -o OUTPUT.png --colors K [--space rgb|lab] [--seed S] [--dither]\n"
    "  Reduces a PNG or JPEG image to at most K colours (k-means: greedy k-means++ seeding,\n"
    "  Lloyd iterations with Hamerly's bounds, at most 10) and writes it as PNG.\n"
    "  Prints the PSNR of the result against the input and the time of the quantization.\n"
    "  --colors K      palette size, 1..65536 (required)\n"
    "  --space S       clustering space: rgb (default) or lab (CIE L*a*b*, D65)\n"
    "  --seed S        seed of the k-means++ seeding (default 0)\n"
    "  --dither        Floyd-Steinberg error diffusion (serpentine, in RGB)\n"
    "  -h, --help      this text\n";

unsigned long long parse_count(std::string_view flag, const char* text) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || text[0] == '+')
        throw std::invalid_argument(std::string(flag) + " expects a non-negative integer, got '" + text + "'");
    return v;
}
}  // namespace

int main(int argc, char** argv) {
    std::string input, output;
    vecta::quantize_params params{.max_iter = 10};
    bool have_colors = false;
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
            } else if (a == "--colors") {
                const auto k = parse_count(a, value());
                if (k < 1 || k > 65536) throw std::invalid_argument("--colors must be in 1..65536");
                params.colors = static_cast<std::size_t>(k);
                have_colors = true;
            } else if (a == "--space") {
                const std::string_view s = value();
                if (s == "rgb")
                    params.space = vecta::color_space::rgb;
                else if (s == "lab")
                    params.space = vecta::color_space::lab;
                else
                    throw std::invalid_argument("--space must be rgb or lab, got '" + std::string(s) + "'");
            } else if (a == "--seed") {
                params.seed = parse_count(a, value());
            } else if (a == "--dither") {
                params.dither = true;
            } else if (!a.empty() && a[0] == '-') {
                throw std::invalid_argument("unknown option " + std::string(a));
            } else if (input.empty()) {
                input = a;
            } else {
                throw std::invalid_argument("more than one input given");
            }
        }
        if (input.empty()) throw std::invalid_argument("INPUT is required");
        if (output.empty()) throw std::invalid_argument("-o OUTPUT.png is required");
        if (!have_colors) throw std::invalid_argument("--colors K is required");
        const auto ext = std::filesystem::path(output).extension().string();
        if (ext != ".png" && ext != ".PNG") throw std::invalid_argument("OUTPUT must end in .png");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quantize: %s (see --help)\n", e.what());
        return 2;
    }
    try {
        const auto img = vecta::io::load_image(input, {.channels = 3});
        const auto t0 = std::chrono::steady_clock::now();
        const auto q = vecta::quantize(vecta::par, img.view(), params);
        vecta::image<std::uint8_t> out(img.width(), img.height(), 3);
        vecta::apply_palette(vecta::par, q, out.view());
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        vecta::io::save_image(output, out.view());
        std::printf("%s: %zux%zu, %zu colours (%s%s), PSNR %.2f dB, %.1f ms\n", output.c_str(), img.width(),
                    img.height(), q.palette.size(), params.space == vecta::color_space::lab ? "lab" : "rgb",
                    params.dither ? ", dithered" : "", q.psnr, ms);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quantize: %s\n", e.what());
        return 1;
    }
    return 0;
}
