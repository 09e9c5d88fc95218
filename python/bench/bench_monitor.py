#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Frame-monitoring kernels from Python (issue 17) against NumPy, on a 1920 x 1080 RGB frame:
  tile_stats (32 x 32 tiles): vecta.tile_stats vs the NumPy reshape reference (mean, std, min,
      max over axes (1, 3) of frame.reshape(ty, 32, tx, 32, 3); 1080 is not a multiple of 32, so
      the reference pads the frame to 1088 rows by edge replication first, as a monitor would);
  content_hash: vecta.content_hash vs frame.tobytes() (a copy of the same bytes) and, when the
      Python xxhash package is installed, xxhash.xxh3_64_intdigest(frame) (no copy).
Prints a markdown table (median of --repeat runs; ratio = peer time / vecta time). Issue 17's
targets: tile_stats at least 10x the NumPy reference, content_hash within 1.5x of a copy.

  PYTHONPATH=build/mon/python /usr/bin/python3 python/bench/bench_monitor.py [--repeat 30]
"""
import argparse
import platform
import statistics
import time

import numpy as np

import vecta

try:
    import xxhash
except ImportError:  # pragma: no cover
    xxhash = None


def timeit(fn, repeat):
    """Median wall time in ms of `repeat` calls after one warm-up call; returns (ms, result)."""
    out = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), out


def numpy_tiles(frame, th, tw):
    h, w, c = frame.shape
    ph, pw = -h % th, -w % tw
    if ph or pw:
        frame = np.pad(frame, ((0, ph), (0, pw), (0, 0)), mode="edge")
    t = frame.reshape(frame.shape[0] // th, th, frame.shape[1] // tw, tw, c)
    return t.mean(axis=(1, 3)), t.std(axis=(1, 3)), t.min(axis=(1, 3)), t.max(axis=(1, 3))


def desktop_frame():
    rng = np.random.default_rng(3)
    f = np.empty((1080, 1920, 3), np.uint8)
    y, x = np.mgrid[0:1080, 0:1920]
    f[...] = ((x + y) // 12 % 256)[..., None]
    for i in range(12):  # windows
        x0, y0 = rng.integers(0, 1600), rng.integers(0, 800)
        f[y0 : y0 + 250, x0 : x0 + 320] = rng.integers(30, 230, 3)
        f[y0 + 30 : y0 + 240 : 18, x0 + 10 : x0 + 300] = 20  # text lines
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    frame = desktop_frame()
    rows = []

    t_np, ref = timeit(lambda: numpy_tiles(frame, 32, 32), max(3, args.repeat // 5))
    t_v, got = timeit(lambda: vecta.tile_stats(frame, tile=(32, 32)), args.repeat)
    # Equal on the full tiles (the last tile row of the reference is padded, vecta's is partial).
    assert np.allclose(got[0][:-1], ref[0][:-1]) and np.allclose(got[1][:-1], ref[1][:-1])
    assert (got[2][:-1] == ref[2][:-1]).all() and (got[3][:-1] == ref[3][:-1]).all()
    rows.append(("tile_stats 32x32, 1080p RGB", "NumPy reshape mean/std/min/max", t_v, t_np))
    t_np1, _ = timeit(lambda: frame.reshape(1080 // 24, 24, 1920 // 32, 32, 3).mean(axis=(1, 3)), args.repeat // 3 + 1)
    t_v1, _ = timeit(lambda: vecta.tile_stats(frame, tile=(24, 32)), args.repeat)
    rows.append(("tile_stats 24x32 (divides 1080p)", "NumPy reshape mean only", t_v1, t_np1))

    t_h, h = timeit(lambda: vecta.content_hash(frame), args.repeat)
    t_copy, _ = timeit(lambda: frame.tobytes(), args.repeat)
    rows.append(("content_hash 1080p RGB", "frame.tobytes() (copy)", t_h, t_copy))
    t_cp, _ = timeit(lambda: np.copyto(np.empty_like(frame), frame), args.repeat)
    rows.append(("content_hash 1080p RGB", "np.copyto into a new array", t_h, t_cp))
    if xxhash is not None:
        t_x, hx = timeit(lambda: xxhash.xxh3_64_intdigest(frame), args.repeat)
        assert hx == h
        rows.append(("content_hash 1080p RGB", "xxhash.xxh3_64_intdigest", t_h, t_x))
    crop = np.pad(frame, ((0, 0), (0, 32), (0, 0)))[:, :1920]
    t_hc, hc = timeit(lambda: vecta.content_hash(crop), args.repeat)
    assert hc == h
    rows.append(("content_hash 1080p crop (strided rows)", "frame.tobytes() (copy)", t_hc, t_copy))

    print(f"\n{platform.processor() or platform.machine()}, NumPy {np.__version__}, vecta {vecta.__version__}\n")
    print("| workload | peer | vecta ms | peer ms | peer / vecta |")
    print("| --- | --- | ---: | ---: | ---: |")
    for work, peer, tv, tp in rows:
        print(f"| {work} | {peer} | {tv:.3f} | {tp:.3f} | {tp / tv:.2f} |")


if __name__ == "__main__":
    main()
