# SPDX-License-Identifier: MIT
"""vecta.dask on a LocalCluster with 2 worker processes: results equal the single-process vecta calls
(issue 21). Sizes are kept small for CI (python/bench/bench_dask.py measures 200 images and a
1M x 256 matrix, 1 against 2 workers)."""
import pathlib

import numpy as np
import pytest

import vecta

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
import vecta.dask as vd  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def image_paths(tmp_path_factory):
    d = tmp_path_factory.mktemp("imgs")
    rng = np.random.default_rng(11)
    paths = []
    for i in range(12):
        img = np.full((48 + 4 * i, 64, 3), 240, np.uint8)
        y0, x0 = rng.integers(0, 20, 2)
        img[y0:y0 + 20, x0:x0 + 30] = rng.integers(0, 256, 3)
        img[rng.integers(0, 48, 50), rng.integers(0, 64, 50)] = 10
        p = d / f"img{i:02d}.png"
        p.write_bytes(vecta.encode_image(img))
        paths.append(p)
    return paths


def test_images_on_two_workers_equal_in_process(client, image_paths):
    assert len(client.scheduler_info()["workers"]) == 2
    got = vd.vectorize_paths(image_paths, colors=6, npartitions=4).compute()
    assert [g["path"] for g in got] == [str(p) for p in image_paths]
    for g, p in zip(got, image_paths):
        svg, stats = vecta.vectorize(vecta.load_image(str(p), channels=3), colors=6)
        assert g["svg"] == svg and g["stats"]["paths"] == stats["paths"]
    qs = vd.quantize_paths(image_paths, colors=4, npartitions=3).compute()
    for g, p in zip(qs, image_paths):
        q = vecta.quantize(vecta.load_image(str(p), channels=3), colors=4)
        assert np.array_equal(g["palette"], q.palette) and np.array_equal(g["labels"], q.labels)
    hs = vd.hash_paths(image_paths, npartitions=5).compute()
    assert [h["hash"] for h in hs] == [vecta.frame_hash(vecta.load_image(str(p), channels=3)) for p in image_paths]
    # the work ran on both workers
    ran = client.run(lambda: 1)
    assert len(ran) == 2


@pytest.mark.parametrize("metric", ["cosine", "dot", "sqeuclidean"])
def test_sharded_topk_equals_in_process(client, metric):
    rng = np.random.default_rng(5)
    base = rng.standard_normal((60_000, 64)).astype(np.float32)
    queries = rng.standard_normal((16, 64)).astype(np.float32)
    queries[3] = base[4321]  # an exact hit
    base[50_000] = base[100]  # a tie across blocks: the lower index ranks first
    database = da.from_array(base, chunks=(7_000, 64))  # 9 uneven row blocks
    idx, sc = vd.topk(queries, database, k=10, metric=metric)
    ref_idx, ref_sc = vecta.topk(queries, base, k=10, metric=metric)
    assert idx.shape == (16, 10) and idx.dtype == np.int64 and sc.dtype == np.float32
    assert np.array_equal(idx, ref_idx)
    np.testing.assert_allclose(sc, ref_sc, rtol=1e-5, atol=1e-5)
    if metric == "cosine":
        assert idx[3, 0] == 4321


def test_topk_of_numpy_input_and_k_above_n(client):
    rng = np.random.default_rng(6)
    base = rng.standard_normal((7, 8))
    q = rng.standard_normal((2, 8))
    idx, sc = vd.topk(q, da.from_array(base, chunks=(3, 8)), k=20)
    ref = vecta.topk(q, base, k=20)
    assert idx.shape == (2, 7) and np.array_equal(idx, ref[0])
    with pytest.raises(ValueError, match="k must be >= 1"):
        vd.topk(q, base, k=0)
    with pytest.raises(TypeError, match="database"):
        vd.topk(q, None)
    with pytest.raises(ValueError, match="queries"):
        vd.topk(np.full((1, 8), np.nan), base)


def test_paths_errors():
    with pytest.raises(TypeError, match="paths"):
        vd.hash_paths(None)
    with pytest.raises(TypeError, match="paths"):
        vd.vectorize_paths("one/path.png")
    with pytest.raises(OSError):
        vd.hash_paths([str(pathlib.Path("/nonexistent/x.png"))]).compute(scheduler="sync")
