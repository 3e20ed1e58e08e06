#!/usr/bin/python3
"""tests/wrap/signature_forms.py -- the three signature forms of DESIGN §3.

A kernel file without a "# dfc:" comment is compiled once with --sig on the
command line and once with string annotations; a --sig naming a function
that the file lacks, and a malformed --sig, must be located errors (exit 1).
Each compiled kernel is called through its wrapper and compared with NumPy
running the same function. Usage: signature_forms.py DFC (from the
repository root); prints nothing and exits 0 on success.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

PLAIN = '''import numpy as np


def axpy(alpha, x, y):
    return alpha * x + y
'''

ANNOTATED = '''import numpy as np


def axpy(alpha: "float64", x: "float64[N]", y: "float64[N]"):
    return alpha * x + y
'''


def build(dfc, src, outdir, *extra):
    return subprocess.run([dfc, "build", src, "-o", outdir, *extra],
                          capture_output=True, text=True, timeout=120)


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check(dfc, tmp, text, extra):
    src = os.path.join(tmp, "axpy.py")
    with open(src, "w") as f:
        f.write(text)
    out = os.path.join(tmp, "out")
    r = build(dfc, src, out, *extra)
    if r.returncode != 0:
        sys.exit(f"build {extra} failed ({r.returncode}):\n{r.stderr}")
    ref = load(src, "axpy_ref")
    got = load(os.path.join(out, "axpy.py"), "axpy")
    x, y = np.random.default_rng(1).random((2, 17))
    want = ref.axpy(2.5, x, y)
    have = got.axpy(2.5, x, y)
    if have.dtype != want.dtype or not np.allclose(have, want, rtol=1e-14):
        sys.exit(f"{extra or 'annotations'}: wrong result {have} != {want}")


def expect_error(dfc, tmp, sig, needle):
    src = os.path.join(tmp, "axpy.py")
    with open(src, "w") as f:
        f.write(PLAIN)
    r = build(dfc, src, os.path.join(tmp, "bad"), "--sig", sig)
    if r.returncode != 1 or needle not in r.stderr:
        sys.exit(f"--sig {sig!r}: want exit 1 and {needle!r}, got {r.returncode}:\n{r.stderr}")


def main():
    dfc = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        check(dfc, tmp, PLAIN, ["--sig", "axpy(alpha: float64, x: float64[N], y: float64[N])"])
        check(dfc, tmp, ANNOTATED, [])
        expect_error(dfc, tmp, "scale(x: float64[N])", "--sig names 'scale'")
        expect_error(dfc, tmp, "axpy(alpha: float65, x: float64[N], y: float64[N])",
                     "--sig:1:13: error: unknown dtype 'float65'")


if __name__ == "__main__":
    main()
