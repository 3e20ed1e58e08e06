"""bench/worker.py -- times the kernels of one file (run by bench.py in a
child process with the benchmark's environment).

For each kernel: sizes are chosen with NumPy (calibrate: the file's largest
hint size set, every size symbol scaled by doubling factors until NumPy's
time reaches the target, stepping back when a step overshoots the ceiling,
stopping at a size NumPy refuses or at the memory cap); the inputs are the
differential tests' (tests/diff/run_diff.py make_inputs, same seeds); NumPy
is timed; then every contender is called once on a copy of the inputs
(the warm-up, which also compiles a JIT), checked against NumPy's outputs
and arguments (run_diff's compare_call, tolerances no tighter than
rtol 1e-7 / atol 1e-9 since sums may be reordered), and only if right timed
RUNS times on fresh copies; the median counts. One JSON line per kernel.
"""
import copy
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "diff"))
sys.path.insert(0, str(HERE))
import run_diff as rd          # noqa: E402  (the differential tests' inputs)
import contenders as cn        # noqa: E402
import classes                 # noqa: E402

TARGET_MS, CEILING_MS = 10.0, 200.0
MAX_FACTOR = 4096
MAX_INPUT_BYTES = 256 << 20


def inputs_for(path, kernel, hints, sizes):
    case = "%s %s" % (kernel.name, rd.sizes_text(sizes))
    return rd.make_inputs(kernel, sizes, hints, rd.case_seed(path, case))


def input_bytes(inputs):
    return sum(a.nbytes for a in inputs if isinstance(a, np.ndarray))


def time_call(fn, inputs):
    """Seconds of one call on a fresh copy of inputs (copy not timed)."""
    args = copy.deepcopy(inputs)
    with np.errstate(all="ignore"):
        t = time.perf_counter()
        fn(*args)
        return time.perf_counter() - t


def scaled(base, factor):
    return {s: max(1, int(round(v * factor))) for s, v in base.items()}


def probe(path, kernel, hints, sizes, fn):
    """NumPy's time in ms at sizes, or None if NumPy refuses them or the
    inputs would pass the memory cap."""
    try:
        inputs = inputs_for(path, kernel, hints, sizes)
        if input_bytes(inputs) > MAX_INPUT_BYTES:
            return None
        t = time_call(fn, inputs) * 1e3
        return min(t, time_call(fn, inputs) * 1e3) if t < 50 else t
    except Exception:
        return None


def calibrate(path, kernel, hints, fn, quick):
    """The sizes to time kernel at (see the file comment)."""
    sets = rd.kernel_sizes(kernel, hints)
    base = max(sets, key=lambda s: math.prod(s.values()) if s else 1)
    if quick or not base:
        return base
    best, t = base, probe(path, kernel, hints, base, fn)
    if t is None:
        return base
    factor = 1
    while t < TARGET_MS and factor < MAX_FACTOR:
        t2 = probe(path, kernel, hints, scaled(base, factor * 2), fn)
        if t2 is None:
            break
        if t2 > CEILING_MS:
            mid = probe(path, kernel, hints, scaled(base, factor * 1.414), fn)
            if mid is not None and mid <= CEILING_MS:
                best = scaled(base, factor * 1.414)
            break
        factor, t, best = factor * 2, t2, scaled(base, factor * 2)
    return best


def bench_hints(hints):
    """The file's tolerances, no tighter than rtol 1e-7 / atol 1e-9 (sums
    may be reordered); without a hint, run_diff's per-dtype defaults
    (float32: rtol 1e-4), which the floor must not replace."""
    h = copy.copy(hints)
    if hints.rtol is not None:
        h.rtol = max(hints.rtol, 1e-7)
    if hints.atol is not None:
        h.atol = max(hints.atol, 1e-9)
    return h


# run_diff's per-dtype defaults, floored like the hints above.
rd.TOLERANCES = {k: (max(r, 1e-7), max(a, 1e-9)) for k, (r, a) in rd.TOLERANCES.items()}


def normalize(ref, got):
    """DaCe returns scalars as one-element arrays: back to a scalar."""
    if isinstance(ref, tuple) and isinstance(got, tuple):
        return tuple(normalize(r, g) for r, g in zip(ref, got))
    if not isinstance(ref, np.ndarray) and isinstance(got, np.ndarray) and got.size == 1:
        return type(ref)(got.reshape(()).item()) if ref is not None else got
    return got


