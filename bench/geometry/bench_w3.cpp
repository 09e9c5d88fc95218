// SPDX-License-Identifier: MIT
// W3: contour tracing, Ramer-Douglas-Peucker and cubic Bezier fitting, against OpenCV and
// Boost.Geometry in the same run. Names: W3/<op>/<impl>/<size>[/<variant>].
//
// - W3/contours/<vecta|opencv>/1080p/<list|tree>: borders of the Canny 50/150 edge map (OpenCV
//   Canny, not timed) of bench-1920x1080-kde-path.jpg; vecta::find_contours vs cv::findContours
//   (CHAIN_APPROX_NONE). Counters: contours, points.
// - W3/rdp/<vecta|opencv|boost>/<10k|1M>/eps<1|2>/<line|walk|sine>: open noisy polylines of
//   float points (one per seed, fixed): `line` x = i, y uniform in [-2, 2] (a straight line
//   with uniform noise: the plain algorithm's worst case, many unbalanced splits); `walk` a
//   random walk with steps uniform in [-1.7, 1.7]^2; `sine` x = i / 100, y = 50 sin(i / 1000)
//   plus uniform noise in [-1.5, 1.5]. vecta::douglas_peucker_indices on vecta::point2f (read as
//   double), cv::approxPolyDP on cv::Point2f (closed = false), boost::geometry::simplify on a
//   linestring of double points with the same values. Counters: kept (points kept) and, on
//   the vecta rows, diff_opencv / diff_boost (points kept by one and not the other).
// - W3/bezier_fit/vecta/10k/<edges|blob>/err<0.5|1>: vecta::bezier_fit (closed) of ~10,000
//   contour points: `edges` the longest borders of the 1080p edge map above until 10k points,
//   `blob` 10k points of one smooth rasterized blob border. Counters: segments, max_err_px
//   (largest distance of an input point to the fitted curve, by dense sampling, untimed).
//
// Times are CPU times of one thread. Ratios: bench/geometry/w3_table.py on the JSON output.
#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vecta/geometry/bezier_fit.hpp>
#include <vecta/geometry/douglas_peucker.hpp>
#include <vecta/geometry/find_contours.hpp>
#include <vector>

#include "../bench_support.hpp"

namespace {

namespace bg = boost::geometry;
using bpoint = bg::model::d2::point_xy<double>;
using bline = bg::model::linestring<bpoint>;

struct single_thread_opencv {
    single_thread_opencv() { cv::setNumThreads(1); }
} const opencv_threads;

// ---- inputs -----------------------------------------------------------------------------

const cv::Mat* edge_map() {
    static const cv::Mat edges = [] {
        cv::Mat e;
        const cv::Mat g = cv::imread((vecta_bench::data_dir() / "photos" / "bench-1920x1080-kde-path.jpg").string(),
                                     cv::IMREAD_GRAYSCALE);
        if (!g.empty()) cv::Canny(g, e, 50, 150);
        return e;
    }();
    return edges.empty() ? nullptr : &edges;
}

vecta::image_view<const std::uint8_t> view_of(const cv::Mat& m) {
    return {m.data, std::size_t(m.cols), std::size_t(m.rows), 1, m.step};
}

struct polyline {
    std::vector<vecta::point2f> v;
    std::vector<cv::Point2f> cv;
    bline boost;
};

const polyline& noisy(const std::string& kind, std::size_t n) {
    static std::map<std::string, polyline> cache;
    const std::string key = kind + std::to_string(n);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    polyline p;
    std::mt19937_64 rng(20261123);
    auto uni = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    double x = 0, y = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i);
        vecta::point2f q;
        if (kind == "line")
            q = {static_cast<float>(t), static_cast<float>(uni(-2, 2))};
        else if (kind == "walk")
            q = {static_cast<float>(x += uni(-1.7, 1.7)), static_cast<float>(y += uni(-1.7, 1.7))};
        else
            q = {static_cast<float>(t * 0.01), static_cast<float>(50 * std::sin(t * 0.001) + uni(-1.5, 1.5))};
        p.v.push_back(q);
        p.cv.emplace_back(q.x, q.y);
        p.boost.emplace_back(q.x, q.y);
    }
    return cache.emplace(key, std::move(p)).first->second;
}

std::vector<std::size_t> index_of(const polyline& p, const std::vector<vecta::point2f>& kept) {
    // Kept points are a subsequence of the input: walk both.
    std::vector<std::size_t> out;
    std::size_t j = 0;
    for (const auto& q : kept) {
        while (j < p.v.size() && !(p.v[j].x == q.x && p.v[j].y == q.y)) ++j;
        out.push_back(j++);
    }
    return out;
}

