#!/usr/bin/python3
"""tests/wrap/handle_reuse.py -- transients kept in a handle across calls.

At -O3 the heap transients of a kernel get lifetime "handle": the
generated k_with(handle, ...) reserves their buffers in the handle, grown
when a call needs more, and the Python module keeps one handle per thread.
This script builds kernels with temporaries (plain, np.zeros partly
overwritten, an early return, a temporary inside a loop) and checks:
  - the generated C reserves handle buffers at -O3 and allocates per call
    at -O0 (and then keeps no buffer);
  - the compiled module matches NumPy over repeated calls whose sizes grow
    and shrink (a reused, larger, dirty buffer must not change a result);
  - two threads calling the same kernels concurrently, with different
    sizes, get NumPy's results;
  - the C API used from a small C program (create, k_with twice with
    other sizes, k, destroy): correct results, no leak, and under valgrind
    (when installed) as many allocations for 12 calls as for 2;
  - the --emit exe harness allocates nothing per run: `--repeat 6` makes
    as many allocations as `--repeat 2`;
  - a kernel named like another's handle API is a located error, and a
    parameter named like the functions the generated code calls is renamed.
Usage: handle_reuse.py DFC (from the repository root); prints nothing and
exits 0 on success.
"""
import gc
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import threading

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
from kit import (asan_flags, build, cc, fail, have_valgrind, report,  # noqa: E402
                 run_leak_checked)

KERNELS = '''import numpy as np


# dfc: tmps(A: float64[N, M], B: float64[N, M])
def tmps(A, B):
    t = np.tanh(A) * 2.0 + np.tanh(B)
    u = np.sin(t) * A
    return u + t[::-1, :]


# dfc: zero_part(x: float64[N])
def zero_part(x):
    z = np.zeros((x.shape[0] + 1,))
    z[1:] = x * 2.0
    return z[:-1] + x


# dfc: early(x: float64[N], flag: bool)
def early(x, flag):
    t = x * 3.0
    if flag:
        return t + 1.0
    w = t * t
    return w - x


# dfc: prefix(x: float64[N])
def prefix(x):
    s = np.empty(x.shape)
    for i in range(x.shape[0]):
        t = x[:i + 1] * 2.0
        s[i] = np.sum(t) * np.max(t) + t[i // 2]
    return s
'''

C_MAIN = r'''#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "hk.h"

static int fails;

/* ret of tmps against its definition, element by element. */
static void
check_tmps(const double *A, const double *B, const double *r, int64_t n, int64_t m)
{
	for (int64_t i = 0; i < n; i++)
		for (int64_t j = 0; j < m; j++) {
			double t = tanh(A[i * m + j]) * 2.0 + tanh(B[i * m + j]);
			double tr = tanh(A[(n - 1 - i) * m + j]) * 2.0 + tanh(B[(n - 1 - i) * m + j]);
			double want = sin(t) * A[i * m + j] + tr;
			if (fabs(r[i * m + j] - want) > 1e-12 * (1 + fabs(want))) {
				fails++;
				return;
			}
		}
}

static void
run(tmps_handle *h, int64_t n, int64_t m)
{
	double *A = malloc(sizeof(double) * (size_t)(n * m + 1));
	double *B = malloc(sizeof(double) * (size_t)(n * m + 1));
	double *r = malloc(sizeof(double) * (size_t)(n * m + 1));
	for (int64_t i = 0; i < n * m; i++) {
		A[i] = 0.5 + (double)(i % 7) / 7.0;
		B[i] = 1.0 - (double)(i % 5) / 9.0;
	}
	if (h)
		tmps_with(h, A, B, r, n, m);
	else
		tmps(A, B, r, n, m);
	check_tmps(A, B, r, n, m);
	free(A);
	free(B);
	free(r);
}

int
main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 2;
	tmps_handle *h = tmps_handle_create();
	run(h, 40, 30);
	for (int i = 1; i < calls; i++)
		run(h, 20 + 10 * (i % 2), 30);
	run(NULL, 7, 5);
	tmps_handle_destroy(h);
	tmps_handle_destroy(NULL);
	if (fails)
		printf("%d wrong results\n", fails);
	return fails != 0;
}
'''

