#!/usr/bin/python3
"""bench/handle_reuse.py -- the per-call time of a kernel with a large
temporary, allocated in every call or kept in a handle.

One library, two entries of the same -O3 code: `k(...)` makes a handle of
its own for the call (the temporary is allocated, first touched and freed
in every call: what every call did before handles), `k_with(h, ...)` reuses
the handle's buffer from one call to the next. Both are called through
ctypes on the same arrays, alternately, and the median and minimum per-call
times are printed, then those of the generated Python module (which uses
k_with with a handle per thread).

Usage: /usr/bin/python3 bench/handle_reuse.py [--dfc build/dfc] [--n 2048]
       [--repeat 30] [--threads T]   (T sets OMP_NUM_THREADS for the run)
"""
import argparse
import ctypes as ct
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

KERNEL = '''import numpy as np


# dfc: step(A: float64[N, M], B: float64[N, M])
def step(A, B):
    t = A * 0.5 + B
    return np.sqrt(t[::-1, :] * t + 1.0)
'''


def timed(f, repeat):
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return ts


def report(name, ts):
    print("%-28s median %8.3f ms   min %8.3f ms" %
          (name, 1e3 * statistics.median(ts), 1e3 * min(ts)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dfc", default="build/dfc")
    ap.add_argument("--n", type=int, default=2048, help="N = M (default 2048: 32 MiB "
                    "temporary)")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads:
        os.environ["OMP_NUM_THREADS"] = str(a.threads)
    with tempfile.TemporaryDirectory(prefix="dfc-bench-handle-") as d:
        src = os.path.join(d, "hb.py")
        with open(src, "w") as f:
            f.write(KERNEL)
        subprocess.run([a.dfc, "build", src, "-o", d], check=True)
        sys.path.insert(0, d)
        import hb  # noqa: E402 -- the module just built
        lib = ct.CDLL(os.path.join(d, "libhb.so"))
        lib.step.restype = None
        lib.step.argtypes = [ct.c_void_p] * 3 + [ct.c_int64] * 2
        lib.step_with.restype = None
        lib.step_with.argtypes = [ct.c_void_p] * 4 + [ct.c_int64] * 2
        lib.step_handle_create.restype = ct.c_void_p
        lib.step_handle_destroy.argtypes = [ct.c_void_p]
        n = a.n
        rng = np.random.default_rng(0)
        A, B = rng.random((n, n)), rng.random((n, n))
        out = np.empty((n, n))
        args = (A.ctypes.data, B.ctypes.data, out.ctypes.data, n, n)
        h = lib.step_handle_create()
        per_call, handle = [], []
        for _ in range(a.repeat):   # alternate, so both see the same machine state
            per_call += timed(lambda: lib.step(*args), 1)
            handle += timed(lambda: lib.step_with(h, *args), 1)
        lib.step_handle_destroy(h)
        if not np.allclose(out, hb.step(A, B)):
            raise SystemExit("the two entries disagree")
        print("step, N = M = %d (a %.0f MiB temporary), OMP_NUM_THREADS=%s, %d calls each" %
              (n, n * n * 8 / 2**20, os.environ.get("OMP_NUM_THREADS", "default"),
               a.repeat))
        report("step (allocates per call)", per_call)
        report("step_with (handle)", handle)
        report("Python module (handle)", timed(lambda: hb.step(A, B), a.repeat))
        report("NumPy", timed(lambda: np.sqrt((A * 0.5 + B)[::-1, :] * (A * 0.5 + B) + 1.0),
                              max(3, a.repeat // 3)))


if __name__ == "__main__":
    main()
