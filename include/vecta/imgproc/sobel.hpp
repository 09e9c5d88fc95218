// SPDX-License-Identifier: MIT
// vecta/imgproc/sobel.hpp - 3x3 Sobel and Scharr derivatives of 8-bit gray images, gradient
// magnitude and direction, and a thresholded edge map (OpenCV semantics).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/simd.hpp"
#include "border.hpp"
#include "dispatch.hpp"
#include "gray.hpp"

namespace vecta {

/// Parameters of sobel.
struct sobel_params {
    /// Pixels outside the image (OpenCV's default BORDER_REFLECT_101).
    border_mode border = border_mode::reflect101;
    /// false: 3x3 Sobel, smoothing (1, 2, 1); true: Scharr, smoothing (3, 10, 3) (cv::Scharr).
    bool scharr = false;
};

/// Parameters of sobel_magnitude and sobel_direction.
struct sobel_magnitude_params {
    /// true: sqrt(dx^2 + dy^2); false: |dx| + |dy|. (Not used by sobel_direction.)
    bool l2_gradient = true;
    /// Pixels outside the image (OpenCV's default BORDER_REFLECT_101).
    border_mode border = border_mode::reflect101;
    /// Scharr instead of Sobel derivatives.
    bool scharr = false;
};

namespace detail {

VECTA_IMGPROC_KERNELS_BEGIN
/// One output row of the 3x3 derivative pair from three source rows a (y-1), b (y), c (y+1),
/// each padded by one border pixel on both sides (w + 2 values):
///   Sobel:  dx = (a2 - a0) + 2 (b2 - b0) + (c2 - c0),   dy = (c0 - a0) + 2 (c1 - a1) + (c2 - a2)
///   Scharr: dx = 3 ((a2 - a0) + (c2 - c0)) + 10 (b2 - b0), dy likewise with 10 (c1 - a1)
/// where a0 = a[x], a1 = a[x + 1], a2 = a[x + 2]. Exact in int16 (|d| <= 4080).
struct sobel3_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint8_t* a, const std::uint8_t* b, const std::uint8_t* c,
                                         std::int16_t* dx, std::int16_t* dy, std::size_t w, bool scharr) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V8 = vec<std::uint8_t, B / 2>;
        using V16 = vec<std::int16_t, B>;
        constexpr std::size_t L = B / 2;
        std::size_t x = 0;
        if (!scharr) {
            for (; x + L <= w; x += L) {
                const V16 a0 = VECTA_IMGPROC_LOAD_CVT(V16, V8, a + x), a1 = VECTA_IMGPROC_LOAD_CVT(V16, V8, a + x + 1),
                          a2 = VECTA_IMGPROC_LOAD_CVT(V16, V8, a + x + 2);
                const V16 b0 = VECTA_IMGPROC_LOAD_CVT(V16, V8, b + x), b2 = VECTA_IMGPROC_LOAD_CVT(V16, V8, b + x + 2);
                const V16 c0 = VECTA_IMGPROC_LOAD_CVT(V16, V8, c + x), c1 = VECTA_IMGPROC_LOAD_CVT(V16, V8, c + x + 1),
                          c2 = VECTA_IMGPROC_LOAD_CVT(V16, V8, c + x + 2);
                const V16 db = b2 - b0, dc = c1 - a1;
                vstore(dx + x, V16((a2 - a0) + (c2 - c0) + db + db));
                vstore(dy + x, V16((c0 - a0) + (c2 - a2) + dc + dc));
            }
        } else {
            for (; x + L <= w; x += L) {
                const V16 a0 = VECTA_IMGPROC_LOAD_CVT(V16, V8, a + x), a1 = VECTA_IMGPROC_LOAD_CVT(V16, V8, a + x + 1),
                          a2 = VECTA_IMGPROC_LOAD_CVT(V16, V8, a + x + 2);
                const V16 b0 = VECTA_IMGPROC_LOAD_CVT(V16, V8, b + x), b2 = VECTA_IMGPROC_LOAD_CVT(V16, V8, b + x + 2);
                const V16 c0 = VECTA_IMGPROC_LOAD_CVT(V16, V8, c + x), c1 = VECTA_IMGPROC_LOAD_CVT(V16, V8, c + x + 1),
                          c2 = VECTA_IMGPROC_LOAD_CVT(V16, V8, c + x + 2);
                const V16 s3 = (a2 - a0) + (c2 - c0), t3 = (c0 - a0) + (c2 - a2);
                vstore(dx + x, V16(s3 * 3 + (b2 - b0) * 10));
                vstore(dy + x, V16(t3 * 3 + (c1 - a1) * 10));
            }
        }
        tail(a, b, c, dx, dy, x, w, scharr);
#else
        tail(a, b, c, dx, dy, 0, w, scharr);
#endif
    }
    static void scalar(const std::uint8_t* a, const std::uint8_t* b, const std::uint8_t* c, std::int16_t* dx,
                       std::int16_t* dy, std::size_t w, bool scharr) noexcept {
        tail(a, b, c, dx, dy, 0, w, scharr);
    }
    static void tail(const std::uint8_t* a, const std::uint8_t* b, const std::uint8_t* c, std::int16_t* dx,
                     std::int16_t* dy, std::size_t x, std::size_t w, bool scharr) noexcept {
        const int s = scharr ? 3 : 1, m = scharr ? 10 : 2;
        for (; x < w; ++x) {
            const int gx = s * ((a[x + 2] - a[x]) + (c[x + 2] - c[x])) + m * (b[x + 2] - b[x]);
            const int gy = s * ((c[x] - a[x]) + (c[x + 2] - a[x + 2])) + m * (c[x + 1] - a[x + 1]);
            dx[x] = static_cast<std::int16_t>(gx);
            dy[x] = static_cast<std::int16_t>(gy);
        }
    }
};
VECTA_IMGPROC_DISPATCH(sobel3_row,
                       (const std::uint8_t* a, const std::uint8_t* b, const std::uint8_t* c, std::int16_t* dx,
                        std::int16_t* dy, std::size_t w, bool scharr),
                       (a, b, c, dx, dy, w, scharr))

