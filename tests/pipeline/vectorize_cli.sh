#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the contract of `vecta vectorize` on one file: a good run writes an SVG, one JSON stats
# line and the summary line; bad input gives an error line, a non-zero exit and no output file.
set -u
exe=$1  # the vecta command
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check_error() {  # name, then the arguments
  local name=$1; shift
  "$exe" vectorize "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local lines
  lines=$(grep -c . "$tmp/err")
  if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then echo "FAIL $name: exit $rc"; fail=1; fi
  if [ "$lines" -lt 1 ] || ! head -1 "$tmp/err" | grep -q '^vecta'; then echo "FAIL $name: no error line"; fail=1; fi
  if [ -e "$tmp/o.svg" ] || ls "$tmp"/*.vecta-tmp >/dev/null 2>&1; then echo "FAIL $name: output file left"; fail=1; fi
  echo "ok $name: $(head -1 "$tmp/err")"
}
echo "not an image" > "$tmp/text.png"
check_error missing-file "$tmp/nope.png" -o "$tmp/o.svg"
check_error not-an-image "$tmp/text.png" -o "$tmp/o.svg"
check_error zero-colours "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --colors 0
check_error bad-number "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --colors many
check_error no-output "$repo/examples/data/chelsea.png"
check_error unwritable "$repo/examples/data/chelsea.png" -o "$tmp/no/such/dir/o.svg"
check_error bad-mode "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --mode sepia
check_error bad-corner "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --corner 0
check_error bad-tolerance "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --tolerance x
check_error negative-speckle "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --speckle -3

"$exe" vectorize "$repo/examples/data/chelsea.png" -o "$tmp/good.svg" --colors 8 --stats >"$tmp/stats" || { echo "FAIL good run"; fail=1; }
grep -q '<svg' "$tmp/good.svg" || { echo "FAIL good run: no svg"; fail=1; }
for key in ms paths nodes bytes; do
  grep -q "\"$key\": " "$tmp/stats" || { echo "FAIL stats: no $key"; fail=1; }
done
[ "$(wc -l <"$tmp/stats")" -eq 2 ] || { echo "FAIL stats: not a file line and a summary line"; fail=1; }
grep -q '^{"summary": true, "files": 1, "ok": 1, "failed": 0' "$tmp/stats" || { echo "FAIL stats: no summary"; fail=1; }
bytes=$(head -1 "$tmp/stats" | sed 's/.*"bytes": \([0-9]*\).*/\1/')
[ "$bytes" -eq "$(stat -c %s "$tmp/good.svg")" ] || { echo "FAIL stats: bytes $bytes differ from the file"; fail=1; }
echo "stats: $(cat "$tmp/stats")"
# Binary mode with every tracing flag: black ink paths.
"$exe" vectorize "$repo/examples/data/chelsea.png" -o "$tmp/bin.svg" --mode binary --speckle 4 --tolerance 0.3 --corner 120 \
  --stats >"$tmp/bstats" || { echo "FAIL binary run"; fail=1; }
grep -q 'fill="#000"' "$tmp/bin.svg" || { echo "FAIL binary: no black path"; fail=1; }
grep -q 'fill="#fff"' "$tmp/bin.svg" || { echo "FAIL binary: no white holes"; fail=1; }
echo "binary stats: $(cat "$tmp/bstats")"
# Budgets (issue 19): --max-bytes caps the file and --stats reports the choice; an unreachable
# --min-psnr warns on stderr and still writes the file (exit 0); a cap below a one-colour document
# and a negative target are errors.
"$exe" vectorize "$repo/examples/data/chelsea.png" -o "$tmp/cap.svg" --max-bytes 20000 --stats >"$tmp/cstats" ||
  { echo "FAIL budget run"; fail=1; }
[ "$(stat -c %s "$tmp/cap.svg")" -le 20000 ] || { echo "FAIL budget: over 20000 bytes"; fail=1; }
grep -q '"budget": {"met": true' "$tmp/cstats" || { echo "FAIL budget: no budget stats"; fail=1; }
"$exe" vectorize "$repo/examples/data/chelsea.png" -o "$tmp/q.svg" --max-bytes 5000 --min-psnr 60 2>"$tmp/qerr" ||
  { echo "FAIL unreachable target: non-zero exit"; fail=1; }
grep -q 'warning: .*--min-psnr 60.00 not reached' "$tmp/qerr" || { echo "FAIL unreachable target: no warning"; fail=1; }
[ "$(stat -c %s "$tmp/q.svg")" -le 5000 ] || { echo "FAIL unreachable target: over 5000 bytes"; fail=1; }
echo "budget stats: $(cat "$tmp/cstats" | head -1); $(cat "$tmp/qerr")"
check_error tiny-budget "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --max-bytes 10
check_error negative-target "$repo/examples/data/chelsea.png" -o "$tmp/o.svg" --min-psnr -1
# Centerline mode with --stroke-colors (issue 20): a red line and a blue ring on white become one
# red and one blue stroke; without it one black layer; --stroke-colors in another mode is an error.
/usr/bin/python3 -c "
from PIL import Image, ImageDraw
im = Image.new('RGB', (120, 90), 'white'); d = ImageDraw.Draw(im)
d.line([(10, 20), (110, 24)], fill=(255, 0, 0), width=6); d.ellipse([35, 35, 85, 85], outline=(0, 0, 255), width=5)
im.save('$tmp/colour_lines.png')" || { echo "FAIL colour line art: could not draw the input"; fail=1; }
"$exe" vectorize "$tmp/colour_lines.png" -o "$tmp/cl.svg" --mode centerline --stroke-colors ||
  { echo "FAIL stroke-colors run"; fail=1; }
grep -q 'stroke="#f00"' "$tmp/cl.svg" && grep -q 'stroke="#00f"' "$tmp/cl.svg" && [ "$(grep -c '<path' "$tmp/cl.svg")" -eq 2 ] ||
  { echo "FAIL stroke-colors: not one red and one blue stroke"; fail=1; }
"$exe" vectorize "$tmp/colour_lines.png" -o "$tmp/cl1.svg" --mode centerline || { echo "FAIL centerline run"; fail=1; }
grep -q 'stroke="#000"' "$tmp/cl1.svg" && ! grep -q 'stroke="#f00"' "$tmp/cl1.svg" ||
  { echo "FAIL centerline without --stroke-colors: not black"; fail=1; }
rm -f "$tmp/cl.svg" "$tmp/cl1.svg"
check_error stroke-colors-not-centerline "$tmp/colour_lines.png" -o "$tmp/o.svg" --stroke-colors
if [ $fail -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $fail
