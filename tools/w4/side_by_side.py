#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Side-by-side renders for docs/vectorize.md: input | vecta | vtracer | imagetracerjs.

usage: side_by_side.py W4_WORK_DIR DATA_DIR OUT_DIR STEM...
Reads the renders tools/w4_compare.sh left in W4_WORK_DIR/icons/<tool>/<stem>.render.png and
writes OUT_DIR/vectorize-<stem>.png (4 panels of 256 px, captioned with PSNR and bytes).
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

TOOLS = ['vecta', 'vtracer', 'imagetracerjs']


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def main():
    work, data, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    for stem in sys.argv[4:]:
        src = Image.open(os.path.join(data, 'icons', stem + '.png')).convert('RGB')
        panels = [(src, 'input')]
        for t in TOOLS:
            im = Image.open(os.path.join(work, 'icons', t, stem + '.render.png')).convert('RGB')
            size = os.path.getsize(os.path.join(work, 'icons', t, stem + '.svg'))
            panels.append((im, '%s %.1f dB %d B' % (t, psnr(np.asarray(src), np.asarray(im)), size)))
        w, h = src.size
        sheet = Image.new('RGB', (len(panels) * (w + 8), h + 22), 'white')
        draw = ImageDraw.Draw(sheet)
        for i, (im, caption) in enumerate(panels):
            sheet.paste(im, (i * (w + 8), 0))
            draw.text((i * (w + 8) + 4, h + 5), caption, fill='black')
        sheet.save(os.path.join(out, 'vectorize-%s.png' % stem), optimize=True)


if __name__ == '__main__':
    main()