/// Squared (l2) or L1 magnitude of a derivative row as int32: dx^2 + dy^2 or |dx| + |dy|.
struct grad_mag_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::int16_t* dx, const std::int16_t* dy, std::int32_t* m, std::size_t w,
                                         bool l2) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V16 = vec<std::int16_t, B / 2>;
        using V32 = vec<std::int32_t, B>;
        constexpr std::size_t L = B / 4;
        std::size_t x = 0;
        if (l2) {
            for (; x + L <= w; x += L) {
                const V32 a = __builtin_convertvector(vload<V16>(dx + x), V32);
                const V32 b = __builtin_convertvector(vload<V16>(dy + x), V32);
                vstore(m + x, V32(a * a + b * b));
            }
        } else {
            for (; x + L <= w; x += L) {
                const V32 a = __builtin_convertvector(vload<V16>(dx + x), V32);
                const V32 b = __builtin_convertvector(vload<V16>(dy + x), V32);
                const V32 sa = a >> 31, sb = b >> 31;
                vstore(m + x, V32(((a ^ sa) - sa) + ((b ^ sb) - sb)));
            }
        }
        tail(dx, dy, m, x, w, l2);
#else
        tail(dx, dy, m, 0, w, l2);
#endif
    }
    static void scalar(const std::int16_t* dx, const std::int16_t* dy, std::int32_t* m, std::size_t w,
                       bool l2) noexcept {
        tail(dx, dy, m, 0, w, l2);
    }
    static void tail(const std::int16_t* dx, const std::int16_t* dy, std::int32_t* m, std::size_t x, std::size_t w,
                     bool l2) noexcept {
        for (; x < w; ++x) {
            const std::int32_t a = dx[x], b = dy[x];
            m[x] = l2 ? a * a + b * b : std::abs(a) + std::abs(b);
        }
    }
};
VECTA_IMGPROC_DISPATCH(grad_mag_row,
                       (const std::int16_t* dx, const std::int16_t* dy, std::int32_t* m, std::size_t w, bool l2),
                       (dx, dy, m, w, l2))

