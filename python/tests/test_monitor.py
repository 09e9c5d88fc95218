# SPDX-License-Identifier: MIT
"""content_hash against libxxhash's XXH3_64bits_withSeed called through ctypes on img.tobytes();
tile_stats against NumPy (per-tile mean / std / min / max, and the reshape form for tiles that
divide the image)."""
import ctypes
import ctypes.util

import numpy as np
import pytest

import vecta


def _libxxhash():
    for name in ("libxxhash.so.0", ctypes.util.find_library("xxhash")):
        if name:
            try:
                lib = ctypes.CDLL(name)
            except OSError:
                continue
            lib.XXH3_64bits_withSeed.restype = ctypes.c_uint64
            lib.XXH3_64bits_withSeed.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]
            return lib
    return None


XXH = _libxxhash()


def xxh3(data: bytes, seed: int = 0) -> int:
    return XXH.XXH3_64bits_withSeed(data, len(data), seed)


# ---- content_hash -----------------------------------------------------------------------------


@pytest.mark.skipif(XXH is None, reason="libxxhash (Debian libxxhash0) not found")
def test_content_hash_equals_xxh3_of_the_bytes():
    rng = np.random.default_rng(1)
    frame = rng.integers(0, 256, (1080, 1920, 3), np.uint8)
    for seed in (0, 1, 2**64 - 1):
        assert vecta.content_hash(frame, seed=seed) == xxh3(frame.tobytes(), seed)
    cases = [
        frame[100:300, 50:700],  # crop: rows apart in memory, read in place
        frame[::2],  # every other row
        frame[:, ::3],  # non-contiguous pixels: copied
        frame[::-1],  # negative stride
        frame[5, :, 1],  # 1-D strided
        frame[:0],  # empty
        np.asfortranarray(frame[:50, :40]),
        rng.standard_normal((37, 5)).astype(np.float32),
        rng.integers(0, 2**16, (9, 11, 4), np.uint16)[:, 2:],
        np.array(7, np.int64),
    ]
    for a in cases:
        assert vecta.content_hash(a) == xxh3(a.tobytes()), (a.shape, a.strides)
        assert vecta.content_hash(a) == vecta.content_hash(np.ascontiguousarray(a))


def test_content_hash_changes_with_any_pixel_and_not_with_padding():
    rng = np.random.default_rng(2)
    big = rng.integers(0, 256, (120, 200, 3), np.uint8)
    crop = big[10:60, 20:90]
    h = vecta.content_hash(crop)
    seen = {h}
    for i in range(300):
        c = crop.copy()
        y, x, ch = i % 50, (i * 7) % 70, i % 3
        c[y, x, ch] ^= 1 << (i % 8)
        seen.add(vecta.content_hash(c))
    assert len(seen) == 301
    big[:, :20] = 0  # outside the crop
    big[:, 90:] = 255
    assert vecta.content_hash(crop) == h


def test_content_hash_bad_arguments():
    with pytest.raises(TypeError):
        vecta.content_hash(b"bytes")
    with pytest.raises(TypeError):
        vecta.content_hash(np.array([object()]))
    with pytest.raises((TypeError, ValueError)):  # ValueError through the package's argument check
        vecta.content_hash(np.zeros(3, np.uint8), seed=-1)


# ---- tile_stats -------------------------------------------------------------------------------


