// vectorize: PNG/JPEG in, SVG out.
//   vectorize INPUT -o OUTPUT.svg [--colors N] [--seed S] [--tolerance PX] [--stats]
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

namespace {
constexpr const char* usage =
    "usage: vectorize INPUT -o OUTPUT.svg [--colors N] [--seed S] [--tolerance PX] [--stats]\n"
    "  Traces a PNG or JPEG image into an SVG of filled colour regions.\n"
    "  --colors N      palette size (default 16)\n"
    "  --seed S        k-means++ seed (default 0)\n"
    "  --tolerance PX  maximum curve fitting error in pixels (default 0.5)\n"
    "  --stats         print one JSON line: ms, paths, nodes, bytes, colors\n";

unsigned long long parse_count(std::string_view flag, const char* text) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        throw std::invalid_argument(std::string(flag) + " expects a non-negative integer, got '" + text + "'");
    return v;
}
}  // namespace

int main(int argc, char** argv) {
    std::string input, output;
    vecta::vectorize_params params;
    bool stats = false;
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
                params.colors = parse_count(a, value());
            } else if (a == "--seed") {
                params.seed = parse_count(a, value());
            } else if (a == "--tolerance") {
                const char* t = value();
                char* end = nullptr;
                params.tolerance = std::strtod(t, &end);
                if (end == t || *end != '\0') throw std::invalid_argument("--tolerance expects a number");
            } else if (a == "--stats") {
                stats = true;
            } else if (!a.empty() && a[0] == '-') {
                throw std::invalid_argument("unknown option " + std::string(a));
            } else if (input.empty()) {
                input = a;
            } else {
                throw std::invalid_argument("more than one input given");
            }
        }
        if (input.empty() || output.empty()) throw std::invalid_argument("INPUT and -o OUTPUT.svg are required");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vectorize: %s\n%s", e.what(), usage);
        return 2;
    }
    try {
        const auto img = vecta::io::load_image(input);
        const auto result = vecta::vectorize(vecta::par, img.view(), params);
        vecta::io::write_file_atomic(output, result.document);
        if (stats) {
            const auto& s = result.stats;
            std::printf(
                "{\"ms\": %.2f, \"paths\": %zu, \"nodes\": %zu, \"bytes\": %zu, \"colors\": %zu, "
                "\"width\": %zu, \"height\": %zu}\n",
                s.ms, s.paths, s.nodes, s.bytes, s.colors, img.width(), img.height());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vectorize: %s\n", e.what());
        return 1;
    }
    return 0;
}
