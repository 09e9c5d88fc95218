# SPDX-License-Identifier: MIT
"""Bad input for every public Python function (issue 21): each case raises the NumPy-style exception
(TypeError for a wrong type or None, ValueError for a wrong value: NaN / infinity where they make the
result meaningless, negative counts and sizes, wrong dtype or shape), the message names the Python
argument, and it never shows pybind11's internals or a whole array."""
import re

import numpy as np
import pytest

import vecta

Q = np.random.default_rng(0).standard_normal((6, 8)).astype(np.float32)
D = np.random.default_rng(1).standard_normal((40, 8)).astype(np.float32)
IMG = np.random.default_rng(2).integers(0, 256, (24, 32, 3), dtype=np.uint8)
GRAY = IMG[..., 0].copy()
PTS = np.array([[0.0, 0.0], [1.0, 0.1], [2.0, -0.1], [3.0, 5.0], [4.0, 6.0]])
PNG = vecta.encode_image(IMG)


def with_nan(a, value=np.nan, at=(1, 2)):
    a = a.copy()
    a[at] = value
    return a


W = vecta.williams

# (id, call, exception type, argument name the message must hold)
CASES = [
    # similarity
    ("topk-nan-queries", lambda: vecta.topk(with_nan(Q), D), ValueError, "queries"),
    ("topk-inf-database", lambda: vecta.topk(Q, with_nan(D, np.inf)), ValueError, "database"),
    ("topk-k-negative", lambda: vecta.topk(Q, D, k=-1), ValueError, "k"),
    ("topk-k-zero", lambda: vecta.topk(Q, D, k=0), ValueError, "k"),
    ("topk-k-float", lambda: vecta.topk(Q, D, k=2.5), TypeError, "k"),
    ("topk-k-none", lambda: vecta.topk(Q, D, k=None), TypeError, "k"),
    ("topk-queries-none", lambda: vecta.topk(None, D), TypeError, "queries"),
    ("topk-database-none", lambda: vecta.topk(Q, None), TypeError, "database"),
    ("topk-dtype-complex", lambda: vecta.topk(Q.astype(np.complex64), D), ValueError, "queries"),
    ("topk-dtype-str", lambda: vecta.topk([["a", "b"]], D), ValueError, "queries"),
    ("topk-metric-int", lambda: vecta.topk(Q, D, metric=3), TypeError, "metric"),
    ("topk-metric-unknown", lambda: vecta.topk(Q, D, metric="cos"), ValueError, "metric"),
    ("topk-bad-keyword", lambda: vecta.topk(Q, D, top_k=3), TypeError, "top_k"),
    ("similarity_matrix-nan", lambda: vecta.similarity_matrix(with_nan(Q), D), ValueError, "queries"),
    ("similarity_matrix-inf", lambda: vecta.similarity_matrix(Q, with_nan(D, -np.inf)), ValueError, "database"),
    ("similarity_matrix-none", lambda: vecta.similarity_matrix(Q, None), TypeError, "database"),
    ("similarity_matrix-dims", lambda: vecta.similarity_matrix(Q, D[:, :5]), ValueError, "database"),
    ("similarity_matrix-path", lambda: vecta.similarity_matrix(Q, D, path=None), TypeError, "path"),
    ("normalize-nan", lambda: vecta.normalize(with_nan(Q)), ValueError, "x"),
    ("normalize-inf", lambda: vecta.normalize(with_nan(Q, np.inf)), ValueError, "x"),
    ("normalize-none", lambda: vecta.normalize(None), TypeError, "x"),
    ("normalize-int-dtype", lambda: vecta.normalize(np.ones((3, 3), np.int32)), ValueError, "x"),
    ("normalize-norm", lambda: vecta.normalize(Q, norm="l3"), ValueError, "norm"),
    ("normalize-out", lambda: vecta.normalize(Q, out=np.zeros((2, 2), np.float32)), ValueError, "out"),
    ("kmeans-nan", lambda: vecta.kmeans(with_nan(D), k=3), ValueError, "points"),
    ("kmeans-inf", lambda: vecta.kmeans(with_nan(D, np.inf), k=3), ValueError, "points"),
    ("kmeans-k-negative", lambda: vecta.kmeans(D, k=-1), ValueError, "k"),
    ("kmeans-max_iter-negative", lambda: vecta.kmeans(D, max_iter=-1), ValueError, "max_iter"),
    ("kmeans-tol-none", lambda: vecta.kmeans(D, tol=None), TypeError, "tol"),
    ("kmeans-seed-negative", lambda: vecta.kmeans(D, seed=-1), ValueError, "seed"),
    ("kmeans-none", lambda: vecta.kmeans(None), TypeError, "points"),
    ("kmeans-weights-nan", lambda: vecta.kmeans(D, k=3, weights=with_nan(np.ones(40, np.float32), at=3)), ValueError,
     "weights"),
    # colour, edges, hashes
    ("quantize-colors-negative", lambda: vecta.quantize(IMG, colors=-1), ValueError, "colors"),
    ("quantize-none", lambda: vecta.quantize(None), TypeError, "image"),
    ("quantize-float-image", lambda: vecta.quantize(IMG.astype(np.float32)), ValueError, "image"),
    ("quantize-dither", lambda: vecta.quantize(IMG, dither="yes"), TypeError, "dither"),
    ("gaussian_blur-ksize", lambda: vecta.gaussian_blur(GRAY, ksize=-3), ValueError, "ksize"),
    ("gaussian_blur-sigma", lambda: vecta.gaussian_blur(GRAY, sigma=None), TypeError, "sigma"),
    ("gaussian_blur-none", lambda: vecta.gaussian_blur(None), TypeError, "src"),
    ("sobel-none", lambda: vecta.sobel(None), TypeError, "src"),
    ("sobel-border", lambda: vecta.sobel(GRAY, border=5), TypeError, "border"),
    ("sobel_magnitude-l2", lambda: vecta.sobel_magnitude(GRAY, l2="no"), TypeError, "l2"),
    ("sobel_direction-none", lambda: vecta.sobel_direction(None), TypeError, "src"),
    ("canny-low-none", lambda: vecta.canny(GRAY, low=None), TypeError, "low"),
    ("canny-float-src", lambda: vecta.canny(GRAY.astype(np.float64)), ValueError, "src"),
    ("to_gray-none", lambda: vecta.to_gray(None), TypeError, "src"),
    ("to_gray-5-channels", lambda: vecta.to_gray(np.zeros((4, 4, 5), np.uint8)), ValueError, "src"),
    ("frame_difference-threshold-float", lambda: vecta.frame_difference(GRAY, GRAY, threshold=0.1), TypeError,
     "threshold"),
    ("frame_difference-b-none", lambda: vecta.frame_difference(GRAY, None), TypeError, "b"),
    ("frame_difference-shapes", lambda: vecta.frame_difference(GRAY, GRAY[:5]), ValueError, "b"),
    ("frame_hash-method", lambda: vecta.frame_hash(GRAY, method=1), TypeError, "method"),
    ("average_hash-none", lambda: vecta.average_hash(None), TypeError, "src"),
    ("difference_hash-none", lambda: vecta.difference_hash(None), TypeError, "src"),
    ("hamming_distance-negative", lambda: vecta.hamming_distance(-1, 0), ValueError, "a"),
    ("hamming_distance-none", lambda: vecta.hamming_distance(1, None), TypeError, "b"),
    ("sobel_edges-threshold", lambda: vecta.sobel_edges(IMG, threshold=None), TypeError, "threshold"),
    ("content_hash-seed", lambda: vecta.content_hash(IMG, seed=-1), ValueError, "seed"),
    ("content_hash-none", lambda: vecta.content_hash(None), TypeError, "img"),
    ("tile_stats-none", lambda: vecta.tile_stats(None), TypeError, "img"),
    ("tile_stats-tile", lambda: vecta.tile_stats(GRAY, tile=(0, 4)), ValueError, "tile"),
    # geometry
    ("find_contours-none", lambda: vecta.find_contours(None), TypeError, "binary"),
    ("find_contours-mode", lambda: vecta.find_contours(GRAY, mode=3), TypeError, "mode"),
    ("douglas_peucker-epsilon-negative", lambda: vecta.douglas_peucker(PTS, -1.0), ValueError, "epsilon"),
    ("douglas_peucker-epsilon-none", lambda: vecta.douglas_peucker(PTS, None), TypeError, "epsilon"),
    ("douglas_peucker-none", lambda: vecta.douglas_peucker(None, 1.0), TypeError, "points"),
    ("douglas_peucker-nan", lambda: vecta.douglas_peucker(with_nan(PTS, at=(2, 1)), 1.0), ValueError, "points"),
    ("douglas_peucker_indices-epsilon", lambda: vecta.douglas_peucker_indices(PTS, float("nan")), ValueError, "epsilon"),
    ("bezier_fit-max_error", lambda: vecta.bezier_fit(PTS, max_error=-1.0), ValueError, "max_error"),
    ("bezier_fit-none", lambda: vecta.bezier_fit(None), TypeError, "points"),
    # vectorize, io
    ("vectorize-colors-negative", lambda: vecta.vectorize(IMG, colors=-1), ValueError, "colors"),
    ("vectorize-none", lambda: vecta.vectorize(None), TypeError, "image"),
    ("vectorize-mode", lambda: vecta.vectorize(IMG, mode="colour"), ValueError, "mode"),
    ("vectorize-region_colors-negative", lambda: vecta.vectorize(IMG, region_colors=-1), ValueError, "region_colors"),
    ("vectorize-region_colors-above", lambda: vecta.vectorize(IMG, region_colors=65537), ValueError, "region_colors"),
    ("vectorize-region_colors-huge", lambda: vecta.vectorize(IMG, region_colors=2 ** 64), ValueError, "region_colors"),
    ("vectorize-region_colors-float", lambda: vecta.vectorize(IMG, region_colors=2.5), TypeError, "region_colors"),
    ("vectorize-region_colors-str", lambda: vecta.vectorize(IMG, region_colors="256"), TypeError, "region_colors"),
    ("vectorize-region_colors-none", lambda: vecta.vectorize(IMG, region_colors=None), TypeError, "region_colors"),
    ("vectorize-salient-str", lambda: vecta.vectorize(IMG, salient="yes"), TypeError, "salient"),
    ("decode_image-none", lambda: vecta.decode_image(None), TypeError, "data"),
    ("decode_image-max_pixels", lambda: vecta.decode_image(PNG, max_pixels=-1), ValueError, "max_pixels"),
    ("load_image-none", lambda: vecta.load_image(None), TypeError, "path"),
    ("quantize_colors-k0", lambda: vecta.quantize_colors(PNG, 0), ValueError, "k"),
    ("BloomFilter-hashes-with-expected", lambda: vecta.BloomFilter(1000, hashes=-1), ValueError, "hashes"),
    ("encode_image-none", lambda: vecta.encode_image(None), TypeError, "image"),
    ("encode_image-quality", lambda: vecta.encode_image(IMG, quality=None), TypeError, "quality"),
    ("encode_image-format", lambda: vecta.encode_image(IMG, format="gif"), ValueError, "format"),
    ("encode_image-compression", lambda: vecta.encode_image(IMG, compression=12), ValueError, "compression"),
    ("save_image-none", lambda: vecta.save_image(None, IMG), TypeError, "path"),
    ("save_image-extension", lambda: vecta.save_image("/tmp/x.gif", IMG), ValueError, "path"),
    ("save_image-image", lambda: vecta.save_image("/tmp/x.png", None), TypeError, "image"),
    ("quantize_colors-none", lambda: vecta.quantize_colors(None), TypeError, "image_bytes"),
    ("quantize_colors-k", lambda: vecta.quantize_colors(PNG, k=-1), ValueError, "k"),
    ("detect_edges_sobel-none", lambda: vecta.detect_edges_sobel(None), TypeError, "image_bytes"),
    ("detect_edges_sobel-threshold", lambda: vecta.detect_edges_sobel(PNG, threshold="high"), TypeError, "threshold"),
    # williams
    ("space_bound-none", lambda: W.space_bound(None), TypeError, "t"),
    ("space_bound-str", lambda: W.space_bound("100"), TypeError, "t"),
    ("space_bound-negative", lambda: W.space_bound(-3.0), ValueError, "t"),
    ("sqrt_t_log_t_bound-nan", lambda: W.sqrt_t_log_t_bound([1.0, np.nan]), ValueError, "t"),
    ("efficiency-negative", lambda: W.efficiency(-5), ValueError, "t"),
    ("efficiency-array-negative", lambda: W.efficiency(np.array([3.0, -5.0])), ValueError, "t"),
    ("space_saved-zero", lambda: W.space_saved(0), ValueError, "t"),
    ("batch_size-negative", lambda: W.batch_size(-5), ValueError, "n"),
    ("batch_size-none", lambda: W.batch_size(None), TypeError, "n"),
    ("batch_size-float", lambda: W.batch_size(10.5), TypeError, "n"),
    ("batch_size-budget", lambda: W.batch_size(100, -1, 4), ValueError, "budget_bytes"),
    ("confidence_multiplier-none", lambda: W.confidence_multiplier(None), TypeError, "n"),
    ("enhance_confidence-base", lambda: W.enhance_confidence(1.5, 100), ValueError, "base"),
    ("enhance_confidence-n", lambda: W.enhance_confidence(0.5, None), TypeError, "n"),
    # structures
    ("BloomFilter-negative", lambda: vecta.BloomFilter(-1), ValueError, "expected_items"),
    ("BloomFilter-rate", lambda: vecta.BloomFilter(100, 1.5), ValueError, "false_positive_rate"),
    ("BloomFilter-rate-none", lambda: vecta.BloomFilter(100, None), TypeError, "false_positive_rate"),
    ("BloomFilter-megabytes", lambda: vecta.BloomFilter(megabytes=-1.0, hashes=3), ValueError, "megabytes"),
    ("BloomFilter-key-none", lambda: vecta.BloomFilter(100).contains(None), TypeError, "key"),
    ("FrameRing-negative", lambda: vecta.FrameRing(-1), ValueError, "capacity_bytes"),
    ("FrameRing-str", lambda: vecta.FrameRing("big"), TypeError, "capacity_bytes"),
]

