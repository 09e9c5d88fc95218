#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`vecta vectorize` leftovers of the black-box report (/work/notes/stranger.md items 6, 9): the
colour-work cap, SIGTERM / SIGINT while one file computes, output names whose extension is no
output format, and NaN for a floating-point option. One ctest test per function below.

usage: test_limits.py TEST VECTA_EXE
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image

TEST = sys.argv[1]
VECTA = os.path.abspath(sys.argv[2])
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args, **kw):
    """The command's result; one that runs over 60 s is killed (exit -9, stderr 'timeout')."""
    try:
        return subprocess.run([VECTA, *args], capture_output=True, timeout=60, **kw)
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        return subprocess.CompletedProcess(args, -9, b"", b"timeout")


def noise(path, size=256, seed=3):
    Image.fromarray(np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)).save(path)


def test_work_cap():
    """--colors / --region-colors x traced pixels above 2^32 is refused at once, naming the option."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "noise.png"), os.path.join(tmp, "o.svg")
        noise(src)
        t0 = time.perf_counter()
        r = run("vectorize", src, "--upscale", "4", "--colors", "65536", "-o", out)  # was: 458 s
        dt = time.perf_counter() - t0
        err = r.stderr.decode()
        print("  " + err.strip())
        check(r.returncode == 1 and dt < 10, "--colors 65536 --upscale 4 fails quickly (%.2f s, exit %d)"
              % (dt, r.returncode))
        check("--colors 65536" in err and "--upscale" in err and "2^32" in err and "at most 4096 colours" in err,
              "the message names --colors, --upscale, the limit and the largest allowed value")
        check(not os.path.exists(out), "nothing written")
        r = run("vectorize", src, "--upscale", "4", "--colors", "4097", "-o", out)
        check(r.returncode == 1 and b"--colors 4097" in r.stderr, "one colour above the limit is refused")
        r = run("vectorize", src, "--kmeans", "--colors", "8", "--region-colors", "65536", "--upscale", "2", "-o",
                out)
        check(r.returncode == 1 and b"lower --region-colors" in r.stderr, "--region-colors is named when it is larger")
        # Below the cap, and any colour count up to 256 at any size, runs as before.
        r = run("vectorize", src, "--upscale", "1", "--colors", "1024", "-o", out, "--stats")
        check(r.returncode == 0 and os.path.getsize(out) > 0, "--colors 1024 at 256 x 256 is traced")
        r = run("vectorize", src, "--mode", "binary", "--colors", "65536", "--upscale", "4", "-o", out, "--overwrite")
        check(r.returncode == 0, "binary mode (colours unused) is not capped")


def interrupt(sig, extra):
    """sig one second into a single file of several seconds' work: the command ends within 3 s."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "noise.png"), os.path.join(tmp, "o.svg")
        noise(src)
        # At the cap: 256 x 256 x 4^2 pixels x 4096 colours, several seconds of work.
        p = subprocess.Popen([VECTA, "vectorize", src, "--upscale", "4", "--colors", "4096", "-o", out, *extra],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.0)
        check(p.poll() is None, "%s: still computing after 1 s" % sig.name)
        t0 = time.perf_counter()
        p.send_signal(sig)
        try:
            so, se = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            so, se = p.communicate()
        dt = time.perf_counter() - t0
        print("  stderr: %r" % se[-200:])
        check(dt < 3, "%s: ended %.2f s after the signal (was: after the file, minutes)" % (sig.name, dt))
        check(p.returncode == 128 + sig.value, "%s: exit status %d (got %d)" % (sig.name, 128 + sig.value,
                                                                                p.returncode))
        check(not os.path.exists(out) and not [n for n in os.listdir(tmp) if "vecta-tmp" in n],
              "%s: no output and no temporary file" % sig.name)
        check(b"interrupted: 0 of 1 files done" in se, "%s: says it was interrupted" % sig.name)
        if "--stats" in extra:
            check(b'"interrupted": true' in so, "%s: --stats summary line says interrupted" % sig.name)


def test_signals():
    interrupt(signal.SIGTERM, [])
    interrupt(signal.SIGINT, ["--stats"])


def test_output_extension():
    """-o NAME.ext: .svg .pdf .eps .dxf choose the format; another extension is a usage error unless
    --format says what to write; no extension is SVG."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.png")
        img = np.full((32, 32, 3), 255, np.uint8)
        img[8:24, 8:24] = (0, 90, 200)
        Image.fromarray(img).save(src)
        for name in ("x.png", "x.svgz", "x.JPG", "x.txt"):
            out = os.path.join(tmp, name)
            r = run("vectorize", src, "-o", out)
            err = r.stderr.decode()
            ext = name.split(".")[1].lower()
            check(r.returncode == 2 and ("-o " + out) in err and ("extension ." + ext) in err
                  and "--format" in err and not os.path.exists(out),
                  "-o %s refused, exit 2: %s" % (name, err.strip()[:150]))
        r = run("vectorize", src, "-o", os.path.join(tmp, "x.png"), "--format", "svg")
        check(r.returncode == 0 and open(os.path.join(tmp, "x.png"), "rb").read().startswith(b"<svg"),
              "-o x.png --format svg writes SVG under that name")
        r = run("vectorize", src, "-o", os.path.join(tmp, "x.dat"), "--format", "dxf")
        check(r.returncode == 0 and b"SECTION" in open(os.path.join(tmp, "x.dat"), "rb").read(),
              "-o x.dat --format dxf writes DXF")
        r = run("vectorize", src, "-o", os.path.join(tmp, "plain"))
        check(r.returncode == 0 and open(os.path.join(tmp, "plain"), "rb").read().startswith(b"<svg"),
              "-o NAME without extension: SVG")
        r = run("vectorize", src, "-o", os.path.join(tmp, "y.DXF"))
        check(r.returncode == 0 and b"SECTION" in open(os.path.join(tmp, "y.DXF"), "rb").read(),
              "-o y.DXF: DXF by extension")
        # A folder input writes into -o as a folder: its name's extension is not a file format.
        os.makedirs(os.path.join(tmp, "many"))
        Image.fromarray(img).save(os.path.join(tmp, "many", "a.png"))
        r = run("vectorize", os.path.join(tmp, "many"), "-o", os.path.join(tmp, "out.v1"))
        check(r.returncode == 0 and os.path.exists(os.path.join(tmp, "out.v1", "a.svg")),
              "folder input, -o out.v1: a folder of SVGs")


def test_nan_options():
    """A floating-point option given NaN is a usage error naming it (CLI11's range check compares,
    and NaN compares false: --split-psnr nan failed every file instead); in-range values run."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in.png"), os.path.join(tmp, "o.svg")
        noise(src, size=32)
        for opt in ("--split-psnr", "--min-psnr", "--tolerance", "--corner", "--alphamax", "--blacklevel",
                    "--dxf-tolerance"):
            for v in ("nan", "NaN", "-nan"):
                r = run("vectorize", src, "-o", out, "--overwrite", opt + "=" + v)
                err = r.stderr.decode()
                check(r.returncode == 2 and opt in err and "NaN" in err, "%s=%s refused, exit 2: %s" %
                      (opt, v, err.strip()[:120]))
        r = run("vectorize", src, "-o", out, "--overwrite", "--split-psnr", "0")
        check(r.returncode == 0, "--split-psnr 0 runs")


if __name__ == "__main__":
    globals()["test_" + TEST]()
    print("%s: %d failed checks" % (TEST, len(failures)))
    sys.exit(1 if failures else 0)
