# SPDX-License-Identifier: MIT
"""vecta.compat: the seeds' calling code (the call shapes of issue 21) runs unchanged and gives reference
results computed independently here (closed forms with math / NumPy, brute-force NumPy search)."""
import math
import time

import numpy as np
import pytest

from vecta.compat import (FrameRingBuffer, RustBloomFilter, WilliamsSpaceOptimizer, batch_cosine_similarity,
                          compute_similarity_matrix, normalize_vectors, vector_arithmetic)


def ref_bound(t):
    return 1.0 if t <= 1 else math.sqrt(t) * math.log2(t)


# ---- WilliamsSpaceOptimizer -------------------------------------------------------------------


def test_williams_optimizer_seed_calls_and_closed_forms():
    opt = WilliamsSpaceOptimizer()
    # the published values (sqrt(t) * log2(t))
    assert opt.space_bound(100) == pytest.approx(66.438562, abs=1e-6)
    assert opt.space_bound(10000) == pytest.approx(1328.771238, abs=1e-6)
    assert opt.efficiency(100) == pytest.approx(1.505150, abs=1e-6)
    assert opt.space_saved(10000) == pytest.approx(86.712288, abs=1e-6)
    for t in (1, 2, 3.5, 4, 16, 100, 1000, 12345, 10 ** 9):
        b = ref_bound(t)
        assert opt.space_bound(t) == pytest.approx(b, rel=1e-14)
        assert opt.efficiency(t) == pytest.approx(t / b, rel=1e-14)
        assert opt.space_saved(t) == pytest.approx((t - b) / t * 100, rel=1e-12, abs=1e-12)
        assert opt.confidence_multiplier(t) == pytest.approx(0.85 + 0.15 * min(t / b / 10, 1) if t > 1 else 0.85,
                                                             rel=1e-14)
        assert isinstance(opt.space_bound(t), float)
    for n in (1, 2, 3, 4, 5, 15, 16, 17, 100, 256, 1000, 65536, 10 ** 6):
        assert opt.batch_size(n) == min(n, max(1, math.floor(ref_bound(n)))), n
        assert isinstance(opt.batch_size(n), int)
    assert opt.batch_size(10000, 1000, 10) == 100
    assert opt.batch_size(10000, budget_bytes=10 ** 9, item_bytes=1) == 1328


