#!/usr/bin/python3
"""tests/wrap/vector_math.py -- elementwise maps of math functions and
constant powers stay vectorized.

A kernel file with an exp map, a (1/x) ** 6 map, a 2-D tanh map (the
rows in parallel, the inner loop left to the vectorizer), a float32 log
map and a map of the sin and the cos of one argument is built with `DFC
build`; the shared library must call glibc's vector variants (_ZGV*_exp,
_ZGV*_tanh, _ZGV*_logf, _ZGV*_sin, _ZGV*_cos, found with nm) and no scalar
sincos (gcc merges a sin and a cos of one argument into one unless they
are not builtins), the
generated C must write the power as dfc_powi_f64 (not pow) and gcc must
report its loop vectorized (-fopt-info-vec-optimized, with the flags of
codegen/toolchain.c), the exp map of a row softmax (a row maximum read
in its inner loop) must carry `omp simd` in both its loops' shapes (no
split/collapse pair), and the results must match NumPy. Skipped (77)
unless the compiler is gcc on x86-64 with glibc >= 2.35 (libmvec's tanh)
and nm is installed, and when $DFC_CFLAGS builds kernels with sanitizers
(`make test SAN=1`: nothing is vectorized then). Usage: vector_math.py DFC (run from the repository
root); prints nothing and exits 0 on success.
"""
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

KERNELS = '''import numpy as np


# dfc: vm_exp(x: float64[N])
def vm_exp(x):
    return np.exp(x)


# dfc: vm_pow6(x: float64[N])
def vm_pow6(x):
    return (1.0 / x) ** 6


# dfc: vm_tanh(x: float64[N, M])
def vm_tanh(x):
    return np.tanh(x)


# dfc: vm_logf(x: float32[N])
def vm_logf(x):
    return np.log(x)


# dfc: vm_rot(t: float64[N])
def vm_rot(t):
    return 2.0 * np.cos(t) + np.sin(t)


# dfc: vm_softmax(x: float64[N, M])
def vm_softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
'''


def skip_reason():
    if platform.machine() != "x86_64":
        return "not x86-64"
    lib = os.confstr("CS_GNU_LIBC_VERSION") if "CS_GNU_LIBC_VERSION" in os.confstr_names else ""
    m = re.match(r"glibc (\d+)\.(\d+)", lib or "")
    if not m or (int(m.group(1)), int(m.group(2))) < (2, 35):
        return "glibc older than 2.35 (%s)" % (lib or "none")
    if not shutil.which("nm"):
        return "no nm"
    cc = os.environ.get("CC") or "cc"
    r = subprocess.run(cc.split() + ["--version"], capture_output=True, text=True)
    if r.returncode != 0 or "clang" in r.stdout or "Free Software Foundation" not in r.stdout:
        return "the C compiler '%s' is not gcc" % cc
    if "-fsanitize" in os.environ.get("DFC_CFLAGS", ""):
        # instrumented loads and stores keep gcc from vectorizing at all;
        # the uninstrumented run of the suite checks the vector calls
        return "kernels built with sanitizers ($DFC_CFLAGS) are not vectorized"
    return None


def check_symbols(lib):
    out = subprocess.run(["nm", "-D", lib], capture_output=True, text=True, check=True).stdout
    for fn in ("exp", "tanh", "logf", "sin", "cos"):
        if not re.search(r"\b_ZGV[a-z][MN]\d+v_%s\b" % fn, out):
            sys.exit("%s calls no vector variant of %s (nm -D):\n%s" % (lib, fn, out))
    # gcc would merge vm_rot's sin and cos of one argument into a scalar
    # sincos call, which it does not vectorize (codegen/toolchain.c)
    if re.search(r"\bsincos\b", out):
        sys.exit("%s calls sincos (nm -D):\n%s" % (lib, out))


def check_powi(csrc, tmp):
    text = open(csrc).read()
    if re.search(r"\bpow\(", text) or "dfc_powi_f64(dfc_in0 / " not in text and \
       "dfc_powi_f64(1.0 / " not in text:
        sys.exit("(1/x) ** 6 is not written as dfc_powi_f64 in %s" % csrc)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "= dfc_powi_f64(" in s)
    cc = os.environ.get("CC") or "cc"
    cmd = cc.split() + ["-std=c11", "-O3", "-march=native", "-fwrapv", "-fno-math-errno",
                        "-fno-trapping-math", "-ffp-contract=off", "-fno-builtin-sin", "-fno-builtin-cos",
                        "-fno-builtin-sinf", "-fno-builtin-cosf", "-fPIC", "-fopenmp", "-Iruntime", "-c", csrc,
                        "-o", os.path.join(tmp, "k.o"), "-fopt-info-vec-optimized"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), r.stderr))
    done = [int(m.group(1)) for m in re.finditer(r":(\d+):\d+: optimized: loop vectorized",
                                                  r.stderr)]
    if not any(line - 5 <= v <= line for v in done):
        sys.exit("the loop of %s:%d is not vectorized:\n%s" % (csrc, line, r.stderr))


def check_softmax_simd(csrc):
    text = open(csrc).read()
    body = text[text.index("vm_softmax_with("):]
    lines = body.splitlines()
    at = next(i for i, s in enumerate(lines) if "= exp(" in s)
    if not any("#pragma omp simd" in s for s in lines[max(at - 5, 0):at]) or \
       "collapse(2)" in body.split("\n}\n")[0]:
        sys.exit("the exp loop of vm_softmax carries no omp simd in %s" % csrc)


def check_values(outdir):
    mod = kit.load(outdir, "vm")
    x = np.linspace(0.5, 3.0, 1001)
    x2 = np.linspace(-3.0, 3.0, 40 * 37).reshape(40, 37)
    xf = x.astype(np.float32)
    e2 = np.exp(x2 - np.max(x2, axis=1, keepdims=True))
    sm = e2 / np.sum(e2, axis=1, keepdims=True)
    for got, want, rtol in ((mod.vm_exp(x), np.exp(x), 1e-14), (mod.vm_pow6(x), (1.0 / x) ** 6, 1e-14),
                            (mod.vm_softmax(x2), sm, 1e-14),
                            (mod.vm_rot(x), 2.0 * np.cos(x) + np.sin(x), 1e-14),
                            (mod.vm_tanh(x2), np.tanh(x2), 1e-14), (mod.vm_logf(xf), np.log(xf), 1e-6)):
        if got.dtype != want.dtype or not np.allclose(got, want, rtol=rtol, atol=0):
            sys.exit("results differ from NumPy:\n%r\n%r" % (got, want))


def main():
    dfc = sys.argv[1]
    why = skip_reason()
    if why:
        print("skip: %s" % why)
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "vm.py")
        with open(src, "w") as f:
            f.write(KERNELS)
        outdir = os.path.join(tmp, "out")
        kit.build(dfc, src, outdir)
        check_symbols(os.path.join(outdir, "libvm.so"))
        check_powi(os.path.join(outdir, "vm.c"), tmp)
        check_softmax_simd(os.path.join(outdir, "vm.c"))
        check_values(outdir)


main()
