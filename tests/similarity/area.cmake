# SPDX-License-Identifier: MIT
# GCC 12 reports -Wuninitialized / -Wmaybe-uninitialized inside its own AVX-512 intrinsics
# (_mm512_undefined_*, GCC PR 105593, fixed in GCC 13) when xsimd's hadd
# is built with -march=native; the warnings point into avx512fintrin.h, not at vecta code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(test_similarity PRIVATE -Wno-uninitialized -Wno-maybe-uninitialized)
endif()
