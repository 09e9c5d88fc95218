// SPDX-License-Identifier: MIT
// vecta/imgproc/tile_stats.hpp - per-tile mean, standard deviation, minimum and maximum of an
// 8-bit image, per channel, from exact integer sums.
//
// Tiles: an image of w x h pixels is cut into tiles_x = ceil(w / tile width) by tiles_y =
// ceil(h / tile height) tiles, row-major; tile (i, j) covers the pixels x in [i tw, min(w, (i + 1) tw))
// and y in [j th, min(h, (j + 1) th)). The last column and row of tiles are partial when the tile
// size does not divide the image (their statistics are over the pixels they hold); a tile larger
// than the image gives one tile, the whole image.
// Numbers: per tile and channel, the sum S and the sum of squares Q of the n pixel values are
// exact integers (32-bit column sums per band of at most 65536 rows, then 64-bit per tile), so
// mean = S / n (one rounding, double) and the population variance (ddof = 0, as numpy.std)
// var = (n Q - S^2) / n^2 with an exact integer numerator; stddev = sqrt(var). min and max are
// exact. Every policy, thread count and vector width gives the same bits.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "dispatch.hpp"

namespace vecta {

/// Tile size in pixels (both >= 1; larger than the image is allowed).
struct tile_params {
    std::size_t width = 32;
    std::size_t height = 32;
};

/// Statistics of every tile: four images of tiles_x x tiles_y pixels with the channel count of the
/// source; pixel (i, j, c) belongs to tile (i, j), channel c.
struct tile_stats_result {
    image<double> mean;
    image<double> stddev;
    image<std::uint8_t> min;
    image<std::uint8_t> max;
};

namespace detail {

VECTA_IMGPROC_KERNELS_BEGIN
/// Over the n bytes of one image row: s[i] += p[i], q[i] += p[i]^2, mn[i] = min, mx[i] = max.
/// Plain loops the compiler vectorizes for each dispatched instruction set (run<B> is inlined into
/// functions compiled for SSE2 / AVX2 / AVX-512); exact integers, so every width agrees.
struct tile_accumulate_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint8_t* p, std::size_t n, std::uint32_t* s, std::uint32_t* q,
                                         std::uint8_t* mn, std::uint8_t* mx) noexcept {
        loops(p, n, s, q, mn, mx);
    }
    static void scalar(const std::uint8_t* p, std::size_t n, std::uint32_t* s, std::uint32_t* q, std::uint8_t* mn,
                       std::uint8_t* mx) noexcept {
        loops(p, n, s, q, mn, mx);
    }
    static VECTA_IMGPROC_INLINE void loops(const std::uint8_t* __restrict p, std::size_t n, std::uint32_t* __restrict s,
                                           std::uint32_t* __restrict q, std::uint8_t* __restrict mn,
                                           std::uint8_t* __restrict mx) noexcept {
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t v = p[i];
            const std::uint32_t v32 = v;
            s[i] += v32;
            q[i] += std::uint32_t(std::uint16_t(v * v));  // v^2 <= 65025 fits 16 bits
            mn[i] = v < mn[i] ? v : mn[i];
            mx[i] = v > mx[i] ? v : mx[i];
        }
    }
};
VECTA_IMGPROC_DISPATCH(tile_accumulate_row,
                       (const std::uint8_t* p, std::size_t n, std::uint32_t* s, std::uint32_t* q, std::uint8_t* mn,
                        std::uint8_t* mx),
                       (p, n, s, q, mn, mx))
VECTA_IMGPROC_KERNELS_END

/// Population variance (n Q - S^2) / n^2 with the numerator exact (n Q - S^2 >= 0 by
/// Cauchy-Schwarz; it needs up to 2 log2(n) + 16 bits).
inline double tile_variance(std::uint64_t n, std::uint64_t s, std::uint64_t q) noexcept {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    const u128 num = u128(n) * q - u128(s) * s;
    return double(num) / (double(u128(n) * n));
#else
    if (n < (std::uint64_t(1) << 24)) return double(n * q - s * s) / (double(n) * double(n));
    const long double ld = static_cast<long double>(n) * q - static_cast<long double>(s) * s;
    return double(ld / (static_cast<long double>(n) * n));
#endif
}

