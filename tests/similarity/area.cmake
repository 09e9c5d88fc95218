# SPDX-License-Identifier: MIT
# GCC 12 reports -Wuninitialized / -Wmaybe-uninitialized inside its own AVX-512 intrinsics
# (_mm512_undefined_*, GCC PR 105593, fixed in GCC 13) when Eigen's GEMM kernel and xsimd's hadd
# are built with -march=native; the warnings point into avx512fintrin.h, not at vecta code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(test_similarity PRIVATE -Wno-uninitialized -Wno-maybe-uninitialized)
endif()
# VECTA_RUNTIME_DISPATCH: test_dispatch.cpp checks vecta::dispatch against the scalar kernels.
if(TARGET vecta_dispatch)
  target_link_libraries(test_similarity PRIVATE vecta::dispatch)
  target_compile_definitions(test_similarity PRIVATE VECTA_TEST_DISPATCH=1)
endif()
