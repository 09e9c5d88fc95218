#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Black-box tests of the `vecta` command (issue 22), one ctest test per function below.

usage: test_cli.py TEST VECTA_EXE REF_EXE REPO_DIR DATA_DIR

REF_EXE is tests/cli/ref_vectorize.cpp: the library call (vecta::vectorize with defaults) that
`vecta vectorize` must equal byte for byte. DATA_DIR is the shared corpus; tests that use it
skip that part with a message when it is absent. Exit status 0 when the test passed.
"""
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw

TEST = sys.argv[1]
VECTA, REF, REPO, DATA = (os.path.abspath(a) for a in sys.argv[2:6])
CHELSEA = os.path.join(REPO, "examples", "data", "chelsea.png")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args, **kw):
    return subprocess.run([VECTA, *args], capture_output=True, **kw)


def ref_svgs(pairs):
    """The library's SVG bytes for each (input, output) pair."""
    args = [p for pair in pairs for p in pair]
    subprocess.run([REF, *args], check=True)


def leftovers(folder):
    return [os.path.join(d, n) for d, _, names in os.walk(folder) for n in names if "vecta-tmp" in n]


def make_icons(folder):
    """A small tree of generated images: flat-colour shapes (PNG RGB, RGBA, gray), a JPEG, nested."""
    rng = np.random.default_rng(7)
    paths = []
    for i in range(6):
        sub = os.path.join(folder, "set%d" % (i % 2), "deep" if i >= 4 else "")
        os.makedirs(sub, exist_ok=True)
        img = Image.new("RGB", (96, 80), tuple(int(v) for v in rng.integers(0, 256, 3)))
        d = ImageDraw.Draw(img)
        for _ in range(4):
            x0, y0 = rng.integers(0, 60, 2)
            d.ellipse([int(x0), int(y0), int(x0) + 30, int(y0) + 25], fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
        if i == 1:
            img = img.convert("RGBA")
        if i == 2:
            img = img.convert("L")
        ext = ".jpg" if i == 3 else ".png"
        p = os.path.join(sub, "icon%d%s" % (i, ext))
        img.save(p)
        paths.append(p)
    return paths


def mirrored(src_root, out_root, path):
    rel = os.path.relpath(path, src_root)
    return os.path.join(out_root, os.path.splitext(rel)[0] + ".svg")


def compare_batch(src, out, files, label):
    with tempfile.TemporaryDirectory() as refdir:
        pairs = [(f, os.path.join(refdir, "%d.svg" % i)) for i, f in enumerate(files)]
        ref_svgs(pairs)
        same = 0
        for f, r in pairs:
            o = mirrored(src, out, f)
            if os.path.exists(o) and open(o, "rb").read() == open(r, "rb").read():
                same += 1
            else:
                print("  differs or missing: %s" % o)
        check(same == len(files), "%s: %d of %d SVGs equal the library call's bytes" % (label, same, len(files)))
    svgs = [os.path.join(d, n) for d, _, ns in os.walk(out) for n in ns]
    check(len(svgs) == len(files), "%s: one SVG per input (%d files in the output tree)" % (label, len(svgs)))


def test_batch():
    """vecta vectorize DIR -o OUT -j 2: one SVG per input, mirrored, equal to the library call."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in"), os.path.join(tmp, "out")
        files = make_icons(src)
        open(os.path.join(src, "notes.txt"), "w").write("not matched by --glob")
        r = run("vectorize", src, "-o", out, "-j", "2", "--stats")
        check(r.returncode == 0, "generated tree: exit 0 (got %d: %s)" % (r.returncode, r.stderr.decode()[-300:]))
        compare_batch(src, out, files, "generated tree")
        lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
        check(len(lines) == len(files) + 1 and lines[-1].get("summary") is True and lines[-1]["ok"] == len(files),
              "--stats: one JSON line per file and a summary line")
        check(all(l["file"] == f for l, f in zip(lines, sorted(files))), "--stats lines in input order")
        check(b"6 files: 6 done, 0 failed" in r.stderr, "summary on stderr: %r" % r.stderr.decode().strip()[-80:])
        # Existing outputs are refused without --overwrite, and replaced with it.
        r = run("vectorize", src, "-o", out, "-q")
        check(r.returncode == 1 and r.stderr.count(b"exists (use --overwrite)") == len(files),
              "second run without --overwrite: every existing output refused, exit 1")
        r = run("vectorize", src, "-o", out, "-q", "--overwrite", "-j", "2")
        check(r.returncode == 0 and not leftovers(out), "second run with --overwrite: exit 0")
        # The input is never replaced by its own result, even with --overwrite.
        before = open(files[0], "rb").read()
        # (--format svg: without it -o x.png is already a usage error, an extension that is no output format)
        r = run("vectorize", files[0], "-o", files[0], "--overwrite", "--format", "svg")
        check(r.returncode == 1 and b"is the input file" in r.stderr and open(files[0], "rb").read() == before,
              "-o INPUT --overwrite: refused, the input kept")
        # One file to a named file, and a file list to a folder.
        r = run("vectorize", files[0], "-o", os.path.join(tmp, "one.svg"))
        check(r.returncode == 0 and r.stderr == b"" and os.path.exists(os.path.join(tmp, "one.svg")),
              "one input to -o FILE: quiet, written")
        icons = os.path.join(DATA, "icons")
        if not os.path.isdir(icons):
            print("skip: %s absent (the shared icons part)" % icons)
            return
        out2 = os.path.join(tmp, "icons-out")
        t0 = time.perf_counter()
        r = run("vectorize", icons, "-o", out2, "-j", "2")
        files = sorted(os.path.join(icons, n) for n in os.listdir(icons) if n.endswith(".png"))
        check(r.returncode == 0, "shared icons: exit 0 in %.1f s" % (time.perf_counter() - t0))
        compare_batch(icons, out2, files, "shared icons")
        check(b"%d files: %d done, 0 failed" % (len(files), len(files)) in r.stderr, "shared icons: summary printed")


def batch_folder(tmp, n):
    src = os.path.join(tmp, "in")
    os.makedirs(src)
    for i in range(n):
        shutil.copy(CHELSEA, os.path.join(src, "f%03d.png" % i))
    return src


def test_progress():
    """Progress bar on a terminal (pty) for a batch over a second; none when piped or --quiet."""
    with tempfile.TemporaryDirectory() as tmp:
        src = batch_folder(tmp, 32)

        def on_pty(out, *extra):
            master, slave = pty.openpty()
            p = subprocess.Popen([VECTA, "vectorize", src, "-o", out, "-j", "2", *extra], stdout=subprocess.DEVNULL,
                                 stderr=slave, stdin=subprocess.DEVNULL)
            os.close(slave)
            seen = b""
            t0 = time.perf_counter()
            while True:
                ready, _, _ = select.select([master], [], [], 0.2)
                if ready:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:
                        chunk = b""
                    if not chunk:
                        break
                    seen += chunk
                elif p.poll() is not None:
                    break
            p.wait()
            os.close(master)
            return p.returncode, seen, time.perf_counter() - t0

        rc, seen, secs = on_pty(os.path.join(tmp, "o1"))
        print("  batch took %.1f s; terminal output tail: %r" % (secs, seen[-160:]))
        check(rc == 0, "pty: exit 0")
        if secs > 1.5:
            check(b"files/s" in seen and b"ETA" in seen and b"/32 files" in seen,
                  "pty: a progress bar with files done, rate and ETA")
        else:
            print("skip: the batch took under 1.5 s, too fast for a bar")
        check(b"32 files: 32 done, 0 failed" in seen, "pty: summary line")
        rc, seen, _ = on_pty(os.path.join(tmp, "o2"), "--quiet")
        check(rc == 0 and b"ETA" not in seen and b"32 files" not in seen, "pty with --quiet: no bar, no summary")
        r = run("vectorize", src, "-o", os.path.join(tmp, "o3"), "-j", "2")
        check(r.returncode == 0 and b"ETA" not in r.stderr and b"\r" not in r.stderr and b"32 files: 32 done" in r.stderr,
              "stderr piped: no bar, the summary only")


def test_bad_inputs():
    """Corrupt PNG, truncated JPEG, empty file, a folder named x.png: each reported, the rest traced."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "in"), os.path.join(tmp, "out")
        os.makedirs(os.path.join(src, "x.png"))
        shutil.copy(CHELSEA, os.path.join(src, "good.png"))
        shutil.copy(CHELSEA, os.path.join(src, "good2.png"))
        png = open(CHELSEA, "rb").read()
        open(os.path.join(src, "corrupt.png"), "wb").write(png[:64] + bytes(range(256)) * 8)
        Image.open(CHELSEA).convert("RGB").save(os.path.join(tmp, "full.jpg"), quality=90)
        jpg = open(os.path.join(tmp, "full.jpg"), "rb").read()
        open(os.path.join(src, "truncated.jpg"), "wb").write(jpg[: len(jpg) // 2])
        open(os.path.join(src, "empty.png"), "wb").close()
        r = run("vectorize", src, "-o", out, "-j", "2")
        err = r.stderr.decode()
        print("  stderr:\n    " + err.strip().replace("\n", "\n    "))
        check(r.returncode == 1, "exit status 1 (got %d)" % r.returncode)
        for name in ("corrupt.png", "truncated.jpg", "empty.png", "x.png"):
            check(any(l.startswith("vecta vectorize: ") and name in l for l in err.splitlines()), "%s reported by name" % name)
        got = sorted(os.path.relpath(os.path.join(d, n), out) for d, _, ns in os.walk(out) for n in ns)
        check(got == ["good.svg", "good2.svg"], "only the good files traced, no partial output: %s" % got)
        check("6 files: 2 done, 4 failed" in err, "summary counts the failures")
        # A single bad file: one error line, exit 1, no output.
        r = run("vectorize", os.path.join(src, "empty.png"), "-o", os.path.join(tmp, "e.svg"))
        check(r.returncode == 1 and len(r.stderr.splitlines()) == 1 and not os.path.exists(os.path.join(tmp, "e.svg")),
              "one bad file: one error line, exit 1, no output")
        # Two inputs that map to one output: the second is reported, the first written.
        dup = os.path.join(tmp, "dup")
        os.makedirs(dup)
        shutil.copy(CHELSEA, os.path.join(dup, "a.png"))
        shutil.copy(os.path.join(tmp, "full.jpg"), os.path.join(dup, "a.jpg"))
        r = run("vectorize", dup, "-o", os.path.join(tmp, "dupout"))
        check(r.returncode == 1 and b"also" in r.stderr and os.path.exists(os.path.join(tmp, "dupout", "a.svg")),
              "a.jpg and a.png to one a.svg: the second reported")
        # Usage errors: exit 2 with a message, nothing written.
        for args in (["vectorize", src], ["vectorize", src, "-o", "-"], ["vectorize", CHELSEA, "-o", "x.svg", "--colors", "0"],
                     ["vectorize", CHELSEA, "-o", "x.svg", "--mode", "sepia"], ["vectorize", "-", CHELSEA, "-o", "d"],
                     ["vectorize", CHELSEA, "-o", "x.svg", "--speckle", "3", "--turdsize", "2"], ["bogus"]):
            r = run(*args, cwd=tmp)
            check(r.returncode == 2 and r.stderr.startswith(b"vecta") and not os.path.exists(os.path.join(tmp, "x.svg")),
                  "usage error exits 2: %s -> %s" % (" ".join(args[1:]) if len(args) > 1 else args[0],
                                                     r.stderr.decode().splitlines()[0] if r.stderr else ""))


def test_sigint():
    """SIGINT during a batch: exit 130, no temporary file, every written SVG complete."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = batch_folder(tmp, 40), os.path.join(tmp, "out")
        ref = os.path.join(tmp, "ref.svg")
        ref_svgs([(CHELSEA, ref)])
        want = open(ref, "rb").read()
        p = subprocess.Popen([VECTA, "vectorize", src, "-o", out, "-j", "2"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 30 and not (os.path.isdir(out) and
                                                   sum(n.endswith(".svg") for n in os.listdir(out)) >= 2):
            time.sleep(0.01)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        print("  stderr tail: %r" % err[-200:])
        check(p.returncode == 130, "exit status 130 (got %d)" % p.returncode)
        check(not leftovers(out), "no temporary file left")
        svgs = sorted(os.listdir(out))
        check(0 < len(svgs) < 40, "stopped early: %d of 40 written" % len(svgs))
        check(all(open(os.path.join(out, n), "rb").read() == want for n in svgs), "every written SVG is complete")
        check(b"interrupted" in err, "says it was interrupted")


def test_stdio():
    """- for stdin and stdout; single inputs to files; other subcommands through pipes."""
    with tempfile.TemporaryDirectory() as tmp:
        ref = os.path.join(tmp, "ref.svg")
        ref_svgs([(CHELSEA, ref)])
        png = open(CHELSEA, "rb").read()
        r = run("vectorize", "-", "-o", "-", input=png)
        check(r.returncode == 0 and r.stdout == open(ref, "rb").read(), "vectorize - -o -: the library's bytes on stdout")
        r = run("vectorize", CHELSEA, "-o", "-", "--stats")
        check(r.returncode == 0 and r.stdout == open(ref, "rb").read() and b'"paths"' in r.stderr,
              "-o - with --stats: SVG on stdout, stats on stderr")
        r = run("vectorize", "-", "-o", os.path.join(tmp, "s.svg"), input=png)
        check(r.returncode == 0 and open(os.path.join(tmp, "s.svg"), "rb").read() == open(ref, "rb").read(),
              "stdin to a file")
        r = run("quantize", "-", "-o", "-", "-k", "4", input=png)
        check(r.returncode == 0 and r.stdout[:8] == b"\x89PNG\r\n\x1a\n", "quantize - -o -: a PNG on stdout")
        from io import BytesIO
        q = np.asarray(Image.open(BytesIO(r.stdout)).convert("RGB"))
        check(len(np.unique(q.reshape(-1, 3), axis=0)) <= 4, "quantize -k 4: at most 4 colours")
        check(r.stdout[25] == 3 and r.stdout[24] <= 2 and Image.open(BytesIO(r.stdout)).mode == "P",
              "quantize -k 4: an indexed PNG of at most 2-bit indices")
        r = run("edges", CHELSEA, "-o", os.path.join(tmp, "e.png"), "--blur", "5")
        e = np.asarray(Image.open(os.path.join(tmp, "e.png")))
        check(r.returncode == 0 and set(np.unique(e)) <= {0, 255} and (e == 255).any(), "edges: a 0/255 edge map")
        r1, r2 = run("hash", CHELSEA), run("hash", "-", input=png)
        lines = (r1.stdout + r2.stdout).decode().splitlines()
        check(r1.returncode == 0 and r2.returncode == 0 and len(lines) == 2 and lines[0].split()[0] == lines[1].split()[0]
              and lines[1].endswith("  -"), "hash FILE, hash -: the same content hash: %s" % lines)
        # The content hash is of the pixels: the same pixels as an RGB PNG from PIL hash alike;
        # one changed pixel changes it; dhash of the copy is the same too.
        Image.open(CHELSEA).save(os.path.join(tmp, "copy.png"), compress_level=1)
        px = np.asarray(Image.open(CHELSEA)).copy()
        px[5, 7, 0] ^= 1
        Image.fromarray(px).save(os.path.join(tmp, "changed.png"))
        r = run("hash", CHELSEA, os.path.join(tmp, "copy.png"), os.path.join(tmp, "changed.png"), "-q")
        h = [l.split()[0] for l in r.stdout.decode().splitlines()]
        check(len(h) == 3 and h[0] == h[1] != h[2], "content hash: re-encoded copy equal, one changed pixel differs")
        r = run("hash", "--method", "dhash", CHELSEA, os.path.join(tmp, "changed.png"), "-q")
        h = [l.split()[0] for l in r.stdout.decode().splitlines()]
        check(len(h) == 2 and h[0] == h[1], "dhash: one changed pixel, same perceptual hash")
        frames = os.path.join(tmp, "frames")
        os.makedirs(frames)
        for n in ("a.png", "b.png"):
            shutil.copy(CHELSEA, os.path.join(frames, n))
        r = run("dedup", frames, "--list")
        check(r.returncode == 0 and b"drop b.png (hash seen before)" in r.stdout and b"frames 2, kept 1" in r.stdout,
              "dedup: the copy dropped")


def test_help():
    """--help shows defaults and units, --version, and completion from the same definitions."""
    r = run("--version")
    check(r.returncode == 0 and r.stdout.startswith(b"vecta "), "--version: %r" % r.stdout.strip())
    r = run("vectorize", "--help")
    h = r.stdout.decode()
    for want in ("=24", "=0.2", "=135", "px", "degrees", "--turdsize", "--filter-speckle", "--alphamax", "--opttolerance",
                 "--color-precision", "--preset", "icon,photo,lineart,poster", "--overwrite", "-j,--jobs"):
        check(want in h, "vectorize --help mentions %s" % want)
    for sub in ("vectorize", "quantize", "edges", "dedup", "similarity", "hash", "completion"):
        r = run(sub, "--help")
        check(r.returncode == 0 and b"Usage: vecta " + sub.encode() in r.stdout, "%s --help" % sub)
        if sub != "completion":
            r = run(sub, "--version")
            check(r.returncode == 0 and r.stdout.startswith(b"vecta "), "%s --version" % sub)
    r = run("completion", "bash")
    script = r.stdout.decode()
    check(r.returncode == 0 and "--filter-speckle" in script and "icon photo lineart poster" in script,
          "completion bash lists options and choices")
    syn = subprocess.run(["bash", "-n"], input=r.stdout, capture_output=True)
    check(syn.returncode == 0, "completion script parses (bash -n)")
    # The completion function answers: `vecta vectorize --pres<TAB>` and `--preset <TAB>`.
    probe = script + '\nCOMP_WORDS=(vecta vectorize --pres); COMP_CWORD=2; _vecta; echo "${COMPREPLY[*]}"\n' + \
        'COMP_WORDS=(vecta vectorize --preset ""); COMP_CWORD=3; _vecta; echo "${COMPREPLY[*]}"\n'
    out = subprocess.run(["bash", "-c", probe], capture_output=True).stdout.decode().splitlines()
    check(out[:2] == ["--preset", "icon photo lineart poster"], "completion answers: %s" % out[:2])


def write_npy(path, arr, header=None):
    if header is None:
        np.save(path, arr)
        return
    open(path, "wb").write(header + arr.tobytes())


def npy_header(d, version=1):
    text = repr(d).encode() + b"\n"
    if version == 1:
        return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text
    return b"\x93NUMPY\x02\x00" + len(text).to_bytes(4, "little") + text


def test_similarity():
    """similarity: top-k equal to NumPy's brute force; hostile .npy files are errors, never crashes."""
    rng = np.random.default_rng(3)
    with tempfile.TemporaryDirectory() as tmp:
        index = rng.standard_normal((300, 24)).astype(np.float32)
        queries = rng.standard_normal((7, 24)).astype(np.float32)
        ip, qp = os.path.join(tmp, "index.npy"), os.path.join(tmp, "q.npy")
        np.save(ip, index)
        np.save(qp, queries)
        # NumPy reference: cosine and Euclidean top-5.
        n_i = index / np.linalg.norm(index, axis=1, keepdims=True)
        n_q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
        cases = {"cosine": np.argsort(-(n_q @ n_i.T), axis=1, kind="stable")[:, :5],
                 "euclidean": np.argsort(((queries[:, None, :] - index[None]) ** 2).sum(-1), axis=1, kind="stable")[:, :5]}
        for metric, want in cases.items():
            r = run("similarity", ip, qp, "-k", "5", "--metric", metric)
            rows = [l.split("\t") for l in r.stdout.decode().splitlines()[1:]]
            got = np.array([int(x[2]) for x in rows]).reshape(7, 5) if len(rows) == 35 else None
            check(r.returncode == 0 and got is not None and (got == want).all(), "%s top-5 equals NumPy's" % metric)
        # Fortran order, big-endian and a 1-D query are read as the same matrix.
        np.save(os.path.join(tmp, "f.npy"), np.asfortranarray(index))
        np.save(os.path.join(tmp, "be.npy"), index.astype(">f4"))
        np.save(os.path.join(tmp, "one.npy"), queries[0])
        base = run("similarity", ip, qp, "-k", "3").stdout
        check(run("similarity", os.path.join(tmp, "f.npy"), qp, "-k", "3").stdout == base, "Fortran-order index: same result")
        check(run("similarity", os.path.join(tmp, "be.npy"), qp, "-k", "3").stdout == base, "big-endian index: same result")
        one = run("similarity", ip, os.path.join(tmp, "one.npy"), "-k", "3").stdout.decode().splitlines()
        check(one[1:] == base.decode().splitlines()[1:4], "1-D query: one row")
        r = run("similarity", "-", qp, "-k", "3", input=open(ip, "rb").read())
        check(r.stdout == base, "index from stdin")
        good = open(ip, "rb").read()
        hdr_len = int.from_bytes(good[8:10], "little") + 10
        bad = {
            "empty": b"",
            "no magic": b"PK\x03\x04" + good[4:],
            "truncated data": good[:-5],
            "extra data": good + b"\0\0\0\0",
            "truncated header": good[:hdr_len - 20],
            "header length past the end": good[:8] + b"\xff\xff" + good[10:200],
            "version 9": good[:6] + b"\x09" + good[7:],
            "float64": None,
            "int32": None,
            "3-D": npy_header({"descr": "<f4", "fortran_order": False, "shape": (2, 2, 2)}) + b"\0" * 32,
            "zero rows": npy_header({"descr": "<f4", "fortran_order": False, "shape": (0, 4)}),
            "huge shape": npy_header({"descr": "<f4", "fortran_order": False, "shape": (2**40, 2**40)}) + b"\0" * 16,
            "shape overflows": npy_header({"descr": "<f4", "fortran_order": False, "shape": (99999999999999999999, 1)}),
            "missing key": npy_header({"descr": "<f4", "shape": (1, 4)}) + b"\0" * 16,
            "repeated key": b"\x93NUMPY\x01\x00" + (40).to_bytes(2, "little") +
                            b"{'shape': (1, 1), 'shape': (1, 1), }   \n" + b"\0" * 4,
            "garbage header": b"\x93NUMPY\x01\x00" + (16).to_bytes(2, "little") + b"{'descr': '<f4\n" + b"\0" * 16,
            "NaN value": None,
            "v2 header": npy_header({"descr": "<f8", "fortran_order": False, "shape": (1, 1)}, version=2) + b"\0" * 8,
        }
        bad["float64"] = None
        for name in list(bad):
            p = os.path.join(tmp, "bad.npy")
            if name == "float64":
                np.save(p, index.astype(np.float64))
            elif name == "int32":
                np.save(p, index.astype(np.int32))
            elif name == "NaN value":
                x = index.copy()
                x[3, 4] = np.nan
                np.save(p, x)
            else:
                open(p, "wb").write(bad[name])
            r = run("similarity", p, qp)
            ok = r.returncode == 1 and r.stderr.startswith(b"vecta similarity: ") and len(r.stderr.splitlines()) == 1
            check(ok, "bad .npy (%s): exit 1, %s" % (name, r.stderr.decode().strip()[:110]))
        r = run("similarity", ip, os.path.join(tmp, "one.npy"), "-k", "0")
        check(r.returncode == 2, "-k 0 is a usage error")


if __name__ == "__main__":
    globals()["test_" + TEST]()
    print("%s: %d failed checks" % (TEST, len(failures)))
    sys.exit(1 if failures else 0)
