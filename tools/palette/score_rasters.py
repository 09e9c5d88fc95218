#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Scores rasters (e.g. tools/palette/stage_rasters.cpp's PPMs) against their sources with the
measures of tools/w4/metrics.py: PSNR over RGB, mean and 99th percentile CIEDE2000.

usage: score_rasters.py REF_DIR RASTER_DIR SUFFIX   (RASTER_DIR/<stem>SUFFIX against REF_DIR/<stem>.png;
prints "stem psnr mean_de00 p99_de00" per file)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'w4'))
import metrics  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ref_dir, raster_dir, suffix = sys.argv[1:]
    for name in sorted(os.listdir(raster_dir)):
        if not name.endswith(suffix):
            continue
        stem = name[:-len(suffix)]
        ref = metrics.load_rgb(os.path.join(ref_dir, stem + '.png'))
        out = metrics.load_rgb(os.path.join(raster_dir, name))
        e = metrics.ciede2000(ref, out)
        print('%s\t%.2f\t%.2f\t%.1f' % (stem, metrics.psnr(ref, out), float(e.mean()), float(np.percentile(e, 99))))


if __name__ == '__main__':
    main()