std::size_t sym_diff(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    std::vector<std::size_t> d;
    std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(d));
    return d.size();
}

// ---- contours ----------------------------------------------------------------------------

void contours_vecta(benchmark::State& state, vecta::retrieval mode) {
    const cv::Mat* e = edge_map();
    if (vecta_bench::skip_if_missing(state, e)) return;
    std::size_t n = 0, pts = 0;
    for (auto _ : state) {
        auto cs = vecta::find_contours(view_of(*e), {.mode = mode});
        n = cs.size();
        benchmark::DoNotOptimize(cs.data());
        pts = 0;
        for (auto& c : cs) pts += c.points.size();
    }
    state.counters["contours"] = double(n);
    state.counters["points"] = double(pts);
}

void contours_opencv(benchmark::State& state, int mode) {
    const cv::Mat* e = edge_map();
    if (vecta_bench::skip_if_missing(state, e)) return;
    std::size_t n = 0, pts = 0;
    for (auto _ : state) {
        std::vector<std::vector<cv::Point>> cs;
        std::vector<cv::Vec4i> h;
        cv::findContours(*e, cs, h, mode, cv::CHAIN_APPROX_NONE);
        n = cs.size();
        benchmark::DoNotOptimize(cs.data());
        pts = 0;
        for (auto& c : cs) pts += c.size();
    }
    state.counters["contours"] = double(n);
    state.counters["points"] = double(pts);
}

// ---- RDP ---------------------------------------------------------------------------------

void rdp_vecta(benchmark::State& state, std::string kind, std::size_t n, double eps) {
    const polyline& p = noisy(kind, n);
    std::vector<std::size_t> idx;
    for (auto _ : state) {
        idx = vecta::douglas_peucker_indices(p.v, {.epsilon = eps});
        benchmark::DoNotOptimize(idx.data());
    }
    state.counters["kept"] = double(idx.size());
    std::vector<cv::Point2f> co;
    cv::approxPolyDP(p.cv, co, eps, false);
    std::vector<vecta::point2f> cov;
    for (auto& q : co) cov.push_back({q.x, q.y});
    bline bo;
    bg::simplify(p.boost, bo, eps);
    std::vector<vecta::point2f> bov;
    for (auto& q : bo) bov.push_back({static_cast<float>(q.x()), static_cast<float>(q.y())});
    state.counters["diff_opencv"] = double(sym_diff(idx, index_of(p, cov)));
    state.counters["diff_boost"] = double(sym_diff(idx, index_of(p, bov)));
}

