#!/usr/bin/python3
"""tests/wrap/transpose_tiling.py -- the -O3 pipeline's transpose-tiling
(passes/map_tiling.c, docs/transformations.md), which the differential
tests cannot see (the values are the same either way).

1. At -O3 every kernel of tests/diff/transpose_tiling.py but the control
   row_sums (whose map accumulates with WCR) has its transposing map
   tiled: the history records transpose-tiling, and the optimized IR
   holds a map over tile origins stepping by 32 around a `_inner` map
   with `simd`; -O2 tiles nothing.
2. The emitted C of transpose_inplace runs the tiles in one `omp parallel
   for schedule(static) collapse(2)` whose fork threshold counts 32
   iterations per tile range (1024 per tile), around the tile's two loops,
   the inner one `omp simd`.
Usage: transpose_tiling.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/transpose_tiling.py"
TILED = ["transpose_inplace", "plus_transpose", "scaled_transpose", "symmetric_adjacency"]
CONTROLS = ["row_sums"]


def check_pipeline(dfc):
    got = kit.programs(kit.output([dfc, "dump", SRC, "--format", "text"]))
    for k in TILED + CONTROLS:
        text = got.get(k)
        if text is None:
            kit.fail(f"-O3: no program {k} in the dump")
            continue
        applied = re.search(r"applied transpose-tiling at map_L\d+", text)
        tiles = re.search(r"map map_L\d+ \[_i0_tile = 0:\w+:32, _i1_tile = 0:\w+:32\]", text)
        inner = re.search(r"map map_L\d+_inner \[.*\] sequential simd", text)
        if k in CONTROLS and (applied or tiles):
            kit.fail(f"-O3 tiled the control {k}:\n{text}")
        elif k not in CONTROLS and not (applied and tiles and inner):
            kit.fail(f"-O3 did not tile {k} by 32x32 with a simd inner map:\n{text}")
    o2 = kit.output([dfc, "dump", SRC, "--format", "text", "-O2"])
    if "transpose-tiling" in o2 or "_tile" in o2:
        kit.fail("-O2 applied transpose-tiling, which belongs to -O3")


def check_c(dfc, tmp):
    body = kit.function(kit.emit_c(dfc, SRC, tmp), "transpose_inplace")
    if body is None:
        kit.fail("no function transpose_inplace_with in the emitted C")
        return
    want = (r"#pragma omp parallel for schedule\(static\) collapse\(2\) "
            r"if\(parallel: 1024 \* dfc_max\(dfc_floordiv\(N \+ 31, 32\), 0\) \* "
            r"dfc_max\(dfc_floordiv\(N \+ 31, 32\), 0\) > DFCRT_PAR_MIN_WORK\)\n"
            r"\s*for \(int64_t _i0_tile = 0; _i0_tile < N; _i0_tile \+= 32\) \{\n"
            r"\s*for \(int64_t _i1_tile = 0; _i1_tile < N; _i1_tile \+= 32\) \{\n"
            r"(\s*/\*.*\*/\n)?"
            r"\s*for \(int64_t _i0 = _i0_tile; _i0 < dfc_min\(N, _i0_tile \+ 32\); _i0\+\+\) \{\n"
            r"\s*#pragma omp simd\n"
            r"\s*for \(int64_t _i1 = _i1_tile; _i1 < dfc_min\(N, _i1_tile \+ 32\); _i1\+\+\) \{")
    if not re.search(want, body):
        kit.fail(f"transpose_inplace_with: expected /{want}/ in:\n{body}")


def main():
    dfc = os.path.abspath(sys.argv[1])
    check_pipeline(dfc)
    with tempfile.TemporaryDirectory() as tmp:
        check_c(dfc, tmp)
    sys.exit(kit.report(""))


if __name__ == "__main__":
    main()
