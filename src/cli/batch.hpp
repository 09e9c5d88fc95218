// SPDX-License-Identifier: MIT
// The vecta command's shared batch machinery: inputs (files, folders, stdin) to work items,
// outputs (a file, a mirrored folder, stdout), parallel jobs, progress, --stats JSON lines,
// atomic no-clobber writes and SIGINT handling. Every subcommand that maps files to files or to
// report lines goes through run_batch, so none of this is repeated per subcommand.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vecta/core/image.hpp>
#include <vector>

namespace vecta::cli {

/// Options every batch subcommand shares (added by add_batch_options).
struct batch_options {
    std::vector<std::string> inputs;  ///< files, folders or "-" (stdin)
    std::string output;               ///< file, folder or "-" (stdout); empty when not given
    std::string glob;                 ///< comma-separated patterns matched against names in folders
    unsigned jobs = 1;                ///< files processed at once; 0 = hardware threads
    bool quiet = false, stats = false, overwrite = false;
};

/// One unit of work: an input file (or stdin) and where its result goes.
struct item {
    std::filesystem::path input;   ///< empty for stdin
    std::string name;              ///< as reported (the path as given or found, "-" for stdin)
    std::filesystem::path output;  ///< empty when the result goes to stdout or nowhere
    bool to_stdout = false;
    bool make_dirs = false;  ///< create the output's folders (mirrored outputs only)
};

/// What a subcommand's work function returns for one item.
struct result {
    std::string bytes;   ///< the output file's contents (ignored when the item has no output)
    std::string fields;  ///< JSON members for --stats, e.g. "\"ms\": 1.5, \"paths\": 3" (may be empty)
    std::string line;    ///< report-only subcommands: a line for stdout (with '\n'), in input order
};

/// How a subcommand maps inputs to outputs.
struct batch_spec {
    std::string command;     ///< "vectorize", used in messages
    std::string output_ext;  ///< extension of mirrored outputs (".svg"); empty: no output files
    bool output_required = true;
};

/// Adds INPUT..., -o/--output, --glob, -j/--jobs, -q/--quiet, --stats, --overwrite to `app`.
void add_batch_options(CLI::App& app, batch_options& o, std::string_view default_glob, bool with_output = true);

/// Reads a whole file, or stdin when `path` is empty, at most codecs::max_input_bytes() bytes (so
/// /dev/zero or an endless pipe fails quickly). Throws vecta::io_error naming `name`.
std::vector<unsigned char> read_input(const std::filesystem::path& path, const std::string& name);

/// --glob default of the image commands: the formats codecs::decode reads (src/codecs: PNG, JPEG,
/// WebP, TIFF through the codec libraries, the rest through stb).
inline constexpr const char* image_patterns =
    "*.png,*.jpg,*.jpeg,*.webp,*.tif,*.tiff,*.bmp,*.tga,*.gif,*.psd,*.hdr,*.pnm,*.pbm,*.pgm,*.ppm";

/// True once SIGINT/SIGTERM arrived (after install_signal_handlers).
bool interrupted() noexcept;

/// Runs `work` on every item the inputs name and writes, reports and counts the results:
/// failures are reported by name on stderr and the rest go on. Items that belong together in
/// order (report lines, --stats) are printed in input order. Returns the exit status: 0 when
/// every item succeeded, 1 when any failed, 2 on a usage error, 130 after SIGINT (143 SIGTERM).
/// `after` (optional) runs on the results in input order when nothing was interrupted; it
/// returns extra exit status (0 or 1).
int run_batch(
    const batch_spec& spec, const batch_options& o, const std::function<result(const item&, bool parallel)>& work,
    const std::function<int(const std::vector<item>&, const std::vector<std::optional<result>>&)>& after = {});

/// Writes `bytes` to `path` through a temporary file in the same folder (path.<pid>.vecta-tmp),
/// renamed over `path` when `overwrite`, else linked only if `path` does not exist
/// (renameat2 RENAME_NOREPLACE), so neither an error nor SIGINT leaves a partial file and an
/// existing file is never replaced unasked. Throws vecta::io_error.
void write_output(const std::filesystem::path& path, std::string_view bytes, bool overwrite);

/// Writes to stdout entirely or throws vecta::io_error.
void write_stdout(std::string_view bytes);

/// Encodes an output image by the item's output extension: .jpg/.jpeg as JPEG (quality 90),
/// otherwise PNG (.png, stdout, mirrored outputs). Throws vecta::invalid_argument for another
/// extension.
std::string encode_output(const item& it, image_view<const std::uint8_t> img);

/// JSON string literal of `s` (quotes and escapes): valid UTF-8 as is, control characters and
/// bytes that are not valid UTF-8 (file names are bytes) as \u00XX of the byte.
std::string json_string(std::string_view s);

/// Parses the program's arguments against `app`, printing CLI11's help/version/error output.
/// Returns -1 to go on, else the exit status (0 for --help/--version, 2 for a usage error).
int parse(CLI::App& app, int argc, char** argv);

}  // namespace vecta::cli
