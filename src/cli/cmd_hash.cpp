// SPDX-License-Identifier: MIT
// vecta hash: one hash per image, printed as `HEX  NAME` (the layout of sha256sum) in input order.
// content (default): XXH3-64 of the decoded pixels (vecta::content_hash) seeded with the shape,
// so equal pixels in another file format or encoding hash alike and any changed pixel differs;
// dhash / ahash: 64-bit perceptual hashes (vecta::difference_hash, vecta::average_hash) that
// stay close (few differing bits) under small changes.
#include <cstdio>
#include <memory>
#include <vecta/imgproc/content_hash.hpp>
#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/io/image_file.hpp>

#include "batch.hpp"
#include "codecs.hpp"
#include "commands.hpp"

namespace vecta::cli {

std::function<int()> add_hash(CLI::App* app) {
    struct options {
        batch_options io;
        std::string method = "content";
    };
    auto o = std::make_shared<options>();
    add_batch_options(*app, o->io, image_patterns, false);
    choices(app->add_option("--method", o->method,
                            "content: XXH3-64 of the decoded pixels and their shape (exact); dhash / ahash: "
                            "64-bit difference / average hash (perceptual: near pictures, few differing bits)"),
            {"content", "dhash", "ahash"});
    auto run = [o]() -> int {
        const std::string method = o->method;
        return run_batch({.command = "hash", .output_ext = {}, .output_required = false}, o->io,
                         [method](const item& it, bool parallel) {
                             const auto bytes = read_input(it.input, it.name);
                             std::uint64_t h;
                             if (method == "content") {
                                 // The pixels as the file stores them (its channel count); the shape
                                 // is the seed (w, h < 2^28 under decode's pixel limit, c <= 4).
                                 const auto px = codecs::decode(bytes, {}, it.name);
                                 const auto v = px.view();
                                 h = content_hash(v, std::uint64_t(v.width()) | std::uint64_t(v.height()) << 28 |
                                                         std::uint64_t(v.channels()) << 56);
                                 char hex[24];
                                 std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
                                 return result{.bytes = {},
                                               .fields = "\"hash\": \"" + std::string(hex) + "\"",
                                               .line = std::string(hex) + "  " + it.name + "\n"};
                             }
                             const auto img = codecs::decode(bytes, {.channels = 3}, it.name);
                             if (method == "ahash")
                                 h = parallel ? average_hash(seq, img.view()) : average_hash(par, img.view());
                             else
                                 h = parallel ? difference_hash(seq, img.view()) : difference_hash(par, img.view());
                             char hex[24];
                             std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
                             return result{.bytes = {},
                                           .fields = "\"hash\": \"" + std::string(hex) + "\"",
                                           .line = std::string(hex) + "  " + it.name + "\n"};
                         });
    };
    return run;
}

}  // namespace vecta::cli
