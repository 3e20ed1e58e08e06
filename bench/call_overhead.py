#!/usr/bin/python3
"""bench/call_overhead.py -- what a call of a generated Python module costs
beyond the kernel's work (docs/cli.md, "Using the result from Python").

Builds tests/corpus/linalg.py and times, back to back (timeit, best of 7
repeats of N calls), at the smallest sizes:
  - whole calls of syr2k (three arrays, two scalars, two overlap checks),
    atax (two arrays and a returned one) and gemm, at N = 1;
  - the bare ctypes call of syr2k's C function with N = M = 0 (the
    library's own entry and exit), with the addresses computed once;
  - the pieces of the wrapper's checks: an array's address through
    a.ctypes.data and through the wrapper's _dfc_addr (ctypes's view of
    the buffer), and an overlap test by numpy.may_share_memory and by the
    wrapper's _dfc_overlap (address ranges).

Usage: /usr/bin/python3 bench/call_overhead.py [--dfc build/dfc]
       [--number 20000] [--threads T]   (T sets OMP_NUM_THREADS for the run)
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import timeit

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "tests", "corpus", "linalg.py")


def load(out, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(out, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def best_us(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dfc", default=os.path.join(ROOT, "build", "dfc"))
    ap.add_argument("--number", type=int, default=20000)
    ap.add_argument("--threads", type=int)
    args = ap.parse_args()
    if args.threads is not None and os.environ.get("OMP_NUM_THREADS") != str(args.threads):
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
        sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([args.dfc, "build", SRC, "-o", tmp], check=True, capture_output=True)
        m = load(tmp, "linalg")
        one = np.ones((1, 1))
        C, A, B = one.copy(), one.copy(), one.copy()
        x = np.ones(1)
        h = m._dfc_handle("h_syr2k", m._lib.syr2k_handle_create, m._lib.syr2k_handle_destroy)
        pc, pa, pb = C.ctypes.data, A.ctypes.data, B.ctypes.data
        f = m._lib.syr2k_with
        rows = [
            ("syr2k(1.0, 1.0, C, A, B), N = M = 1", lambda: m.syr2k(1.0, 1.0, C, A, B)),
            ("atax(A, x), M = N = 1", lambda: m.atax(A, x)),
            ("gemm(1.0, 1.0, C, A, B), N = M = K = 1", lambda: m.gemm(1.0, 1.0, C, A, B)),
            ("syr2k_with(...) through ctypes alone, N = M = 0",
             lambda: f(h, 1.0, 1.0, pc, pa, pb, 0, 0)),
            ("a.ctypes.data", lambda: C.ctypes.data),
            ("_dfc_addr(a)", lambda: m._dfc_addr(C)),
            ("numpy.may_share_memory(a, b)", lambda: np.may_share_memory(C, A)),
            ("_dfc_overlap(a, b)", lambda: m._dfc_overlap("f", "a", pc, C, "b", pa, A)),
        ]
        print("per call, best of 7 repeats of %d calls, OMP_NUM_THREADS=%s"
              % (args.number, os.environ.get("OMP_NUM_THREADS", "(unset)")))
        for what, fn in rows:
            print("  %-50s %7.2f us" % (what, best_us(fn, args.number)))


if __name__ == "__main__":
    main()