/// sqrt of an int32 row into float: float(s), then the correctly rounded square root (vsqrt at
/// every width, std::sqrt in the scalar loop), so every width gives the same bits.
struct sqrt_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::int32_t* s, float* out, std::size_t n) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using VF = vec<float, B>;
        using VI = vec<std::int32_t, B>;
        constexpr std::size_t L = B / 4;
        std::size_t i = 0;
        for (; i + L <= n; i += L) {
            VF r;
            vsqrt(r, __builtin_convertvector(vload<VI>(s + i), VF));
            vstore(out + i, r);
        }
        tail(s, out, i, n);
#else
        tail(s, out, 0, n);
#endif
    }
    static void scalar(const std::int32_t* s, float* out, std::size_t n) noexcept { tail(s, out, 0, n); }
    static void tail(const std::int32_t* s, float* out, std::size_t i, std::size_t n) noexcept {
        for (; i < n; ++i) out[i] = std::sqrt(float(s[i]));
    }
};
VECTA_IMGPROC_DISPATCH(sqrt_row, (const std::int32_t* s, float* out, std::size_t n), (s, out, n))
VECTA_IMGPROC_KERNELS_END

/// Streams the derivative rows y0..y1-1 of a validated 1-channel src: calls
/// row_fn(y, const int16_t* dx, const int16_t* dy) in order. Keeps three border-padded source
/// rows (virtual rows outside the image follow `border`; constant reads zeros).
/// `targets(y)` may name where row y's derivatives go (a pair of int16 pointers, or nullptrs
/// for the internal row buffers).
template <class RowFn, class Targets>
void sobel_rows(int bytes, image_view<const std::uint8_t> src, border_mode border, bool scharr, std::size_t y0,
                std::size_t y1, RowFn&& row_fn, Targets&& targets) {
    const std::size_t w = src.width(), wp = w + 2;
    const auto H = std::ptrdiff_t(src.height()), W = std::ptrdiff_t(w);
    std::vector<std::uint8_t> rows(4 * wp + 64, 0);  // three slots, then a zero row
    const std::uint8_t* zero = rows.data() + 3 * wp;
    std::ptrdiff_t held[3] = {-1, -1, -1};  // source row index held by each slot
    const std::ptrdiff_t lb = border_index(-1, W, border), rb = border_index(W, W, border);
    auto padded = [&](std::ptrdiff_t v) -> const std::uint8_t* {
        const std::ptrdiff_t m = border_index(v, H, border);
        if (m < 0) return zero;
        for (auto& h : held)
            if (h == m) return rows.data() + std::size_t(&h - held) * wp;
        // Evict a slot not holding rows v-1 .. v+1's sources (at most 3 distinct are live).
        std::size_t slot = std::size_t(m % 3);
        held[slot] = m;
        std::uint8_t* p = rows.data() + slot * wp;
        const std::uint8_t* s = src.row(std::size_t(m));
        std::copy(s, s + w, p + 1);
        p[0] = lb < 0 ? std::uint8_t(0) : s[lb];
        p[w + 1] = rb < 0 ? std::uint8_t(0) : s[rb];
        return p;
    };
    std::vector<std::int16_t> dx(w + 32), dy(w + 32);
    for (std::size_t y = y0; y < y1; ++y) {
        const auto yy = std::ptrdiff_t(y);
        // Source indices of rows y-1, y, y+1 are distinct mod 3 unless two coincide (then the
        // same slot is shared), so resolving them in order never evicts a live row.
        const std::uint8_t* a = padded(yy - 1);
        const std::uint8_t* b = padded(yy);
        const std::uint8_t* c = padded(yy + 1);
        auto [tx, ty] = targets(y);
        std::int16_t* ox = tx ? tx : dx.data();
        std::int16_t* oy = ty ? ty : dy.data();
        sobel3_row_call(bytes, a, b, c, ox, oy, w, scharr);
        row_fn(y, static_cast<const std::int16_t*>(ox), static_cast<const std::int16_t*>(oy));
    }
}

