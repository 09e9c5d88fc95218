// SPDX-License-Identifier: MIT
// vecta/imgproc/canny.hpp - Canny edge detector on 8-bit gray images (OpenCV semantics).
#pragma once

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "border.hpp"
#include "dispatch.hpp"
#include "sobel.hpp"

namespace vecta {

/// Parameters of canny. Thresholds are in units of the gradient magnitude of the 3x3 Sobel
/// operator (|dx| + |dy| <= 2040, or sqrt(dx^2 + dy^2) <= 1443 with l2_gradient).
struct canny_params {
    /// Hysteresis low threshold (>= 0, <= high): weaker local maxima are dropped.
    double low = 50;
    /// Hysteresis high threshold: local maxima with magnitude > high start edges.
    double high = 150;
    /// true: magnitude sqrt(dx^2 + dy^2); false: |dx| + |dy| (OpenCV's default).
    bool l2_gradient = false;
    /// Border of the Sobel pass. cv::Canny uses BORDER_REPLICATE internally.
    border_mode border = border_mode::replicate;
};

namespace detail {

/// Canny map values, as OpenCV's: 0 = weak candidate, 1 = not an edge, 2 = edge.
inline constexpr std::uint8_t canny_weak = 0, canny_none = 1, canny_edge = 2;

/// Largest |dx|, |dy| the precomputed-gradient overload accepts: with it every intermediate of
/// OpenCV's integer NMS test (|dx| (13573 + 2^16), |dy| 2^15, dx^2 + dy^2) fits int32.
inline constexpr int canny_max_gradient = 23170;

/// A threshold t >= 0 as the integer T with (m > t) == (m > T) for every integer magnitude m:
/// floor(t), or floor(t^2) for the squared L2 magnitude (OpenCV clamps t to 32767 first).
inline std::int32_t canny_threshold(double t, bool l2) noexcept {
    if (l2) {
        t = std::min(t, 32767.0);
        t = t * t;
    }
    t = std::min(t, double(INT_MAX));
    return static_cast<std::int32_t>(std::floor(t));
}

VECTA_IMGPROC_KERNELS_BEGIN
/// Non-maximum suppression of one row (OpenCV canny.cpp, the scalar rules applied to every
/// lane): up, cur, down are magnitude rows with valid elements at [-1] and [w] (0 outside the
/// image); writes map[x] = 2 (kept, m > high), 0 (kept, m > low) or 1.
struct canny_nms_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::int32_t* up, const std::int32_t* cur, const std::int32_t* down,
                                         const std::int16_t* dx, const std::int16_t* dy, std::uint8_t* map,
                                         std::size_t w, std::int32_t low, std::int32_t high) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V8 = vec<std::uint8_t, B / 4>;
        using V16 = vec<std::int16_t, B / 2>;
        using V32 = vec<std::int32_t, B>;
        constexpr std::size_t L = B / 4;
        std::size_t x = 0;
        for (; x + L <= w; x += L) {
            // Comparisons as sign masks: (b - a) >> 31 is all ones iff a > b, exact because
            // every operand is in [0, 2^31) (magnitudes, thresholds, and the tangent products
            // for |dx|, |dy| <= 23170). GCC lowers vector comparisons of the always-inline
            // template before it reaches the AVX-512 caller, so they are avoided here.
            const V32 m = vload<V32>(cur + x);
            const V32 cand = (low - m) >> 31;  // m > low
            // Most pixels of a natural image are below the low threshold: skip whole vectors.
            V8 c8;
            narrow(c8, cand);
            if (!any_lane(c8)) {
                vstore(map + x, V8(V8{} + 1));
                continue;
            }
            const V32 gx = VECTA_IMGPROC_LOAD_CVT(V32, V16, dx + x), gy = VECTA_IMGPROC_LOAD_CVT(V32, V16, dy + x);
            const V32 sx = gx >> 31, sy = gy >> 31;
            const V32 ax = (gx ^ sx) - sx, ay = ((gy ^ sy) - sy) << 15;
            const V32 tg22x = ax * 13573;
            const V32 horiz = (ay - tg22x) >> 31;                // ay < tg22x
            const V32 vert = ((tg22x + (ax << 16)) - ay) >> 31;  // ay > tg22x + ax 2^16
            const V32 opposite = (gx ^ gy) >> 31;                // signs differ
            const V32 l = vload<V32>(cur + x - 1), r = vload<V32>(cur + x + 1);
            const V32 u = vload<V32>(up + x), d = vload<V32>(down + x);
            const V32 ul = vload<V32>(up + x - 1), ur = vload<V32>(up + x + 1);
            const V32 dl = vload<V32>(down + x - 1), dr = vload<V32>(down + x + 1);
            const V32 da = (~opposite & ul) | (opposite & ur), db = (~opposite & dr) | (opposite & dl);
            const V32 kh = ((l - m) >> 31) & ~((m - r) >> 31);   // m > l && m >= r
            const V32 kv = ((u - m) >> 31) & ~((m - d) >> 31);   // m > u && m >= d
            const V32 kd = ((da - m) >> 31) & ((db - m) >> 31);  // m > da && m > db
            const V32 keep = cand & ((horiz & kh) | (~horiz & ((vert & kv) | (~vert & kd))));
            const V32 val = (~keep & 1) | (keep & ((high - m) >> 31) & 2);
            V8 v8;
            narrow(v8, val);
            vstore(map + x, v8);
        }
        tail(up, cur, down, dx, dy, map, x, w, low, high);
#else
        tail(up, cur, down, dx, dy, map, 0, w, low, high);
#endif
    }
    static void scalar(const std::int32_t* up, const std::int32_t* cur, const std::int32_t* down,
                       const std::int16_t* dx, const std::int16_t* dy, std::uint8_t* map, std::size_t w,
                       std::int32_t low, std::int32_t high) noexcept {
        tail(up, cur, down, dx, dy, map, 0, w, low, high);
    }
    static void tail(const std::int32_t* up, const std::int32_t* cur, const std::int32_t* down, const std::int16_t* dx,
                     const std::int16_t* dy, std::uint8_t* map, std::size_t x, std::size_t w, std::int32_t low,
                     std::int32_t high) noexcept {
        constexpr std::int64_t tg22 = 13573;  // (int)(tan(22.5 deg) * 2^15 + 0.5)
        for (; x < w; ++x) {
            const std::int32_t m = cur[x];
            std::uint8_t v = canny_none;
            if (m > low) {
                const std::int64_t xs = dx[x], ys = dy[x];
                const std::int64_t ax = std::abs(xs), ay = std::abs(ys) << 15;
                const std::int64_t tg22x = ax * tg22;
                bool keep;
                const auto xi = std::ptrdiff_t(x);  // signed: x - 1 at x = 0 reads the guard element
                if (ay < tg22x) {
                    keep = m > cur[xi - 1] && m >= cur[xi + 1];
                } else if (ay > tg22x + (ax << 16)) {
                    keep = m > up[x] && m >= down[x];
                } else {
                    const std::ptrdiff_t s = (xs < 0) != (ys < 0) ? -1 : 1;
                    keep = m > up[xi - s] && m > down[xi + s];
                }
                if (keep) v = m > high ? canny_edge : canny_weak;
            }
            map[x] = v;
        }
    }
};
VECTA_IMGPROC_DISPATCH(canny_nms_row,
                       (const std::int32_t* up, const std::int32_t* cur, const std::int32_t* down,
                        const std::int16_t* dx, const std::int16_t* dy, std::uint8_t* map, std::size_t w,
                        std::int32_t low, std::int32_t high),
                       (up, cur, down, dx, dy, map, w, low, high))

