# SPDX-License-Identifier: MIT
"""Image kernels from Python against independent references: OpenCV-Python, scikit-learn and NumPy."""
import re

import numpy as np
import pytest

import vecta
from conftest import load_rgb, require_photos

cv2 = pytest.importorskip("cv2")


def numpy_gray(rgb):
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((9798 * r + 19235 * g + 3735 * b + 16384) >> 15).astype(np.uint8)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else min(99.0, 10 * np.log10(255.0 ** 2 / mse))


# ---- edges on every shared photo ---------------------------------------------------------------


def test_canny_equals_opencv_on_photos():
    for path in require_photos():
        gray = numpy_gray(load_rgb(path))
        for l2 in (False, True):
            for low, high in ((50, 150), (20, 60)):
                ours = vecta.canny(gray, low=low, high=high, l2_gradient=l2)
                ref = cv2.Canny(gray, low, high, L2gradient=l2)
                assert ours.dtype == np.uint8 and ours.shape == gray.shape
                assert np.array_equal(ours, ref), f"{path.name} l2={l2} {low}/{high}: {(ours != ref).sum()} px differ"


def test_gaussian_sobel_equal_opencv_on_photos():
    for path in require_photos()[:6]:
        rgb = load_rgb(path)
        gray = numpy_gray(rgb)
        assert np.array_equal(vecta.gaussian_blur(gray, ksize=5, sigma=1.4), cv2.GaussianBlur(gray, (5, 5), 1.4))
        assert np.array_equal(vecta.gaussian_blur(rgb, ksize=5, sigma=1.4), cv2.GaussianBlur(rgb, (5, 5), 1.4))
        dx, dy = vecta.sobel(gray)
        assert dx.dtype == np.int16
        assert np.array_equal(dx, cv2.Sobel(gray, cv2.CV_16S, 1, 0))
        assert np.array_equal(dy, cv2.Sobel(gray, cv2.CV_16S, 0, 1))
        mag = vecta.sobel_magnitude(gray)
        ref = np.sqrt(dx.astype(np.float64) ** 2 + dy.astype(np.float64) ** 2).astype(np.float32)
        assert np.array_equal(mag, ref)
        l1 = vecta.sobel_magnitude(gray, l2=False)
        assert np.array_equal(l1, (np.abs(dx.astype(np.int32)) + np.abs(dy.astype(np.int32))).astype(np.float32))


def test_gaussian_other_dtypes_and_borders(gray_image):
    g16 = gray_image.astype(np.uint16) * 257
    ref16 = cv2.GaussianBlur(g16, (5, 5), 1.4)
    assert np.abs(vecta.gaussian_blur(g16, ksize=5, sigma=1.4).astype(int) - ref16).max() <= 2
    gf = gray_image.astype(np.float32) / 255
    assert np.allclose(vecta.gaussian_blur(gf, ksize=7, sigma=2.0), cv2.GaussianBlur(gf, (7, 7), 2.0), atol=1e-4)
    for name, flag in (("replicate", cv2.BORDER_REPLICATE), ("constant", cv2.BORDER_CONSTANT)):
        ours = vecta.gaussian_blur(gray_image, ksize=5, sigma=1.4, border=name)
        assert np.array_equal(ours, cv2.GaussianBlur(gray_image, (5, 5), 1.4, borderType=flag))


def test_scharr_and_direction(gray_image):
    dx, dy = vecta.sobel(gray_image, scharr=True)
    assert np.array_equal(dx, cv2.Scharr(gray_image, cv2.CV_16S, 1, 0))
    assert np.array_equal(dy, cv2.Scharr(gray_image, cv2.CV_16S, 0, 1))
    d = vecta.sobel_direction(gray_image)
    sx, sy = vecta.sobel(gray_image)
    ref = np.mod(np.arctan2(sy.astype(np.float64), sx.astype(np.float64)), 2 * np.pi)
    ref = np.where(ref.astype(np.float32) >= np.float32(2 * np.pi), 0, ref)
    assert np.allclose(d, ref, atol=1e-6)