template <class RowFn>
void sobel_rows(int bytes, image_view<const std::uint8_t> src, border_mode border, bool scharr, std::size_t y0,
                std::size_t y1, RowFn&& row_fn) {
    sobel_rows(bytes, src, border, scharr, y0, y1, std::forward<RowFn>(row_fn), [](std::size_t) {
        return std::pair<std::int16_t*, std::int16_t*>{nullptr, nullptr};
    });
}

inline constexpr std::size_t sobel_block_rows = 64;

inline void check_sobel_src(image_view<const std::uint8_t> src, border_mode border, std::string_view fn) {
    check_image(src, fn, "src", 1);
    check_border(border, fn, "params.border");
}

}  // namespace detail

namespace detail {
template <class P, class D>
void sobel_impl(const P& policy, image_view<const std::uint8_t> src, image_view<D> dx, image_view<D> dy,
                const sobel_params& params) {
    constexpr std::string_view fn = "vecta::sobel";
    check_sobel_src(src, params.border, fn);
    check_same_shape(src, dx, fn, "dx");
    check_same_shape(src, dy, fn, "dy");
    require(!views_overlap(src, dx), fn, "dx", "must not overlap src in memory");
    require(!views_overlap(src, dy), fn, "dy", "must not overlap src in memory");
    require(!views_overlap(dx, dy), fn, "dy", "must not overlap dx in memory");
    const std::size_t w = src.width();
    const int bytes = policy_vector_bytes(policy);
    parallel_for(policy, src.height(), sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        if constexpr (std::is_same_v<D, std::int16_t>) {
            // Straight into the caller's rows.
            sobel_rows(
                bytes, src, params.border, params.scharr, y0, y1,
                [](std::size_t, const std::int16_t*, const std::int16_t*) {},
                [&](std::size_t y) {
                    return std::pair<std::int16_t*, std::int16_t*>{dx.row(y), dy.row(y)};
                });
        } else {
            sobel_rows(bytes, src, params.border, params.scharr, y0, y1,
                       [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) {
                           std::copy(gx, gx + w, dx.row(y));
                           std::copy(gy, gy + w, dy.row(y));
                       });
        }
    });
}
}  // namespace detail

/// 3x3 derivatives of an 8-bit gray image, as cv::Sobel(src, CV_16S, 1, 0, 3) into dx and
/// cv::Sobel(src, CV_16S, 0, 1, 3) into dy (or cv::Scharr with params.scharr), scale 1, delta 0:
///   Sobel  dx = [-1 0 1; -2 0 2; -1 0 1] * src, dy = its transpose   (|d| <= 1020)
///   Scharr dx = [-3 0 3; -10 0 10; -3 0 3] * src, dy = its transpose (|d| <= 4080)
/// (x to the right, y downwards; correlation as OpenCV filters). Exact integers, equal to OpenCV
/// for a whole (non-ROI) Mat. Pixels outside the image follow params.border (default
/// reflect101). The int16 overload is exact; the float overload stores the same integers as
/// float. Shapes: src, dx, dy w x h x 1 (dx, dy caller-owned). Rows run in parallel under
/// vecta::par; runtime-dispatched integer kernels (see dispatch.hpp). O(w h).
/// Throws vecta::invalid_argument if src is empty or not 1-channel ("src"), if dx or dy is not
/// w x h x 1 or overlaps src or the other output ("dx", "dy"), or if params.border is not an
/// enumerator ("params.border").
template <execution_policy P>
void sobel(const P& policy, image_view<const std::uint8_t> src, image_view<std::int16_t> dx,
           image_view<std::int16_t> dy, const sobel_params& params = {}) {
    detail::sobel_impl(policy, src, dx, dy, params);
}
/// sobel with float outputs (the same integers as float).
template <execution_policy P>
void sobel(const P& policy, image_view<const std::uint8_t> src, image_view<float> dx, image_view<float> dy,
           const sobel_params& params = {}) {
    detail::sobel_impl(policy, src, dx, dy, params);
}

