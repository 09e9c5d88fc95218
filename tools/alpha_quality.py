#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Transparency quality of `vecta vectorize` on RGBA icons (issue 19).

usage: alpha_quality.py EXE [--work DIR] [--data DIR] [--flatten] [EXTRA VECTORIZE ARGS, e.g. --background white]

1. Renders every ../shared/data/icons/*.svg with transparency, as the corpus PNGs were made but
   without the white: `rsvg-convert -w 256 -h 256 -a`, centred on a transparent 256 x 256 canvas
   (DIR/rgba/NAME.png, 8-bit RGBA, straight alpha).
2. Runs `EXE vectorize DIR/rgba -o DIR/svg --overwrite EXTRA` on the folder.
3. Renders each SVG with rsvg-convert over white and over black at 256 x 256 and scores it
   (PSNR over RGB, 8-bit peak) against the RGBA input composited over the same colour
   (straight alpha, rounded: (v a + bg (255 - a) + 127) // 255). With --flatten only the white
   score is taken (today's output, flattened over white, has no transparency to score on black).
Prints per-file rows (name, PSNR white, PSNR black, bytes, full-canvas rect?) as TSV on
DIR/alpha.tsv and the medians on stdout.
"""
import argparse
import glob
import os
import re
import statistics
import subprocess

import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument('exe')
ap.add_argument('--work', default=os.path.join(repo, 'build', 'alpha_quality'))
ap.add_argument('--data', default=os.environ.get('VECTA_DATA_DIR', os.path.join(repo, '..', 'shared', 'data')))
ap.add_argument('--flatten', action='store_true')
args, extra = ap.parse_known_args()  # the rest goes to `vecta vectorize`


def rgba_icons(data, out):
    os.makedirs(out, exist_ok=True)
    names = []
    for svg in sorted(glob.glob(os.path.join(data, 'icons', '*.svg'))):
        name = os.path.splitext(os.path.basename(svg))[0]
        dst = os.path.join(out, name + '.png')
        names.append(name)
        if os.path.exists(dst):
            continue
        tmp = dst + '.tmp.png'
        subprocess.run(['rsvg-convert', '-w', '256', '-h', '256', '-a', '-o', tmp, svg], check=True)
        im = Image.open(tmp).convert('RGBA')
        canvas = Image.new('RGBA', (256, 256), (0, 0, 0, 0))
        canvas.paste(im, ((256 - im.width) // 2, (256 - im.height) // 2))
        canvas.save(dst)
        os.remove(tmp)
    return names


def over(rgba, bg):
    v = rgba[..., :3].astype(np.int64)
    a = rgba[..., 3:4].astype(np.int64)
    return ((v * a + bg * (255 - a) + 127) // 255).astype(np.uint8)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def render(svg, bg):
    png = svg[:-4] + '.' + bg + '.png'
    subprocess.run(['rsvg-convert', '-b', bg, '-w', '256', '-h', '256', '-o', png, svg], check=True)
    return np.asarray(Image.open(png).convert('RGB'))


names = rgba_icons(args.data, os.path.join(args.work, 'rgba'))
svgdir = os.path.join(args.work, 'svg')
subprocess.run([args.exe, 'vectorize', os.path.join(args.work, 'rgba'), '-o', svgdir, '--overwrite'] + extra,
               check=True, stdout=subprocess.DEVNULL)
rows = []
full_rect = re.compile(r'<rect width="256" height="256"')
for n in names:
    rgba = np.asarray(Image.open(os.path.join(args.work, 'rgba', n + '.png')).convert('RGBA'))
    svg = os.path.join(svgdir, n + '.svg')
    text = open(svg).read()
    pw = psnr(render(svg, 'white'), over(rgba, 255))
    pb = float('nan') if args.flatten else psnr(render(svg, 'black'), over(rgba, 0))
    rows.append((n, pw, pb, len(text), bool(full_rect.search(text))))
with open(os.path.join(args.work, 'alpha.tsv'), 'w') as f:
    f.write('name\tpsnr_white\tpsnr_black\tbytes\tfull_canvas_rect\n')
    for r in rows:
        f.write('%s\t%.3f\t%.3f\t%d\t%d\n' % r)
med = lambda i: statistics.median(r[i] for r in rows)
print('icons %d  median PSNR over white %.2f dB (min %.2f)  over black %.2f dB (min %.2f)  median bytes %d  '
      'full-canvas rects %d' % (len(rows), med(1), min(r[1] for r in rows), med(2), min(r[2] for r in rows), med(3),
                                sum(r[4] for r in rows)))