def test_non_contiguous_views_read_in_place(small_photo, gray_image):
    crop = gray_image[10:-7, 5:-11]  # rows contiguous, row stride larger than the width
    assert not crop.flags.c_contiguous
    assert np.array_equal(vecta.canny(crop), cv2.Canny(np.ascontiguousarray(crop), 50, 150))
    flipped = gray_image[:, ::-1]  # negative column stride: copied once, same result
    assert np.array_equal(vecta.canny(flipped), cv2.Canny(np.ascontiguousarray(flipped), 50, 150))
    rgb_crop = small_photo[3:-3, 4:-4]
    assert np.array_equal(vecta.gaussian_blur(rgb_crop), cv2.GaussianBlur(np.ascontiguousarray(rgb_crop), (5, 5), 0))
    chw = np.ascontiguousarray(small_photo.transpose(2, 0, 1)).transpose(1, 2, 0)  # channel-planar memory
    assert np.array_equal(vecta.to_gray(chw), numpy_gray(small_photo))


def test_to_gray_frame_difference_hash(small_photo):
    assert np.array_equal(vecta.to_gray(small_photo), numpy_gray(small_photo))
    assert np.array_equal(vecta.to_gray(small_photo), cv2.cvtColor(small_photo, cv2.COLOR_RGB2GRAY))
    rgba = np.concatenate([small_photo, np.full(small_photo.shape[:2] + (1,), 7, np.uint8)], axis=2)
    assert np.array_equal(vecta.to_gray(rgba), numpy_gray(small_photo))

    rng = np.random.default_rng(1)
    b = np.clip(small_photo.astype(int) + rng.integers(-40, 41, small_photo.shape), 0, 255).astype(np.uint8)
    count, mask = vecta.frame_difference(small_photo, b, threshold=25)
    ref = (np.abs(small_photo.astype(int) - b).max(axis=2) > 25).astype(np.uint8) * 255
    assert np.array_equal(mask, ref) and count == int((ref > 0).sum())

    img = numpy_gray(small_photo)[:256, :256]
    if img.shape != (256, 256):
        pytest.skip("photo too small for the hash reference")
    cells = img.reshape(8, 32, 8, 32).mean(axis=(1, 3))
    ahash = sum(1 << i for i, v in enumerate(cells.ravel()) if v > cells.mean())
    assert vecta.frame_hash(img, method="average") == ahash == vecta.average_hash(img)
    assert vecta.hamming_distance(ahash, ahash ^ 0b1011) == 3
    assert vecta.frame_hash(img) == vecta.difference_hash(img)


# ---- k-means and quantization ------------------------------------------------------------------


