// SPDX-License-Identifier: MIT
// vecta/color/quantize.hpp - colour quantization of an 8-bit RGB image by k-means.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "kmeans.hpp"
#include "lab.hpp"

namespace vecta {

/// The space in which colours are clustered and compared.
enum class color_space {
    rgb,  ///< 8-bit sRGB code values, Euclidean distance
    lab,  ///< CIE L*a*b* (D65), Euclidean distance = CIE76 Delta E
};

/// quantize_params::local_search value that picks the number of steps from the palette size.
inline constexpr std::size_t quantize_local_search_auto = static_cast<std::size_t>(-1);
/// Largest explicit quantize_params::local_search: 64 x the most steps the automatic choice makes
/// (each step costs O(cells colors); 10^9 steps on a 20 x 20 image took about 40 minutes).
inline constexpr std::size_t quantize_local_search_max = 4096;

/// Parameters of vecta::quantize.
struct quantize_params {
    std::size_t colors = 16;               ///< palette size, 1..65536 (fewer if the image has fewer distinct colours)
    color_space space = color_space::rgb;  ///< clustering space
    std::size_t max_iter = 10;             ///< Lloyd iterations at most (>= 1)
    /// Stop when the largest centroid shift is <= tol (>= 0), in 8-bit RGB units (0..255).
    /// In lab mode it is scaled by 100/255 into Delta E units (L* spans 0..100).
    double tol = 1e-4;
    std::uint64_t seed = 0;                            ///< seed of the k-means++ seeding
    kmeans_init init = kmeans_init::greedy_plus_plus;  ///< seeding of the k-means (see vecta::kmeans_init)
    /// Lloyd iterations with or without Hamerly's bounds: the same result either way.
    kmeans_algorithm algorithm = kmeans_algorithm::automatic;
    /// Floyd-Steinberg error diffusion (Floyd & Steinberg 1976) when mapping pixels to the
    /// palette: serpentine scan, error in RGB (see vecta::quantize).
    bool dither = false;
    /// LocalSearch++ swap steps after the k-means++ seeding (Lattanzi & Sohler 2019, see
    /// vecta::quantize); quantize_local_search_auto (the default): `colors` steps when
    /// colors <= 64, none above (each step costs O(cells colors)). 0 disables it; also skipped
    /// when the seeding runs on the distinct colours and there are more than 32768 of them.
    /// Explicit values: 0..quantize_local_search_max (4096).
    std::size_t local_search = quantize_local_search_auto;
};

/// The PSNR vecta::quantize reports for a lossless result; every PSNR is capped at this value.
inline constexpr double quantize_psnr_max = 99.0;

/// PSNR in dB of 8-bit samples from their total squared error `sse` over `samples` samples:
/// 10 log10(255^2 / (sse / samples)), capped at quantize_psnr_max (also the value when sse = 0).
/// The one PSNR formula of vecta's colour stages (quantize, map_to_palette, vectorize's stats).
/// Throws vecta::invalid_argument naming `samples` when it is 0.
inline double psnr_u8(std::uint64_t sse, std::uint64_t samples) {
    detail::require(samples > 0, "vecta::psnr_u8", "samples", "must be positive");
    if (sse == 0) return quantize_psnr_max;
    const double mse = static_cast<double>(sse) / static_cast<double>(samples);
    return std::min(quantize_psnr_max, 10.0 * std::log10(255.0 * 255.0 / mse));
}

/// Result of vecta::quantize.
struct quantize_result {
    std::vector<std::array<std::uint8_t, 3>> palette;  ///< sRGB, one per colour actually used
    image<std::uint16_t> labels;                       ///< width x height, 1 channel, index into palette
    /// dB, quantized vs original over the R, G and B samples with an 8-bit peak:
    /// 10 log10(255^2 / MSE), capped at quantize_psnr_max (99.0, also the value when MSE = 0).
    double psnr = 0;
};

namespace detail {

/// Bits set in x. std::popcount, except on x86 builds without the POPCNT instruction (the
/// x86-64 baseline), where GCC and Clang call libgcc's table loop: there a branch-free SWAR
/// count (Knuth, TAOCP 7.1.3, "sideways addition"), about 2x faster on the colour table's
/// lookups, or with Hw (inlined into a function compiled for POPCNT, table_rows_at) the
/// instruction.
template <bool Hw = false>
VECTA_ALWAYS_INLINE int popcount64(std::uint64_t x) noexcept {
#if (defined(__x86_64__) || defined(__i386__)) && !defined(__POPCNT__)
    if constexpr (Hw) {
        return __builtin_popcountll(x);
    } else {
        x = x - ((x >> 1) & 0x5555555555555555ull);
        x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
        x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
        return static_cast<int>((x * 0x0101010101010101ull) >> 56);
    }
#else
    return std::popcount(x);
#endif
}

/// Distinct colours of a 3-channel image, `keys` in ascending packed order (r << 16 | g << 8 | b)
/// and `counts` the pixels per colour. Two layouts, the same keys and counts:
/// - bitmap (images above color_table::sort_max pixels): a presence bitset over the 2^24 packed
///   colours and the rank of each 64-colour word, so that the index of a colour in `keys` is
///   rank[key >> 6] + popcount of the lower bits of its word. No per-pixel memory: 3 MiB + 12
///   bytes per distinct colour (+ 8 bytes per distinct colour and extra thread under a parallel
///   policy); the 2^18-word bitset is cleared and scanned whatever the image size.
/// - sorted (at most sort_max pixels): the pixels' keys radix-sorted (two 12-bit LSD passes over
///   (key, pixel) pairs), `pixel` the index in `keys` of each pixel (row-major), no bitset:
///   O(pixels + 2^13), 20 bytes per pixel.
/// Per-pixel lookups choose the layout once (pixel_index), not per pixel.
struct color_table {
    /// Largest image (pixels) counted by sorting: below it the bitset's fixed cost dominates
    /// (a 150 x 150 subsample: see docs/python.md, quantize_colors speed).
    static constexpr std::size_t sort_max = std::size_t(1) << 16;
    std::vector<std::uint64_t> bits;
    std::vector<std::uint32_t> rank;
    std::vector<std::uint32_t> keys;
    std::vector<std::uint64_t> counts;
    std::vector<std::uint32_t> pixel;  // sorted layout: index in keys of each pixel

