// SPDX-License-Identifier: MIT
// Helpers shared by the tests: data paths, random images, a plain PSNR, the bad-argument matcher.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vecta/core/image.hpp>

namespace vecta_test {

/// The shared corpus (../shared/data), overridable with the VECTA_DATA_DIR environment variable.
/// Empty when absent: tests that need it print a message and skip.
inline std::filesystem::path data_dir() {
    if (const char* env = std::getenv("VECTA_DATA_DIR"); env && *env) return env;
    std::filesystem::path p = VECTA_TEST_DATA_DIR;
    return std::filesystem::exists(p) ? p : std::filesystem::path{};
}

inline std::filesystem::path repo_dir() { return VECTA_REPO_DIR; }

/// Matches the message of a vecta::invalid_argument that names `arg`: the argument's name comes
/// right after the function's, as in "vecta::f: arg must be ...".
inline doctest::Contains names(const char* arg) { return doctest::Contains((std::string(": ") + arg + " ").c_str()); }

template <class T = std::uint8_t>
vecta::image<T> random_image(std::size_t w, std::size_t h, std::size_t c, std::uint32_t seed, int lo = 0,
                             int hi = 255) {
    vecta::image<T> im(w, h, c);
    // splitmix64, mapped by modulo: the same images with every standard library.
    std::uint64_t state = seed;
    const auto span = static_cast<std::uint64_t>(hi - lo + 1);
    for (std::size_t i = 0; i < im.size(); ++i) {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        im.data()[i] = static_cast<T>(lo + static_cast<int>(z % span));
    }
    return im;
}

/// PSNR in dB over all channels, 8-bit peak.
inline double psnr(vecta::image_view<const std::uint8_t> a, vecta::image_view<const std::uint8_t> b) {
    double se = 0;
    std::size_t n = 0;
    for (std::size_t y = 0; y < a.height(); ++y)
        for (std::size_t x = 0; x < a.width() * a.channels(); ++x) {
            const double d = double(a.row(y)[x]) - double(b.row(y)[x]);
            se += d * d;
            ++n;
        }
    if (se == 0) return 99.0;
    return 10.0 * std::log10(255.0 * 255.0 / (se / double(n)));
}

}  // namespace vecta_test
