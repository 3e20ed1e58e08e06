#!/usr/bin/python3
"""tests/wrap/run_blocking.py -- the -O3 pipeline's run-blocking
(passes/loop_blocking.c, docs/transformations.md), which the differential
tests cannot see (the values are the same either way).

1. At -O3 every kernel of tests/diff/run_blocking.py but the controls
   (shift, whose second map reads the row before the one it writes, and
   colsum, which reduces down the columns) has a run of states blocked:
   its history records run-blocking, and the optimized IR holds a loop
   over blocks marked `parallel even`; -O2 blocks nothing.
2. The emitted C runs the blocks of softmax_rows in one
   `omp parallel for schedule(static)` that forks only for two blocks or
   more, with the five maps inside it without a parallel region of their
   own.
Usage: run_blocking.py DFC (run from the repository root); prints nothing
and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/run_blocking.py"
BLOCKED = ["softmax_rows", "layernorm", "chain", "center_inplace", "inner_rows"]
CONTROLS = ["shift", "colsum"]


def check_pipeline(dfc, errors):
    got = kit.programs(kit.output([dfc, "dump", SRC, "--format", "text"]))
    for k in BLOCKED + CONTROLS:
        text = got.get(k)
        if text is None:
            errors.append(f"-O3: no program {k} in the dump")
            continue
        applied = re.search(r"applied run-blocking at state_L\d+\w*, state_L\d+", text)
        blocks = re.search(r"for block_L\d+ _blk\w* in range\(0, .*\) parallel even:", text)
        if k in CONTROLS and (applied or blocks):
            errors.append(f"-O3 blocked the control {k}:\n{text}")
        elif k not in CONTROLS and not (applied and blocks):
            errors.append(f"-O3 did not block a run of {k}:\n{text}")
    o2 = kit.output([dfc, "dump", SRC, "--format", "text", "-O2"])
    if "run-blocking" in o2 or "block_L" in o2:
        errors.append("-O2 applied run-blocking, which belongs to -O3")


def check_c(dfc, tmp, errors):
    body = kit.function(kit.emit_c(dfc, SRC, tmp), "softmax_rows")
    if body is None:
        errors.append("no function softmax_rows_with in the emitted C")
        return
    head = re.search(r"#pragma omp parallel for schedule\(static\) if\(parallel: (.*) > 1\)\n"
                     r"\s*for \(int64_t _blk = 0; _blk < (.*); _blk\+\+\) \{", body)
    if not head or head.group(1) != head.group(2):
        errors.append(f"softmax_rows_with: expected one static loop over the blocks that "
                      f"forks for two blocks or more, in:\n{body}")
    if body.count("omp parallel") != 1:
        errors.append(f"softmax_rows_with: expected 1 parallel region, got:\n{body}")
    maps = re.findall(r"for \(int64_t _i0 = dfc_max\(_blk \* ", body)
    if len(maps) != 5:
        errors.append(f"softmax_rows_with: expected 5 maps cut to the block, got "
                      f"{len(maps)} in:\n{body}")


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
