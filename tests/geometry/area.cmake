# SPDX-License-Identifier: MIT
# geometry tests compare with OpenCV (libopencv-dev) when it is installed: findContours
# (RETR_LIST / RETR_TREE, CHAIN_APPROX_NONE) on thresholded and Canny edge maps of the photo
# corpus and on random images. Without OpenCV those cases are skipped.
find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
if(OpenCV_FOUND)
  target_include_directories(test_geometry SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
  target_link_libraries(test_geometry PRIVATE opencv_core opencv_imgproc opencv_imgcodecs)
  target_compile_definitions(test_geometry PRIVATE VECTA_TEST_HAVE_OPENCV=1)
else()
  message(STATUS "vecta tests: OpenCV not found (apt-get install libopencv-dev); findContours parity cases skipped")
endif()
