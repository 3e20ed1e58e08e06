#!/usr/bin/python3
"""tests/wrap/fork_threshold.py -- the work that a parallel map's fork
clause counts (codegen/openmp/state.c, scope_work; docs/transformations.md,
"After the pipeline: the emitter's part") and the one of the tiled matrix
product (codegen/openmp/matmul.c), which the differential tests cannot see
(a map gives the same values on one thread or two).

1. A triangular nest (the row i of a map reads 0 : i + 1, i : N, 0 : i or
   i + 1 : N) counts its inner range at the middle of i: N * (N // 2 + 1)
   for the first, within N of the exact N (N + 1) / 2 (N (N - 1) / 2 for
   the strict ones), and more than 0 whenever the nest runs an iteration
   (the strict ones at N = 2), where it used to have no clause and forked
   however small. The clause is evaluated in Python for several N.
2. Sibling maps in one map add up: M N + N N for rows of M and of N
   elements, not M N N as a product would count.
3. A syrk's tiled product (A @ A.T) counts half its multiply-adds, since
   it computes one triangle; a full product counts all of them.
4. The kernels compute what NumPy does (at N = 0, 1 and 37).
Usage: fork_threshold.py DFC (run from the repository root); prints nothing
and exits 0 on success.
"""
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = '''\
# dfc: tri(A: float64[N, N], B: float64[N, N])
def tri(A, B):
    for i in range(A.shape[0]):
        B[i, :i + 1] = A[i, :i + 1] * 2.0


# dfc: upper(A: float64[N, N], B: float64[N, N])
def upper(A, B):
    for i in range(A.shape[0]):
        B[i, i:] = A[i, i:] - A[i, i]


# dfc: lower_strict(A: float64[N, N], B: float64[N, N])
def lower_strict(A, B):
    for i in range(A.shape[0]):
        B[i, :i] = A[i, :i] + 1.0


# dfc: upper_strict(A: float64[N, N], B: float64[N, N])
def upper_strict(A, B):
    for i in range(A.shape[0]):
        B[i, i + 1:] = A[i, i + 1:] + 1.0


# dfc: sib(A: float64[N, M], x: float64[N], B: float64[N, M], C: float64[N, N])
def sib(A, x, B, C):
    for i in range(A.shape[0]):
        B[i, :] = A[i, :] * 2.0
        C[i, :] = x * A[i, 0]


# dfc: aat(A: float64[N, K])
def aat(A):
    return A @ A.T


# dfc: ab(A: float64[N, K], B: float64[K, M])
def ab(A, B):
    return A @ B
'''

ENV = {"dfc_floordiv": lambda a, b: a // b, "dfc_max": max, "dfc_min": min}


def clause(body, name, pattern):
    """The work expression of the first clause of body matching pattern,
    or None (a failure recorded)."""
    m = re.search(pattern, body or "")
    if not m:
        kit.fail(f"{name}_with: no /{pattern}/ in:\n{body}")
        return None
    return m.group(1)


def work(expr, **sizes):
    return eval(expr, dict(ENV), sizes)  # noqa: S307 (the emitted C's arithmetic)


def check_maps(c):
    par = r"#pragma omp parallel for schedule\(static\) if\(parallel: (.*) > DFCRT_PAR_MIN_WORK\)"
    for name, exact in (("tri", lambda n: n * (n + 1) // 2), ("upper", lambda n: n * (n + 1) // 2),
                        ("lower_strict", lambda n: n * (n - 1) // 2),
                        ("upper_strict", lambda n: n * (n - 1) // 2)):
        e = clause(kit.function(c, name), name, par)
        if e is None:
            continue
        for n in (0, 1, 2, 3, 10, 104, 1001):
            w = work(e, N=n)
            if abs(w - exact(n)) > n or (exact(n) > 0) != (w > 0):
                kit.fail(f"{name}: the clause counts {w} at N={n} ({e}), the nest runs {exact(n)}")
    e = clause(kit.function(c, "sib"), "sib", par)
    if e is not None:
        for n, m in ((0, 5), (3, 7), (100, 50)):
            if work(e, N=n, M=m) != m * n + n * n:
                kit.fail(f"sib: the clause counts {work(e, N=n, M=m)} at N={n}, M={m} ({e}), "
                         f"expected M N + N N = {m * n + n * n}")


def check_products(c):
    gemm = r"&dfch->buf\[\d+\], ([^\n]*?) > DFCRT_GEMM_PAR_MIN_WORK \?"
    for name, sizes, want in (("aat", {"N": 104, "K": 88}, 104 * 104 * 88 // 2),
                              ("ab", {"N": 30, "K": 20, "M": 10}, 30 * 20 * 10)):
        e = clause(kit.function(c, name), name, gemm)
        if e is not None and work(e, **sizes) != want:
            kit.fail(f"{name}: the tiled product's fork counts {work(e, **sizes)} multiply-adds "
                     f"at {sizes} ({e}), expected {want}")


def check_values(mod):
    rng = np.random.default_rng(3)
    for n in (0, 1, 37):
        A = rng.random((n, n))
        B = rng.random((n, n))
        want = B.copy()
        for i in range(n):
            want[i, :i + 1] = A[i, :i + 1] * 2.0
        mod.tri(A, B)
        if not np.array_equal(B, want):
            kit.fail(f"tri differs from NumPy at N={n}")
        B = rng.random((n, n))
        want = B.copy()
        for i in range(n):
            want[i, i:] = A[i, i:] - A[i, i]
        mod.upper(A, B)
        if not np.array_equal(B, want):
            kit.fail(f"upper differs from NumPy at N={n}")
        for name, rows in (("lower_strict", lambda i: slice(0, i)),
                           ("upper_strict", lambda i: slice(i + 1, n))):
            B = rng.random((n, n))
            want = B.copy()
            for i in range(n):
                want[i, rows(i)] = A[i, rows(i)] + 1.0
            getattr(mod, name)(A, B)
            if not np.array_equal(B, want):
                kit.fail(f"{name} differs from NumPy at N={n}")
        X = rng.random((n, 5))
        if not np.allclose(mod.aat(X), X @ X.T, rtol=1e-12, atol=1e-12):
            kit.fail(f"aat differs from NumPy at N={n}")


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "forks.py")
        with open(src, "w") as f:
            f.write(SRC)
        c = kit.emit_c(dfc, src, os.path.join(tmp, "c"))
        check_maps(c)
        check_products(c)
        out = os.path.join(tmp, "so")
        kit.build(dfc, src, out)
        check_values(kit.load(out, "forks"))
    sys.exit(kit.report(""))


if __name__ == "__main__":
    main()
