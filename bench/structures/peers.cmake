# SPDX-License-Identifier: MIT
# Peers of the structures benches: libbloom (Debian libbloom-dev: /usr/include/bloom.h, -lbloom).
find_path(VECTA_LIBBLOOM_INCLUDE_DIR bloom.h)
find_library(VECTA_LIBBLOOM_LIBRARY bloom)
if(VECTA_LIBBLOOM_INCLUDE_DIR AND VECTA_LIBBLOOM_LIBRARY)
  target_include_directories(bench_structures SYSTEM PRIVATE ${VECTA_LIBBLOOM_INCLUDE_DIR})
  target_link_libraries(bench_structures PRIVATE ${VECTA_LIBBLOOM_LIBRARY})
  target_compile_definitions(bench_structures PRIVATE VECTA_BENCH_HAVE_LIBBLOOM=1)
else()
  message(STATUS "vecta bench: libbloom not found (apt-get install libbloom-dev); W6/*/libbloom skipped")
endif()
