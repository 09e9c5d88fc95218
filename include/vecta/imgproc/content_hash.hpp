// SPDX-License-Identifier: MIT
// vecta/imgproc/content_hash.hpp - exact 64-bit hash of an image's pixels (XXH3 through xxHash).
//
// The perceptual hashes of frame_hash.hpp give near-duplicate frames the same hash on purpose;
// content_hash tells exact duplicates apart: any changed byte changes it (with probability
// 1 - 2^-64 for unrelated inputs). It is XXH3-64 (Yann Collet, xxHash 0.8, "XXH3" in the xxHash
// specification), taken from the xxhash.h the system provides (Debian libxxhash-dev, vcpkg and
// Conan xxhash), compiled inline (XXH_INLINE_ALL) so that vecta stays header-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../core/image.hpp"

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#define VECTA_UNDEF_XXH_INLINE_ALL
#endif
#include <xxhash.h>
#ifdef VECTA_UNDEF_XXH_INLINE_ALL
#undef XXH_INLINE_ALL
#undef VECTA_UNDEF_XXH_INLINE_ALL
#endif

namespace vecta {

/// Exact hash of the pixels of `img`: equal to XXH3_64bits_withSeed(bytes, n, seed) over the
/// view's pixel bytes packed row after row (width * channels * sizeof(T) bytes per row, the
/// padding between rows excluded), so a padded or cropped view and its packed copy hash alike.
/// The width, height and channel count are not hashed (a 2 x 3 and a 3 x 2 image of the same
/// bytes collide: compare shapes too). A contiguous view is hashed in one call, a strided one
/// through XXH3's streaming state, row by row, which gives the same value. Any T (the bytes of
/// the elements in memory order, so the value of multi-byte T depends on the CPU's endianness).
/// An empty view hashes as zero bytes. O(w h C), about the speed of reading the pixels once;
/// sequential (no policy: XXH3 is one chain over the bytes). No allocation, never throws.
template <class T>
std::uint64_t content_hash(image_view<T> img, std::uint64_t seed = 0) noexcept {
    static_assert(std::is_trivially_copyable_v<std::remove_cv_t<T>>, "content_hash hashes the bytes of pixels");
    if (img.empty()) return XXH3_64bits_withSeed(nullptr, 0, seed);
    const std::size_t row_bytes = img.width() * img.channels() * sizeof(T);
    if (img.contiguous() || img.height() == 1) return XXH3_64bits_withSeed(img.data(), row_bytes * img.height(), seed);
    XXH3_state_t state;
    XXH3_INITSTATE(&state);
    XXH3_64bits_reset_withSeed(&state, seed);
    for (std::size_t y = 0; y < img.height(); ++y) XXH3_64bits_update(&state, img.row(y), row_bytes);
    return XXH3_64bits_digest(&state);
}

/// content_hash of an owning image (its view).
template <class T>
std::uint64_t content_hash(const image<T>& img, std::uint64_t seed = 0) noexcept {
    return content_hash(img.view(), seed);
}

}  // namespace vecta
