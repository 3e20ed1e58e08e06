#!/usr/bin/python3
"""bench/result_pool.py -- the per-call time of kernels that return large
arrays, with their results in the library's pool or allocated by np.empty.

Each kernel is built once and its generated module imported twice: as
generated (a result of 32 MiB or more comes from runtime/pool.c's pool, the
previous call's dropped result serving the next), and with the module's
_DFC_POOL_MIN raised past any size, so that every result is np.empty's
(the C library maps fresh pages for it and unmaps them when it is freed,
as the wrapper did before the pool). The two are called alternately on
fresh copies of the inputs (the copy not timed), as bench/ calls kernels,
each result dropped before the next call; medians are printed. The last
kernel's result is under 32 MiB, so both use np.empty: its two columns
show the noise of the measurement.

Usage: /usr/bin/python3 bench/result_pool.py [--dfc build/dfc]
       [--repeat 15] [--threads T]   (T sets OMP_NUM_THREADS for the run)
"""
import argparse
import copy
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (file, kernel, input shapes): sizes at which NumPy takes 10-200 ms here
CASES = [
    ("tests/corpus/stats.py", "zscore", [(3328, 2304)]),
    ("tests/corpus/image.py", "box_blur", [(3584, 3072)]),
    ("tests/corpus/image.py", "upsample2x", [(1792, 1536)]),
    ("samples/standardize.py", "standardize", [(8224, 1056)]),
    ("tests/corpus/image.py", "gaussian_blur", [(3584, 3072)]),
    ("tests/corpus/image.py", "rgb_to_gray", [(1792, 1536, 3)]),  # 22 MB: no pool
]


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def timed(fn, inputs):
    args = copy.deepcopy(inputs)
    t0 = time.perf_counter()
    res = fn(*args)
    t = time.perf_counter() - t0
    del res, args
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dfc", default="build/dfc")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads:
        os.environ["OMP_NUM_THREADS"] = str(a.threads)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        for src, kernel, shapes in CASES:
            stem = os.path.splitext(os.path.basename(src))[0]
            out = os.path.join(tmp, stem)
            if not os.path.isdir(out):
                subprocess.run([a.dfc, "build", os.path.join(ROOT, src), "-o", out],
                               check=True)
            mod = os.path.join(out, stem + ".py")
            pooled = getattr(load(mod, stem + "_pool"), kernel)
            plain_mod = load(mod, stem + "_plain")
            plain_mod._DFC_POOL_MIN = 1 << 62
            plain = getattr(plain_mod, kernel)
            inputs = [rng.random(s) for s in shapes]
            tp, te = [], []
            for i in range(a.repeat):  # each goes first in every other pair
                order = [(pooled, tp), (plain, te)]
                for fn, ts in order[::1 if i % 2 else -1]:
                    ts.append(timed(fn, inputs))
            print("%-36s pool %8.2f ms   np.empty %8.2f ms" %
                  ("%s:%s" % (src, kernel), 1e3 * statistics.median(tp),
                   1e3 * statistics.median(te)))


if __name__ == "__main__":
    sys.exit(main())
