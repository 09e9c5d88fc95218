#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The `vecta` command reads JPEG, WebP and TIFF as well as PNG (issue 21; src/codecs).

usage: test_codecs_cli.py VECTA_EXE

The same pixels saved by Pillow as PNG, lossless WebP and TIFF (three compressions) must give
byte-identical SVGs from `vecta vectorize`; a JPEG gives an SVG; a folder run picks up .webp and
.tif files by default; a truncated WebP / TIFF / JPEG fails with one error line naming the file
and no output; `vecta quantize` writes .webp and .tif outputs that Pillow reads back.
Exit status 0 when every check passed.
"""
import io
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw

VECTA = os.path.abspath(sys.argv[1])
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args):
    return subprocess.run([VECTA, *args], capture_output=True)


def drawing():
    rng = np.random.default_rng(21)
    img = Image.new("RGB", (120, 90), (250, 248, 240))
    d = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = (int(v) for v in rng.integers(0, 90, 2))
        d.ellipse([x, y, x + 30, y + 25], fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
    return img


def main():
    with tempfile.TemporaryDirectory() as tmp:
        img = drawing()
        paths = {}
        for name, kw in [("a.png", {}), ("b.webp", {"lossless": True}), ("c.tif", {}),
                         ("d.tiff", {"compression": "tiff_lzw"}), ("e.tif", {"compression": "tiff_adobe_deflate"}),
                         ("f.jpg", {"quality": 95})]:
            p = os.path.join(tmp, name)
            img.save(p, **kw)
            paths[name] = p
        svgs = {}
        for name, p in paths.items():
            r = run("vectorize", p, "-o", "-")
            check(r.returncode == 0 and r.stdout.startswith(b"<svg") or b"<svg" in r.stdout[:200],
                  f"vectorize {name}: exit {r.returncode} {r.stderr.decode().strip()[:100]}")
            svgs[name] = r.stdout
        for name in ["b.webp", "c.tif", "d.tiff", "e.tif"]:
            check(svgs[name] == svgs["a.png"], f"{name}: the same SVG as the PNG of the same pixels")
        check(b"<path" in svgs["f.jpg"], "JPEG input traced to paths")

        # Folder mode: the default --glob includes .webp, .tif, .tiff.
        out = os.path.join(tmp, "out")
        r = run("vectorize", tmp, "-o", out)
        made = sorted(os.listdir(out)) if os.path.isdir(out) else []
        check(r.returncode == 0 and made == ["a.svg", "b.svg", "c.svg", "d.svg", "e.svg", "f.svg"],
              f"folder run finds every format: {made} exit {r.returncode}")

        # Truncated files: one error line naming the file, exit 1, no output file.
        for name in ["b.webp", "c.tif", "f.jpg"]:
            data = open(paths[name], "rb").read()
            bad = os.path.join(tmp, "bad_" + name)
            open(bad, "wb").write(data[: len(data) // 2])
            target = os.path.join(tmp, "bad.svg")
            r = run("vectorize", bad, "-o", target)
            err = r.stderr.decode()
            check(r.returncode == 1 and "bad_" + name in err and len(err.strip().splitlines()) == 1
                  and not os.path.exists(target), f"truncated {name}: exit {r.returncode}, {err.strip()[:120]}")

        # Outputs in the new formats.
        for ext in ["webp", "tif"]:
            o = os.path.join(tmp, "q." + ext)
            r = run("quantize", paths["c.tif"], "-o", o)
            ok = r.returncode == 0 and os.path.exists(o)
            if ok:
                back = np.asarray(Image.open(o).convert("RGB"))
                ok = back.shape == (90, 120, 3)
            check(ok, f"quantize writes .{ext}: exit {r.returncode} {r.stderr.decode().strip()[:100]}")
    print("%d failed checks" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
