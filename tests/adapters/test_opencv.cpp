// SPDX-License-Identifier: MIT
// vecta/adapters/opencv.hpp: zero-copy views of cv::Mat, checked against OpenCV's own accessors
// and cv::Sobel run on the same pixels.
#include <doctest/doctest.h>

#include <cstdint>
#include <vecta/adapters/opencv.hpp>
#include <vecta/imgproc/sobel.hpp>

#include "test_support.hpp"

#if VECTA_WITH_OPENCV

#include <opencv2/imgproc.hpp>

TEST_CASE("opencv: to_view shares the Mat's pixels (whole Mat and ROI)") {
    cv::Mat m(7, 11, CV_8UC3);
    cv::randu(m, 0, 256);
    const auto v = vecta::opencv::to_view<std::uint8_t>(std::as_const(m));
    CHECK(static_cast<const void*>(v.data()) == static_cast<const void*>(m.data));
    CHECK(v.width() == 11);
    CHECK(v.height() == 7);
    CHECK(v.channels() == 3);
    CHECK(v.stride() == 33);
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 11; ++x)
            for (int c = 0; c < 3; ++c)
                CHECK(v(std::size_t(x), std::size_t(y), std::size_t(c)) == m.at<cv::Vec3b>(y, x)[c]);
    // A region of interest: a strided view.
    cv::Mat roi = m(cv::Rect(2, 1, 5, 4));
    auto rv = vecta::opencv::to_view<std::uint8_t>(roi);
    CHECK(rv.stride() == 33);
    CHECK(rv.width() == 5);
    CHECK(static_cast<void*>(rv.data()) == static_cast<void*>(roi.data));
    rv(0, 0, 1) = 42;  // writes through to the Mat
    CHECK(m.at<cv::Vec3b>(1, 2)[1] == 42);
    // float Mat with a padded step (a ROI of a wider Mat).
    cv::Mat f(5, 9, CV_32FC1, cv::Scalar(0.25f));
    const auto fv = vecta::opencv::to_view<float>(std::as_const(f)(cv::Rect(1, 1, 4, 3)));
    CHECK(fv.stride() == 9);
    CHECK(fv(3, 2) == 0.25f);
    CHECK(vecta::opencv::to_view<float>(cv::Mat()).empty());
}

TEST_CASE("opencv: vecta::sobel on a Mat view equals cv::Sobel, and to_mat feeds OpenCV without a copy") {
    const auto src = vecta_test::random_image(40, 23, 1, 4);
    const cv::Mat msrc = vecta::opencv::to_mat(src.view());
    CHECK(static_cast<const void*>(msrc.data) == static_cast<const void*>(src.data()));
    CHECK(msrc.type() == CV_8UC1);
    cv::Mat cdx, cdy;
    cv::Sobel(msrc, cdx, CV_16S, 1, 0, 3);
    cv::Sobel(msrc, cdy, CV_16S, 0, 1, 3);
    // vecta writes into Mats allocated by OpenCV.
    cv::Mat vdx(23, 40, CV_16SC1), vdy(23, 40, CV_16SC1);
    vecta::sobel(vecta::opencv::to_view<std::uint8_t>(msrc), vecta::opencv::to_view<std::int16_t>(vdx),
                 vecta::opencv::to_view<std::int16_t>(vdy));
    CHECK(cv::countNonZero(cdx != vdx) == 0);
    CHECK(cv::countNonZero(cdy != vdy) == 0);
    // A strided vecta view becomes a Mat with the matching step.
    const vecta::image_view<const std::uint8_t> sub(src.data() + 40 + 3, 30, 20, 1, 40);
    const cv::Mat msub = vecta::opencv::to_mat(sub);
    CHECK(msub.step[0] == 40);
    CHECK(msub.at<std::uint8_t>(2, 5) == sub(5, 2));
    vecta::image<float> multi(6, 4, 5, 1.5f);
    const cv::Mat mm = vecta::opencv::to_mat(multi);
    CHECK(mm.type() == CV_MAKETYPE(CV_32F, 5));
    CHECK(mm.step[0] == 6 * 5 * sizeof(float));
    CHECK(vecta::opencv::to_mat(vecta::image_view<float>{}).empty());
}

TEST_CASE("opencv: argument errors") {
    cv::Mat m16(3, 3, CV_16UC1);
    CHECK_THROWS_WITH_AS(vecta::opencv::to_view<std::uint8_t>(m16), doctest::Contains("mat must have depth 0"),
                         vecta::invalid_argument);
    const int sizes[3] = {2, 3, 4};
    cv::Mat cube(3, sizes, CV_8UC1);
    CHECK_THROWS_WITH_AS(vecta::opencv::to_view<std::uint8_t>(cube), doctest::Contains("mat must be 2-dimensional"),
                         vecta::invalid_argument);
    std::vector<float> many(2 * 600);
    const vecta::image_view<float> wide(many.data(), 2, 1, 600);
    CHECK_THROWS_WITH_AS(vecta::opencv::to_mat(wide), doctest::Contains("view must have at most 512 channels"),
                         vecta::invalid_argument);
}

#else

TEST_CASE("opencv adapter") { MESSAGE("skipped: built without VECTA_WITH_OPENCV (-DVECTA_WITH_OPENCV=ON)"); }

#endif
