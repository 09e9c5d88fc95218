// SPDX-License-Identifier: MIT
// vecta/imgproc/frame_hash.hpp - perceptual frame hashes (aHash, dHash), their Hamming distance,
// and the thresholded difference of two frames.
//
// Grey level of a pixel: the value itself for 1 channel; for 3 (RGB) or 4 (RGBA, alpha ignored)
// channels the BT.601 luma of to_gray, (9798 R + 19235 G + 3735 B + 16384) >> 15.
// Grid cells: an image of w x h pixels is divided into gw x gh cells; cell (i, j) covers the
// pixels x in [floor(i w / gw), ceil((i + 1) w / gw)) and y likewise, so cells partition the
// image when gw divides w (and gh divides h), overlap by at most one pixel otherwise, and are
// never empty (images smaller than the grid reuse pixels). A cell's value is the mean grey
// level of its pixels (area average), in double.
// Hash bits: bit r * 8 + c (bit 0 = least significant) belongs to cell row r, column c.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/simd.hpp"
#include "dispatch.hpp"
#include "gray.hpp"

namespace vecta {

namespace detail {

inline std::uint32_t grey_of(const std::uint8_t* p, std::size_t channels) noexcept {
    if (channels < 3) return p[0];
    return bt601_luma(p[0], p[1], p[2]);
}

VECTA_IMGPROC_KERNELS_BEGIN
/// acc[x] += grey level of pixel x of one row (1, 3 or 4 channels). Plain loops that the
/// compiler vectorizes for each dispatched instruction set (run<B> is inlined into functions
/// compiled for SSE2 / AVX2 / AVX-512); exact integers, so every width gives the same sums.
struct grey_accumulate_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint8_t* p, std::size_t cn, std::size_t w,
                                         std::uint32_t* acc) noexcept {
        loops(p, cn, w, acc);
    }
    static void scalar(const std::uint8_t* p, std::size_t cn, std::size_t w, std::uint32_t* acc) noexcept {
        loops(p, cn, w, acc);
    }
    static VECTA_IMGPROC_INLINE void loops(const std::uint8_t* p, std::size_t cn, std::size_t w,
                                           std::uint32_t* acc) noexcept {
        if (cn == 1) {
            for (std::size_t x = 0; x < w; ++x) acc[x] += p[x];
        } else if (cn == 3) {
            for (std::size_t x = 0; x < w; ++x) acc[x] += bt601_luma(p[3 * x], p[3 * x + 1], p[3 * x + 2]);
        } else {
            for (std::size_t x = 0; x < w; ++x) acc[x] += bt601_luma(p[4 * x], p[4 * x + 1], p[4 * x + 2]);
        }
    }
};
VECTA_IMGPROC_DISPATCH(grey_accumulate_row, (const std::uint8_t* p, std::size_t cn, std::size_t w, std::uint32_t* acc),
                       (p, cn, w, acc))
VECTA_IMGPROC_KERNELS_END

/// Mean grey level of each of the gw x gh cells (row-major into `means`), cell rows computed in
/// parallel: the grey levels of the cell row's image rows are summed per column (dispatched
/// kernel above; u32 is exact for up to 16.8 million rows), then per cell. Exact integer sums,
/// one division per cell: identical under seq and par and every vector width.
template <class P>
void grid_means(const P& policy, image_view<const std::uint8_t> src, std::size_t gw, std::size_t gh, double* means) {
    const std::size_t w = src.width(), h = src.height(), cn = src.channels();
    const int bytes = policy_vector_bytes(policy);
    parallel_for(policy, gh, 1, [&](std::size_t r0, std::size_t r1) {
        std::vector<std::uint32_t> colsum(w);
        for (std::size_t r = r0; r < r1; ++r) {
            const std::size_t y0 = r * h / gh, y1 = ((r + 1) * h + gh - 1) / gh;
            std::fill(colsum.begin(), colsum.end(), 0u);
            for (std::size_t y = y0; y < y1; ++y) grey_accumulate_row_call(bytes, src.row(y), cn, w, colsum.data());
            for (std::size_t c = 0; c < gw; ++c) {
                const std::size_t x0 = c * w / gw, x1 = ((c + 1) * w + gw - 1) / gw;
                std::uint64_t sum = 0;
                for (std::size_t x = x0; x < x1; ++x) sum += colsum[x];
                means[r * gw + c] = double(sum) / double((x1 - x0) * (y1 - y0));
            }
        }
    });
}

