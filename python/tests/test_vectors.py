# SPDX-License-Identifier: MIT
"""Similarity kernels, BloomFilter, FrameRing and williams from Python against NumPy / closed-form references."""
import collections
import math
import pickle

import numpy as np
import pytest

import vecta


# ---- similarity --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype,rtol", [(np.float32, 2e-6), (np.float64, 1e-14)])
def test_normalize_matches_numpy(dtype, rtol):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(257, 96)).astype(dtype)
    x[3] = 0
    for norm, ref in (("l2", np.linalg.norm(x, axis=1)), ("l1", np.abs(x).sum(axis=1)),
                      ("max", np.abs(x).max(axis=1))):
        expect = x / np.where(ref == 0, 1, ref)[:, None]
        got = vecta.normalize(x, norm=norm)
        assert got.dtype == dtype and got.shape == x.shape
        np.testing.assert_allclose(got, expect, rtol=rtol, atol=rtol)
    assert not np.any(vecta.normalize(x)[3])
    v = vecta.normalize(x[5])  # a 1-D vector
    np.testing.assert_allclose(v, x[5] / np.linalg.norm(x[5]), rtol=rtol)
    y = x.copy()
    r = vecta.normalize(y, out=y)  # in place, no copy
    assert r is y and np.shares_memory(r, y)
    np.testing.assert_allclose(y, vecta.normalize(x), rtol=0, atol=0)
    sub = x[::2]  # strided rows are read in place
    np.testing.assert_allclose(vecta.normalize(sub), vecta.normalize(np.ascontiguousarray(sub)), rtol=0, atol=0)


@pytest.mark.parametrize("dtype,scales", [(np.float32, [1e30, 3e38, 1e-30, 1e-44]),
                                          (np.float64, [1e200, 1e-200, 1e-310])])
def test_normalize_huge_and_tiny_rows(dtype, scales):
    # stranger2: float32 [1e30, 1e30] came out [0, 0] (the sum of squares overflowed), tiny rows
    # stayed unnormalized or became inf / NaN.
    base = np.array([1.0, -0.5, 0.25, -0.0, 0.75], np.float64)
    for scale in scales:
        x = (base * scale).astype(dtype)[None, :]
        for norm in ("l2", "l1", "max"):
            xd = x.astype(np.longdouble)
            ref = {"l2": np.sqrt((xd * xd).sum()), "l1": np.abs(xd).sum(), "max": np.abs(xd).max()}[norm]
            got = vecta.normalize(x, norm=norm)
            np.testing.assert_allclose(got.astype(np.longdouble), xd / ref, rtol=1e-5, atol=0, err_msg=f"{scale} {norm}")


@pytest.mark.parametrize("metric", ["dot", "cosine", "sqeuclidean", "euclidean", "manhattan"])
def test_similarity_matrix_matches_numpy(metric):
    rng = np.random.default_rng(1)
    q = rng.normal(size=(37, 64))
    d = rng.normal(size=(300, 64))
    ref = {
        "dot": q @ d.T,
        "cosine": (q @ d.T) / np.outer(np.linalg.norm(q, axis=1), np.linalg.norm(d, axis=1)),
        "sqeuclidean": ((q[:, None] - d[None]) ** 2).sum(-1),
        "euclidean": np.sqrt(((q[:, None] - d[None]) ** 2).sum(-1)),
        "manhattan": np.abs(q[:, None] - d[None]).sum(-1),
    }[metric]
    for path in ("automatic", "blocked", "gemm"):
        got = vecta.similarity_matrix(q, d, metric=metric, path=path)
        assert got.shape == (37, 300) and got.dtype == np.float64
        np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-10)
    got32 = vecta.similarity_matrix(q.astype(np.float32), d.astype(np.float32), metric=metric)
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32, ref, rtol=2e-4, atol=2e-4)


def topk_reference(q, d, k, metric):
    s = q @ d.T
    if metric == "cosine":
        s = s / np.outer(np.linalg.norm(q, axis=1), np.linalg.norm(d, axis=1))
        order = np.lexsort((np.broadcast_to(np.arange(d.shape[0]), s.shape), -s), axis=1)
    else:  # euclidean
        s = np.sqrt(((q[:, None] - d[None]) ** 2).sum(-1))
        order = np.lexsort((np.broadcast_to(np.arange(d.shape[0]), s.shape), s), axis=1)
    idx = order[:, :k]
    return idx, np.take_along_axis(s, idx, axis=1)


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_topk_matches_numpy_reference(metric):
    rng = np.random.default_rng(2)
    q = rng.normal(size=(50, 48))
    d = rng.normal(size=(5000, 48))
    idx, scores = vecta.topk(q, d, k=10, metric=metric)
    ref_idx, ref_scores = topk_reference(q, d, 10, metric)
    assert idx.dtype == np.int64 and idx.shape == (50, 10) and scores.shape == (50, 10)
    assert np.array_equal(idx, ref_idx)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-12)
    # float32: the k-th best score agrees and every returned score is the true score of its row
    i32, s32 = vecta.topk(q.astype(np.float32), d.astype(np.float32), k=10, metric=metric)
    np.testing.assert_allclose(s32, ref_scores, rtol=1e-4, atol=1e-5)
    assert (i32 == ref_idx).mean() > 0.99
    # ties rank by the lower index; k above the number of rows returns every row
    dup = np.repeat(d[:3], 4, axis=0)
    ti, _ = vecta.topk(d[:1], dup, k=100, metric=metric)
    assert ti.shape == (1, 12) and list(ti[0, :4]) == [0, 1, 2, 3]


