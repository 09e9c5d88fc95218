// SPDX-License-Identifier: MIT
// frame_dedup: drops duplicate and near-duplicate frames of a folder of images.
//   frame_dedup DIR
// The frame-monitoring pipeline: reads the images of DIR in name order, in batches whose size is
// the Williams space bound of the frame count (capped by what fits in the ring); computes each
// frame's 64-bit difference hash (dHash); drops a frame when its hash is already in a split-block
// Bloom filter (an exact repeat, or a false positive at the filter's rate) or lies within
// 4 Hamming bits of the last kept frame's hash (a near duplicate). Kept frames' hashes
// are inserted into the filter and their pixels pushed into a frame_ring (timestamped byte frames
// in a fixed buffer of 64 MiB, oldest evicted first), which keeps the most recent kept frames.
// The `vecta dedup` command (docs/cli.md) does the same judgement with options, in parallel.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/io/image_file.hpp>
#include <vecta/math/williams_bound.hpp>
#include <vecta/structures/frame_ring.hpp>
#include <vecta/structures/split_block_bloom_filter.hpp>
#include <vector>

namespace {
bool is_image(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".gif", ".pnm", ".ppm", ".pgm", ".psd", ".hdr"})
        if (ext == e) return true;
    return false;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || !std::filesystem::is_directory(argv[1])) {
        std::fprintf(stderr, "usage: frame_dedup DIR (a folder of images)\n");
        return 2;
    }
    const std::string dir = argv[1];
    constexpr unsigned threshold = 4, bits_per_key = 16;  // bits; about 0.05 % false drops
    constexpr std::size_t ring_mb = 64;
    try {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (entry.is_regular_file() && is_image(entry.path())) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        // Sized for every frame of the folder at the requested bits per key (k = 8 always).
        vecta::split_block_bloom_filter seen(
            {.bits = std::max<std::uint64_t>(256, std::uint64_t(files.size()) * bits_per_key), .hashes = 8});
        // The kept frames' pixels, newest last, in a fixed buffer (a std::vector here; a memory-mapped
        // file would share them with another process). Timestamps are frame numbers.
        std::vector<std::uint64_t> ring_memory((ring_mb << 20) / sizeof(std::uint64_t));
        vecta::frame_ring ring(std::as_writable_bytes(std::span(ring_memory)));
        // Frames are decoded a batch at a time: the Williams bound of the frame count, capped so a
        // batch of 1080p RGB frames fits in the ring's bytes.
        const std::size_t batch =
            vecta::williams::batch_size(std::max<std::size_t>(files.size(), 1), ring.capacity_bytes(), 1920 * 1080 * 3);
        std::size_t kept = 0, exact = 0, near = 0, batches = 0, too_large = 0;
        std::optional<std::uint64_t> last_kept;
        for (std::size_t first = 0; first < files.size(); first += batch, ++batches) {
            const std::size_t n = std::min(batch, files.size() - first);
            std::vector<vecta::image<unsigned char>> images(n);
            std::vector<std::uint64_t> hashes(n);
            for (std::size_t i = 0; i < n; ++i) {
                images[i] = vecta::io::load_image(files[first + i], {.channels = 3});
                hashes[i] = vecta::difference_hash(vecta::par, images[i]);
            }
            for (std::size_t i = 0; i < n; ++i) {
                const auto& f = files[first + i];
                const std::uint64_t h = hashes[i];
                const char* reason = nullptr;
                if (seen.contains(h)) {
                    reason = "hash seen before";
                    ++exact;
                } else if (last_kept && vecta::hamming_distance(h, *last_kept) <= int(threshold)) {
                    reason = "near the previous kept frame";
                    ++near;
                }
                if (!reason) {
                    seen.insert(h);
                    last_kept = h;
                    ++kept;
                    const auto& img = images[i];
                    const auto bytes = std::as_bytes(std::span(img.data(), img.size()));
                    if (bytes.size() <= ring.max_frame_bytes())
                        ring.push(first + i, bytes);
                    else
                        ++too_large;
                }
                if (reason)
                    std::printf("drop %s (%s)\n", f.filename().string().c_str(), reason);
                else
                    std::printf("keep %s %016llx\n", f.filename().string().c_str(), (unsigned long long)h);
            }
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf(
            "frames %zu, kept %zu, dropped %zu (%zu repeated hashes, %zu near duplicates), %zu batches of "
            "up to %zu, ring holds %zu frames (%.1f of %zu MiB; %zu kept frames larger than the ring), %.1f ms\n",
            files.size(), kept, exact + near, exact, near, batches, batch, ring.size(),
            double(ring.used_bytes()) / double(1 << 20), ring_mb, too_large, ms);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "frame_dedup: %s\n", e.what());
        return 1;
    }
    return 0;
}
