#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the same Google Benchmark filter in two builds of a bench program, alternating them for
R rounds, and prints per row the medians of CPU time and of wall time with the ratio a / b.

Used for issue 18 (docs/simd.md, "Measured"): a default build against a -march=native build.
On the shared, loaded 2-core machine the one-thread CPU time is the steadier figure; wall-clock
ratios of 2-thread rows move by tens of percent between rounds.

    tools/bench_twin.py build/simd18/bench/bench_color build/simd18-native/bench/bench_color \
        'W1/kmeans/vecta' 3 [extra benchmark flags]
"""
import json
import os
import statistics
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    a, b, filt = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    extra = sys.argv[5:]
    res = {a: {}, b: {}}
    for _ in range(rounds):
        for exe in (a, b):
            out = subprocess.run([exe, "--benchmark_filter=" + filt, "--benchmark_format=json"] + extra,
                                 capture_output=True, text=True, env=os.environ, check=True).stdout
            for bm in json.loads(out)["benchmarks"]:
                if bm.get("run_type") == "aggregate":
                    continue
                res[exe].setdefault(bm["name"], []).append((bm["cpu_time"], bm["real_time"], bm["time_unit"]))
    for name, runs in res[a].items():
        other = res[b].get(name)
        if not other:
            continue
        ca, cb = statistics.median(r[0] for r in runs), statistics.median(r[0] for r in other)
        ra, rb = statistics.median(r[1] for r in runs), statistics.median(r[1] for r in other)
        print(f"{name:64s} cpu {ca:9.2f} / {cb:9.2f} {runs[0][2]} = {ca / cb:5.2f}   "
              f"wall {ra:9.2f} / {rb:9.2f} = {ra / rb:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
