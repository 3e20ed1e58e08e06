#!/usr/bin/python3
"""tests/wrap/assume_jacobi2d.py -- preconditions of a kernel, end to end.

samples/jacobi2d.py updates grid[1:-1, 1:-1], so dfc compiles it for the
preconditions N - 2 >= 0 and M - 2 >= 0 (the slices' shapes are computed
without clamping). The sample is built with `DFC build --emit exe` into a
temporary directory; the Python module must refuse a 1x1 grid with a
ValueError and the executable with exit status 1, both naming the
precondition, the slice's location and the value, and both must accept the
smallest grid that meets them. Usage: assume_jacobi2d.py DFC (run from the
repository root); prints nothing and exits 0 on success.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

SAMPLE = "samples/jacobi2d.py"


def build(dfc, outdir):
    r = subprocess.run([dfc, "build", SAMPLE, "-o", outdir, "--emit", "exe"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"dfc build {SAMPLE} failed ({r.returncode}):\n{r.stderr}")


def load(outdir):
    spec = importlib.util.spec_from_file_location("jacobi2d", os.path.join(outdir, "jacobi2d.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def expect_refused(mod, shape, needle):
    grid = np.full(shape, 7.0)
    try:
        mod.jacobi2d(grid, 10, 1, 1e-3)
    except ValueError as e:
        assert needle in str(e), (needle, str(e))
        assert str(e).startswith("jacobi2d(): this kernel was compiled for "), str(e)
    else:
        raise AssertionError(f"jacobi2d() accepted a grid of shape {shape}")
    assert np.all(grid == 7.0), "a refused call changed its argument"


def check_python(outdir):
    mod = load(outdir)
    expect_refused(mod, (1, 1), f"N - 2 >= 0 (needed by {SAMPLE}:")
    expect_refused(mod, (1, 1), "), but N=1")
    expect_refused(mod, (0, 5), "but N=0")
    expect_refused(mod, (5, 1), "M - 2 >= 0")
    grid = np.ones((2, 2))
    assert mod.jacobi2d(grid, 10, 1, 1e-3) == 1 and np.all(grid == 1.0)


def check_exe(outdir):
    path = os.path.join(outdir, "g.npy")
    np.save(path, np.zeros((1, 1)))
    out = os.path.join(outdir, "out")
    r = subprocess.run([os.path.join(outdir, "jacobi2d"), path, "10", "1", "1e-3", "-o", out],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, (r.returncode, r.stderr)
    want = f"jacobi2d(): this kernel was compiled for N - 2 >= 0 (needed by {SAMPLE}:"
    assert want in r.stderr and "), but N=1\n" in r.stderr, r.stderr
    assert not os.path.exists(out), "a refused run wrote outputs"
    np.save(path, np.ones((2, 3)))
    r = subprocess.run([os.path.join(outdir, "jacobi2d"), path, "10", "1", "1e-3", "-o", out],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert np.all(np.load(os.path.join(out, "grid.npy")) == 1.0)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: assume_jacobi2d.py DFC")
    with tempfile.TemporaryDirectory(prefix="dfc-assume.") as outdir:
        build(os.path.abspath(sys.argv[1]), outdir)
        check_python(outdir)
        check_exe(outdir)


if __name__ == "__main__":
    main()
