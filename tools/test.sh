#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds and runs every test: the Release suite (built for this CPU, so every SIMD width it has is
# compared with the scalar path), the suite under ASan+UBSan (portable build: the default SSE2
# kernels and the run-time CPU dispatch), a fuzz smoke run, TSan on the concurrent code, the
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

echo "== Release build and tests for this CPU (-march=native; ONNX Runtime and OpenCV adapters on)"
# -march=native makes xsimd's widest batch the CPU's (AVX-512 here), and the tests' for_each_arch
# then compares every narrower width too, down to SSE2, with the scalar path.
# VECTA_WITH_ONNXRUNTIME fetches ONNX Runtime from the npm registry into build/release/_deps/onnxruntime
# (tools/fetch_onnxruntime.sh; cached, reruns do not refetch).
ort="$PWD/build/release/_deps/onnxruntime"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-march=native" -DVECTA_WITH_ONNXRUNTIME=ON -DVECTA_WITH_OPENCV=ON \
  -DVECTA_BUILD_PYTHON=ON "${data[@]}" >/dev/null
cmake --build build/release -j"$jobs"
run_ctest build/release
build/release/tests/test_pipeline --test-case='*render*back*' | grep -E '^\[(figure|skip)\]'
stage_done release

echo "== ASan + UBSan build and tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DVECTA_SANITIZE=address,undefined \
  -DVECTA_WITH_ONNXRUNTIME=ON -DVECTA_ONNXRUNTIME_ROOT="$ort" -DVECTA_WITH_OPENCV=ON \
  -DVECTA_BUILD_BENCH=OFF -DVECTA_BUILD_EXAMPLES=OFF "${data[@]}" >/dev/null
cmake --build build/asan -j"$jobs"
run_ctest build/asan
stage_done asan

echo "== Fuzz targets: smoke run (clang-14 libFuzzer + ASan + UBSan, a few thousand executions each)"
VECTA_JOBS="$jobs" tools/fuzz.sh --smoke
stage_done fuzz

echo "== ThreadSanitizer on the concurrent code (std::thread backend, oneTBB off)"
# The areas with vecta::par kernels or lock-free structures; pipeline only composes them.
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DVECTA_SANITIZE=thread -DVECTA_WITH_TBB=OFF \
  -DVECTA_BUILD_BENCH=OFF -DVECTA_BUILD_EXAMPLES=OFF "${data[@]}" >/dev/null
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
cmake --install build/release --prefix build/install >/dev/null
cmake -S tests/consumer -B build/consumer -DCMAKE_PREFIX_PATH="$PWD/build/install" >/dev/null
cmake --build build/consumer -j"$jobs" >/dev/null
./build/consumer/consumer
cmake -S tests/adapters/consumer -B build/adapters_consumer -DCMAKE_PREFIX_PATH="$PWD/build/install" -DORT_ROOT="$ort" >/dev/null
cmake --build build/adapters_consumer -j"$jobs" >/dev/null
VECTA_ONNXRUNTIME_LIB="$ort/lib/libonnxruntime.so.1" ./build/adapters_consumer/adapters_consumer \
  build/release/tests/onnx_models/sobel_xy.onnx
stage_done consumers

echo "== Packaging recipes (offline checks; vcpkg and Conan are not installable here)"
/usr/bin/python3 ports/check_recipes.py
echo "All test stages passed."
echo "tests: $total passed, 0 failed"
