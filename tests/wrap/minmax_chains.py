#!/usr/bin/python3
"""tests/wrap/minmax_chains.py -- which spelling of np.minimum/np.maximum
the OpenMP backend calls (codegen/openmp/expr.c, minimum_float and
arith_float's vform), which the differential tests cannot see
(tests/diff/minmax_chains.py checks the values, NaNs included).

In a vectorized map, the outer call of a min or max of a min or max
(np.clip) is the simd spelling, dfc_vminimum_<t>/dfc_vmaximum_<t>, and the
inner one the plain dfc_minimum_<t>/dfc_maximum_<t>; a lone np.maximum
there, and every call outside such a map, stays plain; Python's builtin
max and min of floats call neither (a comparison and a select). Each
helper the C calls is defined once, the simd ones with isunordered.
Usage: minmax_chains.py DFC (run from the repository root); prints nothing
and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402

SRC = "tests/diff/minmax_chains.py"
# kernel: the helpers its body calls, and whether it must call each
WANT = {
    "clip_nan": {"dfc_vminimum_f64": True, "dfc_maximum_f64": True, "dfc_vmaximum_f64": False},
    "min_of_max": {"dfc_vminimum_f64": True, "dfc_vmaximum_f64": True,
                   "dfc_minimum_f64": True, "dfc_maximum_f64": True},
    "clip32": {"dfc_vminimum_f32": True, "dfc_maximum_f32": True},
    "lone_max": {"dfc_maximum_f64": True, "dfc_vmaximum_f64": False},
    "running_max": {"dfc_maximum_f64": False, "dfc_vmaximum_f64": False},
    "builtin_order": {"dfc_minimum_f64": False, "dfc_maximum_f64": False,
                      "dfc_vminimum_f64": False, "dfc_vmaximum_f64": False},
}


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        c = kit.emit_c(dfc, SRC, tmp)
    for k, calls in WANT.items():
        body = kit.function(c, k)
        if body is None:
            kit.fail(f"no function {k}_with in the emitted C")
            continue
        for helper, must in calls.items():
            if (helper + "(" in body) != must:
                kit.fail(f"{k}_with: expected {helper} {'' if must else 'not '}to be "
                         f"called, in:\n{body}")
    for name in ("dfc_vminimum_f64", "dfc_vmaximum_f64", "dfc_vminimum_f32"):
        defs = re.findall(r"^%s\(\w+ a, \w+ b\)\n\{\n\treturn isunordered\(a, b\) \? a \+ b :"
                          % name, c, re.M)
        if len(defs) != 1:
            kit.fail(f"{name}: {len(defs)} definitions with isunordered, expected 1")
    sys.exit(kit.report(""))


if __name__ == "__main__":
    main()