/// dst[x] = map[x] == 2 ? 255 : 0.
struct canny_output_row {
    template <int B>
    static VECTA_IMGPROC_INLINE void run(const std::uint8_t* map, std::uint8_t* dst, std::size_t w) noexcept {
#if VECTA_IMGPROC_VECTOR_EXT
        using V8 = vec<std::uint8_t, B>;
        std::size_t x = 0;
        for (; x + B <= w; x += B) vstore(dst + x, V8((vload<V8>(map + x) >> 1) * 255));  // 2 -> 255, 0 and 1 -> 0
        tail(map, dst, x, w);
#else
        tail(map, dst, 0, w);
#endif
    }
    static void scalar(const std::uint8_t* map, std::uint8_t* dst, std::size_t w) noexcept { tail(map, dst, 0, w); }
    static void tail(const std::uint8_t* map, std::uint8_t* dst, std::size_t x, std::size_t w) noexcept {
        for (; x < w; ++x) dst[x] = map[x] == canny_edge ? 255 : 0;
    }
};
VECTA_IMGPROC_DISPATCH(canny_output_row, (const std::uint8_t* map, std::uint8_t* dst, std::size_t w), (map, dst, w))
VECTA_IMGPROC_KERNELS_END

/// The map and the bookkeeping shared by the stripes of one canny call.
struct canny_state {
    std::size_t w = 0, h = 0, mw = 0;
    std::vector<std::uint8_t> map;                     // (h + 2) x mw, frame of canny_none
    std::vector<std::vector<std::uint8_t*>> boundary;  // per stripe: edges on its first / last row
    std::int32_t low = 0, high = 0;
    bool l2 = false;
    int bytes = 0;

