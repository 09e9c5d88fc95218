#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""W3 table from bench_geometry's JSON output: median CPU time per row and the ratio of each
peer's time to vecta's (x > 1: vecta faster).

  build/bench/bench_geometry --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
      --benchmark_format=json > w3.json
  python3 bench/geometry/w3_table.py w3.json
"""
import json
import sys


def main(path):
    rows = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name", "median") != "median" or b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        parts = name.split("/")  # W3/op/impl/size[/variant...]
        op, impl, rest = parts[1], parts[2], "/".join(parts[3:])
        ms = b["cpu_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6, "s": 1e3}[b["time_unit"]]
        extra = {k: b[k] for k in ("kept", "contours", "points", "segments", "max_err_px", "diff_opencv", "diff_boost") if k in b}
        rows.setdefault((op, rest), {})[impl] = (ms, extra)
    print("| op | input | vecta ms | opencv ms | boost ms | opencv / vecta | boost / vecta | counters (vecta; peers kept) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for (op, rest), impls in rows.items():
        v = impls.get("vecta")
        cells = []
        for peer in ("opencv", "boost"):
            cells.append(f"{impls[peer][0]:.2f}" if peer in impls else "")
        ratios = []
        for peer in ("opencv", "boost"):
            ratios.append(f"{impls[peer][0] / v[0]:.1f}x" if v and peer in impls else "")
        counters = ", ".join(f"{k} {val:.4g}" for k, val in (v[1] if v else {}).items())
        for peer in ("opencv", "boost"):
            if peer in impls and "kept" in impls[peer][1]:
                counters += f"; {peer} kept {impls[peer][1]['kept']:.0f}"
        print(f"| {op} | {rest} | {v[0]:.2f} |" if v else f"| {op} | {rest} | |", " | ".join(cells), "|", " | ".join(ratios), "|", counters, "|")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")
