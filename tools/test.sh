#!/usr/bin/env bash
# Builds and runs every test: the Release suite, the suite under ASan+UBSan, the
# single-header checks and the find_package consumer test.
# Usage: tools/test.sh      (VECTA_DATA_DIR=... to point at the shared corpus elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh
jobs=${VECTA_JOBS:-2}
total=0
# Runs ctest on a build folder (extra ctest arguments after it) and adds its test count to the total.
run_ctest() {
  local dir=$1; shift
  ctest --test-dir "$dir" --output-on-failure "$@"
  total=$((total + $(ctest --test-dir "$dir" -N "$@" | sed -n 's/^Total Tests: //p')))
}
data=()
[ -n "${VECTA_DATA_DIR:-}" ] && data=(-DVECTA_DATA_DIR="$VECTA_DATA_DIR")

echo "== Release build and tests (with the ONNX Runtime and OpenCV adapters)"
# VECTA_WITH_ONNXRUNTIME fetches ONNX Runtime from the npm registry into build/release/_deps/onnxruntime
# (tools/fetch_onnxruntime.sh; cached, reruns do not refetch).
ort="$PWD/build/release/_deps/onnxruntime"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DVECTA_WITH_ONNXRUNTIME=ON -DVECTA_WITH_OPENCV=ON \
  "${data[@]}" >/dev/null
cmake --build build/release -j"$jobs"
run_ctest build/release
build/release/tests/test_pipeline --test-case='*render*back*' | grep -E '^\[(figure|skip)\]'

echo "== ASan + UBSan build and tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DVECTA_SANITIZE=address,undefined \
  -DVECTA_WITH_ONNXRUNTIME=ON -DVECTA_ONNXRUNTIME_ROOT="$ort" -DVECTA_WITH_OPENCV=ON \
  -DVECTA_BUILD_BENCH=OFF -DVECTA_BUILD_EXAMPLES=OFF "${data[@]}" >/dev/null
cmake --build build/asan -j"$jobs"
run_ctest build/asan

echo "== Fuzz targets: smoke run (clang-14 libFuzzer + ASan + UBSan, a few thousand executions each)"
VECTA_JOBS="$jobs" tools/fuzz.sh --smoke

echo "== Kernels built for this CPU (-march=native: AVX2/AVX-512 paths against scalar)"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-march=native" \
  -DVECTA_BUILD_BENCH=OFF -DVECTA_BUILD_EXAMPLES=OFF "${data[@]}" >/dev/null
cmake --build build/native -j"$jobs" --target test_core test_color test_imgproc test_similarity test_structures test_math test_pipeline
run_ctest build/native -R '^(core|color|imgproc|similarity|structures|math|pipeline)$'

echo "== ThreadSanitizer on the parallel code (std::thread backend, oneTBB off)"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DVECTA_SANITIZE=thread -DVECTA_WITH_TBB=OFF \
  -DVECTA_BUILD_BENCH=OFF -DVECTA_BUILD_EXAMPLES=OFF "${data[@]}" >/dev/null
cmake --build build/tsan -j"$jobs" --target test_core test_color test_imgproc test_similarity test_structures test_pipeline
run_ctest build/tsan -R '^(core|color|imgproc|similarity|structures|pipeline)$'

echo "== Single header: current, and the core tests against it alone (-Wall -Wextra -Werror)"
/usr/bin/python3 tools/amalgamate --check
cmake -S cmake/single_header_test -B build/single_header -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/single_header -j"$jobs"
run_ctest build/single_header

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

echo "== Packaging recipes (offline checks; vcpkg and Conan are not installable here)"
/usr/bin/python3 ports/check_recipes.py
echo "All test stages passed."
echo "tests: $total passed, 0 failed"
