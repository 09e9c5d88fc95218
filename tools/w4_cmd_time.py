#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Whole-command wall time of `vecta vectorize --mode binary` against potrace on line art.

usage: tools/w4_cmd_time.py VECTA_EXE [DATA_DIR/lineart] [WORK_DIR] [REPS] [EXE2 ...]
(VECTA_EXE: the `vecta` command, e.g. build/release/bin/vecta.)

Each file is converted to PBM first (untimed, as tools/w4_compare.sh does). Then, per file,
the commands run alternately (vecta, potrace, vecta, ...) REPS times (default 11) and the
best wall time of each is kept: fork + exec + decode + trace + write of a new output file, from Python's
subprocess with perf_counter. Prints per-file ms and the medians; EXE2... are extra vectorize
builds timed in the same rotation (e.g. an older build for a before/after).
With W4_CPU=1 the child's CPU time (user + sys from wait4, best of REPS) is kept instead of the
wall time: on a loaded machine the wall time mostly measures waiting for a core.
W4_INPUT=pbm gives VECTA_EXE the same PBM files as potrace (the like-for-like figure: the same
bytes decoded); W4_INPUT=both times it on the PNG and on the PBM (columns vecta and vecta.pbm);
the default, png, decodes the PNG. The EXE2... builds always decode the PNG (older builds may
not read PBM).
The vecta executables are copied into WORK_DIR/bin<i>/ first and the copies are timed: a
linker's output file ran 0.3-0.5 ms (about 15 %) more CPU per command than a copy of the same
bytes here (kernel 6.18, ext4), which made a fresh build look slower than an older copied one.
"""
import os, shutil, statistics, subprocess, sys, time
from PIL import Image

data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '../../shared/data/lineart')
work = sys.argv[3] if len(sys.argv) > 3 else '/tmp/w4_cmd_time'
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 11
cpu = os.environ.get('W4_CPU') == '1'
inputs = {'png': ['png'], 'pbm': ['pbm'], 'both': ['png', 'pbm']}[os.environ.get('W4_INPUT', 'png')]
exes = []
for i, e in enumerate([sys.argv[1]] + sys.argv[5:]):
    d = os.path.join(work, f'bin{i}')
    os.makedirs(d, exist_ok=True)
    exes.append(shutil.copy2(e, os.path.join(d, os.path.basename(e))))
os.makedirs(os.path.join(work, 'pbm'), exist_ok=True)
stems = sorted(n[:-4] for n in os.listdir(data) if n.endswith('.png'))
for s in stems:
    with Image.open(os.path.join(data, s + '.png')) as im:
        im.convert('L').point(lambda v: 255 if v >= 128 else 0).convert('1').save(os.path.join(work, 'pbm', s + '.pbm'))

def run(cmd):
    # Each command writes a new file (the output is removed first, untimed): replacing an existing
    # file costs both tools an ext4 writeback (auto_da_alloc), which would measure the file system.
    out = cmd[cmd.index('-o') + 1]
    if os.path.exists(out):
        os.remove(out)
    t0 = time.perf_counter()
    if cpu:
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise subprocess.CalledProcessError(child.returncode, cmd)
        return (ru.ru_utime + ru.ru_stime) * 1e3
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1e3

runs = [(i, fmt) for i in range(len(exes)) for fmt in (inputs if i == 0 else ['png'])]
names = [(f'vecta{i}' if i else 'vecta') + ('.pbm' if fmt == 'pbm' else '') for i, fmt in runs] + ['potrace']
best = {n: [] for n in names}
for s in stems:
    # `vecta vectorize ...`; an older standalone vectorize program takes the same arguments without the subcommand.
    src = {'png': os.path.join(data, s + '.png'), 'pbm': os.path.join(work, 'pbm', s + '.pbm')}
    cmds = [[e] + (['vectorize'] if os.path.basename(e) == 'vecta' else []) +
            [src[fmt], '-o', os.path.join(work, f'{s}.vecta{i}.{fmt}.svg'), '--mode', 'binary']
            for i, fmt in runs for e in [exes[i]]]
    cmds.append(['potrace', '-s', '-o', os.path.join(work, f'{s}.potrace.svg'), os.path.join(work, 'pbm', s + '.pbm')])
    b = [float('inf')] * len(cmds)
    for _ in range(reps):
        for i, c in enumerate(cmds):
            b[i] = min(b[i], run(c))
    for n, v in zip(names, b):
        best[n].append(v)
    print(s, ' '.join(f'{n} {v:.2f}' for n, v in zip(names, b)))
print('median', ' '.join(f'{n} {statistics.median(v):.2f}' for n, v in best.items()))
pm = statistics.median(best['potrace'])
print('ratio to potrace', ' '.join(f'{n} {statistics.median(v) / pm:.3f}' for n, v in best.items() if n != 'potrace'))
print('total', ' '.join(f'{n} {sum(v):.1f}' for n, v in best.items()))
print('load', os.getloadavg(), 'cpu time (user + sys)' if cpu else 'wall time')
