#!/usr/bin/python3
"""tests/wrap/check_cmd.py -- `dfc check` lists every problem of a file.

A kernel file with problems in several statements, in a helper and in a
second kernel (written to a temporary directory) must give exit status 1
and exactly the expected diagnostics, in source order per kernel, each once:
statements that use a name whose statement failed are not reported again.
A file whose kernels all compile must give exit status 0 and one line on
stdout; a syntax error is reported like any other problem; a missing file
and a non-.py input are an error and a usage error. Usage: check_cmd.py DFC
(run from the repository root); prints nothing and exits 0 on success.
"""
import os
import subprocess
import sys
import tempfile

BAD = """\
import numpy as np


def helper(v):
    return np.linalg.eig(v)


# dfc: k(A: float64[N, N], x: float64[N])
def k(A, x):
    y = A @ x
    z = np.linalg.inv(A)
    w = z @ y
    q = [1, 2, 3]
    for i in range(x.shape[0]):
        x[i] = w[i] + q[0]
        x[i] += y[i]
    s = lambda t: t + 1
    e = helper(A)
    return np.sum(y) + e


# dfc: k2(x: float64[N])
def k2(x):
    return np.fft.fft(x)


# dfc: k3(x: float64[N])
def k3(x):
    return x * 2
"""
EXPECTED = [
    "bad.py:11:9: error: np.linalg.inv is not supported",
    "bad.py:13:9: error: lists are not supported",
    "bad.py:17:9: error: lambda expressions are not supported",
    "bad.py:5:12: error: np.linalg.eig is not supported",
    "bad.py:24:12: error: np.fft.fft is not supported",
    "bad.py: 5 problems found",
]
GOOD = """\
import numpy as np


# dfc: a(x: float64[N])
def a(x):
    return x + 1.0


# dfc: b(x: float64[N])
def b(x):
    x[:] = np.sqrt(x)
"""


def run(dfc, *args, cwd):
    return subprocess.run([dfc, "check", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def fail(msg):
    print(msg)
    sys.exit(1)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        for name, text in (("bad.py", BAD), ("good.py", GOOD),
                           ("syntax.py", "def f(:\n"), ("notes.txt", "")):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        r = run(dfc, "bad.py", cwd=d)
        got = [l for l in r.stderr.splitlines() if not l.startswith(" ")]
        if r.returncode != 1 or got != EXPECTED:
            fail("bad.py: exit %d, diagnostics:\n%s\nexpected:\n%s" %
                 (r.returncode, "\n".join(got), "\n".join(EXPECTED)))
        r = run(dfc, "good.py", cwd=d)
        if r.returncode != 0 or r.stdout != "good.py: all 2 kernels can be compiled\n":
            fail("good.py: exit %d, stdout %r, stderr %r" % (r.returncode, r.stdout, r.stderr))
        r = run(dfc, "syntax.py", cwd=d)
        if r.returncode != 1 or not r.stderr.startswith("syntax.py:1:6: error:"):
            fail("syntax.py: exit %d, stderr %r" % (r.returncode, r.stderr))
        r = run(dfc, "missing.py", cwd=d)
        if r.returncode != 1 or "cannot read file" not in r.stderr:
            fail("missing.py: exit %d, stderr %r" % (r.returncode, r.stderr))
        r = run(dfc, "notes.txt", cwd=d)
        if r.returncode != 2:
            fail("notes.txt: exit %d, stderr %r" % (r.returncode, r.stderr))


if __name__ == "__main__":
    main()