    static std::uint32_t key_at(const std::uint8_t* p) noexcept {
        return (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | std::uint32_t(p[2]);
    }
    /// Bitmap layout only: the index in keys of a colour present in the image.
    template <bool Hw = false>
    VECTA_ALWAYS_INLINE std::uint32_t index_of(std::uint32_t key) const noexcept {
        const std::uint64_t below = bits[key >> 6] & ((std::uint64_t(1) << (key & 63)) - 1);
        return rank[key >> 6] + static_cast<std::uint32_t>(popcount64<Hw>(below));
    }
    /// Calls f(index), index(y, x) the index in keys of pixel (x, y) of src (the image the table
    /// was built from): pixel[y * width + x] in the sorted layout, index_of its colour in the
    /// bitmap one. The layout is chosen here, once, outside f's pixel loops.
    template <class F>
    void pixel_index(image_view<const std::uint8_t> src, F&& f) const {
        if (!pixel.empty()) {
            const std::size_t w = src.width();
            return f([this, w](std::size_t y, std::size_t x) { return pixel[y * w + x]; });
        }
        f([this, src](std::size_t y, std::size_t x) { return index_of(key_at(src.row(y) + 3 * x)); });
    }
};

/// The sorted layout of color_table (see there) for src, sequential: keys, counts and pixel.
inline void distinct_colors_sorted(image_view<const std::uint8_t> src, color_table& t) {
    const std::size_t w = src.width(), h = src.height(), n = w * h;
    // (key << 32 | pixel) pairs, sorted by the key's low then high 12 bits (stable counting
    // sorts, both histograms from one pass).
    std::vector<std::uint64_t> a(n), b(n);
    std::vector<std::uint32_t> lo(4097, 0), hi(4097, 0);
    for (std::size_t y = 0, i = 0; y < h; ++y) {
        const std::uint8_t* row = src.row(y);
        for (std::size_t x = 0; x < w; ++x, ++i) {
            const std::uint32_t key = color_table::key_at(row + 3 * x);
            a[i] = (std::uint64_t(key) << 32) | i;
            ++lo[(key & 0xFFF) + 1];
            ++hi[(key >> 12) + 1];
        }
    }
    for (std::size_t d = 0; d < 4096; ++d) lo[d + 1] += lo[d], hi[d + 1] += hi[d];
    for (std::size_t i = 0; i < n; ++i) b[lo[(a[i] >> 32) & 0xFFF]++] = a[i];
    for (std::size_t i = 0; i < n; ++i) a[hi[b[i] >> 44]++] = b[i];
    t.bits = {};
    t.rank = {};
    t.keys.clear();
    t.counts.clear();
    t.pixel.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto key = static_cast<std::uint32_t>(a[i] >> 32);
        if (t.keys.empty() || t.keys.back() != key) {
            t.keys.push_back(key);
            t.counts.push_back(0);
        }
        ++t.counts.back();
        t.pixel[a[i] & 0xFFFFFFFFu] = static_cast<std::uint32_t>(t.keys.size() - 1);
    }
}

/// Rows [y0, y1) of src through the colour table: with `counts`, ++counts[index] per pixel
/// (pixel counts); otherwise labels[y * width + x] = label_of[index] (the label image).
template <bool Hw>
VECTA_ALWAYS_INLINE void table_rows(image_view<const std::uint8_t> src, const color_table& t, std::size_t y0,
                                    std::size_t y1, std::uint64_t* counts, const std::uint32_t* label_of,
                                    std::uint16_t* labels) noexcept {
    const std::size_t w = src.width();
    for (std::size_t y = y0; y < y1; ++y) {
        const std::uint8_t* row = src.row(y);
        if (counts) {
            for (std::size_t x = 0; x < w; ++x) ++counts[t.index_of<Hw>(color_table::key_at(row + 3 * x))];
        } else {
            std::uint16_t* out = labels + y * w;
            for (std::size_t x = 0; x < w; ++x)
                out[x] = static_cast<std::uint16_t>(label_of[t.index_of<Hw>(color_table::key_at(row + 3 * x))]);
        }
    }
}

/// table_rows at SIMD level `l` through dispatch_width (core/vec.hpp): at the avx2 and avx512
/// widths inside their target functions (whose CPU check includes POPCNT) with the POPCNT
/// instruction, else with popcount64's SWAR count (also wherever dispatch_width has no avx2
/// width: compilers without vector extensions, GCC before 12). Integer results, the same at
/// every level.
inline void table_rows_at(simd::level l, image_view<const std::uint8_t> src, const color_table& t, std::size_t y0,
                          std::size_t y1, std::uint64_t* counts, const std::uint32_t* label_of,
                          std::uint16_t* labels) noexcept {
    dispatch_width(l, [&](auto w) VECTA_LAMBDA_INLINE {
        table_rows<(decltype(w)::value >= 32)>(src, t, y0, y1, counts, label_of, labels);
    });
}

/// The colour table of src (either layout, see color_table): keys ascending, pixel counts exact,
/// the same under any policy and SIMD level.
template <class Policy>
void distinct_colors(const Policy& policy, image_view<const std::uint8_t> src, color_table& t) {
    const simd::level lvl = policy_level(policy);
    const std::size_t w = src.width(), h = src.height();
    if (w * h <= color_table::sort_max) return distinct_colors_sorted(src, t);
    t.pixel = {};
    t.bits.assign(std::size_t(1) << 18, 0);
    parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint8_t* row = src.row(y);
            for (std::size_t x = 0; x < w; ++x) {
                const std::uint32_t key = color_table::key_at(row + 3 * x);
                const std::uint64_t bit = std::uint64_t(1) << (key & 63);
                std::uint64_t& word = t.bits[key >> 6];
                if constexpr (Policy::is_parallel) {
                    std::atomic_ref<std::uint64_t> a(word);
                    if (!(a.load(std::memory_order_relaxed) & bit)) a.fetch_or(bit, std::memory_order_relaxed);
                } else {
                    word |= bit;
                }
            }
        }
    });
    t.rank.resize(t.bits.size());
    std::uint32_t total = 0;
    for (std::size_t i = 0; i < t.bits.size(); ++i) {
        t.rank[i] = total;
        total += static_cast<std::uint32_t>(popcount64(t.bits[i]));
    }
    t.keys.resize(total);
    for (std::size_t i = 0, u = 0; i < t.bits.size(); ++i)
        for (std::uint64_t m = t.bits[i]; m != 0; m &= m - 1)
            t.keys[u++] = static_cast<std::uint32_t>(i * 64 + std::countr_zero(m));
    // Pixel counts: integer sums, so the same under seq and par. In parallel, each of a few
    // row ranges counts into its own array (no atomics), added afterwards.
    t.counts.assign(total, 0);
    const std::size_t parts = Policy::is_parallel ? std::min<std::size_t>({hardware_threads(), 8, (h + 15) / 16}) : 1;
    if (parts <= 1) {
        table_rows_at(lvl, src, t, 0, h, t.counts.data(), nullptr, nullptr);
        return;
    }
    std::vector<std::uint64_t> priv((parts - 1) * total, 0);
    parallel_for(policy, parts, 1, [&](std::size_t p0, std::size_t p1) {
        for (std::size_t p = p0; p < p1; ++p)
            table_rows_at(lvl, src, t, h * p / parts, h * (p + 1) / parts,
                          p == 0 ? t.counts.data() : priv.data() + (p - 1) * total, nullptr, nullptr);
    });
    for (std::size_t p = 1; p < parts; ++p) {
        const std::uint64_t* c = priv.data() + (p - 1) * total;
        for (std::size_t i = 0; i < total; ++i) t.counts[i] += c[i];
    }
}