/// Rows of 32-bit column sums before they are folded into the 64-bit tile sums: 65536 * 65025
/// < 2^32, so the sums of squares never overflow.
inline constexpr std::size_t tile_band_rows = 65536;

}  // namespace detail

/// Number of tiles along an extent of `extent` pixels for tiles of `tile` pixels: ceil(extent /
/// tile). `tile` must be >= 1 (not checked: tile_stats validates it).
constexpr std::size_t tile_count(std::size_t extent, std::size_t tile) noexcept {
    return extent / tile + (extent % tile != 0 ? 1 : 0);
}

/// Per-tile mean, population standard deviation (ddof = 0), minimum and maximum of every channel of
/// an 8-bit image, in tiles of params.width x params.height pixels (layout, partial tiles and the
/// arithmetic at the top of this header). Outputs go into caller views, each tiles_x x tiles_y
/// pixels with the channels of src: mean(i, j, c), stddev(i, j, c), min(i, j, c), max(i, j, c) of
/// tile (i, j). Shapes: src w x h x {1, 2, 3, 4}, any row stride. Bands of tiles run in parallel
/// under vecta::par; the row pass is SIMD (runtime dispatch, imgproc/dispatch.hpp) with a scalar
/// path under `| vecta::simd::scalar`; all give identical bits. O(w h C) time, O(w C) memory per
/// thread; no allocation per row.
/// Throws vecta::invalid_argument naming "src" (empty, or not 1 to 4 channels), "params.width" or
/// "params.height" (0), "mean", "stddev", "min" or "max" (not tiles_x x tiles_y x C, or overlapping
/// src or another output in memory).
template <execution_policy P>
void tile_stats(const P& policy, image_view<const std::uint8_t> src, const tile_params& params, image_view<double> mean,
                image_view<double> stddev, image_view<std::uint8_t> min, image_view<std::uint8_t> max) {
    constexpr std::string_view fn = "vecta::tile_stats";
    detail::check_image(src, fn, "src");
    detail::require(src.channels() >= 1 && src.channels() <= 4, fn, "src", "must have 1 to 4 channels");
    detail::require(params.width >= 1, fn, "params.width", "must be >= 1");
    detail::require(params.height >= 1, fn, "params.height", "must be >= 1");
    const std::size_t w = src.width(), h = src.height(), cn = src.channels();
    const std::size_t tw = params.width, th = params.height, tx = tile_count(w, tw), ty = tile_count(h, th);
    const auto check_out = [&](const auto& v, std::string_view name) {
        detail::require(v.width() == tx && v.height() == ty && v.channels() == cn, fn, name,
                        "must be tiles_x x tiles_y (" + std::to_string(tx) + " x " + std::to_string(ty) + ") with " +
                            std::to_string(cn) + " channel(s)");
        detail::require(!detail::views_overlap(v, src), fn, name, "must not overlap src in memory");
    };
    check_out(mean, "mean");
    check_out(stddev, "stddev");
    check_out(min, "min");
    check_out(max, "max");
    detail::require(!detail::views_overlap(mean, stddev), fn, "stddev", "must not overlap mean in memory");
    detail::require(!detail::views_overlap(mean, min) && !detail::views_overlap(stddev, min), fn, "min",
                    "must not overlap mean or stddev in memory");
    detail::require(
        !detail::views_overlap(mean, max) && !detail::views_overlap(stddev, max) && !detail::views_overlap(min, max),
        fn, "max", "must not overlap mean, stddev or min in memory");

    const std::size_t n = w * cn;
    const int bytes = detail::policy_vector_bytes(policy);
    detail::parallel_for(policy, ty, 1, [&](std::size_t r0, std::size_t r1) {
        std::vector<std::uint32_t> s(n), q(n);
        std::vector<std::uint8_t> mn(n), mx(n);
        std::vector<std::uint64_t> ts(tx * cn), tq(tx * cn);
        std::vector<std::uint8_t> tmn(tx * cn), tmx(tx * cn);
        for (std::size_t r = r0; r < r1; ++r) {
            const std::size_t y0 = r * th, y1 = y0 + std::min(th, h - y0);
            std::fill(ts.begin(), ts.end(), 0);
            std::fill(tq.begin(), tq.end(), 0);
            std::fill(tmn.begin(), tmn.end(), std::uint8_t(255));
            std::fill(tmx.begin(), tmx.end(), std::uint8_t(0));
            for (std::size_t b0 = y0; b0 < y1; b0 += detail::tile_band_rows) {
                const std::size_t b1 = std::min(y1, b0 + detail::tile_band_rows);
                std::fill(s.begin(), s.end(), 0u);
                std::fill(q.begin(), q.end(), 0u);
                std::fill(mn.begin(), mn.end(), std::uint8_t(255));
                std::fill(mx.begin(), mx.end(), std::uint8_t(0));
                for (std::size_t y = b0; y < b1; ++y)
                    detail::tile_accumulate_row_call(bytes, src.row(y), n, s.data(), q.data(), mn.data(), mx.data());
                for (std::size_t t = 0; t < tx; ++t) {
                    const std::size_t x0 = t * tw, i0 = x0 * cn, i1 = (x0 + std::min(tw, w - x0)) * cn;
                    for (std::size_t c = 0; c < cn; ++c) {
                        std::uint64_t a = 0, b = 0;
                        std::uint8_t lo = 255, hi = 0;
                        for (std::size_t i = i0 + c; i < i1; i += cn) {
                            a += s[i];
                            b += q[i];
                            lo = std::min(lo, mn[i]);
                            hi = std::max(hi, mx[i]);
                        }
                        const std::size_t k = t * cn + c;
                        ts[k] += a;
                        tq[k] += b;
                        tmn[k] = std::min(tmn[k], lo);
                        tmx[k] = std::max(tmx[k], hi);
                    }
                }
            }
            double* om = mean.row(r);
            double* os = stddev.row(r);
            std::uint8_t* olo = min.row(r);
            std::uint8_t* ohi = max.row(r);
            for (std::size_t t = 0; t < tx; ++t) {
                const std::uint64_t cnt = std::uint64_t(std::min(tw, w - t * tw)) * (y1 - y0);
                for (std::size_t c = 0; c < cn; ++c) {
                    const std::size_t k = t * cn + c;
                    om[k] = double(ts[k]) / double(cnt);
                    os[k] = std::sqrt(detail::tile_variance(cnt, ts[k], tq[k]));
                    olo[k] = tmn[k];
                    ohi[k] = tmx[k];
                }
            }
        }
    });
}

