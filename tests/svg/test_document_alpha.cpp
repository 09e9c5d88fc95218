// SPDX-License-Identifier: MIT
// svg::document's fill-opacity, fill-rule and clip (issue 19, transparency), checked as text.
#include <doctest/doctest.h>

#include <string>
#include <vecta/core/error.hpp>
#include <vecta/svg/document.hpp>

TEST_CASE("document: fill-opacity, even-odd fill rule and a clip around the drawing") {
    vecta::svg::document doc(10, 8);
    doc.add_path("m1 1h2v2h-2z", {0, 0, 0}, {.opacity = 90 / 255.0, .evenodd = true});
    doc.add_path("m5 5h1v1h-1z", {255, 0, 0}, {.opacity = 1});
    doc.add_path("m2 2h1v1h-1z", {0, 0, 255}, {.opacity = 0.5});
    doc.clip("m0 0h4v4h-4z");
    const std::string s = doc.str();
    CHECK(s.find("<path fill=\"#000\" fill-opacity=\".353\" fill-rule=\"evenodd\" d=\"m1 1h2v2h-2z\"/>") !=
          std::string::npos);
    CHECK(s.find("<path fill=\"#f00\" d=\"m5 5h1v1h-1z\"/>") != std::string::npos);  // opacity 1: not written
    CHECK(s.find("fill-opacity=\".5\"") != std::string::npos);
    const auto clip = s.find("<clipPath id=\"a\"><path clip-rule=\"evenodd\" d=\"m0 0h4v4h-4z\"/></clipPath>");
    const auto group = s.find("<g clip-path=\"url(#a)\">");
    REQUIRE(clip != std::string::npos);
    REQUIRE(group != std::string::npos);
    CHECK(clip < group);
    CHECK(group < s.find("<path fill=\"#000\""));
    CHECK(s.find("</g>\n</svg>") != std::string::npos);
    CHECK(doc.paths() == 3);
    doc.clip("");  // removes the clip
    CHECK(doc.str().find("clip") == std::string::npos);
}

TEST_CASE("document: bad opacity and clip data are rejected by name") {
    vecta::svg::document doc(4, 4);
    CHECK_THROWS_WITH_AS(doc.add_path("m0 0h1", {0, 0, 0}, {.opacity = 1.5}), doctest::Contains("style"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(doc.add_path("m0 0h1", {0, 0, 0}, {.opacity = -0.1}), doctest::Contains("style"),
                         vecta::invalid_argument);
    CHECK_THROWS_WITH_AS(doc.clip("m0 0\"/><script"), doctest::Contains("d"), vecta::invalid_argument);
}
