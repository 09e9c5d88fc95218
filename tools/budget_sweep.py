#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Issue 19, budgets: vecta's --max-bytes search against a sweep of the flags by hand.

    tools/budget_sweep.py sweep  VECTA_EXE WORK_DIR [--sets photos,icons] [-j 2]
    tools/budget_sweep.py budget VECTA_EXE WORK_DIR [--sizes 2k,8k,32k,128k,512k,1M] [-j 2]
    tools/budget_sweep.py quality VECTA_EXE WORK_DIR [--targets 22,26,30] [-j 2]
    tools/budget_sweep.py report WORK_DIR [--sizes ...] [--targets ...]

Sets: ../shared/data/photos/*.png scaled to 600 px on the long side (PIL box filter, as
tools/w4_compare.sh does) and ../shared/data/icons/*.png as they are (VECTA_DATA_DIR overrides
../shared/data). `sweep` runs `vecta vectorize` over the grid GRID of --colors, --speckle,
--tolerance and --precision on every image; `budget` runs `vecta vectorize --max-bytes B` (and
nothing else) for every image and size. Every SVG is rendered with rsvg-convert on white at the
source size and scored (PSNR over RGB against the source over white); rows go to
WORK_DIR/sweep.tsv and WORK_DIR/budget.tsv. `report` prints, per set and size B, how many files
the search kept within B, and the search's PSNR against the best swept PSNR at <= B bytes
(median and worst difference; the acceptance is >= -0.5 dB on every file). `quality` runs
`--min-psnr Q` for every image and target (WORK_DIR/quality.tsv); `report` then also prints how
many renders reached Q and the search's bytes against the fewest swept bytes reaching Q.
Needs rsvg-convert (librsvg2-bin) and /usr/bin/python3 with numpy and PIL.
"""
import argparse
import concurrent.futures as cf
import csv
import itertools
import json
import os
import subprocess
import sys

import numpy as np
from PIL import Image

GRID = {
    'colors': [2, 4, 8, 16, 24, 48],
    'speckle': [0, 16, 64, 256],  # 0 = the default (auto)
    'tolerance': [0.15, 1.0],
    'precision': [0, 1],
}
SIZES = {'2k': 2048, '8k': 8192, '32k': 32768, '128k': 131072, '512k': 524288, '1M': 1048576}


def data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get('VECTA_DATA_DIR', os.path.join(here, '..', '..', 'shared', 'data'))


def sources(work, sets):
    out = []
    if 'photos' in sets:
        dst = os.path.join(work, 'src', 'photos')
        os.makedirs(dst, exist_ok=True)
        src = os.path.join(data_dir(), 'photos')
        for name in sorted(os.listdir(src)):
            if not name.endswith('.png'):
                continue
            path = os.path.join(dst, name)
            if not os.path.exists(path):
                with Image.open(os.path.join(src, name)) as im:
                    im = im.convert('RGB')
                    s = 600 / max(im.size)
                    im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.BOX).save(path)
            out.append(('photos', path))
    if 'icons' in sets:
        src = os.path.join(data_dir(), 'icons')
        out += [('icons', os.path.join(src, n)) for n in sorted(os.listdir(src)) if n.endswith('.png')]
    return out


def load_rgb(path):
    with Image.open(path) as im:
        if im.mode in ('RGBA', 'LA', 'P'):
            im = im.convert('RGBA')
            bg = Image.new('RGBA', im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(bg, im)
        return np.asarray(im.convert('RGB'))


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def run_one(exe, src, svg, flags):
    """Vectorizes src into svg with flags, renders it, returns (bytes, psnr, stats dict)."""
    proc = subprocess.run([exe, 'vectorize', src, '-o', svg, '--overwrite', '--stats'] + flags, check=True,
                          capture_output=True, text=True)
    stats = json.loads(proc.stdout.strip().splitlines()[0]) if proc.stdout.strip() else {}
    ref = load_rgb(src)
    png = svg[:-4] + '.png'
    subprocess.run(['rsvg-convert', '-b', 'white', '-w', str(ref.shape[1]), '-h', str(ref.shape[0]), '-o', png, svg],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    score = psnr(ref, load_rgb(png))
    size = os.path.getsize(svg)
    os.remove(png)
    os.remove(svg)
    return size, score, stats, proc.stderr.strip()


def sweep(args):
    items = sources(args.work, args.sets.split(','))
    tmp = os.path.join(args.work, 'tmp')
    os.makedirs(tmp, exist_ok=True)
    jobs = []
    for (set_, src), (c, s, t, p) in itertools.product(items, itertools.product(*GRID.values())):
        flags = ['--colors', str(c), '--tolerance', str(t), '--precision', str(p)] + (['--speckle', str(s)] if s else [])
        stem = os.path.basename(src)[:-4]
        jobs.append((set_, stem, src, os.path.join(tmp, f'{stem}-{c}-{s}-{t}-{p}.svg'), flags, (c, s, t, p)))
    with open(os.path.join(args.work, 'sweep.tsv'), 'w', newline='') as f, cf.ThreadPoolExecutor(args.j) as ex:
        w = csv.writer(f, delimiter='\t')
        w.writerow(['set', 'file', 'colors', 'speckle', 'tolerance', 'precision', 'bytes', 'psnr'])
        futs = {ex.submit(run_one, args.exe, j[2], j[3], j[4]): j for j in jobs}
        for n, fut in enumerate(cf.as_completed(futs)):
            j = futs[fut]
            size, score, _, _ = fut.result()
            w.writerow([j[0], j[1], *j[5], size, f'{score:.3f}'])
            if n % 200 == 0:
                print(f'sweep: {n}/{len(jobs)}', file=sys.stderr, flush=True)
                f.flush()


def budget(args):
    items = sources(args.work, args.sets.split(','))
    tmp = os.path.join(args.work, 'tmp')
    os.makedirs(tmp, exist_ok=True)
    sizes = args.sizes.split(',')
    jobs = [(set_, os.path.basename(src)[:-4], src, b) for (set_, src), b in itertools.product(items, sizes)]
    with open(os.path.join(args.work, 'budget.tsv'), 'w', newline='') as f, cf.ThreadPoolExecutor(args.j) as ex:
        w = csv.writer(f, delimiter='\t')
        w.writerow(['set', 'file', 'size', 'max_bytes', 'bytes', 'psnr', 'own_psnr', 'passes', 'met', 'ms', 'warning'])
        futs = {ex.submit(run_one, args.exe, j[2], os.path.join(tmp, f'{j[1]}-{j[3]}.svg'),
                          ['--max-bytes', str(SIZES[j[3]])]): j for j in jobs}
        for fut in cf.as_completed(futs):
            j = futs[fut]
            size, score, stats, err = fut.result()
            b = stats.get('budget', {})
            w.writerow([j[0], j[1], j[3], SIZES[j[3]], size, f'{score:.3f}', b.get('psnr', ''), b.get('passes', ''),
                        b.get('met', ''), stats.get('ms', ''), err.replace('\t', ' ')])


def quality(args):
    items = sources(args.work, args.sets.split(','))
    tmp = os.path.join(args.work, 'tmp')
    os.makedirs(tmp, exist_ok=True)
    jobs = [(set_, os.path.basename(src)[:-4], src, q) for (set_, src), q in
            itertools.product(items, args.targets.split(','))]
    with open(os.path.join(args.work, 'quality.tsv'), 'w', newline='') as f, cf.ThreadPoolExecutor(args.j) as ex:
        w = csv.writer(f, delimiter='\t')
        w.writerow(['set', 'file', 'target', 'bytes', 'psnr', 'own_psnr', 'passes', 'met', 'ms'])
        futs = {ex.submit(run_one, args.exe, j[2], os.path.join(tmp, f'{j[1]}-q{j[3]}.svg'),
                          ['--min-psnr', j[3]]): j for j in jobs}
        for fut in cf.as_completed(futs):
            j = futs[fut]
            size, score, stats, err = fut.result()
            b = stats.get('budget', {})
            w.writerow([j[0], j[1], j[3], size, f'{score:.3f}', b.get('psnr', ''), b.get('passes', ''),
                        b.get('met', ''), stats.get('ms', '')])


def report_quality(args, sweep_rows):
    path = os.path.join(args.work, 'quality.tsv')
    if not os.path.exists(path):
        return
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f, delimiter='\t'):
            rows.setdefault((r['set'], r['target']), []).append(r)
    print('\nset\ttarget dB\tfiles\tmet (own)\trender >= Q (rsvg)\tbytes median\tsweep fewest median'
          '\tbytes / sweep median\tpasses median')
    for (set_, target), rs in sorted(rows.items()):
        Q = float(target)
        ratios, ours, sweeps = [], [], []
        for r in rs:
            cand = [b for b, p in sweep_rows.get((set_, r['file']), []) if p >= Q]
            ours.append(int(r['bytes']))
            if cand and r['met'] == 'True':
                sweeps.append(min(cand))
                ratios.append(int(r['bytes']) / min(cand))
        met = sum(r['met'] == 'True' for r in rs)
        reached = sum(float(r['psnr']) >= Q for r in rs)
        med = lambda v: f'{np.median(v):.0f}' if v else '-'
        print(f'{set_}\t{target}\t{len(rs)}\t{met}\t{reached}\t{med(ours)}\t{med(sweeps)}\t'
              f'{np.median(ratios) if ratios else float("nan"):.2f}\t'
              f'{np.median([float(r["passes"]) for r in rs if r["passes"]]):.0f}')


def report(args):
    best = {}
    with open(os.path.join(args.work, 'sweep.tsv')) as f:
        for r in csv.DictReader(f, delimiter='\t'):
            best.setdefault((r['set'], r['file']), []).append((int(r['bytes']), float(r['psnr'])))
    rows = {}
    with open(os.path.join(args.work, 'budget.tsv')) as f:
        for r in csv.DictReader(f, delimiter='\t'):
            rows.setdefault((r['set'], r['size']), []).append(r)
    print('set\tsize\tfiles\tkept<=B\tsearch PSNR median\tsweep best median\tdiff median\tdiff worst (file)'
          '\tpasses median')
    for set_ in ('photos', 'icons'):
        for size in args.sizes.split(','):
            rs = rows.get((set_, size), [])
            if not rs:
                continue
            B = SIZES[size]
            diffs, ours, bests = [], [], []
            for r in rs:
                cand = [p for b, p in best.get((set_, r['file']), []) if b <= B]
                sb = max(cand) if cand else float('nan')
                ours.append(float(r['psnr']))
                bests.append(sb)
                diffs.append((float(r['psnr']) - sb, r['file']))
            kept = sum(int(r['bytes']) <= B for r in rs)
            valid = [d for d in diffs if not np.isnan(d[0])]
            worst = min(valid) if valid else (float('nan'), '-')
            passes = np.median([float(r['passes']) for r in rs if r['passes']] or [float('nan')])
            print(f'{set_}\t{size}\t{len(rs)}\t{kept}\t{np.median(ours):.2f}\t{np.nanmedian(bests):.2f}\t'
                  f'{np.nanmedian([d for d, _ in diffs]):+.2f}\t{worst[0]:+.2f} ({worst[1]})\t{passes:.0f}')
    report_quality(args, best)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('what', choices=['sweep', 'budget', 'quality', 'report'])
    ap.add_argument('exe', nargs='?')
    ap.add_argument('work')
    ap.add_argument('--sets', default='photos,icons')
    ap.add_argument('--sizes', default=','.join(SIZES))
    ap.add_argument('--targets', default='22,26,30')
    ap.add_argument('-j', type=int, default=2)
    args = ap.parse_args()
    if args.what == 'report' and args.exe and not args.work:
        args.work = args.exe
    os.makedirs(args.work, exist_ok=True)
    {'sweep': sweep, 'budget': budget, 'quality': quality, 'report': report}[args.what](args)


if __name__ == '__main__':
    main()
