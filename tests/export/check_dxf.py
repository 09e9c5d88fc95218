#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks a DXF written by vecta::write_dxf against the SVG of the same trace (black box).

usage: check_dxf.py SVG DXF SVG_RENDER_PNG TOLERANCE MIN_PSNR

The DXF is read with ezdxf (Debian's python3-ezdxf), the SVG parsed here (its <rect> and the
relative path data vecta writes: m l h v c z), independently of vecta's geometry:
- ezdxf's audit finds no error;
- one LWPOLYLINE per SVG subpath (the <rect> counts as one), in paint order, all closed;
- each polyline's true colour (group 420) equals its SVG fill; its ACI (group 62) is the
  nearest (CIE76) entry of the ACI table as docs/vectorize.md defines it, rebuilt here from that
  definition (AutoCAD's published tables disagree in places: ezdxf's has other greys at
  250-255 and some dark tints off the pattern; the excess over ezdxf's nearest is reported);
- vertices, mapped back to pixels (y = height - y'), lie on the SVG subpath (within 0.01 px:
  the SVG's rounding to 3 decimals) and every point of the subpath (the curve sampled at 256
  parameter steps per segment) lies within TOLERANCE + 0.01 px of the polyline;
- the polylines filled in entity order with their true colours (rasterized here at 4x with
  PIL and box-averaged) match the SVG's rsvg-convert render: PSNR >= MIN_PSNR dB.
Prints one JSON line of figures; exit status 0 when every check passed.
"""
import json
import re
import sys

import ezdxf
import numpy as np
from ezdxf.colors import DXF_DEFAULT_COLORS, int2rgb
from PIL import Image, ImageDraw

SUPERSAMPLE = 16


def parse_svg(text):
    """[(rgb, [subpath, ...])] in document order; a subpath is a list of segments, each an
    array of 2 (line) or 4 (cubic) absolute points."""
    out = []
    for m in re.finditer(r'<rect width="(\d+)" height="(\d+)" fill="(#[0-9a-f]+)"/>', text):
        w, h = float(m.group(1)), float(m.group(2))
        pts = [(0, 0), (w, 0), (w, h), (0, h), (0, 0)]
        segs = [np.array([pts[i], pts[i + 1]], float) for i in range(4)]
        out.append((hex_rgb(m.group(3)), [segs]))
    for m in re.finditer(r'<path fill="(#[0-9a-f]+)" d="([^"]*)"/>', text):
        out.append((hex_rgb(m.group(1)), parse_d(m.group(2))))
    return out


def hex_rgb(h):
    h = h[1:]
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def parse_d(d):
    tokens = re.findall(r"[mlhvcz]|-?(?:\d+\.?\d*|\.\d+)", d)
    subpaths, segs = [], None
    cur = start = np.zeros(2)
    cmd, i = None, 0
    while i < len(tokens):
        t = tokens[i]
        if t in "mlhvcz":
            cmd = t
            i += 1
            if t == "z":
                if segs is not None:
                    if np.linalg.norm(cur - start) > 0:
                        segs.append(np.array([cur, start]))
                    subpaths.append(segs)
                segs, cur = None, start.copy()
            continue
        n = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6}[cmd]
        v = [float(x) for x in tokens[i:i + n]]
        i += n
        if cmd == "m":
            cur = cur + v
            start = cur.copy()
            segs = []
            cmd = "l"  # implicit line-tos after m
        elif cmd == "c":
            p = [cur, cur + v[0:2], cur + v[2:4], cur + v[4:6]]
            segs.append(np.array(p))
            cur = p[3]
        else:
            nxt = cur + (v if cmd == "l" else [v[0], 0] if cmd == "h" else [0, v[0]])
            segs.append(np.array([cur, nxt]))
            cur = nxt
    return subpaths


def sample(segs, steps=256):
    pts = []
    t = np.linspace(0, 1, steps + 1)[:, None]
    for s in segs:
        if len(s) == 2:
            pts.append(s[0] + t * (s[1] - s[0]))
        else:
            u = 1 - t
            pts.append(u**3 * s[0] + 3 * u * u * t * s[1] + 3 * u * t * t * s[2] + t**3 * s[3])
    return np.concatenate(pts)


def point_to_polyline(points, poly):
    """Distance of each point to the closed polyline poly (n x 2)."""
    a, b = poly, np.roll(poly, -1, axis=0)
    ab = b - a
    ll = np.maximum((ab**2).sum(1), 1e-300)
    best = np.full(len(points), np.inf)
    for k in range(0, len(points), 2048):
        p = points[k:k + 2048, None, :]
        t = np.clip(((p - a) * ab).sum(2) / ll, 0, 1)
        d = np.sqrt((((a + t[..., None] * ab) - p) ** 2).sum(2)).min(1)
        best[k:k + 2048] = d
    return best


def lab(rgb):
    c = np.asarray(rgb, float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = c @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / [0.95047, 1.0, 1.08883]
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def aci_table():
    """ACI 0..255 as docs/vectorize.md states it: 1-6 primaries, 7 black, 8-9 greys, 10-249
    24 hues x 5 values x (saturated, half-saturated tint), 250-255 greys."""
    t = [(0, 0, 0), (255, 0, 0), (255, 255, 0), (0, 255, 0), (0, 255, 255), (0, 0, 255), (255, 0, 255),
         (0, 0, 0), (128, 128, 128), (192, 192, 192)]
    for hue in range(24):
        hp = hue * 15 / 60
        x = 1 - abs(hp % 2 - 1)
        r, g, b = [(1, x, 0), (x, 1, 0), (0, 1, x), (0, x, 1), (x, 0, 1), (1, 0, x)][int(hp)]
        for v in (255, 165, 127, 76, 38):
            t.append(tuple(int(np.floor(v * c)) for c in (r, g, b)))
            t.append(tuple(int(np.floor(v * (c + 1) / 2)) for c in (r, g, b)))
    return t + [(k, k, k) for k in (51, 91, 132, 173, 214, 255)]


def main():
    svg_path, dxf_path, png_path = sys.argv[1:4]
    tol, min_psnr = float(sys.argv[4]), float(sys.argv[5])
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAIL " + what, file=sys.stderr)

    svg = open(svg_path).read()
    w, h = (int(x) for x in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
    # user units per pixel: vectorize may write whole numbers of 10^-D pixel with a viewBox of
    # (10^D w) x (10^D h) (vectorize_stats::units_per_pixel); the DXF is in pixels
    vb = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    u = float(vb.group(1)) / w if vb else 1.0
    expected = [(rgb, [seg / u for seg in sp]) for rgb, sps in parse_svg(svg) for sp in sps]
    doc = ezdxf.readfile(dxf_path)
    ents = list(doc.modelspace())
    check(doc.dxfversion == "AC1015", "DXF version R2000 (AC1015), got %s" % doc.dxfversion)
    audit = doc.audit()
    check(not audit.errors, "ezdxf's audit finds no error (%d)" % len(audit.errors))
    check(len(ents) == len(expected), "entity count %d = SVG subpath count %d" % (len(ents), len(expected)))
    check(all(e.dxftype() == "LWPOLYLINE" and e.closed for e in ents), "every entity a closed LWPOLYLINE")
    ours = lab(aci_table())
    theirs = lab([int2rgb(c) if i != 7 else (0, 0, 0) for i, c in enumerate(DXF_DEFAULT_COLORS)])
    max_on, max_off, worst_aci, aci_ok, colours_ok, vertices = 0.0, 0.0, 0.0, 0, 0, 0
    for e, (rgb, segs) in zip(ents, expected):
        colours_ok += e.rgb is not None and tuple(e.rgb) == rgb
        want = lab(rgb)
        d = np.sqrt(((ours - want) ** 2).sum(1))
        aci_ok += 1 <= e.dxf.color <= 255 and d[e.dxf.color] <= d[1:].min() + 1e-3
        d = np.sqrt(((theirs - want) ** 2).sum(1))
        worst_aci = max(worst_aci, float(d[e.dxf.color] - d[1:].min()))
        poly = np.array([(x, h - y) for x, y in e.get_points("xy")], float)
        vertices += len(poly)
        ref = sample(segs)
        max_on = max(max_on, float(point_to_polyline(poly, ref).max()))
        max_off = max(max_off, float(point_to_polyline(ref, poly).max()))
    check(colours_ok == len(expected), "true colours equal the SVG fills (%d of %d)" % (colours_ok, len(expected)))
    check(aci_ok == len(expected), "ACI the nearest entry (%d of %d)" % (aci_ok, len(expected)))
    check(max_on <= 0.01, "vertices on the SVG curves (worst %.4f px)" % max_on)
    check(max_off <= tol + 0.01, "SVG curves within %g px of the polylines (worst %.4f px)" % (tol, max_off))

    # Filled render of the polylines, in entity order, at 4x; box-averaged down.
    s = SUPERSAMPLE
    img = Image.new("RGB", (w * s, h * s), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    for e in ents:
        pts = [(x * s - 0.5, (h - y) * s - 0.5) for x, y in e.get_points("xy")]  # PIL: integers are pixel centres
        draw.polygon(pts, fill=tuple(e.rgb) if e.rgb else (0, 0, 0))
    got = np.asarray(img.reduce(s), float)
    ref = np.asarray(Image.open(png_path).convert("RGB"), float)
    mse = ((got - ref) ** 2).mean()
    psnr = 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)
    check(psnr >= min_psnr, "filled DXF render vs the SVG render: %.2f dB >= %.1f" % (psnr, min_psnr))
    print(json.dumps({"entities": len(ents), "subpaths": len(expected), "vertices": vertices,
                      "max_vertex_off_svg_px": round(max_on, 5), "max_svg_off_polyline_px": round(max_off, 5),
                      "aci_excess_over_ezdxf_table": round(worst_aci, 2), "psnr_vs_svg_render": round(psnr, 2),
                      "failures": len(failures)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
