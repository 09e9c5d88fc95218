# SPDX-License-Identifier: MIT
# Optional adapters (include/vecta/adapters/*), each an INTERFACE target on top of vecta::vecta
# that sets its feature macro:
#   vecta::onnx    VECTA_WITH_ONNXRUNTIME=1, ONNX Runtime's headers, libdl (the library is
#                  dlopen'ed at run time: nothing of ONNX Runtime is linked)
#   vecta::opencv  VECTA_WITH_OPENCV=1, opencv_core
#   vecta::cairo   VECTA_WITH_CAIRO=1, cairo (pkg-config)
#   vecta::metal   VECTA_WITH_METAL=1, metal-cpp and the Metal frameworks (macOS only)
# Included from the top-level CMakeLists.txt after the vecta target exists; the options are
# declared there.

# ---- ONNX Runtime --------------------------------------------------------------------------
set(VECTA_ONNXRUNTIME_ROOT "${PROJECT_BINARY_DIR}/_deps/onnxruntime" CACHE PATH
    "ONNX Runtime tree with include/onnxruntime_c_api.h and lib/ (tools/fetch_onnxruntime.sh fills it)")
option(VECTA_FETCH_ONNXRUNTIME "Run tools/fetch_onnxruntime.sh into VECTA_ONNXRUNTIME_ROOT at configure time" ON)
if(VECTA_WITH_ONNXRUNTIME)
  if(VECTA_FETCH_ONNXRUNTIME AND (EXISTS "${VECTA_ONNXRUNTIME_ROOT}/.complete"
                                  OR NOT EXISTS "${VECTA_ONNXRUNTIME_ROOT}/include/onnxruntime_c_api.h"))
    # Only a tree the script manages (its stamp) or an empty one. Idempotent: the stamp makes
    # reruns instant, cached tarballs avoid refetching.
    execute_process(COMMAND bash "${PROJECT_SOURCE_DIR}/tools/fetch_onnxruntime.sh" "${VECTA_ONNXRUNTIME_ROOT}"
                    RESULT_VARIABLE vecta_fetch_rc)
    if(NOT vecta_fetch_rc EQUAL 0)
      message(FATAL_ERROR "tools/fetch_onnxruntime.sh failed (${vecta_fetch_rc}); it needs npm and the npm registry, "
                          "or set VECTA_ONNXRUNTIME_ROOT to an ONNX Runtime tree and -DVECTA_FETCH_ONNXRUNTIME=OFF")
    endif()
  endif()
  if(EXISTS "${VECTA_ONNXRUNTIME_ROOT}/include/onnxruntime_c_api.h")
    set(vecta_ort_include "${VECTA_ONNXRUNTIME_ROOT}/include")
  else()
    # An installed ONNX Runtime (a package manager's, e.g. vcpkg's onnxruntime port).
    find_path(VECTA_ONNXRUNTIME_INCLUDE_DIR onnxruntime_c_api.h PATH_SUFFIXES onnxruntime onnxruntime/core/session)
    if(NOT VECTA_ONNXRUNTIME_INCLUDE_DIR)
      message(FATAL_ERROR "VECTA_WITH_ONNXRUNTIME: onnxruntime_c_api.h is neither in VECTA_ONNXRUNTIME_ROOT="
                          "${VECTA_ONNXRUNTIME_ROOT}/include nor on the include path")
    endif()
    set(vecta_ort_include "${VECTA_ONNXRUNTIME_INCLUDE_DIR}")
  endif()
  if(APPLE)
    set(VECTA_ONNXRUNTIME_LIBRARY "${VECTA_ONNXRUNTIME_ROOT}/lib/libonnxruntime.dylib")
  else()
    set(VECTA_ONNXRUNTIME_LIBRARY "${VECTA_ONNXRUNTIME_ROOT}/lib/libonnxruntime.so.1")
  endif()
  add_library(vecta_onnx INTERFACE)
  add_library(vecta::onnx ALIAS vecta_onnx)
  set_target_properties(vecta_onnx PROPERTIES EXPORT_NAME onnx)
  target_link_libraries(vecta_onnx INTERFACE vecta ${CMAKE_DL_LIBS})
  target_compile_definitions(vecta_onnx INTERFACE VECTA_WITH_ONNXRUNTIME=1
    $<BUILD_INTERFACE:VECTA_ONNXRUNTIME_DEFAULT_LIBRARY="${VECTA_ONNXRUNTIME_LIBRARY}">)
  target_include_directories(vecta_onnx SYSTEM INTERFACE $<BUILD_INTERFACE:${vecta_ort_include}>)
  if(VECTA_INSTALL)
    # Installed: the macro and libdl; vectaConfig.cmake adds ONNX Runtime's headers when it finds
    # them (CMAKE_PREFIX_PATH), else the user puts them on the include path.
    install(TARGETS vecta_onnx EXPORT vectaTargets)
  endif()
  message(STATUS "vecta: ONNX Runtime adapter ON (headers in ${vecta_ort_include})")
