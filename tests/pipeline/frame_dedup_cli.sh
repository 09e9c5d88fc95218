#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the frame_dedup program on a folder made from the bundled photo: an exact copy is dropped
# as a repeated hash, a colour-quantized copy (k = 2: a few dHash bits differ) is a near duplicate
# at the default threshold and kept at --threshold 0, the frame ring holds every kept frame while
# they fit and fewer when it is small, and bad arguments exit 2 with one error line.
set -u
dedup=$1
quantize=$2
repo=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir "$tmp/frames"
cp "$repo/examples/data/chelsea.png" "$tmp/frames/a.png"
cp "$repo/examples/data/chelsea.png" "$tmp/frames/b.png"
"$quantize" "$repo/examples/data/chelsea.png" -o "$tmp/frames/c.png" --colors 2 >/dev/null || { echo "FAIL quantize"; exit 1; }
# Frame bytes: 451 x 300 x 3 = 405900, so a 1 MiB ring holds two frames.
expect() {  # name, expected substring, then the arguments
  local name=$1 want=$2; shift 2
  "$dedup" "$@" >"$tmp/out" 2>&1
  if ! grep -qF -- "$want" "$tmp/out"; then echo "FAIL $name: wanted '$want', got:"; cat "$tmp/out"; fail=1; else echo "ok $name"; fi
}
expect exact-copy "drop b.png (hash seen before)" "$tmp/frames" --list
expect near-duplicate "drop c.png (near the previous kept frame)" "$tmp/frames" --list
expect counts "frames 3, kept 1, dropped 2 (1 repeated hashes, 1 near duplicates)" "$tmp/frames"
expect ring-holds-kept "ring holds 1 frames" "$tmp/frames"
expect threshold-0 "frames 3, kept 2, dropped 1" "$tmp/frames" --threshold 0
expect ring-holds-both "ring holds 2 frames" "$tmp/frames" --threshold 0 --ring-mb 1
cp "$tmp/frames/c.png" "$tmp/frames/d.png"
"$quantize" "$repo/examples/data/chelsea.png" -o "$tmp/frames/e.png" --colors 3 >/dev/null
expect ring-evicts "kept 3, dropped 2 (2 repeated hashes, 0 near duplicates), 5 batches of up to 1, ring holds 2 frames" "$tmp/frames" --threshold 0 --ring-mb 1
for bad in "--threshold 65" "--ring-mb 0" "--bogus" ""; do
  # shellcheck disable=SC2086
  "$dedup" $bad $([ -n "$bad" ] && echo "$tmp/frames") >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ] || ! grep -q '^frame_dedup: ' "$tmp/err"; then echo "FAIL bad '$bad': exit $rc"; fail=1; else echo "ok bad '$bad': $(head -1 "$tmp/err")"; fi
done
exit $fail
