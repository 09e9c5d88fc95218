# SPDX-License-Identifier: MIT
"""vecta.compat: the call shapes of the pipelines vecta grew from, as thin wrappers over vecta's API.

Code written for the earlier Williams optimizer, vector optimizer and frame monitor runs unchanged
by importing these names from here (issue 21). Each wrapper only adapts the call (argument order,
units, return order) and validates input; the work is done by the vecta function named in its
doc comment. Errors are NumPy-style: TypeError for a wrong type or None, ValueError for a wrong
value (NaN, negative), with the Python argument name in the message.

    =============================================  =============================================
    seed call                                      vecta call
    =============================================  =============================================
    WilliamsSpaceOptimizer().space_bound(t)        vecta.williams.space_bound(t) (and the other 4)
    batch_cosine_similarity(q, db, top_k)          vecta.topk(q, db, k=top_k, metric="cosine"),
                                                   returned as (similarities, indices)
    normalize_vectors(x)                           vecta.normalize(x)  (L2)
    compute_similarity_matrix(a, b)                vecta.similarity_matrix(a, b, metric="cosine")
    vector_arithmetic(a, b, "add")                 a + b (NumPy; b one row or a's shape)
    RustBloomFilter(size_mb, num_hashes)           vecta.BloomFilter(megabytes=..., hashes=...)
    FrameRingBuffer(capacity_mb).add_frame(f, ts)  vecta.FrameRing(capacity_bytes).push(ts, f)
    =============================================  =============================================
"""
import math
import numbers

import numpy as np

from . import _core

__all__ = ["WilliamsSpaceOptimizer", "batch_cosine_similarity", "normalize_vectors", "compute_similarity_matrix",
           "vector_arithmetic", "RustBloomFilter", "FrameRingBuffer"]

_MB = 1 << 20

# ---- Williams ------------------------------------------------------------------------------------


class WilliamsSpaceOptimizer:
    """The Williams optimizer's class: each method is the vecta.williams function of the same name, which
    takes a number or an array (element-wise, like a NumPy ufunc; SIMD for space_bound) and refuses
    None / non-numbers (TypeError) and NaN or negative counts (ValueError: efficiency(-5) is an error, not
    -5.0). See docs/williams.md for the formulas: batch-sizing heuristics after R. Williams, "Simulating
    Time With Square-Root Space" (STOC 2025)."""

    def space_bound(self, t):
        return _core.williams.space_bound(t)

    def efficiency(self, t):
        return _core.williams.efficiency(t)

    def space_saved(self, t):
        return _core.williams.space_saved(t)

    def batch_size(self, n, budget_bytes=None, item_bytes=None):
        return _core.williams.batch_size(n, budget_bytes, item_bytes)

    def confidence_multiplier(self, n):
        return _core.williams.confidence_multiplier(n)

    def __repr__(self):
        return "WilliamsSpaceOptimizer()"


for _name in ("space_bound", "efficiency", "space_saved", "batch_size", "confidence_multiplier"):
    getattr(WilliamsSpaceOptimizer, _name).__doc__ = getattr(_core.williams, _name).__doc__


# ---- vectors -------------------------------------------------------------------------------------


def _float_pair(a, b, fn, na, nb):
    """a and b as arrays of one float dtype (float32 when both are float32, else float64)."""
    for x, name in ((a, na), (b, nb)):
        if x is None:
            raise TypeError(f"{fn}: {name} must be an array of real numbers, got None")
    xa, xb = np.asarray(a), np.asarray(b)
    for x, name in ((xa, na), (xb, nb)):
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{fn}: {name} must be an array of real numbers, got dtype {x.dtype}")
    dt = np.float32 if xa.dtype == np.float32 and xb.dtype == np.float32 else np.float64
    return xa.astype(dt, copy=False), xb.astype(dt, copy=False)


