#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages vecta's build, tests, examples and benches use, when missing.
# Usage: tools/bootstrap.sh            (idempotent; needs root or sudo only when installing)
set -euo pipefail
pkgs=(cmake g++ make pkg-config
      libxsimd-dev xtl-dev libeigen3-dev libtbb-dev libstb-dev doctest-dev libbenchmark-dev
      librsvg2-bin python3 python3-onnx
      libbloom-dev libboost-dev libxxhash-dev libopencv-dev libfaiss-dev libimagequant-dev
      libopenblas-dev python3-matplotlib python3-pil potrace
      libcli11-dev pybind11-dev python3-dev python3-numpy python3-setuptools python3-wheel python3-pip python3-venv python3-dask python3-distributed python3-pytest python3-opencv python3-sklearn python3-skimage
      libpng-dev libdeflate-dev libjpeg62-turbo-dev libwebp-dev libtiff-dev libcairo2-dev python3-ezdxf poppler-utils ghostscript
      clang-14 libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches ONNX Runtime (tools/fetch_onnxruntime.sh); any npm on PATH will do, else Debian's.
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all packages present"
  exit 0
fi
echo "bootstrap: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
