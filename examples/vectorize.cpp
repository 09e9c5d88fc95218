// SPDX-License-Identifier: MIT
// vectorize: PNG/JPEG in, SVG out.
//   vectorize INPUT -o OUTPUT.svg [--mode color|binary] [--colors N] [--tolerance PX] [--corner DEG]
//             [--speckle PX] [--stats] ...
#include <fcntl.h>
#include <unistd.h>
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#define VECTA_EXAMPLE_GLIBC 1
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

namespace {
constexpr const char* usage =
    "usage: vectorize INPUT -o OUTPUT.svg [--mode color|binary] [--colors N] [--tolerance PX]\n"
    "                 [--corner DEG] [--speckle PX] [--kmeans] [--upscale K] [--alphamax A]\n"
    "                 [--threshold T] [--precision D] [--seed S] [--stats]\n"
    "                 [--in-place]\n"
    "  Traces a PNG or JPEG image into an SVG of filled regions.\n"
    "  --mode M        color (default): colour regions, stacked; binary: ink (luma < threshold)\n"
    "  --colors N      most palette colours (default 24); flat-colour images use fewer\n"
    "  --kmeans        always k-means with exactly N colours (no flat-colour detection)\n"
    "  --tolerance PX  curve merging tolerance in pixels (default 0.2)\n"
    "  --corner DEG    turns sharper than this stay corners (default 135)\n"
    "  --alphamax A    potrace corner threshold, 0 (polygons) .. 1.333 (default 1)\n"
    "  --speckle PX    merge regions under PX pixels into a neighbour (default: 6 on flat-colour\n"
    "                  images, 3 on photos, 2 in binary mode; 0 = off)\n"
    "  --upscale K     trace at K x resolution, 1..4 (default: 2 for flat-colour images)\n"
    "  --threshold T   binary mode: luma below T is ink (default 128)\n"
    "  --precision D   decimals of path coordinates, 0..6 (default 1)\n"
    "  --seed S        k-means++ seed (default 0)\n"
    "  --stats         print one JSON line: ms, paths, nodes, bytes, colors\n"
    "  --in-place      overwrite OUTPUT in place instead of writing OUTPUT.vecta-tmp and renaming it\n"
    "                  (faster when OUTPUT exists; a failure mid-write can leave a partial file)\n";

unsigned long long parse_count(std::string_view flag, const char* text) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        throw std::invalid_argument(std::string(flag) + " expects a non-negative integer, got '" + text + "'");
    return v;
}

/// Writes the SVG. By default (`atomic`) the text goes to OUTPUT.vecta-tmp first and is renamed
/// over OUTPUT, so a failure never leaves a partial file. With --in-place the file is overwritten
/// and then cut to the new length: renaming over an existing file, or truncating it to zero as
/// potrace does, makes ext4 start writing the data back at once (its auto_da_alloc safeguard),
/// about 0.4 ms of a 2 ms run; a new file costs the same either way. Throws vecta::io_error.
void write_output(const std::string& path, std::string_view text, bool atomic) {
    const std::string target = atomic ? path + ".vecta-tmp" : path;
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (atomic ? O_TRUNC : 0), 0666);
    if (fd < 0) throw vecta::io_error("cannot open '" + path + "' for writing");
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t got = ::write(fd, text.data() + done, text.size() - done);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += std::size_t(got);
    }
    bool ok = done == text.size() && ::ftruncate(fd, off_t(text.size())) == 0;
    ok = (::close(fd) == 0) && ok;
    if (ok && atomic) ok = std::rename(target.c_str(), path.c_str()) == 0;
    if (!ok) {
        std::remove(target.c_str());
        throw vecta::io_error("cannot write '" + path + "'");
    }
}

double parse_number(std::string_view flag, const char* text) {
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == text || *end != '\0')
        throw std::invalid_argument(std::string(flag) + " expects a number, got '" + text + "'");
    return v;
}
}  // namespace

int main(int argc, char** argv) {
    std::string input, output;
    vecta::vectorize_params params;
    bool stats = false, atomic = true;
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
                params.tolerance = parse_number(a, value());
            } else if (a == "--corner") {
                params.corner_angle_deg = parse_number(a, value());
            } else if (a == "--alphamax") {
                params.alphamax = parse_number(a, value());
            } else if (a == "--speckle") {
                params.speckle = parse_count(a, value());
            } else if (a == "--upscale") {
                const auto v = parse_count(a, value());
                if (v > 4) throw std::invalid_argument("--upscale expects 0..4");
                params.upscale = int(v);
            } else if (a == "--threshold") {
                const auto v = parse_count(a, value());
                if (v > 256) throw std::invalid_argument("--threshold expects 0..256");
                params.threshold = std::uint8_t(std::min<unsigned long long>(v, 255));
            } else if (a == "--precision") {
                const auto v = parse_count(a, value());
                if (v > 6) throw std::invalid_argument("--precision expects 0..6");
                params.precision = int(v);
            } else if (a == "--kmeans") {
                params.palette = vecta::palette_mode::kmeans;
            } else if (a == "--mode") {
                const std::string_view m = value();
                if (m == "color")
                    params.mode = vecta::trace_mode::color;
                else if (m == "binary")
                    params.mode = vecta::trace_mode::binary;
                else
                    throw std::invalid_argument("--mode expects color or binary, got '" + std::string(m) + "'");
            } else if (a == "--stats") {
                stats = true;
            } else if (a == "--in-place") {
                atomic = false;
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
    // Freed blocks (the PNG inflate buffer, ...) are reused for the next ones instead of being
    // returned to the kernel and faulted in again: a short-lived process pays per touched page.
#if VECTA_EXAMPLE_GLIBC
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
    try {
        // stb's pixels are traced where they are (no copy into a vecta::image).
        const vecta::io::decoded_image img = vecta::io::decode_pixels(vecta::io::read_file(input), {}, input);
        // Binary mode (line art) is about a millisecond of work: one thread, no thread start-up.
        // Output is the same under seq and par.
        const auto result = params.mode == vecta::trace_mode::binary ? vecta::vectorize(vecta::seq, img.view(), params)
                                                                     : vecta::vectorize(vecta::par, img.view(), params);
        write_output(output, result.document, atomic);
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