/// sobel(vecta::seq, src, dx, dy, params).
inline void sobel(image_view<const std::uint8_t> src, image_view<std::int16_t> dx, image_view<std::int16_t> dy,
                  const sobel_params& params = {}) {
    sobel(seq, src, dx, dy, params);
}
/// sobel(vecta::seq, src, dx, dy, params), float output.
inline void sobel(image_view<const std::uint8_t> src, image_view<float> dx, image_view<float> dy,
                  const sobel_params& params = {}) {
    sobel(seq, src, dx, dy, params);
}

/// Gradient magnitude of the 3x3 Sobel (or Scharr) derivatives as float:
///   params.l2_gradient = true (default): sqrt(dx^2 + dy^2)  (correctly rounded sqrt of the
///                                        exact integer; in [0, 1442.5] for Sobel),
///   params.l2_gradient = false:          |dx| + |dy|        (in [0, 2040] for Sobel),
/// equal to cv::magnitude / cv::abs sums of cv::Sobel's CV_16S output converted to float.
/// params.border for the pixels outside the image (default reflect101).
/// Shapes: src w x h x 1, dst w x h x 1 float (caller-owned). Fused per row (the derivatives never
/// reach memory), rows in parallel under vecta::par. O(w h).
/// Throws vecta::invalid_argument if src is empty or not 1-channel ("src"), dst is not
/// w x h x 1 or overlaps src ("dst"), or params.border is not an enumerator ("params.border").
template <execution_policy P>
void sobel_magnitude(const P& policy, image_view<const std::uint8_t> src, image_view<float> dst,
                     const sobel_magnitude_params& params = {}) {
    constexpr std::string_view fn = "vecta::sobel_magnitude";
    detail::check_sobel_src(src, params.border, fn);
    detail::check_same_shape(src, dst, fn, "dst");
    detail::require(!detail::views_overlap(src, dst), fn, "dst", "must not overlap src in memory");
    const std::size_t w = src.width();
    const bool l2 = params.l2_gradient;
    const int bytes = detail::policy_vector_bytes(policy);
    detail::parallel_for(policy, src.height(), detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        std::vector<std::int32_t> m(w + 32);
        detail::sobel_rows(bytes, src, params.border, params.scharr, y0, y1,
                           [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) {
                               detail::grad_mag_row_call(bytes, gx, gy, m.data(), w, l2);
                               float* d = dst.row(y);
                               if (l2)
                                   detail::sqrt_row_call(bytes, static_cast<const std::int32_t*>(m.data()), d, w);
                               else
                                   for (std::size_t x = 0; x < w; ++x) d[x] = float(m[x]);
                           });
    });
}

/// sobel_magnitude(vecta::seq, src, dst, params).
inline void sobel_magnitude(image_view<const std::uint8_t> src, image_view<float> dst,
                            const sobel_magnitude_params& params = {}) {
    sobel_magnitude(seq, src, dst, params);
}

