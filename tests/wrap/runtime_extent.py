#!/usr/bin/python3
"""tests/wrap/runtime_extent.py -- extents dfc cannot prove equal, checked
when the kernel is called.

A slice assignment whose extents are computed from integer parameters and
a matrix product whose inner extents are a computed one and a size symbol
(a flattened feature count against the rows of a weight matrix) compile;
calls where the extents agree give NumPy's results, calls where they
differ raise ValueError (as NumPy does) naming the source line, without
calling the library. Usage: runtime_extent.py DFC (from the repository
root); prints nothing and exits 0 on success.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

KERNEL = """\
import numpy as np


# dfc: copy_range(x: float64[N], y: float64[M], a: int64, b: int64, c: int64)
def copy_range(x, y, a, b, c):
    x[a:b] = y[c:]
    return x


# dfc: flat_dense(x: float64[N, H, W], w: float64[D, T])
def flat_dense(x, w):
    return x.reshape(x.shape[0], -1) @ w
"""

FAILURES = []


def expect(cond, msg):
    if not cond:
        FAILURES.append(msg)


def value_error(f, text):
    try:
        f()
    except ValueError as e:
        expect(text in str(e), "ValueError %r, expected it to name %r" % (str(e), text))
        return
    FAILURES.append("no ValueError, expected one naming %r" % text)


def main():
    dfc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dfc")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "rx.py"), "w") as f:
            f.write(KERNEL)
        r = subprocess.run([dfc, "build", "rx.py", "-o", "out"], cwd=d,
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("dfc build failed: %s" % r.stderr)
            return 1
        spec = importlib.util.spec_from_file_location("rx", os.path.join(d, "out", "rx.py"))
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        rng = np.random.default_rng(3)
        x, y = rng.random(8), rng.random(6)
        want = x.copy()
        want[2:5] = y[3:]
        got = m.copy_range(x.copy(), y, a=2, b=5, c=3)
        expect(np.allclose(got, want), "copy_range: %r != %r" % (got, want))
        want = x.copy()
        want[2:7] = y[5:]                 # a value of extent 1 broadcasts
        got = m.copy_range(x.copy(), y, a=2, b=7, c=5)
        expect(np.allclose(got, want), "copy_range broadcast: %r != %r" % (got, want))
        value_error(lambda: m.copy_range(x.copy(), y, a=2, b=5, c=2), "rx.py:6:5")
        xs, w = rng.random((2, 3, 4)), rng.random((12, 5))
        expect(np.allclose(m.flat_dense(xs, w), xs.reshape(2, -1) @ w), "flat_dense")
        value_error(lambda: m.flat_dense(xs, rng.random((10, 5))), "rx.py:12:12")
    for f in FAILURES:
        print(f)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