inline void check_hash_input(image_view<const std::uint8_t> src, std::string_view fn) {
    check_image(src, fn, "src");
    require(src.channels() == 1 || src.channels() == 3 || src.channels() == 4, fn, "src",
            "must have 1 (grey), 3 (RGB) or 4 (RGBA) channels");
}

/// Per byte: out[i] = |a[i] - b[i]| > t ? 255 : 0 (integer: every width gives the same bytes).
VECTA_IMGPROC_KERNELS_BEGIN
struct diff_threshold {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t n,
                                         std::uint8_t t) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V = vec<std::uint8_t, B>;
        std::size_t i = 0;
        for (; i + B <= n; i += B) {
            const V va = vload<V>(a + i), vb = vload<V>(b + i);
            const V m = (V)(va > vb);
            const V d = ((va - vb) & m) | ((vb - va) & ~m);  // |a - b| without overflow
            vstore(out + i, (V)(d > t));
        }
        tail(a, b, out, i, n, t);
#else
        tail(a, b, out, 0, n, t);
#endif
    }
    static void scalar(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t n,
                       std::uint8_t t) noexcept {
        tail(a, b, out, 0, n, t);
    }
    static void tail(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t i, std::size_t n,
                     std::uint8_t t) noexcept {
        for (; i < n; ++i) {
            const int d = a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
            out[i] = d > t ? 255 : 0;
        }
    }
};
VECTA_IMGPROC_DISPATCH(diff_threshold,
                       (const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t n, std::uint8_t t),
                       (a, b, out, n, t))
VECTA_IMGPROC_KERNELS_END

}  // namespace detail

/// Average hash (aHash; N. Krawetz, "Looks like it", 2011): the grey image area-averaged to 8 x 8
/// cells (see the top of this header), bit r * 8 + c = 1 when cell (c, r) is brighter than the
/// mean of the 64 cells. Shapes: src w x h x {1, 3, 4}, any size >= 1 x 1. O(w h). Identical
/// under seq and par. Throws vecta::invalid_argument naming "src" when it is empty or has
/// another channel count.
template <execution_policy P>
std::uint64_t average_hash(const P& policy, image_view<const std::uint8_t> src) {
    detail::check_hash_input(src, "vecta::average_hash");
    std::array<double, 64> m;
    detail::grid_means(policy, src, 8, 8, m.data());
    double mean = 0;
    for (double v : m) mean += v;
    mean /= 64;
    std::uint64_t hash = 0;
    for (std::size_t i = 0; i < 64; ++i) hash |= std::uint64_t(m[i] > mean) << i;
    return hash;
}
/// average_hash(vecta::seq, src).
inline std::uint64_t average_hash(image_view<const std::uint8_t> src) { return average_hash(seq, src); }

/// Difference hash (dHash; N. Krawetz, "Kind of like that", 2013): the grey image area-averaged to
/// 9 x 8 cells (9 columns), bit r * 8 + c = 1 when cell (c, r) is brighter than its right
/// neighbour (c + 1, r). Robust to brightness and contrast changes; near-duplicate frames differ
/// in a few bits (compare with hamming_distance). Shapes, cost and errors as average_hash.
template <execution_policy P>
std::uint64_t difference_hash(const P& policy, image_view<const std::uint8_t> src) {
    detail::check_hash_input(src, "vecta::difference_hash");
    std::array<double, 72> m;
    detail::grid_means(policy, src, 9, 8, m.data());
    std::uint64_t hash = 0;
    for (std::size_t r = 0; r < 8; ++r)
        for (std::size_t c = 0; c < 8; ++c) hash |= std::uint64_t(m[r * 9 + c] > m[r * 9 + c + 1]) << (r * 8 + c);
    return hash;
}
/// difference_hash(vecta::seq, src).
inline std::uint64_t difference_hash(image_view<const std::uint8_t> src) { return difference_hash(seq, src); }

