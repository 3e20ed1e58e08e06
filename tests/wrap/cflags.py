#!/usr/bin/python3
"""tests/wrap/cflags.py -- $DFC_CFLAGS reaches the C compiler.

The words of $DFC_CFLAGS come after dfc's own options in the command that
`dfc build -v` prints (so -O1 overrides -O3); a kernel built with
`-O0 -g` still computes NumPy's result; a kernel built with
`-fsanitize=address` links the ASan runtime (its shared object needs
libasan, which `make test-all` preloads); an option the compiler rejects is
an internal compiler error (exit status 3) whose note names $DFC_CFLAGS. When
$DFC_CFLAGS is already set (the sanitized run of `make test-all`), the
kernel is run under it. Usage: cflags.py DFC (from the repository root);
prints nothing and exits 0 on success.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

KERNEL = """\
# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    return a * x + y
"""


def build(dfc, src, out, cflags):
    env = dict(os.environ, DFC_CFLAGS=cflags, CC="gcc")
    return subprocess.run([dfc, "build", src, "-o", out, "-v"], capture_output=True,
                          text=True, env=env)


def check_order(p, cflags):
    assert p.returncode == 0, p.stderr
    cmd = next(l for l in p.stderr.splitlines() if " -fPIC " in l)
    words = cmd.split()
    assert words.index("-fopenmp") < words.index(cflags.split()[0]), cmd
    assert words.index("-O3") < words.index(cflags.split()[0]), cmd


def run_kernel(out):
    sys.path.insert(0, out)
    import axpy
    x, y = np.arange(5.0), np.ones(5)
    got = axpy.axpy(2.0, x, y)
    assert np.array_equal(got, 2.0 * x + y), got


def needed(lib):
    p = subprocess.run(["readelf", "-d", lib], capture_output=True, text=True)
    return [l for l in p.stdout.splitlines() if "(NEEDED)" in l]


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "axpy.py")
        with open(src, "w") as f:
            f.write(KERNEL)
        plain = os.environ.get("DFC_CFLAGS", "")
        p = build(dfc, src, os.path.join(tmp, "o0"), (plain + " -O0 -g").strip())
        check_order(p, "-O0 -g" if not plain else plain)
        run_kernel(os.path.join(tmp, "o0"))
        p = build(dfc, src, os.path.join(tmp, "asan"), "-fsanitize=address")
        check_order(p, "-fsanitize=address")
        libs = needed(os.path.join(tmp, "asan", "libaxpy.so"))
        assert any("libasan" in l for l in libs), libs
        p = build(dfc, src, os.path.join(tmp, "bad"), "-fno-such-option-dfc")
        assert p.returncode == 3, (p.returncode, p.stderr)
        assert "internal compiler error: the generated C failed to compile" in p.stderr, \
            p.stderr
        assert "note: the command holds DFC_CFLAGS='-fno-such-option-dfc'" in p.stderr, \
            p.stderr


if __name__ == "__main__":
    main()
