// SPDX-License-Identifier: MIT
// Helpers for the imgproc tests: seeded random images (splitmix64, no std distributions),
// strided copies, the border rule written independently of vecta::detail::border_index, and a
// loop over every xsimd architecture the build enables (SIMD == scalar on each instruction set).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vecta/core/execution.hpp>
#include <vecta/core/image.hpp>
#include <vecta/core/simd.hpp>
#include <vecta/imgproc/border.hpp>
#include <vecta/imgproc/dispatch.hpp>
#include <vector>

#include "test_arch.hpp"

namespace imgproc_test {

struct splitmix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) (n small; the modulo bias is irrelevant for tests).
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
};

inline vecta::image<std::uint8_t> random_u8(std::size_t w, std::size_t h, std::size_t c, std::uint64_t seed) {
    vecta::image<std::uint8_t> im(w, h, c);
    splitmix64 rng{seed};
    for (std::size_t i = 0; i < im.size(); ++i) im.data()[i] = static_cast<std::uint8_t>(rng.below(256));
    return im;
}

/// A random image with structure: random noise box-averaged over (2r+1)^2 (clamped window).
inline vecta::image<std::uint8_t> smooth_random_u8(std::size_t w, std::size_t h, std::uint64_t seed, int r = 2) {
    auto noise = random_u8(w, h, 1, seed);
    vecta::image<std::uint8_t> out(w, h, 1);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            int sum = 0, n = 0;
            for (int dy = -r; dy <= r; ++dy)
                for (int dx = -r; dx <= r; ++dx) {
                    const long yy = long(y) + dy, xx = long(x) + dx;
                    if (yy < 0 || xx < 0 || yy >= long(h) || xx >= long(w)) continue;
                    sum += noise(std::size_t(xx), std::size_t(yy));
                    ++n;
                }
            out(x, y) = static_cast<std::uint8_t>(sum / n);
        }
    return out;
}

/// Storage plus a view with `pad` extra elements per row (a non-contiguous view).
template <class T>
struct strided {
    std::vector<T> storage;
    vecta::image_view<T> view;
    strided(std::size_t w, std::size_t h, std::size_t c, std::size_t pad, T fill = T{})
        : storage((w * c + pad) * h + 1, fill), view(storage.data(), w, h, c, w * c + pad) {}
    operator vecta::image_view<T>() const { return view; }
    operator vecta::image_view<const T>() const { return view; }
};

template <class T>
strided<T> strided_copy(vecta::image_view<const T> src, std::size_t pad) {
    strided<T> s(src.width(), src.height(), src.channels(), pad, T(77));
    for (std::size_t y = 0; y < src.height(); ++y)
        for (std::size_t i = 0; i < src.width() * src.channels(); ++i) s.view.row(y)[i] = src.row(y)[i];
    return s;
}

/// Reference border rule by repeated reflection (not the library's modulo formula).
/// Returns -1 for "outside, read 0".
inline long ref_border(long i, long n, vecta::border_mode mode) {
    if (i >= 0 && i < n) return i;
    if (mode == vecta::border_mode::constant) return -1;
    if (mode == vecta::border_mode::replicate) return i < 0 ? 0 : n - 1;
    if (n == 1) return 0;
    while (i < 0 || i >= n) {
        if (i < 0) i = -i;
        if (i >= n) i = 2 * (n - 1) - i;
    }
    return i;
}

template <class T>
bool equal_pixels(vecta::image_view<const T> a, vecta::image_view<const T> b) {
    if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) return false;
    for (std::size_t y = 0; y < a.height(); ++y)
        for (std::size_t i = 0; i < a.width() * a.channels(); ++i)
            if (a.row(y)[i] != b.row(y)[i]) return false;
    return true;
}

using vecta::test::for_each_arch;

/// Calls f(policy, bytes) with vecta::seq | vecta::detail::vec_width<B> for the dispatched
/// integer kernels' widths B = 16, 32, 64 (those the CPU lacks run the widest it has), then 0
/// (scalar); and vecta::par with the native width.
template <class F>
void for_each_width(F&& f) {
    f(vecta::seq | vecta::detail::vec_width<16>, 16);
    f(vecta::seq | vecta::detail::vec_width<32>, 32);
    f(vecta::seq | vecta::detail::vec_width<64>, 64);
    f(vecta::seq | vecta::detail::vec_width<0>, 0);
    f(vecta::par, -1);
}

constexpr vecta::border_mode all_borders[] = {vecta::border_mode::reflect101, vecta::border_mode::replicate,
                                              vecta::border_mode::constant};

}  // namespace imgproc_test
