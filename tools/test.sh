#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs every test: one build of everything for the default target under ASan+UBSan
# (every test; the run-time SIMD dispatch runs again capped at each level), the Release command
# as the README builds it with its tests, a fuzz smoke run, TSan on the concurrent code, the
# single-header checks, the find_package consumers and the packaging recipes.
# Usage: tools/test.sh      (VECTA_DATA_DIR=... to point at the shared corpus elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
jobs=${VECTA_JOBS:-2}
total=0
# Runs ctest on a build folder (extra ctest arguments after it) and adds its test count to the total.
run_ctest() {
  local dir=$1; shift
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" "$@"
  total=$((total + $(ctest --test-dir "$dir" -N "$@" | sed -n 's/^Total Tests: //p')))
}
t_start=$SECONDS
t_stage=$SECONDS
# Prints how long the stage that just ended took (the suite aims at well under 15 minutes on 2 cores).
stage_done() { echo "-- $1: $((SECONDS - t_stage)) s (total $((SECONDS - t_start)) s)"; t_stage=$SECONDS; }
data=()
[ -n "${VECTA_DATA_DIR:-}" ] && data=(-DVECTA_DATA_DIR="$VECTA_DATA_DIR")

echo "== One build of everything for the default target (no -march), under ASan + UBSan, and every test"
# One build serves both the sanitizers and the SIMD coverage: the hot kernels pick their level at
# run time (core/cpu.hpp), so the *_simd_{avx2,sse2,scalar} entries run the same binaries capped at
# each level below the CPU's best. Tests, the command, the example ctest runs (frame_monitor) and
# the ONNX Runtime and OpenCV adapters are instrumented; the benches and the other examples are
# only compiled, at -O0 without sanitizers (VECTA_BUILD_ONLY_FLAGS: 4-6x less compile time). The
# Python module is not instrumented (the interpreter does not load the ASan runtime) and runs its
# pytest suite; pip builds it again as a user does, at -O0 (the install path is what it checks).
# VECTA_WITH_ONNXRUNTIME fetches ONNX Runtime from the npm registry into build/check/_deps/onnxruntime
# (tools/fetch_onnxruntime.sh; cached, reruns do not refetch).
ort="$PWD/build/check/_deps/onnxruntime"
cmake -S . -B build/check -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DVECTA_SANITIZE=address,undefined -DVECTA_WITH_ONNXRUNTIME=ON -DVECTA_WITH_OPENCV=ON -DVECTA_BUILD_PYTHON=ON \
  -DVECTA_PYTHON_OPT_FLAGS=-O2 -DVECTA_BUILD_ONLY_FLAGS="-O0;-g0;-fno-sanitize=all" \
  -DVECTA_PIP_CHECK_CMAKE_ARGS=-DVECTA_PYTHON_OPT_FLAGS=-O0 "${data[@]}" >/dev/null
cmake --build build/check -j"$jobs"
run_ctest build/check
build/check/tests/test_pipeline --test-case='*render*back*' | grep -E '^\[(figure|skip)\]'
stage_done check

echo "== The command as the README builds it (Release, default flags, static) and its tests"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release "${data[@]}" >/dev/null
cmake --build build/release -j"$jobs" --target vecta_cli vecta_cli_ref
run_ctest build/release -R '^(vectorize_cli|frame_dedup_cli|cli_.*)$'
stage_done release_command

echo "== Fuzz targets: smoke run (clang-14 libFuzzer + ASan + UBSan, a few thousand executions each)"
VECTA_JOBS="$jobs" tools/fuzz.sh --smoke
stage_done fuzz

echo "== ThreadSanitizer on the concurrent code, built for this CPU (std::thread backend, oneTBB off)"
# The areas with vecta::par kernels or lock-free structures; pipeline only composes them. Built with
# -march=native: the kernels still chosen at compile time (xsimd: k-means++ seeding and the Lloyd
# update, the split-block filter's compiled-level paths) then run at the CPU's widest width, and
# the tests' for_each_arch compares every narrower one with the scalar path, which the portable
# build above cannot (it compiles them for SSE2).
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS="-march=native" \
  -DVECTA_SANITIZE=thread -DVECTA_WITH_TBB=OFF -DVECTA_BUILD_BENCH=OFF -DVECTA_BUILD_EXAMPLES=OFF "${data[@]}" >/dev/null
cmake --build build/tsan -j"$jobs" --target test_core test_color test_imgproc test_similarity test_structures
run_ctest build/tsan -R '^(core|color|imgproc|similarity|structures)$'
stage_done tsan

echo "== Single header: current, and the core tests against it alone (-Wall -Wextra -Werror)"
/usr/bin/python3 tools/amalgamate --check
cmake -S cmake/single_header_test -B build/single_header -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/single_header -j"$jobs"
run_ctest build/single_header
stage_done single_header

echo "== find_package consumer"
rm -rf build/install build/consumer build/adapters_consumer
cmake --install build/check --prefix build/install >/dev/null
cmake -S tests/consumer -B build/consumer -DCMAKE_PREFIX_PATH="$PWD/build/install" >/dev/null
cmake --build build/consumer -j"$jobs" >/dev/null
./build/consumer/consumer
cmake -S tests/adapters/consumer -B build/adapters_consumer -DCMAKE_PREFIX_PATH="$PWD/build/install" -DORT_ROOT="$ort" >/dev/null
cmake --build build/adapters_consumer -j"$jobs" >/dev/null
VECTA_ONNXRUNTIME_LIB="$ort/lib/libonnxruntime.so.1" ./build/adapters_consumer/adapters_consumer \
  build/check/tests/onnx_models/sobel_xy.onnx
stage_done consumers

echo "== Packaging recipes (offline checks; vcpkg and Conan are not installable here)"
/usr/bin/python3 ports/check_recipes.py
echo "All test stages passed."
echo "tests: $total passed, 0 failed"
