#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""quantize_colors on a 600 x 600 PNG: this build against another build of the module (issue 21).

    PYTHONPATH=build/py/python /usr/bin/python3 python/bench/bench_quantize_colors.py --baseline /tmp/vecta_base

--baseline is a folder holding another vecta package (e.g. the module built at git HEAD, copied
from <build>/python/vecta). Each round runs the two builds one after the other in fresh processes
(alternating which goes first), --calls calls each; the medians over rounds are compared, with
the PSNR of each result against the input. CPU ms is the process CPU time per call (all threads): less sensitive
to other processes on a loaded machine than wall time. The input: the shared photos resized to 600 x 600 (cv2.INTER_AREA),
encoded by cv2 as PNG.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

PHOTOS = ["kde-colorfulcups-1024.png", "mate-freshflower-1024.png", "skimage-astronaut.png"]


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def inputs(data_dir):
    import cv2
    out = []
    for name in PHOTOS:
        img = cv2.imread(os.path.join(data_dir, "photos", name), cv2.IMREAD_COLOR)
        if img is None:
            continue
        img = cv2.resize(img, (600, 600), interpolation=cv2.INTER_AREA)
        out.append((name, cv2.imencode(".png", img)[1].tobytes(), img[..., ::-1].copy()))
    return out


def worker(path, data_dir, calls):
    sys.path.insert(0, path)
    import vecta
    res = {}
    for name, png, rgb in inputs(data_dir):
        vecta.quantize_colors(png, 16, 10)  # warm-up
        times, cpu = [], []
        for _ in range(calls):
            t0, c0 = time.perf_counter(), time.process_time()
            out = vecta.quantize_colors(png, 16, 10)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        res[name] = {"ms": 1e3 * statistics.median(times), "cpu_ms": 1e3 * statistics.median(cpu),
                     "psnr": psnr(vecta.decode_image(out), rgb), "bytes": len(out)}
    print(json.dumps(res))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", required=True, help="folder holding the other build's vecta package")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--data", default=os.environ.get("VECTA_DATA_DIR", os.path.join(os.path.dirname(__file__), "../../../shared/data")))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker, a.data, a.calls)
    import vecta
    new_path = os.path.dirname(os.path.dirname(os.path.abspath(vecta.__file__)))
    runs = {"baseline": [], "new": []}
    for r in range(a.rounds):
        order = [("baseline", a.baseline), ("new", new_path)]
        if r % 2:
            order.reverse()
        for label, path in order:
            out = subprocess.run([sys.executable, __file__, "--worker", path, "--data", a.data, "--calls", str(a.calls),
                                  "--baseline", a.baseline], check=True, capture_output=True, text=True,
                                 env=dict(os.environ, PYTHONPATH="")).stdout
            runs[label].append(json.loads(out))
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {a.rounds} rounds x {a.calls} calls")
    print("| image | baseline ms | new ms | speed-up | CPU ms baseline | CPU ms new | CPU ratio | PSNR baseline | "
          "PSNR new | bytes baseline | bytes new |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in runs["new"][0]:
        b, n, cb, cn = (statistics.median(x[name][key] for x in runs[lab])
                        for key, lab in [("ms", "baseline"), ("ms", "new"), ("cpu_ms", "baseline"), ("cpu_ms", "new")])
        pb, pn = runs["baseline"][0][name]["psnr"], runs["new"][0][name]["psnr"]
        print(f"| {name} | {b:.1f} | {n:.1f} | {b / n:.2f}x | {cb:.1f} | {cn:.1f} | {cb / cn:.2f}x | {pb:.3f} | "
              f"{pn:.3f} | {runs['baseline'][0][name]['bytes']} | {runs['new'][0][name]['bytes']} |")


if __name__ == "__main__":
    main()
