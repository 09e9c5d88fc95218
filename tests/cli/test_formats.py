#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`vecta vectorize` to PDF, EPS and DXF (issue 19), black box.

usage: test_formats.py VECTA_EXE REPO_DIR HAVE_CAIRO(0|1)

The format comes from the output's extension or --format; the files open in real readers
(pdftoppm, Ghostscript, ezdxf via tests/export/check_dxf.py) and render like the SVG; stdout
and folders need --format; bad combinations are usage errors (exit 2, one line, no file).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

VECTA, REPO = (os.path.abspath(a) for a in sys.argv[1:3])
HAVE_CAIRO = sys.argv[3] == "1"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args, **kw):
    return subprocess.run([VECTA, "vectorize", *args], capture_output=True, **kw)


def psnr(a, b):
    mse = ((np.asarray(a, float) - np.asarray(b, float)) ** 2).mean()
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def rgb(path):
    return Image.open(path).convert("RGB")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        icon = os.path.join(tmp, "icon.png")
        Image.open(os.path.join(REPO, "docs/img/vectorize-twemoji-1f98a-fox-face.png")).convert("RGB").crop(
            (0, 0, 256, 256)).save(icon)
        out = lambda name: os.path.join(tmp, name)
        r = run(icon, "-o", out("a.svg"), "--precision", "3")
        check(r.returncode == 0, "SVG written")
        subprocess.run(["rsvg-convert", "-b", "white", "-w", "256", "-h", "256", "-o", out("svg.png"), out("a.svg")],
                       check=True)
        # DXF by extension (any case), read back by ezdxf against the SVG.
        r = run(icon, "-o", out("a.DXF"), "--precision", "3", "--dxf-tolerance", "0.05", "--stats")
        stats = json.loads(r.stdout.decode().splitlines()[0]) if r.returncode == 0 else {}
        check(r.returncode == 0 and stats.get("format") == "dxf" and stats.get("bytes") == os.path.getsize(out("a.DXF")),
              "-o a.DXF: DXF, --stats says format dxf and its bytes")
        c = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "tests/export/check_dxf.py"), out("a.svg"),
                            out("a.DXF"), out("svg.png"), "0.05", "36"], capture_output=True)
        print("  check_dxf: " + c.stdout.decode().strip() + c.stderr.decode().strip())
        check(c.returncode == 0, "the command's DXF read back by ezdxf equals its SVG")
        r = run(icon, "-o", "-", "--format", "dxf", "--precision", "3", "--dxf-tolerance", "0.05")
        check(r.returncode == 0 and r.stdout == open(out("a.DXF"), "rb").read(), "-o - --format dxf: the same bytes on stdout")
        # A folder with --format: mirrored names with the format's extension.
        os.makedirs(out("in/sub"))
        Image.open(icon).save(out("in/sub/x.png"))
        r = run(out("in"), "-o", out("folder"), "--format", "dxf")
        check(r.returncode == 0 and os.listdir(out("folder/sub")) == ["x.dxf"], "folder with --format dxf: sub/x.dxf")
        if HAVE_CAIRO:
            r = run(icon, "-o", out("a.pdf"))
            check(r.returncode == 0 and open(out("a.pdf"), "rb").read(5) == b"%PDF-", "-o a.pdf: a PDF")
            # pdftocairo: poppler's parser, cairo's rasterizer (as librsvg's); pdftoppm's Splash
            # anti-aliases with 4 x 4 coverage levels (tests/adapters/test_cairo.cpp scores both).
            subprocess.run(["pdftocairo", "-r", "72", "-png", "-singlefile", out("a.pdf"), out("pdf")], check=True)
            db = psnr(rgb(out("pdf.png")), rgb(out("svg.png")))
            check(db > 40, "PDF rendered by pdftocairo vs the SVG: %.2f dB > 40" % db)
            subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", out("a.pdf"), out("pdfs")], check=True)
            db = psnr(rgb(out("pdfs.png")), rgb(out("svg.png")))
            check(db > 34, "PDF rendered by pdftoppm -r 72 vs the SVG: %.2f dB > 34" % db)
            r = run(icon, "-o", out("a.eps"))
            check(r.returncode == 0 and open(out("a.eps"), "rb").read(23) == b"%!PS-Adobe-3.0 EPSF-3.0",
                  "-o a.eps: an EPS")
            g = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dEPSCrop", "-r72", "-sDEVICE=png16m",
                                "-dGraphicsAlphaBits=4", "-sOutputFile=" + out("eps.png"), "-c", "0 0 .setfilladjust2",
                                "-f", out("a.eps")])
            if g.returncode == 0:
                db = psnr(rgb(out("eps.png")), rgb(out("svg.png")))
                check(db > 40, "EPS rendered by gs (fill adjust 0) vs the SVG: %.2f dB > 40" % db)
            else:
                print("skip: gs absent (tools/bootstrap.sh installs ghostscript)")
            cam = os.path.join(tmp, "cam.png")
            Image.open(os.path.join(REPO, "docs/img/vectorize-feather-camera.png")).convert("RGB").crop(
                (0, 0, 256, 256)).save(cam)
            r = run(cam, "--preset", "lineart", "-o", "-", "--format", "eps")
            check(r.returncode == 0 and b"\n%%BoundingBox: 0 0 256 256\n" in r.stdout[:400],
                  "line art (no background) to EPS: the bounding box is the page")
            r = run(icon, "-o", "-", "--format", "pdf")
            check(r.returncode == 0 and r.stdout[:5] == b"%PDF-", "-o - --format pdf: a PDF on stdout")
        # Usage errors: exit 2, one line naming the problem, nothing written.
        cases = [(["-o", out("x.svg"), "--format", "bmp"], b"--format"),
                 (["-o", out("x.pdf"), "--format", "dxf"], b"contradicts"),
                 (["-o", "-", "--dxf-tolerance", "0.1"], b"--format dxf"),
                 (["-o", out("x.svg"), "--dxf-tolerance", "0.1"], b"DXF output only"),
                 (["-o", out("x.dxf"), "--dxf-tolerance", "0"], b"--dxf-tolerance")]
        if not HAVE_CAIRO:
            cases += [(["-o", out("x.pdf")], b"PDF output needs cairo"),
                      (["-o", "-", "--format", "eps"], b"EPS output needs cairo")]
        for args, word in cases:
            r = run(icon, *args)
            written = [n for n in os.listdir(tmp) if n.startswith("x.")]
            check(r.returncode == 2 and r.stderr.startswith(b"vecta") and word in r.stderr and not written,
                  "usage error: %s -> %s" % (" ".join(a if a.startswith("-") or a == "0" else os.path.basename(a)
                                                      for a in args), r.stderr.decode().strip()[:150]))
    print("formats: %d failed checks" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
