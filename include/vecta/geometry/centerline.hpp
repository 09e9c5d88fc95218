// SPDX-License-Identifier: MIT
// vecta/geometry/centerline.hpp - centerline tracing: pen strokes as stroked paths along their
// middle, with their widths; ink blobs much wider than the strokes as filled regions.
//
// A composition of public stages (like vectorize.hpp): vecta::distance_transform (imgproc),
// vecta::thinning, vecta::build_skeleton_graph, vecta::bezier_fit, vecta::trace_regions and
// vecta::fit_outline_curve. The SVG writer is vecta::svg::centerline_svg (svg/centerline_svg.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "../core/error.hpp"
#include "../core/execution.hpp"
#include "../core/image.hpp"
#include "../core/point.hpp"
#include "../imgproc/distance_transform.hpp"
#include "bezier_fit.hpp"
#include "closed_curve.hpp"
#include "label_regions.hpp"
#include "outline_curve.hpp"
#include "skeleton_graph.hpp"
#include "thinning.hpp"
#include "trace_regions.hpp"

namespace vecta {

/// Parameters of trace_centerlines. Lengths and widths are in pixels.
struct centerline_params {
    int threshold = 128;           ///< a pixel darker than this (value < threshold) is ink; [1, 256]
    double min_stroke_length = 2;  ///< drawings whose strokes' length + width is below this are dropped; >= 0
    double spur_ratio = 1.0;       ///< a branch from a junction to a free end is a spur (removed) when shorter than
                                   ///< spur_ratio x the stroke width at the junction; >= 0
    double spur_length = 0;        ///< ... or shorter than this, whatever the width; >= 0
    double width_quantum = 0.1;    ///< stroke widths are rounded to multiples of this (0 = not rounded); >= 0
    double width_tolerance = 0.3;  ///< when all measured widths lie within this of each other, every stroke gets
                                   ///< their length-weighted median; otherwise each its own, and pieces of a
                                   ///< stroke between corners differing by more than this are split; >= 0
    double curve_tolerance = 0.4;  ///< bezier_fit's max_error: distance from the centerline points to the curves
                                   ///< (at least 5% of the stroke's width); > 0
    double corner_angle_deg = 35;  ///< a centerline turning by more than this is a corner (bezier_fit); (0, 180]
    double stroke_width = 0;       ///< > 0: every stroke drawn at this width (plotters); 0: measured widths; >= 0
    double max_turn_deg = 75;      ///< at a junction two branches continue as one stroke when the path turns by
                                   ///< less than this; [0, 180]
    double fill_elongation = 1.0;  ///< a drawing whose centerline is shorter than this x its widest width is a
                                   ///< filled region (bold dots, blobs); >= 0
    double fill_ratio = 2.0;       ///< a drawing of uneven width (not drawn by a pen) wider than this x the
                                   ///< typical stroke width is a filled region; >= 0
};

/// One traced stroke: a centerline drawn with a round pen of `width`.
struct centerline_stroke {
    /// The centerline (pixel-edge convention: pixel (x, y) covers [x, x+1] x [y, y+1]); about one
    /// point per pixel of length. Closed strokes do not repeat the first point. A dot has one.
    std::vector<point2d> points;
    std::vector<cubic_bezier> curves;  ///< bezier_fit of points (empty for a dot)
    double width = 0;                  ///< stroke width drawn (quantised, or params.stroke_width)
    double measured_width = 0;         ///< median measured width along the stroke, before quantisation
    bool closed = false;               ///< the stroke is a loop ("o")
};

/// The result of trace_centerlines.
struct centerline_result {
    std::vector<centerline_stroke> strokes;
    /// Filled regions: outlines on the pixel-corner lattice (see vecta::region::outline) of the
    /// ink blobs and of the holes inside them; drawn together with the even-odd rule.
    std::vector<std::vector<point2<int>>> fill_rings;
    std::vector<closed_curve> fill_curves;  ///< fit_outline_curve of each ring, same order
    double typical_width = 0;               ///< length-weighted median width of the strokes (0 if none)
};

namespace detail {

/// A union-find forest over 0..n-1 (union_find_root of geometry/label_regions.hpp).
struct cl_union_find {
    std::vector<std::size_t> parent;
    explicit cl_union_find(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
    std::size_t find(std::size_t a) noexcept { return union_find_root(parent, a); }
};

inline double cl_dist(point2d a, point2d b) noexcept {
    return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y));
}

inline double cl_length(const std::vector<point2d>& p) noexcept {
    double s = 0;
    for (std::size_t i = 1; i < p.size(); ++i) s += cl_dist(p[i - 1], p[i]);
    return s;
}

/// Point at arc length s along p (clamped to its ends).
inline point2d cl_at(const std::vector<point2d>& p, double s) noexcept {
    for (std::size_t i = 1; i < p.size(); ++i) {
        const double d = cl_dist(p[i - 1], p[i]);
        if (s <= d && d > 0) {
            const double t = s / d;
            return {p[i - 1].x + t * (p[i].x - p[i - 1].x), p[i - 1].y + t * (p[i].y - p[i - 1].y)};
        }
        s -= d;
    }
    return p.back();
}

inline double cl_median(std::vector<double> v) {
    if (v.empty()) return 0;
    const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

/// Mean of the middle half of the values (the interquartile mean): robust to the profiles
/// spoilt near crossings, and unbiased where a median would snap to whole pixels (a
/// thresholded stroke measures a whole number of pixels across, depending on its phase).
inline double cl_trimmed_mean(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t lo = v.size() / 4, hi = v.size() - v.size() / 4;
    double s = 0;
    for (std::size_t i = lo; i < hi; ++i) s += v[i];
    return s / double(hi - lo);
}

/// Length-weighted median of (value, weight) pairs.
inline double cl_weighted_median(std::vector<std::pair<double, double>> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    double total = 0;
    for (const auto& e : v) total += e.second;
    double acc = 0;
    for (const auto& e : v) {
        acc += e.second;
        if (acc >= total / 2) return e.first;
    }
    return v.back().first;
}

/// A piece of centerline fitted with a parabola in its own frame: origin o (its near end),
/// unit direction e (from its far end towards o and beyond), normal f; the point at t along e
/// is o + t e + (a + b t + q t^2) f. Used to extrapolate a branch over the part that thinning
/// bent (corners, junctions). Least squares on the points (Cramer's rule on the 3 x 3 normal
/// equations); e == {0, 0} when the points do not span a direction.
struct cl_leg {
    point2d o{}, e{}, f{};
    double a = 0, b = 0, q = 0;
    point2d at(double t) const noexcept {
        const double v = a + b * t + q * t * t;
        return {o.x + t * e.x + v * f.x, o.y + t * e.y + v * f.y};
    }
    /// Unit tangent at t, pointing along e.
    point2d tangent(double t) const noexcept {
        const double dv = b + 2 * q * t;
        const double l = std::sqrt(1 + dv * dv);
        return {(e.x + dv * f.x) / l, (e.y + dv * f.y) / l};
    }
    /// The first crossing of the extrapolations of A and B (t in [0, tmax] on both, in half-pixel
    /// steps): sets ta, tb and x and returns true, or returns false.
    static bool meet(const cl_leg& A, const cl_leg& B, double tmax, double& ta, double& tb, point2d& x) {
        std::vector<point2d> cb;
        for (double t = 0; t <= tmax; t += 0.5) cb.push_back(B.at(t));
        point2d p1 = A.at(0);
        for (double t = 0.5; t <= tmax; t += 0.5) {
            const point2d p2 = A.at(t);
            for (std::size_t j = 1; j < cb.size(); ++j) {
                const point2d u{p2.x - p1.x, p2.y - p1.y}, v{cb[j].x - cb[j - 1].x, cb[j].y - cb[j - 1].y};
                const double den = u.x * v.y - u.y * v.x;
                if (std::abs(den) < 1e-12) continue;
                const double wx = cb[j - 1].x - p1.x, wy = cb[j - 1].y - p1.y;
                const double sa = (wx * v.y - wy * v.x) / den, sb = (wx * u.y - wy * u.x) / den;
                if (sa < 0 || sa > 1 || sb < 0 || sb > 1) continue;
                ta = t - 0.5 + 0.5 * sa;
                tb = 0.5 * double(j - 1) + 0.5 * sb;
                x = {p1.x + sa * u.x, p1.y + sa * u.y};
                return true;
            }
            p1 = p2;
        }
        return false;
    }
    /// pts(j) for j = 0 (near end) .. m (far end).
    template <class Pts>
    static cl_leg fit(Pts pts, std::size_t m) {
        cl_leg L;
        L.o = pts(0);
        const point2d far = pts(m);
        const double d = std::hypot(L.o.x - far.x, L.o.y - far.y);
        if (!(d > 0) || m < 2) return L;
        double S[5] = {0, 0, 0, 0, 0}, T[3] = {0, 0, 0};  // sums of t^k and v t^k
        const point2d e{(L.o.x - far.x) / d, (L.o.y - far.y) / d}, f{-e.y, e.x};
        for (std::size_t j = 0; j <= m; ++j) {
            const point2d p = pts(j);
            const double t = (p.x - L.o.x) * e.x + (p.y - L.o.y) * e.y;
            const double v = (p.x - L.o.x) * f.x + (p.y - L.o.y) * f.y;
            double tk = 1;
            for (int z = 0; z < 5; ++z) {
                S[z] += tk;
                if (z < 3) T[z] += v * tk;
                tk *= t;
            }
        }
        const double M[3][3] = {{S[0], S[1], S[2]}, {S[1], S[2], S[3]}, {S[2], S[3], S[4]}};
        const auto det3 = [](const double(&A)[3][3]) {
            return A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1]) -
                   A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0]) +
                   A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0]);
        };
        const double D = det3(M);
        if (!(std::abs(D) > 1e-9)) return L;
        double sol[3];
        for (int col = 0; col < 3; ++col) {
            double A[3][3];
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 3; ++c) A[r][c] = c == col ? T[r] : M[r][c];
            sol[col] = det3(A) / D;
        }
        L.e = e;
        L.f = f;
        L.a = sol[0];
        L.b = sol[1];
        L.q = sol[2];
        return L;
    }
};