inline std::array<std::uint8_t, 3> unpack_color(std::uint32_t key) noexcept {
    return {static_cast<std::uint8_t>(key >> 16), static_cast<std::uint8_t>(key >> 8), static_cast<std::uint8_t>(key)};
}

/// Coordinates of an sRGB colour in the clustering space.
inline void color_coords(color_space space, const std::array<std::uint8_t, 3>& c, float* out) noexcept {
    if (space == color_space::lab) {
        const auto lab = rgb_to_lab(c[0], c[1], c[2]);
        out[0] = lab[0], out[1] = lab[1], out[2] = lab[2];
    } else {
        out[0] = c[0], out[1] = c[1], out[2] = c[2];
    }
}

inline std::uint8_t round_channel(float v) noexcept {
    return static_cast<std::uint8_t>(std::clamp(v, 0.0f, 255.0f) + 0.5f);
}

/// Distance computations per pass (points x centres) from which quantize runs its clustering
/// steps under the caller's policy rather than on one thread.
inline constexpr std::size_t quantize_par_work = std::size_t(1) << 20;

/// Coarse colour histogram for the seeding: the distinct colours grouped by the top 5 bits of
/// each channel (32768 bins); each occupied bin (ascending bin order) gets the weighted mean of
/// its colours' coordinates (float, from double sums) and the sum of their weights.
struct coarse_histogram {
    static constexpr std::size_t max_points = std::size_t(1) << 15;
    std::vector<float> coords;
    std::vector<double> weights;
    coarse_histogram(const std::vector<std::uint32_t>& keys, const float* pts, const double* w) {
        constexpr std::size_t bins = std::size_t(1) << 15;
        std::vector<double> acc(bins * 4, 0.0);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::uint32_t key = keys[i];
            const std::size_t bin = ((key >> 9) & 0x7C00u) | ((key >> 6) & 0x3E0u) | ((key >> 3) & 0x1Fu);
            double* a = &acc[bin * 4];
            a[0] += w[i];
            for (int c = 0; c < 3; ++c) a[1 + c] += w[i] * static_cast<double>(pts[i * 3 + c]);
        }
        for (std::size_t b = 0; b < bins; ++b)
            if (acc[b * 4] > 0) {
                weights.push_back(acc[b * 4]);
                for (int c = 0; c < 3; ++c) coords.push_back(static_cast<float>(acc[b * 4 + 1 + c] / acc[b * 4]));
            }
    }
};

