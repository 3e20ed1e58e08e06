#!/usr/bin/python3
"""tests/wrap/boundscheck.py -- `dfc build --boundscheck`.

Kernels with data-dependent indices (a gather, a scatter, a histogram, an
index read from an array inside a loop) are built with --boundscheck, as a
module and as an executable. In-bounds calls (negative indices too) must
give NumPy's results; a call with an index out of bounds must raise
IndexError naming the kernel, the index, the axis, the size and the source
line, as NumPy raises IndexError, and the executable must exit 1 with the
same message and write no output. Usage: boundscheck.py DFC (from the
repository root); prints nothing and exits 0 on success.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

KERNEL = """\
import numpy as np


# dfc: gather(x: float64[M], idx: int64[N])
def gather(x, idx):
    return x[idx] * 2.0


# dfc: scatter(x: float64[M], idx: int32[N], v: float64[N])
def scatter(x, idx, v):
    x[idx] = v


# dfc: hist(idx: int64[N], w: float64[N], h: float64[M])
def hist(idx, w, h):
    for i in range(idx.shape[0]):
        h[idx[i]] += w[i]


# dfc: rows(A: float64[M, K], idx: int64[N])
def rows(A, idx):
    return A[idx, 1:].sum(axis=1)
"""

FAILURES = []


def expect(cond, msg):
    if not cond:
        FAILURES.append(msg)


def raises(f, text):
    try:
        f()
    except IndexError as e:
        expect(str(e) == text, "IndexError %r, expected %r" % (str(e), text))
        return
    FAILURES.append("no IndexError, expected %r" % text)


def load(d):
    spec = importlib.util.spec_from_file_location("bc", os.path.join(d, "out", "bc.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def check_module(m):
    x = np.arange(5.0)
    idx = np.array([4, 0, -1, -5])
    expect(np.array_equal(m.gather(x, idx), x[idx] * 2.0), "gather in bounds")
    raises(lambda: m.gather(x, np.array([1, 5])),
           "gather(): index 5 is out of bounds for axis 0 with size 5 (bc.py:6:5)")
    raises(lambda: m.gather(x, np.array([-6, 0])),
           "gather(): index -6 is out of bounds for axis 0 with size 5 (bc.py:6:5)")
    y = x.copy()
    m.scatter(y, np.array([1, -1], dtype=np.int32), np.array([7.0, 8.0]))
    expect(np.array_equal(y, [0.0, 7.0, 2.0, 3.0, 8.0]), "scatter in bounds: %r" % y)
    raises(lambda: m.scatter(x.copy(), np.array([0, 9], dtype=np.int32), np.ones(2)),
           "scatter(): index 9 is out of bounds for axis 0 with size 5 (bc.py:11:5)")
    h = np.zeros(3)
    m.hist(np.array([0, 2, 2, -1]), np.ones(4), h)
    expect(np.array_equal(h, [1.0, 0.0, 3.0]), "hist in bounds: %r" % h)
    raises(lambda: m.hist(np.array([0, 3]), np.ones(2), np.zeros(3)),
           "hist(): index 3 is out of bounds for axis 0 with size 3 (bc.py:17:9)")
    A = np.arange(12.0).reshape(4, 3)
    expect(np.allclose(m.rows(A, np.array([3, 0])), A[[3, 0], 1:].sum(axis=1)), "rows")
    raises(lambda: m.rows(A, np.array([4])),
           "rows(): index 4 is out of bounds for axis 0 with size 4 (bc.py:22:12)")
    # A failure is reported once: the next good call is clean.
    expect(np.array_equal(m.gather(x, np.array([1])), [2.0]), "gather after an error")


def check_exe(d):
    np.save(os.path.join(d, "x.npy"), np.arange(5.0))
    np.save(os.path.join(d, "bad.npy"), np.array([1, 7]))
    np.save(os.path.join(d, "good.npy"), np.array([1, -2]))
    exe = os.path.join(d, "out", "bc")
    r = subprocess.run([exe, "--func", "gather", "x.npy", "bad.npy", "-o", "res"], cwd=d,
                       capture_output=True, text=True, timeout=60)
    expect(r.returncode == 1, "exe with a bad index: exit %d" % r.returncode)
    expect("gather(): IndexError: index 7 is out of bounds for axis 0 with size 5 (bc.py:6:5)"
           in r.stderr, "exe message: %r" % r.stderr)
    expect(not os.path.exists(os.path.join(d, "res", "ret.npy")), "exe wrote its output")
    r = subprocess.run([exe, "--func", "gather", "x.npy", "good.npy", "-o", "res"], cwd=d,
                       capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0, "exe in bounds: exit %d: %s" % (r.returncode, r.stderr))
    if r.returncode == 0:
        got = np.load(os.path.join(d, "res", "ret.npy"))
        expect(np.array_equal(got, [2.0, 6.0]), "exe result %r" % got)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "bc.py"), "w") as f:
            f.write(KERNEL)
        r = subprocess.run([dfc, "build", "bc.py", "-o", "out", "--boundscheck", "--emit", "exe"],
                           cwd=d, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            print("dfc build --boundscheck failed: %s" % r.stderr)
            sys.exit(1)
        check_module(load(d))
        check_exe(d)
    if FAILURES:
        print("\n".join(FAILURES))
        sys.exit(1)


if __name__ == "__main__":
    main()
