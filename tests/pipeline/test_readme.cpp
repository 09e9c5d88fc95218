// SPDX-License-Identifier: MIT
// The README's C++ samples, compiled and run in order in one scope. A test below checks that
// every ```cpp block of README.md appears verbatim in this file, so the README cannot drift
// from the API. (The #include lines inside the function expand to nothing: already included.)
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vecta/vecta.hpp>
#include <vector>

#include "test_support.hpp"
#include "vectorize_once.hpp"

namespace {
std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string squeeze(const std::string& s) {  // whitespace-insensitive comparison
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') out += c;
    return out;
}
}  // namespace

TEST_CASE("the README's C++ samples compile and run") {
    const auto dir = std::filesystem::temp_directory_path() / "vecta_readme";
    std::filesystem::create_directories(dir);
    {
        // A photo-like input: smooth gradients with a disk, so every stage has work.
        vecta::image<std::uint8_t> in(48, 32, 3);
        for (std::size_t y = 0; y < 32; ++y)
            for (std::size_t x = 0; x < 48; ++x) {
                const double dx = double(x) - 20.0, dy = double(y) - 15.0;
                const bool disk = dx * dx + dy * dy < 100.0;
                in(x, y, 0) = static_cast<std::uint8_t>(disk ? 255 : x);
                in(x, y, 1) = static_cast<std::uint8_t>(disk ? 255 : y);
                in(x, y, 2) = static_cast<std::uint8_t>(disk ? 255 : 20);
            }
        vecta::io::save_image(dir / "in.png", in);
    }
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir);
    const std::size_t n = 50;
    // README begin
#include <vecta/io/image_file.hpp>
#include <vecta/vectorize.hpp>

    auto img = vecta::io::load_image("in.png");  // 1-4 channels; alpha over white
    auto svg = vecta::vectorize(vecta::par, img, {.colors = 16});
    vecta::io::write_file_atomic("out.svg", svg.document);  // svg.stats: ms, paths, nodes, bytes
                                                            // README end
                                                            // README begin
    std::vector<float> pts(n * 3);                          // n points of dimension 3, row-major
    auto km = vecta::kmeans<float>(vecta::par, pts, /*dim=*/3, {.k = 8, .max_iter = 50, .seed = 1});
    // km.centroids (k * dim), km.labels, km.inertia, km.iterations, km.converged
    auto q = vecta::quantize(vecta::par, img, {.colors = 16, .space = vecta::color_space::lab});
    // q.palette, q.labels (image<uint16_t>), q.psnr
    // README end
    // README begin
    vecta::image<std::uint8_t> gray = vecta::to_gray(img), blurred(gray.width(), gray.height()),
                               edges(gray.width(), gray.height());
    vecta::gaussian_blur(vecta::par, gray, blurred, {.ksize = 5, .sigma = 1.4});
    vecta::canny(vecta::par, blurred, edges, {.low = 50, .high = 150, .l2_gradient = true});
    // README end
    // README begin
    auto contours = vecta::find_contours(edges, {.mode = vecta::retrieval::tree});  // Suzuki-Abe
    std::vector<vecta::cubic_bezier> curves;
    for (const vecta::contour& c : contours) {
        auto kept = vecta::douglas_peucker(c.points, {.epsilon = 1.0});
        if (kept.size() < 2) continue;  // a single pixel has no curve
        auto fitted = vecta::bezier_fit(kept, {.max_error = 0.5, .corner_angle_deg = 60});
        curves.insert(curves.end(), fitted.begin(), fitted.end());
    }
    auto regions = vecta::trace_regions(q.labels);  // outlines of a label image
    // README end
    // README begin
    std::vector<std::byte> shm(1 << 20);  // in practice mmap(MAP_SHARED) of shm_open or a file
    vecta::frame_ring ring(shm);          // the one writer; frame_ring::attach(shm) repairs after a crash
    vecta::frame_reader reader(shm);      // any number of readers, in any process
    const std::uint64_t key = vecta::content_hash(img);  // XXH3-64 of the pixels: exact duplicates
    auto tiles = vecta::tile_stats(vecta::par, img, {.width = 32, .height = 32});  // mean, stddev, min, max
    ring.push(/*timestamp=*/1, std::as_bytes(std::span(img.data(), img.size())));
    auto got = reader.wait_next(std::chrono::milliseconds(100));  // got.frame.data, got.lost
    // README end
    std::filesystem::current_path(cwd);
    CHECK(std::filesystem::file_size(dir / "out.svg") == svg.stats.bytes);
    CHECK(km.labels.size() == n);
    CHECK(q.labels.width() == 48);
    CHECK(!contours.empty());
    CHECK(!curves.empty());
    CHECK(!regions.empty());
    REQUIRE(got);
    CHECK(got.lost == 0);
    CHECK(got.frame.data.size() == img.size());
    CHECK(key == vecta::content_hash(img.view()));
    CHECK(tiles.mean.width() == 2);
}

TEST_CASE("every C++ block of README.md is in this test") {
    const std::string readme = read_text(vecta_test::repo_dir() / "README.md");
    const std::string self = squeeze(read_text(vecta_test::repo_dir() / "tests/pipeline/test_readme.cpp"));
    const std::regex block("```cpp\\n([\\s\\S]*?)```");
    int count = 0;
    for (auto it = std::sregex_iterator(readme.begin(), readme.end(), block); it != std::sregex_iterator(); ++it) {
        ++count;
        CHECK_MESSAGE(self.find(squeeze((*it)[1].str())) != std::string::npos,
                      "README block not compiled by this test:\n"
                          << (*it)[1].str());
    }
    CHECK(count >= 4);
}
