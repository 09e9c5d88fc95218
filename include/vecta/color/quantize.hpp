// vecta/color/quantize.hpp - colour quantization of an 8-bit RGB image by k-means.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
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

/// Parameters of vecta::quantize.
struct quantize_params {
    std::size_t colors = 16;               ///< palette size, 1..65536 (fewer if the image has fewer distinct colours)
    color_space space = color_space::rgb;  ///< clustering space
    std::size_t max_iter = 10;             ///< Lloyd iterations at most (>= 1)
    /// Stop when the largest centroid shift is <= tol (>= 0), in 8-bit RGB units (0..255).
    /// In lab mode it is scaled by 100/255 into Delta E units (L* spans 0..100).
    double tol = 1e-4;
    std::uint64_t seed = 0;  ///< seed of the k-means++ seeding
};

/// The PSNR vecta::quantize reports for a lossless result; every PSNR is capped at this value.
inline constexpr double quantize_psnr_max = 99.0;

/// Result of vecta::quantize.
struct quantize_result {
    std::vector<std::array<std::uint8_t, 3>> palette;  ///< sRGB, one per colour actually used
    image<std::uint16_t> labels;                       ///< width x height, 1 channel, index into palette
    /// dB, quantized vs original over the R, G and B samples with an 8-bit peak:
    /// 10 log10(255^2 / MSE), capped at quantize_psnr_max (99.0, also the value when MSE = 0).
    double psnr = 0;
};

namespace detail {

/// Distinct colours of a 3-channel image: a presence bitset over the 2^24 packed colours
/// (r << 16 | g << 8 | b), then ranks. `index` receives, per pixel (row-major, tightly
/// packed), the index of its colour in `keys` (ascending packed order); `counts` the pixels
/// per colour.
template <class Policy>
void distinct_colors(const Policy& policy, image_view<const std::uint8_t> src, std::vector<std::uint32_t>& keys,
                     std::vector<std::uint32_t>& index, std::vector<std::uint64_t>& counts) {
    const std::size_t w = src.width(), h = src.height();
    std::vector<std::uint64_t> bits(std::size_t(1) << 18, 0);
    auto key_at = [](const std::uint8_t* p) noexcept {
        return (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | std::uint32_t(p[2]);
    };
    parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint8_t* row = src.row(y);
            for (std::size_t x = 0; x < w; ++x) {
                const std::uint32_t key = key_at(row + 3 * x);
                const std::uint64_t bit = std::uint64_t(1) << (key & 63);
                std::uint64_t& word = bits[key >> 6];
                if constexpr (Policy::is_parallel) {
                    std::atomic_ref<std::uint64_t> a(word);
                    if (!(a.load(std::memory_order_relaxed) & bit)) a.fetch_or(bit, std::memory_order_relaxed);
                } else {
                    word |= bit;
                }
            }
        }
    });
    std::vector<std::uint32_t> rank(bits.size());
    std::uint32_t total = 0;
    for (std::size_t i = 0; i < bits.size(); ++i) {
        rank[i] = total;
        total += static_cast<std::uint32_t>(std::popcount(bits[i]));
    }
    keys.resize(total);
    for (std::size_t i = 0, u = 0; i < bits.size(); ++i)
        for (std::uint64_t m = bits[i]; m != 0; m &= m - 1)
            keys[u++] = static_cast<std::uint32_t>(i * 64 + std::countr_zero(m));
    index.resize(w * h);
    parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint8_t* row = src.row(y);
            std::uint32_t* out = index.data() + y * w;
            for (std::size_t x = 0; x < w; ++x) {
                const std::uint32_t key = key_at(row + 3 * x);
                const std::uint64_t below = bits[key >> 6] & ((std::uint64_t(1) << (key & 63)) - 1);
                out[x] = rank[key >> 6] + static_cast<std::uint32_t>(std::popcount(below));
            }
        }
    });
    counts.assign(total, 0);
    for (const std::uint32_t i : index) ++counts[i];
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

}  // namespace detail