def numpy_tiles(img, th, tw):
    """Per-tile mean, std, min, max by slicing (partial tiles included), float64."""
    img = img if img.ndim == 3 else img[:, :, None]
    h, w, c = img.shape
    ty, tx = -(-h // th), -(-w // tw)
    out = [np.zeros((ty, tx, c)) for _ in range(4)]
    for j in range(ty):
        for i in range(tx):
            t = img[j * th : (j + 1) * th, i * tw : (i + 1) * tw].reshape(-1, c).astype(np.float64)
            out[0][j, i], out[1][j, i] = t.mean(axis=0), t.std(axis=0)
            out[2][j, i], out[3][j, i] = t.min(axis=0), t.max(axis=0)
    return out


@pytest.mark.parametrize("shape", [(1, 1), (7, 9), (33, 65, 3), (50, 31, 4), (64, 64, 2), (100, 130, 1)])
@pytest.mark.parametrize("tile", [(1, 1), (8, 8), (5, 13), (32, 32), (200, 300)])
def test_tile_stats_matches_numpy(shape, tile):
    rng = np.random.default_rng(sum(shape) * 31 + tile[0] * 7 + tile[1])
    img = rng.integers(0, 256, shape, np.uint8)
    mean, std, lo, hi = vecta.tile_stats(img, tile=tile)
    ref = numpy_tiles(img, *tile)
    c = shape[2] if len(shape) == 3 else 1
    assert mean.shape == std.shape == lo.shape == hi.shape == (-(-shape[0] // tile[0]), -(-shape[1] // tile[1]), c)
    assert mean.dtype == np.float64 and std.dtype == np.float64 and lo.dtype == np.uint8 and hi.dtype == np.uint8
    np.testing.assert_allclose(mean, ref[0], rtol=1e-12)
    np.testing.assert_allclose(std, ref[1], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(lo, ref[2])
    np.testing.assert_array_equal(hi, ref[3])


def test_tile_stats_reshape_reference_1080p_and_strided_input():
    rng = np.random.default_rng(5)
    frame = rng.integers(0, 256, (1080, 1920, 3), np.uint8)
    t = frame.reshape(1080 // 24, 24, 1920 // 32, 32, 3).astype(np.float64)
    mean, std, lo, hi = vecta.tile_stats(frame, tile=(24, 32))
    np.testing.assert_allclose(mean, t.mean(axis=(1, 3)), rtol=1e-12)
    np.testing.assert_allclose(std, t.std(axis=(1, 3)), rtol=1e-9)
    np.testing.assert_array_equal(lo, frame.reshape(45, 24, 60, 32, 3).min(axis=(1, 3)))
    np.testing.assert_array_equal(hi, frame.reshape(45, 24, 60, 32, 3).max(axis=(1, 3)))
    crop = frame[7:500, 3:1001]  # read in place with its row stride
    got = vecta.tile_stats(crop, tile=(32, 32))
    want = vecta.tile_stats(np.ascontiguousarray(crop), tile=(32, 32))
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)


def test_tile_stats_bad_arguments():
    img = np.zeros((10, 10, 3), np.uint8)
    for tile in [(0, 4), (4, 0), (-1, 2), (4,), (1, 2, 3), (-(2**70), 3)]:
        with pytest.raises(ValueError, match="tile"):
            vecta.tile_stats(img, tile=tile)
    for tile in ["ab", 5, (1.5, 2), (2, None), None]:
        with pytest.raises(TypeError, match="tile"):
            vecta.tile_stats(img, tile=tile)
    assert vecta.tile_stats(img, tile=(2**70, np.int64(3)))[0].shape == (1, 4, 3)  # huge: one tile row
    with pytest.raises(ValueError, match="uint8"):
        vecta.tile_stats(img.astype(np.float32))
    with pytest.raises(ValueError, match="1 to 4 channels"):
        vecta.tile_stats(np.zeros((4, 4, 5), np.uint8))
    with pytest.raises(ValueError, match="empty"):
        vecta.tile_stats(np.zeros((0, 4), np.uint8))
    with pytest.raises(ValueError, match="2-D"):
        vecta.tile_stats(np.zeros(4, np.uint8))


# ---- the monitoring example -------------------------------------------------------------------


def test_frame_monitor_example_analyser_process_verifies_every_frame():
    """python/examples/frame_monitor.py end to end on 60 frames: the spawned analyser reads every new
    frame from the shared-memory ring and its content hash equals the capture loop's."""
    import os
    import pathlib
    import re
    import subprocess
    import sys

    example = pathlib.Path(__file__).resolve().parents[1] / "examples" / "frame_monitor.py"
    out = subprocess.run([sys.executable, str(example), "--frames", "60"], capture_output=True, text=True,
                         timeout=300, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    kept = int(re.search(r"(\d+) new", out.stdout).group(1))
    m = re.search(r"read (\d+), verified (\d+) .*lost (\d+), torn (\d+), bad (\d+)", out.stdout)
    read, verified, lost, torn, bad = map(int, m.groups())
    assert bad == 0 and verified == read and read + lost + torn == kept and read > 0
    assert re.search(r"(\d+) exact duplicates dropped", out.stdout).group(1) != "0"


def test_content_hash_of_overlapping_rows_reads_only_the_array():
    """Broadcast (stride 0) and overlapping as_strided rows hash as their tobytes(), in bounds."""
    row = np.arange(48, dtype=np.uint8).reshape(16, 3)
    b = np.broadcast_to(row, (5, 16, 3))
    assert vecta.content_hash(b) == xxh3(b.tobytes())
    base = np.arange(64, dtype=np.uint8)
    o = np.lib.stride_tricks.as_strided(base, shape=(4, 32), strides=(8, 1))
    assert vecta.content_hash(o) == xxh3(o.tobytes())
