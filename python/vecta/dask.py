# SPDX-License-Identifier: MIT
"""vecta.dask: vecta's kernels over a Dask cluster (Debian python3-dask, python3-distributed; issue 21).

Two jobs that outgrow one machine:

* **Images** — ``vectorize_paths``, ``quantize_paths`` and ``hash_paths`` map one vecta call over a
  ``dask.bag`` of image paths; each task loads its file on the worker (``vecta.load_image``) and
  returns plain Python values (SVG text and stats, a palette and labels, a 64-bit hash), so nothing
  but paths and results crosses the network. The result is a Bag: ``.compute()`` runs it on the
  active ``distributed.Client`` (or Dask's default scheduler without one); it is in the paths' order.
* **Exact top-k over a sharded embedding matrix** — ``topk(queries, database, k)`` with ``database``
  a ``dask.array`` of N x dim split along rows: every row block runs ``vecta.topk`` on its worker
  (k candidates per query, with the block's row offset added), and the Q x (k * blocks) candidates
  are merged on the client by the ranking vecta.topk uses (best score first; equal scores by lower
  index). The exact top-k of the whole matrix is among the union of every block's top-k, so the
  merge returns the same indices as ``vecta.topk`` on the whole matrix in memory; the scores agree
  to float rounding (a block's GEMM may sum in another order), see docs/python.md.

The same code runs on many machines: start ``dask scheduler`` on one host and
``dask worker tcp://<host>:8786`` on each of the others (each needs vecta installed and the image
paths readable, e.g. on a shared file system), then ``Client("tcp://<host>:8786")`` instead of a
``LocalCluster``. Nothing here depends on the workers being local.
"""
import numpy as np

import dask
import dask.array as da
import dask.bag as db

from . import _core

__all__ = ["vectorize_paths", "quantize_paths", "hash_paths", "topk"]

_HIGHER_IS_BETTER = {"dot": True, "cosine": True, "sqeuclidean": False, "euclidean": False, "manhattan": False}


def _paths_bag(paths, npartitions, fn):
    if isinstance(paths, db.Bag):
        return paths
    if paths is None or isinstance(paths, (str, bytes)):
        raise TypeError(f"{fn}: paths must be a sequence of paths or a dask.bag.Bag, got {type(paths).__name__}")
    paths = [str(p) for p in paths]
    if npartitions is not None and (not isinstance(npartitions, int) or npartitions < 1):
        raise ValueError(f"{fn}: npartitions must be an integer >= 1, got {npartitions!r}")
    return db.from_sequence(paths, npartitions=npartitions or min(len(paths), 100) or 1)


def _vectorize_one(path, params):
    svg, stats = _core.vectorize(_core.load_image(path, channels=3), **params)
    return {"path": path, "svg": svg, "stats": stats}


def _quantize_one(path, params):
    q = _core.quantize(_core.load_image(path, channels=3), **params)
    return {"path": path, "palette": q.palette, "labels": q.labels, "psnr": q.psnr}


def _hash_one(path, method):
    return {"path": path, "hash": _core.frame_hash(_core.load_image(path, channels=3), method=method)}


def vectorize_paths(paths, *, npartitions=None, **params):
    """A Bag of {"path", "svg", "stats"}: vecta.vectorize(load_image(path, channels=3), **params) per path."""
    bag = _paths_bag(paths, npartitions, "vecta.dask.vectorize_paths")
    return bag.map(_vectorize_one, params=params)


def quantize_paths(paths, *, npartitions=None, **params):
    """A Bag of {"path", "palette", "labels", "psnr"}: vecta.quantize(load_image(path, channels=3), **params)."""
    bag = _paths_bag(paths, npartitions, "vecta.dask.quantize_paths")
    return bag.map(_quantize_one, params=params)


def hash_paths(paths, *, method="difference", npartitions=None):
    """A Bag of {"path", "hash"}: vecta.frame_hash(load_image(path, channels=3), method=method)."""
    bag = _paths_bag(paths, npartitions, "vecta.dask.hash_paths")
    return bag.map(_hash_one, method=method)


def _block_topk(queries, block, offset, k, metric):
    idx, scores = _core.topk(queries, np.ascontiguousarray(block), k=k, metric=metric)
    return idx + offset, scores


def merge_topk(parts, k, metric):
    """Merges per-block (indices, scores) pairs (global indices) into the top k of their union, ranked as
    vecta.topk ranks: best score first, equal scores by lower index."""
    idx = np.concatenate([p[0] for p in parts], axis=1)
    sc = np.concatenate([p[1] for p in parts], axis=1)
    key = -sc if _HIGHER_IS_BETTER[metric] else sc
    order = np.lexsort((idx, key), axis=1)[:, :k]  # last key is primary: score, then index
    return np.take_along_axis(idx, order, 1), np.take_along_axis(sc, order, 1)


def topk(queries, database, *, k=10, metric="cosine", compute=True):
    """Exact top-k of every query row over a row-sharded embedding matrix (see the module doc).

    queries: Q x dim NumPy array (sent to every block once). database: N x dim dask.array (row chunks;
    column chunks are joined) or a NumPy array (one block). Returns (indices int64, scores) of shape
    Q x min(k, N) as vecta.topk does, or a dask.delayed of that pair with compute=False. Errors: vecta.topk's
    (ValueError for NaN / infinity, dtype or dimension mismatch, TypeError / ValueError for k).
    """
    fn = "vecta.dask.topk"
    if metric not in _HIGHER_IS_BETTER:
        raise ValueError(f"{fn}: metric must be one of {', '.join(map(repr, _HIGHER_IS_BETTER))}, got {metric!r}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{fn}: k must be an integer, got {type(k).__name__}")
    if k < 1:
        raise ValueError(f"{fn}: k must be >= 1, got {k}")
    if queries is None or database is None:
        raise TypeError(f"{fn}: {'queries' if queries is None else 'database'} must be an array, not None")
    q = np.asarray(queries)
    if not isinstance(database, da.Array):
        database = da.from_array(np.asarray(database), chunks=(-1, -1))
    if database.ndim != 2:
        raise ValueError(f"{fn}: database must be a 2-D array (N x dim), got shape {database.shape}")
    database = database.rechunk({1: -1})
    q_d = dask.delayed(q, pure=True)
    offsets = np.concatenate([[0], np.cumsum(database.chunks[0])[:-1]]).astype(np.int64)
    parts = [dask.delayed(_block_topk, pure=True)(q_d, b, int(off), int(k), metric)
             for b, off in zip(database.to_delayed().ravel(), offsets)]
    merged = dask.delayed(merge_topk, pure=True)(parts, int(k), metric)
    return merged.compute() if compute else merged
