#!/usr/bin/python3
"""tests/wrap/stride_interchange.py -- the -O3 pipeline's stride-interchange
(passes/map_interchange.c, docs/transformations.md), which the differential
tests cannot see (the values are the same in any loop order).

1. At -O3 the maps of tests/diff/stride_interchange.py that walk their
   arrays down the columns in the inner loop are reordered: the history
   records stride-interchange for each kernel of REORDERED and for none of
   CONTROLS (a transpose, which transpose-tiling runs by tiles, a
   row-major sum, a column sum already along the rows, a store into an
   N x 1 column);
   -O2 reorders nothing.
2. The overlap copy of last_row_down is of the row it broadcasts
   (`tmp: bool[M, 1]`), not of the broadcast value.
3. The emitted C of fill_columns and column_loops runs the rows in the
   parallel loop and the columns in the simd loop, which writes
   consecutive elements; transposed_sums's column sums of A.T accumulate
   each row of A into a private row per thread.
Usage: stride_interchange.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/stride_interchange.py"
REORDERED = ["fill_columns", "fill_transposed", "last_row_down", "shifted_rows", "column_loops",
             "transposed_sums"]
CONTROLS = ["transposed", "row_major", "column_sums", "as_column"]


def check_pipeline(dfc):
    got = kit.programs(kit.output([dfc, "dump", SRC, "--format", "text"]))
    for k in REORDERED + CONTROLS:
        text = got.get(k)
        if text is None:
            kit.fail(f"-O3: no program {k} in the dump")
            continue
        applied = "applied stride-interchange" in text
        if k in CONTROLS and applied:
            kit.fail(f"-O3 reordered the control {k}:\n{text}")
        elif k not in CONTROLS and not applied:
            kit.fail(f"-O3 did not reorder {k}:\n{text}")
    copy = got.get("last_row_down", "")
    if "transient tmp: bool[M, 1]" not in copy:
        kit.fail(f"last_row_down: the overlap copy is not of the row (bool[M, 1]):\n{copy}")
    o2 = kit.output([dfc, "dump", SRC, "--format", "text", "-O2"])
    if "stride-interchange" in o2:
        kit.fail("-O2 applied stride-interchange, which belongs to -O3")


def expect_rows(c, name, outer, outer_n, inner, inner_n, store):
    body = kit.function(c, name)
    if body is None:
        kit.fail(f"no function {name}_with in the emitted C")
        return
    want = (r"#pragma omp parallel for schedule\(static\) if\(parallel: [^\n]*\)\n"
            rf"\s*for \(int64_t {outer} = 0; {outer} < {outer_n}; {outer}\+\+\) \{{\n"
            r"(\s*(const|/\*)[^\n]*\n)*"
            r"\s*#pragma omp simd\n"
            rf"\s*for \(int64_t {inner} = 0; {inner} < {inner_n}; {inner}\+\+\) \{{\n"
            r"(\s*const [^\n]*\n)*"
            rf"\s*{re.escape(store)} = dfc_out;")
    if not re.search(want, body):
        kit.fail(f"{name}_with: expected /{want}/ in:\n{body}")


def main():
    dfc = os.path.abspath(sys.argv[1])
    check_pipeline(dfc)
    with tempfile.TemporaryDirectory() as tmp:
        c = kit.emit_c(dfc, SRC, tmp)
        expect_rows(c, "fill_columns", "_i1", "N", "_i0", "M", "A[M * _i1 + _i0]")
        expect_rows(c, "column_loops", "i", "N", "j", "M", "B[M * i + j]")
        body = kit.function(c, "transposed_sums") or ""
        want = (r"for \(int64_t _i1 = 0; _i1 < N; _i1\+\+\) \{\n([^\n]*\n){0,3}"
                r"\s*#pragma omp simd[^\n]*\n"
                r"\s*for \(int64_t _i0 = 0; _i0 < M; _i0\+\+\) \{\n(\s*\{\n)?"
                r"\s*const double dfc_in0 = A\[M \* _i1 \+ _i0\];\n"
                r"\s*const double dfc_out = dfc_in0;\n\s*dfcpriv_\w+\[_i0\] \+= dfc_out;")
        if not re.search(want, body):
            kit.fail(f"transposed_sums_with: expected /{want}/ in:\n{body}")
    sys.exit(kit.report(""))


if __name__ == "__main__":
    main()