    canny_state(std::size_t width, std::size_t height, std::size_t block)
        : w(width), h(height), mw(width + 2), map((height + 2) * (width + 2)), boundary((height + block - 1) / block) {
        std::memset(map.data(), canny_none, mw);
        std::memset(map.data() + (h + 1) * mw, canny_none, mw);
        for (std::size_t y = 1; y <= h; ++y) {
            map[y * mw] = canny_none;
            map[y * mw + mw - 1] = canny_none;
        }
    }

    /// Serial pass: floods from every recorded stripe-boundary edge in all 8 directions (the
    /// frame of canny_none keeps every neighbour inside the map).
    void global_hysteresis() {
        std::vector<std::uint8_t*> stack;
        for (auto& b : boundary) stack.insert(stack.end(), b.begin(), b.end());
        const std::ptrdiff_t s = std::ptrdiff_t(mw);
        const std::ptrdiff_t off[8] = {-1, 1, -s - 1, -s, -s + 1, s - 1, s, s + 1};
        while (!stack.empty()) {
            std::uint8_t* p = stack.back();
            stack.pop_back();
            for (const std::ptrdiff_t o : off) {
                if (p[o] == canny_weak) {
                    p[o] = canny_edge;
                    stack.push_back(p + o);
                }
            }
        }
    }
};

/// Row pipeline of one stripe: feed(y, dx, dy) with the gradients of rows y0-1 .. y1 (those
/// inside the image, in order), then finish(); NMS of row y runs as soon as row y+1's
/// magnitude is known. Three magnitude rows and two gradient rows live in cache.
class canny_stripe {
public:
    canny_stripe(canny_state& s, std::size_t y0, std::size_t y1)
        : s_(s), y0_(y0), y1_(y1), mag_(3 * (s.w + 2) + 16, 0), gx_(2 * s.w + 32), gy_(2 * s.w + 32) {}

    void feed(std::size_t y, const std::int16_t* dx, const std::int16_t* dy) {
        const std::size_t w = s_.w;
        grad_mag_row_call(s_.bytes, dx, dy, mag_row(std::ptrdiff_t(y)), w, s_.l2);
        std::int16_t* sx = gx_.data() + (y & 1) * w;
        std::int16_t* sy = gy_.data() + (y & 1) * w;
        if (y >= y0_ && y < y1_ && dx != sx) {
            std::copy(dx, dx + w, sx);
            std::copy(dy, dy + w, sy);
        }
        if (y >= 1 && y - 1 >= y0_ && y - 1 < y1_) nms(y - 1);
    }

    /// Where the gradients of row y may be written directly (then feed does not copy them).
    std::pair<std::int16_t*, std::int16_t*> slot(std::size_t y) noexcept {
        return {gx_.data() + (y & 1) * s_.w, gy_.data() + (y & 1) * s_.w};
    }