def test_williams_functions_take_arrays():
    opt = WilliamsSpaceOptimizer()
    t = np.geomspace(1, 1e12, 2001)
    b = np.sqrt(t) * np.log2(t)
    b[t <= 1] = 1
    np.testing.assert_allclose(opt.space_bound(t), b, rtol=1e-14)
    np.testing.assert_allclose(opt.efficiency(t), t / b, rtol=1e-14)
    np.testing.assert_allclose(opt.space_saved(t), (t - b) / t * 100, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(opt.confidence_multiplier(t), np.where(t <= 1, 0.85, 0.85 + 0.15 * np.minimum(t / b / 10, 1)),
                               rtol=1e-14)
    m = opt.efficiency(t.reshape(23, 87))
    assert m.shape == (23, 87)
    n = np.arange(1, 5001)
    expect = np.array([min(k, max(1, math.floor(ref_bound(k)))) for k in n.tolist()])
    got = opt.batch_size(n)
    assert got.dtype.kind == "u" and np.array_equal(got, expect)
    assert np.array_equal(opt.batch_size(n, 4000, 100), np.minimum(expect, 40))
    assert opt.efficiency([4.0, 16.0]).tolist() == [1.0, 1.0]
    assert opt.space_bound(np.inf) == np.inf and opt.efficiency(np.inf) == np.inf
    assert opt.space_saved(np.inf) == 100.0 and opt.confidence_multiplier(np.inf) == 1.0


@pytest.mark.parametrize("name", ["space_bound", "efficiency", "space_saved", "confidence_multiplier", "batch_size"])
def test_williams_refuses_negative_nan_and_none(name):
    f = getattr(WilliamsSpaceOptimizer(), name)
    arg = "n" if name in ("batch_size", "confidence_multiplier") else "t"
    for bad in (-5, [10, -5]) if name == "batch_size" else (-5, -0.5, np.array([10.0, -5.0])):
        with pytest.raises(ValueError, match=rf"\b{arg} must be"):
            f(bad)
    if name != "batch_size":
        with pytest.raises(ValueError, match=rf"\b{arg} must not be NaN"):
            f(float("nan"))
        with pytest.raises(ValueError, match=rf"\b{arg} must not be NaN"):
            f(np.array([[1.0, 2.0], [np.nan, 3.0]]))
    else:
        with pytest.raises(TypeError, match=r"\bn must be an integer"):
            f(float("nan"))
    with pytest.raises(TypeError, match=rf"\b{arg} must be"):
        f(None)
    with pytest.raises(TypeError, match=rf"\b{arg} must be"):
        f("100")


def test_efficiency_of_negative_is_an_error_not_minus_five():
    with pytest.raises(ValueError, match="t must be >= 0, got -5"):
        WilliamsSpaceOptimizer().efficiency(-5)
    with pytest.raises(TypeError, match="n must be an integer"):
        WilliamsSpaceOptimizer().batch_size(10.5)
    with pytest.raises(ValueError, match="t must be > 0"):
        WilliamsSpaceOptimizer().space_saved(0)
    with pytest.raises(TypeError, match="both budget_bytes and item_bytes"):
        WilliamsSpaceOptimizer().batch_size(10, 100)


# ---- vector optimizer ---------------------------------------------------------------------------


def brute_cosine(q, d):
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    dn = d / np.linalg.norm(d, axis=1, keepdims=True)
    return qn @ dn.T


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_cosine_similarity_returns_similarities_then_indices(dtype):
    rng = np.random.default_rng(3)
    db = rng.standard_normal((2000, 64)).astype(dtype)
    queries = rng.standard_normal((17, 64)).astype(dtype)
    similarities, indices = batch_cosine_similarity(queries, db, top_k=5)
    assert similarities.shape == indices.shape == (17, 5)
    assert similarities.dtype == dtype and indices.dtype == np.int64
    full = brute_cosine(queries.astype(np.float64), db.astype(np.float64))
    expect = np.argsort(-full, axis=1, kind="stable")[:, :5]
    assert np.array_equal(indices, expect)
    np.testing.assert_allclose(similarities, np.take_along_axis(full, expect, 1), rtol=1e-5 if dtype == np.float32 else 1e-12)
    # the positional call and mixed dtypes (promoted to float64) as the seed made them
    s2, i2 = batch_cosine_similarity(queries.astype(np.float64), db.astype(np.float32), 5)
    assert s2.dtype == np.float64 and np.array_equal(i2, expect)


def test_normalize_and_similarity_matrix_default_to_the_seed_conventions():
    rng = np.random.default_rng(4)
    a = rng.standard_normal((30, 48))
    a[3] = 0
    n = normalize_vectors(a)
    ref = a / np.where(np.linalg.norm(a, axis=1, keepdims=True) == 0, 1, np.linalg.norm(a, axis=1, keepdims=True))
    np.testing.assert_allclose(n, ref, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(normalize_vectors([[3, 4]]), [[0.6, 0.8]], rtol=1e-15)
    b = rng.standard_normal((12, 48))
    np.testing.assert_allclose(compute_similarity_matrix(np.delete(a, 3, 0), b), brute_cosine(np.delete(a, 3, 0), b),
                               rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(compute_similarity_matrix(b), brute_cosine(b, b), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(compute_similarity_matrix(a, b, metric="dot"), a @ b.T, rtol=1e-12, atol=1e-12)


def test_vector_arithmetic():
    rng = np.random.default_rng(5)
    a, b, row = rng.standard_normal((8, 16)), rng.standard_normal((8, 16)), rng.standard_normal(16)
    king, man, woman = rng.standard_normal((3, 16))
    np.testing.assert_array_equal(vector_arithmetic(vector_arithmetic(king, man, "subtract"), woman, "add"),
                                  king - man + woman)
    for op, f in (("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply), ("divide", np.divide)):
        np.testing.assert_array_equal(vector_arithmetic(a, b, op), f(a, b))
        np.testing.assert_array_equal(vector_arithmetic(a, row, operation=op), f(a, row[None, :]))
    with pytest.raises(ValueError, match="operation must be one of"):
        vector_arithmetic(a, b, "power")
    with pytest.raises(ValueError, match="b must have a's shape"):
        vector_arithmetic(a, b[:, :3], "add")


# ---- monitor ------------------------------------------------------------------------------------


def test_rust_bloom_filter_from_megabytes_and_hash_count():
    bf = RustBloomFilter(10.0, 7)  # vecta.BloomFilter(10.0, 7) read 10.0 as expected_items
    assert bf.size_bytes == pytest.approx(10 * 2 ** 20, rel=0.01) and bf.num_hashes == 7
    keys = [f"frame-{i}" for i in range(20000)]
    for k in keys:
        bf.add(k)
    assert all(k in bf for k in keys) and all(bf.contains(k) for k in keys[:100])
    others = [f"other-{i}" for i in range(20000)]
    fp = sum(k in bf for k in others) / len(others)
    bits = bf.size_bytes * 8
    # theoretical rate (1 - e^{-kn/m})^k, about 1e-20 here: no false positive expected
    assert fp <= 10 * (1 - math.exp(-7 * 20000 / bits)) ** 7 + 1e-4
    bf.add_batch(np.arange(1000, dtype=np.uint64))
    assert bf.contains_batch(np.arange(1000, dtype=np.uint64)).all()
    with pytest.raises(ValueError, match="size_mb must be"):
        RustBloomFilter(-1, 7)
    with pytest.raises(ValueError, match="num_hashes must be >= 1"):
        RustBloomFilter(1, 0)
    with pytest.raises(TypeError, match="size_mb must be"):
        RustBloomFilter(None, 7)


def test_frame_ring_buffer_from_megabytes_with_add_frame():
    ring = FrameRingBuffer(1)  # 1 MiB
    assert ring.capacity_bytes >= 2 ** 20 - 4096
    frames = [bytes([i % 256]) * 100_000 for i in range(30)]  # 3 MB through a 1 MiB ring
    t0 = 1_700_000_000
    for i, f in enumerate(frames):
        ring.add_frame(f, t0 + i)
    kept = ring.get_frames()
    assert 5 <= len(kept) <= 10 and len(ring) == len(kept)
    # the newest frames, oldest first, with their timestamps and bytes
    n = len(kept)
    assert [t for t, _ in kept] == list(range(t0 + 30 - n, t0 + 30))
    assert [f for _, f in kept] == frames[30 - n:]
    assert ring.latest() == (t0 + 29, frames[29])
    # float timestamps (time.time()) come back as floats
    r2 = FrameRingBuffer(0.5)
    now = time.time()
    r2.add_frame(b"abc", now)
    r2.add_frame(bytearray(b"defg"), now + 0.04)
    (ta, fa), (tb, fb) = list(r2)
    assert fa == b"abc" and fb == b"defg" and ta == pytest.approx(now, abs=1e-6) and tb == pytest.approx(now + 0.04, abs=1e-6)
    with pytest.raises(TypeError, match="timestamp must be a float"):
        r2.add_frame(b"x", 5)
    with pytest.raises(TypeError, match="frame_bytes"):
        r2.add_frame(None, now)
    with pytest.raises(ValueError, match="capacity_mb must be"):
        FrameRingBuffer(0)
