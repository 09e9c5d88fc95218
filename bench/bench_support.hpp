// SPDX-License-Identifier: MIT
// Inputs shared by the benches: photos of the shared corpus found through VECTA_DATA_DIR
// (environment) or the CMake setting; a bench whose input is missing is skipped with a message.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vecta/io/image_file.hpp>

namespace vecta_bench {

inline std::filesystem::path data_dir() {
    if (const char* env = std::getenv("VECTA_DATA_DIR"); env && *env) return env;
    return VECTA_BENCH_DATA_DIR;
}

inline std::filesystem::path repo_dir() { return VECTA_BENCH_REPO_DIR; }

/// Loads (once) an image with the given channel count; nullptr when the file is absent.
inline const vecta::image<std::uint8_t>* load(const std::filesystem::path& path, int channels) {
    static std::map<std::string, std::optional<vecta::image<std::uint8_t>>> cache;
    const std::string key = path.string() + "#" + std::to_string(channels);
    auto it = cache.find(key);
    if (it == cache.end()) {
        std::optional<vecta::image<std::uint8_t>> img;
        if (std::filesystem::exists(path)) img = vecta::io::load_image(path, {.channels = channels});
        it = cache.emplace(key, std::move(img)).first;
    }
    return it->second ? &*it->second : nullptr;
}

/// The W1/W2 benchmark frame of the given size ("1920x1080" or "3840x2160").
inline const vecta::image<std::uint8_t>* bench_frame(const std::string& size, int channels) {
    const auto dir = data_dir() / "photos";
    const std::string name =
        size == "1920x1080" ? "bench-1920x1080-kde-path.jpg" : "bench-3840x2160-kde-eveningglow.jpg";
    return load(dir / name, channels);
}

inline bool skip_if_missing(benchmark::State& state, const void* img) {
    if (img == nullptr) {
        state.SkipWithError("shared data not found: set VECTA_DATA_DIR to ../shared/data");
        return true;
    }
    return false;
}

}  // namespace vecta_bench
