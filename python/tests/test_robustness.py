# SPDX-License-Identifier: MIT
"""No leaks over many calls, threads calling in parallel, arrays owned by their results."""
import concurrent.futures
import gc
import tracemalloc

import numpy as np
import pytest

import vecta


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@pytest.fixture(scope="module")
def inputs(small_photo, gray_image):
    rng = np.random.default_rng(9)
    return {
        "rgb": small_photo[:128, :128].copy(),
        "gray": gray_image[:128, :128].copy(),
        "q": rng.normal(size=(8, 32)).astype(np.float32),
        "d": rng.normal(size=(500, 32)).astype(np.float32),
        "png": vecta.encode_image(small_photo[:64, :64]),
    }


def one_round(x):
    vecta.canny(x["gray"])
    vecta.gaussian_blur(x["rgb"])
    q = vecta.quantize(x["rgb"], colors=8)
    q.image()
    _ = q.labels
    vecta.kmeans(x["d"], k=4, max_iter=5)
    vecta.topk(x["q"], x["d"], k=5)
    vecta.similarity_matrix(x["q"], x["d"])
    vecta.normalize(x["d"])
    c = vecta.find_contours(vecta.canny(x["gray"]))
    if c:
        vecta.douglas_peucker(c[0].points, 1.0)
    vecta.quantize_colors(x["png"], 4, 5)
    f = vecta.BloomFilter(1000)
    f.insert_many(np.arange(100, dtype=np.uint64))
    f.contains_many(np.arange(200, dtype=np.uint64))
    vecta.BloomFilter.from_bytes(f.to_bytes())
    r = vecta.FrameRing(1024)
    r.push(1, b"x" * 100)
    r.frames()
    for bad in (lambda: vecta.canny(x["rgb"]), lambda: vecta.decode_image(b"junk"),
                lambda: vecta.kmeans(x["d"], k=0)):
        try:
            bad()
        except (ValueError, OSError):
            pass


def test_no_leaks_over_1000_calls(inputs):
    for _ in range(30):  # warm-up: allocator pools, thread pool, lazily created objects
        one_round(inputs)
    gc.collect()
    tracemalloc.start()
    before_py = tracemalloc.get_traced_memory()[0]
    before = rss_bytes()
    for _ in range(1000):
        one_round(inputs)
    gc.collect()
    grown = rss_bytes() - before
    grown_py = tracemalloc.get_traced_memory()[0] - before_py
    tracemalloc.stop()
    # One round allocates about 0.5 MB; a leak of even 1 KB per call would show up as > 10 MB.
    assert grown < 8 * 2**20, f"RSS grew by {grown / 2**20:.1f} MiB over 1000 rounds"
    assert grown_py < 2**20, f"Python heap grew by {grown_py / 2**10:.0f} KiB over 1000 rounds"


def test_results_own_their_memory(inputs):
    idx, scores = vecta.topk(inputs["q"], inputs["d"], k=5)
    assert idx.base is not None and not idx.flags.owndata  # wraps vecta's buffer, no copy
    del scores
    q = vecta.quantize(inputs["rgb"], colors=8)
    labels = q.labels
    del q
    gc.collect()
    assert labels.max() < 8 and labels.base is not None  # the labels view kept its result alive


def test_threads_in_parallel_give_the_same_results(inputs):
    work = {
        "canny": lambda: vecta.canny(inputs["gray"], low=30, high=90),
        "blur": lambda: vecta.gaussian_blur(inputs["rgb"], ksize=7, sigma=2),
        "quantize": lambda: vecta.quantize(inputs["rgb"], colors=8).image(),
        "topk": lambda: vecta.topk(inputs["q"], inputs["d"], k=7)[0],
        "matrix": lambda: vecta.similarity_matrix(inputs["q"], inputs["d"], metric="euclidean"),
        "kmeans": lambda: vecta.kmeans(inputs["d"], k=5, seed=3).centroids,
        "svg": lambda: vecta.vectorize(inputs["rgb"][:48, :48], colors=6)[0],
    }
    serial = {name: fn() for name, fn in work.items()}
    jobs = [name for name in work for _ in range(6)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda name: (name, work[name]()), jobs))
    for name, value in results:
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, serial[name]), name
        else:
            assert value == serial[name], name


def test_bloom_filter_shared_between_threads():
    f = vecta.BloomFilter(200000, 0.01)
    chunks = [np.arange(i * 10000, (i + 1) * 10000, dtype=np.uint64) for i in range(16)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(f.insert_many, chunks))
        found = list(pool.map(f.contains_many, chunks))
    assert all(x.all() for x in found)
    ref = vecta.BloomFilter(200000, 0.01)
    for c in chunks:
        ref.insert_many(c)
    assert f == ref
