#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pip install of issue 21, end to end (ctest python_pip_install).

Copies the source tree (without build/, .git and caches) to WORK/src, makes a venv with the system
site packages in WORK/venv, runs `pip install --no-build-isolation --no-index WORK/src` (offline),
then from a folder outside both trees: imports vecta and checks it is the installed copy,
`python -m vecta --version`, the stubs and py.typed, and runs pytest test_compat.py and
test_vectors.py against the installed package (all of python/tests with --full).

Usage: pip_install_check.py [--work DIR] [--full] [--fresh]
  --work DIR  where to put the copy and the venv (default: a temporary folder). ctest passes a folder
              in the build tree and VECTA_CMAKE_BUILD_DIR next to it, so a second run reuses the
              compiled objects (files are copied with their times) and takes seconds.
  --fresh     delete DIR first (a cold build, as from a clean clone).
Prints the time of each step.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns("build", ".git", "__pycache__", "*.so", "*.pyc", ".pytest_cache", "*.egg-info")


def run(cmd, **kw):
    t = time.perf_counter()
    r = subprocess.run(cmd, text=True, capture_output=True, **kw)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        sys.stdout.write(r.stdout[-6000:])
        sys.stderr.write(r.stderr[-6000:])
        raise SystemExit(f"FAILED ({r.returncode}): {' '.join(map(str, cmd))}")
    return r.stdout, dt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args()
    work = pathlib.Path(args.work) if args.work else pathlib.Path(tempfile.mkdtemp(prefix="vecta_pip_"))
    if args.fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    src, venv, outside = work / "src", work / "venv", work / "outside"

    t = time.perf_counter()
    shutil.copytree(REPO, src, ignore=IGNORE, dirs_exist_ok=True)  # copy2: times kept, make rebuilds nothing new
    print(f"copy of the tree: {time.perf_counter() - t:.1f} s")
    if not (venv / "bin" / "python").exists():
        _, dt = run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
        print(f"venv: {dt:.1f} s")
    py = str(venv / "bin" / "python")
    env = dict(os.environ)
    env.setdefault("VECTA_CMAKE_BUILD_DIR", str(work / "cmake"))
    env.pop("PYTHONPATH", None)
    _, dt = run([py, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", "--force-reinstall",
                 "-q", str(src)], env=env, cwd=str(work))
    print(f"pip install --no-build-isolation --no-index: {dt:.1f} s")

    outside.mkdir(exist_ok=True)
    env.pop("VECTA_CMAKE_BUILD_DIR")
    probe = ("import pathlib, vecta, vecta.compat, vecta.williams;"
             "p = pathlib.Path(vecta.__file__).parent;"
             "print(p); print(vecta.__version__);"
             "assert (p / '__init__.pyi').is_file() and (p / 'py.typed').is_file();"
             "assert vecta.williams.space_bound(100) > 66;"
             "print(sorted(q.name for q in p.iterdir() if not q.name.startswith('__pycache__')))")
    out, _ = run([py, "-c", probe], env=env, cwd=str(outside))
    where, version = out.splitlines()[:2]
    assert pathlib.Path(where).resolve().is_relative_to(venv.resolve()), f"vecta imported from {where}, not the venv"
    cm = re.search(r"project\(\s*vecta\s+VERSION\s+([0-9.]+)", (REPO / "CMakeLists.txt").read_text()).group(1)
    assert version == cm, (version, cm)
    vout, _ = run([py, "-m", "vecta", "--version"], env=env, cwd=str(outside))
    assert vout.strip() == f"vecta {cm}", vout
    print(f"installed: {where}\n{out.splitlines()[2]}\npython -m vecta --version: {vout.strip()}")

    tests = src / "python" / "tests"
    which = [str(tests)] if args.full else [str(tests / "test_compat.py"), str(tests / "test_vectors.py")]
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    out, dt = run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *which], env=env, cwd=str(outside))
    print(f"pytest against the installed package: {out.strip().splitlines()[-1]} ({dt:.1f} s)")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
