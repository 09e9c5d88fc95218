#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""CPU time of `vecta vectorize` on the shared photos at 600 px against a reference command.

usage: tools/photo_time.py VECTA_EXE REF_EXE [DATA_DIR/photos] [WORK_DIR] [REPS]

REF_EXE is a vectorize command called as `REF_EXE in.png -o out.svg` (the `vectorize` example
program of an older commit, e.g. the potrace port at f22c77a, the reference of issue 16), or
another `vecta` command (a file named vecta; then called as VECTA_EXE is). Photos are scaled to 600 px on the long
side as tools/palette/compare.sh does (PIL box filter). Per photo the three commands (reference,
vecta with the default region fills, vecta --region-colors 0) run alternately REPS times (default
5) and the best child CPU time (user + sys, from wait4) of each is kept: on a shared machine the
wall time mostly measures waiting for a core. Prints per-photo ms, bytes and ratios, then the
median, range and total ratio against the reference, and the PSNR of each render (rsvg-convert,
over white) against the scaled photo.
"""
import os, statistics, subprocess, sys
import numpy as np
from PIL import Image

vecta, ref = sys.argv[1], sys.argv[2]
data = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), '../../shared/data/photos')
work = sys.argv[4] if len(sys.argv) > 4 else '/tmp/photo_time'
reps = int(sys.argv[5]) if len(sys.argv) > 5 else 5
src_dir, out = os.path.join(work, 'src'), os.path.join(work, 'out')
os.makedirs(src_dir, exist_ok=True)
os.makedirs(out, exist_ok=True)
for name in sorted(os.listdir(data)):
    if name.endswith('.png') and not os.path.exists(os.path.join(src_dir, name)):
        with Image.open(os.path.join(data, name)) as im:
            im = im.convert('RGB')
            s = 600 / max(im.size)
            im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.BOX).save(os.path.join(src_dir, name))


def cpu_ms(cmd):
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f'photo_time: failed: {" ".join(cmd)}')
    return (usage.ru_utime + usage.ru_stime) * 1e3


def psnr(svg, png):
    ref_px = np.asarray(Image.open(png).convert('RGB'), dtype=np.float64)
    h, w = ref_px.shape[:2]
    tmp = svg + '.png'
    subprocess.run(['rsvg-convert', '-w', str(w), '-h', str(h), '-b', 'white', svg, '-o', tmp], check=True)
    mse = ((np.asarray(Image.open(tmp).convert('RGB'), dtype=np.float64) - ref_px) ** 2).mean()
    return 99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)


ref_is_vecta = os.path.basename(ref) == 'vecta'  # the vecta command; otherwise an example program
rows = []
for name in sorted(n for n in os.listdir(src_dir) if n.endswith('.png')):
    f = os.path.join(src_dir, name)
    outs = {k: os.path.join(out, f'{name}.{k}.svg') for k in ('ref', 'fills', 'rc0')}
    cmds = {
        'ref': [ref, 'vectorize', f, '-o', outs['ref'], '--overwrite'] if ref_is_vecta else [ref, f, '-o', outs['ref']],
        'fills': [vecta, 'vectorize', f, '-o', outs['fills'], '--overwrite'],
        'rc0': [vecta, 'vectorize', f, '-o', outs['rc0'], '--overwrite', '--region-colors', '0'],
    }
    best = {k: float('inf') for k in cmds}
    for _ in range(reps):
        for k, c in cmds.items():
            if os.path.exists(outs[k]):
                os.remove(outs[k])
            best[k] = min(best[k], cpu_ms(c))
    size = {k: os.path.getsize(outs[k]) for k in cmds}
    quality = {k: psnr(outs[k], f) for k in cmds}
    rows.append((best, size, quality))
    print(f'{name:34s} ' + ' '.join(f'{k} {best[k]:.0f} ms {size[k]} B {quality[k]:.2f} dB' for k in cmds) +
          f"  fills/ref {best['fills'] / best['ref']:.2f} rc0/ref {best['rc0'] / best['ref']:.2f}", flush=True)
for k in ('fills', 'rc0'):
    t = [b[k] / b['ref'] for b, _, _ in rows]
    s = [z[k] / z['ref'] for _, z, _ in rows]
    d = [q[k] - q['ref'] for _, _, q in rows]
    print(f'{k}: time / ref median {statistics.median(t):.2f} ({min(t):.2f}-{max(t):.2f}), total '
          f'{sum(b[k] for b, _, _ in rows) / sum(b["ref"] for b, _, _ in rows):.2f}; bytes / ref median '
          f'{statistics.median(s):.2f} ({min(s):.2f}-{max(s):.2f}); PSNR - ref {min(d):+.2f}..{max(d):+.2f} dB')