def nearest(points, centroids):
    d = ((points[:, None, :].astype(np.float64) - centroids[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1), d.min(axis=1)


def test_kmeans_consistent_and_as_good_as_sklearn():
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    rng = np.random.default_rng(3)
    centres = rng.normal(0, 10, (6, 4))
    pts = (centres[rng.integers(0, 6, 3000)] + rng.normal(0, 1.5, (3000, 4))).astype(np.float32)
    r = vecta.kmeans(pts, k=6, seed=1)
    assert r.centroids.shape == (6, 4) and r.centroids.dtype == np.float32
    assert r.labels.shape == (3000,) and r.labels.dtype == np.uint32
    labels, d2 = nearest(pts, r.centroids.astype(np.float64))
    assert np.array_equal(labels, r.labels)
    assert r.inertia == pytest.approx(d2.sum(), rel=1e-5)
    sk = sklearn_cluster.KMeans(n_clusters=6, n_init=1, max_iter=100, random_state=0).fit(pts.astype(np.float64))
    assert r.inertia <= sk.inertia_ * 1.02
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 100, 1e-4)
    cv_inertia, _, _ = cv2.kmeans(pts, 6, None, crit, 1, cv2.KMEANS_PP_CENTERS)
    assert r.inertia <= cv_inertia * 1.02
    # float64, weights, determinism, plain k-means++ and Lloyd
    r64 = vecta.kmeans(pts.astype(np.float64), k=6, seed=1, weights=np.ones(3000))
    assert r64.centroids.dtype == np.float64 and r64.inertia == pytest.approx(r.inertia, rel=1e-4)
    again = vecta.kmeans(pts, k=6, seed=1, init="plus_plus", algorithm="lloyd")
    assert np.array_equal(again.labels, vecta.kmeans(pts, k=6, seed=1, init="plus_plus", algorithm="hamerly").labels)


def test_quantize_psnr_vs_sklearn(small_photo):
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    q = vecta.quantize(small_photo, colors=16)
    out = q.image()
    assert out.shape == small_photo.shape and out.dtype == np.uint8
    assert q.labels.dtype == np.uint16 and q.labels.shape == small_photo.shape[:2]
    assert np.array_equal(out, q.palette[q.labels])
    assert q.psnr == pytest.approx(psnr(small_photo, out), abs=1e-9)
    px = small_photo.reshape(-1, 3).astype(np.float64)
    km = sklearn_cluster.KMeans(n_clusters=16, n_init=1, max_iter=10, random_state=0).fit(px)
    sk_img = np.clip(np.rint(km.cluster_centers_), 0, 255).astype(np.uint8)[km.labels_].reshape(small_photo.shape)
    assert q.psnr >= psnr(small_photo, sk_img) - 0.3
    lab = vecta.quantize(small_photo, colors=8, space="lab", dither=True)
    assert len(lab.palette) <= 8 and 0 < lab.psnr < 99


# ---- geometry ----------------------------------------------------------------------------------


def rdp_reference(pts, eps):
    """Textbook recursive Ramer-Douglas-Peucker (perpendicular distance to the chord's line)."""
    keep = np.zeros(len(pts), bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        u = pts[b] - pts[a]
        rel = pts[a + 1:b] - pts[a]
        n = np.hypot(*u)
        d = np.abs(u[0] * rel[:, 1] - u[1] * rel[:, 0]) / n if n > 0 else np.hypot(rel[:, 0], rel[:, 1])
        i = int(np.argmax(d))
        if d[i] > eps:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return np.flatnonzero(keep)


def test_douglas_peucker_matches_reference():
    rng = np.random.default_rng(5)
    for n in (2, 3, 50, 2000):
        pts = np.cumsum(rng.normal(0, 1, (n, 2)), axis=0)
        for eps in (0.5, 2.0):
            idx = vecta.douglas_peucker_indices(pts, eps)
            assert np.array_equal(idx, rdp_reference(pts, eps))
            assert np.array_equal(vecta.douglas_peucker(pts, eps), pts[idx])
    p32 = np.cumsum(rng.normal(0, 1, (300, 2)), axis=0).astype(np.float32)
    assert vecta.douglas_peucker(p32, 1.0).dtype == np.float32


def test_contours_match_opencv(gray_image):
    edges = vecta.canny(gray_image)
    ours = vecta.find_contours(edges)
    ref, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    assert len(ours) == len(ref)
    key = lambda pts: tuple(map(tuple, np.asarray(pts).reshape(-1, 2)))  # noqa: E731
    assert sorted(key(c.points) for c in ours) == sorted(key(c) for c in ref)
    nested = np.zeros((40, 40), np.uint8)
    nested[5:35, 5:35] = 255  # a square with a hole holding a blob: outer, hole, inner outer border
    nested[10:30, 10:30] = 0
    nested[15:25, 15:25] = 255
    tree = vecta.find_contours(nested, mode="tree")
    ref_tree, hierarchy = cv2.findContours(nested, cv2.RETR_TREE, cv2.CHAIN_APPROX_NONE)
    assert [c.parent for c in tree] == [-1, 0, 1] == list(hierarchy[0][:, 3])
    assert [c.hole for c in tree] == [False, True, False]
    assert all(np.array_equal(c.points, r.reshape(-1, 2)) for c, r in zip(tree, ref_tree))
    kept = vecta.douglas_peucker(max(tree, key=len).points, 1.0)
    assert kept.dtype == np.int32 and kept.shape[1] == 2


def test_bezier_fit_within_error():
    t = np.linspace(0, 2 * np.pi, 400)
    pts = np.stack([100 + 50 * np.cos(t) + 10 * np.cos(5 * t), 100 + 40 * np.sin(t)], axis=1)
    curves = vecta.bezier_fit(pts, max_error=0.5)
    assert curves.ndim == 3 and curves.shape[1:] == (4, 2) and curves.dtype == np.float64
    assert np.array_equal(curves[1:, 0], curves[:-1, 3])
    s = np.linspace(0, 1, 200)[:, None]
    samples = np.concatenate([((1 - s) ** 3) * c[0] + 3 * ((1 - s) ** 2) * s * c[1] + 3 * (1 - s) * s * s * c[2]
                              + (s ** 3) * c[3] for c in curves])
    dist = np.sqrt(((pts[:, None, :] - samples[None]) ** 2).sum(axis=2)).min(axis=1)
    assert dist.max() <= 0.5 + 1e-6


def test_vectorize_reports_the_automatic_precision():
    """precision=-1 (default) picks 0 decimals for a dense photo-like tracing, 1 for a flat icon;
    an explicit precision is used as given."""
    rng = np.random.default_rng(7)
    grain = (rng.integers(0, 4, size=(96, 96, 1)) * 60 + rng.integers(0, 30, size=(96, 96, 3))).astype(np.uint8)
    svg, stats = vecta.vectorize(grain, palette="kmeans")
    assert stats["precision"] == 0 and stats["regions"] > 0.025 * 96 * 96
    assert "." not in svg.split("<path", 1)[1].split("d=\"", 1)[1].split("\"", 1)[0]
    _, s2 = vecta.vectorize(grain, palette="kmeans", precision=2)
    assert s2["precision"] == 2
    icon = np.full((64, 64, 3), 255, np.uint8)
    icon[16:48, 16:48] = (200, 30, 30)
    _, s3 = vecta.vectorize(icon)
    assert s3["precision"] == 1


def test_vectorize_returns_svg(small_photo):
    svg, stats = vecta.vectorize(small_photo[:128, :128], colors=8)
    assert svg.startswith("<svg") or svg.startswith("<?xml")
    assert stats["bytes"] == len(svg.encode())
    assert set(stats) == {"ms", "paths", "nodes", "bytes", "colors", "quantize_psnr", "regions", "precision",
                          "units_per_pixel", "regions_split"}
    # whole-number units: the viewBox is the pixel size times units_per_pixel (1 or 10^precision)
    u = stats["units_per_pixel"]
    assert u in (1, 10 ** stats["precision"])
    assert f'viewBox="0 0 {128 * u} {128 * u}"' in svg
    line = np.full((64, 64), 255, np.uint8)
    line[20:40, 10:50] = 0
    svg2, s2 = vecta.vectorize(line, mode="binary")
    assert "<path" in svg2 and s2["paths"] >= 1


# ---- io and the compatibility helpers ----------------------------------------------------------


def test_io_and_compat_helpers(small_photo):
    png = vecta.encode_image(small_photo)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(vecta.decode_image(png), small_photo)
    assert np.array_equal(cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)[:, :, ::-1], small_photo)
    with pytest.raises(OSError, match="cannot decode"):
        vecta.decode_image(b"not an image")
    with pytest.raises(OSError):
        vecta.load_image("/nonexistent/file.png")

    out = vecta.quantize_colors(png, 8, 10)
    decoded = cv2.imdecode(np.frombuffer(out, np.uint8), cv2.IMREAD_COLOR)[:, :, ::-1]
    # Above 2^15 pixels the palette comes from a regular subsample (512 x 512: every 3rd pixel of every
    # 3rd row), then every pixel takes its nearest palette colour (NumPy argmin: ties to the lower index).
    pal = vecta.quantize(small_photo[::3, ::3].copy(), colors=8, max_iter=10).palette.astype(np.int64)
    d2 = ((small_photo.astype(np.int64)[:, :, None, :] - pal[None, None]) ** 2).sum(-1)
    assert np.array_equal(decoded, pal[d2.argmin(-1)].astype(np.uint8))
    assert len(np.unique(decoded.reshape(-1, 3), axis=0)) <= 8

    edges_png = vecta.detect_edges_sobel(png, 100)
    edges = cv2.imdecode(np.frombuffer(edges_png, np.uint8), cv2.IMREAD_UNCHANGED)
    gray = numpy_gray(small_photo)
    dx = cv2.Sobel(gray, cv2.CV_16S, 1, 0).astype(np.int64)
    dy = cv2.Sobel(gray, cv2.CV_16S, 0, 1).astype(np.int64)
    assert np.array_equal(edges, np.where(dx * dx + dy * dy > 100 * 100, 255, 0).astype(np.uint8))
    assert np.array_equal(vecta.sobel_edges(small_photo, threshold=100), edges)
    with pytest.raises(OSError):
        vecta.quantize_colors(b"\x89PNG broken", 8, 10)


# ---- bad input ---------------------------------------------------------------------------------


def test_bad_dtypes_and_shapes_are_rejected(gray_image, small_photo):
    with pytest.raises(ValueError, match=r"vecta\.canny: src must have dtype uint8, got float64"):
        vecta.canny(gray_image.astype(np.float64))
    with pytest.raises(ValueError, match="single-channel"):
        vecta.canny(small_photo)
    with pytest.raises(ValueError, match=r"2-D \(H x W\) or 3-D"):
        vecta.gaussian_blur(np.zeros(10, np.uint8))
    with pytest.raises(ValueError, match="uint8, uint16 or float32"):
        vecta.gaussian_blur(np.zeros((4, 4), np.int32))
    with pytest.raises(ValueError, match=r"vecta\.canny: low must be <= high"):
        vecta.canny(gray_image, low=200, high=100)
    with pytest.raises(ValueError, match=r"vecta\.gaussian_blur: ksize"):
        vecta.gaussian_blur(gray_image, ksize=4)
    with pytest.raises(ValueError, match="border must be one of"):
        vecta.canny(gray_image, border="wrap")
    with pytest.raises(ValueError, match="image must have 1, 3 or 4 channels"):
        vecta.quantize(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError, match="must not be empty"):
        vecta.canny(np.zeros((0, 5), np.uint8))
    with pytest.raises(ValueError, match=r"vecta\.kmeans: k "):
        vecta.kmeans(np.zeros((3, 2), np.float32), k=5)
    with pytest.raises(ValueError, match="float32 or float64"):
        vecta.kmeans(np.zeros((3, 2), np.int64))
    with pytest.raises(ValueError, match="finite"):
        vecta.kmeans(np.array([[0, np.nan], [1, 1]], np.float64), k=1)
    with pytest.raises(ValueError, match="b"):
        vecta.frame_difference(small_photo, small_photo[:-1])
    with pytest.raises(ValueError, match="n x 2 or n x 3"):
        vecta.douglas_peucker(np.zeros((5, 4)), 1.0)
    with pytest.raises(ValueError, match="epsilon"):
        vecta.douglas_peucker(np.zeros((5, 2)), -1.0)
    with pytest.raises(ValueError, match="max_error"):
        vecta.bezier_fit(np.zeros((5, 2)), max_error=0)
    with pytest.raises(ValueError, match="mode must be one of"):
        vecta.find_contours(gray_image, mode="ccomp")
    with pytest.raises(TypeError):
        vecta.canny(gray_image, 50)  # thresholds are keyword-only


def test_vectorize_defaults_follow_the_library_and_centerline_mode():
    """The keyword defaults are vectorize_params' own: passing them explicitly changes nothing."""
    im = np.full((40, 80), 255, np.uint8)
    im[20:25, 10:70] = 0
    im[5:15, 5:15] = 90
    default_svg, _ = vecta.vectorize(im)
    explicit_svg, _ = vecta.vectorize(im, tolerance=0.15, smooth_min_area=8, alphamax=None, speckle=None)
    assert default_svg == explicit_svg
    svg, stats = vecta.vectorize(im[18:28], mode="centerline")
    assert stats["paths"] == 1 and 'stroke-linecap="round"' in svg and 'fill="none"' in svg
    with pytest.raises(ValueError, match="mode"):
        vecta.vectorize(im, mode="centreline")


def test_vectorize_stroke_colors():
    """Centerline mode, stroke_colors=True: a red line and a blue ring on white become a red and a
    blue stroke (without it, one black layer); in another mode the keyword is a ValueError."""
    yy, xx = np.mgrid[:90, :120]
    im = np.full((90, 120, 3), 255, np.uint8)
    im[18:24, 10:110] = (255, 0, 0)
    ring = np.abs(np.hypot(xx - 60, yy - 60) - 22) < 2.5
    im[ring] = (0, 0, 255)
    svg, stats = vecta.vectorize(im, mode="centerline", stroke_colors=True)
    assert stats["paths"] == 2 and stats["colors"] == 2
    assert svg.count('stroke="#f00"') == 1 and svg.count('stroke="#00f"') == 1
    mono, mstats = vecta.vectorize(im, mode="centerline")
    assert 'stroke="#000"' in mono and "#f00" not in mono and mstats["paths"] == 2
    with pytest.raises(ValueError, match="stroke_colors"):
        vecta.vectorize(im, stroke_colors=True)
    with pytest.raises(ValueError, match="stroke_colors"):
        vecta.vectorize(im, mode="binary", stroke_colors=True)


def svg_fills(svg):
    """The fill colours of a document (#rgb and #rrggbb) as a set of (r, g, b)."""
    out = set()
    for h in re.findall(r'fill="#([0-9a-f]{6}|[0-9a-f]{3})"', svg):
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        out.add(tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)))
    return out


