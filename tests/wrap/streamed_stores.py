#!/usr/bin/python3
"""tests/wrap/streamed_stores.py -- the OpenMP emitter writes results that
nothing in the kernel reads again with non-temporal stores when a map
writes DFCRT_NT_MIN_BYTES or more of them (codegen/openmp/state.c,
stream_ok; docs/transformations.md, "After the pipeline"). The
differential tests check the values at every size (tests/run.sh builds
tests/diff/streamed_stores.py with the threshold at 0); this checks the
emitted C, which they cannot see, and one call above the default threshold.

1. gray (a 2-D map): under `if (8 * ... >= DFCRT_NT_MIN_BYTES)`, one omp
   region whose loop over the rows is `nowait` and whose threads fence
   their stores (dfc_nt_fence) before its barrier; in each row, chunks of
   512 from dfc_nt_skew's start, the simd loop writing dfcnt_ret and
   dfc_nt_store copying it to ret; the plain nest in the else branch.
2. flat (a 1-D map): the omp loop is the loop over chunks.
3. reread: y is read again (its sum), so it is not streamed.
4. interleave (tests/diff/streamed_partial.py): the map writing the odd rows streams them, though it reads
   the even rows of the same result; the maps writing the even rows (and
   the zeros under them), which it reads, do not stream.
5. odd_reread: the odd rows of big are read again, so neither the map
   writing them nor the one filling big with zeros streams.
6. running_rows: row i, which its loop's next iteration reads, is not
   streamed (the elements a map writes must not move with a loop's
   variable for the reads elsewhere to be told apart from them).
7. --boundscheck streams nothing; the helpers are defined once.
8. flat called with a 33.6 MB result (over the default 32 MiB) against NumPy.
Usage: streamed_stores.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/streamed_stores.py"


def check_gray(c):
    g = kit.function(c, "gray")
    if g is None:
        return kit.fail("no function gray_with in the emitted C")
    want = [
        r"if \(8 \* dfc_max\(M, 0\) \* dfc_max\(N, 0\) >= DFCRT_NT_MIN_BYTES\) \{",
        r"#pragma omp parallel if\(parallel: [^\n]*\)\n\s*\{",
        r"#pragma omp for schedule\(static\) nowait\n\s*for \(int64_t _i0 = 0; _i0 < N; _i0\+\+\)",
        r"dfcnt_a = _i1 - dfc_nt_skew\(&ret\[M \* _i0 \+ _i1\], \(int64_t\)sizeof\(double\)\);",
        r"for \(int64_t dfcnt_c = dfcnt_a; dfcnt_c < M; dfcnt_c \+= 512\)",
        r"_Alignas\(64\) double dfcnt_ret\[512\];\n\s*#pragma omp simd\n"
        r"\s*for \(int64_t _i1 = dfcnt_b; _i1 < dfcnt_e; _i1\+\+\)",
        r"dfcnt_ret\[_i1 - dfcnt_b\] = dfc_out;",
        r"const int64_t _i1 = dfcnt_b;\n\s*dfc_nt_store\(&ret\[M \* _i0 \+ _i1\], dfcnt_ret, "
        r"\(dfcnt_e - dfcnt_b\) \* \(int64_t\)sizeof\(double\)\);",
        r"\}\n\s*dfc_nt_fence\(\);\n\s*\}\n\s*(?=\} else \{)",
        r"\} else \{\n\s*#pragma omp parallel for schedule\(static\)[^\n]*\n"
        r"(?:.*\n)*\s*ret\[M \* _i0 \+ _i1\] = dfc_out;",
    ]
    pos = 0
    for w in want:
        m = re.compile(w).search(g, pos)
        if not m:
            return kit.fail(f"gray_with: no /{w}/ (in this order) in:\n{g}")
        pos = m.end()


def check_flat(c):
    f = kit.function(c, "flat")
    if f is None:
        return kit.fail("no function flat_with in the emitted C")
    if not re.search(r"dfcnt_a = _i0 - dfc_nt_skew\(&ret\[_i0\][^\n]*\n\s*\}\n"
                     r"\s*#pragma omp for schedule\(static\) nowait\n"
                     r"\s*for \(int64_t dfcnt_c = dfcnt_a; dfcnt_c < M; dfcnt_c \+= 512\)", f):
        kit.fail(f"flat_with: the omp loop is not the loop over chunks:\n{f}")


def check_partial(c):
    f = kit.function(c, "interleave")
    if f is None:
        return kit.fail("no function interleave_with in the emitted C")
    stores = re.findall(r"dfc_nt_store\(&([^,]*),", f)
    if stores != ["ret[2 * M * _i0 + M + _i1]"]:
        kit.fail(f"interleave_with: streams {stores}, not the odd rows alone:\n{f}")
    for plain in (r"\n\s*ret\[M \* _i0 \+ _i1\] = dfc_out;",
                  r"\n\s*ret\[2 \* M \* _i0 \+ _i1\] = dfc_out;"):
        if not re.search(plain, f):
            kit.fail(f"interleave_with: no plain store /{plain}/:\n{f}")
    f = kit.function(c, "odd_reread")
    if f is None:
        return kit.fail("no function odd_reread_with in the emitted C")
    if "dfc_nt_store(&big" in f or not re.search(r"\n\s*big\[2 \* M \* _i0 \+ M \+ _i1\] = dfc_out;", f):
        kit.fail(f"odd_reread_with: big, read again, is streamed:\n{f}")
    f = kit.function(c, "running_rows")
    if f is None:
        return kit.fail("no function running_rows_with in the emitted C")
    if "dfc_nt" in f or not re.search(r"\n\s*ret\[M \* i \+ _i0\] = dfc_out;", f):
        kit.fail(f"running_rows_with: row i, read by the next iteration, is streamed:\n{f}")


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        c = kit.emit_c(dfc, SRC, os.path.join(tmp, "o"))
        check_gray(c)
        check_flat(c)
        check_partial(kit.emit_c(dfc, "tests/diff/streamed_partial.py", os.path.join(tmp, "p")))
        r = kit.function(c, "reread")
        if r is None or "dfc_nt" in r:
            kit.fail(f"reread_with: missing, or y (read again) is streamed:\n{r}")
        if len(re.findall(r"^dfc_nt_store\(", c, re.M)) != 1:
            kit.fail("dfc_nt_store is not defined exactly once")
        if "dfc_nt" in kit.emit_c(dfc, SRC, os.path.join(tmp, "b"), "--boundscheck"):
            kit.fail("--boundscheck: a result is streamed")
        out = os.path.join(tmp, "so")
        kit.build(dfc, SRC, out)
        mod = kit.load(out, "streamed_stores")
        rng = np.random.default_rng(7)
        m = (33 << 20) // 8 + 13
        x, y = rng.random(m), rng.random(m)
        got = mod.flat(x, y)
        if not np.array_equal(got, 2.5 * x - y):
            kit.fail("flat with a 33 MiB result differs from NumPy")
    sys.exit(kit.report())


if __name__ == "__main__":
    main()
