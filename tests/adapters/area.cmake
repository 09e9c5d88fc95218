# SPDX-License-Identifier: MIT
# Adapters area: the ONNX Runtime and OpenCV adapters when their options are ON, and a check
# that vecta/adapters/metal.hpp is empty without VECTA_WITH_METAL and an #error with it off Apple.
set(adapters_dir ${CMAKE_CURRENT_SOURCE_DIR}/adapters)

if(TARGET vecta_onnx)
  # Test models are generated at build time with Debian's python3-onnx.
  set(VECTA_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with the onnx module (Debian: python3-onnx)")
  execute_process(COMMAND ${VECTA_PYTHON} -c "import onnx" RESULT_VARIABLE vecta_onnx_py OUTPUT_QUIET ERROR_QUIET)
  if(NOT vecta_onnx_py EQUAL 0)
    message(FATAL_ERROR "VECTA_WITH_ONNXRUNTIME tests need ${VECTA_PYTHON} with the onnx module "
                        "(apt-get install python3-onnx) or -DVECTA_PYTHON=...")
  endif()
  set(models ${CMAKE_CURRENT_BINARY_DIR}/onnx_models)
  add_custom_command(OUTPUT ${models}/models.stamp
    COMMAND ${VECTA_PYTHON} ${adapters_dir}/make_models.py ${models}
    DEPENDS ${adapters_dir}/make_models.py
    COMMENT "Generating the ONNX test models")
  add_custom_target(vecta_onnx_test_models DEPENDS ${models}/models.stamp)
  add_dependencies(test_adapters vecta_onnx_test_models)
  target_link_libraries(test_adapters PRIVATE vecta_onnx)
  target_compile_definitions(test_adapters PRIVATE VECTA_TEST_ONNX_MODELS="${models}")
  if(VECTA_SANITIZE MATCHES "address")
    set_tests_properties(adapters PROPERTIES ENVIRONMENT "LSAN_OPTIONS=suppressions=${adapters_dir}/lsan.supp")
  endif()
endif()

if(TARGET vecta_opencv)
  target_link_libraries(test_adapters PRIVATE vecta_opencv opencv_imgproc)  # cv::Sobel as the reference
endif()

if(TARGET vecta_cairo)  # PDF/EPS rendered back by pdftoppm and gs (tests/adapters/test_cairo.cpp)
  target_link_libraries(test_adapters PRIVATE vecta_cairo)
endif()

if(TARGET vecta_metal)
  target_link_libraries(test_adapters PRIVATE vecta_metal)
endif()

if(NOT APPLE)
  add_test(NAME adapters_metal_guard
    COMMAND ${CMAKE_COMMAND} -DCXX=${CMAKE_CXX_COMPILER} -DINCLUDE=${PROJECT_SOURCE_DIR}/include
            -DSRC=${adapters_dir}/metal_guard/metal_guard.cpp -DOUT=${CMAKE_CURRENT_BINARY_DIR}/metal_guard
            -P ${adapters_dir}/metal_guard/metal_guard.cmake)
endif()
