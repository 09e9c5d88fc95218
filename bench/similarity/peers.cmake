# SPDX-License-Identifier: MIT
# Peers of bench_similarity (W5): OpenBLAS cblas_sgemm (Debian libopenblas-dev, pthread build),
# Eigen's product (already a vecta dependency) and FAISS IndexFlatIP (libfaiss-dev, a static
# library whose CMake package needs OpenMP and BLAS; with libopenblas-dev installed the
# libblas.so.3 alternative FAISS links points at OpenBLAS too).
find_path(VECTA_OPENBLAS_INCLUDE_DIR cblas.h PATHS /usr/include/x86_64-linux-gnu/openblas-pthread
          PATH_SUFFIXES openblas-pthread openblas NO_DEFAULT_PATH)
find_path(VECTA_OPENBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas-pthread openblas)
find_library(VECTA_OPENBLAS_LIBRARY openblas)
if(VECTA_OPENBLAS_INCLUDE_DIR AND VECTA_OPENBLAS_LIBRARY)
  target_include_directories(bench_similarity SYSTEM PRIVATE ${VECTA_OPENBLAS_INCLUDE_DIR})
  target_link_libraries(bench_similarity PRIVATE ${VECTA_OPENBLAS_LIBRARY})
  target_compile_definitions(bench_similarity PRIVATE VECTA_BENCH_HAVE_OPENBLAS=1)
else()
  message(STATUS "vecta bench: OpenBLAS not found (apt-get install libopenblas-dev); W5/*/openblas skipped")
endif()
find_package(OpenMP COMPONENTS CXX)
find_package(faiss QUIET)
if(faiss_FOUND AND OpenMP_CXX_FOUND)
  target_link_libraries(bench_similarity PRIVATE faiss OpenMP::OpenMP_CXX)
  target_compile_definitions(bench_similarity PRIVATE VECTA_BENCH_HAVE_FAISS=1)
else()
  message(STATUS "vecta bench: FAISS not found (apt-get install libfaiss-dev); W5/*/faiss skipped")
endif()
# GCC 12 false positives inside its AVX-512 intrinsics (PR 105593) under -march=native.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(bench_similarity PRIVATE -Wno-uninitialized -Wno-maybe-uninitialized)
endif()