/// Floyd-Steinberg error diffusion (Floyd & Steinberg 1976) onto a palette, in float RGB:
/// rows top to bottom, serpentine (even rows left to right, odd rows right to left). At each
/// pixel v = clamp(src + err, 0, 255) per channel; its label is the palette entry nearest to v
/// (squared Euclidean distance accumulated acc = acc + d * d over r, g, b, ties to the lower
/// index); the error e = v - palette is added to the neighbours as e * 7/16 (next pixel in scan
/// direction), e * 3/16 (below, behind), e * 5/16 (below), e * 1/16 (below, ahead). Sequential
/// (the scan order is the algorithm), O(pixels * palette), two rows of float error.
inline void floyd_steinberg(image_view<const std::uint8_t> src, const std::vector<std::array<std::uint8_t, 3>>& pal,
                            std::uint16_t* labels) noexcept {
    const std::size_t w = src.width(), h = src.height(), np = pal.size();
    std::vector<float> pf(np * 3), cur((w + 2) * 3, 0.0f), nxt((w + 2) * 3, 0.0f);
    for (std::size_t j = 0; j < np; ++j)
        for (int c = 0; c < 3; ++c) pf[j * 3 + c] = static_cast<float>(pal[j][c]);
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* row = src.row(y);
        const bool ltr = y % 2 == 0;
        std::fill(nxt.begin(), nxt.end(), 0.0f);
        for (std::size_t s = 0; s < w; ++s) {
            const std::size_t x = ltr ? s : w - 1 - s;
            const std::size_t e = x + 1;  // index in the padded error rows
            const std::size_t ahead = ltr ? e + 1 : e - 1, behind = ltr ? e - 1 : e + 1;
            float v[3];
            for (int c = 0; c < 3; ++c)
                v[c] = std::clamp(static_cast<float>(row[3 * x + c]) + cur[e * 3 + c], 0.0f, 255.0f);
            float best = std::numeric_limits<float>::infinity();
            std::size_t bi = 0;
            for (std::size_t j = 0; j < np; ++j) {
                float acc = 0;
                for (int c = 0; c < 3; ++c) {
                    const float d = v[c] - pf[j * 3 + c];
                    acc = acc + d * d;
                }
                if (acc < best) {
                    best = acc;
                    bi = j;
                }
            }
            labels[y * w + x] = static_cast<std::uint16_t>(bi);
            for (int c = 0; c < 3; ++c) {
                const float err = v[c] - pf[bi * 3 + c];
                cur[ahead * 3 + c] += err * (7.0f / 16.0f);
                nxt[behind * 3 + c] += err * (3.0f / 16.0f);
                nxt[e * 3 + c] += err * (5.0f / 16.0f);
                nxt[ahead * 3 + c] += err * (1.0f / 16.0f);
            }
        }
        cur.swap(nxt);
    }
}

