#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches ONNX Runtime (C/C++ headers and the shared library) from the npm registry into the
# build tree, for vecta/adapters/onnx.hpp. Nothing is installed system-wide and nothing is
# vendored in the repository.
#
# usage: tools/fetch_onnxruntime.sh [DEST]          (default: build/_deps/onnxruntime)
#
# Result:  DEST/include/onnxruntime_cxx_api.h ...   (ORT API version 29)
#          DEST/lib/libonnxruntime.so.1 (+ .so link) or DEST/lib/libonnxruntime.dylib
#          DEST/LICENSE (MIT), DEST/ORT_VERSION, DEST/.complete (stamp)
#          DEST/dl/*.tgz                             (cached tarballs: reruns do not refetch)
#
# Packages (pinned, sha512 checked against the registry's dist.integrity):
#   com.github.asus4.onnxruntime@0.4.9  headers + ORT 1.29.0 for linux-x64 and macOS-arm64 (default)
#   onnxruntime-node@1.30.0             ORT 1.30.0 for linux-x64/arm64 and darwin-arm64
#                                       (ORT_RUNTIME=node, and always on linux-arm64)
# `npm pack` downloads a tarball and runs no package scripts (never `npm install`:
# onnxruntime-node's postinstall downloads CUDA libraries). See ../shared/research/onnx-runtime.md.
# Environment: ORT_RUNTIME=unity|node, ORT_KEEP_TGZ=0 deletes the tarballs after extraction.
set -euo pipefail

DEST=${1:-build/_deps/onnxruntime}
RUNTIME=${ORT_RUNTIME:-unity}
HDR_PKG=com.github.asus4.onnxruntime@0.4.9
HDR_TGZ=com.github.asus4.onnxruntime-0.4.9.tgz
HDR_SHA=sha512-BkzxduSZ9IkeDP6Q8lz2TFU2ie7hSSvS7ZIfzMooExoq0CNzJnuuGaUJ7IsojBgqO4ouD1jXah8OYyJbCN29Fg==
NODE_PKG=onnxruntime-node@1.30.0
NODE_TGZ=onnxruntime-node-1.30.0.tgz
NODE_SHA=sha512-twhs1C2C/BFkz1yc5OY0KIU2GUq6DURO7hD4bx5Q2Qy3nAMJwRXW8xU3NVczE29VA9lolLOYepoD8fjTGOfIqw==
HDR_DIR='package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers'

os=$(uname -s)
arch=$(uname -m)
case "$os/$arch" in
  Linux/x86_64) unity_lib=package/Plugins/Linux/x64/libonnxruntime.so
                node_lib=package/bin/napi-v6/linux/x64/libonnxruntime.so.1 ;;
  Linux/aarch64) unity_lib=""
                 node_lib=package/bin/napi-v6/linux/arm64/libonnxruntime.so.1 ;;
  Darwin/arm64) unity_lib=package/Plugins/macOS/arm64/libonnxruntime.dylib
                node_lib=package/bin/napi-v6/darwin/arm64/libonnxruntime.1.30.0.dylib ;;
  *) echo "fetch_onnxruntime: no ONNX Runtime build in the npm packages for $os/$arch" >&2; exit 1 ;;
esac
[ -n "$unity_lib" ] || RUNTIME=node
case "$RUNTIME" in
  unity) version=1.29.0 ;;
  node) version=1.30.0 ;;
  *) echo "fetch_onnxruntime: ORT_RUNTIME must be unity or node, is '$RUNTIME'" >&2; exit 1 ;;
esac

stamp="$HDR_PKG $RUNTIME $version $os/$arch"
if [ -f "$DEST/.complete" ] && [ "$(cat "$DEST/.complete")" = "$stamp" ]; then
  echo "fetch_onnxruntime: ONNX Runtime $version already in $DEST"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch_onnxruntime: npm not found (apt-get install npm)" >&2; exit 1; }
command -v node >/dev/null || { echo "fetch_onnxruntime: node not found (apt-get install nodejs)" >&2; exit 1; }
mkdir -p "$DEST/dl"
DEST=$(cd "$DEST" && pwd)
dl="$DEST/dl"

# sha512 of a file in npm's "integrity" form.
integrity() {
  node -e 'const c=require("crypto"),f=require("fs");
           process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

# Downloads package $1 as $dl/$2 unless a tarball with integrity $3 is already cached.
fetch() {
  local pkg=$1 tgz=$2 sha=$3
  if [ -f "$dl/$tgz" ] && [ "$(integrity "$dl/$tgz")" = "$sha" ]; then
    echo "fetch_onnxruntime: using cached $dl/$tgz"
    return
  fi
  rm -f "$dl/$tgz"
  echo "fetch_onnxruntime: npm pack $pkg"
  # A private npm cache, deleted afterwards (it would hold a second copy of the tarball).
  (cd "$dl" && npm_config_cache="$dl/npm-cache" npm pack "$pkg" --silent >/dev/null)
  rm -rf "$dl/npm-cache"
  local got
  got=$(integrity "$dl/$tgz")
  if [ "$got" != "$sha" ]; then
    rm -f "$dl/$tgz"
    echo "fetch_onnxruntime: $tgz has integrity $got, expected $sha" >&2
    exit 1
  fi
}

fetch "$HDR_PKG" "$HDR_TGZ" "$HDR_SHA"
[ "$RUNTIME" = node ] && fetch "$NODE_PKG" "$NODE_TGZ" "$NODE_SHA"

tmp="$dl/extract"
rm -rf "$tmp" "$DEST/include" "$DEST/lib"
mkdir -p "$tmp" "$DEST/include" "$DEST/lib"
tar -xzf "$dl/$HDR_TGZ" -C "$tmp" "$HDR_DIR" package/LICENSE
cp "$tmp/$HDR_DIR"/*.h "$DEST/include/"
cp "$tmp/package/LICENSE" "$DEST/LICENSE"
if [ "$RUNTIME" = unity ]; then
  tar -xzf "$dl/$HDR_TGZ" -C "$tmp" "$unity_lib"
  lib="$tmp/$unity_lib"
else
  tar -xzf "$dl/$NODE_TGZ" -C "$tmp" "$node_lib"
  lib="$tmp/$node_lib"
fi
if [ "$os" = Linux ]; then
  cp "$lib" "$DEST/lib/libonnxruntime.so.1"
  ln -sf libonnxruntime.so.1 "$DEST/lib/libonnxruntime.so"
else
  cp "$lib" "$DEST/lib/libonnxruntime.dylib"
fi
rm -rf "$tmp"
[ "${ORT_KEEP_TGZ:-1}" = 0 ] && rm -f "$dl"/*.tgz
echo "$version" > "$DEST/ORT_VERSION"
echo "$stamp" > "$DEST/.complete"
echo "fetch_onnxruntime: ONNX Runtime $version ($RUNTIME package) in $DEST"