/// Number of differing bits of two 64-bit hashes (std::popcount(a ^ b)), 0..64. O(1).
constexpr int hamming_distance(std::uint64_t a, std::uint64_t b) noexcept { return std::popcount(a ^ b); }

/// Changed pixels between two frames: mask_out(x, y) = 255 when max over channels of
/// |a(x, y, c) - b(x, y, c)| > threshold, else 0; returns the number of 255s. Shapes: a and b
/// w x h x C (any C >= 1, same shape), mask_out w x h x 1 caller-owned. Rows run in parallel
/// under vecta::par; SIMD dispatched at run time (dispatch.hpp: SSE2, AVX2, AVX-512 from one
/// build) with a scalar path selected by `| vecta::simd::scalar`, identical results. O(w h C). Throws
/// vecta::invalid_argument naming "a" (empty), "b" (another shape), "mask_out" (not w x h x 1, or overlapping a or b)
/// or "threshold" (outside [0, 255]).
template <execution_policy P>
std::size_t frame_difference(const P& policy, image_view<const std::uint8_t> a, image_view<const std::uint8_t> b,
                             image_view<std::uint8_t> mask_out, int threshold = 25) {
    constexpr std::string_view fn = "vecta::frame_difference";
    detail::check_image(a, fn, "a");
    detail::check_same_shape(a, b, fn, "b");
    detail::require(mask_out.width() == a.width() && mask_out.height() == a.height() && mask_out.channels() == 1, fn,
                    "mask_out", "must have the width and height of a and 1 channel");
    detail::require(!detail::views_overlap(a, mask_out) && !detail::views_overlap(b, mask_out), fn, "mask_out",
                    "must not overlap a or b in memory");
    detail::require(threshold >= 0 && threshold <= 255, fn, "threshold", "must be in [0, 255]");
    const std::size_t w = a.width(), h = a.height(), cn = a.channels(), block = 32;
    const auto t = static_cast<std::uint8_t>(threshold);
    const int bytes = detail::policy_vector_bytes(policy);
    std::vector<std::size_t> counts((h + block - 1) / block, 0);
    detail::parallel_for(policy, h, block, [&](std::size_t y0, std::size_t y1) {
        std::vector<std::uint8_t> buf(cn > 1 ? w * cn : 0);
        std::size_t count = 0;
        for (std::size_t y = y0; y < y1; ++y) {
            std::uint8_t* m = mask_out.row(y);
            if (cn == 1) {
                detail::diff_threshold_call(bytes, a.row(y), b.row(y), m, w, t);
            } else {
                detail::diff_threshold_call(bytes, a.row(y), b.row(y), buf.data(), w * cn, t);
                for (std::size_t x = 0; x < w; ++x) {
                    std::uint8_t v = 0;
                    for (std::size_t c = 0; c < cn; ++c) v |= buf[x * cn + c];
                    m[x] = v;
                }
            }
            for (std::size_t x = 0; x < w; ++x) count += m[x] & 1u;
        }
        counts[y0 / block] = count;
    });
    std::size_t total = 0;
    for (std::size_t c : counts) total += c;
    return total;
}

/// frame_difference(vecta::seq, a, b, mask_out, threshold).
inline std::size_t frame_difference(image_view<const std::uint8_t> a, image_view<const std::uint8_t> b,
                                    image_view<std::uint8_t> mask_out, int threshold = 25) {
    return frame_difference(seq, a, b, mask_out, threshold);
}

}  // namespace vecta