    /// NMS of the stripe's last row when it is the image's last row (the row below is 0).
    void finish() {
        if (y1_ == s_.h) {
            std::fill_n(mag_row(std::ptrdiff_t(s_.h)), s_.w, 0);
            nms(s_.h - 1);
        }
    }

    /// Hysteresis inside the stripe's rows: floods from its strong pixels through weak ones
    /// without leaving the stripe (other threads own the neighbouring rows); edges on the
    /// stripe's first or last row are recorded in `out` for the global pass.
    void hysteresis(std::vector<std::uint8_t*>& out) {
        const std::ptrdiff_t s = std::ptrdiff_t(s_.mw);
        std::uint8_t* const first_end = s_.map.data() + (y0_ + 2) * s_.mw;  // end of the first row
        std::uint8_t* const last_begin = s_.map.data() + y1_ * s_.mw;       // start of the last row
        std::vector<std::uint8_t*>& stack = stack_;
        auto visit = [&](std::uint8_t* q) {
            if (*q == canny_weak) {
                *q = canny_edge;
                stack.push_back(q);
            }
        };
        while (!stack.empty()) {
            std::uint8_t* p = stack.back();
            stack.pop_back();
            const bool top = p < first_end, bottom = p >= last_begin;
            visit(p - 1);
            visit(p + 1);
            if (!top) {
                visit(p - s - 1);
                visit(p - s);
                visit(p - s + 1);
            }
            if (!bottom) {
                visit(p + s - 1);
                visit(p + s);
                visit(p + s + 1);
            }
            if (top || bottom) out.push_back(p);
        }
    }

private:
    std::int32_t* mag_row(std::ptrdiff_t y) noexcept {
        // Slots by y mod 3; element [-1] and [w] stay 0.
        const std::size_t slot = std::size_t((y + 3) % 3);
        return mag_.data() + slot * (s_.w + 2) + 1;
    }
    void nms(std::size_t y) {
        const auto yy = std::ptrdiff_t(y);
        std::int32_t* up = mag_row(yy - 1);
        if (y == 0) std::fill_n(up, s_.w, 0);
        canny_nms_row_call(s_.bytes, static_cast<const std::int32_t*>(up),
                           static_cast<const std::int32_t*>(mag_row(yy)),
                           static_cast<const std::int32_t*>(mag_row(yy + 1)),
                           static_cast<const std::int16_t*>(gx_.data() + (y & 1) * s_.w),
                           static_cast<const std::int16_t*>(gy_.data() + (y & 1) * s_.w),
                           s_.map.data() + (y + 1) * s_.mw + 1, s_.w, s_.low, s_.high);
        push_strong(s_.map.data() + (y + 1) * s_.mw + 1);
    }

    /// Pushes the strong pixels (value 2) of a freshly written, cache-hot map row: eight map
    /// bytes at a time, bit 1 of a byte is set only for the value 2.
    void push_strong(std::uint8_t* row) {
        const std::size_t w = s_.w;
        std::size_t x = 0;
        for (; x + 8 <= w; x += 8) {
            std::uint64_t t;
            std::memcpy(&t, row + x, 8);
            t &= 0x0202020202020202ull;
            while (t) {
                stack_.push_back(row + x + std::size_t(std::countr_zero(t) >> 3));
                t &= t - 1;
            }
        }
        for (; x < w; ++x)
            if (row[x] == canny_edge) stack_.push_back(row + x);
    }

    canny_state& s_;
    std::size_t y0_, y1_;
    std::vector<std::int32_t> mag_;
    std::vector<std::int16_t> gx_, gy_;
    std::vector<std::uint8_t*> stack_;
};

inline void check_canny_params(const canny_params& params, std::string_view fn) {
    require(!std::isnan(params.low) && params.low >= 0, fn, "params.low", "must be >= 0 and not NaN");
    require(!std::isnan(params.high) && params.high >= 0, fn, "params.high", "must be >= 0 and not NaN");
    require(params.low <= params.high, fn, "params.low", "must be <= params.high");
    check_border(params.border, fn, "params.border");
}

