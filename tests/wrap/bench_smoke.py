#!/usr/bin/python3
"""tests/wrap/bench_smoke.py -- the benchmark driver (bench/bench.py) works.

Runs the driver with --quick on a file of two small kernels (KERNELS,
written to a temporary directory) against the contenders dfc and "wrong"
(NumPy's result perturbed: the driver's self-test), with its cache and its
RESULTS.md in that directory. RESULTS.md must hold the machine limits, a
table row per kernel with NumPy's time and dfc's speedup as numbers, the
perturbed contender flagged WRONG (never timed) with its reason, and the
geometric means; results.json must say the same. Usage: bench_smoke.py DFC
(from the repository root); prints nothing and exits 0 on success.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

KERNELS = """\
import numpy as np

# dfc-test: sizes N=2000


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    y[:] = a * x + y


# dfc: norm2(x: float64[N])
def norm2(x):
    return np.sqrt(np.sum(x * x))
"""


def fail(msg, out=""):
    print("bench_smoke: " + msg)
    if out:
        print(out[-3000:])
    sys.exit(1)


def check_markdown(text):
    for what in ("STREAM triad", "OpenBLAS dgemm", "## Geometric means", "NumPy's BLAS"):
        if what not in text:
            fail("RESULTS.md lacks '%s'" % what, text)
    for kernel in ("axpy", "norm2"):
        row = next((l for l in text.splitlines() if l.startswith("| kernels.py:%s |" % kernel)), None)
        if row is None:
            fail("RESULTS.md has no row for %s" % kernel, text)
        cells = [c.strip() for c in row.strip("|").split("|")]
        if not re.fullmatch(r"\d+\.\d", cells[3]) or not re.fullmatch(r"[\d.e+-]+x", cells[4]):
            fail("row of %s: NumPy ms / dfc speedup are not numbers: %s" % (kernel, row))
        if cells[5] != "WRONG":
            fail("row of %s: the perturbed contender is not flagged WRONG: %s" % (kernel, row))
        if not re.search(r"kernels.py:%s, wrong \(self-test\) wrong: .*differ" % kernel, text):
            fail("RESULTS.md does not say why %s's perturbed result is wrong" % kernel, text)


def check_json(path):
    with open(path, encoding="utf-8") as f:
        recs = json.load(f)["records"]
    for r in recs:
        dfc, wrong = r["contenders"]["dfc"], r["contenders"]["wrong"]
        if dfc["status"] != "ok" or not dfc["ms"] > 0 or not r["numpy_ms"] > 0:
            fail("results.json: dfc not timed on %s: %r" % (r["kernel"], dfc))
        if wrong["status"] != "wrong" or "ms" in wrong:
            fail("results.json: the wrong contender was timed on %s: %r" % (r["kernel"], wrong))


def main():
    dfc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dfc")
    with tempfile.TemporaryDirectory(prefix="dfc-bench-") as tmp:
        src = os.path.join(tmp, "kernels.py")
        with open(src, "w", encoding="utf-8") as f:
            f.write(KERNELS)
        out = os.path.join(tmp, "RESULTS.md")
        cmd = [sys.executable, "bench/bench.py", "--quick", "--dfc", dfc, "--contenders",
               "dfc,wrong", "--out", out, "--cache", os.path.join(tmp, "cache"), src]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=100)
        if p.returncode != 0:
            fail("bench.py exited with %d" % p.returncode, p.stdout + p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("| " + os.path.relpath(src, os.getcwd()) + ":", "| kernels.py:")
        check_markdown(text)
        check_json(os.path.join(tmp, "results.json"))


if __name__ == "__main__":
    main()
