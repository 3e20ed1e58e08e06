#!/usr/bin/python3
"""tests/wrap/loop_blocking.py -- the -O3 pipeline's loop-blocking
(passes/loop_blocking.c, docs/transformations.md), which the differential
tests cannot see (the values are the same either way).

1. At -O3 every kernel of tests/diff/loop_blocking.py but carry has its
   loop blocked (its history records loop-blocking at that loop, and the
   optimized IR holds a parallel loop over blocks around it); carry,
   whose elements read their left neighbours, is not; -O2 blocks nothing.
2. The emitted C runs the blocks in one `omp parallel for` that forks only
   for two blocks or more, handing out the even blocks first
   (dfc_interleave), with the loop over taps inside it, and the
   maps inside without a parallel region of their own; the width is a
   quarter of N (at least 8 elements) when N times the taps pass 4096,
   else 512 elements.
Usage: loop_blocking.py DFC (run from the repository root); prints nothing
and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/loop_blocking.py"
BLOCKED = ["taps", "full", "horner", "clenshaw", "logistic", "smooth_columns", "window",
           "bits", "damp", "triangle"]


def check_pipeline(dfc, errors):
    got = kit.programs(kit.output([dfc, "dump", SRC, "--format", "text"]))
    for k in BLOCKED + ["carry"]:
        text = got.get(k)
        if text is None:
            errors.append(f"-O3: no program {k} in the dump")
            continue
        applied = re.search(r"applied loop-blocking at loop_L\d+", text) is not None
        blocks = re.search(r"for block_L\d+ _blk\w* in range\(0, .*\) parallel:", text)
        if k == "carry" and (applied or blocks):
            errors.append("-O3 blocked carry, whose elements read their left neighbours")
        elif k != "carry" and not (applied and blocks):
            errors.append(f"-O3 did not block the loop of {k}:\n{text}")
    o2 = kit.output([dfc, "dump", SRC, "--format", "text", "-O2"])
    if "loop-blocking" in o2 or "block_L" in o2:
        errors.append("-O2 applied loop-blocking, which belongs to -O3")


def check_c(dfc, tmp, errors):
    body = kit.function(kit.emit_c(dfc, SRC, tmp), "taps")
    if body is None:
        errors.append("no function taps_with in the emitted C")
        return
    # the width: 512 elements, or a quarter of N (at least 8) when the
    # work N * T passes 4096; the count of blocks repeats in the loop
    split = r"dfc_min\(dfc_max\(dfc_floordiv\(N \+ 3, 4\), 8\), 512\)"
    big = r"dfc_min\(dfc_floordiv\(N \* dfc_max\(T, 0\), 4097\), 1\)"
    want = [r"#pragma omp parallel for schedule\(dynamic, 1\) "
            r"if\(parallel: (dfc_floordiv\(.*%s.*%s.*\)) > 1\)\n" % (big, split) +
            r"\s*for \(int64_t dfc_it__blk = 0; dfc_it__blk < dfc_max\(\1, 0\); "
            r"dfc_it__blk\+\+\) \{\n"
            r"\s*const int64_t _blk = dfc_interleave\(dfc_it__blk, dfc_max\(\1, 0\), 1\);",
            r"for \(int64_t k = 0; k < T; k\+\+\) \{",
            r"#pragma omp simd\n\s*for \(int64_t _i0 = dfc_max\(_blk \* .* - k, 0\); "
            r"_i0 < dfc_min\(_blk \* .*, N - k\); _i0\+\+\)"]
    at = 0
    for w in want:
        m = re.compile(w).search(body, at)
        if not m:
            errors.append(f"taps_with: expected /{w}/ after offset {at} in:\n{body}")
            return
        at = m.end()
    if body.count("omp parallel") != 2:   # the zero fill and the blocks
        errors.append(f"taps_with: expected 2 parallel regions, got:\n{body}")


def main():
    dfc = os.path.abspath(sys.argv[1])
    errors = []
    check_pipeline(dfc, errors)
    with tempfile.TemporaryDirectory() as tmp:
        check_c(dfc, tmp, errors)
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