inline std::size_t canny_block_rows(std::size_t h) noexcept { return std::max<std::size_t>(32, (h + 15) / 16); }

/// Runs NMS + stripe hysteresis over stripes (gradients from `grad(y0, y1, stripe)`, which
/// must feed rows max(y0, 1) - 1 .. min(y1 + 1, h) - 1), then the global hysteresis, then the
/// output.
template <class P, class Grad>
void canny_run(const P& policy, canny_state& st, image_view<std::uint8_t> dst, std::size_t block, Grad&& grad) {
    const std::size_t h = st.h;
    parallel_for(policy, h, block, [&](std::size_t y0, std::size_t y1) {
        canny_stripe stripe(st, y0, y1);
        grad(y0 == 0 ? 0 : y0 - 1, std::min(y1 + 1, h), stripe);
        stripe.finish();
        stripe.hysteresis(st.boundary[y0 / block]);
    });
    st.global_hysteresis();
    parallel_for(policy, h, 256, [&](std::size_t y0, std::size_t y1) {
        for (std::size_t y = y0; y < y1; ++y)
            canny_output_row_call(st.bytes, static_cast<const std::uint8_t*>(st.map.data() + (y + 1) * st.mw + 1),
                                  dst.row(y), st.w);
    });
}

}  // namespace detail

/// Canny edge detector (J. Canny, "A Computational Approach to Edge Detection", IEEE PAMI 1986)
/// as cv::Canny(src, dst, low, high, 3, l2_gradient), equal to OpenCV 4.x pixel for pixel
/// (tested on the photo corpus), without internal smoothing (blur first, e.g. gaussian_blur):
///  1. 3x3 Sobel dx, dy (see sobel) with params.border (default replicate, as cv::Canny).
///  2. Magnitude m = |dx| + |dy|, or dx^2 + dy^2 compared with squared thresholds for l2
///     (thresholds clamped to 32767 and floored, as OpenCV). Outside the image m is 0.
///  3. Non-maximum suppression with OpenCV's 15-bit fixed-point tangent test
///     (TG22 = round(tan(22.5 deg) 2^15) = 13573):
///     |dy| 2^15 < TG22 |dx|          horizontal: keep if m > m(x-1) and m >= m(x+1);
///     |dy| 2^15 > (TG22 + 2^16) |dx| vertical:   keep if m > m(y-1) and m >= m(y+1);
///     otherwise diagonal: keep if m is > both neighbours along the gradient's diagonal
///     (up-left/down-right when dx and dy have the same sign, else up-right/down-left).
///     Only pixels with m > low are considered.
///  4. Hysteresis: kept pixels with m > high are edges; kept pixels with m > low become edges
///     when 8-connected to an edge through such pixels.
/// Output: dst = 255 on edges, else 0. Pixels on the image border can be edges.
/// Structure (as OpenCV's): the image is cut into stripes of rows; in each, a row pipeline runs
/// Sobel, magnitude and NMS with three magnitude rows in cache into a 2-bit-valued byte map, then
/// a stack-based hysteresis that stays inside the stripe; a serial pass continues from the
/// stripes' edge rows. The closure does not depend on order, so seq, par and every SIMD width
/// give identical output. Runtime-dispatched kernels (SSE2 / AVX2 / AVX-512BW).
/// Shapes: src, dst w x h x 1 (dst caller-owned, must not overlap src: no in-place).
/// O(w h) time; scratch (w + 2)(h + 2) bytes plus the hysteresis stacks.
/// Throws vecta::invalid_argument if src is empty or not 1-channel ("src"), dst is not
/// w x h x 1 or overlaps src ("dst"), a threshold is NaN or negative ("params.low",
/// "params.high"), low > high ("params.low"; cv::Canny swaps them instead), or border is not
/// an enumerator ("params.border").
template <execution_policy P>
void canny(const P& policy, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst,
           const canny_params& params = {}) {
    constexpr std::string_view fn = "vecta::canny";
    detail::check_image(src, fn, "src", 1);
    detail::check_same_shape(src, dst, fn, "dst");
    detail::require(!detail::views_overlap(src, dst), fn, "dst",
                    "must not overlap src in memory (in-place Canny is not supported)");
    detail::check_canny_params(params, fn);
    const std::size_t h = src.height(), block = detail::canny_block_rows(h);
    detail::canny_state st(src.width(), h, block);
    st.l2 = params.l2_gradient;
    st.low = detail::canny_threshold(params.low, st.l2);
    st.high = detail::canny_threshold(params.high, st.l2);
    st.bytes = detail::policy_vector_bytes(policy);
    detail::canny_run(policy, st, dst, block, [&](std::size_t r0, std::size_t r1, detail::canny_stripe& stripe) {
        detail::sobel_rows(
            st.bytes, src, params.border, false, r0, r1,
            [&](std::size_t y, const std::int16_t* gx, const std::int16_t* gy) { stripe.feed(y, gx, gy); },
            [&](std::size_t y) { return stripe.slot(y); });
    });
}