/// Palette of a colour table (distinct colours `keys`, ascending packed r << 16 | g << 8 | b,
/// with their pixel `counts`) and the palette index of each distinct colour: the clustering part
/// of vecta::quantize (see there: the table itself is the exact k-means input, so any source of
/// distinct colours and weights, an image or region means, gives quantize's palette of the image
/// they describe). params is checked by the caller.
struct quantized_table {
    std::vector<std::array<std::uint8_t, 3>> palette;
    std::vector<std::uint32_t> color_label;  ///< palette index of keys[i]
};

template <class P>
quantized_table quantize_table(const P& policy, const std::vector<std::uint32_t>& keys,
                               const std::vector<std::uint64_t>& counts, const quantize_params& params) {
    // The clustering steps on few points (below quantize_par_work distances per pass: the
    // coordinates, seeding, Lloyd passes and final assignment) run on one thread with the
    // policy's SIMD: the same result, and no thread start-ups for sub-millisecond passes.
    const basic_policy<sequenced_tag, typename P::simd_type> one_thread{};
    const std::size_t u = keys.size();
    quantized_table res;
    std::vector<std::uint32_t>& color_label = res.color_label;
    color_label.resize(u);

    if (u <= params.colors) {
        res.palette.resize(u);
        for (std::size_t i = 0; i < u; ++i) {
            res.palette[i] = unpack_color(keys[i]);
            color_label[i] = static_cast<std::uint32_t>(i);
        }
    } else {
        std::vector<float> coords(u * 3);
        std::vector<double> weights(u);  // pixel counts, exact in double (< 2^53)
        auto coords_with = [&](const auto& pol) {
            parallel_for(pol, u, 4096, [&](std::size_t b, std::size_t e) {
                for (std::size_t i = b; i < e; ++i) {
                    color_coords(params.space, unpack_color(keys[i]), &coords[i * 3]);
                    weights[i] = static_cast<double>(counts[i]);
                }
            });
        };
        if (u * params.colors >= quantize_par_work)
            coords_with(policy);
        else
            coords_with(one_thread);
        const double tol = params.space == color_space::lab ? params.tol * (100.0 / 255.0) : params.tol;
        // vecta::kmeans<float> with double weights: the same seeding and (Hamerly-accelerated)
        // Lloyd iterations, on input that is valid by construction (1 <= colors < u,
        // coordinates |x| <= 255 far inside kmeans' magnitude bound, positive integer weights).
        const std::size_t trials =
            params.init == kmeans_init::greedy_plus_plus ? kmeans_greedy_trials(params.colors) : 1;
        const std::size_t ls_steps = params.local_search != quantize_local_search_auto ? params.local_search
                                     : params.colors <= 64                             ? params.colors
                                                                                       : 0;
        std::vector<float> init;
        {
            // Seeding on the coarse colour histogram: 5 bits per channel (32768 bins), each
            // occupied bin a point at the weighted mean of its colours' coordinates, weighted by
            // its pixels. The Lloyd iterations below run on the exact distinct colours.
            coarse_histogram coarse(keys, coords.data(), weights.data());
            const bool use_coarse = coarse.weights.size() >= 4 * params.colors;
            const float* sp = use_coarse ? coarse.coords.data() : coords.data();
            const double* sw = use_coarse ? coarse.weights.data() : weights.data();
            const std::size_t sn = use_coarse ? coarse.weights.size() : u;
            auto seed_with = [&](const auto& pol) {
                init = kmeans_plus_plus<float>(pol, sp, sw, sn, 3, params.colors, params.seed, trials);
                if (sn <= coarse.max_points)
                    kmeans_local_search<float>(pol, sp, sw, sn, 3, init, params.colors,
                                               params.seed ^ 0x6A09E667F3BCC909ull, ls_steps);
            };
            if (sn * params.colors >= quantize_par_work)
                seed_with(policy);
            else
                seed_with(one_thread);
        }
        auto lloyd_with = [&](const auto& pol) {
            return kmeans_lloyd<float>(pol, coords.data(), weights.data(), u, 3, std::move(init), params.colors,
                                       params.max_iter, tol, params.algorithm);
        };
        const auto km = u * params.colors >= quantize_par_work ? lloyd_with(policy) : lloyd_with(one_thread);
        weights = {};
        // Candidate palette: rounded centroids, duplicates removed (first one kept).
        std::vector<std::array<std::uint8_t, 3>> cand;
        for (std::size_t j = 0; j < params.colors; ++j) {
            const float* c = &km.centroids[j * 3];
            const std::array<std::uint8_t, 3> rgb =
                params.space == color_space::lab
                    ? lab_to_rgb(c[0], c[1], c[2])
                    : std::array<std::uint8_t, 3>{round_channel(c[0]), round_channel(c[1]), round_channel(c[2])};
            if (std::find(cand.begin(), cand.end(), rgb) == cand.end()) cand.push_back(rgb);
        }
        std::vector<float> cand_coords(cand.size() * 3);
        for (std::size_t j = 0; j < cand.size(); ++j) color_coords(params.space, cand[j], &cand_coords[j * 3]);
        {
            std::vector<float> dist(u);
            auto assign_with = [&](const auto& pol) {
                kmeans_assign(pol, coords.data(), u, 3, cand_coords.data(), cand.size(), color_label.data(),
                              dist.data());
            };
            if (u * cand.size() >= quantize_par_work)
                assign_with(policy);
            else
                assign_with(one_thread);
        }
        // Drop entries nearest to no colour (this does not change any nearest entry).
        std::vector<std::uint32_t> remap(cand.size(), 0);
        std::vector<char> used(cand.size(), 0);
        for (const std::uint32_t l : color_label) used[l] = 1;
        for (std::size_t j = 0; j < cand.size(); ++j)
            if (used[j]) {
                remap[j] = static_cast<std::uint32_t>(res.palette.size());
                res.palette.push_back(cand[j]);
            }
        for (std::uint32_t& l : color_label) l = remap[l];
    }

    return res;
}

