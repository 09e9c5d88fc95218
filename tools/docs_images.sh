#!/usr/bin/env bash
# Regenerates the pictures in docs/img from the bundled photo: its SVG at 8 and 16 colours,
# rendered back with rsvg-convert. Needs a build with the vectorize example (README command 1).
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/examples/vectorize}
for k in 8 16; do
  "$exe" examples/data/chelsea.png -o "docs/img/chelsea-$k.svg" --colors "$k" --stats
  rsvg-convert -b white -w 451 -h 300 -o "docs/img/chelsea-$k.png" "docs/img/chelsea-$k.svg"
  rm "docs/img/chelsea-$k.svg"
done