INTERNALS = re.compile(r"incompatible function arguments|Invoked with|pybind11|C\+\+|std::|Unable to cast|"
                       r"array\(\[|\bhandle\b")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(case):
    _, call, exc, arg = case
    with pytest.raises(Exception) as info:
        call()
    e = info.value
    msg = str(e)
    assert type(e) is exc or (isinstance(e, exc) and type(e).__module__ == "builtins"), \
        f"raised {type(e).__name__}: {msg}"
    assert re.search(rf"(?<![\w.]){re.escape(arg)}(?!\w)", msg), f"argument '{arg}' not named in: {msg}"
    assert not INTERNALS.search(msg), f"internals in the message: {msg}"
    assert len(msg) < 300, f"message too long ({len(msg)} characters): {msg[:300]}"


def test_every_public_function_has_a_case():
    """A new public function must come with its bad-input cases here."""
    covered = set()
    for cid, *_ in CASES:
        covered.add(cid.split("-")[0])
    public = {n for n in dir(vecta) if not n.startswith("_") and callable(getattr(vecta, n))
              and not isinstance(getattr(vecta, n), type(vecta))}
    public |= {n for n in dir(W) if not n.startswith("_") and callable(getattr(W, n))}
    missing = public - covered - {"KMeansResult", "QuantizeResult", "Contour", "Frame",  # results, not built by callers
                                  "ImageDecodeError"}  # an exception class
    assert missing == set(), f"no bad-input case for {sorted(missing)}"