def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_source(d):
    """The -O3 C reserves handle buffers; the -O0 C allocates per call."""
    o3 = open(os.path.join(d, "o3", "hk.c")).read()
    o0 = open(os.path.join(d, "o0", "hk.c")).read()
    body = o3[o3.index("\ntmps_with("):]
    body = body[:body.index("\n}\n")]
    if "dfcrt_buf_reserve(&dfch->buf[0], " not in body or "dfcrt_free(t)" in body:
        fail("-O3: tmps_with does not keep 't' in its handle:\n" + body[:600])
    if "dfcrt_buf_reserve" in o0 or "/* unused: no transient is kept */" not in o0:
        fail("-O0: a transient is kept in a handle")
    yaml = open(os.path.join(d, "o3", "hk.yaml")).read()
    if "lifetime: handle" not in yaml:
        fail("-O3: the dump has no 'lifetime: handle'")
    header = open(os.path.join(d, "o3", "hk.h")).read()
    for decl in ("typedef struct tmps_handle tmps_handle;",
                 "tmps_handle *tmps_handle_create(void);",
                 "void tmps_handle_destroy(tmps_handle *handle);",
                 "void tmps_with(tmps_handle *handle, double *restrict A, "):
        if decl not in header:
            fail("hk.h lacks " + decl)


def cases(rng, sizes):
    """(kernel name, args) for each size in turn."""
    out = []
    for n in sizes:
        m = max(1, (n * 7) % 23)
        out.append(("tmps", (rng.random((n, m)), rng.random((n, m)))))
        out.append(("zero_part", (rng.random(n),)))
        out.append(("early", (rng.random(n), bool(n % 2))))
        out.append(("prefix", (rng.random(n),)))
    return out


def compare(ref, mod, todo, tag):
    for name, args in todo:
        want = getattr(ref, name)(*[a.copy() if isinstance(a, np.ndarray) else a
                                    for a in args])
        got = getattr(mod, name)(*args)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-10, atol=1e-12):
            fail("%s: %s with sizes %s differs from NumPy" %
                 (tag, name, [getattr(a, "shape", a) for a in args]))
            return


def check_python(d, ref):
    sys.path.insert(0, os.path.join(d, "o3"))
    try:
        mod = __import__("hk")
    finally:
        sys.path.pop(0)
    rng = np.random.default_rng(4)
    # grow, shrink, grow past the first size, empty, and again
    sizes = [5, 60, 3, 1, 120, 0, 17, 120, 2]
    compare(ref, mod, cases(rng, sizes) * 2, "repeated calls")
    errors = []

    def worker(seed):
        try:
            r = np.random.default_rng(seed)
            sz = [int(v) for v in r.integers(1, 90, 40)]
            compare(ref, mod, cases(r, sz), "thread %d" % seed)
        except Exception as e:  # noqa: BLE001 -- reported as a failure
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(s,)) for s in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in errors:
        fail("thread: " + e)
    check_thread_end(mod)


def check_thread_end(mod):
    """A thread's handle is destroyed when the thread ends."""
    destroy, count = mod._lib.zero_part_handle_destroy, []

    def counting(h):
        count.append(h)
        destroy(h)

    mod._lib.zero_part_handle_destroy = counting
    try:
        x = np.arange(4.0)
        t = threading.Thread(target=lambda: [mod.zero_part(x) for _ in range(3)])
        t.start()
        t.join()
        del t
        gc.collect()
    finally:
        mod._lib.zero_part_handle_destroy = destroy
    if len(count) != 1:
        fail("a thread that ended destroyed %d handles of zero_part, not 1" % len(count))


def heap_allocs(cmd, cwd):
    """The allocations valgrind counts for cmd; fails the test on a leak."""
    r = run_leak_checked(cmd, cwd)
    m = r and re.search(r"total heap usage: ([\d,]+) allocs", r.stderr)
    return int(m.group(1).replace(",", "")) if m else None


