// SPDX-License-Identifier: MIT
// vecta/adapters/metal.hpp: the Metal kernels equal the CPU kernels (runs on macOS with
// VECTA_WITH_METAL; elsewhere the header is empty and this file only reports the skip).
#if defined(VECTA_WITH_METAL) && VECTA_WITH_METAL
#define VECTA_METAL_IMPLEMENTATION  // the one translation unit with metal-cpp's implementation
#endif
#include <doctest/doctest.h>

#include <cstdint>
#include <vecta/adapters/metal.hpp>

#if defined(VECTA_WITH_METAL) && VECTA_WITH_METAL

#include <vecta/imgproc/frame_hash.hpp>
#include <vecta/imgproc/sobel.hpp>

#include "test_support.hpp"

TEST_CASE("metal: sobel equals vecta::sobel for every border, frame_difference equals the CPU") {
    MESSAGE(vecta::metal::available() ? "Metal device present" : "no Metal device: CPU fallback");
    for (auto [w, h] : {std::pair<std::size_t, std::size_t>{1, 1}, {2, 3}, {67, 45}, {640, 480}}) {
        const auto src = vecta_test::random_image(w, h, 1, std::uint32_t(w * 31 + h));
        for (auto border :
             {vecta::border_mode::reflect101, vecta::border_mode::replicate, vecta::border_mode::constant}) {
            vecta::image<std::int16_t> gx(w, h), gy(w, h), rx(w, h), ry(w, h);
            vecta::metal::sobel(src.view(), gx.view(), gy.view(), {.border = border});
            vecta::sobel(src.view(), rx.view(), ry.view(), {.border = border});
            for (std::size_t i = 0; i < gx.size(); ++i) {
                REQUIRE(gx.data()[i] == rx.data()[i]);
                REQUIRE(gy.data()[i] == ry.data()[i]);
            }
        }
        for (std::size_t c : {1u, 3u}) {
            const auto a = vecta_test::random_image(w, h, c, 1), b = vecta_test::random_image(w, h, c, 2);
            vecta::image<std::uint8_t> m1(w, h), m2(w, h);
            const std::size_t n1 = vecta::metal::frame_difference(vecta::par, a.view(), b.view(), m1.view(), 100);
            const std::size_t n2 = vecta::frame_difference(a.view(), b.view(), m2.view(), 100);
            CHECK(n1 == n2);
            for (std::size_t i = 0; i < m1.size(); ++i) REQUIRE(m1.data()[i] == m2.data()[i]);
        }
    }
    vecta::image<std::uint8_t> src(4, 4);
    vecta::image<std::int16_t> wrong(3, 4), ok(4, 4);
    CHECK_THROWS_AS(vecta::metal::sobel(src.view(), wrong.view(), ok.view()), vecta::invalid_argument);
}

#else

TEST_CASE("metal adapter") {
    MESSAGE("skipped: built without VECTA_WITH_METAL (macOS only; see .github/workflows/macos.yml)");
}

#endif
