#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks `vecta dedup` on a folder made from the bundled photo: an exact copy is dropped as a
# repeated hash, a colour-quantized copy (`vecta quantize -k 2`: a few dHash bits differ) is a
# near duplicate at the default threshold and kept at --threshold 0, and bad arguments exit 2 with
# one error line.
set -u
vecta=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
mkdir "$tmp/frames"
cp "$repo/examples/data/chelsea.png" "$tmp/frames/a.png"
cp "$repo/examples/data/chelsea.png" "$tmp/frames/b.png"
"$vecta" quantize "$repo/examples/data/chelsea.png" -o "$tmp/frames/c.png" --colors 2 >/dev/null || { echo "FAIL quantize"; exit 1; }
expect() {  # name, expected substring, then the arguments
  local name=$1 want=$2; shift 2
  "$vecta" dedup "$@" >"$tmp/out" 2>&1
  if ! grep -qF -- "$want" "$tmp/out"; then echo "FAIL $name: wanted '$want', got:"; cat "$tmp/out"; fail=1; else echo "ok $name"; fi
}
expect exact-copy "drop b.png (hash seen before)" "$tmp/frames" --list
expect near-duplicate "drop c.png (near the previous kept frame)" "$tmp/frames" --list
expect counts "frames 3, kept 1, dropped 2 (1 repeated hashes, 1 near duplicates)" "$tmp/frames"
expect threshold-0 "frames 3, kept 2, dropped 1" "$tmp/frames" --threshold 0
cp "$tmp/frames/c.png" "$tmp/frames/d.png"
"$vecta" quantize "$repo/examples/data/chelsea.png" -o "$tmp/frames/e.png" --colors 3 >/dev/null
expect five-frames "frames 5, kept 3, dropped 2 (2 repeated hashes, 0 near duplicates)" "$tmp/frames" --threshold 0
for bad in "--threshold 65" "--threshold x" "--bogus" ""; do
  # shellcheck disable=SC2086
  "$vecta" dedup $bad $([ -n "$bad" ] && echo "$tmp/frames") >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ] || ! grep -q '^vecta' "$tmp/err"; then echo "FAIL bad '$bad': exit $rc"; fail=1; else echo "ok bad '$bad': $(head -1 "$tmp/err")"; fi
done
exit $fail