/// Gradient direction of the 3x3 Sobel (or Scharr) derivatives: dst = atan2(dy, dx) in radians,
/// in [0, 2 pi) (0 where dx = dy = 0), y pointing down as in the image; as
/// cv::phase(dx, dy, dst, false) but with the exact std::atan2 (cv::phase uses a polynomial
/// approximation good to about 0.3 degrees). params.l2_gradient is ignored. Shapes as sobel_magnitude.
/// O(w h). Throws as sobel_magnitude.
template <execution_policy P>
void sobel_direction(const P& policy, image_view<const std::uint8_t> src, image_view<float> dst,
                     const sobel_magnitude_params& params = {}) {
    constexpr std::string_view fn = "vecta::sobel_direction";
    detail::check_sobel_src(src, params.border, fn);
    detail::check_same_shape(src, dst, fn, "dst");
    detail::require(!detail::views_overlap(src, dst), fn, "dst", "must not overlap src in memory");
    const std::size_t w = src.width();
    const int bytes = detail::policy_vector_bytes(policy);
    detail::parallel_for(policy, src.height(), detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        detail::sobel_rows(bytes, src, params.border, params.scharr, y0, y1,
                           [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) {
                               float* d = dst.row(y);
                               constexpr double two_pi = 6.283185307179586476925;
                               for (std::size_t x = 0; x < w; ++x) {
                                   double a = std::atan2(double(gy[x]), double(gx[x]));
                                   if (a < 0) a += two_pi;
                                   float f = float(a);
                                   d[x] = f >= float(two_pi) ? 0.0f : f;
                               }
                           });
    });
}

/// sobel_direction(vecta::seq, src, dst, params).
inline void sobel_direction(image_view<const std::uint8_t> src, image_view<float> dst,
                            const sobel_magnitude_params& params = {}) {
    sobel_direction(seq, src, dst, params);
}

/// Thresholded Sobel edge map: 255 where the L2 gradient magnitude sqrt(dx^2 + dy^2) of the 3x3
/// Sobel derivatives (reflect101 border) is > threshold, else 0. The comparison is exact
/// (dx^2 + dy^2 > threshold^2 in integers). src is gray (1 channel) or RGB / RGBA (converted
/// with to_gray first). Returns a new w x h x 1 image. O(w h); rows in parallel under par.
/// Throws vecta::invalid_argument if src is empty or has not 1, 3 or 4 channels ("src") or
/// threshold is NaN or negative ("threshold").
template <execution_policy P>
image<std::uint8_t> detect_edges_sobel(const P& policy, image_view<const std::uint8_t> src, double threshold) {
    constexpr std::string_view fn = "vecta::detect_edges_sobel";
    detail::check_image(src, fn, "src");
    detail::require(src.channels() == 1 || src.channels() == 3 || src.channels() == 4, fn, "src",
                    "must have 1 (gray), 3 (RGB) or 4 (RGBA) channels");
    detail::require(!std::isnan(threshold) && threshold >= 0, fn, "threshold", "must be >= 0 and not NaN");
    image<std::uint8_t> gray_store;
    image_view<const std::uint8_t> gray = src;
    if (src.channels() != 1) {
        gray_store = to_gray(policy, src);
        gray = gray_store.view();
    }
    const std::size_t w = gray.width();
    // m > t  <=>  m > floor(t) for integer m = dx^2 + dy^2 compared with t = threshold^2.
    const double t2 = std::min(threshold * threshold, 4.0e9);
    const auto t = static_cast<std::int64_t>(std::floor(t2));
    image<std::uint8_t> out(w, gray.height(), 1);
    auto ov = out.view();
    const int bytes = detail::policy_vector_bytes(policy);
    detail::parallel_for(policy, gray.height(), detail::sobel_block_rows, [&](std::size_t y0, std::size_t y1) {
        std::vector<std::int32_t> m(w + 32);
        detail::sobel_rows(bytes, gray, border_mode::reflect101, false, y0, y1,
                           [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) {
                               detail::grad_mag_row_call(bytes, gx, gy, m.data(), w, true);
                               std::uint8_t* d = ov.row(y);
                               for (std::size_t x = 0; x < w; ++x) d[x] = m[x] > t ? 255 : 0;
                           });
    });
    return out;
}

/// detect_edges_sobel(vecta::seq, src, threshold).
inline image<std::uint8_t> detect_edges_sobel(image_view<const std::uint8_t> src, double threshold) {
    return detect_edges_sobel(seq, src, threshold);
}

}  // namespace vecta