/// canny(vecta::seq, src, dst, params).
inline void canny(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst, const canny_params& params = {}) {
    canny(seq, src, dst, params);
}

/// Canny from precomputed derivatives, as cv::Canny(dx, dy, edges, low, high, l2_gradient):
/// steps 2-4 of canny on the given int16 dx, dy (e.g. from sobel, with any border or Scharr).
/// params.border is not used. Shapes: dx, dy, dst w x h x 1. Same cost and output guarantees
/// as canny. Throws vecta::invalid_argument if dx is empty or not 1-channel ("dx"), dy's shape
/// differs ("dy"), a value of dx or dy is outside [-23170, 23170] (so every intermediate of the
/// integer test fits int32; "dx" / "dy"), dst is not w x h x 1 or overlaps dx or dy ("dst"), or
/// the thresholds are invalid as for canny.
template <execution_policy P>
void canny(const P& policy, image_view<const std::int16_t> dx, image_view<const std::int16_t> dy,
           image_view<std::uint8_t> dst, const canny_params& params = {}) {
    constexpr std::string_view fn = "vecta::canny";
    detail::check_image(dx, fn, "dx", 1);
    detail::check_same_shape(dx, dy, fn, "dy");
    detail::check_same_shape(dx, dst, fn, "dst");
    detail::require(!detail::views_overlap(dx, dst) && !detail::views_overlap(dy, dst), fn, "dst",
                    "must not overlap dx or dy in memory");
    detail::check_canny_params(params, fn);
    const std::size_t w = dx.width(), h = dx.height();
    auto in_range = [&](image_view<const std::int16_t> g) {
        for (std::size_t y = 0; y < h; ++y) {
            const std::int16_t* r = g.row(y);
            int bad = 0;
            for (std::size_t x = 0; x < w; ++x)
                bad |= (r[x] < -detail::canny_max_gradient) | (r[x] > detail::canny_max_gradient);
            if (bad) return false;
        }
        return true;
    };
    detail::require(in_range(dx), fn, "dx", "values must be in [-23170, 23170]");
    detail::require(in_range(dy), fn, "dy", "values must be in [-23170, 23170]");
    const std::size_t block = detail::canny_block_rows(h);
    detail::canny_state st(w, h, block);
    st.l2 = params.l2_gradient;
    st.low = detail::canny_threshold(params.low, st.l2);
    st.high = detail::canny_threshold(params.high, st.l2);
    st.bytes = detail::policy_vector_bytes(policy);
    detail::canny_run(policy, st, dst, block, [&](std::size_t r0, std::size_t r1, detail::canny_stripe& stripe) {
        for (std::size_t y = r0; y < r1; ++y) stripe.feed(y, dx.row(y), dy.row(y));
    });
}

/// canny(vecta::seq, dx, dy, dst, params).
inline void canny(image_view<const std::int16_t> dx, image_view<const std::int16_t> dy, image_view<std::uint8_t> dst,
                  const canny_params& params = {}) {
    canny(seq, dx, dy, dst, params);
}

}  // namespace vecta