endif()

# ---- OpenCV --------------------------------------------------------------------------------
if(VECTA_WITH_OPENCV)
  find_package(OpenCV REQUIRED COMPONENTS core)
  add_library(vecta_opencv INTERFACE)
  add_library(vecta::opencv ALIAS vecta_opencv)
  set_target_properties(vecta_opencv PROPERTIES EXPORT_NAME opencv)
  target_link_libraries(vecta_opencv INTERFACE vecta opencv_core)
  target_compile_definitions(vecta_opencv INTERFACE VECTA_WITH_OPENCV=1)
  if(VECTA_INSTALL)
    install(TARGETS vecta_opencv EXPORT vectaTargets)
  endif()
  message(STATUS "vecta: OpenCV adapter ON (OpenCV ${OpenCV_VERSION})")
endif()

# ---- cairo (PDF and EPS output) ------------------------------------------------------------
if(VECTA_WITH_CAIRO)
  if(NOT VECTA_CAIRO_FOUND)
    message(FATAL_ERROR "VECTA_WITH_CAIRO is ON but pkg-config did not find cairo: install it (Debian: "
                        "libcairo2-dev, tools/bootstrap.sh does) or configure with -DVECTA_WITH_CAIRO=OFF")
  endif()
  add_library(vecta_cairo INTERFACE)
  add_library(vecta::cairo ALIAS vecta_cairo)
  set_target_properties(vecta_cairo PROPERTIES EXPORT_NAME cairo)
  # Installed: the macro, and vectaConfig.cmake links cairo when pkg-config finds it.
  target_link_libraries(vecta_cairo INTERFACE vecta $<BUILD_INTERFACE:PkgConfig::VECTA_CAIRO>)
  target_compile_definitions(vecta_cairo INTERFACE VECTA_WITH_CAIRO=1)
  if(VECTA_INSTALL)
    install(TARGETS vecta_cairo EXPORT vectaTargets)
  endif()
  message(STATUS "vecta: cairo adapter ON (cairo ${VECTA_CAIRO_VERSION})")
endif()

# ---- Metal (macOS) -------------------------------------------------------------------------
option(VECTA_WITH_METAL "Metal compute kernels (macOS only; needs Apple's metal-cpp)" OFF)
set(VECTA_METAL_CPP_DIR "" CACHE PATH "Apple metal-cpp folder (contains Metal/Metal.hpp)")
if(VECTA_WITH_METAL)
  if(NOT APPLE)
    message(FATAL_ERROR "VECTA_WITH_METAL needs macOS (Metal is Apple only)")
  endif()
  find_path(VECTA_METAL_CPP_INCLUDE_DIR Metal/Metal.hpp HINTS "${VECTA_METAL_CPP_DIR}" REQUIRED)
  find_library(VECTA_METAL_FRAMEWORK Metal REQUIRED)
  find_library(VECTA_FOUNDATION_FRAMEWORK Foundation REQUIRED)
  find_library(VECTA_QUARTZCORE_FRAMEWORK QuartzCore REQUIRED)
  add_library(vecta_metal INTERFACE)
  add_library(vecta::metal ALIAS vecta_metal)
  target_link_libraries(vecta_metal INTERFACE vecta ${VECTA_METAL_FRAMEWORK} ${VECTA_FOUNDATION_FRAMEWORK}
                                              ${VECTA_QUARTZCORE_FRAMEWORK})
  target_include_directories(vecta_metal SYSTEM INTERFACE "${VECTA_METAL_CPP_INCLUDE_DIR}")
  target_compile_definitions(vecta_metal INTERFACE VECTA_WITH_METAL=1)
  message(STATUS "vecta: Metal adapter ON (metal-cpp in ${VECTA_METAL_CPP_INCLUDE_DIR})")
endif()
