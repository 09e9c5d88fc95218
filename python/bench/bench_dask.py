#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vecta.dask scaling (issue 21): 200 images vectorized and a 1M x 256 embedding top-10 on a LocalCluster
with 1 and then 2 worker processes, each checked equal to the single-process vecta call.

Usage: PYTHONPATH=build/py/python /usr/bin/python3 python/bench/bench_dask.py [--images 200] [--rows 1000000] [--pin]
The images are the shared corpus photos (../shared/data/photos) scaled to at most --side pixels and
repeated to --images files (synthetic drawings when the corpus is absent), written as PNG to a
temporary folder. Prints one table: in-process, 1 worker, 2 workers (wall seconds) and the ratio.
"""
import argparse
import os
import pathlib
import tempfile
import time

import numpy as np

import dask.array as da
import distributed

import vecta
import vecta.dask as vd

REPO = pathlib.Path(__file__).resolve().parents[2]


def make_images(n, side, folder):
    photos = sorted((REPO.parent / "shared" / "data" / "photos").glob("*.[pj][np]g"))
    srcs = []
    for p in photos:
        img = vecta.load_image(str(p), channels=3)
        step = max(1, int(np.ceil(max(img.shape[:2]) / side)))
        srcs.append(np.ascontiguousarray(img[::step, ::step]))
    if not srcs:
        rng = np.random.default_rng(0)
        for i in range(8):
            img = np.full((side, side, 3), 245, np.uint8)
            for _ in range(12):
                y, x = rng.integers(0, side - 40, 2)
                img[y:y + 40, x:x + 60] = rng.integers(0, 256, 3)
            srcs.append(img)
    paths = []
    for i in range(n):
        p = folder / f"img{i:04d}.png"
        p.write_bytes(vecta.encode_image(srcs[i % len(srcs)]))
        paths.append(str(p))
    return paths


def _pin_to_own_core():
    """Runs on a worker: restrict the process (and the thread pool vecta::par starts) to the CPU
    numbered like the worker, so that n workers use n cores."""
    cpus = sorted(os.sched_getaffinity(0))
    index = int(distributed.get_worker().name)
    os.sched_setaffinity(0, {cpus[index % len(cpus)]})
    return index


def timed(f):
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--side", type=int, default=256)
    ap.add_argument("--colors", type=int, default=16)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--chunk", type=int, default=125_000)
    ap.add_argument("--pin", action="store_true",
                    help="pin worker process i to CPU i (one core per worker, as one machine per worker would be)")
    args = ap.parse_args()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="vecta_dask_bench_"))
    paths = make_images(args.images, args.side, folder)
    rng = np.random.default_rng(1)
    base = rng.standard_normal((args.rows, args.dim), dtype=np.float32)
    queries = rng.standard_normal((args.queries, args.dim), dtype=np.float32)

    rows = []
    t_img, ref_img = timed(lambda: [vecta.vectorize(vecta.load_image(p, channels=3), colors=args.colors)[0] for p in paths])
    t_topk, ref_topk = timed(lambda: vecta.topk(queries, base, k=10))
    rows.append(("in-process (all cores)", t_img, t_topk, True))
    for workers in (1, 2):
        per_worker = 1 if args.pin else max(1, (os.cpu_count() or 2) // workers)
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=per_worker,
                                      processes=True, dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            client.run(lambda: __import__("vecta").__version__)  # workers import vecta before timing
            if args.pin:
                client.run(_pin_to_own_core)
            t1, got_img = timed(lambda: vd.vectorize_paths(paths, colors=args.colors, npartitions=4 * workers).compute())
            # the matrix is scattered to the workers first (as if it lived there), then timed
            dbs = da.from_array(base, chunks=(args.chunk, args.dim)).persist()
            distributed.wait(dbs)
            t2, got_topk = timed(lambda: vd.topk(queries, dbs, k=10))
            same = [g["svg"] for g in got_img] == ref_img and np.array_equal(got_topk[0], ref_topk[0])
            rows.append((f"LocalCluster, {workers} worker process{'es' if workers > 1 else ''}", t1, t2, same))
    print(("workers pinned to one CPU each; " if args.pin else "") +
          f"{args.images} images ({args.side} px, colors={args.colors}); top-10 of {args.queries} queries over "
          f"{args.rows} x {args.dim} float32 in chunks of {args.chunk} rows; {os.cpu_count()} CPUs")
    print(f"| run | vectorize {args.images} images (s) | top-10 (s) | equal to in-process |")
    print("| --- | --- | --- | --- |")
    for name, a, b, same in rows:
        print(f"| {name} | {a:.2f} | {b:.2f} | {'yes' if same else 'NO'} |")
    one, two = rows[1], rows[2]
    print(f"2 workers / 1 worker speed-up: images {one[1] / two[1]:.2f}x, top-10 {one[2] / two[2]:.2f}x")


if __name__ == "__main__":
    main()