/// tile_stats(vecta::seq, src, params, mean, stddev, min, max).
inline void tile_stats(image_view<const std::uint8_t> src, const tile_params& params, image_view<double> mean,
                       image_view<double> stddev, image_view<std::uint8_t> min, image_view<std::uint8_t> max) {
    tile_stats(seq, src, params, mean, stddev, min, max);
}

/// Returns the statistics in four new images (see the overload with output views; allocates
/// them). Throws vecta::invalid_argument as that overload does for "src" and "params.*".
template <execution_policy P>
tile_stats_result tile_stats(const P& policy, image_view<const std::uint8_t> src, const tile_params& params = {}) {
    constexpr std::string_view fn = "vecta::tile_stats";
    detail::check_image(src, fn, "src");
    detail::require(params.width >= 1, fn, "params.width", "must be >= 1");
    detail::require(params.height >= 1, fn, "params.height", "must be >= 1");
    const std::size_t tx = tile_count(src.width(), params.width), ty = tile_count(src.height(), params.height);
    const std::size_t cn = src.channels();
    tile_stats_result r{image<double>(tx, ty, cn), image<double>(tx, ty, cn), image<std::uint8_t>(tx, ty, cn),
                        image<std::uint8_t>(tx, ty, cn)};
    tile_stats(policy, src, params, r.mean.view(), r.stddev.view(), r.min.view(), r.max.view());
    return r;
}

/// tile_stats(vecta::seq, src, params).
inline tile_stats_result tile_stats(image_view<const std::uint8_t> src, const tile_params& params = {}) {
    return tile_stats(seq, src, params);
}

}  // namespace vecta
