#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes the picture of docs/edges.md: a photo of the shared corpus next to its Canny edges, as
# computed by `vecta edges` (vecta::gaussian_blur 5x5 then vecta::canny 50/150, L2).
# Usage: tools/docs_edges_images.sh [BUILD_DIR]   (default build/release; builds the vecta command)
# Needs the shared corpus (VECTA_DATA_DIR, default ../shared/data).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
data=${VECTA_DATA_DIR:-../shared/data}
photo="$data/photos/skimage-astronaut.png"
[ -f "$photo" ] || { echo "docs_edges_images: $photo not found (set VECTA_DATA_DIR)" >&2; exit 1; }
[ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target vecta_cli -j2 >/dev/null
mkdir -p docs/img
"$build/bin/vecta" edges "$photo" -o docs/img/edges-astronaut-canny.png --method canny --blur 5 --low 50 --high 150 \
  --l2 --pair --overwrite
echo "wrote docs/img/edges-astronaut-canny.png"