def gradient_with_green_dots():
    """96 x 128 photo-like image: a brown-to-grey gradient with +-6 noise and two 2 x 2 green dots
    (0.07 % of the pixels), a colour k-means with 8 entries maps to a brown."""
    rng = np.random.default_rng(5)
    yy, xx = np.mgrid[:96, :128]
    t = (xx / 127.0)[..., None]
    im = (1 - t) * np.array([140, 90, 50]) + t * np.array([150, 150, 150]) + (yy / 95.0)[..., None] * 30
    im = np.clip(im + rng.integers(-6, 7, im.shape), 0, 255).astype(np.uint8)
    for y, x in ((20, 20), (45, 55)):
        im[y:y + 2, x:x + 2] = (40, 170, 60)
    return im


def test_vectorize_split_psnr():
    """split_psnr: a smooth gradient that 24 colours band (palette PSNR below 31 dB) is cut into
    more regions; the gate is the palette PSNR (just below it: as split_psnr=0, just above: as the
    default); bad values raise naming split_psnr. The render gain is tested in C++
    (tests/pipeline/test_region_split.cpp)."""
    y, x = np.mgrid[0:120, 0:160].astype(np.float64)
    u, v = x / 159, y / 119
    rng = np.random.default_rng(3)
    im = np.stack([30 + 200 * u, 60 + 150 * v, 200 - 120 * u * v], -1) + rng.integers(-2, 3, (120, 160, 3))
    im = np.clip(np.rint(im), 0, 255).astype(np.uint8)
    svg, st = vecta.vectorize(im)
    assert st["quantize_psnr"] < 31
    assert st["regions_split"] > 0
    off_svg, off = vecta.vectorize(im, split_psnr=0)
    assert off["regions_split"] == 0 and off["regions"] < st["regions"]
    assert vecta.vectorize(im, split_psnr=st["quantize_psnr"] - 1e-9)[0] == off_svg
    assert vecta.vectorize(im, split_psnr=st["quantize_psnr"] + 1e-9)[0] == svg
    for bad in (-1.0, 100.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="split_psnr"):
            vecta.vectorize(im, split_psnr=bad)
    with pytest.raises(TypeError):
        vecta.vectorize(im, split_psnr="31")