# ---- the shapes callers give ---------------------------------------------------------------------


def rdp_reference(pts, eps):
    """Naive recursive Ramer-Douglas-Peucker (distance to the chord's line), kept indices."""
    pts = np.asarray(pts, np.float64)

    def rec(i, j):
        if j <= i + 1:
            return []
        a, b = pts[i], pts[j]
        d = b - a
        n = np.hypot(*d)
        dist = [abs(d[0] * (p[1] - a[1]) - d[1] * (p[0] - a[0])) / n if n else np.hypot(*(p - a)) for p in pts[i + 1:j]]
        k = int(np.argmax(dist))
        if dist[k] <= eps:
            return []
        m = i + 1 + k
        return rec(i, m) + [m] + rec(m, j)

    return [0] + rec(0, len(pts) - 1) + [len(pts) - 1]


def test_douglas_peucker_takes_opencv_contours_and_python_ints():
    cv2 = pytest.importorskip("cv2")
    img = np.zeros((90, 120), np.uint8)
    cv2.ellipse(img, (60, 45), (40, 25), 15, 0, 360, 255, -1)
    contours, _ = cv2.findContours(img, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    c = contours[0]
    assert c.ndim == 3 and c.shape[1:] == (1, 2) and c.dtype == np.int32
    got = vecta.douglas_peucker(c, 1.5)
    flat = vecta.douglas_peucker(c[:, 0, :], 1.5)
    assert got.shape[1:] == (1, 2) and got.dtype == np.int32 and np.array_equal(got[:, 0, :], flat)
    assert vecta.douglas_peucker_indices(c, 1.5).tolist() == rdp_reference(c[:, 0, :], 1.5)
    pts = [[0, 0], [4, 1], [8, -1], [12, 6], [16, 7], [20, 0], [24, 1]]  # Python ints
    for eps in (0.5, 2.0, 5.0):
        assert vecta.douglas_peucker_indices(pts, eps).tolist() == rdp_reference(pts, eps)
        kept = vecta.douglas_peucker(pts, eps)
        assert kept.dtype == np.int64 and kept.tolist() == [pts[i] for i in rdp_reference(pts, eps)]
    big = [[0, 0], [2 ** 40, 3], [2 ** 41, 0]]  # beyond int32: computed in float64
    assert vecta.douglas_peucker_indices(big, 1.0).tolist() == [0, 1, 2]


def over_white(rgba):
    """Straight alpha over white, integer rounding as documented for vecta.rgb_over_white."""
    v = rgba[..., :3].astype(np.int64)
    a = rgba[..., 3:4].astype(np.int64)
    return ((v * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def test_alpha_rule_rgba_is_composited_over_white_everywhere():
    rng = np.random.default_rng(9)
    rgba = rng.integers(0, 256, (40, 50, 4), dtype=np.uint8)
    rgba[:, :25, 3] = 0  # the left half transparent, its RGB black
    rgba[:, :25, :3] = 0
    q = vecta.quantize(rgba, colors=6)
    ref = vecta.quantize(over_white(rgba), colors=6)
    assert np.array_equal(q.image(), ref.image()) and np.array_equal(q.palette, ref.palette)
    assert (q.image()[:, :25] >= 200).all()  # white, not black
    gray = rgba[..., 0].copy()
    assert np.array_equal(vecta.quantize(gray, colors=4).image(),
                          vecta.quantize(np.repeat(gray[..., None], 3, axis=2), colors=4).image())
    cv2 = pytest.importorskip("cv2")
    ok, png = cv2.imencode(".png", rgba[..., [2, 1, 0, 3]])  # OpenCV writes BGRA
    assert ok
    out = vecta.decode_image(vecta.quantize_colors(png.tobytes(), k=6))
    assert out.shape == (40, 50, 3) and (out[:, :25] >= 200).all()
    # vectorize keeps transparency unless given a background (docs/vectorize.md "Transparency")
    svg_rgba, _ = vecta.vectorize(rgba, colors=6, background=(255, 255, 255))
    svg_white, _ = vecta.vectorize(over_white(rgba), colors=6)
    assert svg_rgba == svg_white


def test_bgr_keyword_reads_opencv_arrays():
    """bgr=True on every function taking or returning colour arrays equals the RGB call on img[..., ::-1]."""
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(12)
    rgb = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    rgb[5:20, 5:25] = (200, 30, 60)
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    assert np.array_equal(vecta.to_gray(bgr, bgr=True), vecta.to_gray(rgb))
    assert not np.array_equal(vecta.to_gray(bgr), vecta.to_gray(rgb))  # the keyword matters
    for f in (vecta.average_hash, vecta.difference_hash):
        assert f(bgr, bgr=True) == f(rgb)
    assert vecta.frame_hash(bgr, method="average", bgr=True) == vecta.frame_hash(rgb, method="average")
    assert np.array_equal(vecta.sobel_edges(bgr, bgr=True), vecta.sobel_edges(rgb))
    assert vecta.vectorize(bgr, colors=5, bgr=True)[0] == vecta.vectorize(rgb, colors=5)[0]
    q, qb = vecta.quantize(rgb, colors=5), vecta.quantize(bgr, colors=5, bgr=True)
    assert np.array_equal(qb.palette, q.palette[:, ::-1]) and np.array_equal(qb.image(), q.image()[..., ::-1])
    assert np.array_equal(qb.labels, q.labels)
    png = vecta.encode_image(bgr, bgr=True)
    assert np.array_equal(vecta.decode_image(png), rgb)
    assert np.array_equal(vecta.decode_image(png, bgr=True), cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR))
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    bgra = np.ascontiguousarray(rgba[..., [2, 1, 0, 3]])
    assert np.array_equal(vecta.to_gray(bgra, bgr=True), vecta.to_gray(rgba))
