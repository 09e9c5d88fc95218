# SPDX-License-Identifier: MIT
# VECTA_RUNTIME_DISPATCH: the vecta::dispatch library (include/vecta/similarity/dispatch.hpp), the
# one compiled part of vecta. The similarity kernels are compiled once per instruction set in
# src/dispatch/arch_*.cpp (per-file flags) and xsimd::dispatch picks one at run time, so a build
# for the x86-64 baseline runs AVX2 or AVX-512 code where the CPU has it.
if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" OR NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  message(FATAL_ERROR "VECTA_RUNTIME_DISPATCH needs an x86-64 target and GCC or Clang")
endif()
set(_vecta_dispatch_dir ${PROJECT_SOURCE_DIR}/src/dispatch)
add_library(vecta_dispatch STATIC
  ${_vecta_dispatch_dir}/dispatch.cpp
  ${_vecta_dispatch_dir}/arch_sse4_2.cpp
  ${_vecta_dispatch_dir}/arch_avx2.cpp
  ${_vecta_dispatch_dir}/arch_avx512.cpp)
add_library(vecta::dispatch ALIAS vecta_dispatch)
set_target_properties(vecta_dispatch PROPERTIES EXPORT_NAME dispatch POSITION_INDEPENDENT_CODE ON)
target_link_libraries(vecta_dispatch PUBLIC vecta)
target_compile_options(vecta_dispatch PRIVATE -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion)
# Each file gets exactly its instruction set, whatever CMAKE_CXX_FLAGS says (-march=native
# included): the -mno-* options switch off the wider sets.
set_source_files_properties(${_vecta_dispatch_dir}/arch_sse4_2.cpp PROPERTIES COMPILE_OPTIONS "-msse4.2;-mno-avx")
set_source_files_properties(${_vecta_dispatch_dir}/arch_avx2.cpp PROPERTIES COMPILE_OPTIONS
  "-mavx2;-mfma;-mno-avx512f")
set(_vecta_avx512_flags -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND _vecta_avx512_flags -Wno-maybe-uninitialized -Wno-uninitialized)  # GCC PR 105593
endif()
set_source_files_properties(${_vecta_dispatch_dir}/arch_avx512.cpp PROPERTIES COMPILE_OPTIONS "${_vecta_avx512_flags}")
if(VECTA_INSTALL)
  install(TARGETS vecta_dispatch EXPORT vectaTargets)
endif()
message(STATUS "vecta: runtime dispatch library vecta::dispatch (SSE4.2, AVX2, AVX-512)")
