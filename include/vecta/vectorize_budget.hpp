// SPDX-License-Identifier: MIT
// vecta/vectorize_budget.hpp - size and quality budgets for vectorize: a search over its own
// settings (colours, speckle, tolerance, precision) that composes vectorize and scores each
// candidate by rendering it back (svg/rasterize.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "color/quantize.hpp"
#include "core/error.hpp"
#include "core/execution.hpp"
#include "core/image.hpp"
#include "imgproc/over_white.hpp"
#include "svg/document.hpp"
#include "svg/rasterize.hpp"
#include "vectorize.hpp"

namespace vecta {

namespace detail {

/// One budget candidate: a colour count and a simplification level (see budget_levels).
struct budget_knobs {
    std::size_t colors;
    std::size_t speckle;
    double tolerance;
    int precision;
    bool blank = false;  ///< binary mode's last resort: threshold 0, no ink, no path
    bool split = true;   ///< false: no region splits (split_psnr 0) whatever the caller's split_psnr
};

/// The simplification ladder at one colour count, bytes non-increasing along it (measured on the
/// shared photos and icons with tools/budget_sweep.py, docs/vectorize.md "Budgets"): level 0 is
/// the caller's settings; level 1 drops to precision 0 (a third fewer bytes for 0.2-0.3 dB on
/// a photo: the cheapest bytes); then the speckle size doubles from 8, each step merging more
/// small regions, with tolerance at least 1 px from speckle 64 on (a few per cent fewer bytes
/// where the detail is gone anyway). Up to speckle 256 with more than 4 colours (beyond it a
/// photo loses more PSNR per byte than with fewer colours, and the two merge passes leave
/// chains of small regions, so bytes stop falling), up to a quarter of the image with 1-4
/// colours and in binary mode, which then ends with a blank page (no ink: the empty document).
inline std::vector<budget_knobs> budget_levels(std::size_t colors, const vectorize_params& p, std::size_t pixels) {
    std::vector<budget_knobs> l{{colors, p.speckle, p.tolerance, p.precision}};
    if (p.precision > 0) l.push_back({colors, p.speckle, p.tolerance, 0});
    const std::size_t top = colors > 4 && p.mode != trace_mode::binary ? 256 : std::max<std::size_t>(pixels / 4, 8);
    for (std::size_t s = 8; s <= top; s *= 2)
        l.push_back({colors, s, s >= 64 ? std::max(p.tolerance, 1.0) : p.tolerance, 0});
    if (p.mode == trace_mode::binary) l.push_back({colors, l.back().speckle, l.back().tolerance, 0, true});
    return l;
}

}  // namespace detail

/// vectorize under a size or quality budget (what vectorize runs when params.max_bytes or
/// params.min_psnr is set; callable directly). Each candidate is a full vectorize pass; its
/// quality is the PSNR of its render (svg::render_document at the input size, over white)
/// against the input over white (rgb_over_white) -- the render, not the palette raster that
/// vectorize_stats::quantize_psnr scores.
/// Search (colour counts from the ladder 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192,
/// 256 plus params.colors; binary mode: the one palette):
///  - max_bytes B: at a colour count, the lowest level of detail::budget_levels whose document
///    fits in B, found by galloping from a guess (the level the previous colour count needed)
///    and bisection (about 2-4 passes); starting at params.colors, the colour count then walks
///    up, or else down, while the render PSNR of the fitted document improves (the PSNR is taken
///    as unimodal in the colour count). The most colours whose document at precision 0 and the
///    caller's speckle fits (bisection) is scored too: on star fields and grain fewer colours
///    beat the speckle levels more colours need; so are speckle 16 and 64 at the chosen and the
///    caller's colours (the render PSNR does not always fall along the ladder). Last (after the
///    local search below), the most colours whose document at the caller's settings fits, and
///    fewer while the render improves: gradient icons want full precision at fewer colours.
///    One colour always fits (a background rectangle), so the cap always holds. When a
///    candidate was cut by region splits (params.split_psnr, vectorize step 2b), the whole
///    max_bytes search runs again without splits (split_psnr 0) and the better render is kept
///    (ties: the caller's split_psnr): splits buy PSNR with bytes, which pays on most photos
///    at 512 KB-1 MB, on half at 128 KB, and loses below (stats.regions_split says which was
///    kept). min_psnr searches at the caller's split_psnr only.
///  - min_psnr Q: at a colour count, the highest level whose render still reaches Q (bisection,
///    PSNR non-increasing along the levels); the colour count walks while the bytes fall. If no
///    level 0 up to 256 colours reaches Q, budget_met is false and the best PSNR is returned.
///  - both: the min_psnr search within B; if the best document within B misses Q, that document
///    with budget_met = false.
/// The choice, its render PSNR and the passes are in stats.budget; stats.ms is the whole search.
///  - flat-colour images (the automatic palette used fewer colours than allowed) and small ones
///    (at most 2^17 pixels: icons): the choice is refined by a local search (up to 4 rounds,
///    each scoring the neighbours of the best: one to three colour counts up or down, precision
///    toggled, speckle one step or 16, 64, 256, tolerance toggled, and from precision 0 the
///    caller's precision paid for by tolerance 1 or by speckle 16, 64, 256), since merging
///    anti-aliasing slivers and full precision often render better there than the ladder's
///    order assumes.
/// Cost (measured, tools/budget_sweep.py, docs/vectorize.md "Budgets"): 7-113 vectorize passes
/// (median 16-48 on the photos at 600 px, where a second search without region splits runs;
/// 16-52 on the icons) and a render per scored candidate (a render is about a quarter of a
/// pass); 3.6 s for the 451 x 300 chelsea at 20 KB on a loaded 2-core machine, where one
/// default pass takes 0.3 s.
/// Throws vecta::invalid_argument naming params.max_bytes (smaller than the document of one
/// colour, which has no path but the background), params.min_psnr (negative, not finite or
/// above 99), params.max_bytes / params.min_psnr in centerline mode (not supported), and what
/// vectorize throws for the other parameters.
template <execution_policy Policy>
vectorize_result vectorize_budget(const Policy& policy, image_view<const std::uint8_t> src,
                                  const vectorize_params& caller) {
    constexpr std::string_view fn = "vecta::vectorize";
    vectorize_params params = caller;  // the automatic precision starts the search at 1 decimal
    if (params.precision == vectorize_params::auto_precision) params.precision = 1;
    const auto t0 = std::chrono::steady_clock::now();
    detail::check_image(src, fn, "src");
    detail::require(std::isfinite(params.min_psnr) && params.min_psnr >= 0 && params.min_psnr <= 99, fn,
                    "params.min_psnr", "must be a finite number in [0, 99] dB (0 = no quality target)");
    detail::require(params.mode != trace_mode::centerline, fn,
                    params.max_bytes ? "params.max_bytes" : "params.min_psnr",
                    "budgets apply to trace_mode::color and trace_mode::binary, not centerline");
    detail::require(params.colors >= 1 && params.colors <= 65536, fn, "params.colors", "must be in 1..65536");
    detail::require(params.precision >= 0 && params.precision <= 6, fn, "params.precision", "must be in 0..6");
    const std::size_t w = src.width(), h = src.height();
    if (params.max_bytes) {
        svg::document one(w, h);  // the smallest document: one colour, the background only
        if (params.mode == trace_mode::color) one.add_background({255, 255, 255});
        const std::size_t floor = one.str().size();
        detail::require(
            params.max_bytes >= floor, fn, "params.max_bytes",
            "must be at least " + std::to_string(floor) + " bytes, the size of a one-colour document of this image");
    }
    const bool binary = params.mode == trace_mode::binary;
    const std::size_t B = params.max_bytes ? params.max_bytes : SIZE_MAX;
    const double Q = params.min_psnr;

    // The reference the renders are scored against: the input over white, RGB.
    image<std::uint8_t> ref_own;
    if (src.channels() != 3) ref_own = rgb_over_white(src);
    const image_view<const std::uint8_t> ref = src.channels() == 3 ? src : ref_own.view();

    struct candidate {
        vectorize_result r;
        std::optional<double> psnr;
        detail::budget_knobs knobs{};
    };
    using key = std::tuple<std::size_t, std::size_t, double, int, bool, bool>;
    std::map<key, candidate> seen;  // by knobs
    std::size_t passes = 0, renders = 0;
    auto eval = [&](const detail::budget_knobs& k, std::size_t level) -> candidate& {
        (void)level;
        // One colour is the search's floor, a background rectangle: never cut into regions
        // (a one-entry palette's PSNR is below split_psnr on any image with detail).
        const bool split = k.split && k.colors > 1 && params.split_psnr > 0;
        const key id{k.colors, k.speckle, k.tolerance, k.precision, k.blank, split};
        auto it = seen.find(id);
        if (it != seen.end()) return it->second;
        if (!split && k.colors > 1 && params.split_psnr > 0) {
            // The same knobs with splits allowed, where none was made, wrote this very document
            // (vectorize step 2b changes nothing then): no pass.
            const auto twin = seen.find({k.colors, k.speckle, k.tolerance, k.precision, k.blank, true});
            if (twin != seen.end() && twin->second.r.stats.regions_split == 0) {
                candidate c = twin->second;
                c.knobs = k;
                return seen.emplace(id, std::move(c)).first->second;
            }
        }
        vectorize_params p = params;
        p.max_bytes = 0;
        p.min_psnr = 0;
        p.colors = k.colors;
        if (!split) p.split_psnr = 0;
        p.speckle = k.speckle;
        p.tolerance = k.tolerance;
        p.precision = k.precision;
        if (k.blank) p.threshold = 0;
        ++passes;
        candidate c{vectorize(policy, src, p), std::nullopt, k};
        return seen.emplace(id, std::move(c)).first->second;
    };
    auto score = [&](const std::string& document) {
        ++renders;
        const image<std::uint8_t> back = svg::render_document(document, w, h);
        std::uint64_t se = 0;
        for (std::size_t y = 0; y < h; ++y) {
            const std::uint8_t *a = ref.row(y), *b = back.view().row(y);
            for (std::size_t x = 0; x < 3 * w; ++x) {
                const int d = int(a[x]) - int(b[x]);
                se += std::uint64_t(d * d);
            }
        }
        return psnr_u8(se, 3 * std::uint64_t(w) * h);
    };
    auto psnr_of = [&](candidate& c) {
        if (!c.psnr) c.psnr = score(c.r.document);
        return *c.psnr;
    };

    // Colour counts to walk over.
    std::vector<std::size_t> counts;
    if (binary) {
        counts = {params.colors};
    } else {
        for (std::size_t c : {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256}) counts.push_back(c);
        if (std::find(counts.begin(), counts.end(), params.colors) == counts.end()) {
            counts.push_back(params.colors);
            std::sort(counts.begin(), counts.end());
        }
    }
    const std::size_t start = std::size_t(std::find(counts.begin(), counts.end(), params.colors) - counts.begin());
    bool split_on = params.split_psnr > 0;  // the variant of the ladder being searched (see below)
    auto levels_of = [&](std::size_t i) {
        std::vector<detail::budget_knobs> l = detail::budget_levels(counts[i], params, w * h);
        for (auto& k : l) k.split = split_on;
        return l;
    };
    auto at = [&](std::size_t i, std::size_t l) -> candidate& { return eval(levels_of(i)[l], l); };
    auto bytes_at = [&](std::size_t i, std::size_t l) { return at(i, l).r.stats.bytes; };

    // The first level l in [0, n) where pred turns true (pred false, ..., false, true, ..., true
    // along the levels; n if never), galloping from `guess` (1 pass when the guess is right and
    // its neighbour confirms it, 2 log2(distance) otherwise) and then bisecting.
    auto first_true = [](auto&& pred, std::size_t n, std::size_t guess) -> std::size_t {
        guess = std::min(guess, n - 1);
        constexpr std::size_t none = SIZE_MAX;
        std::size_t lo = none, hi = n;  // pred(lo) false (none: below 0), pred(hi) true (n: past the end)
        if (pred(guess)) {
            hi = guess;
            for (std::size_t step = 1; hi > 0; step *= 2) {
                const std::size_t l = hi >= step ? hi - step : 0;
                if (!pred(l)) {
                    lo = l;
                    break;
                }
                hi = l;
            }
            if (lo == none) return hi;
        } else {
            lo = guess;
            for (std::size_t step = 1; lo + 1 < n; step *= 2) {
                const std::size_t l = std::min(n - 1, lo + step);
                if (pred(l)) {
                    hi = l;
                    break;
                }
                lo = l;
            }
            if (hi == n) return n;
        }
        while (hi - lo > 1) {
            const std::size_t mid = lo + (hi - lo) / 2;
            (pred(mid) ? hi : lo) = mid;
        }
        return hi;
    };
    // Lowest level at colour index i whose document fits in B (n if none).
    auto fit = [&](std::size_t i, std::size_t guess) {
        return first_true([&](std::size_t l) { return bytes_at(i, l) <= B; }, levels_of(i).size(), guess);
    };

    // max_bytes (also the frame of a min_psnr search under a cap): best render PSNR within B.
    candidate* best = nullptr;
    std::size_t best_i = start, best_l = 0;
    std::size_t walk_i = 0, walk_l = 0;  // the walk's choice (max_bytes)
    // The most colours (index below walk_i) whose document at level l fits in B: bisection, as
    // bytes grow with the colour count (one colour always fits, a background rectangle).
    auto most_colors = [&](std::size_t l) {
        std::size_t lo = 0, hi = walk_i;  // bytes_at(lo, l) <= B, hi: not
        while (hi - lo > 1) {
            const std::size_t mid = lo + (hi - lo) / 2;
            (bytes_at(mid, l) <= B ? lo : hi) = mid;
        }
        return lo;
    };
    // The search within B at the current split_on: the walk, the speckle jumps, the local search
    // and the last step below (sets best, best_i, best_l, walk_i, walk_l).
    auto search_cap = [&] {
        best = nullptr;
        best_i = start;
        best_l = 0;
        walk_i = walk_l = 0;
        auto knob = [&](std::size_t c, std::size_t sp, double t, int pr) {
            return detail::budget_knobs{c, sp, t, pr, false, split_on};
        };
        std::size_t i = start, l = fit(start, 0);
        if (l == levels_of(start).size()) {
            // Too many colours even at the last level: the most colours whose last level fits
            // (bisection over the colour counts; one colour always fits, a background rectangle).
            std::size_t lo = 0, hi = start;
            while (hi - lo > 1) {
                const std::size_t mid = lo + (hi - lo) / 2;
                const std::size_t last = levels_of(mid).size() - 1;
                (bytes_at(mid, last) <= B ? lo : hi) = mid;
            }
            i = lo;
            l = fit(i, 1);  // from below: far up the ladder bytes fall less surely
        }
        best = &at(i, l);
        best_i = i;
        best_l = l;
        // Walk the colour count up, or else down, while the render PSNR of the fitted document
        // improves.
        // One step past a colour count that is no better is still tried (the fitted PSNR is not
        // quite unimodal: the level steps are coarse).
        for (const int dir : {+1, -1}) {
            bool moved = false;
            int misses = 0;
            std::size_t j = best_i, lj = best_l;
            while (misses < 2 && (dir > 0 ? j + 1 < counts.size() : j > 0)) {
                j = dir > 0 ? j + 1 : j - 1;
                lj = fit(j, lj);
                if (lj == levels_of(j).size()) break;  // more colours do not fit at all
                candidate& c = at(j, lj);
                if (dir > 0 && c.r.stats.colors <= counts[j - 1]) break;  // the palette stopped growing
                if (psnr_of(c) <= psnr_of(*best)) {
                    ++misses;
                    continue;
                }
                best = &c;
                best_i = j;
                best_l = lj;
                moved = true;
                misses = 0;
            }
            if (moved) break;  // the PSNR is taken as unimodal in the colour count
        }
        // The walk climbs from where the caller's colour count fits. On a star field or grain
        // the speckle levels needed there erase the detail, and far fewer colours without
        // speckle merging render better (hubble-deep-field at 128 KB: 23.4 dB at 24 colours and
        // speckle 64 against 27.0 dB at 4 colours). So the most colours whose document at
        // precision 0 and the caller's speckle fits is scored too (bisection over the colour
        // counts below the choice: about log2 of its index passes).
        walk_i = best_i;
        walk_l = best_l;
        const std::size_t lz = params.precision > 0 ? 1 : 0;
        if (walk_l > lz && walk_i > 0) {
            const std::size_t lo = most_colors(lz);
            candidate& c = at(lo, lz);
            if (c.r.stats.bytes <= B && psnr_of(c) > psnr_of(*best)) {
                best = &c;
                best_i = lo;
                best_l = lz;
            }
        }
        // Larger specks at the chosen colours and precision, and at the caller's colours: the
        // render PSNR does not always fall along the ladder (hubble-deep-field at 1 MB: 24
        // colours at speckle 16 render 28.3 dB in 592 KB, the walk's choice, 48 colours at the
        // caller's speckle, 27.0 dB in 994 KB). At most four passes.
        const detail::budget_knobs bw = best->knobs;
        if (!binary && (bw.speckle == vectorize_params::auto_speckle || bw.speckle < 16))
            for (const std::size_t cc : {bw.colors, counts[start]})
                for (const std::size_t sp : {16, 64}) {
                    candidate& c = eval(knob(cc, sp, bw.tolerance, bw.precision), 0);
                    if (c.r.stats.bytes <= B && psnr_of(c) > psnr_of(*best)) best = &c;
                }

        // Flat-colour images (the automatic palette used fewer colours than allowed at the start)
        // and small ones (icons: at most 2^17 pixels, where a pass is cheap): the ladder's order
        // (precision 0 first, then larger specks) is often wrong there (merging anti-aliasing
        // slivers costs little, full precision at fewer colours can beat more colours at whole
        // pixels, and on gradient icons the render PSNR is not unimodal in the colour count), so
        // the choice is refined by a local search over the knobs: each round scores the neighbours
        // of the best (one to three colour counts up or down from the colours it painted, the
        // precision toggled between the caller's and 0, the speckle one step along auto, 8, 16,
        // ..., 256 and 16, 64, 256, the tolerance toggled between the caller's and 1, and from
        // precision 0 the caller's precision at tolerance 1 or at the caller's tolerance and speckle
        // 16, 64, 256) and moves to the best render within B, until none improves (at most `rounds`
        // rounds).
        constexpr std::size_t small_pixels = std::size_t(1) << 17;
        if (!binary && (w * h <= small_pixels || at(start, 0).r.stats.colors < counts[start])) {
            constexpr std::size_t rounds = 4;
            std::vector<std::size_t> specks{vectorize_params::auto_speckle};
            for (std::size_t sp = 8; sp <= 256; sp *= 2) specks.push_back(sp);
            const double tol1 = std::max(params.tolerance, 1.0);
            for (std::size_t round = 0; round < rounds; ++round) {
                const detail::budget_knobs b0 = best->knobs;
                // From the colours painted when fewer (a flat palette stops at the image's colours).
                const std::size_t eff = std::min(b0.colors, std::max<std::size_t>(best->r.stats.colors, 1));
                const std::size_t ci =
                    std::size_t(std::lower_bound(counts.begin(), counts.end(), eff) - counts.begin());
                const std::size_t si =
                    std::size_t(std::find(specks.begin(), specks.end(), b0.speckle) - specks.begin());
                std::vector<detail::budget_knobs> tries;
                for (std::size_t d = 1; d <= 3; ++d) {
                    if (ci >= d) tries.push_back(knob(counts[ci - d], b0.speckle, b0.tolerance, b0.precision));
                    if (ci + d < counts.size())
                        tries.push_back(knob(counts[ci + d], b0.speckle, b0.tolerance, b0.precision));
                }
                tries.push_back(knob(b0.colors, b0.speckle, b0.tolerance, b0.precision ? 0 : params.precision));
                if (si > 0 && si < specks.size())
                    tries.push_back(knob(b0.colors, specks[si - 1], b0.tolerance, b0.precision));
                if (si + 1 < specks.size())
                    tries.push_back(knob(b0.colors, specks[si + 1], b0.tolerance, b0.precision));
                for (const std::size_t sp : {16, 64, 256})  // jumps: the render is not unimodal in the speckle
                    tries.push_back(knob(b0.colors, sp, b0.tolerance, b0.precision));
                tries.push_back(
                    knob(b0.colors, b0.speckle, b0.tolerance == tol1 ? params.tolerance : tol1, b0.precision));
                if (b0.precision == 0 && params.precision > 0) {  // full precision paid for by a coarser tolerance
                    tries.push_back(knob(b0.colors, b0.speckle, tol1, params.precision));
                    for (const std::size_t sp : {16, 64, 256})  // or by larger specks (twemoji fire at 8 KB)
                        tries.push_back(knob(b0.colors, sp, params.tolerance, params.precision));
                }
                candidate* next = best;
                for (const auto& k : tries) {
                    candidate& c = eval(k, 0);
                    if (c.r.stats.bytes <= B && psnr_of(c) > psnr_of(*next) + 1e-9) next = &c;
                }
                if (next == best) break;
                best = next;
            }
        }

        // Last, the most colours whose document at the caller's settings (level 0) fits, and fewer
        // while the render improves: on gradient icons full precision at fewer colours beats whole
        // units at more (tango-weather-storm at 32 KB: 16 colours at precision 1 render 32.4 dB, the
        // walk's 32 colours at precision 0 31.0 dB), and k-means can land in a poor minimum at one
        // count (tango-computer at precision 1: 24 colours 27.4 dB, 16 colours 31.0 dB). After the
        // local search, which it would otherwise start from a poorer optimum (twemoji automobile at
        // 2 KB: 33.7 dB from the ladder's choice, 32.7 dB from 3 colours at level 0).
        if (walk_l > 0 && walk_i > 0) {
            const std::size_t top = most_colors(0);
            for (std::size_t j = top;; --j) {
                candidate& c = at(j, 0);
                if (c.r.stats.bytes > B) break;
                if (psnr_of(c) > psnr_of(*best)) best = &c;
                if (j == 0 || (j < top && psnr_of(c) <= psnr_of(at(j + 1, 0)))) break;
            }
        }
    };
    if (params.max_bytes) {
        search_cap();
        // Region splits (vectorize step 2b, below split_psnr) buy PSNR with bytes: on the photos
        // they win at 512 KB-1 MB, on half of them at 128 KB, and lose below (kde-fallenleaf at
        // 32 KB: no document with splits fits at any swept setting, 21.9 dB without; the search
        // with splits alone fell 6.3 dB short on hubble-deep-field at 32 KB). When a candidate was split, the
        // search is run again without splits (split_psnr 0) and the better render kept, ties to
        // the caller's split_psnr; images no candidate splits (flat icons) cost nothing more.
        bool split = false;
        for (const auto& [id, c] : seen) split = split || c.r.stats.regions_split > 0;
        if (split_on && split) {
            candidate* const with = best;
            const std::tuple kept{best_i, best_l, walk_i, walk_l};
            split_on = false;
            search_cap();
            if (psnr_of(*with) >= psnr_of(*best)) {
                best = with;
                std::tie(best_i, best_l, walk_i, walk_l) = kept;
                split_on = true;
            }
        }
    }

    bool met = true;
    if (Q > 0) {
        // Highest level at colour index i whose render reaches Q (SIZE_MAX if none, even level 0).
        auto reach = [&](std::size_t i, std::size_t guess) -> std::size_t {
            const std::size_t t =
                first_true([&](std::size_t l) { return psnr_of(at(i, l)) < Q; }, levels_of(i).size(), guess);
            return t == 0 ? SIZE_MAX : t - 1;
        };
        if (best && psnr_of(*best) < Q) {
            met = false;  // even the best document within B misses Q
        } else {
            candidate* found = nullptr;
            std::size_t i = best ? best_i : start, l = reach(i, best ? best_l : 0);
            while (l == SIZE_MAX && i + 1 < counts.size()) l = reach(++i, 0);  // more colours until Q is reachable
            if (l != SIZE_MAX) {
                found = &at(i, l);
                // Then towards fewer bytes: fewer colours (at a lower simplification level), or more.
                for (const int dir : {-1, +1}) {
                    bool moved = false;
                    std::size_t j = i, lj = l;
                    while (dir > 0 ? j + 1 < counts.size() : j > 0) {
                        j = dir > 0 ? j + 1 : j - 1;
                        lj = reach(j, lj == SIZE_MAX ? 0 : lj);
                        if (lj == SIZE_MAX) break;
                        candidate& c = at(j, lj);
                        if (c.r.stats.bytes >= found->r.stats.bytes) break;
                        found = &c;
                        moved = true;
                    }
                    if (moved) break;
                }
            }
            if (found && found->r.stats.bytes <= B) {
                best = found;
            } else if (!best) {  // no cap and no setting reaches Q: the best PSNR seen
                met = false;
                for (auto& [knobs_id, c] : seen)
                    if (!best || psnr_of(c) > psnr_of(*best)) best = &c;
            }  // else: best (within B) reaches Q already
        }
    }

    vectorize_result out = std::move(best->r);
    out.budget_met = met;
    auto& b = out.stats.budget;
    b.colors = best->knobs.colors;
    b.speckle = best->knobs.speckle;
    b.tolerance = best->knobs.tolerance;
    b.precision = best->knobs.precision;
    b.psnr = best->psnr ? *best->psnr : score(out.document);
    b.passes = passes;
    b.renders = renders;
    out.stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace vecta
