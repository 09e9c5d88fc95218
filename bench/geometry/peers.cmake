# SPDX-License-Identifier: MIT
# Peers of bench_geometry (W3): OpenCV findContours / approxPolyDP / Canny (libopencv-dev) and
# Boost.Geometry simplify (libboost-dev, header-only).
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(Boost REQUIRED)
target_include_directories(bench_geometry SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS} ${Boost_INCLUDE_DIRS})
target_link_libraries(bench_geometry PRIVATE opencv_core opencv_imgproc opencv_imgcodecs)