void rdp_opencv(benchmark::State& state, std::string kind, std::size_t n, double eps) {
    const polyline& p = noisy(kind, n);
    std::vector<cv::Point2f> out;
    for (auto _ : state) {
        out.clear();
        cv::approxPolyDP(p.cv, out, eps, false);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["kept"] = double(out.size());
}

void rdp_boost(benchmark::State& state, std::string kind, std::size_t n, double eps) {
    const polyline& p = noisy(kind, n);
    bline out;
    for (auto _ : state) {
        out.clear();
        bg::simplify(p.boost, out, eps);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["kept"] = double(out.size());
}

// ---- Bezier fit --------------------------------------------------------------------------

std::vector<std::vector<vecta::point2<int>>> bezier_input(const std::string& kind) {
    std::vector<std::vector<vecta::point2<int>>> out;
    if (kind == "edges") {
        const cv::Mat* e = edge_map();
        if (!e) return out;
        auto cs = vecta::find_contours(view_of(*e));
        std::stable_sort(cs.begin(), cs.end(), [](auto& a, auto& b) { return a.points.size() > b.points.size(); });
        std::size_t total = 0;
        for (auto& c : cs) {
            if (total >= 10000) break;
            total += c.points.size();
            out.push_back(std::move(c.points));
        }
    } else {
        // A smooth blob, radius about 1600 px: its border has about 10k pixels.
        const int S = 3700;
        vecta::image<std::uint8_t> im(S, S);
        for (int y = 0; y < S; ++y)
            for (int x = 0; x < S; ++x) {
                const double dx = x - S / 2.0, dy = y - S / 2.0, a = std::atan2(dy, dx);
                const double r = 1580 * (1 + 0.08 * std::sin(5 * a) + 0.03 * std::sin(13 * a));
                im(std::size_t(x), std::size_t(y)) = dx * dx + dy * dy < r * r ? 255 : 0;
            }
        auto cs = vecta::find_contours(im.view());
        out.push_back(std::move(cs.at(0).points));
    }
    return out;
}

/// Largest distance from an input point to the curves fitted to its contour (dense sampling).
double max_fit_error(const std::vector<vecta::point2<int>>& pts, const std::vector<vecta::cubic_bezier>& segs,
                     double tol) {
    struct box {
        double x0, y0, x1, y1;
    };
    std::vector<box> boxes;
    for (const auto& s : segs) {
        const double pad = 2 * tol + 1;
        boxes.push_back(
            {std::min({s.p0.x, s.p1.x, s.p2.x, s.p3.x}) - pad, std::min({s.p0.y, s.p1.y, s.p2.y, s.p3.y}) - pad,
             std::max({s.p0.x, s.p1.x, s.p2.x, s.p3.x}) + pad, std::max({s.p0.y, s.p1.y, s.p2.y, s.p3.y}) + pad});
    }
    double worst = 0;
    for (const auto& q : pts) {
        double best = HUGE_VAL;
        for (std::size_t i = 0; i < segs.size(); ++i) {
            const box& b = boxes[i];
            if (q.x < b.x0 || q.x > b.x1 || q.y < b.y0 || q.y > b.y1) continue;
            // Samples at most 0.02 px apart (control polygon length bounds the arc length).
            const auto& g = segs[i];
            const double poly = std::hypot(g.p1.x - g.p0.x, g.p1.y - g.p0.y) +
                                std::hypot(g.p2.x - g.p1.x, g.p2.y - g.p1.y) +
                                std::hypot(g.p3.x - g.p2.x, g.p3.y - g.p2.y);
            const int samples = std::max(64, static_cast<int>(std::ceil(poly / 0.02)));
            for (int k = 0; k <= samples; ++k) {
                const auto c = g.point_at(static_cast<double>(k) / samples);
                best = std::min(best, std::hypot(c.x - q.x, c.y - q.y));
            }
        }
        worst = std::max(worst, best);
    }
    return worst;
}

void bezier_vecta(benchmark::State& state, std::string kind, double err) {
    static std::map<std::string, std::vector<std::vector<vecta::point2<int>>>> cache;
    if (!cache.count(kind)) cache[kind] = bezier_input(kind);
    const auto& in = cache[kind];
    if (in.empty()) {
        state.SkipWithError("shared data not found: set VECTA_DATA_DIR to ../shared/data");
        return;
    }
    std::size_t segs = 0, pts = 0;
    for (const auto& c : in) pts += c.size();
    const vecta::bezier_params params{.max_error = err, .corner_angle_deg = 60, .closed = true};
    for (auto _ : state) {
        segs = 0;
        for (const auto& c : in) {
            auto s = vecta::bezier_fit(c, params);
            segs += s.size();
            benchmark::DoNotOptimize(s.data());
        }
    }
    double worst = 0;
    for (const auto& c : in) worst = std::max(worst, max_fit_error(c, vecta::bezier_fit(c, params), err));
    state.counters["points"] = double(pts);
    state.counters["segments"] = double(segs);
    state.counters["max_err_px"] = worst;
}

const int registered = [] {
    using vecta::retrieval;
    benchmark::RegisterBenchmark("W3/contours/vecta/1080p/list", contours_vecta, retrieval::list)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W3/contours/opencv/1080p/list", contours_opencv, int(cv::RETR_LIST))
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W3/contours/vecta/1080p/tree", contours_vecta, retrieval::tree)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("W3/contours/opencv/1080p/tree", contours_opencv, int(cv::RETR_TREE))
        ->Unit(benchmark::kMillisecond);
    for (std::string kind : {"line", "walk", "sine"})
        for (std::size_t n : {std::size_t(10000), std::size_t(1000000)})
            for (double eps : {1.0, 2.0}) {
                const std::string suffix =
                    (n == 10000 ? "10k" : "1M") + std::string("/eps") + std::to_string(int(eps)) + "/" + kind;
                benchmark::RegisterBenchmark(("W3/rdp/vecta/" + suffix).c_str(), rdp_vecta, kind, n, eps)
                    ->Unit(benchmark::kMillisecond);
                benchmark::RegisterBenchmark(("W3/rdp/opencv/" + suffix).c_str(), rdp_opencv, kind, n, eps)
                    ->Unit(benchmark::kMillisecond);
                benchmark::RegisterBenchmark(("W3/rdp/boost/" + suffix).c_str(), rdp_boost, kind, n, eps)
                    ->Unit(benchmark::kMillisecond);
            }
    for (std::string kind : {"edges", "blob"})
        for (double err : {0.5, 1.0})
            benchmark::RegisterBenchmark(
                ("W3/bezier_fit/vecta/10k/" + kind + "/err" + (err == 0.5 ? "0.5" : "1")).c_str(), bezier_vecta, kind,
                err)
                ->Unit(benchmark::kMillisecond);
    return 0;
}();

}  // namespace