def test_similarity_errors():
    a32 = np.zeros((3, 4), np.float32)
    with pytest.raises(ValueError, match="same dtype"):
        vecta.similarity_matrix(a32, a32.astype(np.float64))
    with pytest.raises(ValueError, match="queries must have dtype float32 or float64, got int64"):
        vecta.topk(np.zeros((3, 4), np.int64), a32)
    with pytest.raises(ValueError, match="metric must be one of"):
        vecta.topk(a32, a32, metric="hamming")
    with pytest.raises(ValueError, match=r"vecta\.topk: k must be >= 1"):
        vecta.topk(a32, a32, k=0)
    with pytest.raises(ValueError):
        vecta.similarity_matrix(a32, np.zeros((3, 5), np.float32))
    with pytest.raises(ValueError, match="out must have the shape"):
        vecta.normalize(a32, out=np.zeros((3, 5), np.float32))
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        vecta.normalize(np.zeros((2, 2, 2), np.float32))


# ---- BloomFilter -------------------------------------------------------------------------------


def test_bloom_filter_behaviour_and_pickle():
    f = vecta.BloomFilter(10000, 0.01)
    m, k = f.bits, f.hashes
    assert m == math.ceil(-10000 * math.log(0.01) / math.log(2) ** 2 / 64) * 64 and k == round(m / 10000 * math.log(2))
    keys = np.arange(0, 20000, 2, dtype=np.uint64)
    f.insert_many(keys)
    assert f.contains_many(keys).all()  # no false negatives
    absent = np.arange(1, 200001, 2, dtype=np.uint64)
    fpr = f.contains_many(absent).mean()
    theory = vecta.BloomFilter.theoretical_false_positive_rate(m, k, 10000)
    assert abs(fpr - theory) < 0.004
    assert f.estimated_count() == pytest.approx(10000, rel=0.03)
    f.insert("hello")
    assert "hello" in f and b"hello" in f and bytearray(b"hello") in f
    assert f.contains_many(["hello", 2, b"zzz-absent-key"])[:2] == [True, True]
    g = pickle.loads(pickle.dumps(f))
    assert g == f and g is not f and "hello" in g
    h = vecta.BloomFilter.from_bytes(f.to_bytes())
    assert h == f
    data = bytearray(f.to_bytes())
    data[60] ^= 1
    with pytest.raises(OSError, match="checksum"):
        vecta.BloomFilter.from_bytes(bytes(data))
    with pytest.raises(OSError):
        vecta.BloomFilter.from_bytes(f.to_bytes()[:-1])
    a = vecta.BloomFilter(bits=4096, hashes=3)
    b = vecta.BloomFilter(bits=4096, hashes=3)
    a.insert(1)
    b.insert(2)
    u, i = a | b, a & b
    assert 1 in u and 2 in u and 1 in a and 2 not in a
    assert i.bits_set() <= min(a.bits_set(), b.bits_set())
    with pytest.raises(ValueError):
        a.unite(vecta.BloomFilter(bits=8192, hashes=3))
    with pytest.raises(ValueError, match="expected_items"):
        vecta.BloomFilter(0)
    with pytest.raises(ValueError, match="false_positive_rate"):
        vecta.BloomFilter(10, 1.5)
    with pytest.raises(ValueError, match="expected_items must be a non-negative integer"):
        vecta.BloomFilter(-5)
    with pytest.raises(ValueError, match=r"(?<!\.)\bhashes"):
        vecta.BloomFilter(bits=1024)
    with pytest.raises(ValueError, match="2\\*\\*64"):
        a.insert(-1)
    with pytest.raises(TypeError):
        a.insert(1.5)
    s = vecta.BloomFilter(100, seed=7)
    s.insert(5)
    with pytest.raises(OSError):
        vecta.BloomFilter.from_bytes(s.to_bytes())  # written with another seed
    assert 5 in vecta.BloomFilter.from_bytes(s.to_bytes(), seed=7)
    assert 5 in pickle.loads(pickle.dumps(s))


# ---- FrameRing ---------------------------------------------------------------------------------


