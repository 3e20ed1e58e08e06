#!/usr/bin/python3
"""tests/wrap/vector_shapes.py -- loop shapes the OpenMP backend must emit
for speed, which the differential tests cannot see (the values are the
same either way).

1. Logic on bools in a map with the vectorize hint is printed on bytes
   (`|`, `&` on uint8_t, then != 0), never as && or || (which branch and
   keep the loop scalar): tests/xform/vectorize_bool_logic.py with its
   recipe.
2. A column sum (tests/xform/vectorize_column_reduction.py) splits the
   rows between the threads (`omp for` without collapse over the row
   loop) and adds each row into the thread's private accumulator row
   under `omp simd`.
3. At -O3 the four independent maps of tests/corpus/single.py's
   mixed_precision are one parallel loop (horizontal-map-fusion), in
   each of its two versions (streamed results, plain stores).
4. At -O3 the loop over lags of tests/corpus/signal_more.py's xcorr, each
   iteration of which sums into a fresh 0-d container, is one parallel
   loop (the container lastprivate, not a reason to run it sequentially),
   and its inner sum a simd loop accumulating in a local.
5. Accumulations into bools (np.any, np.all along an axis:
   tests/diff/bool_axis_reductions.py's any_all) run in bytes: a column's
   into each thread's private row by `*(uint8_t *)&row[j] |= ...`, a
   row's into a uint8_t local with `reduction(|:...)` / `reduction(&:...)`,
   never with || or && (gcc 12 leaves both forms on _Bool scalar).
Usage: vector_shapes.py DFC (run from the repository root); prints
nothing and exits 0 on success.
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "support"))
import kit  # noqa: E402


def emit_c(dfc, path, outdir, recipe=None):
    return kit.emit_c(dfc, path, outdir, *(["--script", recipe] if recipe else []))


def function(c, name):
    body = kit.function(c, name)
    if body is None:
        sys.exit(f"no function {name}_with in the emitted C")
    return body


def check_bool_logic(dfc, tmp):
    body = function(emit_c(dfc, "tests/xform/vectorize_bool_logic.py", tmp,
                           "tests/xform/vectorize_bool_logic.recipe.yaml"), "closure_step")
    want = "(((uint8_t)dfc_in0) | (((uint8_t)dfc_in1) & ((uint8_t)dfc_in2))) != 0"
    if want not in body:
        sys.exit(f"closure_step: expected the byte form {want!r} in:\n{body}")
    if "&&" in body or "||" in body:
        sys.exit(f"closure_step: && or || left in a vectorized map:\n{body}")


def check_column_sum(dfc, tmp):
    body = function(emit_c(dfc, "tests/xform/vectorize_column_reduction.py", tmp,
                           "tests/xform/vectorize_column_reduction.recipe.yaml"), "cols")
    rows = re.search(r"#pragma omp for schedule\(static\) nowait\n\s*for \(int64_t _i0 = 0; "
                     r"_i0 < N; _i0\+\+\) \{\n\s*#pragma omp simd\n\s*for \(int64_t _i1 = 0; "
                     r"_i1 < M; _i1\+\+\) \{\n(?:.*\n){2}\s*dfcpriv_\w+\[_i1\] \+= dfc_out;", body)
    if not rows:
        sys.exit(f"cols: expected rows split between threads and a simd loop adding "
                 f"into the private row:\n{body}")
    if "collapse(2)" in body:
        sys.exit(f"cols: a column sum is still collapsed:\n{body}")


def check_fused(dfc, tmp):
    body = function(emit_c(dfc, "tests/corpus/single.py", tmp), "mixed_precision")
    # the map is emitted twice: streaming its results, else plainly
    # (codegen/openmp/state.c, emit_streamed)
    parts = body.split("} else {")
    if len(parts) != 2 or "DFCRT_NT_MIN_BYTES" not in parts[0]:
        sys.exit(f"mixed_precision: expected a streamed and a plain version:\n{body}")
    for p in parts:
        n = p.count("#pragma omp parallel")
        if n != 1:
            sys.exit(f"mixed_precision: expected one parallel loop, got {n}:\n{body}")


def check_fresh_sum(dfc, tmp):
    body = function(emit_c(dfc, "tests/corpus/signal_more.py", tmp), "xcorr")
    lags = re.search(r"#pragma omp parallel for schedule\(static\) lastprivate\((\w+)\)"
                     r"[^\n]*\n\s*for \(int64_t lag = 0; lag < K; lag\+\+\) \{\n", body)
    if not lags:
        sys.exit(f"xcorr: expected the loop over lags as a parallel loop:\n{body}")
    acc = "dfcrow_" + lags.group(1)
    inner = re.search(r"double %s = %s;\n\s*#pragma omp simd reduction\(\+:%s\)\n"
                      % (acc, lags.group(1), acc), body[lags.end():])
    if not inner or "sequential:" in body:
        sys.exit(f"xcorr: expected the sum per lag as a simd reduction into {acc}:\n{body}")


def check_bool_accumulations(dfc, tmp):
    body = function(emit_c(dfc, "tests/diff/bool_axis_reductions.py", tmp), "any_all")
    want = [r"\*\(uint8_t \*\)&dfcpriv_ret0\[_i1\] \|= \(uint8_t\)dfc_out;",
            r"\*\(uint8_t \*\)&dfcpriv_ret1\[_i1\] &= \(uint8_t\)dfc_out;",
            r"uint8_t dfcrow_ret2 = ret2\[_i0\];",
            r"#pragma omp simd reduction\(\|:dfcrow_ret2\) reduction\(&:dfcrow_ret3\)"]
    for w in want:
        if not re.search(w, body):
            sys.exit(f"any_all: expected /{w}/ in:\n{body}")
    if "&&" in body or "||" in body:
        sys.exit(f"any_all: && or || in the accumulations:\n{body}")


def main():
    dfc = sys.argv[1]
    for check in (check_bool_logic, check_column_sum, check_fused, check_fresh_sum,
                  check_bool_accumulations):
        with tempfile.TemporaryDirectory() as tmp:
            check(dfc, tmp)


if __name__ == "__main__":
    main()
