// vectorize: PNG/JPEG in, SVG out.
//   vectorize INPUT -o OUTPUT.svg [--mode color|binary] [--colors N] [--tolerance PX] [--corner DEG]
//             [--speckle PX] [--stats] ...
#include <fcntl.h>
#include <unistd.h>
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#define VECTA_EXAMPLE_GLIBC 1
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>
#include <vector>

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

/// The whole file, read with stdio (no iostream in this program).
std::vector<unsigned char> read_all(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw vecta::io_error("cannot open '" + path + "' for reading");
    std::vector<unsigned char> bytes;
    unsigned char buf[1 << 16];
    for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.insert(bytes.end(), buf, buf + got);
    const bool bad = std::ferror(f);
    std::fclose(f);
    if (bad) throw vecta::io_error("error reading '" + path + "'");
    return bytes;
}

/// Maps `bytes` of heap in one system call (MADV_POPULATE_WRITE, Linux 5.14) and leaves them
/// to malloc, so that the image buffers that follow are carved from memory already mapped
/// instead of taking one page fault per 4 KiB page (a third of this program's time on a
/// 512 x 512 image). Needs the M_MMAP_THRESHOLD / M_TRIM_THRESHOLD settings of main(); a
/// kernel without it ignores the advice and the pages fault in as usual.
void prefault_heap([[maybe_unused]] std::size_t bytes) {
#if VECTA_EXAMPLE_GLIBC
#ifndef MADV_POPULATE_WRITE
    constexpr int MADV_POPULATE_WRITE = 23;
#endif
    void* p = std::malloc(bytes);
    if (!p) return;
    const std::uintptr_t page = 4096, a = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
    const std::uintptr_t e = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
    if (e > a) ::madvise(reinterpret_cast<void*>(a), e - a, MADV_POPULATE_WRITE);
    std::free(p);
#endif
}

/// Pixels of the input: a PNG is decoded by stb straight into the buffer that vectorize()
/// reads (no copy); anything else goes through vecta::io::decode_image (its checks, one copy).
struct decoded {
    std::unique_ptr<unsigned char, void (*)(void*)> stb{nullptr, stbi_image_free};
    vecta::image<std::uint8_t> owned;
    vecta::image_view<const std::uint8_t> view;
};

decoded decode(const std::string& path) {
    decoded d;
    std::vector<unsigned char> bytes = read_all(path);
    static constexpr unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (bytes.size() > 8 && bytes.size() < std::size_t(INT32_MAX) && std::memcmp(bytes.data(), png_sig, 8) == 0) {
        // The guards of decode_image that apply to PNG: empty IDAT chunks dropped (stb 2.27
        // passes null to memcpy on them), size checked from the header before decoding.
        std::vector<unsigned char> cleaned = vecta::io::detail::png_without_empty_idat(bytes);
        if (!cleaned.empty()) bytes.swap(cleaned);
        int w = 0, h = 0, c = 0;
        const vecta::io::load_params limits;
        if (stbi_info_from_memory(bytes.data(), int(bytes.size()), &w, &h, &c) && w > 0 && h > 0 &&
            std::size_t(w) <= limits.max_pixels / std::size_t(h)) {
            // The decoded pixels, stb's inflate buffer and the 16-bit labels of vectorize().
            prefault_heap(std::min<std::size_t>(std::size_t(w) * std::size_t(h) * std::size_t(c + 4), 64u << 20));
            d.stb.reset(stbi_load_from_memory(bytes.data(), int(bytes.size()), &w, &h, &c, 0));
            if (d.stb && w > 0 && h > 0 && c >= 1 && c <= 4 && std::size_t(w) <= limits.max_pixels / std::size_t(h)) {
                d.view = {d.stb.get(), std::size_t(w), std::size_t(h), std::size_t(c)};
                return d;
            }
            d.stb.reset();
        }
    }
    d.owned = vecta::io::decode_image(bytes, {}, path);  // throws with stb's reason
    d.view = d.owned.view();
    return d;
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
        const decoded img = decode(input);
        // Binary mode (line art) is about a millisecond of work: one thread, no thread start-up.
        // Output is the same under seq and par.
        const auto result = params.mode == vecta::trace_mode::binary ? vecta::vectorize(vecta::seq, img.view, params)
                                                                     : vecta::vectorize(vecta::par, img.view, params);
        write_output(output, result.document, atomic);
        if (stats) {
            const auto& s = result.stats;
            std::printf(
                "{\"ms\": %.2f, \"paths\": %zu, \"nodes\": %zu, \"bytes\": %zu, \"colors\": %zu, "
                "\"width\": %zu, \"height\": %zu}\n",
                s.ms, s.paths, s.nodes, s.bytes, s.colors, img.view.width(), img.view.height());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vectorize: %s\n", e.what());
        return 1;
    }
    return 0;
}
