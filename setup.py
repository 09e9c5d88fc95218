# SPDX-License-Identifier: MIT
"""pip's build step for the vecta Python package: setuptools with a build_ext that drives CMake.

`pip install --no-build-isolation .` (or `python -m build --no-isolation`) configures the
project's CMake with -DVECTA_BUILD_PYTHON=ON, builds only the target vecta_python (the
extension vecta._core, python/src/*.cpp) and copies it into the package python/vecta/. The
stubs python/vecta.pyi are installed as vecta/__init__.pyi with py.typed (PEP 561). Image bytes go
through the system codec libraries (src/codecs: libpng, libdeflate, libjpeg-turbo, libwebp, libtiff;
Debian libpng-dev libdeflate-dev libjpeg-dev libwebp-dev libtiff-dev), found by CMake through
pkg-config. The version
is project(vecta VERSION x.y.z) of CMakeLists.txt. Environment:
  VECTA_CMAKE_BUILD_DIR   CMake build folder to use (and reuse); default build/temp.*/cmake
  VECTA_CMAKE_ARGS        extra CMake arguments, e.g. "-DVECTA_PYTHON_OPT_FLAGS=-march=native"
  CMAKE_BUILD_PARALLEL_LEVEL  compile jobs (default: the CPU count)
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = pathlib.Path(__file__).resolve().parent


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    m = re.search(r"project\(\s*vecta\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)", text)
    if not m:
        raise RuntimeError("CMakeLists.txt: project(vecta VERSION ...) not found")
    return m.group(1)


class CMakeBuild(build_ext):
    """Builds vecta._core with the project's CMake (target vecta_python) instead of compiling sources."""

    def build_extension(self, ext):
        dest = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        bdir = pathlib.Path(os.environ.get("VECTA_CMAKE_BUILD_DIR") or pathlib.Path(self.build_temp).resolve() / "cmake")
        cfg = ["cmake", "-S", str(ROOT), "-B", str(bdir), "-DCMAKE_BUILD_TYPE=Release", "-DVECTA_BUILD_PYTHON=ON",
               "-DVECTA_BUILD_TESTS=OFF", "-DVECTA_BUILD_BENCH=OFF", "-DVECTA_BUILD_EXAMPLES=OFF",
               "-DVECTA_BUILD_CLI=OFF", "-DVECTA_INSTALL=OFF", f"-DPython3_EXECUTABLE={sys.executable}"]
        cfg += shlex.split(os.environ.get("VECTA_CMAKE_ARGS", ""))
        missing = [m for m in ("libpng", "libdeflate", "libjpeg", "libwebp", "libtiff-4")
                   if shutil.which("pkg-config") and subprocess.run(["pkg-config", "--exists", m]).returncode != 0]
        if missing:  # a clear message before CMake's
            raise RuntimeError("vecta needs the codec libraries' development files: pkg-config does not find "
                               + ", ".join(missing) + " (Debian: apt-get install libpng-dev libdeflate-dev libjpeg-dev libwebp-dev libtiff-dev)")
        subprocess.run(cfg, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(bdir), "--target", "vecta_python", "-j", jobs], check=True)
        built = sorted((bdir / "python" / "vecta").glob("_core*.so")) + sorted((bdir / "python" / "vecta").glob("_core*.pyd"))
        if not built:
            raise RuntimeError(f"vecta_python built no _core extension in {bdir / 'python' / 'vecta'}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], dest)


class BuildPyWithStubs(build_py):
    """Adds the stubs python/vecta.pyi to the package as vecta/__init__.pyi (one source for both builds)."""

    def run(self):
        super().run()
        out = pathlib.Path(self.build_lib) / "vecta" / "__init__.pyi"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "python" / "vecta.pyi", out)


setup(version=project_version(),
      ext_modules=[Extension("vecta._core", sources=[])],
      cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithStubs})