/// Total squared error of a colour table against its palette: sum over the distinct colours of
/// count x the squared RGB distance to their entry (exact integers).
inline std::uint64_t table_sse(const std::vector<std::uint32_t>& keys, const std::vector<std::uint64_t>& counts,
                               const quantized_table& q) noexcept {
    std::uint64_t se = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto c = unpack_color(keys[i]);
        const auto& p = q.palette[q.color_label[i]];
        std::uint64_t e = 0;
        for (int ch = 0; ch < 3; ++ch) {
            const int d = int(c[ch]) - int(p[ch]);
            e += static_cast<std::uint64_t>(d * d);
        }
        se += e * counts[i];
    }
    return se;
}

}  // namespace detail

/// Colour quantization: reduces an 8-bit sRGB image (3 channels, any stride) to at most
/// params.colors colours, in params.space (RGB code values or CIE L*a*b*).
/// Seeding: on the coarse colour histogram (the distinct colours grouped by the top 5 bits of
/// each channel; each occupied cell is a point at the weighted mean of its colours, weighted by
/// its pixels), greedy k-means++ (params.init, see vecta::kmeans_init) followed by
/// params.local_search LocalSearch++ swap steps (Lattanzi & Sohler, "A better k-means++
/// algorithm via local search", ICML 2019: draw a point by weight * D^2, swap it with the centre
/// whose replacement lowers the potential most if it does). With fewer than 4 * colors occupied
/// cells the seeding runs on the distinct colours themselves. No Lloyd step is part of the
/// seeding. Iterations: at most params.max_iter Lloyd iterations (Lloyd 1982; with Hamerly's
/// exact bounds for k >= 48 or as params.algorithm says) on the exact distinct colours weighted
/// by their pixel counts, which gives the same iterations as clustering every pixel (up to the
/// rounding of the double sums); the counts are exact double weights, so this holds for any
/// number of pixels per colour. Palette entries are the centroids rounded to sRGB (lab: via
/// lab_to_rgb); entries that coincide after rounding, or that are nearest to no distinct colour,
/// are dropped. Without dithering every pixel is labelled with its nearest palette entry in the
/// clustering space (squared Euclidean distance in float over the distinct colours through
/// k-means' run-time dispatched nearest-centre kernel, ties to the lower index). With
/// params.dither the labels come from Floyd-Steinberg error diffusion (Floyd & Steinberg 1976)
/// in RGB whatever params.space is: serpentine scan (even rows left to right, odd rows right to
/// left), error kept in float, weights 7/16, 3/16, 5/16, 1/16, nearest entry by RGB distance to
/// the error-adjusted colour clamped to 0..255; this part is sequential under any policy. If the
/// image has <= params.colors distinct colours the palette is exactly those colours (ascending
/// r, g, b), no dithering is done and psnr is quantize_psnr_max. Deterministic: the same input
/// and seed give the same result under seq and par, SIMD or scalar (steps with fewer than
/// quantize_par_work distance computations per pass run on one thread under any policy).
/// Complexity: O(pixels + 2^18) to find the distinct colours (u of them; O(pixels + 2^13) by a
/// radix sort for images of at most 2^16 pixels, see detail::color_table) and 2^15 + u for the
/// coarse histogram (c cells), O(c colors (trials + local_search)) to seed,
/// O(u colors iterations) at worst to iterate (Hamerly skips most distance computations once
/// the centroids settle), O(pixels) to label (O(pixels colors) with dithering). Extra memory:
/// about 5 MiB (colour table and coarse histogram; 2 MiB + 20 bytes per pixel up to 2^16
/// pixels) + about 60 bytes per distinct colour (+ 8 per distinct colour and thread under a
/// parallel policy), plus the result (2 bytes per pixel); above 2^16 pixels no per-pixel
/// working buffer.
/// Throws vecta::invalid_argument if src is empty or has other than 3 channels ("src"),
/// params.colors is 0 or above 65536, params.space, params.init or params.algorithm is not an
/// enumerator, params.max_iter is 0, params.tol is negative or NaN, or params.local_search is
/// above quantize_local_search_max and not quantize_local_search_auto (each naming the field,
/// e.g. "params.space").
template <execution_policy P>
quantize_result quantize(const P& policy, image_view<const std::uint8_t> src, const quantize_params& params = {}) {
    constexpr std::string_view fn = "vecta::quantize";
    detail::check_image(src, fn, "src", 3);
    detail::require(params.colors >= 1, fn, "params.colors", "must be >= 1");
    detail::require(params.colors <= 65536, fn, "params.colors", "must be <= 65536");
    detail::require(params.max_iter >= 1, fn, "params.max_iter", "must be >= 1");
    detail::require(params.tol >= 0, fn, "params.tol", "must be >= 0 (and not NaN)");
    detail::require(
        params.local_search <= quantize_local_search_max || params.local_search == quantize_local_search_auto, fn,
        "params.local_search", "must be in 0..4096 (quantize_local_search_max) or quantize_local_search_auto");
    detail::require(params.space == color_space::rgb || params.space == color_space::lab, fn, "params.space",
                    "must be color_space::rgb or color_space::lab");

    detail::require(params.init == kmeans_init::greedy_plus_plus || params.init == kmeans_init::plus_plus, fn,
                    "params.init", "must be kmeans_init::greedy_plus_plus or kmeans_init::plus_plus");
    detail::require(params.algorithm == kmeans_algorithm::automatic || params.algorithm == kmeans_algorithm::hamerly ||
                        params.algorithm == kmeans_algorithm::lloyd,
                    fn, "params.algorithm", "must be kmeans_algorithm::automatic, hamerly or lloyd");

    const std::size_t w = src.width(), h = src.height();
    detail::color_table table;
    detail::distinct_colors(policy, src, table);
    const std::vector<std::uint32_t>& keys = table.keys;
    const std::vector<std::uint64_t>& counts = table.counts;
    const std::size_t u = keys.size();
    const detail::quantized_table qt = detail::quantize_table(policy, keys, counts, params);
    const std::vector<std::uint32_t>& color_label = qt.color_label;
    quantize_result res;
    res.palette = qt.palette;

    res.labels = image<std::uint16_t>(w, h, 1);
    std::uint64_t se = 0;
    if (params.dither && u > params.colors) {
        detail::floyd_steinberg(src, res.palette, res.labels.data());
        // PSNR over the pixels: integer squared errors per row block, added in block order.
        const std::size_t blocks = (h + 15) / 16;
        std::vector<std::uint64_t> part(blocks, 0);
        detail::parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
            std::uint64_t acc = 0;
            for (std::size_t y = y0; y < y1; ++y) {
                const std::uint8_t* row = src.row(y);
                const std::uint16_t* lab = res.labels.data() + y * w;
                for (std::size_t x = 0; x < w; ++x) {
                    const auto& p = res.palette[lab[x]];
                    for (int ch = 0; ch < 3; ++ch) {
                        const int d = int(row[3 * x + ch]) - int(p[ch]);
                        acc += static_cast<std::uint64_t>(d * d);
                    }
                }
            }
            part[y0 / 16] = acc;
        });
        for (const std::uint64_t v : part) se += v;
    } else {
        // Labels per pixel through the colour table.
        if (!table.pixel.empty()) {
            for (std::size_t i = 0; i < w * h; ++i)
                res.labels.data()[i] = static_cast<std::uint16_t>(color_label[table.pixel[i]]);
        } else {
            const simd::level lvl = detail::policy_level(policy);
            detail::parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
                detail::table_rows_at(lvl, src, table, y0, y1, nullptr, color_label.data(), res.labels.data());
            });
        }
        // PSNR from the distinct colours (exact integer squared error).
        se = detail::table_sse(keys, counts, qt);
    }
    res.psnr = psnr_u8(se, 3 * std::uint64_t(w) * h);
    return res;
}

