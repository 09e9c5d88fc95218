#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Scores SVG traces against their source rasters, for tools/w4_compare.sh.

usage: metrics.py TIMES.tsv SET OUT_DIR REF_DIR TOOL...   (prints a table, writes SET.tsv)

For every tool, every OUT_DIR/<tool>/<stem>.svg is rendered back with rsvg-convert on white at
the size of REF_DIR/<stem>.png and compared with it: PSNR over RGB (8-bit peak), SSIM (Wang et
al. 2004, 11x11 Gaussian window sigma 1.5, on BT.601 luma), file bytes, drawn elements (paths)
and path segments (nodes: every command of the path data, implicit repeats included), and the
CIEDE2000 colour difference per pixel (Sharma, Wu & Dalal 2005; skimage.color.deltaE_ciede2000 on
skimage.color.rgb2lab, D65): its mean (de00) and 99th percentile (de00_p99). TIMES.tsv
holds lines "tool<TAB>stem<TAB>ms". Medians over the files are printed as a Markdown table.
"""
import os
import re
import subprocess
import sys

import numpy as np

from PIL import Image

ARITY = {'m': 2, 'l': 2, 'h': 1, 'v': 1, 'c': 6, 's': 4, 'q': 4, 't': 2, 'a': 7, 'z': 0}
NUM = re.compile(r'[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?')


def count_nodes(d):
    nodes, cmd, pending = 0, None, 0
    for tok in NUM.findall(d):
        if tok.isalpha():
            cmd = tok.lower()
            pending = 0
            if cmd == 'z':
                continue
        else:
            pending += 1
            if cmd and ARITY[cmd] and pending == ARITY[cmd]:
                nodes += 1
                pending = 0
    return nodes


def svg_counts(text):
    paths = len(re.findall(r'<(?:path|rect|circle|ellipse|polygon|polyline|line)\b', text))
    nodes = sum(count_nodes(d) for d in re.findall(r'\sd="([^"]*)"', text))
    nodes += len(re.findall(r'<(?:rect|circle|ellipse)\b', text))
    return paths, nodes


def load_rgb(path):
    with Image.open(path) as im:
        return np.asarray(im.convert('RGB'))


def render(svg, w, h, png):
    subprocess.run(['rsvg-convert', '-b', 'white', '-w', str(w), '-h', str(h), '-o', png, svg], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return load_rgb(png)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def ssim(a, b):
    def luma(x):
        x = x.astype(np.float64)
        return 0.299 * x[:, :, 0] + 0.587 * x[:, :, 1] + 0.114 * x[:, :, 2]
    x, y = luma(a), luma(b)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    k = np.exp(-0.5 * ((np.arange(11) - 5) / 1.5) ** 2)
    k /= k.sum()

    def g(z):  # separable 11x11 Gaussian, reflected border (as OpenCV's default)
        z = np.pad(z, 5, mode='reflect')
        z = sum(k[i] * z[:, i:i + z.shape[1] - 10] for i in range(11))
        return sum(k[i] * z[i:i + z.shape[0] - 10, :] for i in range(11))
    mx, my = g(x), g(y)
    sxx, syy, sxy = g(x * x) - mx * mx, g(y * y) - my * my, g(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s.mean())


def ciede2000(a, b):
    """Per-pixel CIEDE2000 between two 8-bit RGB images (sRGB, D65 L*a*b*)."""
    from skimage.color import deltaE_ciede2000, rgb2lab
    return deltaE_ciede2000(rgb2lab(a), rgb2lab(b))


def median(v):
    return float(np.median(v)) if v else float('nan')


def main():
    times_file, set_name, out_dir, ref_dir = sys.argv[1:5]
    tools = sys.argv[5:]
    times = {}
    with open(times_file) as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if len(p) == 3:
                times[(p[0], p[1])] = float(p[2])
    rows = []
    per_file = []
    for tool in tools:
        tdir = os.path.join(out_dir, tool)
        stems = sorted(s[:-4] for s in os.listdir(tdir) if s.endswith('.svg')) if os.path.isdir(tdir) else []
        ps, ss, bs, pa, no, ms, de, d99 = [], [], [], [], [], [], [], []
        for stem in stems:
            ref = load_rgb(os.path.join(ref_dir, stem + '.png'))
            svg = os.path.join(tdir, stem + '.svg')
            back = render(svg, ref.shape[1], ref.shape[0], os.path.join(tdir, stem + '.render.png'))
            text = open(svg, encoding='utf-8', errors='replace').read()
            npaths, nnodes = svg_counts(text)
            p, s, b = psnr(ref, back), ssim(ref, back), os.path.getsize(svg)
            t = times.get((tool, stem), float('nan'))
            e = ciede2000(ref, back)
            e_mean, e99 = float(e.mean()), float(np.percentile(e, 99))
            ps.append(p); ss.append(s); bs.append(b); pa.append(npaths); no.append(nnodes); ms.append(t)
            de.append(e_mean); d99.append(e99)
            per_file.append((tool, stem, p, s, b, npaths, nnodes, t, e_mean, e99))
        rows.append((tool, len(stems), median(ps), min(ps) if ps else float('nan'), median(ss), median(bs),
                     median(pa), median(no), median(ms), sum(ms), median(de), median(d99)))
    with open(os.path.join(out_dir, set_name + '.tsv'), 'w') as f:
        f.write('tool\tfile\tpsnr\tssim\tbytes\tpaths\tnodes\tms\tde00\tde00_p99\n')
        for r in per_file:
            f.write('%s\t%s\t%.3f\t%.4f\t%d\t%d\t%d\t%.2f\t%.3f\t%.3f\n' % r)
    print('\n### %s\n' % set_name)
    print('| tool | files | median PSNR (dB) | min PSNR | median SSIM | median bytes | median paths | median nodes '
          '| median ms | total ms | median mean dE00 | median p99 dE00 |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for r in rows:
        print('| %s | %d | %.2f | %.2f | %.4f | %.0f | %.0f | %.0f | %.1f | %.0f | %.2f | %.2f |' % r)


if __name__ == '__main__':
    main()
