// SPDX-License-Identifier: MIT
// find_contours against OpenCV 4.x cv::findContours (CHAIN_APPROX_NONE), contour for contour and
// point for point: RETR_LIST and RETR_TREE on binary images whose one-pixel frame is background
// (thresholds and Canny edge maps of the photo corpus, random images), and on images with
// foreground on the frame.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <test_support.hpp>
#include <utility>
#include <vecta/geometry/find_contours.hpp>
#include <vector>

#if VECTA_TEST_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace contours_opencv_test {  // named: the geometry tests are compiled as one unity translation unit

namespace {

using pt = vecta::point2<int>;

struct single_thread_opencv {
    single_thread_opencv() { cv::setNumThreads(1); }
} const opencv_threads;

vecta::image_view<const std::uint8_t> view_of(const cv::Mat& m) {
    return {m.data, std::size_t(m.cols), std::size_t(m.rows), 1, m.step};
}

std::vector<pt> to_points(const std::vector<cv::Point>& c) {
    std::vector<pt> out;
    out.reserve(c.size());
    for (const auto& q : c) out.push_back({q.x, q.y});
    return out;
}

void clear_frame(cv::Mat& m) {
    m.row(0).setTo(0);
    m.row(m.rows - 1).setTo(0);
    m.col(0).setTo(0);
    m.col(m.cols - 1).setTo(0);
}

/// Compares with cv::findContours in both modes; returns the number of contours.
///
/// OpenCV's order: RETR_LIST lists the borders in reverse discovery (raster) order; RETR_TREE is
/// a pre-order walk of the tree in which the top level and every list of children are in
/// reverse discovery order. vecta lists both in discovery order: the expected OpenCV order is
/// rebuilt from vecta's parents and compared, as are the points and the parents.
std::size_t compare_with_opencv(const cv::Mat& bin) {
    const auto list = vecta::find_contours(view_of(bin));
    const auto tree = vecta::find_contours(view_of(bin), {.mode = vecta::retrieval::tree});
    REQUIRE(list.size() == tree.size());

    std::vector<std::vector<cv::Point>> cl, ct;
    std::vector<cv::Vec4i> hl, ht;
    cv::findContours(bin, cl, hl, cv::RETR_LIST, cv::CHAIN_APPROX_NONE);
    cv::findContours(bin, ct, ht, cv::RETR_TREE, cv::CHAIN_APPROX_NONE);
    REQUIRE(cl.size() == list.size());
    REQUIRE(ct.size() == tree.size());
    const std::size_t n = list.size();

    // LIST: reverse order, same points.
    std::size_t list_mismatch = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (to_points(cl[n - 1 - i]) != list[i].points) ++list_mismatch;
        CHECK(list[i].parent == -1);
        CHECK(list[i].points == tree[i].points);
        CHECK(list[i].hole == tree[i].hole);
    }
    CHECK(list_mismatch == 0);

    // TREE: the pre-order walk with reversed sibling lists.
    std::vector<std::vector<int>> children(n);
    std::vector<int> roots;
    for (std::size_t i = 0; i < n; ++i) {
        const int par = tree[i].parent;
        REQUIRE(par < static_cast<int>(i));
        (par < 0 ? roots : children[std::size_t(par)]).push_back(static_cast<int>(i));
    }
    std::vector<int> order, stack(roots.begin(), roots.end());  // the last root is visited first
    while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        order.push_back(v);
        for (int c : children[std::size_t(v)]) stack.push_back(c);
    }
    REQUIRE(order.size() == n);
    std::vector<int> cv_index(n);  // vecta index -> OpenCV index
    for (std::size_t k = 0; k < n; ++k) cv_index[std::size_t(order[k])] = static_cast<int>(k);
    std::size_t tree_mismatch = 0, parent_mismatch = 0, hole_mismatch = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = std::size_t(cv_index[i]);
        if (to_points(ct[k]) != tree[i].points) ++tree_mismatch;
        const int expected_parent = tree[i].parent < 0 ? -1 : cv_index[std::size_t(tree[i].parent)];
        if (ht[k][3] != expected_parent) ++parent_mismatch;
        int depth = 0;  // holes sit at odd depths
        for (int p = ht[k][3]; p >= 0; p = ht[std::size_t(p)][3]) ++depth;
        if ((depth % 2 == 1) != tree[i].hole) ++hole_mismatch;
    }
    CHECK(tree_mismatch == 0);
    CHECK(parent_mismatch == 0);
    CHECK(hole_mismatch == 0);
    return n;
}

cv::Mat random_binary(int w, int h, int density, std::uint64_t seed) {
    cv::Mat m(h, w, CV_8U);
    std::uint64_t s = seed;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            m.at<std::uint8_t>(y, x) = static_cast<int>((s >> 33) % 100) < density ? 255 : 0;
        }
    return m;
}

}  // namespace

TEST_CASE("find_contours equals cv::findContours (LIST, TREE) on random images with a background frame") {
    for (int trial = 0; trial < 120; ++trial) {
        CAPTURE(trial);
        const int w = 3 + trial % 37, h = 3 + (trial * 7) % 29, density = 15 + (trial * 13) % 70;
        cv::Mat m = random_binary(w, h, density, std::uint64_t(trial) + 1);
        clear_frame(m);
        compare_with_opencv(m);
    }
}

TEST_CASE("find_contours equals cv::findContours on images with foreground on the frame (OpenCV 4 pads, too)") {
    // OpenCV 4's C++ findContours copies the image into a zero-padded buffer, so a frame is
    // not cleared there either; this documents the agreement.
    for (int trial = 0; trial < 60; ++trial) {
        CAPTURE(trial);
        cv::Mat m = random_binary(2 + trial % 23, 1 + (trial * 5) % 19, 30 + trial % 50, std::uint64_t(trial) + 1000);
        compare_with_opencv(m);
    }
}

TEST_CASE("find_contours equals cv::findContours on thresholds and Canny edges of the photos") {
    const auto dir = vecta_test::data_dir();
    if (dir.empty() || !std::filesystem::exists(dir / "photos")) {
        MESSAGE("shared data not found (set VECTA_DATA_DIR): findContours parity on the photos skipped");
        return;
    }
    std::size_t photos = 0, contours = 0;
    for (const char* name :
         {"skimage-camera-gray.png", "skimage-coffee.png", "kde-fallenleaf-1024.png", "bench-1920x1080-kde-path.jpg"}) {
        const cv::Mat gray = cv::imread((dir / "photos" / name).string(), cv::IMREAD_GRAYSCALE);
        if (gray.empty()) continue;
#if VECTA_TEST_SANITIZED
        if (gray.total() > 1'100'000) continue;  // keep the sanitizer run short
#endif
        CAPTURE(name);
        ++photos;
        cv::Mat bin;
        cv::threshold(gray, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        clear_frame(bin);
        contours += compare_with_opencv(bin);
        cv::Canny(gray, bin, 50, 150);
        clear_frame(bin);
        contours += compare_with_opencv(bin);
    }
    MESSAGE(photos, " photos, ", contours, " contours equal to cv::findContours");
    CHECK(photos > 0);
    CHECK(contours > 1000);
}

}  // namespace contours_opencv_test
#else
TEST_CASE("find_contours vs cv::findContours" * doctest::skip()) {}
#endif
