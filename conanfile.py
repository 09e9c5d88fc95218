# SPDX-License-Identifier: MIT
"""Conan 2 recipe for vecta (header-only).

    conan create . -o "vecta/*:with_opencv=True"          # package it into the local cache
    conan install --requires=vecta/0.1.0 -g CMakeDeps -g CMakeToolchain

Consumers use find_package(vecta CONFIG REQUIRED) and the targets vecta::vecta, vecta::onnx
(with_onnxruntime) and vecta::opencv (with_opencv), as with vcpkg and `cmake --install`.
The options mirror the CMake options VECTA_WITH_TBB / VECTA_WITH_ONNXRUNTIME / VECTA_WITH_OPENCV.
The package is headers only: nothing is built, so the `vecta` command (VECTA_BUILD_CLI) is not in it.
"""
from conan import ConanFile
from conan.tools.files import copy
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class VectaConan(ConanFile):
    name = "vecta"
    version = "0.1.0"
    description = "Header-only C++20 kernels for image vectorization, similarity and streaming structures"
    license = "MIT"
    topics = ("image-processing", "vectorization", "simd", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "with_tbb": [True, False],
        "with_onnxruntime": [True, False],
        "with_opencv": [True, False],
    }
    default_options = {
        "with_tbb": True,
        "with_onnxruntime": False,
        "with_opencv": False,
    }
    exports_sources = "include/*", "LICENSE*", "NOTICE"
    no_copy_source = True

    def layout(self):
        basic_layout(self, src_folder=".")

    def requirements(self):
        # vecta is written against the xsimd 8 API (Debian 12 ships 8.1).
        self.requires("xsimd/[>=8.1 <9]")
        self.requires("eigen/3.4.0")
        self.requires("stb/cci.20230920")
        self.requires("xxhash/[>=0.8.1 <0.9]")  # XXH3 of content_hash, used header-only
        if self.options.with_tbb:
            self.requires("onetbb/[>=2021.5 <2023]")
        if self.options.with_opencv:
            self.requires("opencv/[>=4.5 <5]")
        if self.options.with_onnxruntime:
            # Only the C header is used at build time; the library is dlopen'ed at run time.
            self.requires("onnxruntime/[>=1.16 <2]")

    def validate(self):
        from conan.tools.build import check_min_cppstd
        from conan.errors import ConanInvalidConfiguration

        check_min_cppstd(self, 20)
        if self.options.with_onnxruntime and self.settings.os == "Windows":
            raise ConanInvalidConfiguration("vecta's ONNX Runtime adapter loads the library with dlopen (POSIX only)")

    def package_id(self):
        self.info.clear()

    def package(self):
        copy(self, "LICENSE*", self.source_folder, f"{self.package_folder}/licenses")
        copy(self, "NOTICE", self.source_folder, f"{self.package_folder}/licenses")
        copy(self, "*.hpp", f"{self.source_folder}/include", f"{self.package_folder}/include")

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "vecta")
        self.cpp_info.set_property("cmake_target_name", "vecta::vecta_all")
        fp_contract = ["-ffp-contract=off"] if str(self.settings.compiler) in ("gcc", "clang", "apple-clang") else []

        core = self.cpp_info.components["vecta"]
        core.set_property("cmake_target_name", "vecta::vecta")
        core.bindirs = []
        core.libdirs = []
        # stb's headers are included as <stb_image.h>.
        core.requires = ["xsimd::xsimd", "eigen::eigen", "stb::stb", "xxhash::xxhash"]
        core.cxxflags = fp_contract  # SIMD and scalar paths round identically (as the CMake target)
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread"]
        if self.options.with_tbb:
            core.requires.append("onetbb::libtbb")
            core.defines = ["VECTA_WITH_TBB=1"]

        if self.options.with_onnxruntime:
            onnx = self.cpp_info.components["onnx"]
            onnx.set_property("cmake_target_name", "vecta::onnx")
            onnx.bindirs = []
            onnx.libdirs = []
            onnx.requires = ["vecta", "onnxruntime::onnxruntime"]
            onnx.defines = ["VECTA_WITH_ONNXRUNTIME=1"]
            if self.settings.os in ("Linux", "FreeBSD"):
                onnx.system_libs = ["dl"]

        if self.options.with_opencv:
            cv = self.cpp_info.components["opencv"]
            cv.set_property("cmake_target_name", "vecta::opencv")
            cv.bindirs = []
            cv.libdirs = []
            cv.requires = ["vecta", "opencv::opencv_core"]
            cv.defines = ["VECTA_WITH_OPENCV=1"]
