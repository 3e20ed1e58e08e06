#!/usr/bin/python3
"""tests/wrap/invariant_loads.py -- the OpenMP emitter loads the elements
that an innermost simd loop reads but does not move before that loop
(codegen/openmp/state.c, hoist_open; docs/transformations.md, "After the
pipeline"), which the differential tests cannot see (the values are the
same either way).

1. layernorm of tests/diff/run_blocking.py: the last map's innermost loop
   reads mu[_i0] and var[_i0] through locals loaded before it, only when
   the loop runs (`0 < M ? var[_i0] : 0`), and its tasklet reads those
   locals; X[..., _i1], which the loop moves, is read in the loop.
2. chain (1-D maps: no inner loop to hoist out of) has no such local.
3. With --boundscheck nothing is hoisted.
Usage: invariant_loads.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/run_blocking.py"


def emitted(dfc, tmp, *flags):
    return kit.emit_c(dfc, SRC, os.path.join(tmp, "b" if flags else "o"), *flags)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        c = emitted(dfc, tmp)
        ln = kit.function(c, "layernorm")
        if ln is None:
            kit.fail("no function layernorm_with in the emitted C")
        else:
            for arr in ("mu", "var"):
                m = re.search(r"const double (dfcinv\d+_%s) = 0 < M \? %s\[_i0\] : 0;\n"
                              r"(?:\s*const .*\n)*\s*#pragma omp simd\n" % (arr, arr), ln)
                if not m:
                    kit.fail(f"layernorm_with: {arr}[_i0] is not loaded before the simd "
                             f"loop:\n{ln}")
                elif f"= {m.group(1)};" not in ln:
                    kit.fail(f"layernorm_with: the tasklet does not read {m.group(1)}")
            if "X[M * _i0 + _i1]" not in ln:
                kit.fail("layernorm_with: X, which the inner loop moves, is not read in it")
        ch = kit.function(c, "chain")
        if ch is None or "dfcinv" in ch:
            kit.fail(f"chain_with: missing, or a load hoisted out of a 1-D map:\n{ch}")
        if "dfcinv" in emitted(dfc, tmp, "--boundscheck"):
            kit.fail("--boundscheck: a load was hoisted out of its loop")
    sys.exit(kit.report())


if __name__ == "__main__":
    main()
