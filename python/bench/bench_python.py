#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""vecta from Python against OpenCV-Python, scikit-learn, scikit-image and NumPy, in one run.

Workloads of ../shared/BENCHMARKS.md:
  W1  colour quantization of the 1080p photo (k = 16, 32; at most 10 Lloyd iterations):
      vecta.quantize vs sklearn KMeans(n_init=1, max_iter=10) and cv2.kmeans (1 attempt, k-means++),
      with the PSNR of each quantized image vs the original;
  W2  Gaussian 5x5 sigma 1.4, Sobel gradient magnitude, Canny 50/150 (L1, L2) on 1080p and 4K gray:
      vecta vs cv2 and skimage, with the pixels that differ from cv2;
  W5  L2 normalize (100k x 768 f32), dot matrix (1000 queries x 100k), cosine top-10:
      vecta vs NumPy (and the NumPy top-k reference it must match).
Prints markdown tables (median of --repeat runs, ratio = peer time / vecta time).

  PYTHONPATH=build-py/python /usr/bin/python3 python/bench/bench_python.py [--repeat 5] [--quick]
"""
import argparse
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

import vecta

try:
    import cv2
except ImportError:  # pragma: no cover
    cv2 = None
try:
    import sklearn
    from sklearn.cluster import KMeans
except ImportError:  # pragma: no cover
    sklearn = None
try:
    import skimage
    import skimage.feature
    import skimage.filters
except ImportError:  # pragma: no cover
    skimage = None

REPO = pathlib.Path(__file__).resolve().parents[2]


def data_dir():
    env = os.environ.get("VECTA_DATA_DIR")
    for c in ([pathlib.Path(env)] if env else []) + [REPO.parent / "shared" / "data"]:
        if (c / "photos").is_dir():
            return c
    sys.exit("shared corpus not found: set VECTA_DATA_DIR")


def timeit(fn, repeat):
    """Median wall time in ms of `repeat` calls after one warm-up call; returns (ms, last result)."""
    out = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times), out


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def table(title, header, rows):
    print(f"\n#### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    sys.stdout.flush()


def load_rgb(path):
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return np.ascontiguousarray(bgr[:, :, ::-1])


def w1(photos, repeat, quick):
    """Each implementation runs once per seed (vecta seeds 0.., sklearn random_state 0.., cv2.setRNGSeed
    1..): the time is the median over the seeds, the PSNR their mean (one seed is luck at 10 iterations)."""
    img = load_rgb(photos / "bench-1920x1080-kde-path.jpg")
    h, w, _ = img.shape
    pixels = img.reshape(-1, 3).astype(np.float32)
    seeds = range(max(repeat, 10))  # PSNR means over >= 10 seeds: one seed is luck at 10 iterations
    rows = []

    def over_seeds(run):
        run(0)  # warm-up (thread pools, page faults)
        times, scores = [], []
        for seed in seeds:
            t = time.perf_counter()
            out = run(seed)
            times.append((time.perf_counter() - t) * 1e3)
            scores.append(psnr(img, out()))
        return statistics.median(times), statistics.mean(scores), min(scores), max(scores)

    for k in (16,) if quick else (16, 32):
        t_v, p_v, lo, hi = over_seeds(
            lambda seed: (lambda q: q.image)(vecta.quantize(img, colors=k, max_iter=10, seed=seed)))
        rows.append([f"{w}x{h} k={k}", "vecta.quantize", f"{t_v:.1f}", "1.0", f"{p_v:.2f}", f"{lo:.2f}-{hi:.2f}"])
        if sklearn is not None:
            def run_sklearn(seed):
                km = KMeans(n_clusters=k, n_init=1, max_iter=10, init="k-means++", random_state=seed).fit(pixels)
                return lambda: np.clip(np.rint(km.cluster_centers_), 0, 255).astype(np.uint8)[km.labels_].reshape(
                    img.shape)
            t_s, p_s, lo, hi = over_seeds(run_sklearn)
            rows.append(["", "sklearn KMeans(n_init=1, max_iter=10)", f"{t_s:.0f}", f"{t_s / t_v:.1f}",
                         f"{p_s:.2f}", f"{lo:.2f}-{hi:.2f}"])
        crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1e-4)

        def run_cv(seed):
            cv2.setRNGSeed(seed + 1)
            _, labels, centers = cv2.kmeans(pixels, k, None, crit, 1, cv2.KMEANS_PP_CENTERS)
            return lambda: np.clip(np.rint(centers), 0, 255).astype(np.uint8)[labels.ravel()].reshape(img.shape)
        t_c, p_c, lo, hi = over_seeds(run_cv)
        rows.append(["", "cv2.kmeans (1 attempt, k-means++)", f"{t_c:.0f}", f"{t_c / t_v:.1f}", f"{p_c:.2f}",
                     f"{lo:.2f}-{hi:.2f}"])
    table(f"W1 colour quantization (ms: median over {len(seeds)} seeds; ratio = peer / vecta; "
          "PSNR dB vs the original: mean and range over the seeds)",
          ["image", "implementation", "ms", "ratio", "PSNR mean", "PSNR range"], rows)


def w2(photos, repeat, quick):
    rows = []
    names = ["bench-1920x1080-kde-path.jpg"] + ([] if quick else ["bench-3840x2160-kde-eveningglow.jpg"])
    for name in names:
        gray = cv2.cvtColor(cv2.imread(str(photos / name), cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)
        size = f"{gray.shape[1]}x{gray.shape[0]}"
        gf = gray.astype(np.float32) / 255

        def add(op, t_v, out_v, t_c, out_c, t_k, note=""):
            diff = int(np.count_nonzero(out_v != out_c))
            rows.append([size, op, f"{t_v:.2f}", f"{t_c:.2f}", f"{t_c / t_v:.2f}",
                         f"{t_k:.1f}" if t_k else "-", f"{t_k / t_v:.1f}" if t_k else "-", diff, note])

        t_v, o_v = timeit(lambda: vecta.gaussian_blur(gray, ksize=5, sigma=1.4), repeat)
        t_c, o_c = timeit(lambda: cv2.GaussianBlur(gray, (5, 5), 1.4), repeat)
        t_k = 0
        if skimage is not None:  # float in / out; truncate = 2 / 1.4 gives the 5x5 support
            t_k, _ = timeit(lambda: skimage.filters.gaussian(gf, sigma=1.4, truncate=2 / 1.4), repeat)
        add("gaussian 5x5 s1.4", t_v, o_v, t_c, o_c, t_k)

        def cv_mag():
            dx = cv2.Sobel(gray, cv2.CV_16S, 1, 0)
            dy = cv2.Sobel(gray, cv2.CV_16S, 0, 1)
            return cv2.magnitude(dx.astype(np.float32), dy.astype(np.float32))
        t_v, o_v = timeit(lambda: vecta.sobel_magnitude(gray), repeat)
        t_c, o_c = timeit(cv_mag, repeat)
        t_k = timeit(lambda: skimage.filters.sobel(gf), repeat)[0] if skimage is not None else 0
        add("sobel magnitude (L2)", t_v, o_v, t_c, o_c, t_k, "skimage: normalised float Sobel")

        for l2 in (False, True):
            t_v, o_v = timeit(lambda: vecta.canny(gray, low=50, high=150, l2_gradient=l2), repeat)
            t_c, o_c = timeit(lambda: cv2.Canny(gray, 50, 150, L2gradient=l2), repeat)
            t_k = 0
            if skimage is not None and l2:  # skimage's canny smooths first (sigma) and uses L2 magnitudes
                t_k, _ = timeit(lambda: skimage.feature.canny(gray, sigma=0.5, low_threshold=50,
                                                              high_threshold=150), max(1, repeat // 2))
            add(f"canny 50/150 {'L2' if l2 else 'L1'}", t_v, o_v, t_c, o_c, t_k,
                "skimage: sigma 0.5 smoothing, not equivalent" if l2 else "")
    table("W2 edges on gray u8 (ms, median; ratios = peer / vecta; diff = pixels differing from cv2)",
          ["image", "operation", "vecta", "cv2", "cv2/vecta", "skimage", "skimage/vecta", "diff px", "note"], rows)


def numpy_topk(q, d, k):
    """Reference cosine top-k: normalise, one GEMM, argpartition, then sort by (-score, index)."""
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    dn = d / np.linalg.norm(d, axis=1, keepdims=True)
    s = qn @ dn.T
    part = np.argpartition(-s, k, axis=1)[:, :k]
    ps = np.take_along_axis(s, part, 1)
    order = np.lexsort((part, -ps), axis=1)
    idx = np.take_along_axis(part, order, 1)
    return idx, np.take_along_axis(s, idx, 1)


def w5(repeat, quick):
    rng = np.random.default_rng(0)
    n, dim, nq = (20000, 768, 200) if quick else (100000, 768, 1000)
    db = rng.standard_normal((n, dim), dtype=np.float32)
    q = rng.standard_normal((nq, dim), dtype=np.float32)
    rows = []
    gb = db.nbytes * 2 / 1e9
    t_v, o_v = timeit(lambda: vecta.normalize(db), repeat)
    t_n, o_n = timeit(lambda: db / np.linalg.norm(db, axis=1, keepdims=True), repeat)
    rows.append([f"L2 normalize {n}x{dim}", f"{t_v:.1f} ({gb / t_v * 1e3:.1f} GB/s)", f"{t_n:.1f}",
                 f"{t_n / t_v:.2f}", f"max |diff| {np.abs(o_v - o_n).max():.1e}"])
    flops = 2 * nq * n * dim
    t_v, o_v = timeit(lambda: vecta.similarity_matrix(q, db, metric="dot"), repeat)
    t_n, o_n = timeit(lambda: q @ db.T, repeat)
    rows.append([f"dot matrix {nq}x{n}x{dim}", f"{t_v:.0f} ({flops / t_v / 1e6:.0f} GFLOP/s)",
                 f"{t_n:.0f} ({flops / t_n / 1e6:.0f} GFLOP/s)", f"{t_n / t_v:.2f}",
                 f"max rel diff {np.abs(o_v - o_n).max() / np.abs(o_n).max():.1e}"])
    t_v, (i_v, s_v) = timeit(lambda: vecta.topk(q, db, k=10, metric="cosine"), repeat)
    t_n, (i_n, s_n) = timeit(lambda: numpy_topk(q, db, 10), repeat)
    same = float((i_v == i_n).mean())
    rows.append([f"cosine top-10 {nq} vs {n}", f"{t_v:.0f}", f"{t_n:.0f}", f"{t_n / t_v:.2f}",
                 f"indices equal {same * 100:.2f}%, max |score diff| {np.abs(s_v - s_n).max():.1e}"])
    table("W5 similarity, float32 (ms, median; ratio = NumPy / vecta)",
          ["operation", "vecta", "NumPy", "ratio", "agreement"], rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (W1: seeds per implementation)")
    ap.add_argument("--quick", action="store_true", help="smaller set (1080p only, k = 16, W5 at 20k rows)")
    ap.add_argument("--only", choices=["w1", "w2", "w5"], action="append")
    args = ap.parse_args()
    if cv2 is None:
        sys.exit("OpenCV-Python (python3-opencv) is required")
    photos = data_dir() / "photos"
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    load = os.getloadavg()
    print(f"vecta {vecta.__version__} | Python {platform.python_version()} | NumPy {np.__version__} | "
          f"OpenCV {cv2.__version__} | scikit-learn {sklearn.__version__ if sklearn else '-'} | "
          f"scikit-image {skimage.__version__ if skimage else '-'}")
    print(f"{cpu}, {os.cpu_count()} threads; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"cv2 threads {cv2.getNumThreads()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    only = set(args.only or ["w1", "w2", "w5"])
    if "w1" in only:
        w1(photos, args.repeat, args.quick)
    if "w2" in only:
        w2(photos, args.repeat, args.quick)
    if "w5" in only:
        w5(args.repeat, args.quick)
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
