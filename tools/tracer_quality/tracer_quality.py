#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Black-box quality of vecta's outline tracer (fit_outline_curve) on line art, against
potrace and the vectorize command.

usage: tracer_quality.py [--vectorize EXE] [--work DIR] [--data DIR] [--alphamax A] [--opttolerance T]
EXE is the `vecta` command (run as `vecta vectorize --mode binary`) or any program taking
IN -o OUT --mode binary. The pipeline's own settings are --alphamax 0.85 --opttolerance 0.15.

Each ../shared/data/lineart/*.png is thresholded as tools/w4_compare.sh does (PIL 'L' < 128 is
ink); the bitmap goes to trace_binary (built here from trace_binary.cpp with g++: trace_regions +
fit_outline_curve, painted as vectorize's binary mode paints: ink and holes, the frame pushed
out) and, as PBM, to `potrace -s`; the vectorize command (if given) gets the original PNG with
--mode binary. Every SVG is rendered with
rsvg-convert on white at the source size; PSNR (RGB, 8-bit peak) is taken against the
thresholded bitmap and against the source PNG (as tools/w4/metrics.py reads it). Prints a
Markdown table with PSNR and bytes per file and tool, the fit time of trace_binary and the
wall time of the potrace command (best of 3).
"""
import argparse
import glob
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument('--vectorize', default='')
ap.add_argument('--work', default=os.path.join(repo, 'build', 'tracer_quality'))
ap.add_argument('--data', default=os.environ.get('VECTA_DATA_DIR', os.path.join(repo, '..', 'shared', 'data')))
ap.add_argument('--alphamax', default='1.0')
ap.add_argument('--opttolerance', default='0.2')
args = ap.parse_args()
os.makedirs(args.work, exist_ok=True)
exe = os.path.join(args.work, 'trace_binary')
src = os.path.join(here, 'trace_binary.cpp')
if not os.path.exists(exe) or os.path.getmtime(exe) < max(
        [os.path.getmtime(src)] + [os.path.getmtime(f) for f in glob.glob(os.path.join(repo, 'include/vecta/geometry/*.hpp'))]):
    subprocess.run(['g++', '-std=c++20', '-O2', '-ffp-contract=off', '-I' + os.path.join(repo, 'include'),
                    '-I/usr/include/stb', src, '-o', exe, '-lstb'], check=True)


def render(svg, w, h):
    png = svg[:-4] + '.render.png'
    subprocess.run(['rsvg-convert', '-b', 'white', '-w', str(w), '-h', str(h), '-o', png, svg], check=True)
    with Image.open(png) as im:
        return np.asarray(im.convert('RGB')).astype(np.float64)


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


rows = []
for path in sorted(glob.glob(os.path.join(args.data, 'lineart', '*.png'))):
    stem = os.path.basename(path)[:-4]
    with Image.open(path) as im:
        ref_src = np.asarray(im.convert('RGB')).astype(np.float64)
        gray = im.convert('L')
    w, h = gray.size
    ink = np.asarray(gray) < 128
    bitmap = np.where(ink, 0, 255).astype(np.uint8)
    ref_bin = np.repeat(bitmap[:, :, None], 3, axis=2).astype(np.float64)
    bin_png = os.path.join(args.work, stem + '.bin.png')
    Image.fromarray(bitmap).save(bin_png)
    pbm = os.path.join(args.work, stem + '.pbm')
    Image.fromarray(bitmap).convert('1').save(pbm)
    out = {}
    svg = os.path.join(args.work, stem + '.vecta.svg')
    r = subprocess.run([exe, bin_png, svg, args.alphamax, args.opttolerance], check=True, capture_output=True, text=True)
    fit_ms, verts, segs = r.stdout.split()
    out['tracer'] = svg
    svg_p = os.path.join(args.work, stem + '.potrace.svg')
    best = 1e9
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(['potrace', '-s', '-o', svg_p, pbm], check=True)
        best = min(best, time.perf_counter() - t0)
    out['potrace'] = svg_p
    if args.vectorize:
        svg_v = os.path.join(args.work, stem + '.cmd.svg')
        cmd = [args.vectorize] + (['vectorize', '--overwrite', '-q'] if os.path.basename(args.vectorize) == 'vecta' else [])
        subprocess.run(cmd + [path, '-o', svg_v, '--mode', 'binary'], check=True, capture_output=True)
        out['command'] = svg_v
    row = {'file': stem, 'fit_ms': float(fit_ms), 'verts': int(verts), 'segs': int(segs), 'potrace_ms': best * 1e3}
    for tool, s in out.items():
        img = render(s, w, h)
        row[tool] = (psnr(img, ref_bin), psnr(img, ref_src), os.path.getsize(s))
    rows.append(row)

tools = [t for t in ('tracer', 'potrace', 'command') if t in rows[0]]
print('| file | ' + ' | '.join(f'{t} PSNR bin / src dB | {t} bytes' for t in tools) +
      ' | tracer fit ms | outline vertices | potrace cmd ms |')
print('|---' * (1 + 2 * len(tools) + 3) + '|')
for r in rows:
    cells = []
    for t in tools:
        cells += [f'{r[t][0]:.2f} / {r[t][1]:.2f}', f'{r[t][2]:,}']
    print(f"| {r['file']} | " + ' | '.join(cells) + f" | {r['fit_ms']:.2f} | {r['verts']:,} | {r['potrace_ms']:.1f} |")
worse = [r['file'] for r in rows if r['tracer'][0] < r['potrace'][0]]
print('tracer PSNR (vs bitmap) below potrace on:', ', '.join(worse) if worse else 'none')
