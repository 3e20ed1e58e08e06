#!/usr/bin/python3
"""tests/wrap/loop_schedules.py -- how the loops that loop-parallelize runs
in parallel are split between threads (passes/loop_parallel.c marks a loop
`even`; codegen/openmp/emit.c parallel_pragma), which the differential
tests cannot see (tests/diff/loop_schedules.py checks the values).

1. At -O3 the text dump marks `columns`'s loop `parallel even` (the same
   work in every iteration) and the other loops of the file `parallel`
   only: lower_columns's work shrinks with j, branchy's holds an if,
   autocorr's dot shrinks with the lag.
2. The emitted C splits an even loop into one contiguous share per thread
   (`schedule(static)`); hands out a loop writing columns in chunks of a
   cache line of them (`dynamic, 8` for float64, `dynamic, 16` for
   float32; branchy's columns under its if too); and autocorr, which
   writes one element per lag, one lag at a time (`dynamic, 1`). A
   dynamic loop runs over positions whose iterations dfc_interleave
   gives (the even chunks first), a static one over its own range.
Usage: loop_schedules.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/loop_schedules.py"
SCHEDULES = {
    "columns": "static",
    "lower_columns": "dynamic, 8",
    "lower_columns32": "dynamic, 16",
    "branchy": "dynamic, 8",
    "autocorr": "dynamic, 1",
}


def check_dump(dfc):
    got = kit.programs(kit.output([dfc, "dump", SRC, "--format", "text"]))
    for k, sched in SCHEDULES.items():
        loops = re.findall(r"for loop_L\d+ \w+ in range\(.*\)( parallel(?: even)?)?:",
                           got.get(k, ""))
        want = [" parallel even" if sched == "static" else " parallel"]
        if loops != want:
            kit.fail(f"-O3 dump of {k}: loops {loops}, expected {want}:\n{got.get(k)}")


def check_c(dfc, tmp):
    c = kit.emit_c(dfc, SRC, tmp)
    for k, sched in SCHEDULES.items():
        body = kit.function(c, k)
        if body is None:
            kit.fail(f"no function {k}_with in the emitted C")
            continue
        got = re.findall(r"#pragma omp parallel for schedule\(([^)]*)\)", body)
        if got != [sched]:
            kit.fail(f"{k}_with: loop schedules {got}, expected [{sched!r}], in:\n{body}")
            continue
        # a dynamic loop runs over positions, its iteration taken from
        # dfc_interleave with the same chunk; a static one over its range
        chunk = sched.split(", ")[1] if sched.startswith("dynamic") else None
        head = re.search(r"#pragma omp parallel for schedule.*\n\s*(for \(.*\n.*)", body)
        want = (r"for \(int64_t dfc_it_(\w+) = 0; dfc_it_\1 < (.+); dfc_it_\1\+\+\) \{\n"
                r"\s*const int64_t \1 = dfc_interleave\(dfc_it_\1, \2, %s\);$" % chunk
                if chunk else r"for \(int64_t (\w+) = 0; \1 < M; \1\+\+\) \{\n")
        if not head or not re.match(want, head.group(1)):
            kit.fail(f"{k}_with: the loop after its pragma does not match /{want}/:\n{body}")


def main():
    dfc = os.path.abspath(sys.argv[1])
    check_dump(dfc)
    with tempfile.TemporaryDirectory() as tmp:
        check_c(dfc, tmp)
    sys.exit(kit.report(""))


if __name__ == "__main__":
    main()