def pairs(frames):
    """(timestamp, bytes) of zero-copy Frames."""
    return [(f.timestamp, bytes(f.data)) for f in frames]


def test_frame_ring_against_a_deque_model():
    r = vecta.FrameRing(4096)
    assert r.capacity_bytes == 4096 and len(r) == 0 and r.max_frame_bytes == 4096 - 32
    assert isinstance(r.buffer, np.ndarray) and r.buffer.nbytes == 128 + 4096
    model = collections.deque()
    rng = np.random.default_rng(4)
    for t in range(300):
        frame = rng.integers(0, 256, int(rng.integers(0, 600)), dtype=np.uint8)
        evicted = r.push(t, frame)
        model.append((t, frame.tobytes()))
        for _ in range(evicted):
            model.popleft()
        assert sum(vecta.FrameRing.record_bytes(len(b)) for _, b in model) <= r.capacity_bytes
        assert pairs(r.frames()) == list(model)
    assert pairs([r.front(), r.back()]) == [model[0], model[-1]] and pairs(r) == list(model)
    assert bytes(r.find(model[-2][0]).data) == model[-2][1] and r.find(10 ** 9) is None
    assert pairs(r.frames(since=model[-3][0])) == list(model)[-3:]
    # another handle over the same memory (a reader); pickling refuses (a copy would diverge)
    same = vecta.FrameRing.attach(r.buffer)
    assert pairs(same.frames()) == list(model)
    with pytest.raises(TypeError):
        pickle.dumps(r)
    with pytest.raises(ValueError, match="timestamp"):
        r.push(0, b"late")
    with pytest.raises(ValueError, match="frame"):
        r.push(10 ** 6, bytes(5000))
    r.clear()
    assert len(r) == 0 and r.frames() == []
    with pytest.raises(IndexError):
        r.front()
    buf = bytearray(1024)
    own = vecta.FrameRing(buffer=buf)
    own.push(1, b"abc")
    assert pairs(vecta.FrameRing.attach(buf).frames()) == [(1, b"abc")]
    with pytest.raises(OSError, match="magic"):
        vecta.FrameRing.attach(bytearray(1024))
    with pytest.raises(TypeError, match="writable"):
        vecta.FrameRing(buffer=b"read-only bytes" * 20)


# ---- williams ----------------------------------------------------------------------------------


def test_williams_published_values_and_arrays():
    w = vecta.williams
    assert w.space_bound(100) == pytest.approx(66.438562, abs=1e-6)
    assert w.space_bound(1000) == pytest.approx(315.145770, abs=1e-6)
    assert w.space_bound(10000) == pytest.approx(1328.771238, abs=1e-6)
    assert w.efficiency(100) == pytest.approx(1.505150, abs=1e-6)
    assert w.space_saved(100) == pytest.approx(33.561438, abs=1e-6)
    assert w.space_saved(10000) == pytest.approx(86.712288, abs=1e-6)
    assert w.sqrt_t_log_t_bound(1024) == pytest.approx(math.sqrt(1024 * 10))
    assert w.batch_size(10000) == 1328 and w.batch_size(10000, 1000, 10) == 100
    assert w.confidence_multiplier(100) == pytest.approx(0.85 + 0.15 * min(1.505150 / 10, 1), abs=1e-6)
    assert w.enhance_confidence(0.9, 1) == pytest.approx(0.9 * 0.85)
    t = np.geomspace(2, 1e12, 10001)
    np.testing.assert_allclose(w.space_bound(t), np.sqrt(t) * np.log2(t), rtol=1e-14)
    np.testing.assert_allclose(w.sqrt_t_log_t_bound(t[:9999].reshape(101, 99)), np.sqrt(t * np.log2(t))[:9999].reshape(101, 99),
                               rtol=1e-14)
    assert w.space_bound([0.5, 4.0]).tolist() == [1.0, 4.0]
    for name in ("space_bound", "efficiency", "space_saved", "batch_size", "confidence_multiplier"):
        assert getattr(vecta, name) is getattr(w, name)
    with pytest.raises(ValueError, match="NaN"):
        w.space_bound(float("nan"))
    with pytest.raises(ValueError, match="NaN"):
        w.space_bound(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="must be > 0"):
        w.space_saved(0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        w.batch_size(0)


# ---- type stubs --------------------------------------------------------------------------------


def test_stub_lists_every_public_name():
    import ast
    import pathlib
    stub = pathlib.Path(__file__).resolve().parents[1] / "vecta.pyi"
    tree = ast.parse(stub.read_text())
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    names |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    public = {n for n in dir(vecta) if not n.startswith("_")}
    assert public - names == set(), "missing from vecta.pyi"
    assert {n for n in names if not n.startswith("_")} - public == set(), "in vecta.pyi but not in the module"
    assert "GIL" in vecta.__doc__ and "ValueError" in vecta.canny.__doc__
