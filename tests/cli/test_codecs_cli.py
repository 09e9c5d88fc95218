#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The `vecta` command reads JPEG, WebP and TIFF as well as PNG (issue 21; src/codecs).

usage: test_codecs_cli.py VECTA_EXE

The same pixels saved by Pillow as PNG, lossless WebP and TIFF (three compressions) must give
byte-identical SVGs from `vecta vectorize`, as must binary PBM (P4) files and the PNG of their
pixels; a JPEG gives an SVG; a folder run picks up .webp and .tif files by default; a truncated
WebP / TIFF / JPEG and bad PBM headers and rasters fail with one error line naming the file and
no output; plain and raw PGM / PPM of any maxval, plain PBM and PAM give the SVG of the PNG of
their rescaled pixels, bad netpbm headers fail naming the field; --stats lines are JSON for file
names that are not UTF-8; `vecta quantize` writes .webp and .tif outputs that Pillow reads back.
Exit status 0 when every check passed.
"""
import io
import json
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

        # Binary PBM (netpbm P4, src/codecs' own reader): the same SVG as the PNG of the same
        # pixels, in binary and colour mode; odd widths (padding bits) and header comments.
        rng = np.random.default_rng(4)
        ink = np.asarray(img.convert("L")) < 128
        cases = {"pil": ink, "odd": rng.random((5, 13)) < 0.5, "one": np.array([[True]])}
        for name, a in cases.items():
            grey = np.where(a, 0, 255).astype(np.uint8)
            png = os.path.join(tmp, f"pbm_{name}.png")
            Image.fromarray(grey).save(png)
            pbm = os.path.join(tmp, f"pbm_{name}.pbm")
            if name == "pil":
                Image.fromarray(grey).convert("1").save(pbm)
            else:  # by hand: a comment in the header, the raster's padding bits set
                rows = b"".join(np.packbits(np.concatenate([r, np.ones(-len(r) % 8, bool)])).tobytes() for r in a)
                open(pbm, "wb").write(b"P4\n# comment\n%d\t%d\n" % (a.shape[1], a.shape[0]) + rows + b"extra")
            for mode in ["binary", "color"]:
                r_png = run("vectorize", png, "-o", "-", "--mode", mode)
                r_pbm = run("vectorize", pbm, "-o", "-", "--mode", mode)
                check(r_pbm.returncode == 0 and r_pbm.stdout == r_png.stdout and b"<svg" in r_pbm.stdout,
                      f"PBM {name} ({mode}): the same SVG as the PNG: exit {r_pbm.returncode} "
                      f"{r_pbm.stderr.decode().strip()[:100]}")
        good = open(os.path.join(tmp, "pbm_odd.pbm"), "rb").read()
        bad_pbms = {"truncated": good[:-8], "header_only": b"P4\n", "no_height": b"P4\n12", "zero": b"P4 0 5\n",
                    "huge_number": b"P4\n99999999999 2\n" + bytes(8), "above_limit": b"P4 100000 100000\n" + bytes(64),
                    "not_decimal": b"P4\nx 3\n" + bytes(3), "no_space": b"P4\n3 3x" + bytes(3),
                    "magic_only": b"P4", "negative": b"P4 -3 3\n" + bytes(3)}
        for name, data in bad_pbms.items():
            bad = os.path.join(tmp, f"badpbm_{name}.pbm")
            open(bad, "wb").write(data)
            target = os.path.join(tmp, f"badpbm_{name}.svg")
            r = run("vectorize", bad, "-o", target)
            err = r.stderr.decode()
            check(r.returncode == 1 and f"badpbm_{name}" in err and len(err.strip().splitlines()) == 1
                  and not os.path.exists(target), f"bad PBM {name}: exit {r.returncode}, {err.strip()[:120]}")

        # Netpbm beyond P4 (src/codecs/pbm.cpp): plain P1/P2/P3, raw P5/P6 of any maxval (samples
        # rescaled to round(v * 255 / maxval), 2 bytes big-endian above 255) and PAM (P7) give the
        # same SVG as the PNG of the rescaled pixels (numpy's rounding, an independent reference).
        rgb = np.asarray(img)
        grey = np.asarray(img.convert("L"))
        def scaled(v, maxval):
            return np.floor(v.astype(np.float64) * 255 / maxval + 0.5).astype(np.uint8)
        def plain(a):  # samples separated by mixed whitespace, a comment between two of them
            words = [str(int(v)) for v in a.ravel()]
            return (" ".join(words[:7]) + " # c 1 2\n" + "\n\t".join(words[7:])).encode()
        pnm_cases = {}
        for maxval in [1, 15, 255, 1000, 4095, 65535]:
            g = (grey.astype(np.uint32) * maxval // 255).astype(np.uint16)
            c = (rgb.astype(np.uint32) * maxval // 255).astype(np.uint16)
            dt = ">u2" if maxval > 255 else np.uint8
            head = b"%d %d\n%d\n" % (g.shape[1], g.shape[0], maxval)
            pnm_cases[f"p5_{maxval}.pgm"] = (b"P5\n" + head + g.astype(dt).tobytes(), scaled(g, maxval))
            pnm_cases[f"p6_{maxval}.ppm"] = (b"P6\n# c\n" + head + c.astype(dt).tobytes(), scaled(c, maxval))
            pnm_cases[f"p2_{maxval}.pgm"] = (b"P2\n" + head + plain(g), scaled(g, maxval))
            pnm_cases[f"p3_{maxval}.ppm"] = (b"P3 " + head + plain(c), scaled(c, maxval))
        bits = grey < 128
        pnm_cases["p1.pbm"] = (b"P1\n%d %d\n" % (bits.shape[1], bits.shape[0]) +
                               b"\n".join(b"".join(b"1" if v else b"0" for v in row) for row in bits),
                               np.where(bits, 0, 255).astype(np.uint8))
        rgba = np.dstack([rgb, (np.arange(rgb.shape[1]) * 2 % 256).astype(np.uint8)[None, :].repeat(rgb.shape[0], 0)])
        pnm_cases["p7.pam"] = (b"P7\nWIDTH %d\nHEIGHT %d\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n"
                               % (rgba.shape[1], rgba.shape[0]) + rgba.tobytes(), rgba)
        for name, (data, want) in pnm_cases.items():
            f = os.path.join(tmp, name)
            open(f, "wb").write(data)
            png = os.path.join(tmp, name + ".png")
            Image.fromarray(want).save(png)
            r_png, r_pnm = run("vectorize", png, "-o", "-"), run("vectorize", f, "-o", "-")
            check(r_pnm.returncode == 0 and r_pnm.stdout == r_png.stdout and b"<svg" in r_pnm.stdout,
                  f"netpbm {name}: the same SVG as the PNG of the rescaled pixels: exit {r_pnm.returncode} "
                  f"{r_pnm.stderr.decode().strip()[:100]}")
        bad_pnms = {"maxval0.ppm": (b"P6\n2 2\n0\n" + bytes(12), "maxval 0 is outside 1..65535"),
                    "maxval65536.pgm": (b"P5 2 2 65536\n" + bytes(8), "maxval 65536 is outside 1..65535"),
                    "negative.ppm": (b"P6\n-5 2\n255\n" + bytes(30), "the width is negative"),
                    "above.pgm": (b"P5 2 1 1000\n\x03\xe8\xfd\x02", "sample 64770 at (1, 0) is above maxval 1000"),
                    "plain_above.ppm": (b"P3 1 1 9 1 2 10\n", "above maxval 9"),
                    "pam_depth.pam": (b"P7\nWIDTH 1\nHEIGHT 1\nDEPTH 5\nMAXVAL 255\nENDHDR\n" + bytes(5), "depth 5"),
                    "plain_short.pgm": (b"P2 3 3 255 0 0 0\n", "truncated")}
        for name, (data, why) in bad_pnms.items():
            bad = os.path.join(tmp, "bad_" + name)
            open(bad, "wb").write(data)
            r = run("vectorize", bad, "-o", bad + ".svg")
            err = r.stderr.decode()
            check(r.returncode == 1 and "bad_" + name in err and why in err and len(err.strip().splitlines()) == 1
                  and not os.path.exists(bad + ".svg"), f"bad netpbm {name}: exit {r.returncode}, {err.strip()[:140]}")

        # --stats is JSON for any file name: bytes that are not UTF-8 come as \u00XX of the byte.
        names = os.path.join(tmp, "names")
        os.mkdir(names)
        odd = [b"\xff\xfe.png", b"caf\xc3\xa9 \"q\"\t.png", b"\xed\xa0\x80surrogate.png", b"\xc0\xafoverlong.png"]
        for n in odd:
            Image.fromarray(grey).save(os.path.join(os.fsencode(names), n), format="PNG")
        r = run("vectorize", names, "-o", os.path.join(tmp, "names_out"), "--stats", "-q")
        try:
            lines = [json.loads(l) for l in r.stdout.decode("utf-8").splitlines()]
            files = sorted(os.path.basename(l["file"]) for l in lines if "file" in l)
            want = sorted(n.decode("latin-1") if n[0] in (0xff, 0xed, 0xc0) else n.decode() for n in odd)
            ok = r.returncode == 0 and files == want and lines[-1]["ok"] == len(odd)
        except ValueError as e:
            ok, files = False, str(e)
        check(ok, f"--stats with non-UTF-8 file names is valid JSON (bytes as \\u00XX): {files}")

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