/// The working state of one trace.
struct centerline_tracer {
    centerline_tracer(image_view<const std::uint8_t> g_, const centerline_params& p_)
        : gray(g_), prm(p_), w(g_.width()), h(g_.height()), dist(w, h) {}
    image_view<const std::uint8_t> gray;
    const centerline_params& prm;
    std::size_t w, h;
    std::vector<std::uint8_t> mask;
    image<float> dist;
    skeleton_graph g;
    // Per edge: polyline from node a's position through its pixels to node b's; alive flag.
    std::vector<std::vector<point2d>> ep;
    std::vector<double> elen, ewidth;   // length, median width (2 d - 1) along its pixels
    std::vector<std::uint8_t> euneven;  // its width varies: 90th percentile > 1.4 x median (off its nodes)
    std::vector<std::uint8_t> ealive;
    std::vector<double> nwidth;   // width at a node: 2 max(d) - 1 over its pixels
    std::vector<double> nradius;  // radius of a junction's disc (merged junctions grow it)
    std::vector<point2d> npos;
    cl_union_find uf{0};
    std::vector<std::vector<std::size_t>> adj;  // edge ends at a root node: 2 e + side

    double d_at(int x, int y) const noexcept { return double(dist.view()(std::size_t(x), std::size_t(y))); }
    std::size_t node_of(std::size_t end) noexcept {
        const auto& e = g.edges[end / 2];
        return uf.find(end % 2 == 0 ? e.a : e.b);
    }
    /// Live edge ends at root n (compacts the list).
    std::vector<std::size_t>& ends(std::size_t n) {
        auto& v = adj[n];
        std::size_t k = 0;
        for (const std::size_t x : v)
            if (ealive[x / 2]) v[k++] = x;
        v.resize(k);
        return v;
    }

    void build_graph() {
        g = build_skeleton_graph(image_view<const std::uint8_t>(mask.data(), w, h));  // mask holds the skeleton here
        const std::size_t nn = g.nodes.size(), ne = g.edges.size();
        nwidth.resize(nn);
        nradius.resize(nn);
        npos.resize(nn);
        for (std::size_t n = 0; n < nn; ++n) {
            double dm = 0;
            for (const auto p : g.nodes[n].pixels) dm = std::max(dm, d_at(p.x, p.y));
            nwidth[n] = std::max(1.0, 2 * dm - 1);
            nradius[n] = 0.5 * nwidth[n] + 1;
            npos[n] = g.nodes[n].position;
        }
        uf = cl_union_find(nn);
        adj.assign(nn, {});
        ep.resize(ne);
        elen.resize(ne);
        ewidth.resize(ne);
        euneven.assign(ne, 0);
        ealive.assign(ne, 1);
        std::vector<double> ws;
        for (std::size_t e = 0; e < ne; ++e) {
            const auto& ed = g.edges[e];
            auto& p = ep[e];
            if (ed.a != skeleton_graph::none) p.push_back(npos[ed.a]);
            ws.clear();
            for (const auto q : ed.pixels) {
                p.push_back({q.x + 0.5, q.y + 0.5});
                ws.push_back(2 * d_at(q.x, q.y) - 1);
            }
            if (ed.b != skeleton_graph::none) p.push_back(npos[ed.b]);
            elen[e] = cl_length(p);
            {
                std::vector<double> inner;  // widths away from the nodes' discs
                for (std::size_t k = 0; k < ed.pixels.size(); ++k) {
                    const point2d q{ed.pixels[k].x + 0.5, ed.pixels[k].y + 0.5};
                    if (ed.a != skeleton_graph::none &&
                        (cl_dist(q, npos[ed.a]) < nradius[ed.a] || cl_dist(q, npos[ed.b]) < nradius[ed.b]))
                        continue;
                    inner.push_back(ws[k]);
                }
                if (inner.size() >= 4) {
                    std::sort(inner.begin(), inner.end());
                    euneven[e] = inner[inner.size() * 9 / 10] > 1.4 * std::max(1.0, inner[inner.size() / 2]);
                }
            }
            ewidth[e] = ws.empty() ? (ed.a != skeleton_graph::none ? std::min(nwidth[ed.a], nwidth[ed.b]) : 1.0)
                                   : std::max(1.0, cl_median(ws));
            if (ed.a != skeleton_graph::none) {
                adj[ed.a].push_back(2 * e);
                adj[ed.b].push_back(2 * e + 1);
            }
        }
    }

    /// Removes spurs and tiny loops and merges junctions joined by a short branch, until
    /// nothing changes.
    void prune() {
        const std::size_t ne = g.edges.size();
        for (bool changed = true; changed;) {
            changed = false;
            std::vector<std::pair<double, std::size_t>> spurs;
            for (std::size_t e = 0; e < ne; ++e) {
                if (!ealive[e] || g.edges[e].a == skeleton_graph::none) continue;
                const std::size_t a = node_of(2 * e), b = node_of(2 * e + 1);
                if (a == b) {  // a loop through one node: kept when it can hold a hole
                    if (elen[e] < std::numbers::pi * nwidth[a]) {
                        ealive[e] = 0;
                        changed = true;
                    }
                    continue;
                }
                const std::size_t da = ends(a).size(), db = ends(b).size();
                if ((da == 1) != (db == 1) && std::max(da, db) >= 3) spurs.push_back({elen[e], e});
            }
            std::sort(spurs.begin(), spurs.end());
            for (const auto& [len, e] : spurs) {
                if (!ealive[e]) continue;
                const std::size_t a = node_of(2 * e), b = node_of(2 * e + 1);
                const std::size_t da = ends(a).size(), db = ends(b).size();
                if ((da == 1) == (db == 1) || std::max(da, db) < 3) continue;
                const std::size_t j = da == 1 ? b : a;
                if (len < std::max(prm.spur_length, prm.spur_ratio * nwidth[j])) {
                    ealive[e] = 0;
                    changed = true;
                }
            }
            for (std::size_t e = 0; e < ne; ++e) {
                if (!ealive[e] || g.edges[e].a == skeleton_graph::none) continue;
                const std::size_t a = node_of(2 * e), b = node_of(2 * e + 1);
                if (a == b || ends(a).size() < 3 || ends(b).size() < 3) continue;
                // Merged when their discs overlap, or when the branch is shorter than twice their
                // width and a branch of a continues straight through it into a branch of b (two
                // strokes crossing at an acute angle make two junctions).
                const point2d c{(npos[a].x + npos[b].x) / 2, (npos[a].y + npos[b].y) / 2};
                const double rc = std::max(nradius[a] + cl_dist(c, npos[a]), nradius[b] + cl_dist(c, npos[b]));
                bool merge = elen[e] < nradius[a] + nradius[b];
                if (!merge && elen[e] < 2 * std::max(nwidth[a], nwidth[b])) {
                    // Both strokes of an "X" pass: two disjoint straight continuations from a's
                    // branches into b's (one alone is a stroke passing two nearby junctions).
                    std::vector<std::pair<std::size_t, std::size_t>> straight;
                    for (const std::size_t i : adj[a])
                        for (const std::size_t j : adj[b])
                            if (ealive[i / 2] && ealive[j / 2] && i / 2 != e && j / 2 != e &&
                                turn(arm_at(i, rc), arm_at(j, rc)) < prm.max_turn_deg)
                                straight.push_back({i, j});
                    for (std::size_t p = 0; p < straight.size() && !merge; ++p)
                        for (std::size_t q = p + 1; q < straight.size() && !merge; ++q)
                            merge = straight[p].first != straight[q].first && straight[p].second != straight[q].second;
                }
                if (!merge) continue;
                ealive[e] = 0;  // merge the two junctions into a
                uf.parent[b] = a;
                nradius[a] = rc;
                npos[a] = c;
                nwidth[a] = std::max(nwidth[a], nwidth[b]);
                adj[a].insert(adj[a].end(), adj[b].begin(), adj[b].end());
                adj[b].clear();
                changed = true;
            }
        }
    }

