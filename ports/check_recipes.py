#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Offline checks of the packaging recipes (neither vcpkg nor Conan is installable here).

usage: /usr/bin/python3 ports/check_recipes.py

* ports/vecta/vcpkg.json: valid JSON with the manifest fields vcpkg requires (name, version,
  dependencies, features), the features tbb / onnxruntime / opencv, and the same version as
  the top-level CMakeLists.txt;
* ports/vecta/portfile.cmake: maps each feature to its VECTA_WITH_* option, turns tests,
  benches and examples off, and uses only the configure + install steps tools/test.sh tests;
* conanfile.py: compiles, and with a stub of the `conan` package (the real one is absent)
  its requirements() and package_info() run for every option combination, giving the targets
  vecta::vecta / vecta::onnx / vecta::opencv and the feature macros.
Exit status 1 with a message on the first failed check.
"""
import itertools
import json
import pathlib
import py_compile
import re
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parent.parent
FEATURES = {"tbb": "VECTA_WITH_TBB", "onnxruntime": "VECTA_WITH_ONNXRUNTIME", "opencv": "VECTA_WITH_OPENCV"}


def fail(msg):
    print(f"check_recipes: {msg}", file=sys.stderr)
    sys.exit(1)


def check_vcpkg():
    manifest = json.loads((ROOT / "ports/vecta/vcpkg.json").read_text())
    for key in ("name", "version", "description", "dependencies", "features"):
        if key not in manifest:
            fail(f"vcpkg.json has no '{key}'")
    if manifest["name"] != "vecta" or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", manifest["name"]):
        fail("vcpkg.json: name must be 'vecta'")
    cmake_version = re.search(r"project\(vecta VERSION (\S+)", (ROOT / "CMakeLists.txt").read_text()).group(1)
    if manifest["version"] != cmake_version:
        fail(f"vcpkg.json version {manifest['version']} != CMakeLists.txt version {cmake_version}")
    if manifest.get("license") != "MIT":
        fail("vcpkg.json must declare license MIT")
    if not (ROOT / "LICENSE").is_file() or "MIT License" not in (ROOT / "LICENSE").read_text():
        fail("LICENSE (MIT) missing at the top level")
    if set(manifest["features"]) != set(FEATURES):
        fail(f"vcpkg.json features {sorted(manifest['features'])} != {sorted(FEATURES)}")
    for name, feature in manifest["features"].items():
        if "description" not in feature or not feature.get("dependencies"):
            fail(f"vcpkg.json feature {name} needs a description and dependencies")
    deps = {d if isinstance(d, str) else d["name"] for d in manifest["dependencies"]}
    for needed in ("xsimd", "eigen3", "stb", "vcpkg-cmake", "vcpkg-cmake-config"):
        if needed not in deps:
            fail(f"vcpkg.json does not depend on {needed}")
    portfile = (ROOT / "ports/vecta/portfile.cmake").read_text()
    for feature, option in FEATURES.items():
        if not re.search(rf"^\s*{feature}\s+{option}\s*$", portfile, re.M):
            fail(f"portfile.cmake does not map feature {feature} to {option}")
    for option in ("-DVECTA_BUILD_TESTS=OFF", "-DVECTA_BUILD_BENCH=OFF", "-DVECTA_BUILD_EXAMPLES=OFF",
                   "-DVECTA_BUILD_CLI=OFF",
                   "vcpkg_cmake_install()", "vcpkg_cmake_config_fixup(CONFIG_PATH share/cmake/vecta)"):
        if option not in portfile:
            fail(f"portfile.cmake lacks {option}")
    # Every option the portfile passes must exist in the CMake sources.
    cmake_text = (ROOT / "CMakeLists.txt").read_text() + (ROOT / "cmake/vecta_adapters.cmake").read_text()
    for opt in re.findall(r"-D(VECTA_\w+)=", portfile):
        if opt not in cmake_text:
            fail(f"portfile.cmake passes -D{opt}, which CMakeLists.txt does not define")
    print(f"vcpkg.json and portfile.cmake: ok (version {manifest['version']}, features {sorted(manifest['features'])})")


class _Components(dict):
    def __missing__(self, key):
        value = self[key] = _CppInfo()
        return value


class _CppInfo:
    def __init__(self):
        self.properties = {}
        self.components = _Components()
        self.requires, self.defines, self.cxxflags, self.system_libs = [], [], [], []

    def set_property(self, key, value):
        self.properties[key] = value


class _Options(types.SimpleNamespace):
    pass


def _stub_conan():
    conan = types.ModuleType("conan")

    class ConanFile:
        pass

    conan.ConanFile = ConanFile
    tools = types.ModuleType("conan.tools")
    files = types.ModuleType("conan.tools.files")
    files.copy = lambda *a, **k: None
    layout = types.ModuleType("conan.tools.layout")
    layout.basic_layout = lambda *a, **k: None
    build = types.ModuleType("conan.tools.build")
    build.check_min_cppstd = lambda conanfile, version: None
    errors = types.ModuleType("conan.errors")
    errors.ConanInvalidConfiguration = type("ConanInvalidConfiguration", (Exception,), {})
    for name, mod in {"conan": conan, "conan.tools": tools, "conan.tools.files": files,
                      "conan.tools.layout": layout, "conan.tools.build": build, "conan.errors": errors}.items():
        sys.modules[name] = mod


def check_conan():
    path = ROOT / "conanfile.py"
    py_compile.compile(str(path), doraise=True)
    _stub_conan()
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    recipe = namespace["VectaConan"]
    if recipe.name != "vecta" or recipe.package_type != "header-library":
        fail("conanfile.py: name must be vecta and package_type header-library")
    if getattr(recipe, "license", None) != "MIT":
        fail("conanfile.py must declare license = \"MIT\"")
    cmake_version = re.search(r"project\(vecta VERSION (\S+)", (ROOT / "CMakeLists.txt").read_text()).group(1)
    if recipe.version != cmake_version:
        fail(f"conanfile.py version {recipe.version} != CMakeLists.txt version {cmake_version}")
    if set(recipe.options) != {f"with_{f}" for f in FEATURES}:
        fail(f"conanfile.py options {sorted(recipe.options)} != with_{{{','.join(FEATURES)}}}")
    for combo in itertools.product([False, True], repeat=3):
        self = recipe()
        self.options = _Options(**dict(zip(recipe.options, combo)))
        self.settings = types.SimpleNamespace(os="Linux", compiler="gcc")
        requires = []
        self.requires = requires.append
        self.requirements()
        self.cpp_info = _CppInfo()
        self.package_info()
        comps = self.cpp_info.components
        targets = {c.properties.get("cmake_target_name") for c in comps.values()}
        opts = dict(zip(recipe.options, combo))
        want = {"vecta::vecta"} | ({"vecta::onnx"} if opts["with_onnxruntime"] else set()) | (
            {"vecta::opencv"} if opts["with_opencv"] else set())
        if targets != want:
            fail(f"conanfile.py with {opts}: targets {sorted(targets)} != {sorted(want)}")
        defines = [d for c in comps.values() for d in c.defines]
        for opt, macro in (("with_tbb", "VECTA_WITH_TBB=1"), ("with_onnxruntime", "VECTA_WITH_ONNXRUNTIME=1"),
                           ("with_opencv", "VECTA_WITH_OPENCV=1")):
            if (macro in defines) != opts[opt]:
                fail(f"conanfile.py with {opts}: macro {macro} {'missing' if opts[opt] else 'set'}")
        refs = " ".join(requires)
        for opt, ref in (("with_tbb", "onetbb/"), ("with_onnxruntime", "onnxruntime/"), ("with_opencv", "opencv/")):
            if (ref in refs) != opts[opt]:
                fail(f"conanfile.py with {opts}: requirement {ref} {'missing' if opts[opt] else 'present'}")
        if "-ffp-contract=off" not in comps["vecta"].cxxflags:
            fail("conanfile.py: vecta::vecta must carry -ffp-contract=off as the CMake target does")
    print("conanfile.py: ok (compiles; requirements and package_info for all 8 option combinations)")


if __name__ == "__main__":
    check_vcpkg()
    check_conan()