def batch_cosine_similarity(queries, db, top_k=10):
    """The vector optimizer's top-k search: for each query row, the top_k database rows by cosine
    similarity, best first. Returns (similarities, indices), Q x min(top_k, N) each (vecta.topk returns
    them as (indices, scores)). Float32 when both inputs are float32, else float64."""
    fn = "vecta.compat.batch_cosine_similarity"
    if top_k is None or isinstance(top_k, bool) or not isinstance(top_k, numbers.Integral):
        raise TypeError(f"{fn}: top_k must be an integer, got {type(top_k).__name__}")
    if top_k < 1:
        raise ValueError(f"{fn}: top_k must be >= 1, got {top_k}")
    q, d = _float_pair(queries, db, fn, "queries", "db")
    idx, sims = _core.topk(q, d, k=top_k, metric="cosine")
    return sims, idx


def normalize_vectors(vectors):
    """Every row scaled to unit L2 norm (zero rows stay zero): vecta.normalize(vectors). Integer input is
    converted to float64."""
    if vectors is None:
        raise TypeError("vecta.compat.normalize_vectors: vectors must be an array of real numbers, got None")
    v = np.asarray(vectors)
    if v.dtype.kind in "biu":
        v = v.astype(np.float64)
    return _core.normalize(v)


def compute_similarity_matrix(a, b=None, metric="cosine"):
    """All-pairs similarity of the rows of a and b (b = a when omitted), cosine by default as the seed
    computed it: vecta.similarity_matrix(a, b, metric=metric)."""
    fn = "vecta.compat.compute_similarity_matrix"
    x, y = _float_pair(a, a if b is None else b, fn, "a", "b")
    return _core.similarity_matrix(x, y, metric=metric)


_OPS = {"add": np.add, "+": np.add, "subtract": np.subtract, "sub": np.subtract, "-": np.subtract,
        "multiply": np.multiply, "mul": np.multiply, "*": np.multiply,
        "divide": np.divide, "div": np.divide, "/": np.divide}


