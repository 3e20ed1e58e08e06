#!/usr/bin/python3
"""tests/wrap/build_files.py -- dfc build's input and output files.

1. dfc build never writes over its input. The Python module that
   `dfc build k.py` writes is DIR/k.py, so building into the kernel
   file's own directory would replace the kernel with the module. In a
   temporary directory, with k.py in it: `dfc build k.py` (the default
   -o .), `-o .`, `-o DIR/` spelled absolute, and `-o link` through a
   symbolic link to the directory must each exit with status 1, name the
   file on stderr, leave k.py byte for byte as it was and write nothing
   else; `-o out` must build (exit 0, out/k.py the generated module, k.py
   untouched) and the module must compute what the kernel does.
2. A directory given as the kernel file is an error (exit 1) that says
   so; -o naming a file, not a directory, is an error naming the file
   dfc could not write; an invalid value of an option with a fixed set of
   values is a usage error (exit 2) that names the option and lists the
   values.
Usage: build_files.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import subprocess
import sys
import tempfile

KERNEL = """\
import numpy as np


# dfc: k(x: float64[N])
def k(x):
    return 2.0 * x + 1.0
"""


def fail(msg, detail=""):
    print(msg)
    if detail:
        print(detail)
    sys.exit(1)


def build(dfc, cwd, *args):
    return subprocess.run([dfc, "build", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "k.py")
        with open(src, "w") as f:
            f.write(KERNEL)
        os.symlink(d, os.path.join(d, "link"))
        for args in (["k.py"], ["k.py", "-o", "."], [src, "-o", d + "/"],
                     ["k.py", "-o", "link"]):
            p = build(dfc, d, *args)
            if p.returncode != 1:
                fail("dfc build %s: exit status %d, expected 1" % (" ".join(args), p.returncode),
                     p.stderr)
            if "is this kernel file: it would be overwritten" not in p.stderr or \
                    not p.stderr.startswith(args[0] + ": error: "):
                fail("dfc build %s: unexpected diagnostic" % " ".join(args), p.stderr)
            with open(src) as f:
                if f.read() != KERNEL:
                    fail("dfc build %s changed k.py" % " ".join(args))
            if sorted(os.listdir(d)) != ["k.py", "link"]:
                fail("dfc build %s wrote %s" % (" ".join(args), sorted(os.listdir(d))))
        p = build(dfc, d, "k.py", "-o", "out")
        if p.returncode != 0:
            fail("dfc build k.py -o out: exit status %d" % p.returncode, p.stderr)
        with open(src) as f:
            if f.read() != KERNEL:
                fail("dfc build k.py -o out changed k.py")
        import numpy as np
        sys.path.insert(0, os.path.join(d, "out"))
        import k
        if not k.__file__.startswith(os.path.join(d, "out")):
            fail("imported %s, not the module of out/" % k.__file__)
        x = np.arange(7.0)
        if not np.array_equal(k.k(x), 2.0 * x + 1.0):
            fail("out/k.py computes %r" % k.k(x))
        os.mkdir(os.path.join(d, "dir.py"))
        open(os.path.join(d, "plain"), "w").close()
        for args, status, err in (
                (["dir.py", "-o", "o"], 1, "dir.py: error: cannot read file: Is a directory\n"),
                (["k.py", "-o", "plain"], 1,
                 "plain/k.yaml: error: cannot write file: Not a directory\n"),
                (["k.py", "-o", "o", "--target", "gpu"], 2,
                 "dfc: error: invalid value 'gpu' for '--target' (expected openmp, serial, "
                 "cuda or mpi)\n(run 'dfc --help' for usage)\n"),
                (["k.py", "-o", "o", "--emit=obj"], 2,
                 "dfc: error: invalid value 'obj' for '--emit' (expected so, exe or c)\n"
                 "(run 'dfc --help' for usage)\n")):
            p = build(dfc, d, *args)
            if p.returncode != status or p.stderr != err:
                fail("dfc build %s: exit status %d, stderr %r; expected %d, %r"
                     % (" ".join(args), p.returncode, p.stderr, status, err))


if __name__ == "__main__":
    main()