def traffic(kernel, inputs, ref_args, ref_out):
    """Bytes of the arrays read once, changed ones and results written once."""
    n = input_bytes(inputs)
    for p, a, b in zip(kernel.params, inputs, ref_args):
        if p.is_array and not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"):
            n += b.nbytes
    outs = ref_out if isinstance(ref_out, tuple) else (ref_out,)
    return n + sum(o.nbytes for o in outs if isinstance(o, np.ndarray))


def work(path, kernel, sizes, inputs, ref_args, ref_out):
    """(class, bytes moved or flops, or None) from bench/classes.py."""
    kind, expr = classes.kernel_class(path.stem, kernel.name)
    env = dict(sizes)
    env.update({p.name: a for p, a in zip(kernel.params, inputs) if not p.is_array})
    env["result"] = ref_out
    try:
        if kind == "memory":
            sweeps = eval(expr, {}, env) if expr else 1
            return kind, traffic(kernel, inputs, ref_args, ref_out) * float(sweeps)
        if kind == "matmul":
            return kind, float(eval(expr, {}, env))
    except Exception:
        return kind, None
    return kind, None


def median_ms(fn, inputs, runs):
    return sorted(time_call(fn, inputs) * 1e3 for _ in range(runs))[runs // 2]


def run_contender(name, fn, kernel, inputs, ref, hints, runs):
    """{"status", "ms", "first_s", "reason"} of one contender on one kernel."""
    if isinstance(fn, cn.Missing):
        return {"status": fn.status, "reason": fn.reason}
    try:
        t = time.perf_counter()
        got_out, got_args = rd.call(fn, inputs)
        first = time.perf_counter() - t
    except Exception as e:
        return {"status": "n/a", "reason": "%s: %s" % (type(e).__name__, cn.one_line(e))}
    if name == "dace":
        got_out = normalize(ref[0], got_out)
    err, _ = rd.compare_call(kernel, ref[0], ref[1], got_out, got_args, hints)
    if err:
        return {"status": "wrong", "reason": cn.one_line(err, 220), "first_s": first}
    return {"status": "ok", "ms": median_ms(fn, inputs, runs), "first_s": first}


def load_all(path, kernels, names, ctx):
    """{contender: {kernel: callable or Missing}}; a loader that raises
    makes every kernel of the file n/a for that contender."""
    out = {}
    for name in names:
        try:
            out[name] = cn.LOADERS[name](path, kernels, ctx)
        except Exception as e:
            out[name] = cn.missing_all(kernels, "n/a", "%s: %s" % (type(e).__name__, e))
    return out


def bench_kernel(path, kernel, hints, fns, opts):
    """The JSON record of one kernel."""
    ref_fn = fns["numpy"][kernel.name]
    sizes = calibrate(path, kernel, hints, ref_fn, opts["quick"])
    rec = {"file": os.path.relpath(path, HERE.parent), "stem": path.stem, "kernel": kernel.name,
           "sizes": rd.sizes_text(sizes), "contenders": {}}
    inputs = inputs_for(path, kernel, hints, sizes)
    try:
        ref = rd.call(ref_fn, inputs)
    except Exception as e:
        rec["error"] = "NumPy raised %s: %s" % (type(e).__name__, cn.one_line(e))
        return rec
    rec["class"], rec["work"] = work(path, kernel, sizes, inputs, ref[1], ref[0])
    rec["numpy_ms"] = median_ms(ref_fn, inputs, opts["runs"])
    h = bench_hints(hints)
    for name in opts["contenders"]:
        rec["contenders"][name] = run_contender(name, fns[name][kernel.name], kernel,
                                                inputs, ref, h, opts["runs"])
    return rec


def worker_main(path, kernel_names, opts, ctx):
    """Prints one "@@kernel JSON" line per kernel of path named in kernel_names."""
    import json
    kernels, hints = rd.parse_file(path)
    kernels = [k for k in kernels if k.name in kernel_names]
    fns = load_all(path, kernels, ["numpy"] + opts["contenders"], ctx)
    for k in kernels:
        print("@@start " + json.dumps({"kernel": k.name}), flush=True)
        rec = bench_kernel(path, k, hints, fns, opts)
        print("@@kernel " + json.dumps(rec), flush=True)
