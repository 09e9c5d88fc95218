#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# W4 comparison: vecta's vectorize against vtracer, imagetracerjs and potrace, rendered back.
#
#   tools/w4_compare.sh [VECTA_EXE] [WORK_DIR]
#
# VECTA_EXE (the `vecta` command) defaults to build/release/bin/vecta, WORK_DIR to build/w4 (everything
# is written there, nothing in the repository). Sets:
#   icons   ../shared/data/icons/*.png (256x256): vecta (defaults, no flag), vtracer (npm
#           @neplex/vectorizer, a native build of visioncortex/vtracer, preset Poster),
#           imagetracerjs (preset "default", run with node);
#   photos  ../shared/data/photos/*.png scaled to 600 px on the long side (area filter): the same
#           three tools;
#   lineart ../shared/data/lineart/*.png: vecta --mode binary and potrace (Debian package,
#           defaults, -s; its input is the PNG converted to PBM beforehand, not timed; the timed
#           vecta command reads the same PBM).
# Every SVG is rendered with rsvg-convert on white at the source size and scored by
# tools/w4/metrics.py (PSNR over RGB, SSIM on luma, bytes, paths, nodes). Times ("ms"): vecta's
# and the npm tools' are the tracing call in process, one cold run per file (vecta: --stats
# "ms", vectorize() alone under vecta::par; the npm tools: the call on decoded RGBA pixels);
# on the lineart set vecta ("vecta-cmd") and potrace are timed as whole commands, wall clock,
# alternating per file, best of 5.
# Needs: node + npm (the npm packages are installed into WORK_DIR/node on first use), potrace,
# rsvg-convert (librsvg2-bin), /usr/bin/python3 with numpy and PIL.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
exe=${1:-$repo/build/release/bin/vecta}
work=${2:-$repo/build/w4}
data=${VECTA_DATA_DIR:-$repo/../shared/data}
py=/usr/bin/python3
[ -x "$exe" ] || { echo "w4_compare: no vecta command at $exe (build the 'vecta_cli' target)" >&2; exit 2; }
for t in node npm potrace rsvg-convert; do
  command -v $t >/dev/null || { echo "w4_compare: $t not found (tools/bootstrap.sh installs it)" >&2; exit 2; }
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [ ! -d "$work/node/node_modules/@neplex/vectorizer" ] || [ ! -d "$work/node/node_modules/imagetracerjs" ]; then
  mkdir -p "$work/node"
  [ -f "$work/node/package.json" ] || echo '{"name":"w4peers","private":true}' >"$work/node/package.json"
  (cd "$work/node" && npm install --no-audit --no-fund --loglevel=error @neplex/vectorizer imagetracerjs)
fi
ls "$work"/node/node_modules/@neplex/vectorizer-linux-x64-*/*.node >/dev/null 2>&1 ||
  echo "w4_compare: warning: no prebuilt linux-x64 binary of @neplex/vectorizer found" >&2

now_ns() { date +%s%N; }

run_vecta() {  # set, ref dir, extra flags...
  local set=$1 ref=$2; shift 2
  mkdir -p "$work/$set/vecta"
  for f in "$ref"/*.png; do
    local stem; stem=$(basename "$f" .png)
    "$exe" vectorize "$f" -o "$work/$set/vecta/$stem.svg" --stats "$@" >"$work/$set/vecta/$stem.json"
    printf 'vecta\t%s\t%s\n' "$stem" "$(head -1 "$work/$set/vecta/$stem.json" | sed 's/.*"ms": \([0-9.]*\).*/\1/')" \
      >>"$work/$set/times.tsv"
  done
}

# icons
rm -rf "$work/icons" && mkdir -p "$work/icons"
ls "$data"/icons/*.png >"$work/icons/list.txt"
run_vecta icons "$data/icons"
node "$repo/tools/w4/peers.mjs" "$work/node" "$work/icons" "$work/icons/list.txt" >>"$work/icons/times.tsv"
$py "$repo/tools/w4/metrics.py" "$work/icons/times.tsv" icons "$work/icons" "$data/icons" vecta vtracer imagetracerjs

# photos scaled to 600 px
rm -rf "$work/photos" && mkdir -p "$work/photos/src"
$py - "$data/photos" "$work/photos/src" <<'PY'
import os, sys
from PIL import Image
src, dst = sys.argv[1:3]
for name in sorted(os.listdir(src)):
    if not name.endswith('.png'):
        continue
    with Image.open(os.path.join(src, name)) as im:
        im = im.convert('RGB')
        s = 600 / max(im.size)
        im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.BOX).save(os.path.join(dst, name))
PY
ls "$work"/photos/src/*.png >"$work/photos/list.txt"
run_vecta photos "$work/photos/src"
node "$repo/tools/w4/peers.mjs" "$work/node" "$work/photos" "$work/photos/list.txt" >>"$work/photos/times.tsv"
$py "$repo/tools/w4/metrics.py" "$work/photos/times.tsv" photos "$work/photos" "$work/photos/src" vecta vtracer imagetracerjs

# line art, binary mode vs potrace
rm -rf "$work/lineart" && mkdir -p "$work/lineart/pbm" "$work/lineart/potrace"
$py - "$data/lineart" "$work/lineart/pbm" <<'PY'
import os, sys
from PIL import Image
src, dst = sys.argv[1:3]
for name in sorted(os.listdir(src)):
    if name.endswith('.png'):
        with Image.open(os.path.join(src, name)) as im:
            im.convert('L').point(lambda v: 255 if v >= 128 else 0).convert('1').save(
                os.path.join(dst, name[:-4] + '.pbm'))
PY
run_vecta lineart "$data/lineart" --mode binary
# Whole commands, wall clock, vecta and potrace alternating on each file (same machine load),
# best of 5 runs each, both reading the same PBM (vecta's SVG from the PBM has the same bytes as
# from the PNG: tests/cli/test_codecs_cli.py). From the PNG, vecta also inflates it:
# W4_CPU=1 W4_INPUT=both tools/w4_cmd_time.py times both inputs against potrace.
mkdir -p "$work/lineart/vecta-cmd"
for f in "$work"/lineart/pbm/*.pbm; do
  stem=$(basename "$f" .pbm)
  best_v=999999999 best_p=999999999
  for rep in 1 2 3 4 5; do
    t0=$(now_ns)
    "$exe" vectorize "$f" -o "$work/lineart/vecta-cmd/$stem.svg" --mode binary --overwrite
    t1=$(now_ns)
    potrace -s -o "$work/lineart/potrace/$stem.svg" "$f"
    t2=$(now_ns)
    [ $((t1 - t0)) -lt $best_v ] && best_v=$((t1 - t0))
    [ $((t2 - t1)) -lt $best_p ] && best_p=$((t2 - t1))
  done
  printf 'vecta-cmd\t%s\t%s\n' "$stem" "$((best_v / 1000))e-3" >>"$work/lineart/times.tsv"
  printf 'potrace\t%s\t%s\n' "$stem" "$((best_p / 1000))e-3" >>"$work/lineart/times.tsv"
done
$py "$repo/tools/w4/metrics.py" "$work/lineart/times.tsv" lineart "$work/lineart" "$data/lineart" vecta vecta-cmd potrace
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); per-file rows in $work/<set>/<set>.tsv"
