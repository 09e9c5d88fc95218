// SPDX-License-Identifier: MIT
// vecta/geometry/thinning.hpp - Guo-Hall parallel thinning of a binary mask to a 1-pixel skeleton.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"

namespace vecta {

namespace detail {

/// Neighbour bits of a pixel: bit 0 = north, then clockwise (NE, E, SE, S, SW, W, NW = bit 7).
/// thin_table[s][bits] is 1 when Guo & Hall's algorithm A1 deletes a foreground pixel with
/// those neighbours in subiteration s (Z. Guo, R. W. Hall, "Parallel thinning with
/// two-subiteration algorithms", CACM 32(3), 1989): C(P) = 1 (one 8-connected component of
/// neighbours, counted on the 4 sides), 2 <= N(P) <= 3 (N = min of the two pairings of the
/// neighbours, so end points and thin lines stay), and the subiteration's side condition
/// (s = 0: (S or SW or not NW) and W is false; s = 1: (N or NE or not SE) and E is false).
inline const std::array<std::array<std::uint8_t, 256>, 2>& thin_table() noexcept {
    static const auto table = [] {
        std::array<std::array<std::uint8_t, 256>, 2> t{};
        for (int b = 0; b < 256; ++b) {
            const auto p = [b](int k) { return (b >> k) & 1; };  // k: 0 N, 1 NE, 2 E, 3 SE, 4 S, 5 SW, 6 W, 7 NW
            const int n = p(0), ne = p(1), e = p(2), se = p(3), s = p(4), sw = p(5), w = p(6), nw = p(7);
            const int c = ((!n) & (ne | e)) + ((!e) & (se | s)) + ((!s) & (sw | w)) + ((!w) & (nw | n));
            const int n1 = (nw | n) + (ne | e) + (se | s) + (sw | w);
            const int n2 = (n | ne) + (e | se) + (s | sw) + (w | nw);
            const int nn = n1 < n2 ? n1 : n2;
            const int m0 = (s | sw | !nw) & w;
            const int m1 = (n | ne | !se) & e;
            const bool base = c == 1 && nn >= 2 && nn <= 3;
            t[0][std::size_t(b)] = std::uint8_t(base && m0 == 0);
            t[1][std::size_t(b)] = std::uint8_t(base && m1 == 0);
        }
        return t;
    }();
    return table;
}

/// Neighbour bits (see thin_table) of index i in a padded buffer of row length `row` whose
/// bit 0 is the foreground (the other bits are ignored).
inline unsigned neighbour_bits(const std::uint8_t* b, std::size_t i, std::size_t row) noexcept {
    return unsigned(b[i - row] & 1) | unsigned(b[i - row + 1] & 1) << 1 | unsigned(b[i + 1] & 1) << 2 |
           unsigned(b[i + row + 1] & 1) << 3 | unsigned(b[i + row] & 1) << 4 | unsigned(b[i + row - 1] & 1) << 5 |
           unsigned(b[i - 1] & 1) << 6 | unsigned(b[i - row - 1] & 1) << 7;
}

}  // namespace detail

/// Thins a binary mask to an 8-connected skeleton one pixel wide with Guo & Hall's parallel
/// algorithm A1 (CACM 32(3), 1989): two subiterations per pass, each deleting at once every
/// border pixel that the rule allows (see detail::thin_table), until a pass deletes nothing.
/// Topology (8-connected foreground, 4-connected background) is preserved; end points of
/// lines stay. A pixel is examined only when it is on the border and its neighbourhood changed
/// since it was last examined in that subiteration (the same result as examining every pixel),
/// so the whole thinning costs O(W * H) for the first scan plus O(pixels deleted) after it.
/// Shapes: src and dst W x H, 1 channel; src nonzero = foreground; dst receives 255 on the
/// skeleton and 0 elsewhere. dst may be src itself. Pixels outside the image are background.
/// Complexity: O(W * H) time and memory. Sequential: the policy is accepted for a uniform call
/// shape but not used, since the work after the first scan is one shared worklist of changed
/// pixels (O(pixels deleted)), which does not split into independent row blocks.
/// Throws vecta::invalid_argument if src is empty or not 1 channel ("src"), or dst does not
/// have src's shape ("dst").
template <execution_policy Policy>
void thinning(const Policy&, image_view<const std::uint8_t> src, image_view<std::uint8_t> dst) {
    constexpr std::string_view fn = "vecta::thinning";
    detail::check_image(src, fn, "src", 1);
    detail::check_same_shape(src, dst, fn, "dst");
    const std::size_t w = src.width(), h = src.height(), row = w + 2;
    // b: bit 0 = foreground; bit 1 + s = pixel queued for subiteration s (examined there: a
    // pixel examined and kept is not examined again in that subiteration until a neighbour is
    // deleted, since the rule depends on the 3 x 3 neighbourhood only). One byte for both, so the
    // flag and the neighbourhood of a candidate share cache lines.
    std::vector<std::uint8_t> b(row * (h + 2), 0);
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* s = src.row(y);
        std::uint8_t* o = &b[(y + 1) * row + 1];
        for (std::size_t x = 0; x < w; ++x) o[x] = s[x] != 0;
    }
    const auto nbits = [&b, row](std::size_t i) noexcept { return detail::neighbour_bits(b.data(), i, row); };
    constexpr std::uint8_t both = 6;
    std::vector<std::size_t> cand, del;
    for (std::size_t y = 1; y <= h; ++y)
        for (std::size_t x = 1; x <= w; ++x) {
            const std::size_t i = y * row + x;
            if (x + 8 <= w + 1) {  // skip paper 8 pixels at a time
                std::uint64_t word;
                std::memcpy(&word, &b[i], 8);
                if (word == 0) {
                    x += 7;
                    continue;
                }
            }
            if (b[i] && nbits(i) != 0xFF) {
                cand.push_back(i);
                b[i] |= both;
            }
        }
    const auto& table = detail::thin_table();
    const std::ptrdiff_t r = std::ptrdiff_t(row);
    const std::ptrdiff_t off[8] = {-r, -r + 1, 1, r + 1, r, r - 1, -1, -r - 1};
    for (bool changed = true; changed;) {
        changed = false;
        for (unsigned s = 0; s < 2; ++s) {
            del.clear();
            const std::uint8_t bit = std::uint8_t(2u << s);
            std::size_t k = 0;  // cand is compacted in the same sweep: pixels with no flag left go
            for (const std::size_t i : cand) {
                std::uint8_t v = b[i];
                if (v & bit) {
                    if (table[s][nbits(i)])
                        del.push_back(i);
                    else
                        b[i] = v = std::uint8_t(v & ~bit);
                }
                if (v & both) cand[k++] = i;  // a pixel deleted now has no flag at the next sweep
            }
            cand.resize(k);
            if (del.empty()) continue;
            changed = true;
            for (const std::size_t i : del) b[i] = 0;
            for (const std::size_t i : del)
                for (const std::ptrdiff_t o : off) {
                    const std::size_t j = std::size_t(std::ptrdiff_t(i) + o);
                    const std::uint8_t v = b[j];
                    if (!(v & 1)) continue;
                    if (!(v & both)) cand.push_back(j);
                    b[j] = std::uint8_t(v | both);
                }
        }
    }
    for (std::size_t y = 0; y < h; ++y) {
        std::uint8_t* o = dst.row(y);
        const std::uint8_t* s = &b[(y + 1) * row + 1];
        for (std::size_t x = 0; x < w; ++x) o[x] = (s[x] & 1) ? 255 : 0;
    }
}

/// thinning under vecta::seq.
inline void thinning(image_view<const std::uint8_t> src, image_view<std::uint8_t> dst) { thinning(seq, src, dst); }

}  // namespace vecta