    /// A branch as seen from a junction of radius r: its first point outside the junction's
    /// disc (arc length r along it) and its unit direction there (the chord to the point a
    /// stroke width further on).
    struct arm {
        point2d near, dir;
    };
    arm arm_at(std::size_t end, double r) const {
        const auto p = oriented(end);
        const double len = cl_length(p);
        const double s0 = std::min(r, len / 2), s1 = std::min(r + std::max(ewidth[end / 2], 4.0), len);
        const point2d a = cl_at(p, s0), b = cl_at(p, s1);
        const double d = cl_dist(a, b);
        return {a, d > 0 ? point2d{(b.x - a.x) / d, (b.y - a.y) / d} : point2d{0, 0}};
    }
    /// Turn (degrees) of a path arriving along branch i, crossing the junction to branch j's
    /// first point outside it and leaving along j: the angle between i's arriving direction
    /// and the chord plus the angle between the chord and j's direction.
    static double turn(const arm& i, const arm& j) noexcept {
        const auto angle = [](point2d u, point2d v) {
            return std::atan2(std::abs(u.x * v.y - u.y * v.x), u.x * v.x + u.y * v.y) * 180 / std::numbers::pi;
        };
        const point2d in{-i.dir.x, -i.dir.y};
        const double cl = cl_dist(i.near, j.near);
        if (!(cl > 1e-9)) return angle(in, j.dir);
        const point2d chord{(j.near.x - i.near.x) / cl, (j.near.y - i.near.y) / cl};
        return angle(in, chord) + angle(chord, j.dir);
    }

    /// The edge's polyline oriented away from its end `end` (2 e + side).
    std::vector<point2d> oriented(std::size_t end) const {
        std::vector<point2d> p = ep[end / 2];
        if (end % 2 == 1) std::reverse(p.begin(), p.end());
        return p;
    }
};

/// Throws vecta::invalid_argument naming `prefix` + the field (e.g. "params.spur_ratio") for a
/// centerline_params field out of its range (see centerline_params). trace_centerlines checks its
/// params with it; vectorize checks vectorize_params::centerline in every mode (not only when it
/// traces centerlines), as it checks salient_colors.
inline void check_centerline_params(const centerline_params& p, std::string_view fn, std::string_view prefix) {
    const auto name = [&](const char* field) { return std::string(prefix).append(field); };
    const auto nonneg = [&](double v, const char* field) {
        require(std::isfinite(v) && v >= 0, fn, name(field), "must be finite and >= 0");
    };
    require(p.threshold >= 1 && p.threshold <= 256, fn, name("threshold"), "must be in [1, 256]");
    nonneg(p.min_stroke_length, "min_stroke_length");
    nonneg(p.spur_ratio, "spur_ratio");
    nonneg(p.spur_length, "spur_length");
    nonneg(p.width_quantum, "width_quantum");
    nonneg(p.width_tolerance, "width_tolerance");
    require(std::isfinite(p.curve_tolerance) && p.curve_tolerance > 0, fn, name("curve_tolerance"),
            "must be finite and > 0");
    require(p.corner_angle_deg > 0 && p.corner_angle_deg <= 180, fn, name("corner_angle_deg"), "must be in (0, 180]");
    nonneg(p.stroke_width, "stroke_width");
    require(p.max_turn_deg >= 0 && p.max_turn_deg <= 180, fn, name("max_turn_deg"), "must be in [0, 180]");
    nonneg(p.fill_elongation, "fill_elongation");
    nonneg(p.fill_ratio, "fill_ratio");
}

}  // namespace detail

