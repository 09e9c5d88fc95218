// SPDX-License-Identifier: MIT
// vecta vectorize: images to SVG with vecta::vectorize, options named as vectorize_params, plus
// the names potrace (--turdsize, --alphamax, --opttolerance, --blacklevel) and vtracer
// (--filter-speckle, --color-precision, --path-precision, --colormode, --preset) users know.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <vecta/adapters/cairo.hpp>
#include <vecta/export/dxf.hpp>
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

#include "batch.hpp"
#include "codecs.hpp"
#include "commands.hpp"

namespace vecta::cli {
namespace {

constexpr const char* image_glob = image_patterns;

/// CLI::Range compares, and NaN compares false: `--min-psnr nan` passed it and failed every file.
/// Checked before the range on every floating-point option.
const CLI::Validator not_nan(
    [](std::string& s) -> std::string {
        try {
            return std::isnan(std::stod(s)) ? "NaN is not a value here" : "";
        } catch (const std::exception&) {
            return "";  // not a number: the option's own conversion reports it
        }
    },
    "", "not NaN");

struct vectorize_options {
    batch_options io;
    std::string preset, mode = "color";
    std::size_t colors = 24, speckle = 0, turdsize = 0, filter_speckle = 0;
    int color_precision = 6, upscale = 0, precision = 1, threshold = 128;
    double tolerance = 0.2, corner = 135, alphamax = 1.0, blacklevel = 0.5;
    std::uint64_t seed = 0;
    std::size_t max_bytes = 0;  // --max-bytes
    double min_psnr = 0;        // --min-psnr
    bool kmeans = false;
    bool salient = false;             // --salient / --no-salient
    std::size_t region_colors = 256;  // --region-colors
    double split_psnr = 31;           // --split-psnr
    bool stroke_colors = false;       // --stroke-colors (centerline mode)
    std::string background;           // --background; empty: keep transparency
    std::string format;               // --format; empty: from the output's extension, else svg
    double dxf_tolerance = 0.05;      // --dxf-tolerance
    CLI::App* app = nullptr;
    bool given(const char* name) const { return app->count(name) > 0; }
};

/// The parameters of a --preset; explicit options are applied over them.
vectorize_params preset_params(const std::string& name) {
    vectorize_params p;
    if (name == "photo") {  // k-means palette, no sub-pixel pass
        p.palette = palette_mode::kmeans;
        p.colors = 16;
        p.upscale = 1;
    } else if (name == "lineart") {  // potrace-like black and white
        p.mode = trace_mode::binary;
    } else if (name == "poster") {  // few flat colours, bigger speckles merged
        p.palette = palette_mode::kmeans;
        p.colors = 8;
        p.speckle = 16;
    }
    return p;  // "icon" and none: the defaults (tuned on icons)
}

/// --background: "none" (keep transparency), "white", "black", "#rgb" or "#rrggbb" (any case).
/// Throws CLI::ValidationError for anything else.
std::optional<std::array<std::uint8_t, 3>> parse_background(std::string v) {
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (v == "none") return std::nullopt;
    if (v == "white") return std::array<std::uint8_t, 3>{255, 255, 255};
    if (v == "black") return std::array<std::uint8_t, 3>{0, 0, 0};
    const bool hex = (v.size() == 4 || v.size() == 7) && v[0] == '#' &&
                     std::all_of(v.begin() + 1, v.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
    if (!hex) throw CLI::ValidationError("--background", "must be none, white, black, #rgb or #rrggbb, got " + v);
    std::array<std::uint8_t, 3> c{};
    for (std::size_t i = 0; i < 3; ++i)
        c[i] = v.size() == 4 ? std::uint8_t(std::stoi(v.substr(1 + i, 1), nullptr, 16) * 17)
                             : std::uint8_t(std::stoi(v.substr(1 + 2 * i, 2), nullptr, 16));
    return c;
}

vectorize_params to_params(const vectorize_options& o) {
    vectorize_params p = preset_params(o.preset);
    if (o.given("--mode"))
        p.mode = o.mode == "color"        ? trace_mode::color
                 : o.mode == "centerline" ? trace_mode::centerline
                                          : trace_mode::binary;
    if (o.given("--colors")) p.colors = o.colors;
    if (o.given("--color-precision")) p.colors = std::size_t(4 * o.color_precision);
    if (o.given("--kmeans")) p.palette = palette_mode::kmeans;
    if (o.given("--salient") || o.given("--no-salient")) p.salient = o.salient;
    if (o.given("--region-colors")) p.region_colors = o.region_colors;
    if (o.given("--split-psnr")) p.split_psnr = o.split_psnr;
    if (o.given("--tolerance")) p.tolerance = o.tolerance;
    if (o.given("--corner")) p.corner_angle_deg = o.corner;
    if (o.given("--alphamax")) p.alphamax = o.alphamax;
    if (o.given("--speckle")) p.speckle = o.speckle;
    if (o.given("--turdsize")) p.speckle = o.turdsize + 1;
    if (o.given("--filter-speckle")) p.speckle = o.filter_speckle * o.filter_speckle;
    if (o.given("--upscale")) p.upscale = o.upscale;
    if (o.given("--threshold")) p.threshold = std::uint8_t(o.threshold);
    if (o.given("--blacklevel")) p.threshold = std::uint8_t(std::lround(std::min(255.0, o.blacklevel * 256.0)));
    if (o.given("--precision")) p.precision = o.precision;
    if (o.given("--seed")) p.seed = o.seed;
    if (o.given("--max-bytes")) p.max_bytes = o.max_bytes;
    if (o.given("--min-psnr")) p.min_psnr = o.min_psnr;
    if (o.given("--background")) p.background = parse_background(o.background);
    if (o.given("--stroke-colors")) p.stroke_colors = o.stroke_colors;
    return p;
}

constexpr bool have_cairo =
#if defined(VECTA_WITH_CAIRO) && VECTA_WITH_CAIRO
    true;
#else
    false;
#endif

/// The output format: --format, else the extension of a file output (.svg .pdf .eps .dxf, any
/// case), else svg (stdout, folders, a file name without extension). Throws std::runtime_error
/// with a usage message for a --format that contradicts the extension, a file output with
/// another extension and no --format (-o x.png, x.svgz: stranger bug 9, was plain SVG under that
/// name), PDF/EPS without cairo, or --dxf-tolerance with another format.
std::string output_format(const vectorize_options& o) {
    std::string ext;
    if (!o.io.output.empty() && o.io.output != "-" && o.io.output.back() != '/') {
        ext = std::filesystem::path(o.io.output).extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        if (!ext.empty()) ext.erase(0, 1);
        std::error_code ec;
        // One input (not a folder) writes the file -o names; several write into the folder -o.
        const auto& in = o.io.inputs;
        const bool file_output = !std::filesystem::is_directory(o.io.output, ec) && in.size() == 1 &&
                                 (in[0] == "-" || !std::filesystem::is_directory(in[0], ec));
        const bool known = ext == "svg" || ext == "pdf" || ext == "eps" || ext == "dxf";
        if (file_output && !known && !ext.empty() && o.format.empty())
            throw std::runtime_error("-o " + o.io.output + ": the extension ." + ext +
                                     " is not an output format (.svg, .pdf, .eps or .dxf); name the file so, or "
                                     "give --format to write one under this name");
        if (!known || std::filesystem::is_directory(o.io.output, ec)) ext.clear();
    }
    if (!o.format.empty() && !ext.empty() && ext != o.format)
        throw std::runtime_error("--format " + o.format + " contradicts the output's extension ." + ext);
    const std::string f = !o.format.empty() ? o.format : !ext.empty() ? ext : "svg";
    if ((f == "pdf" || f == "eps") && !have_cairo)
        throw std::runtime_error(std::string(f == "pdf" ? "PDF" : "EPS") +
                                 " output needs cairo, and this vecta was built without it (install libcairo2-dev "
                                 "and configure with -DVECTA_WITH_CAIRO=ON); svg and dxf are available");
    if (o.given("--dxf-tolerance") && f != "dxf")
        throw std::runtime_error("--dxf-tolerance applies to DXF output only (the output format is " + f +
                                 (o.io.output == "-" ? "; stdout needs --format dxf)" : ")"));
    return f;
}

/// The work cap of colour tracing (stranger bug 6): k = max(--colors, --region-colors) fills over
/// up to width x height x upscale^2 regions cost O(regions k) per k-means pass (noise 256 x 256 at
/// --upscale 4: k = 4096 about 9 s, 65536 many minutes), so above the default k of 256 the product
/// traced pixels x k may be at most 2^32. Throws vecta::invalid_argument naming the option to lower.
void check_work(const vectorize_params& p, std::size_t width, std::size_t height) {
    constexpr std::uint64_t limit = std::uint64_t(1) << 32;
    if (p.mode == trace_mode::binary || (p.mode == trace_mode::centerline && !p.stroke_colors)) return;
    const std::uint64_t k = std::max(p.colors, p.region_colors), up = std::uint64_t(std::max(1, p.upscale));
    const std::uint64_t traced = std::uint64_t(width) * height * up * up;
    if (k <= 256 || traced * k <= limit) return;  // traced <= 2^28 pixels x 2^16: no overflow
    const char* option = p.colors >= p.region_colors ? "--colors" : "--region-colors";
    throw vecta::invalid_argument(
        std::string(option) + " " + std::to_string(k) + " on " + std::to_string(width) + " x " +
        std::to_string(height) + " pixels" + (up > 1 ? " at --upscale " + std::to_string(up) : std::string()) + " is " +
        std::to_string(traced * k) + " colour-pixels of work, above the limit of 2^32 (4294967296): lower " + option +
        (up > 1 ? " or --upscale" : "") + " (at most " + std::to_string(std::max<std::uint64_t>(256, limit / traced)) +
        " colours here)");
}

/// The output file's bytes in format `f` (not svg) from the traced paths of `r`.
std::string encode_format(const std::string& f, const vectorize_result& r, double dxf_tolerance) {
    std::ostringstream os;
    if (f == "dxf") write_dxf(r.paths, os, {.tolerance = dxf_tolerance});
#if defined(VECTA_WITH_CAIRO) && VECTA_WITH_CAIRO
    else if (f == "pdf")
        cairo::write_pdf(r.paths, os);
    else if (f == "eps")
        cairo::write_eps(r.paths, os);
#endif
    else
        throw vecta::invalid_argument("vecta vectorize: unknown output format " + f);
    return std::move(os).str();
}

}  // namespace

std::function<int()> add_vectorize(CLI::App* app) {
    auto o = std::make_shared<vectorize_options>();
    o->app = app;
    app->footer(
        "Aliases: --turdsize N (potrace: drop areas up to N px) = --speckle N+1; --filter-speckle X (vtracer: patches\n"
        "smaller than X x X px) = --speckle X*X; --color-precision P (vtracer: bits per channel) = --colors 4P;\n"
        "--blacklevel F (potrace: 0..1) = --threshold 256F. Explicit options override --preset.\n"
        "Outputs: -o FILE.svg for one input, -o FOLDER for several (INPUT/a/b.png -> FOLDER/a/b.svg), - for stdout.\n"
        "Formats: by the output's extension (.svg, .pdf, .eps, .dxf) or --format (another extension is an error\n"
        "without --format); folders, stdout and names without extension: SVG unless --format. PDF/EPS: one page\n"
        "of width x height points (1 px = 1 pt), through cairo. DXF: R2000 LWPOLYLINEs in pixels, y up\n"
        "(y' = height - y), curves flattened within --dxf-tolerance px, true colours (group 420).");
    add_batch_options(*app, o->io, image_glob);
    choices(app->add_option("--preset", o->preset,
                            "parameter set: icon (the defaults), photo (k-means, 16 colours, no 2x pass), "
                            "lineart (--mode binary), poster (k-means, 8 colours, speckle 16)"),
            {"icon", "photo", "lineart", "poster"});
    choices(
        app->add_option("--mode,--colormode", o->mode,
                        "color: colour regions, stacked; binary (or bw): ink where luma < --threshold, like potrace; "
                        "centerline: pen strokes along the middle of the ink, stroked with their width"),
        {"color", "binary", "bw", "centerline"});
    app->add_option("--colors", o->colors, "palette size (k-means) or its upper bound (flat-colour images), colours")
        ->check(CLI::Range(1, 65536));
    app->add_option("--color-precision,--color_precision", o->color_precision,
                    "vtracer's significant bits per channel, 1..8: sets --colors to 4 x P")
        ->check(CLI::Range(1, 8))
        ->excludes("--colors");
    app->add_flag("--kmeans", o->kmeans, "always k-means with exactly --colors colours (no flat-colour palette)");
    app->add_flag("--salient,!--no-salient", o->salient,
                  "extra palette entries for small, distinct colours the palette maps far (CIEDE2000 > 8)");
    app->add_option("--region-colors", o->region_colors,
                    "photos (k-means palettes): paint each region with the nearest of max(N, --colors) fills "
                    "quantized from the regions' mean colours; 0 = its palette colour (default 256)")
        ->check(CLI::Range(0, 65536));
    app->add_option("--split-psnr", o->split_psnr,
                    "photos with region fills: when the palette's PSNR is below DB, regions spread along one colour "
                    "direction (smooth gradients) are cut in two and filled with exact means; 0 = never (default 31)")
        ->check(not_nan)
        ->check(CLI::Range(0.0, 100.0));
    app->add_option("--tolerance,--opttolerance", o->tolerance, "curve merging tolerance (potrace's -O), px")
        ->check(not_nan)
        ->check(CLI::Range(1e-9, 1e9));
    app->add_option("--corner", o->corner, "polygon turns sharper than this stay corners, degrees in (0, 180]")
        ->check(not_nan)
        ->check(CLI::Range(1e-9, 180.0));
    app->add_option("--alphamax", o->alphamax, "potrace's corner threshold (-a): 0 = polygons .. 1.3333 = smoothest")
        ->check(not_nan)
        ->check(CLI::Range(0.0, 4.0 / 3.0));
    auto* speckle =
        app->add_option("--speckle", o->speckle,
                        "merge regions of fewer than PX pixels into a neighbour (0 = off); default: 6 on flat-colour "
                        "images, 3 on photos, 2 in binary mode")
            ->default_str("auto")
            ->check(CLI::NonNegativeNumber);
    auto* turd =
        app->add_option("--turdsize", o->turdsize, "potrace's -t: drop regions of up to N px (= --speckle N+1)")
            ->default_str("auto")
            ->check(CLI::NonNegativeNumber)
            ->excludes(speckle);
    app->add_option("--filter-speckle,--filter_speckle", o->filter_speckle,
                    "vtracer's: drop patches smaller than X x X px (= --speckle X*X)")
        ->default_str("auto")
        ->check(CLI::Range(0, 65535))
        ->excludes(speckle)
        ->excludes(turd);
    app->add_option(
           "--upscale", o->upscale,
           "colour mode: trace at K x resolution, 1..4; 0 = automatic (2 for flat-colour images up to 1024 px)")
        ->check(CLI::Range(0, 4));
    auto* threshold =
        app->add_option("--threshold", o->threshold, "binary and centerline modes: luma below T is ink, 0..255")
            ->check(CLI::Range(0, 255));
    app->add_option("--blacklevel", o->blacklevel,
                    "potrace's -k: ink below this fraction of white, 0..1 (= --threshold 256F)")
        ->check(not_nan)
        ->check(CLI::Range(0.0, 1.0))
        ->excludes(threshold);
    app->add_flag("--stroke-colors", o->stroke_colors,
                  "centerline mode, colour images: trace each palette colour's strokes separately and stroke them "
                  "in that colour (colour line art; palette as --colors / --kmeans, the most frequent colour is "
                  "the paper)");
    app->add_option("--precision,--path-precision,--path_precision", o->precision,
                    "decimals of path coordinates, 0..6; default: automatic (0 on a dense photo tracing: film "
                    "grain, star fields; else 1; the choice is in --stats)")
        ->check(CLI::Range(0, 6));
    app->add_option("--seed", o->seed, "k-means++ seed")->check(CLI::NonNegativeNumber);
    app->add_option("--max-bytes", o->max_bytes,
                    "budget: an SVG of at most N bytes (vecta picks colours, speckle, tolerance, precision; the "
                    "options above are its starting point); 0 = none")
        ->check(CLI::NonNegativeNumber);
    app->add_option("--min-psnr", o->min_psnr,
                    "budget: the fewest bytes whose render reaches DB dB PSNR (with --max-bytes: within it); a "
                    "target that cannot be met is a warning, exit status 0; 0 = none")
        ->check(not_nan)
        ->check(CLI::Range(0.0, 99.0));
    app->add_option("--background", o->background,
                    "images with alpha: composite over this colour first (white, black, #rgb, #rrggbb); default "
                    "none: transparent pixels stay transparent, translucent ones get fill-opacity (SVG output)")
        ->default_str("none")
        ->check([](const std::string& v) {
            try {
                parse_background(v);
                return std::string();
            } catch (const CLI::ValidationError&) {
                return "must be none, white, black, #rgb or #rrggbb, got " + v;
            }
        });
    choices(app->add_option("--format", o->format,
                            "output format: svg, pdf, eps (need cairo) or dxf; default: the output's extension, else "
                            "svg (needed for - and folders)"),
            {"svg", "pdf", "eps", "dxf"});
    app->add_option("--dxf-tolerance", o->dxf_tolerance,
                    "DXF: most distance between a curve and its polyline, px, in [0.0001, 16]")
        ->check(not_nan)
        ->check(CLI::Range(1e-4, 16.0));

    auto run = [o]() -> int {
        vectorize_params params = to_params(*o);
        if (params.stroke_colors && params.mode != trace_mode::centerline) {
            std::fprintf(stderr,
                         "vecta vectorize: --stroke-colors needs --mode centerline (see vecta vectorize --help)\n");
            return 2;
        }
        const bool stats = o->io.stats;
        std::string format;
        try {
            format = output_format(*o);
        } catch (const std::runtime_error& e) {
            std::fprintf(stderr, "vecta vectorize: %s (see vecta vectorize --help)\n", e.what());
            return 2;
        }
        params.keep_paths = format != "svg";
        const double dxf_tolerance = o->dxf_tolerance;
        return run_batch(
            {.command = "vectorize", .output_ext = "." + format}, o->io,
            [params, stats, format, dxf_tolerance](const item& it, bool parallel) {
                // PNG, JPEG, WebP, TIFF through the codec libraries (src/codecs), other formats stb.
                auto img = codecs::decode(read_input(it.input, it.name), {}, it.name);
                const std::size_t width = img.width(), height = img.height();
                check_work(params, width, height);
                // Binary mode (line art) is about a millisecond of work: one thread, no thread start-up;
                // files in parallel (-j > 1) run one thread each. The output is the same under seq and par.
                // The image is given up: binary mode thresholds a grey image in place (one buffer less).
                const bool par_inside = !parallel && params.mode != trace_mode::binary;
                auto r = par_inside ? vectorize(par, std::move(img), params) : vectorize(seq, std::move(img), params);
                if (format != "svg") r.document = encode_format(format, r, dxf_tolerance);
                const auto& s = r.stats;
                char fields[512] = "";
                if (stats)  // formatting costs about 10 us, a few per cent of a line-art run
                    std::snprintf(fields, sizeof fields,
                                  "\"ms\": %.2f, \"paths\": %zu, \"nodes\": %zu, \"bytes\": %zu, \"colors\": %zu, "
                                  "\"width\": %zu, \"height\": %zu, \"format\": \"%s\", \"regions\": %zu, "
                                  "\"precision\": %d, \"units_per_pixel\": %d, \"regions_split\": %zu",
                                  s.ms, s.paths, s.nodes, r.document.size(), s.colors, width, height, format.c_str(),
                                  s.regions, s.precision, s.units_per_pixel, s.regions_split);
                if (params.max_bytes || params.min_psnr) {  // budget: what the search chose, a warning if missed
                    const auto& b = s.budget;
                    if (!r.budget_met)
                        std::fprintf(stderr,
                                     "vecta vectorize: warning: %s: --min-psnr %.2f not reached%s; best %.2f dB "
                                     "(%zu bytes)\n",
                                     it.name.c_str(), params.min_psnr, params.max_bytes ? " within --max-bytes" : "",
                                     b.psnr, s.bytes);
                    if (stats) {
                        const std::size_t n = std::strlen(fields);
                        std::snprintf(fields + n, sizeof fields - n,
                                      ", \"budget\": {\"met\": %s, \"psnr\": %.3f, \"colors\": %zu, \"speckle\": "
                                      "%lld, \"tolerance\": %g, \"precision\": %d, \"passes\": %zu, \"renders\": %zu}",
                                      r.budget_met ? "true" : "false", b.psnr, b.colors,
                                      b.speckle == vectorize_params::auto_speckle ? -1LL : (long long)b.speckle,
                                      b.tolerance, b.precision, b.passes, b.renders);
                    }
                }
                return result{.bytes = std::move(r.document), .fields = fields, .line = {}};
            });
    };
    return run;
}

}  // namespace vecta::cli
