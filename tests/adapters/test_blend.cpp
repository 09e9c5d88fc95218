// SPDX-License-Identifier: MIT
// vecta::blend_edges (vecta/adapters/onnx.hpp; available with or without ONNX Runtime).
#include <doctest/doctest.h>

#include <cstdint>
#include <vecta/adapters/onnx.hpp>

#include "test_support.hpp"

TEST_CASE("blend_edges: alpha * learned + (1 - alpha) * classic / 255, default alpha 0.7") {
    const auto classic = vecta_test::random_image(17, 5, 1, 3);
    vecta::image<float> learned(17, 5);
    for (std::size_t i = 0; i < learned.size(); ++i) learned.data()[i] = float(i % 11) / 10.0f;
    const auto out = vecta::blend_edges(classic.view(), learned.view());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double want = 0.7 * learned.data()[i] + 0.3 * classic.data()[i] / 255.0;
        CHECK(out.data()[i] == doctest::Approx(want).epsilon(1e-6));
    }
    // alpha 0 and 1 select one input; the float overload; dst aliasing learned.
    vecta::image<float> dst(17, 5);
    vecta::blend_edges(classic.view(), learned.view(), dst.view(), 1.0f);
    for (std::size_t i = 0; i < dst.size(); ++i) CHECK(dst.data()[i] == learned.data()[i]);
    vecta::blend_edges(classic.view(), learned.view(), dst.view(), 0.0f);
    for (std::size_t i = 0; i < dst.size(); ++i) CHECK(dst.data()[i] == doctest::Approx(classic.data()[i] / 255.0));
    vecta::image<float> fclassic(17, 5, 1, 0.5f);
    auto inplace = vecta::image<float>::from(learned.view());
    vecta::blend_edges(fclassic.view(), inplace.view(), inplace.view(), 0.25f);
    for (std::size_t i = 0; i < dst.size(); ++i)
        CHECK(inplace.data()[i] == doctest::Approx(0.25 * learned.data()[i] + 0.75 * 0.5));
}

TEST_CASE("blend_edges with a binary (Canny-like) map, and argument errors") {
    auto edges = vecta_test::random_image(32, 32, 1, 9);
    for (std::size_t i = 0; i < edges.size(); ++i) edges.data()[i] = edges.data()[i] > 200 ? 255 : 0;
    vecta::image<float> learned(32, 32, 1, 0.0f);
    const auto b = vecta::blend_edges(edges.view(), learned.view());
    for (std::size_t i = 0; i < b.size(); ++i) CHECK(b.data()[i] == doctest::Approx(edges.data()[i] ? 0.3 : 0.0));
    vecta::image<float> other(31, 32);
    CHECK_THROWS_WITH_AS(vecta::blend_edges(edges.view(), other.view()), doctest::Contains("learned must have"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::blend_edges(edges.view(), learned.view(), 1.5f), doctest::Contains("alpha must be in"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(vecta::blend_edges(edges.view(), learned.view(), other.view()),
                         doctest::Contains("dst must have"), vecta::invalid_argument);
    const auto rgb = vecta_test::random_image(4, 4, 3, 1);
    vecta::image<float> l3(4, 4, 3);
    CHECK_THROWS_WITH_AS(vecta::blend_edges(rgb.view(), l3.view()), doctest::Contains("classic must have 1 channel"),
                         vecta::invalid_argument);
}
