#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Plots the W5 throughput against dimension for docs/similarity.md.

Usage: tools/docs_similarity_plot.py BENCH.json [OUT.png]
BENCH.json is the --benchmark_out of bench_similarity (median aggregates are used when present,
else the plain runs). Reads the W5/<op>/<impl>/256x20000x<dim> rows: dot (vecta, openblas) in
GFLOP/s, l2 and l1 (vecta) in G element-pairs/s. Writes docs/img/similarity-throughput.png by
default. Needs matplotlib (Debian: python3-matplotlib).
"""
import json
import re
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    with open(path) as f:
        runs = json.load(f)["benchmarks"]
    medians = [r for r in runs if r.get("aggregate_name") == "median"]
    runs = medians or [r for r in runs if r.get("run_type", "iteration") == "iteration"]
    series = defaultdict(dict)  # (op, impl) -> {dim: rate}
    pat = re.compile(r"^W5/(\w+)/([\w-]+)/256x20000x(\d+)")
    for r in runs:
        m = pat.match(r.get("run_name", r["name"]))
        if not m:
            continue
        op, impl, dim = m.group(1), m.group(2), int(m.group(3))
        rate = r.get("GFLOP/s", r.get("Gpairs/s"))
        if rate is not None:
            series[(op, impl)][dim] = rate
    return series


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) > 2 else "docs/img/similarity-throughput.png"
    series = load(sys.argv[1])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for (op, impl), pts in sorted(series.items()):
        dims = sorted(pts)
        vals = [pts[d] for d in dims]
        if op == "dot":
            ax1.plot(dims, vals, marker="o", label=f"dot, {impl}")
        else:
            ax2.plot(dims, vals, marker="o", label={"l2": "Euclidean", "l1": "Manhattan"}.get(op, op) + f", {impl}")
    ax1.set_title("dot matrix 256 x 20000 x dim, 2 threads")
    ax1.set_ylabel("GFLOP/s")
    ax2.set_title("distance matrix 256 x 20000 x dim, 2 threads")
    ax2.set_ylabel("G element-pairs / s")
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("dimension")
        ax.grid(True, alpha=0.3)
        ax.legend()
        ax.set_ylim(bottom=0)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
