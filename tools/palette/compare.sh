#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 19 perceptual-palette acceptance: vecta against vtracer (preset Poster) on the shared
# photos at 600 px, vecta on the shared icons, and the chelsea iris CIEDE2000.
#
#   tools/palette/compare.sh VECTA_EXE WORK_DIR [extra vectorize flags...]
#
# Photos are scaled as tools/w4_compare.sh does (600 px long side, PIL box filter); vtracer runs
# through tools/w4/peers.mjs (npm @neplex/vectorizer, installed into WORK_DIR/node on first use;
# its SVGs are reused when WORK_DIR/photos/vtracer exists). Scores by tools/w4/metrics.py
# (PSNR, bytes, mean and 99th percentile CIEDE2000 of the render against the input); per-file
# rows in WORK_DIR/photos/photos.tsv and WORK_DIR/icons/icons.tsv; then the iris score
# (tools/palette/iris_de00.py) of vecta and vtracer on examples/data/chelsea.png.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
exe=$1 work=$2; shift 2
data=${VECTA_DATA_DIR:-$repo/../shared/data}
py=/usr/bin/python3
mkdir -p "$work" && work=$(cd "$work" && pwd)
if [ ! -d "$work/node/node_modules/@neplex/vectorizer" ]; then
  mkdir -p "$work/node"
  [ -f "$work/node/package.json" ] || echo '{"name":"w4peers","private":true}' >"$work/node/package.json"
  (cd "$work/node" && npm install --no-audit --no-fund --loglevel=error @neplex/vectorizer imagetracerjs)
fi
mkdir -p "$work/photos/src"
$py - "$data/photos" "$work/photos/src" <<'PY'
import os, sys
from PIL import Image
src, dst = sys.argv[1:3]
for name in sorted(os.listdir(src)):
    if name.endswith('.png') and not os.path.exists(os.path.join(dst, name)):
        with Image.open(os.path.join(src, name)) as im:
            im = im.convert('RGB')
            s = 600 / max(im.size)
            im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.BOX).save(os.path.join(dst, name))
PY
ls "$work"/photos/src/*.png >"$work/photos/list.txt"
: >"$work/photos/times.tsv"
if [ ! -d "$work/photos/vtracer" ]; then
  node "$repo/tools/w4/peers.mjs" "$work/node" "$work/photos" "$work/photos/list.txt" vtracer >"$work/photos/vtracer.times"
fi
cat "$work/photos/vtracer.times" >>"$work/photos/times.tsv"
run_vecta() {  # set, source dir, extra flags
  local set=$1 src=$2; shift 2
  rm -rf "$work/$set/vecta" && mkdir -p "$work/$set/vecta"
  for f in "$src"/*.png; do
    local stem; stem=$(basename "$f" .png)
    "$exe" vectorize "$f" -o "$work/$set/vecta/$stem.svg" --stats --overwrite "$@" >"$work/$set/vecta/$stem.json"
    printf 'vecta\t%s\t%s\n' "$stem" "$(head -1 "$work/$set/vecta/$stem.json" | sed 's/.*"ms": \([0-9.]*\).*/\1/')" \
      >>"$work/$set/times.tsv"
  done
}
run_vecta photos "$work/photos/src" "$@"
$py "$repo/tools/w4/metrics.py" "$work/photos/times.tsv" photos "$work/photos" "$work/photos/src" vecta vtracer
mkdir -p "$work/icons" && : >"$work/icons/times.tsv"
run_vecta icons "$data/icons" "$@"
$py "$repo/tools/w4/metrics.py" "$work/icons/times.tsv" icons "$work/icons" "$data/icons" vecta
echo
echo "per photo: tool file psnr bytes de00 de00_p99"
awk -F'\t' 'NR > 1 { printf "%-8s %-36s %7.2f %8d %6.2f %6.2f\n", $1, $2, $3, $5, $9, $10 }' "$work/photos/photos.tsv"
echo
echo "chelsea iris at its own size (file, pixels, mean dE00):"
mkdir -p "$work/chelsea"
if [ ! -f "$work/chelsea/vtracer/chelsea.svg" ]; then
  echo "$repo/examples/data/chelsea.png" >"$work/chelsea/list.txt"
  node "$repo/tools/w4/peers.mjs" "$work/node" "$work/chelsea" "$work/chelsea/list.txt" vtracer >/dev/null
fi
"$exe" vectorize "$repo/examples/data/chelsea.png" -o "$work/chelsea/vecta.svg" --overwrite "$@"
$py "$repo/tools/palette/iris_de00.py" "$repo/examples/data/chelsea.png" "$work/chelsea/vecta.svg" \
  "$work/chelsea/vtracer/chelsea.svg"