def vector_arithmetic(a, b, operation="add"):
    """a (op) b element-wise, b either a's shape or one row broadcast to every row of a (vecta::elementwise's
    contract; computed with NumPy, which gives the same IEEE results). operation: 'add', 'subtract',
    'multiply', 'divide' (or '+', '-', '*', '/'). Division by zero follows IEEE (inf, NaN)."""
    fn = "vecta.compat.vector_arithmetic"
    if not isinstance(operation, str) or operation.lower() not in _OPS:
        raise ValueError(f"{fn}: operation must be one of 'add', 'subtract', 'multiply', 'divide', got {operation!r}")
    x, y = _float_pair(a, b, fn, "a", "b")
    if not (y.shape == x.shape or (y.ndim == 1 and x.ndim >= 1 and y.shape[0] == x.shape[-1])
            or (y.ndim == 2 and y.shape[0] == 1 and x.ndim == 2 and y.shape[1] == x.shape[1])):
        raise ValueError(f"{fn}: b must have a's shape {x.shape} or be one row of {x.shape[-1] if x.ndim else 0} "
                         f"values, got shape {y.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _OPS[operation.lower()](x, y)


# ---- monitor structures ---------------------------------------------------------------------------


def _megabytes(x, name, fn):
    if x is None or isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a number of megabytes, got {type(x).__name__}")
    if not math.isfinite(x) or x <= 0:
        raise ValueError(f"{fn}: {name} must be a finite number > 0, got {x!r}")
    return float(x)


class RustBloomFilter:
    """The monitor's Bloom filter, sized in megabytes with a hash count: vecta.BloomFilter(megabytes=size_mb,
    hashes=num_hashes). Keys: int, str, bytes-like. add / contains / `in`, plus the batch calls."""

    def __init__(self, size_mb, num_hashes=7):
        fn = "vecta.compat.RustBloomFilter"
        mb = _megabytes(size_mb, "size_mb", fn)
        if num_hashes is None or isinstance(num_hashes, bool) or not isinstance(num_hashes, numbers.Integral):
            raise TypeError(f"{fn}: num_hashes must be an integer, got {type(num_hashes).__name__}")
        if num_hashes < 1:
            raise ValueError(f"{fn}: num_hashes must be >= 1, got {num_hashes}")
        self._f = _core.BloomFilter(megabytes=mb, hashes=int(num_hashes))

    def add(self, key):
        self._f.insert(key)

    insert = add

    def contains(self, key):
        return self._f.contains(key)

    check = contains

    def __contains__(self, key):
        return self._f.contains(key)

    def add_batch(self, keys):
        self._f.insert_many(keys)

    def contains_batch(self, keys):
        return self._f.contains_many(keys)

    def clear(self):
        self._f.clear()

    def false_positive_rate(self):
        return self._f.false_positive_rate()

    @property
    def size_bytes(self):
        return self._f.size_bytes

    @property
    def num_hashes(self):
        return self._f.hashes

    @property
    def filter(self):
        """The vecta.BloomFilter underneath."""
        return self._f

    def __repr__(self):
        return f"RustBloomFilter(size_mb={self._f.size_bytes / _MB:g}, num_hashes={self._f.hashes})"


class FrameRingBuffer:
    """The monitor's frame ring, sized in megabytes: vecta.FrameRing(capacity_bytes = capacity_mb * 2**20).
    add_frame(frame_bytes, timestamp) stores a frame (the oldest ones are evicted to make room).
    Timestamps: integers are kept as they are; floats are seconds (as time.time() gives), kept as
    integer nanoseconds and returned as float seconds; one ring takes one kind. get_frames() and
    iteration give (timestamp, bytes) oldest first."""

    def __init__(self, capacity_mb):
        fn = "vecta.compat.FrameRingBuffer"
        mb = _megabytes(capacity_mb, "capacity_mb", fn)
        self._r = _core.FrameRing(int(mb * _MB))
        self._float_ts = None

    def _ts_in(self, timestamp):
        fn = "vecta.compat.FrameRingBuffer.add_frame"
        if timestamp is None or isinstance(timestamp, bool) or not isinstance(timestamp, numbers.Real):
            raise TypeError(f"{fn}: timestamp must be an int or a float of seconds, got {type(timestamp).__name__}")
        is_float = not isinstance(timestamp, numbers.Integral)
        if self._float_ts is not None and is_float != self._float_ts:
            raise TypeError(f"{fn}: timestamp must be {'a float' if self._float_ts else 'an int'} like the ring's "
                            f"first timestamp, got {type(timestamp).__name__}")
        if is_float:
            if not math.isfinite(timestamp) or timestamp < 0:
                raise ValueError(f"{fn}: timestamp must be finite and >= 0, got {timestamp!r}")
            v = round(timestamp * 1e9)
        else:
            v = int(timestamp)
        if not 0 <= v < 2 ** 64:
            raise ValueError(f"{fn}: timestamp must be in [0, 2**64), got {timestamp!r}")
        self._float_ts = is_float
        return v

    def _ts_out(self, v):
        return v / 1e9 if self._float_ts else v

    def add_frame(self, frame_bytes, timestamp):
        """Stores frame_bytes (bytes-like) with its timestamp; returns nothing, as the seed did."""
        if frame_bytes is None:
            raise TypeError("vecta.compat.FrameRingBuffer.add_frame: frame_bytes must be bytes-like, got None")
        self._r.push(self._ts_in(timestamp), frame_bytes)

    def get_frames(self):
        """Every stored frame as (timestamp, bytes), oldest first (copies of vecta.Frame's zero-copy views)."""
        return [(self._ts_out(f.timestamp), f.copy()) for f in self._r.frames()]

    def __iter__(self):
        return iter(self.get_frames())

    def __len__(self):
        return len(self._r)

    def latest(self):
        """The newest (timestamp, bytes), or None when empty."""
        if len(self._r) == 0:
            return None
        f = self._r.back()
        return self._ts_out(f.timestamp), f.copy()

    def clear(self):
        self._r.clear()

    @property
    def capacity_bytes(self):
        return self._r.capacity_bytes

    @property
    def ring(self):
        """The vecta.FrameRing underneath."""
        return self._r

    def __repr__(self):
        return f"FrameRingBuffer(frames={len(self)}, capacity_bytes={self.capacity_bytes})"
