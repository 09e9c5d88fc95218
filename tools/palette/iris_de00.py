#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Mean CIEDE2000 over the iris pixels of examples/data/chelsea.png (issue 19's eye test).

usage: iris_de00.py REF.png TRACE.svg|RENDER.png [...]   (prints "<file> <pixels> <mean dE00>")

The iris mask comes from the reference alone: OpenCV HSV (hue 0..180) hue 22..50, saturation
and value >= 50, then the two largest 8-connected components (584 pixels on chelsea). An SVG is
rendered with rsvg-convert on white at the reference size. CIEDE2000 (Sharma, Wu & Dalal 2005)
per pixel by skimage.color.deltaE_ciede2000 on skimage.color.rgb2lab (D65).
"""
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np
from skimage.color import deltaE_ciede2000, rgb2lab


def iris_mask(rgb):
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    m = ((hsv[:, :, 0] >= 22) & (hsv[:, :, 0] <= 50) & (hsv[:, :, 1] >= 50) & (hsv[:, :, 2] >= 50)).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    if n <= 1:
        return np.zeros(m.shape, bool)
    big = 1 + np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:2]
    return np.isin(lab, big)


def load_rgb(path, w=None, h=None):
    if path.endswith('.svg'):
        with tempfile.TemporaryDirectory() as d:
            png = os.path.join(d, 'r.png')
            subprocess.run(['rsvg-convert', '-b', 'white', '-w', str(w), '-h', str(h), '-o', png, path], check=True)
            return load_rgb(png)
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        sys.exit('iris_de00: cannot read ' + path)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ref = load_rgb(sys.argv[1])
    mask = iris_mask(ref)
    for path in sys.argv[2:]:
        out = load_rgb(path, ref.shape[1], ref.shape[0])
        if out.shape != ref.shape:
            sys.exit('iris_de00: %s is %s, the reference %s' % (path, out.shape, ref.shape))
        e = deltaE_ciede2000(rgb2lab(ref[mask]), rgb2lab(out[mask]))
        print('%s\t%d\t%.3f' % (path, int(mask.sum()), float(e.mean())))


if __name__ == '__main__':
    main()