def test_vectorize_region_colors_and_salient():
    """region_colors=0: the palette-colour document, every fill an entry of vecta.quantize's palette
    (the k-means vectorize runs, same defaults) and at most `colors` of them; the default (256)
    paints regions with their own mean colours: more fills than the palette, the green dots kept
    green. salient=True gives the dots a palette entry of their own. Defaults are the library's."""
    im = gradient_with_green_dots()
    green = np.array([40, 170, 60])
    palette = {tuple(int(v) for v in c) for c in vecta.quantize(im, colors=8).palette}

    def dist_to_green(svg):
        return min(np.abs(np.array(f) - green).max() for f in svg_fills(svg))

    off, off_stats = vecta.vectorize(im, colors=8, region_colors=0)
    assert svg_fills(off) <= palette and len(svg_fills(off)) == off_stats["colors"] <= 8
    assert dist_to_green(off) > 40  # the dots were painted brown / grey
    default, stats = vecta.vectorize(im, colors=8)
    assert default != off
    assert not svg_fills(default) <= palette and len(svg_fills(default)) == stats["colors"] > 8
    assert dist_to_green(default) < 25
    assert vecta.vectorize(im, colors=8, region_colors=256, salient=False)[0] == default
    # fewer fills than regions: the region means quantized to max(region_colors, colors) = 8 fills
    assert vecta.vectorize(im, colors=8, region_colors=1)[1]["colors"] == 8
    sal, sal_stats = vecta.vectorize(im, colors=8, region_colors=0, salient=True)
    assert sal_stats["colors"] > off_stats["colors"] and dist_to_green(sal) < 25
    # a flat-colour image (automatic palette) is unchanged by region_colors
    flat = np.full((40, 60, 3), 255, np.uint8)
    flat[10:30, 10:50] = (200, 30, 40)
    assert vecta.vectorize(flat, region_colors=0)[0] == vecta.vectorize(flat)[0]