/// Colour quantization: reduces an 8-bit sRGB image (3 channels, any stride) to at most
/// params.colors colours. The distinct colours of the image are clustered by vecta::kmeans
/// (k-means++ seeding and Lloyd iterations, Lloyd 1982) weighted by their pixel counts, which
/// gives the same Lloyd iterations as clustering every pixel (up to the rounding of the double
/// sums), in params.space (RGB code values or CIE L*a*b*). The counts are passed as exact double
/// weights, so this holds for any number of pixels per colour (float weights would be exact only
/// up to 2^24). Palette entries are the centroids rounded to sRGB (lab: via lab_to_rgb);
/// entries that coincide after rounding, or that are nearest to no pixel, are dropped. Every
/// pixel is then labelled with its nearest palette entry in the clustering space (squared
/// Euclidean distance in float, ties to the lower index). If the image has <= params.colors
/// distinct colours the palette is exactly those colours (ascending r, g, b) and psnr is
/// quantize_psnr_max. Deterministic: the same input and seed give the same result under seq
/// and par. Complexity: O(pixels + 2^18) to find the distinct colours (u of them), then
/// O(u colors iterations); memory about 3 MiB + 4 bytes per pixel + O(u).
/// Throws vecta::invalid_argument if src is empty or has other than 3 channels ("src"),
/// params.colors is 0 or above 65536, params.space is not an enumerator, params.max_iter is 0,
/// or params.tol is negative or NaN (each naming the field, e.g. "params.space").
template <execution_policy P>
quantize_result quantize(const P& policy, image_view<const std::uint8_t> src, const quantize_params& params = {}) {
    constexpr std::string_view fn = "vecta::quantize";
    detail::check_image(src, fn, "src", 3);
    detail::require(params.colors >= 1, fn, "params.colors", "must be >= 1");
    detail::require(params.colors <= 65536, fn, "params.colors", "must be <= 65536");
    detail::require(params.max_iter >= 1, fn, "params.max_iter", "must be >= 1");
    detail::require(params.tol >= 0, fn, "params.tol", "must be >= 0 (and not NaN)");
    detail::require(params.space == color_space::rgb || params.space == color_space::lab, fn, "params.space",
                    "must be color_space::rgb or color_space::lab");

    const std::size_t w = src.width(), h = src.height();
    std::vector<std::uint32_t> keys, index;
    std::vector<std::uint64_t> counts;
    detail::distinct_colors(policy, src, keys, index, counts);
    const std::size_t u = keys.size();

    quantize_result res;
    res.labels = image<std::uint16_t>(w, h, 1);
    std::vector<std::uint32_t> color_label(u);  // palette index of each distinct colour

    if (u <= params.colors) {
        res.palette.resize(u);
        for (std::size_t i = 0; i < u; ++i) {
            res.palette[i] = detail::unpack_color(keys[i]);
            color_label[i] = static_cast<std::uint32_t>(i);
        }
    } else {
        std::vector<float> coords(u * 3);
        std::vector<double> weights(u);  // pixel counts, exact in double (< 2^53)
        detail::parallel_for(policy, u, 4096, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                detail::color_coords(params.space, detail::unpack_color(keys[i]), &coords[i * 3]);
                weights[i] = static_cast<double>(counts[i]);
            }
        });
        const double tol = params.space == color_space::lab ? params.tol * (100.0 / 255.0) : params.tol;
        // vecta::kmeans<float> with double weights: the same k-means++ seeding and Lloyd
        // iterations, on input that is valid by construction (1 <= colors < u, coordinates
        // |x| <= 255 far inside kmeans' magnitude bound, positive integer weights).
        auto init =
            detail::kmeans_plus_plus<float>(policy, coords.data(), weights.data(), u, 3, params.colors, params.seed);
        const auto km = detail::kmeans_lloyd<float>(policy, coords.data(), weights.data(), u, 3, std::move(init),
                                                    params.colors, params.max_iter, tol);
        // Candidate palette: rounded centroids, duplicates removed (first one kept).
        std::vector<std::array<std::uint8_t, 3>> cand;
        for (std::size_t j = 0; j < params.colors; ++j) {
            const float* c = &km.centroids[j * 3];
            const std::array<std::uint8_t, 3> rgb =
                params.space == color_space::lab
                    ? lab_to_rgb(c[0], c[1], c[2])
                    : std::array<std::uint8_t, 3>{detail::round_channel(c[0]), detail::round_channel(c[1]),
                                                  detail::round_channel(c[2])};
            if (std::find(cand.begin(), cand.end(), rgb) == cand.end()) cand.push_back(rgb);
        }
        std::vector<float> cand_coords(cand.size() * 3);
        for (std::size_t j = 0; j < cand.size(); ++j) detail::color_coords(params.space, cand[j], &cand_coords[j * 3]);
        std::vector<float> dist(u);
        detail::kmeans_assign(policy, coords.data(), u, 3, cand_coords.data(), cand.size(), color_label.data(),
                              dist.data());
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

    // Labels per pixel.
    detail::parallel_for(policy, h, 16, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y) {
            const std::uint32_t* in = index.data() + y * w;
            std::uint16_t* out = res.labels.data() + y * w;
            for (std::size_t x = 0; x < w; ++x) out[x] = static_cast<std::uint16_t>(color_label[in[x]]);
        }
    });

    // PSNR from the distinct colours (exact integer squared error).
    std::uint64_t se = 0;
    for (std::size_t i = 0; i < u; ++i) {
        const auto c = detail::unpack_color(keys[i]);
        const auto& p = res.palette[color_label[i]];
        std::uint64_t e = 0;
        for (int ch = 0; ch < 3; ++ch) {
            const int d = int(c[ch]) - int(p[ch]);
            e += static_cast<std::uint64_t>(d * d);
        }
        se += e * counts[i];
    }
    if (se == 0) {
        res.psnr = quantize_psnr_max;
    } else {
        const double mse = static_cast<double>(se) / (3.0 * static_cast<double>(w * h));
        res.psnr = std::min(quantize_psnr_max, 10.0 * std::log10(255.0 * 255.0 / mse));
    }
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