def check_c_api(dfc, d, root):
    """The C API from C, built serial so that no OpenMP runtime allocates."""
    out = os.path.join(d, "serial")
    build(dfc, os.path.join(d, "hk.py"), out, "--target", "serial", "--emit", "c")
    with open(os.path.join(out, "main.c"), "w") as f:
        f.write(C_MAIN)
    if not cc(asan_flags() + ["hk.c", "main.c"], out, root, "main"):
        return
    if not have_valgrind():
        run_leak_checked(["./main", "3"], out)
        return
    two, twelve = heap_allocs(["./main", "2"], out), heap_allocs(["./main", "12"], out)
    # each run() makes 3 arrays; tmps_with itself allocates nothing once
    # the handle's buffer is large enough (the first call is the largest)
    if two is not None and twelve is not None and twelve - two != 3 * 10:
        fail("tmps_with allocates per call: %d allocations for 2 calls, %d for 12" %
             (two, twelve))


def check_exe(dfc, d, root):
    if not have_valgrind():
        return
    out = os.path.join(d, "exe")
    build(dfc, os.path.join(d, "hk.py"), out, "--target", "serial", "--emit", "exe")
    # again without dfc's -march=native, whose instructions valgrind may not know
    if not cc(["hk.c", "hk_main.c"], out, root, "hk"):
        return
    rng = np.random.default_rng(7)
    np.save(os.path.join(out, "A.npy"), rng.random((30, 20)))
    np.save(os.path.join(out, "B.npy"), rng.random((30, 20)))
    counts = [heap_allocs(["./hk", "--func", "tmps", "--repeat", str(k), "-o", "res%d" % k,
                           "A.npy", "B.npy"], out) for k in (2, 6)]
    if None not in counts and counts[0] != counts[1]:
        fail("the harness allocates per run: %d allocations for --repeat 2, %d for 6" %
             tuple(counts))


CLASH = '''import numpy as np


# dfc: k(x: float64[N])
def k(x):
    return x + 1.0


# dfc: k_handle_create(x: float64[N])
def k_handle_create(x):
    return x * 2.0
'''

SHADOW = '''import numpy as np


# dfc: k(k_with: float64[N], dfch: float64[N])
def k(k_with, dfch):
    t = k_with * 2.0
    return t[::-1] + dfch
'''


def check_names(dfc, d):
    """A kernel named like another's handle API is a located error; a
    parameter named like the plain entry's callee (or dfc's handle) works."""
    src = os.path.join(d, "clash.py")
    with open(src, "w") as f:
        f.write(CLASH)
    r = subprocess.run([dfc, "build", src, "-o", os.path.join(d, "clash")],
                       capture_output=True, text=True)
    want = "clash.py:10:1: error: kernel name 'k_handle_create' clashes with the handle API " \
           "of kernel 'k'"
    if r.returncode != 1 or want not in r.stderr:
        fail("clashing kernel names: exit %d: %s" % (r.returncode, r.stderr[-500:]))
    src = os.path.join(d, "shadow.py")
    with open(src, "w") as f:
        f.write(SHADOW)
    build(dfc, src, os.path.join(d, "shadow"))
    sys.path.insert(0, os.path.join(d, "shadow"))
    try:
        mod = __import__("shadow")
    finally:
        sys.path.pop(0)
    a, b = np.arange(5.0), np.ones(5)
    if not np.array_equal(mod.k(a, b), (a * 2.0)[::-1] + b):
        fail("a parameter named k_with or dfch changes the result")


def main():
    dfc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dfc")
    root = os.path.dirname(os.path.dirname(dfc))
    with tempfile.TemporaryDirectory(prefix="dfc-handle-") as d:
        src = os.path.join(d, "hk.py")
        with open(src, "w") as f:
            f.write(KERNELS)
        build(dfc, src, os.path.join(d, "o3"))
        build(dfc, src, os.path.join(d, "o0"), "-O0")
        check_source(d)
        check_python(d, load(src, "hk_ref"))
        check_c_api(dfc, d, root)
        check_exe(dfc, d, root)
        check_names(dfc, d)
    return report("FAIL ")


if __name__ == "__main__":
    sys.exit(main())
