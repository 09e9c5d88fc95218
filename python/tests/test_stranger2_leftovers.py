# SPDX-License-Identifier: MIT
"""Python leftovers of the second black-box report (/work/notes/stranger2.md items 6, 10, 11, 12):
messages in C++ words, bool accepted as a count, cosine of huge / tiny vectors, williams edge values."""
import numpy as np
import pytest

import vecta


def test_messages_name_the_python_arguments_and_classes():
    # Item 10: "queries.cols()", "in.cols()", "vecta.douglas_peucker_indices", "vecta.frame_ring.push ...
    # max_frame_bytes()", "vecta.bloom_filter" were the C++ spellings.
    with pytest.raises(ValueError, match=r"^vecta\.topk: queries and database must have rows of the same length "
                                         r">= 1, got shapes \(2, 0\) and \(3, 0\)$"):
        vecta.topk(np.zeros((2, 0), "f4"), np.zeros((3, 0), "f4"))
    with pytest.raises(ValueError, match=r"^vecta\.similarity_matrix: queries and database must have rows"):
        vecta.similarity_matrix(np.zeros((2, 0), "f8"), np.zeros((3, 0), "f8"))
    with pytest.raises(ValueError, match=r"^vecta\.normalize: x must have rows of length >= 1, got shape \(3, 0\)$"):
        vecta.normalize(np.zeros((3, 0), "f4"))
    pts = np.array([[0, 0], [np.nan, 1], [2, 2]], "f8")
    for fn in ("douglas_peucker", "douglas_peucker_indices"):
        with pytest.raises(ValueError, match=rf"^vecta\.{fn}: points must have finite coordinates"):
            getattr(vecta, fn)(pts, 0.5)
    with pytest.raises(ValueError, match=r"^vecta\.BloomFilter: expected_items must be >= 1"):
        vecta.BloomFilter(0)


def test_frame_ring_push_messages():
    ring = vecta.FrameRing(4096)
    assert ring.push(10, b"x") == 0
    with pytest.raises(ValueError, match=r"^vecta\.FrameRing\.push: timestamp must be >= the newest frame's"):
        ring.push(5, b"x")
    with pytest.raises(ValueError, match=r"^vecta\.FrameRing\.push: frame must be <= max_frame_bytes \(capacity"):
        ring.push(20, b"x" * (ring.max_frame_bytes + 1))
    ring.push(20, b"x" * ring.max_frame_bytes)


def test_topk_k_is_a_positive_int_not_a_bool():
    q, d = np.ones((2, 3), "f4"), np.ones((3, 3), "f4")
    for k in (True, False, np.bool_(True)):
        with pytest.raises(TypeError, match=r"^vecta\.topk: k must be an integer, got bool"):
            vecta.topk(q, d, k=k)  # True was k = 1 (NumPy refuses bool indices)
    for k in (0, -1, np.int64(-5)):
        with pytest.raises(ValueError, match=rf"^vecta\.topk: k must be >= 1, got {int(k)}$"):
            vecta.topk(q, d, k=k)  # 0 said ">= 1", -1 said ">= 0"
    with pytest.raises(TypeError, match=r"^vecta\.topk: k must be an integer, got float"):
        vecta.topk(q, d, k=1.5)
    with pytest.raises(ValueError, match=r"^vecta\.topk: k must be < 2\*\*64"):
        vecta.topk(q, d, k=2**70)
    idx, scores = vecta.topk(q, d, k=np.int64(2))
    assert idx.shape == (2, 2) and scores.shape == (2, 2)
    assert vecta.topk(q, d)[0].shape == (2, 3)  # the default k = 10, clipped to N


@pytest.mark.parametrize("dtype,scale", [("f4", 1e20), ("f4", 1e38), ("f4", 1e-30), ("f4", 1e-44), ("f8", 1e300),
                                         ("f8", 1e-300)])
def test_cosine_of_huge_and_tiny_rows(dtype, scale):
    # Item 6: the sums of squares overflowed / underflowed the dtype: [[nan]] or [[0.]] instead of 1.
    x = np.full((1, 8), scale, dtype)
    y = x.copy()
    y[0, 7] = -y[0, 7]
    both = np.vstack([x, y])
    for path in ("blocked", "gemm"):
        m = vecta.similarity_matrix(both, both, metric="cosine", path=path)
        np.testing.assert_allclose(m, [[1, 0.75], [0.75, 1]], rtol=1e-6)
        idx, s = vecta.topk(both, both, k=2, metric="cosine", path=path)
        assert idx.tolist() == [[0, 1], [1, 0]]
        np.testing.assert_allclose(s, [[1, 0.75], [1, 0.75]], rtol=1e-6)


def test_williams_negative_t_and_topk_docstring():
    # Item 11: C++ space_bound(-5) was 1 while Python refused it; both refuse now (C++ test:
    # tests/math/test_williams_bound.cpp). The topk docstring promised "NaN last" for input it refuses.
    with pytest.raises(ValueError, match=r"^vecta\.williams\.space_bound: t must be >= 0, got -5"):
        vecta.space_bound(-5)
    assert vecta.space_bound(-0.0) == 1.0
    assert "NaN last" not in vecta.topk.__doc__ and "NaN or infinite input raises ValueError" in vecta.topk.__doc__
    with pytest.raises(ValueError, match=r"^vecta\.topk: queries must be finite"):
        vecta.topk(np.array([[np.nan, 1.0]]), np.ones((3, 2)))


def test_space_saved_of_tiny_t():
    # Item 12: 5e-324 gave -inf (the percentage -100 / t overflows a double).
    for t in (5e-324, 1e-308, np.array([1.0, 5e-324])):
        with pytest.raises(ValueError, match=r"^vecta\.williams\.space_saved: t must be >= 100 / DBL_MAX"):
            vecta.space_saved(t)
    assert np.isfinite(vecta.space_saved(1e-300)) and vecta.space_saved(1e-300) == pytest.approx(-1e302)
    assert vecta.space_saved(np.inf) == 100.0
