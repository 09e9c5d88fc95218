# SPDX-License-Identifier: MIT
# imgproc tests compare with OpenCV (libopencv-dev) when it is installed: Canny on the photo
# corpus, GaussianBlur and Sobel/Scharr pixel for pixel. Without OpenCV those cases are skipped.
find_package(OpenCV QUIET COMPONENTS core imgproc)
if(OpenCV_FOUND)
  target_include_directories(test_imgproc SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
  target_link_libraries(test_imgproc PRIVATE opencv_core opencv_imgproc)
  target_compile_definitions(test_imgproc PRIVATE VECTA_TEST_HAVE_OPENCV=1)
else()
  message(STATUS "vecta tests: OpenCV not found (apt-get install libopencv-dev); imgproc parity cases skipped")
endif()
