#!/usr/bin/python3
"""tests/wrap/library_choice.py -- the -O3 library choice and its recipe
override (passes/library_expansion.c, docs/transformations.md).

At -O3 the products with a matrix operand call BLAS (cblas_dgemm for
A @ B, cblas_dgemv for A @ x and x @ B) while a dot stays a naive OpenMP
loop; `dfc match` proposes library-expansion at those three states only.
A recipe (which replaces the -O pipeline) overrides the rule both ways:
`impl: blas` on the dot's state calls cblas_ddot, and `impl: naive` after
`impl: blas` on the A @ x state drops its (NoTrans) cblas_dgemv. Every build computes NumPy's results, at a size
whose naive loops run on one thread (their `if` clause) and at one where
they fork. Usage: library_choice.py DFC (from the repository root); prints the
failures and exits 1 if any.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

KERNEL = """\
import numpy as np


# dfc: prods(A: float64[N, N], B: float64[N, N], x: float64[N])
def prods(A, B, x):
    C = A @ B
    y = A @ x
    z = x @ B
    d = x @ y
    return C, y, z, d, 2.0 * z
"""

# state_L6: C = A @ B, state_L7: y = A @ x, state_L8: z = x @ B, state_L9: d
RECIPE = """\
- apply: library-expansion
  at: state_L6
- apply: library-expansion
  at: state_L7
- apply: library-expansion
  at: state_L8
- apply: library-expansion
  at: state_L9
  impl: blas
- apply: library-expansion
  at: state_L7
  impl: naive
"""


NOTRANS_GEMV = "cblas_dgemv(CblasRowMajor, CblasNoTrans"   # A @ x
TRANS_GEMV = "cblas_dgemv(CblasRowMajor, CblasTrans"       # x @ B


def run(dfc, *args):
    return subprocess.run([dfc] + list(args), capture_output=True, text=True, timeout=300)


def impls(dfc, src, *flags):
    """{state: impl} of the library nodes of the optimized dump."""
    out = run(dfc, "dump", src, "--stage", "optimized", "--format", "text", *flags)
    if out.returncode != 0:
        raise SystemExit("dfc dump failed: " + out.stderr)
    got, state = {}, None
    for line in out.stdout.splitlines():
        words = line.split()
        if words[:1] == ["state"]:
            state = words[1].rstrip(":")
        elif "library matmul" in line:
            got[state] = words[-1].strip("()")
    return got


def check_results(mod, tag):
    rng = np.random.default_rng(7)
    for n in (3, 300):
        A, B, x = rng.random((n, n)), rng.random((n, n)), rng.random(n)
        got = mod.prods(A, B, x)
        want = (A @ B, A @ x, x @ B, x @ (A @ x), 2.0 * (x @ B))
        for g, w in zip(got, want):
            if not np.allclose(g, w, rtol=1e-12, atol=0):
                kit.fail("%s: N=%d differs from NumPy" % (tag, n))


def check_build(dfc, src, out, tag, present, absent, *flags):
    kit.build(dfc, src, out, *flags)
    c = open(os.path.join(out, "prods.c")).read()
    for name in present:
        if name not in c:
            kit.fail("%s: the C does not call %s" % (tag, name))
    for name in absent:
        if name in c:
            kit.fail("%s: the C calls %s" % (tag, name))
    if "if(parallel: " not in c:
        kit.fail("%s: no parallel map has an if clause" % tag)
    spec = importlib.util.spec_from_file_location("prods_" + tag.strip("-"),
                                                  os.path.join(out, "prods.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    check_results(mod, tag)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "prods.py")
        recipe = os.path.join(tmp, "override.yaml")
        with open(src, "w") as f:
            f.write(KERNEL)
        with open(recipe, "w") as f:
            f.write(RECIPE)
        want = {"state_L6": "blas", "state_L7": "blas", "state_L8": "blas", "state_L9": "naive"}
        got = impls(dfc, src)
        if got != want:
            kit.fail("-O3 impls %s, want %s" % (got, want))
        m = run(dfc, "match", src)
        sites = [l.split()[1] for l in m.stdout.splitlines() if l.startswith("library-expansion ")]
        if sites != ["state_L6", "state_L7", "state_L8"]:
            kit.fail("dfc match proposes library-expansion at %s, want state_L6, state_L7 "
                     "and state_L8" % sites)
        want = {"state_L6": "blas", "state_L7": "naive", "state_L8": "blas", "state_L9": "blas"}
        got = impls(dfc, src, "--script", recipe)
        if got != want:
            kit.fail("impls with the recipe %s, want %s" % (got, want))
        check_build(dfc, src, os.path.join(tmp, "rule"), "-O3",
                    ["cblas_dgemm(", NOTRANS_GEMV, TRANS_GEMV], ["cblas_ddot("])
        check_build(dfc, src, os.path.join(tmp, "override"), "recipe",
                    ["cblas_dgemm(", TRANS_GEMV, "cblas_ddot("], [NOTRANS_GEMV],
                    "--script", recipe)
    return kit.report()


if __name__ == "__main__":
    sys.exit(main())