def test_vectorize_keeps_transparency_unless_given_a_background():
    """RGBA: no background, fill-opacity on translucent regions, ink from alpha; background= flattens."""
    yy, xx = np.mgrid[:40, :60]
    rgba = np.zeros((40, 60, 4), np.uint8)
    rgba[(xx - 20) ** 2 + (yy - 20) ** 2 < 12 ** 2] = (200, 30, 40, 255)
    rgba[5:35, 38:55] = (0, 0, 0, 90)  # a translucent bar
    svg, stats = vecta.vectorize(rgba)
    assert "<rect" not in svg and 'fill-opacity=".353"' in svg and "<clipPath" in svg
    white = (rgba[..., :3].astype(int) * rgba[..., 3:] + 255 * (255 - rgba[..., 3:].astype(int)) + 127) // 255
    flat, _ = vecta.vectorize(rgba, background=(255, 255, 255))
    assert flat == vecta.vectorize(white.astype(np.uint8))[0] and "<rect" in flat
    assert vecta.vectorize(rgba[..., [2, 1, 0, 3]], bgr=True, background=(0, 0, 255))[0] == \
        vecta.vectorize(rgba, background=(255, 0, 0))[0]  # background in the image's channel order
    clear_svg, clear = vecta.vectorize(np.zeros_like(rgba))
    assert "<path" not in clear_svg and clear["paths"] == 0
    opaque = rgba.copy()
    opaque[..., 3] = 255
    assert vecta.vectorize(opaque)[0] == vecta.vectorize(np.ascontiguousarray(opaque[..., :3]))[0]
    ink, _ = vecta.vectorize(rgba, mode="binary")
    assert 'fill-rule="evenodd"' in ink and "#fff" not in ink
    with pytest.raises(ValueError, match="background"):
        vecta.vectorize(rgba, background=(1, 2))
    with pytest.raises(ValueError, match="background"):
        vecta.vectorize(rgba, background=(0, 0, 256))
    with pytest.raises(TypeError, match="background"):
        vecta.vectorize(rgba, background="white")
