#!/usr/bin/python3
"""tests/wrap/return_runtime.py -- results whose size is computed at run time.

A kernel that returns x[x > t] (or an array sized by an integer read from
its data) allocates that result itself and hands it back through
`T **name, int64_t *name_shape` (docs/cli.md). This script checks:
  - k.h declares those out-parameters and dfcrt_free, and the -O3 C never
    keeps the returned buffer in the handle (a fresh block every call);
  - the Python module returns arrays that own their memory, of the right
    dtype and shape, empty ones included, equal to NumPy's;
  - a small C program calling k and k_with (other sizes each call, an
    empty result, a 2-D result) gets the pointer and extents, frees them
    with dfcrt_free, and leaks nothing under valgrind (when installed;
    ASan's leak check otherwise);
  - the --emit exe harness writes the result as .npy (--repeat 3), with no
    leak under valgrind.
Usage: return_runtime.py DFC (from the repository root); prints nothing and
exits 0 on success.
"""
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from kit import asan_flags, build, cc, fail, report, run_leak_checked  # noqa: E402

KERNELS = '''import numpy as np


# dfc: sel(x: float64[N], t: float64)
def sel(x, t):
    return x[x > t]


# dfc: rows(A: float64[N, M], w: int64[N])
def rows(A, w):
    return A[w > 3], np.sum(A)


# dfc: count(x: float64[N])
def count(x):
    n = int(x[0])
    return np.arange(n)
'''

C_MAIN = r'''#include <stdio.h>
#include <stdlib.h>

#include "rk.h"

static int fails;

static void
check_sel(sel_handle *h, int64_t n, double t)
{
	double *x = malloc(sizeof(double) * (size_t)(n + 1));
	for (int64_t i = 0; i < n; i++)
		x[i] = (double)((i * 7) % 11);
	double *r = NULL;
	int64_t shape[1] = { -1 };
	if (h)
		sel_with(h, x, t, &r, shape, n);
	else
		sel(x, t, &r, shape, n);
	int64_t k = 0;
	for (int64_t i = 0; i < n; i++)
		if (x[i] > t) {
			if (k >= shape[0] || r[k] != x[i])
				fails++;
			k++;
		}
	if (k != shape[0] || r == NULL) {
		printf("sel n=%lld t=%g: %lld elements, expected %lld\n", (long long)n, t,
		       (long long)shape[0], (long long)k);
		fails++;
	}
	dfcrt_free(r);
	free(x);
}

static void
check_rows(void)
{
	double A[4 * 3];
	int64_t w[4] = { 5, 1, 9, 4 };
	for (int i = 0; i < 12; i++)
		A[i] = i;
	double *r = NULL, sum = 0;
	int64_t shape[2] = { -1, -1 };
	rows(A, w, &r, shape, &sum, 4, 3);
	if (shape[0] != 3 || shape[1] != 3 || r[0] != 0 || r[3] != 6 || r[8] != 11 || sum != 66) {
		printf("rows: shape (%lld, %lld)\n", (long long)shape[0], (long long)shape[1]);
		fails++;
	}
	dfcrt_free(r);
}

int
main(void)
{
	sel_handle *h = sel_handle_create();
	check_sel(h, 40, 3.0);
	check_sel(h, 100, 5.0);
	check_sel(h, 10, 50.0);     /* empty */
	check_sel(h, 0, 0.0);       /* empty input */
	check_sel(NULL, 25, 1.0);
	sel_handle_destroy(h);
	check_rows();
	double x[2] = { 4.0, 1.0 };
	int64_t *c = NULL, cs[1] = { -1 };
	count(x, &c, cs, 2);
	if (cs[0] != 4 || c[3] != 3)
		fails++;
	dfcrt_free(c);
	if (fails)
		printf("%d wrong results\n", fails);
	return fails != 0;
}
'''

def check_source(d):
    header = open(os.path.join(d, "o3", "rk.h")).read()
    for decl in ("void sel(double *restrict x, double t, double **ret, int64_t *ret_shape, "
                 "int64_t N);",
                 "void rows(double *restrict A, int64_t *restrict w, double **ret0, "
                 "int64_t *ret0_shape, double *restrict ret1, int64_t N, int64_t M);",
                 "void dfcrt_free(void *p);"):
        if decl not in header:
            fail("rk.h lacks " + decl)
    src = open(os.path.join(d, "o3", "rk.c")).read()
    body = src[src.index("\nsel_with("):]
    body = body[:body.index("\n}\n")]
    if not re.search(r"\bret = dfcrt_alloc\(", body) or "*dfcout_ret = ret;" not in body:
        fail("sel_with does not allocate its result afresh:\n" + body[:1500])
    if re.search(r"dfcrt_free\(ret\)", body):
        fail("sel_with frees its result")


def check_python(d):
    sys.path.insert(0, os.path.join(d, "o3"))
    try:
        mod = __import__("rk")
    finally:
        sys.path.pop(0)
    rng = np.random.default_rng(3)
    for n, t in ((30, 0.5), (1, 0.5), (0, 0.0), (12, 2.0)):
        x = rng.random(n)
        got, want = mod.sel(x, t), x[x > t]
        if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
            fail("sel(n=%d, t=%g) = %r, expected %r" % (n, t, got, want))
        if not got.flags.owndata or not got.flags.writeable:
            fail("sel's result does not own its memory")
    A, w = rng.random((9, 4)), rng.integers(0, 9, 9)
    r, s = mod.rows(A, w)
    if r.shape != A[w > 3].shape or not np.array_equal(r, A[w > 3]) or not np.isclose(s, A.sum()):
        fail("rows differs from NumPy")
    c = mod.count(np.array([-3.0]))
    if c.dtype != np.int64 or c.shape != (0,):
        fail("count of a negative size: %r" % c)


def check_c_api(dfc, d, root):
    out = os.path.join(d, "serial")
    build(dfc, os.path.join(d, "rk.py"), out, "--target", "serial", "--emit", "c")
    with open(os.path.join(out, "main.c"), "w") as f:
        f.write(C_MAIN)
    if cc(asan_flags() + ["rk.c", "main.c"], out, root, "main"):
        run_leak_checked(["./main"], out, "definite,possible")


def check_exe(dfc, d, root):
    out = os.path.join(d, "exe")
    build(dfc, os.path.join(d, "rk.py"), out, "--target", "serial", "--emit", "exe")
    if not cc(asan_flags() + ["rk.c", "rk_main.c"], out, root, "rk"):
        return
    x = np.random.default_rng(5).random(50)
    np.save(os.path.join(out, "x.npy"), x)
    for t, res in (("0.3", "res"), ("7", "empty")):
        run_leak_checked(["./rk", "--func", "sel", "--repeat", "3", "-o", res, "x.npy", t], out,
                         "definite,possible")
        path = os.path.join(out, res, "ret.npy")
        got = np.load(path) if os.path.exists(path) else None
        want = x[x > float(t)]
        if got is None or got.shape != want.shape or not np.array_equal(got, want):
            fail("the harness wrote %r for t=%s, expected %r" % (got, t, want))


def main():
    dfc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dfc")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "rk.py")
        with open(src, "w") as f:
            f.write(KERNELS)
        build(dfc, src, os.path.join(d, "o3"), "-O3")
        check_source(d)
        check_python(d)
        check_c_api(dfc, d, root)
        check_exe(dfc, d, root)
    return report()


if __name__ == "__main__":
    sys.exit(main())
