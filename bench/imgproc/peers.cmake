# SPDX-License-Identifier: MIT
# Peer of bench_imgproc (W2 edges): OpenCV (libopencv-dev) GaussianBlur, spatialGradient/Sobel,
# magnitude and Canny, measured in the same run as vecta.
find_package(OpenCV REQUIRED COMPONENTS core imgproc)
target_include_directories(bench_imgproc SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(bench_imgproc PRIVATE opencv_core opencv_imgproc)
