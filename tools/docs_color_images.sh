#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates the colour-quantization pictures of docs/color.md from the bundled photo
# (examples/data/chelsea.png, 451x300): k = 8, 16, 32 in RGB, k = 8 in Lab and k = 8 dithered.
# Needs a build of the vecta command, e.g.
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target vecta_cli
# and takes the program as an optional argument (default build/bin/vecta, the `vecta` command).
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/bin/vecta}
src=examples/data/chelsea.png
mkdir -p docs/img
for k in 8 16 32; do
  "$exe" quantize "$src" -o "docs/img/chelsea-k$k.png" --colors "$k" --seed 0 --overwrite
done
"$exe" quantize "$src" -o docs/img/chelsea-k8-lab.png --colors 8 --space lab --seed 0 --overwrite
"$exe" quantize "$src" -o docs/img/chelsea-k8-dither.png --colors 8 --dither --seed 0 --overwrite
