# SPDX-License-Identifier: MIT
# vcpkg port of vecta (header-only). Used as an overlay port from this repository:
#   vcpkg install vecta[tbb,opencv] --overlay-ports=<vecta>/ports
# The steps are the ones tools/test.sh runs for its find_package consumer test: configure with
# the options below, `cmake --install`, and the exported vectaConfig.cmake in share/vecta.
# For a registry port, replace SOURCE_PATH with vcpkg_from_github(OUT_SOURCE_PATH SOURCE_PATH
# REPO <owner>/vecta REF v${VERSION} SHA512 <sha512>).
set(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../..")
set(VCPKG_BUILD_TYPE release)  # header-only: one configuration

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    tbb          VECTA_WITH_TBB
    onnxruntime  VECTA_WITH_ONNXRUNTIME
    opencv       VECTA_WITH_OPENCV
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DVECTA_BUILD_TESTS=OFF
    -DVECTA_BUILD_BENCH=OFF
    -DVECTA_BUILD_EXAMPLES=OFF
    -DVECTA_BUILD_CLI=OFF
    -DVECTA_INSTALL=ON
    -DVECTA_FETCH_ONNXRUNTIME=OFF   # ONNX Runtime's headers come from vcpkg's onnxruntime port
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/vecta)
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/lib" "${CURRENT_PACKAGES_DIR}/debug")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE" "${SOURCE_PATH}/NOTICE")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
