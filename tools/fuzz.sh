#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets (clang-14, -fsanitize=fuzzer,address,undefined), writes their
# seed corpora from the shared data, and runs every target.
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]   each target for SECONDS (default 600), in turn
#        tools/fuzz.sh --smoke [TARGET...]     each target for a few thousand executions (CI)
# Targets: decode codecs vectorize bloom frame_ring svg kernels (default: all).
# Environment: VECTA_FUZZ_BUILD (build folder, default build/fuzz), VECTA_DATA_DIR (shared data,
# default ../shared/data), VECTA_JOBS (build jobs, default 2), CXX_FUZZ (default clang++-14),
# VECTA_FUZZ_SEED (libFuzzer seed of the smoke run, default 1).
# Exit status 1 when a target finds a crash, leak, timeout or sanitizer report; the input is in
# $VECTA_FUZZ_BUILD/artifacts/ and the log in $VECTA_FUZZ_BUILD/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${VECTA_FUZZ_BUILD:-build/fuzz}
data=${VECTA_DATA_DIR:-$root/../shared/data}
jobs=${VECTA_JOBS:-2}
cxx=${CXX_FUZZ:-clang++-14}

smoke=0
seconds=600
if [ "${1:-}" = "--smoke" ]; then
  smoke=1
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode codecs vectorize bloom frame_ring svg kernels)

command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (apt-get install clang-14 libclang-rt-14-dev)"; exit 1; }
t0=$(date +%s)
cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_make_seeds "${targets[@]/#/fuzz_}"
build=$(cd "$build" && pwd)
mkdir -p "$build/logs" "$build/artifacts"
[ -d "$data" ] || echo "fuzz: no shared data at $data; synthetic seeds only"
"$build/fuzz_make_seeds" "$build/seeds" "$data" >/dev/null
echo "fuzz: built and seeded in $(( $(date +%s) - t0 )) s"

# Per-target options: dictionary and input size limit.
opts_for() {
  case $1 in
    decode | codecs) echo "-dict=$root/fuzz/dict/image.dict -max_len=16384" ;;
    svg) echo "-dict=$root/fuzz/dict/svg.dict" ;;
    bloom) echo "-dict=$root/fuzz/dict/bloom.dict" ;;
    frame_ring) echo "-dict=$root/fuzz/dict/frame_ring.dict" ;;
    *) echo "" ;;
  esac
}

status=0
printf '%-11s %10s %8s %8s %8s %7s\n' target executions cov ft seconds result
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  if [ $smoke -eq 1 ]; then
    work="$build/smoke/$t"
    rm -rf "$work"
    # A fixed seed keeps the CI smoke run reproducible; longer runs explore with a fresh seed.
    limit=(-runs=3000 -max_total_time=15 -seed="${VECTA_FUZZ_SEED:-1}")
  else
    limit=(-max_total_time="$seconds")
  fi
  mkdir -p "$work" "$build/seeds/$t"
  dirs=("$work" "$build/seeds/$t")
  [ -d "fuzz/corpus/$t" ] && dirs+=("fuzz/corpus/$t")
  [ "$t" = codecs ] && dirs+=("$build/seeds/decode")  # stb's seeds are codec inputs too
  log="$build/logs/$t.log"
  start=$(date +%s)
  # shellcheck disable=SC2046
  if "$build/fuzz_$t" "${limit[@]}" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/$t-" $(opts_for "$t") "${dirs[@]}" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  secs=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  printf '%-11s %10s %8s %8s %8s %7s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$secs" "$result"
  if [ "$result" != ok ]; then
    grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -5 || true
  fi
done
echo "fuzz: total $(( $(date +%s) - t0 )) s"
exit $status