/// vecta::quantize run as vecta::seq.
inline quantize_result quantize(image_view<const std::uint8_t> src, const quantize_params& params = {}) {
    return quantize(seq, src, params);
}

/// Writes palette[labels(x, y)] of a quantize result into dst (the quantized image).
/// dst: 3 channels, the width and height of result.labels. O(pixels).
/// Throws vecta::invalid_argument if dst is empty, has other than 3 channels or another size
/// than result.labels, or if a label of result is not an index into result.palette.
template <execution_policy P>
void apply_palette(const P& policy, const quantize_result& result, image_view<std::uint8_t> dst) {
    constexpr std::string_view fn = "vecta::apply_palette";
    detail::check_image(dst, fn, "dst", 3);
    const image_view<const std::uint16_t> labels = result.labels.view();
    detail::require(dst.width() == labels.width() && dst.height() == labels.height(), fn, "dst",
                    "must have the width and height of result.labels");
    detail::require(labels.channels() == 1, fn, "result", "labels must have 1 channel");
    const std::size_t np = result.palette.size();
    for (std::size_t i = 0; i < result.labels.size(); ++i)
        if (result.labels.data()[i] >= np) detail::throw_invalid(fn, "result", "labels must index into result.palette");
    detail::parallel_for(policy, dst.height(), 16, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint16_t* in = labels.row(y);
            std::uint8_t* out = dst.row(y);
            for (std::size_t x = 0; x < dst.width(); ++x) {
                const auto& c = result.palette[in[x]];
                out[3 * x] = c[0], out[3 * x + 1] = c[1], out[3 * x + 2] = c[2];
            }
        }
    });
}

/// vecta::apply_palette run as vecta::seq.
inline void apply_palette(const quantize_result& result, image_view<std::uint8_t> dst) {
    apply_palette(seq, result, dst);
}

}  // namespace vecta
