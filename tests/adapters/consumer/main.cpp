// SPDX-License-Identifier: MIT
// Uses vecta::opencv and vecta::onnx from an installed vecta; argv[1] is an .onnx model mapping
// [1,1,H,W] to [1,C,H,W] (tests/adapters/make_models.py's sobel_xy.onnx).
#include <cstdio>
#include <opencv2/core.hpp>
#include <vecta/adapters/onnx.hpp>
#include <vecta/adapters/opencv.hpp>
#include <vecta/imgproc/sobel.hpp>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    cv::Mat gray(48, 64, CV_8UC1);
    cv::randu(gray, 0, 256);
    const auto view = vecta::opencv::to_view<std::uint8_t>(std::as_const(gray));
    const vecta::onnx::model model(argv[1], {.scale = 1.0f});
    const auto out = model.run(vecta::par, view);
    vecta::image<std::int16_t> dx(64, 48), dy(64, 48);
    vecta::sobel(view, dx.view(), dy.view());
    for (std::size_t y = 0; y < 48; ++y)
        for (std::size_t x = 0; x < 64; ++x)
            if (out(x, y, 0) != dx(x, y) || out(x, y, 1) != dy(x, y)) return 1;
    std::printf("adapters consumer: ONNX Runtime %s, Sobel on a cv::Mat equal\n", model.runtime_version().c_str());
    return 0;
}
