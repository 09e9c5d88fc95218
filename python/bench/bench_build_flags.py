#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The module's hot functions in two builds of vecta, alternated in one run (issue 18).

    PYTHONPATH=build/h2/python /usr/bin/python3 python/bench/bench_build_flags.py \\
        --other build/h2-native/python [--rounds 7] [--calls 5]

The imported vecta is the build under test (e.g. the default flags); --other is the folder holding
the other build's package (e.g. one configured with -DCMAKE_CXX_FLAGS=-march=native). Each round
runs every workload in both builds, each in a fresh process, alternating which build goes first;
a process times --calls calls after one warm-up (median). The table gives the median over rounds
per build and their ratio (this build's time / the other's: above 1 means this build is slower),
for the wall clock and for the CPU time of the process (time.process_time, all threads; on a
loaded machine the wall-clock ratio of the threaded calls moves far more).
Inputs: the shared 1080p photo (W1, W2), seeded random float32 matrices (W5, k-means), a 600 x 600
PNG for quantize_colors, a traced outline for bezier_fit.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def workloads(data_dir):
    """name -> zero-argument callable, built on the inputs (in the worker process)."""
    import vecta

    rgb = vecta.load_image(os.path.join(data_dir, "photos", "bench-1920x1080-kde-path.jpg"), channels=3)
    grey = vecta.to_gray(rgb)
    greyf = grey.astype(np.float32) / 255
    rng = np.random.default_rng(0)
    db = rng.standard_normal((20000, 768), dtype=np.float32)
    q = rng.standard_normal((1000, 768), dtype=np.float32)
    pts = rng.standard_normal((100000, 16), dtype=np.float32)
    small = np.ascontiguousarray(rgb[240:840, 660:1260])
    png = vecta.encode_image(small, compression=1)
    t = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    outline = np.stack([400 + 300 * np.cos(t) + 20 * np.cos(9 * t), 400 + 200 * np.sin(t)], axis=1)
    ts = np.linspace(1, 1e9, 1_000_000)
    bloom = vecta.BloomFilter(1_000_000, 0.01)
    keys = rng.integers(0, 2 ** 63, 1_000_000, dtype=np.uint64)
    bloom.insert_many(keys[::2])
    return {
        "W1 quantize 1080p k=16": lambda: vecta.quantize(rgb, colors=16),
        "W1 quantize 1080p k=32": lambda: vecta.quantize(rgb, colors=32),
        "kmeans 100k x 16 k=16": lambda: vecta.kmeans(pts, k=16, max_iter=10),
        "quantize_colors 600x600 PNG": lambda: vecta.quantize_colors(png, 16, 10),
        "W2 gaussian u8 1080p": lambda: vecta.gaussian_blur(grey, ksize=5, sigma=1.4),
        "W2 gaussian float32 1080p": lambda: vecta.gaussian_blur(greyf, ksize=5, sigma=1.4),
        "W2 sobel magnitude 1080p": lambda: vecta.sobel_magnitude(grey),
        "W2 canny 1080p": lambda: vecta.canny(grey, low=50, high=150),
        "W5 normalize 20k x 768": lambda: vecta.normalize(db),
        "W5 dot matrix 1000 x 20k x 768": lambda: vecta.similarity_matrix(q, db, metric="dot"),
        "W5 cosine top-10 1000 x 20k": lambda: vecta.topk(q, db, k=10, metric="cosine"),
        "W6 Bloom contains_many 1M": lambda: bloom.contains_many(keys),
        "bezier_fit 2000 points": lambda: vecta.bezier_fit(outline, max_error=0.5, closed=True),
        "williams space_bound 1M": lambda: vecta.space_bound(ts),
    }


def worker(path, data_dir, calls):
    sys.path.insert(0, path)
    res = {}
    for name, fn in workloads(data_dir).items():
        fn()  # warm-up
        times, cpu = [], []
        for _ in range(calls):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            cpu.append(time.process_time() - c0)
            times.append(time.perf_counter() - t0)
        res[name] = [1e3 * statistics.median(times), 1e3 * statistics.median(cpu)]
    print(json.dumps(res))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--other", required=True, help="folder holding the other build's vecta package")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--data", default=os.environ.get("VECTA_DATA_DIR", os.path.join(os.path.dirname(__file__),
                                                                                  "../../../shared/data")))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker, a.data, a.calls)
    import vecta
    this = os.path.dirname(os.path.dirname(os.path.abspath(vecta.__file__)))
    runs = {"this": [], "other": []}
    for r in range(a.rounds):
        order = [("this", this), ("other", os.path.abspath(a.other))]
        if r % 2:
            order.reverse()
        for label, path in order:
            env = dict(os.environ, PYTHONPATH=path)
            out = subprocess.run([sys.executable, __file__, "--worker", path, "--data", a.data, "--calls", str(a.calls),
                                  "--other", a.other], check=True, capture_output=True, text=True, env=env)
            runs[label].append(json.loads(out.stdout))
    print(f"this: {this}\nother: {os.path.abspath(a.other)}\n{a.rounds} rounds x {a.calls} calls, load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| workload | this ms | other ms | this / other | CPU: this ms | other ms | this / other |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in runs["this"][0]:
        t, o = (statistics.median(r[name][0] for r in runs[x]) for x in ("this", "other"))
        tc, oc = (statistics.median(r[name][1] for r in runs[x]) for x in ("this", "other"))
        print(f"| {name} | {t:.3g} | {o:.3g} | {t / o:.2f} | {tc:.3g} | {oc:.3g} | {tc / oc:.2f} |")


if __name__ == "__main__":
    main()
