# SPDX-License-Identifier: MIT
# Peers of bench_color (W1): OpenCV cv::kmeans (libopencv-dev), FAISS Clustering (libfaiss-dev, a
# static library whose CMake package needs OpenMP and the reference BLAS/LAPACK), libimagequant
# (libimagequant-dev, no CMake or pkg-config file: found by name).
find_package(OpenCV REQUIRED COMPONENTS core)
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(faiss REQUIRED)
find_library(VECTA_IMAGEQUANT_LIBRARY imagequant REQUIRED)
find_path(VECTA_IMAGEQUANT_INCLUDE_DIR libimagequant.h REQUIRED)
target_include_directories(bench_color SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS} ${VECTA_IMAGEQUANT_INCLUDE_DIR})
target_link_libraries(bench_color PRIVATE opencv_core faiss OpenMP::OpenMP_CXX ${VECTA_IMAGEQUANT_LIBRARY})
