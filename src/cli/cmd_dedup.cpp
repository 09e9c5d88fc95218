// SPDX-License-Identifier: MIT
// vecta dedup: repeated and near-duplicate frames of image sequences, by 64-bit difference hash
// (dHash, vecta::difference_hash). Frames are hashed in parallel (-j) and judged in name order:
// a frame is dropped when its hash equals an earlier kept frame's (an exact set, no false drops)
// or is within --threshold bits of the last kept frame's.
#include <cstdio>
#include <memory>
#include <optional>
#include <unordered_set>
#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/io/image_file.hpp>

#include "batch.hpp"
#include "codecs.hpp"
#include "commands.hpp"

namespace vecta::cli {

std::function<int()> add_dedup(CLI::App* app) {
    struct options {
        batch_options io;
        int threshold = 4;
        bool list = false;
    };
    auto o = std::make_shared<options>();
    app->footer(
        "Prints 'keep NAME HASH' / 'drop NAME (reason)' per frame with --list, then a summary line:\n"
        "frames N, kept K, dropped D (R repeated hashes, M near duplicates). Order: paths sorted per folder.");
    add_batch_options(*app, o->io, image_patterns, false);
    app->add_option("--threshold", o->threshold, "near-duplicate distance, Hamming bits 0..64 (0 = exact repeats only)")
        ->check(CLI::Range(0, 64));
    app->add_flag("--list", o->list, "print keep/drop and the reason for every frame");
    auto run = [o]() -> int {
        const options opt = *o;
        auto hash = [](const item& it, bool parallel) {
            const auto img = codecs::decode(read_input(it.input, it.name), {.channels = 3}, it.name);
            const std::uint64_t h = parallel ? difference_hash(seq, img.view()) : difference_hash(par, img.view());
            char fields[48];
            std::snprintf(fields, sizeof fields, "\"dhash\": \"%016llx\"", static_cast<unsigned long long>(h));
            return result{.bytes = {}, .fields = fields, .line = {}};
        };
        auto decide = [opt](const std::vector<item>& items, const std::vector<std::optional<result>>& results) {
            std::unordered_set<std::uint64_t> seen;
            std::optional<std::uint64_t> last_kept;
            std::size_t frames = 0, kept = 0, exact = 0, near = 0;
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (!results[i]) continue;  // failed: reported already
                const std::string& f = results[i]->fields;
                const std::uint64_t h = std::stoull(f.substr(f.find(": \"") + 3, 16), nullptr, 16);
                const std::string name = items[i].input.empty() ? "-" : items[i].input.filename().string();
                ++frames;
                const char* reason = nullptr;
                if (seen.count(h)) {
                    reason = "hash seen before";
                    ++exact;
                } else if (last_kept && hamming_distance(h, *last_kept) <= opt.threshold) {
                    reason = "near the previous kept frame";
                    ++near;
                } else {
                    seen.insert(h);
                    last_kept = h;
                    ++kept;
                }
                if (opt.list) {
                    if (reason)
                        std::printf("drop %s (%s)\n", name.c_str(), reason);
                    else
                        std::printf("keep %s %016llx\n", name.c_str(), static_cast<unsigned long long>(h));
                }
            }
            std::printf("frames %zu, kept %zu, dropped %zu (%zu repeated hashes, %zu near duplicates)\n", frames, kept,
                        exact + near, exact, near);
            std::fflush(stdout);
            return 0;
        };
        return run_batch({.command = "dedup", .output_ext = {}, .output_required = false}, opt.io, hash, decide);
    };
    return run;
}

}  // namespace vecta::cli
