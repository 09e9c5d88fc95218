# SPDX-License-Identifier: MIT
"""vectorize's keywords for the vectorize_params fields that are structs or change the result:
salient_colors (salient_params), centerline (centerline_params) and keep_paths (the traced
geometry). Checked against what the parameters promise (a threshold above every CIEDE2000 adds
nothing, a pen width is drawn as given, a minimum length drops short strokes), the SVG document
itself (elements, fills) and NumPy masks (the geometry's extent)."""
import re

import numpy as np
import pytest

import vecta


# The same fixtures as the region-fill tests (pytest puts this folder on sys.path).
from test_images import gradient_with_green_dots, svg_fills  # noqa: E402


def test_vectorize_salient_colors():
    im = gradient_with_green_dots()

    def colors(**kw):
        return vecta.vectorize(im, colors=8, region_colors=0, **kw)[1]["colors"]

    off = colors()
    default = vecta.vectorize(im, colors=8, region_colors=0, salient=True)
    assert default[1]["colors"] > off
    defaults = {"threshold": 8.0, "min_pixels": 4, "rounds": 2, "groups": 2, "split": 6, "skip_mixes": False}
    assert vecta.vectorize(im, colors=8, region_colors=0, salient=True, salient_colors=defaults)[0] == default[0]
    assert vecta.vectorize(im, colors=8, region_colors=0, salient=True, salient_colors={})[0] == default[0]
    # No pixel is further than CIEDE2000 1000 from its entry, no badly represented cluster has 100
    # pixels; a lower threshold finds more such pixels (the noise), so more entries.
    assert colors(salient=True, salient_colors={"threshold": 1000.0}) == off
    assert colors(salient=True, salient_colors={"min_pixels": 100}) == off
    assert colors(salient=True, salient_colors={"threshold": 3.0}) > default[1]["colors"]
    # At most rounds x groups x split entries are added: one round, one group, one entry: one more.
    assert colors(salient=True, salient_colors={"rounds": 1, "groups": 1, "split": 1}) == off + 1
    assert off < colors(salient=True, salient_colors={"split": 1}) <= off + 2 * 2 * 1
    assert colors(salient=True, salient_colors={"skip_mixes": np.True_, "threshold": np.float32(8)}) >= off
    # Without salient=True the parameters are not used (but still checked).
    assert colors(salient_colors={"rounds": 1, "groups": 1, "split": 1}) == off
    for bad, exc, name in [
        ({"threshold": 0}, ValueError, "salient_colors.threshold"),
        ({"threshold": float("nan")}, ValueError, "salient_colors.threshold"),
        ({"split": 65}, ValueError, "salient_colors.split"),
        ({"rounds": 0}, ValueError, "salient_colors.rounds"),
        ({"min_pixels": -1}, ValueError, "salient_colors.min_pixels"),
        ({"groups": 2 ** 64}, ValueError, "salient_colors.groups"),
        ({"rounds": 2.5}, TypeError, "salient_colors.rounds"),
        ({"rounds": True}, TypeError, "salient_colors.rounds"),
        ({"threshold": 10 ** 400}, ValueError, "salient_colors.threshold"),
        ({"threshold": "8"}, TypeError, "salient_colors.threshold"),
        ({"threshold": None}, TypeError, "salient_colors.threshold"),
        ({"skip_mixes": 1}, TypeError, "salient_colors.skip_mixes"),
        ({"thresold": 8.0}, TypeError, "salient_colors has no field 'thresold'"),
        ({1: 8.0}, TypeError, "salient_colors keys"),
        ([("threshold", 8.0)], TypeError, "salient_colors must be None or a dict"),
    ]:
        with pytest.raises(exc, match=re.escape(name)):
            vecta.vectorize(im, salient=True, salient_colors=bad)


def stroke_widths(svg):
    return [float(w) for w in re.findall(r'stroke-width="([0-9.]+)"', svg)]