/// Traces the centerlines of the ink of a grey image (issue 20): each pen stroke becomes one
/// centerline with its width, to be drawn with round caps and joins; blobs much wider than the
/// strokes stay filled regions.
///
/// Steps: ink = pixels darker than params.threshold; its exact Euclidean distance transform
/// (vecta::distance_transform, Felzenszwalb & Huttenlocher 2012); its skeleton by Guo & Hall's
/// parallel thinning (1989) and the skeleton's graph of ends, junctions and branches
/// (vecta::build_skeleton_graph). Branches from a junction to a free end shorter than the
/// stroke width there (spur_ratio) are spurs and removed; loops too small to hold a hole are
/// removed; junctions joined by a branch shorter than their width are merged (a crossing of
/// two strokes becomes one 4-way junction). At each junction the branches are paired by
/// direction (measured beyond the junction's disc): the straightest pairs, turning less than
/// max_turn_deg and of similar widths, continue as one stroke, so a stroke crossing another
/// stays whole; the two ends of a loop pair first (an "o" with a tail stays closed); at a node
/// with two branches the stroke continues unless their widths differ clearly. Strokes are chained through the pairs;
/// chains that come back to their start are closed. Near junctions the skeleton is bent by
/// the crossing ink, so the points within the junction's radius are replaced by the straight
/// continuation (or the junction centre at a stroke's end).
/// Each centerline point is then moved to the centroid of the ink profile across the stroke
/// (grey levels read as coverage 1 - value / 255, sampled along the normal every half pixel),
/// and the profile's integral is the local width (the distance transform gives the width,
/// 2 d - 1, where the profile is not clean). A stroke's width is the interquartile mean along it.
/// Points bridging a junction are placed midway between the ink's two edges along the normal
/// (Blum's medial axis, 1967, as midpoints measured along the normal: Brandt & Algazi, CVGIP
/// 1992), or half a width from the one clean edge. Each piece between corners is smoothed by
/// twicing two moving averages (Tukey, Exploratory Data Analysis 1977: no shrinking of curves)
/// and fitted by vecta::bezier_fit (Schneider 1990) with curve_tolerance, corners kept; pieces
/// of widths differing by more than width_tolerance become strokes of their own.
/// A connected drawing is a filled region when its centerline is shorter than
/// fill_elongation x its widest branch width (a bold dot, a blob), or when it is uneven (on
/// branches making half its length, away from the junctions, the 90th percentile of the width
/// exceeds 1.4 x the median: a filled shape, not a pen's stroke) and wider than fill_ratio x the
/// typical width of the even drawings (a uniformly thick line stays a stroke); its outline (and its holes) come from
/// vecta::trace_regions and vecta::fit_outline_curve (Selinger 2003). Shapes: gray W x H, 1 channel (0 = black ink on
/// 255 = white paper). Complexity: O(W * H) for the distance transform and labelling, plus O(ink border x stroke width
/// / 2) for the thinning and O(centerline length x stroke width) for the profiles. Sequential; the policy is accepted
/// for uniformity. Throws vecta::invalid_argument if gray is empty or not 1 channel ("gray") or has a side above
/// INT_MAX, or a parameter is out of its range ("params.<name>").
template <execution_policy Policy>
centerline_result trace_centerlines(const Policy& policy, image_view<const std::uint8_t> gray,
                                    const centerline_params& params = {}) {
    constexpr std::string_view fn = "vecta::trace_centerlines";
    detail::check_image(gray, fn, "gray", 1);
    detail::require(gray.width() < 0x7FFFFFFF && gray.height() < 0x7FFFFFFF, fn, "gray", "sides must be below INT_MAX");
    detail::check_centerline_params(params, fn, "params.");

    centerline_result res;
    const std::size_t w = gray.width(), h = gray.height();
    detail::centerline_tracer t(gray, params);
    t.mask.resize(w * h);
    bool any = false;
    for (std::size_t y = 0; y < h; ++y) {
        const std::uint8_t* s = gray.row(y);
        std::uint8_t* m = &t.mask[y * w];
        for (std::size_t x = 0; x < w; ++x) {
            m[x] = int(s[x]) < params.threshold;
            any |= m[x] != 0;
        }
    }
    if (!any) return res;
    const image_view<const std::uint8_t> mask_view(t.mask.data(), w, h);
    distance_transform(policy, mask_view, t.dist.view());
    thinning(policy, mask_view, image_view<std::uint8_t>(t.mask.data(), w, h));
    t.build_graph();
    t.prune();

    // Connected drawings: components of live edges, plus isolated nodes (dots).
    const std::size_t nn = t.g.nodes.size(), ne = t.g.edges.size();
    detail::cl_union_find comp(nn + ne);  // nodes, then edges
    for (std::size_t e = 0; e < ne; ++e) {
        if (!t.ealive[e] || t.g.edges[e].a == skeleton_graph::none) continue;
        comp.parent[comp.find(nn + e)] = comp.find(t.node_of(2 * e));
        comp.parent[comp.find(t.node_of(2 * e + 1))] = comp.find(t.node_of(2 * e));
    }
    for (std::size_t n = 0; n < nn; ++n) comp.parent[comp.find(n)] = comp.find(t.uf.find(n));
    std::vector<double> clen(nn + ne, 0), cwidth(nn + ne, 0);
    std::vector<double> cuneven(nn + ne, 0);  // length of its uneven edges
    std::vector<std::uint8_t> has_stroke(nn + ne, 0);
    std::vector<std::pair<double, double>> all_widths;
    for (std::size_t e = 0; e < ne; ++e) {
        if (!t.ealive[e]) continue;
        const std::size_t c = comp.find(nn + e);
        clen[c] += t.elen[e];
        cwidth[c] = std::max(cwidth[c], t.ewidth[e]);
        if (t.euneven[e]) cuneven[c] += t.elen[e];
        has_stroke[c] = 1;
    }
    std::vector<std::uint8_t> node_live(nn, 0);  // a root node of a live edge, or an isolated original node
    for (std::size_t n = 0; n < nn; ++n)
        if (t.g.nodes[n].edges.empty()) node_live[n] = 1;
    for (std::size_t e = 0; e < ne; ++e)
        if (t.ealive[e] && t.g.edges[e].a != skeleton_graph::none)
            node_live[t.node_of(2 * e)] = node_live[t.node_of(2 * e + 1)] = 1;
    for (std::size_t n = 0; n < nn; ++n) {
        if (!node_live[n] || t.uf.find(n) != n) continue;
        const std::size_t c = comp.find(n);
        if (!has_stroke[c]) cwidth[c] = std::max(cwidth[c], t.nwidth[n]);  // a dot
    }
    for (std::size_t n = 0; n < nn; ++n)
        if (node_live[n] && t.uf.find(n) == n) has_stroke[comp.find(n)] = 1;
    std::vector<std::uint8_t> uneven(nn + ne, 0);
    for (std::size_t c = 0; c < nn + ne; ++c) uneven[c] = cuneven[c] > 0.5 * clen[c] && clen[c] > 0;
    for (std::size_t e = 0; e < ne; ++e)  // the typical width: of the even (pen-like) drawings
        if (t.ealive[e] && !uneven[comp.find(nn + e)]) all_widths.push_back({t.ewidth[e], std::max(t.elen[e], 1.0)});
    const double typical = detail::cl_weighted_median(all_widths);
    std::vector<std::uint8_t> filled(nn + ne, 0), dropped(nn + ne, 0);
    for (std::size_t c = 0; c < nn + ne; ++c) {
        if (!has_stroke[c] || comp.find(c) != c) continue;
        if (clen[c] + cwidth[c] < params.min_stroke_length)
            dropped[c] = 1;
        else if (cwidth[c] >= 3 && (clen[c] < params.fill_elongation * cwidth[c] ||
                                    (uneven[c] && cwidth[c] > params.fill_ratio * typical)))
            filled[c] = 1;
    }

    // Filled regions: flood the ink of each filled drawing from one of its skeleton pixels.
    {
        std::vector<std::uint8_t> blob;
        std::vector<std::size_t> stack;
        auto flood = [&](point2<int> p) {
            if (blob.empty()) blob.assign(w * h, 0);
            const std::size_t s = std::size_t(p.y) * w + std::size_t(p.x);
            if (blob[s]) return;
            blob[s] = 1;
            stack.assign(1, s);
            while (!stack.empty()) {
                const std::size_t i = stack.back();
                stack.pop_back();
                const std::size_t x = i % w, y = i / w;
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const std::ptrdiff_t X = std::ptrdiff_t(x) + dx, Y = std::ptrdiff_t(y) + dy;
                        if (X < 0 || Y < 0 || X >= std::ptrdiff_t(w) || Y >= std::ptrdiff_t(h)) continue;
                        const std::size_t j = std::size_t(Y) * w + std::size_t(X);
                        if (int(gray(std::size_t(X), std::size_t(Y))) < params.threshold && !blob[j]) {
                            blob[j] = 1;
                            stack.push_back(j);
                        }
                    }
            }
        };
        for (std::size_t n = 0; n < nn; ++n)
            if (filled[comp.find(n)] && !t.g.nodes[n].pixels.empty()) flood(t.g.nodes[n].pixels[0]);
        for (std::size_t e = 0; e < ne; ++e)
            if (filled[comp.find(nn + e)] && !t.g.edges[e].pixels.empty()) flood(t.g.edges[e].pixels[0]);
        if (!blob.empty()) {
            const auto regions = trace_regions(policy, image_view<const std::uint8_t>(blob.data(), w, h));
            for (const auto& r : regions) {
                bool border = false;
                for (const auto p : r.outline)
                    border |= p.x == 0 || p.y == 0 || std::size_t(p.x) == w || std::size_t(p.y) == h;
                if (r.label == 1 || !border) {
                    res.fill_rings.push_back(r.outline);
                    res.fill_curves.push_back(fit_outline_curve(r.outline));
                }
            }
        }
    }

    // Pair the branches at each node. Branches of clearly different widths (by more than
    // 1.5 px and 25 %) are different pens and do not continue into each other.
    const auto wide_alike = [](double a, double b) { return std::abs(a - b) <= std::max(1.5, 0.25 * std::max(a, b)); };
    std::vector<std::size_t> partner(2 * ne, skeleton_graph::none);
    std::vector<std::uint8_t> junction(nn, 0);  // root nodes with >= 3 branches
    for (std::size_t n = 0; n < nn; ++n) {
        if (t.uf.find(n) != n || filled[comp.find(n)] || dropped[comp.find(n)]) continue;
        auto& ends = t.ends(n);
        if (ends.size() == 2) {
            if (ends[0] / 2 != ends[1] / 2 && !wide_alike(t.ewidth[ends[0] / 2], t.ewidth[ends[1] / 2])) continue;
            partner[ends[0]] = ends[1];
            partner[ends[1]] = ends[0];
            continue;
        }
        if (ends.size() < 3) continue;
        junction[n] = 1;
        std::vector<detail::centerline_tracer::arm> arms(ends.size());
        for (std::size_t k = 0; k < ends.size(); ++k) arms[k] = t.arm_at(ends[k], t.nradius[n]);
        std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
        for (std::size_t i = 0; i < ends.size(); ++i)
            for (std::size_t j = i + 1; j < ends.size(); ++j) {
                const double turn = detail::centerline_tracer::turn(arms[i], arms[j]);
                if (ends[i] / 2 == ends[j] / 2)
                    pairs.push_back({-1.0, i, j});  // a loop stays closed
                else if (turn < params.max_turn_deg && wide_alike(t.ewidth[ends[i] / 2], t.ewidth[ends[j] / 2]))
                    pairs.push_back({turn, i, j});
            }
        std::sort(pairs.begin(), pairs.end());
        for (const auto& [turn, i, j] : pairs)
            if (partner[ends[i]] == skeleton_graph::none && partner[ends[j]] == skeleton_graph::none) {
                partner[ends[i]] = ends[j];
                partner[ends[j]] = ends[i];
            }
        // Two branches left over (a corner of one stroke that another crosses, the tip of a
        // lens on a circle): one stroke turning there, unless it would turn back on itself.
        std::vector<std::size_t> left;
        for (std::size_t q = 0; q < ends.size(); ++q)
            if (partner[ends[q]] == skeleton_graph::none) left.push_back(q);
        if (left.size() == 2 && ends[left[0]] / 2 != ends[left[1]] / 2 &&
            detail::centerline_tracer::turn(arms[left[0]], arms[left[1]]) < 160 &&
            wide_alike(t.ewidth[ends[left[0]] / 2], t.ewidth[ends[left[1]] / 2])) {
            partner[ends[left[0]]] = ends[left[1]];
            partner[ends[left[1]]] = ends[left[0]];
        }
    }

    // Chain the edges into strokes; refine; fit.
    std::vector<std::uint8_t> used(ne, 0);
    struct chain_point {
        point2d p;
        bool refine;
    };
    auto append_edge = [&](std::vector<chain_point>& out, std::size_t end, bool first) {
        // Edge traversed away from `end`; trims the points within a junction's radius.
        const auto p = t.oriented(end);
        const std::size_t e = end / 2;
        const bool ring = t.g.edges[e].a == skeleton_graph::none;
        const std::size_t na = ring ? skeleton_graph::none : t.node_of(end),
                          nb = ring ? skeleton_graph::none : t.node_of(end ^ 1);
        const bool ja = !ring && junction[na], jb = !ring && junction[nb];
        const double ra = ja ? t.nradius[na] : 0, rb = jb ? t.nradius[nb] : 0;
        const bool a_is_end = ja && partner[end] == skeleton_graph::none;
        for (std::size_t i = 0; i < p.size(); ++i) {
            const bool is_a = i == 0 && !ring, is_b = i + 1 == p.size() && !ring;
            if (is_a && !first) continue;                                 // the previous edge ended here
            bool keep = true, refine = (!is_a || !ja) && (!is_b || !jb);  // a free end's node is profiled too
            if (ja && detail::cl_dist(p[i], t.npos[na]) < ra) {
                keep = is_a && a_is_end;  // a stroke ending at a junction ends at its centre
                refine = false;
            }
            if (jb && detail::cl_dist(p[i], t.npos[nb]) < rb) {
                keep = is_b && partner[end ^ 1] == skeleton_graph::none;
                refine = false;
            }
            if (keep) out.push_back({is_a ? t.npos[na] : is_b ? t.npos[nb] : p[i], refine});
        }
        if (out.empty() && !p.empty()) out.push_back({p[p.size() / 2], false});  // everything trimmed
    };
    auto emit = [&](std::vector<chain_point>& ch, bool closed, bool free_start, bool free_end) {
        centerline_stroke s;
        // A stroke ending at a junction (a T's stem) was given the junction's centre as its last
        // point, beyond a gap; it is dropped, and the stroke is extended along its own
        // direction instead (below).
        bool jstart = false, jend = false;
        if (!closed && !free_start && ch.size() >= 6 && !ch.front().refine && detail::cl_dist(ch[0].p, ch[1].p) > 2.5) {
            ch.erase(ch.begin());
            jstart = true;
        }
        if (!closed && !free_end && ch.size() >= 6 && !ch.back().refine &&
            detail::cl_dist(ch[ch.size() - 1].p, ch[ch.size() - 2].p) > 2.5) {
            ch.pop_back();
            jend = true;
        }
        std::size_t n = ch.size();
        if (closed && n < 3) closed = false;
        s.closed = closed;
        std::vector<double> dtw(n);
        for (std::size_t i = 0; i < n; ++i) {
            const int px = std::clamp(int(std::floor(ch[i].p.x)), 0, int(w) - 1);
            const int py = std::clamp(int(std::floor(ch[i].p.y)), 0, int(h) - 1);
            dtw[i] = 2 * t.d_at(px, py) - 0.5;
        }
        const double west = std::max(1.0, detail::cl_median(dtw));
        // Corners: the turn between the chords to the points k before and k after, above
        // corner_angle_deg and largest within k; k about half the stroke width, since the
        // skeleton is rounded over that scale.
        const std::size_t k = std::size_t(std::clamp(std::lround(0.9 * west), 3L, 24L));
        // Junction gaps (the points within a junction's disc were dropped, and thinning bends the
        // branches next to it): from m1 points before the gap to m1 points after it, the chain is
        // replaced by a cubic Hermite curve with the directions of parabolas fitted to the
        // branches beyond (up to 2 k points further), so a curve crossing a junction stays the
        // same curve. No corner is sought on a bridge.
        std::vector<std::uint8_t> bridge(n, 0);
        std::vector<std::uint8_t> bridged;  // points of the bridges themselves (empty: none)
        std::vector<std::size_t> forced;    // corners made by bridges (kept as they are)
        if (n >= 8) {
            const std::size_t m1 = std::max<std::size_t>(2, k / 2);
            std::vector<std::size_t> gaps;  // gap between i and i + 1 (mod n); an open chain's end gaps are not bridged
            for (std::size_t i = closed ? 0 : 1; i + (closed ? 0 : 2) < n; ++i)
                if (detail::cl_dist(ch[i].p, ch[(i + 1) % n].p) > 2.5) gaps.push_back(i);
            if (closed && !gaps.empty()) {  // start halfway along the longest run between two gaps
                std::size_t best = 0, bl = 0;
                for (std::size_t g = 0; g < gaps.size(); ++g) {
                    const std::size_t len = gaps.size() == 1 ? n : (gaps[(g + 1) % gaps.size()] + n - gaps[g]) % n;
                    if (len > bl) {
                        bl = len;
                        best = g;
                    }
                }
                const std::size_t start = (gaps[best] + 1 + bl / 2) % n;
                std::rotate(ch.begin(), ch.begin() + std::ptrdiff_t(start), ch.end());
                std::rotate(dtw.begin(), dtw.begin() + std::ptrdiff_t(start), dtw.end());
                for (auto& g : gaps) g = (g + n - start) % n;
                std::sort(gaps.begin(), gaps.end());
            }
            std::vector<chain_point> out;
            std::vector<double> dout;
            std::vector<std::uint8_t> bout;
            std::size_t next = 0;  // first point of ch not copied yet
            for (const std::size_t g : gaps) {
                if (g < next || g + 1 >= n) continue;
                const std::size_t ma = std::min(m1, (g - next) / 3), mb = std::min(m1, (n - 2 - g) / 3);
                const std::size_t a = g - ma, b = g + 1 + mb;
                const std::size_t la = std::min(2 * k, a - next), lb = std::min(2 * k, n - 1 - b);
                for (; next <= a; ++next) {
                    out.push_back(ch[next]);
                    dout.push_back(dtw[next]);
                    bout.push_back(0);
                }
                next = b;
                const point2d p0 = ch[a].p, p1 = ch[b].p;
                const double gap = detail::cl_dist(p0, p1);
                point2d t0{p1.x - p0.x, p1.y - p0.y}, t1 = t0;
                if (gap > 0) t0 = t1 = {t0.x / gap, t0.y / gap};
                if (la >= 3) {
                    const auto L = detail::cl_leg::fit([&](std::size_t j) { return ch[a - j].p; }, la);
                    if (!(L.e == point2d{0, 0})) t0 = L.tangent(0);
                }
                if (lb >= 3) {
                    const auto L = detail::cl_leg::fit([&](std::size_t j) { return ch[b + j].p; }, lb);
                    if (!(L.e == point2d{0, 0})) t1 = L.tangent(0), t1 = {-t1.x, -t1.y};
                }
                // A turn through the junction that the branches' curvatures do not explain (a
                // corner, not an arc): the corner where the two branches' parabolas meet.
                // (la and lb points exist beyond a and b; a leg of fewer than 3 points is no fit.)
                const auto LA = detail::cl_leg::fit([&](std::size_t j) { return ch[a - j].p; }, la);
                const auto LB = detail::cl_leg::fit([&](std::size_t j) { return ch[b + j].p; }, lb);
                const double turned = std::atan2(t0.x * t1.y - t0.y * t1.x, t0.x * t1.x + t0.y * t1.y);
                const auto kappa = [](const detail::cl_leg& L) { return 2 * L.q / std::pow(1 + L.b * L.b, 1.5); };
                const double expected = 0.5 * gap * (kappa(LA) - kappa(LB));
                // Both legs span a stroke width at least: a shorter branch (the stub of a stroke
                // beyond a crossing) does not give a direction to extrapolate a corner from.
                const std::size_t leg_min = std::max<std::size_t>(3, k);
                if (la >= leg_min && lb >= leg_min && !(LA.e == point2d{0, 0}) && !(LB.e == point2d{0, 0}) &&
                    std::abs(turned) > params.corner_angle_deg * std::numbers::pi / 180 &&
                    std::abs(turned - expected) > std::max(0.5, 0.6 * std::abs(turned))) {
                    double ta = 0, tb = 0;
                    point2d x{};
                    if (detail::cl_leg::meet(LA, LB, gap + 2 * west, ta, tb, x)) {
                        const double ta0 = (p0.x - LA.o.x) * LA.e.x + (p0.y - LA.o.y) * LA.e.y;
                        const double tb0 = (p1.x - LB.o.x) * LB.e.x + (p1.y - LB.o.y) * LB.e.y;
                        const std::size_t sa = std::max<std::size_t>(1, std::size_t(std::ceil(ta - ta0)));
                        const std::size_t sb = std::max<std::size_t>(1, std::size_t(std::ceil(tb - tb0)));
                        for (std::size_t j = 1; j <= sa; ++j) {
                            const double f = double(j) / double(sa);
                            out.push_back({j == sa ? x : LA.at(ta0 + f * (ta - ta0)), false});
                            dout.push_back(dtw[a]);
                            bout.push_back(1);
                        }
                        forced.push_back(out.size() - 1);
                        for (std::size_t j = sb - 1; j >= 1; --j) {
                            const double f = double(j) / double(sb);
                            out.push_back({LB.at(tb0 + f * (tb - tb0)), false});
                            dout.push_back(dtw[b]);
                            bout.push_back(1);
                        }
                        continue;
                    }
                }
                // Tangent magnitudes of a circular arc turning by |turned| over the chord: a cubic
                // follows an arc of angle theta with arms (4/3) tan(theta / 4) R, i.e. Hermite
                // tangents of chord / cos^2(theta / 4) (chord-length tangents cut arcs short).
                const double cq = std::cos(std::min(std::abs(turned), std::numbers::pi) / 4);
                const double mag = gap / (cq * cq);
                const std::size_t steps = std::max<std::size_t>(1, std::size_t(std::ceil(gap)));
                for (std::size_t j = 1; j < steps; ++j) {
                    const double u = double(j) / double(steps), u2 = u * u, u3 = u2 * u;
                    const double h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2,
                                 h11 = u3 - u2;
                    out.push_back({{h00 * p0.x + h10 * mag * t0.x + h01 * p1.x + h11 * mag * t1.x,
                                    h00 * p0.y + h10 * mag * t0.y + h01 * p1.y + h11 * mag * t1.y},
                                   false});
                    dout.push_back(0.5 * (dtw[a] + dtw[b]));
                    bout.push_back(1);
                }
            }
            for (; next < n; ++next) {
                out.push_back(ch[next]);
                dout.push_back(dtw[next]);
                bout.push_back(0);
            }
            ch = std::move(out);
            dtw = std::move(dout);
            n = ch.size();
            if (!gaps.empty()) bridged = bout;
            bridge.assign(n, 0);  // no corner on a bridge nor within m1 of it
            for (std::size_t i = 0; i < n; ++i)
                if (bout[i])
                    for (std::size_t j = 0; j <= 2 * m1; ++j) {
                        if (!closed && (i + j < m1 || i + j - m1 >= n)) continue;
                        bridge[(i + n + j - m1) % n] = 1;
                    }
        }
        std::vector<std::size_t> corners;
        std::vector<double> cturn;             // their turns (degrees)
        std::vector<std::size_t> reach(n, k);  // chord length (points) used at each point
        if (n > (closed ? 2 * k + 2 : 8)) {
            std::vector<double> turn(n, 0);
            const auto ang = [](point2d u, point2d v) {
                return std::atan2(std::abs(u.x * v.y - u.y * v.x), u.x * v.x + u.y * v.y) * 180 / std::numbers::pi;
            };
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t ki = closed ? k : std::min({k, i, n - 1 - i});  // shorter near open ends
                reach[i] = ki;
                if (ki < 4) continue;
                const point2d a = ch[(i + n - ki) % n].p, c = ch[i].p, b = ch[(i + ki) % n].p;
                turn[i] = ang({c.x - a.x, c.y - a.y}, {b.x - c.x, b.y - c.y});
            }
            for (std::size_t i = 0; i < n; ++i) {
                if (!(turn[i] > params.corner_angle_deg) || bridge[i]) continue;
                bool best = true;
                for (std::size_t j = 1; j <= reach[i] && best; ++j) {
                    const std::size_t l = (i + n - j) % n, r = (i + j) % n;
                    best = turn[l] < turn[i] && turn[r] <= turn[i];
                }
                // A corner's turn is concentrated: over twice the chord, a bend (an arc) turns
                // about twice as much, a corner between straight legs about as much.
                const std::size_t k2 = 2 * reach[i];
                if (best && (closed ? 2 * k2 < n : i >= k2 && i + k2 < n)) {
                    const point2d a = ch[(i + n - k2) % n].p, c = ch[i].p, b = ch[(i + k2) % n].p;
                    best = turn[i] >= 0.7 * ang({c.x - a.x, c.y - a.y}, {b.x - c.x, b.y - c.y});
                }
                if (best) {
                    corners.push_back(i);
                    cturn.push_back(turn[i]);
                }
            }
        }
        std::vector<std::uint8_t> cfixed(corners.size(), 0);  // made by a bridge: kept as it is
        if (!forced.empty()) {
            std::vector<std::tuple<std::size_t, double, std::uint8_t>> all;
            for (std::size_t q = 0; q < corners.size(); ++q) all.push_back({corners[q], cturn[q], 0});
            for (const std::size_t f : forced) all.push_back({f, 180.0, 1});
            std::sort(all.begin(), all.end());
            corners.clear();
            cturn.clear();
            cfixed.clear();
            for (const auto& [c, tu, fx] : all) {
                corners.push_back(c);
                cturn.push_back(tu);
                cfixed.push_back(fx);
            }
        }
        if (closed && !corners.empty()) {  // start the ring at a corner
            const std::size_t c0 = corners[0];
            std::rotate(ch.begin(), ch.begin() + std::ptrdiff_t(c0), ch.end());
            std::rotate(dtw.begin(), dtw.begin() + std::ptrdiff_t(c0), dtw.end());
            if (!bridged.empty()) std::rotate(bridged.begin(), bridged.begin() + std::ptrdiff_t(c0), bridged.end());
            for (auto& c : corners) c -= c0;
        }
        // Thinning rounds a corner turning by theta over about (width / 2) tan(theta / 2) on each
        // side: those points (ck) are rebuilt, their profiles are not used for the width.
        std::vector<std::size_t> ck(corners.size());
        for (std::size_t q = 0; q < corners.size(); ++q) {
            const double th = std::min(cturn[q], 120.0) * std::numbers::pi / 360;
            ck[q] = cfixed[q] ? 1
                              : std::min<std::size_t>(reach[corners[q]],
                                                      std::size_t(std::lround(0.5 * west * std::tan(th))) + 2);
        }
        std::vector<std::uint8_t> near_corner(n, 0);
        for (std::size_t q = 0; q < corners.size(); ++q)
            for (std::size_t j = 0; j <= 2 * ck[q]; ++j) {
                if (!closed && (corners[q] + j < ck[q] || corners[q] + j - ck[q] >= n)) continue;
                near_corner[(corners[q] + n + j - ck[q]) % n] = 1;
            }
        // Bilinear ink coverage at a point (pixel-edge coordinates), 1 - grey / 255, paper outside.
        const auto cov = [&](double x, double y) {
            const double u = x - 0.5, v = y - 0.5;
            const double fu = std::floor(u), fv = std::floor(v);
            const int x0 = int(fu), y0 = int(fv);
            const double ax = u - fu, ay = v - fv;
            auto c = [&](int X, int Y) {
                if (X < 0 || Y < 0 || X >= int(w) || Y >= int(h)) return 0.0;
                return (255.0 - gray(std::size_t(X), std::size_t(Y))) / 255.0;
            };
            return (1 - ay) * ((1 - ax) * c(x0, y0) + ax * c(x0 + 1, y0)) +
                   ay * ((1 - ax) * c(x0, y0 + 1) + ax * c(x0 + 1, y0 + 1));
        };
        // Distance from p along the unit direction u to the ink's edge (coverage falling below one
        // half), searched from `from` to `to` every quarter pixel; NaN when p + from u is paper or
        // the ink does not end before `to`.
        const auto edge_along = [&](point2d p, point2d u, double from, double to) {
            double prev = cov(p.x + u.x * from, p.y + u.y * from);
            if (prev < 0.5) return std::numeric_limits<double>::quiet_NaN();
            for (double r = from + 0.25; r <= to; r += 0.25) {
                const double c = cov(p.x + u.x * r, p.y + u.y * r);
                if (c < 0.5) return r - 0.25 * (0.5 - c) / (prev - c);
                prev = c;
            }
            return std::numeric_limits<double>::quiet_NaN();
        };
        // Cross-section profile at each refinable point.
        std::vector<double> widths;
        std::vector<double> pwidth(n, std::numeric_limits<double>::quiet_NaN());  // each point's profile width
        std::vector<point2d> moved(n), profiled(n);  // profiled: also near corners (used if one is not kept)
        for (std::size_t i = 0; i < n; ++i) {
            moved[i] = profiled[i] = ch[i].p;
            if (!ch[i].refine || n < 3) continue;
            const double wdt = std::max(1.0, dtw[i] - 0.5);
            const std::size_t m3 = 3;
            const std::size_t i0 = closed ? (i + n - m3) % n : (i >= m3 ? i - m3 : 0);
            const std::size_t i1 = closed ? (i + m3) % n : std::min(n - 1, i + m3);
            double tx = ch[i1].p.x - ch[i0].p.x, ty = ch[i1].p.y - ch[i0].p.y;
            const double tl = std::sqrt(tx * tx + ty * ty);
            if (tl == 0) continue;
            tx /= tl;
            ty /= tl;
            const double nx = -ty, ny = tx;
            const double R = 0.6 * wdt + 3;  // the skeleton may be off centre by up to a quarter width
            const int m = int(std::ceil(R / 0.5));
            double sum = 0, mom = 0;
            bool open = false;
            for (int dirn = -1; dirn <= 1; dirn += 2) {
                int j = dirn < 0 ? 0 : 1;
                for (; j <= m; ++j) {
                    const double tt = dirn * j * 0.5;
                    const double c = cov(ch[i].p.x + nx * tt, ch[i].p.y + ny * tt);
                    if (c <= 1e-3) break;
                    sum += c;
                    mom += c * tt;
                }
                if (j > m) open = true;
            }
            if (open || sum <= 0) continue;
            const double width = sum * 0.5, off = mom / sum;
            if (std::abs(width - wdt) > std::max(2.5, 0.3 * wdt) || std::abs(off) > std::max(1.5, 0.25 * wdt)) continue;
            profiled[i] = {ch[i].p.x + nx * off, ch[i].p.y + ny * off};
            if (near_corner[i]) continue;
            widths.push_back(width);
            pwidth[i] = width;
            moved[i] = profiled[i];
        }
        s.measured_width = widths.size() * 4 >= n || widths.size() >= 8 ? detail::cl_trimmed_mean(widths) : west;
        const double half = 0.5 * s.measured_width;
        // Corners. Thinning rounds a convex corner off over about a stroke width, so the corner is
        // rebuilt from its legs: each leg (the refined points from kc to 3 kc away) is fitted with
        // a parabola in its own frame (a curved leg, like an arc meeting a line, is followed) and
        // extrapolated; the corner is where the two meet. A pen's round join then reaches exactly
        // the ink's edge along the corner's outer bisector, which places the corner along it.
        std::vector<std::size_t> sharp;  // the corners kept
        for (std::size_t cq = 0; cq < corners.size(); ++cq) {
            const std::size_t c = corners[cq], kc = ck[cq];
            if (cfixed[cq]) {
                sharp.push_back(c);
                continue;
            }
            const auto drop = [&] {  // a rounded bend, not a corner: the profiles stand
                for (std::size_t j = 0; j <= 2 * kc; ++j) {
                    if (!closed && (c + j < kc || c + j - kc >= n)) continue;
                    const std::size_t q = (c + n + j - kc) % n;
                    moved[q] = profiled[q];
                }
            };
            // Each leg: from kc to up to 2 k + kc points away, short of the neighbouring corner's
            // rounded part (or of an open chain's end).
            const std::size_t before =
                cq > 0 ? c - corners[cq - 1] - ck[cq - 1]
                       : (closed ? (corners.size() > 1 ? c + n - corners.back() - ck.back() : n / 2) : c);
            const std::size_t after =
                cq + 1 < corners.size()
                    ? corners[cq + 1] - c - ck[cq + 1]
                    : (closed ? (corners.size() > 1 ? corners[0] + n - c - ck[0] : n / 2) : n - 1 - c);
            const std::size_t m = std::min({2 * k, before > kc ? before - kc : 0, after > kc ? after - kc : 0});
            if (kc < 2 || m < 4) {
                drop();
                continue;
            }
            const auto fit_leg = [&](int side) {  // side -1: before the corner, +1: after
                return detail::cl_leg::fit(
                    [&](std::size_t j) { return moved[side < 0 ? (c + n - kc - j) % n : (c + kc + j) % n]; }, m);
            };
            const detail::cl_leg L1 = fit_leg(-1), L2 = fit_leg(+1);
            if (L1.e == point2d{0, 0} || L2.e == point2d{0, 0}) {
                drop();
                continue;
            }
            double t1x = -1, t2x = -1;
            point2d x{};
            detail::cl_leg::meet(L1, L2, 3 * std::max(s.measured_width, 2.0), t1x, t2x, x);
            // Along the outer bisector u, the round join reaches the ink's edge: that places the
            // corner. A sharp corner drawn with a round pen has an outer edge that is a circle of
            // radius width / 2 about the corner over the turn; a rounded bend has a wider one
            // (its edge lies further away off the bisector): then the bend is kept as profiled.
            const point2d d1 = L1.tangent(t1x), d2 = L2.tangent(t2x);  // both pointing into the corner
            point2d u{d1.x + d2.x, d1.y + d2.y};
            const double ul = std::sqrt(u.x * u.x + u.y * u.y);
            bool ok = t1x >= 0 && detail::cl_dist(x, ch[c].p) <= 1.5 * west && ul > 1e-6;
            point2d cx = x;
            if (ok) {
                u = {u.x / ul, u.y / ul};
                const double te = edge_along(x, u, -0.5 * half, 2 * half + 2);
                ok = std::isfinite(te);
                if (ok) cx = {x.x + (te - half) * u.x, x.y + (te - half) * u.y};
                const double phi = 0.4 * std::acos(std::clamp(-(d1.x * d2.x + d1.y * d2.y), -1.0, 1.0));
                double mean = 0;  // the mean of both sides: an error of cx across u cancels
                for (int sgn = -1; sgn <= 1 && ok; sgn += 2) {
                    const double cs = std::cos(phi), sn = sgn * std::sin(phi);
                    const point2d v{u.x * cs - u.y * sn, u.x * sn + u.y * cs};
                    const double tv = edge_along(cx, v, 0, 2 * half + 2);
                    ok = std::isfinite(tv);
                    mean += 0.5 * tv;
                }
                ok = ok && mean < half + 0.8;
            }
            if (!ok) {
                drop();
                continue;
            }
            sharp.push_back(c);
            // The kc points on each side follow the extrapolated legs to the corner.
            for (int side = -1; side <= 1; side += 2) {
                const detail::cl_leg& L = side < 0 ? L1 : L2;
                const double tx = side < 0 ? t1x : t2x;
                for (std::size_t j = 1; j < kc; ++j) {
                    const double f = double(j) / double(kc);  // 0 at the leg's near end, 1 at the corner
                    const point2d q = L.at(f * tx);
                    moved[side < 0 ? (c + n - kc + j) % n : (c + kc - j) % n] = {q.x + f * (cx.x - x.x),
                                                                                 q.y + f * (cx.y - x.y)};
                }
            }
            moved[c] = cx;
        }
        corners = std::move(sharp);
        // Bridged points (junction gaps) have no clean profile: each is placed midway between the
        // ink's two edges along its normal (the coverage-1/2 crossings), or, where one side runs
        // into the stroke met there (a T, the tip of a lens), at half the stroke's width from the
        // clean edge. The centerline as the locus of midpoints between the two boundaries is
        // Blum's medial axis ("A transformation for extracting new descriptors of shape", 1967)
        // measured along the normal, as in Brandt & Algazi ("Continuous skeleton computation by
        // Voronoi diagram", CVGIP 55(3) 1992, sec. 2): the one-sided rule is our own.
        if (!bridged.empty() && n >= 7) {
            const double tol = std::max(1.0, 0.15 * s.measured_width), look = half + std::max(2.0, 0.5 * half);
            std::vector<point2d> placed = moved;
            for (std::size_t i = 0; i < n; ++i) {
                if (!bridged[i] || (!closed && (i < 3 || i + 3 >= n))) continue;
                bool at_corner = false;
                for (const std::size_t c : corners) at_corner |= std::min((i + n - c) % n, (c + n - i) % n) <= 2;
                if (at_corner) continue;
                const point2d a = moved[(i + n - 3) % n], b = moved[(i + 3) % n], p = moved[i];
                const double tl = detail::cl_dist(a, b);
                if (!(tl > 0)) continue;
                const point2d nr{-(b.y - a.y) / tl, (b.x - a.x) / tl};
                const double el = edge_along(p, {-nr.x, -nr.y}, 0, look), er = edge_along(p, nr, 0, look);
                const bool cl = std::isfinite(el) && std::abs(el - half) <= tol;
                const bool cr = std::isfinite(er) && std::abs(er - half) <= tol;
                const bool openl = !std::isfinite(el) || el > half + tol, openr = !std::isfinite(er) || er > half + tol;
                double off;
                if (cl && cr && std::abs(el + er - s.measured_width) <= 1.0)  // a clean profile
                    off = 0.5 * (er - el);
                else if (cl && openr)
                    off = half - el;
                else if (cr && openl)
                    off = er - half;
                else
                    continue;
                placed[i] = {p.x + off * nr.x, p.y + off * nr.y};
            }
            moved = std::move(placed);
        }
        // A stroke end and its outward unit tangent (the chord from the point k before it), or
        // false when the stroke is too short or degenerate there; add_end appends a point beyond
        // the end.
        bool shifted = false;
        const auto end_tangent = [&](bool at_start, point2d& e, point2d& u) {
            if (moved.size() < 2) return false;
            const std::size_t back = std::min(k, moved.size() - 1);
            e = at_start ? moved.front() : moved.back();
            const point2d q = at_start ? moved[back] : moved[moved.size() - 1 - back];
            const double d = detail::cl_dist(e, q);
            if (!(d > 0)) return false;
            u = {(e.x - q.x) / d, (e.y - q.y) / d};
            return true;
        };
        const auto add_end = [&](bool at_start, point2d np) {
            if (at_start) {
                moved.insert(moved.begin(), np);
                shifted = true;
            } else {
                moved.push_back(np);
            }
        };
        // A free end moves out along its tangent until the round cap reaches the end of the ink
        // (where the coverage falls below one half): thinning shortens ends.
        const auto extend = [&](bool at_start) {
            point2d e, u;
            if (!end_tangent(at_start, e, u)) return;
            const double te = edge_along(e, u, 0, s.measured_width + 1);
            if (!std::isfinite(te)) return;
            const double ext = te - half;
            if (ext >= 0.25) add_end(at_start, {e.x + u.x * ext, e.y + u.y * ext});
        };
        // A stroke ending at a junction goes on along its direction as long as its pen still fits
        // in the ink (the distance transform, bilinear, stays at least its half width): to the
        // middle of the stroke it meets.
        const auto extend_in = [&](bool at_start) {
            point2d e, u;
            if (!end_tangent(at_start, e, u)) return;
            const auto dt = [&](point2d p) {  // bilinear distance transform (pixel centres)
                const double x = std::clamp(p.x - 0.5, 0.0, double(w - 1)),
                             y = std::clamp(p.y - 0.5, 0.0, double(h - 1));
                const std::size_t x0 = std::min(std::size_t(x), w - 1), y0 = std::min(std::size_t(y), h - 1);
                const std::size_t x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
                const double ax = x - double(x0), ay = y - double(y0);
                const auto D = [&](std::size_t X, std::size_t Y) { return t.d_at(int(X), int(Y)); };
                return (1 - ay) * ((1 - ax) * D(x0, y0) + ax * D(x1, y0)) +
                       ay * ((1 - ax) * D(x0, y1) + ax * D(x1, y1));
            };
            double ext = 0;
            for (double r = 0.5; r <= 3 * half + 2; r += 0.5) {
                if (dt({e.x + u.x * r, e.y + u.y * r}) < half - 0.25) break;
                ext = r;
            }
            if (ext >= 0.5) add_end(at_start, {e.x + u.x * ext, e.y + u.y * ext});
        };
        if (!closed && free_start) extend(true);
        if (!closed && free_end) extend(false);
        if (jstart) extend_in(true);
        if (jend) extend_in(false);
        if (shifted)
            for (auto& c : corners) ++c;  // the inserted point shifts the corner indices
        // Pieces between corners (a closed ring repeats its first point at the end); each is
        // smoothed by two passes of a moving average over up to 5 points, narrowed near the
        // piece's ends, which stay (this removes the skeleton's pixel staircase and the
        // profile noise), then fitted on its own, so corners stay sharp.
        if (closed) moved.push_back(moved[0]);
        std::vector<std::size_t> cuts;
        if (!(closed && corners.empty())) {
            cuts.push_back(0);
            for (const std::size_t c : corners)
                if (c != 0) cuts.push_back(c);
            cuts.push_back(moved.size() - 1);
        }
        // B = two passes of the moving average; the points become 2 B x - B B x (Tukey's
        // "twicing", Exploratory Data Analysis 1977, ch. 16: the smoothed residual added back),
        // which keeps B's damping of the pixel staircase but not its shrinking of curves (a
        // circle of radius R loses about var / 2R under B, var the kernel's variance).
        const auto smooth = [&](std::size_t lo, std::size_t hi, bool ring) {
            std::vector<point2d> tmp(moved.begin() + std::ptrdiff_t(lo), moved.begin() + std::ptrdiff_t(hi) + 1);
            const std::size_t len = tmp.size();
            std::vector<point2d> src;
            const auto B = [&](std::vector<point2d>& v) {
                for (int pass = 0; pass < 2; ++pass) {
                    src = v;
                    for (std::size_t i = 0; i < len; ++i) {
                        const std::size_t hw = ring ? 2 : std::min<std::size_t>({2, i, len - 1 - i});
                        double sx = 0, sy = 0;
                        for (std::size_t j = 0; j <= 2 * hw; ++j) {
                            const auto& q = src[(i + len + j - hw) % len];
                            sx += q.x;
                            sy += q.y;
                        }
                        v[i] = {sx / double(2 * hw + 1), sy / double(2 * hw + 1)};
                    }
                }
            };
            B(tmp);
            std::vector<point2d> twice = tmp;
            B(twice);
            for (std::size_t i = 0; i < len; ++i) tmp[i] = {2 * tmp[i].x - twice[i].x, 2 * tmp[i].y - twice[i].y};
            std::copy(tmp.begin(), tmp.end(), moved.begin() + std::ptrdiff_t(lo));
        };
        const auto distinct = [](const point2d* p, std::size_t cnt) {
            for (std::size_t i = 1; i < cnt; ++i)
                if (!(p[i] == p[0])) return true;
            return false;
        };
        const bezier_params bp{.max_error = params.curve_tolerance, .corner_angle_deg = params.corner_angle_deg};
        if (cuts.empty()) {  // a smooth ring
            moved.pop_back();
            if (moved.size() >= 5) smooth(0, moved.size() - 1, true);
            if (distinct(moved.data(), moved.size())) {
                auto bpc = bp;
                bpc.closed = true;
                s.curves = bezier_fit(moved, bpc);
            }
        } else {
            std::vector<std::size_t> first_curve;  // per piece, its first curve in s.curves
            for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
                first_curve.push_back(s.curves.size());
                smooth(cuts[c], cuts[c + 1], false);
                const std::size_t cnt = cuts[c + 1] - cuts[c] + 1;
                if (!distinct(&moved[cuts[c]], cnt)) continue;
                const auto piece = bezier_fit(std::span<const point2d>(&moved[cuts[c]], cnt), bp);
                s.curves.insert(s.curves.end(), piece.begin(), piece.end());
            }
            first_curve.push_back(s.curves.size());
            // Pieces between corners of clearly different widths (by more than width_tolerance;
            // each measured on at least 8 profiles) become strokes of their own: the round caps
            // meeting at the shared corner draw the round join.
            const std::size_t pieces = cuts.size() - 1;
            std::vector<double> piece_w(pieces, std::numeric_limits<double>::quiet_NaN());
            bool split = false;
            if (pieces > 1 && params.stroke_width <= 0) {
                std::vector<double> v;
                for (std::size_t c = 0; c < pieces; ++c) {
                    v.clear();
                    for (std::size_t j = cuts[c]; j <= cuts[c + 1]; ++j) {
                        const std::size_t q = j - (shifted ? 1 : 0);
                        if (j >= (shifted ? 1 : 0) && q < n && std::isfinite(pwidth[q])) v.push_back(pwidth[q]);
                    }
                    if (v.size() >= 8) piece_w[c] = detail::cl_trimmed_mean(v);
                }
                double lo = 1e300, hi = -1e300;
                for (const double pw : piece_w)
                    if (std::isfinite(pw)) lo = std::min(lo, pw), hi = std::max(hi, pw);
                split = hi - lo > std::max(params.width_tolerance, 1e-9);
            }
            if (split) {
                std::size_t a = 0;  // first piece of the current group
                double gw = piece_w[0];
                for (std::size_t c = 1; c <= pieces; ++c) {
                    const bool cut_here = c == pieces || (std::isfinite(piece_w[c]) && std::isfinite(gw) &&
                                                          std::abs(piece_w[c] - gw) > params.width_tolerance);
                    if (!cut_here) {
                        if (!std::isfinite(gw)) gw = piece_w[c];
                        continue;
                    }
                    centerline_stroke g;
                    g.points.assign(moved.begin() + std::ptrdiff_t(cuts[a]),
                                    moved.begin() + std::ptrdiff_t(cuts[c]) + 1);
                    g.curves.assign(s.curves.begin() + std::ptrdiff_t(first_curve[a]),
                                    s.curves.begin() + std::ptrdiff_t(first_curve[c]));
                    g.measured_width = std::isfinite(gw) ? gw : s.measured_width;
                    if (!g.curves.empty()) res.strokes.push_back(std::move(g));
                    a = c;
                    if (c < pieces) gw = piece_w[c];
                }
                return;
            }
            if (closed) moved.pop_back();
        }
        s.points = std::move(moved);
        if (s.curves.empty()) {
            s.points.resize(1);
            s.closed = false;
        }
        res.strokes.push_back(std::move(s));
    };
    auto skip = [&](std::size_t e) {
        const auto& ed = t.g.edges[e];
        const std::size_t c = ed.a == skeleton_graph::none ? comp.find(nn + e) : comp.find(t.node_of(2 * e));
        return filled[c] || dropped[c];
    };
    std::vector<chain_point> ch;
    std::size_t last_end = 0;             // the edge end a chain stops at
    auto walk = [&](std::size_t start) {  // start: an edge end to enter at
        ch.clear();
        std::size_t end = start;
        bool first = true;
        for (;;) {
            used[end / 2] = 1;
            append_edge(ch, end, first);
            first = false;
            const std::size_t nxt = partner[end ^ 1];
            last_end = end ^ 1;
            if (nxt == skeleton_graph::none) return false;
            if (used[nxt / 2]) return nxt == start;
            end = nxt;
        }
    };
    for (std::size_t e = 0; e < ne; ++e)
        for (std::size_t side = 0; side < 2; ++side) {
            const std::size_t end = 2 * e + side;
            if (!t.ealive[e] || used[e] || t.g.edges[e].a == skeleton_graph::none ||
                partner[end] != skeleton_graph::none || skip(e))
                continue;
            walk(end);
            emit(ch, false, t.ends(t.node_of(end)).size() == 1, t.ends(t.node_of(last_end)).size() == 1);
        }
    for (std::size_t e = 0; e < ne; ++e) {
        if (!t.ealive[e] || used[e] || skip(e)) continue;
        const bool closed = t.g.edges[e].a == skeleton_graph::none
                                ? (used[e] = 1, ch.clear(), append_edge(ch, 2 * e, true), true)
                                : walk(2 * e);
        if (closed && ch.size() > 1 && ch.front().p == ch.back().p) ch.pop_back();
        emit(ch, closed, false, false);
    }
    for (std::size_t n = 0; n < nn; ++n)  // dots
        if (t.g.nodes[n].edges.empty() && !filled[comp.find(n)] && !dropped[comp.find(n)]) {
            ch.assign(1, {t.npos[n], false});
            emit(ch, false, false, false);
        }

    // Widths.
    std::vector<std::pair<double, double>> sw;
    double lo = 1e300, hi = 0;
    for (const auto& s : res.strokes) {
        sw.push_back({s.measured_width, std::max(1.0, detail::cl_length(s.points))});
        lo = std::min(lo, s.measured_width);
        hi = std::max(hi, s.measured_width);
    }
    res.typical_width = detail::cl_weighted_median(sw);
    const auto quant = [&](double x) {
        if (params.width_quantum <= 0) return x;
        return std::max(params.width_quantum, std::round(x / params.width_quantum) * params.width_quantum);
    };
    for (auto& s : res.strokes)
        s.width = params.stroke_width > 0             ? params.stroke_width
                  : hi - lo <= params.width_tolerance ? quant(res.typical_width)
                                                      : quant(s.measured_width);
    return res;
}

/// trace_centerlines under vecta::seq.
inline centerline_result trace_centerlines(image_view<const std::uint8_t> gray, const centerline_params& params = {}) {
    return trace_centerlines(seq, gray, params);
}

}  // namespace vecta