def test_vectorize_centerline_params():
    """A 5-pixel-wide bar and a 3-pixel-wide ring in centerline mode: measured widths by default,
    centerline={'stroke_width': 2} draws every stroke 2 wide, a minimum length above the bar's drops
    the bar and keeps the (longer) ring."""
    yy, xx = np.mgrid[:90, :120]
    im = np.full((90, 120), 255, np.uint8)
    im[10:15, 20:60] = 0  # 40 long
    im[np.abs(np.hypot(xx - 70, yy - 55) - 25) < 1.5] = 0  # about 157 long
    svg, stats = vecta.vectorize(im, mode="centerline")
    assert stats["paths"] == 2 and sorted(round(w) for w in stroke_widths(svg)) == [3, 5]
    assert vecta.vectorize(im, mode="centerline", centerline={})[0] == svg
    defaults = {"min_stroke_length": 2.0, "spur_ratio": 1.0, "spur_length": 0.0, "width_quantum": 0.1,
                "width_tolerance": 0.3, "curve_tolerance": 0.4, "corner_angle_deg": 35.0, "stroke_width": 0.0,
                "max_turn_deg": 75.0, "fill_elongation": 1.0, "fill_ratio": 2.0}
    assert vecta.vectorize(im, mode="centerline", centerline=defaults)[0] == svg
    pen, _ = vecta.vectorize(im, mode="centerline", centerline={"stroke_width": 2})
    assert stroke_widths(pen) and set(stroke_widths(pen)) == {2.0}
    long_only, s = vecta.vectorize(im, mode="centerline", centerline={"min_stroke_length": 100})
    assert s["paths"] == 1 and [round(w) for w in stroke_widths(long_only)] == [3]
    # Outside centerline mode the parameters are not used.
    assert vecta.vectorize(im, centerline={"stroke_width": 2})[0] == vecta.vectorize(im)[0]
    for bad, exc, name in [
        ({"spur_ratio": -1}, ValueError, "centerline.spur_ratio"),
        ({"curve_tolerance": 0}, ValueError, "centerline.curve_tolerance"),
        ({"corner_angle_deg": 181}, ValueError, "centerline.corner_angle_deg"),
        ({"stroke_width": float("inf")}, ValueError, "centerline.stroke_width"),
        ({"stroke_width": "2"}, TypeError, "centerline.stroke_width"),
        ({"threshold": 100}, TypeError, "threshold keyword"),
        ({"width": 2}, TypeError, "centerline has no field 'width'"),
    ]:
        with pytest.raises(exc, match=re.escape(name)):
            vecta.vectorize(im, mode="centerline", centerline=bad)
    with pytest.raises(TypeError, match="centerline must be None or a dict"):
        vecta.vectorize(im, mode="centerline", centerline=2.0)


def test_vectorize_keep_paths():
    """keep_paths=True adds the geometry: one entry per <path> / <rect> of the same document, in
    its fills, commands and points consistent, the red disk's outline spanning the disk's pixels."""
    yy, xx = np.mgrid[:60, :80]
    im = np.full((60, 80, 3), 255, np.uint8)
    disk = (xx - 25) ** 2 + (yy - 30) ** 2 < 15 ** 2
    im[disk] = (200, 30, 40)
    im[10:50, 50:70] = (20, 40, 200)
    svg, stats = vecta.vectorize(im)
    got = vecta.vectorize(im, keep_paths=True)
    assert len(got) == 3 and got[0] == svg and got[1]["paths"] == stats["paths"]
    paths = got[2]
    assert len(paths) == stats["paths"] == len(re.findall(r"<(?:path|rect)\b", svg))
    assert {p["color"] for p in paths} == svg_fills(svg)
    for p in paths:
        assert set(p["ops"]) <= set("MLCZ") and p["ops"][0] == "M"
        assert p["points"].dtype == np.float64 and p["points"].shape == (
            p["ops"].count("M") + p["ops"].count("L") + 3 * p["ops"].count("C"), 2)
        assert p["fill_rule"] in ("nonzero", "evenodd") and p["stroke_width"] == 0 and p["opacity"] == 1
        assert np.all(p["points"] >= -1.5) and np.all(p["points"][:, 0] <= 81.5) and np.all(p["points"][:, 1] <= 61.5)
    red = [p for p in paths if p["color"] == (200, 30, 40)]
    assert len(red) == 1
    ys, xs = np.nonzero(disk)
    lo, hi = red[0]["points"].min(axis=0), red[0]["points"].max(axis=0)
    assert np.allclose(lo, [xs.min(), ys.min()], atol=1.0) and np.allclose(hi, [xs.max() + 1, ys.max() + 1], atol=1.0)
    # Centerline mode: stroked paths.
    line = np.full((30, 60), 255, np.uint8)
    line[12:17, 5:55] = 0
    _, _, strokes = vecta.vectorize(line, mode="centerline", keep_paths=True)
    assert len(strokes) == 1 and strokes[0]["stroke_width"] == pytest.approx(5, abs=0.6)
    assert len(vecta.vectorize(im, keep_paths=False)) == 2
    with pytest.raises(TypeError, match="keep_paths"):
        vecta.vectorize(im, keep_paths="yes")
