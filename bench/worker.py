"""bench/worker.py -- times the kernels of one file (run by bench.py in a
child process with the benchmark's environment).

For each kernel: sizes are chosen with NumPy (calibrate, bench/sizing.py:
the file's largest hint size set, the size symbols scaled together, then
iteration counts and single symbols alone, until NumPy's time reaches the
target; the reason is recorded when it cannot); the inputs are the
differential tests' (tests/diff/run_diff.py make_inputs, same seeds, with
the scaled integer arguments); NumPy is timed; then every contender is
called once on a copy of the inputs (the warm-up, which also compiles a
JIT) and checked against NumPy's outputs and arguments (run_diff's
compare_call, tolerances no tighter than rtol 1e-7 / atol 1e-9 since sums
may be reordered); then NumPy and every contender that was right are timed
in interleaved rounds (timed_rounds), each call on a fresh copy of the
inputs, or on the inputs themselves when NumPy's call wrote none of them;
the median counts. One JSON line per kernel.
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
import sizing                  # noqa: E402

ROUND_BUDGET_S = 1.0    # timed rounds go on, past the minimum, while under this
ROUND_MAX_FACTOR = 2    # ... up to this many times the minimum
# The pause after each timed call, so that the next call does not share the
# cores with the threads of the last one still spinning: OpenBLAS's pool
# (NumPy's, and dfc's BLAS calls) spins for 2^28 cycles of the time-stamp
# counter after each call, 0.128 s at this machine's 2.1 GHz, and an OpenMP
# team forked meanwhile runs on what the spinning threads leave
# (tests/corpus/ml.py:mlp took 9-11 ms or 27-35 ms right after NumPy's mlp,
# depending on which cores the threads landed on; linalg.py:bicg 7 ms after
# a pause of 0.25 s, 11-15 ms after 0.12 s: bench/README.md).
SETTLE_S = 0.2
# A call that takes under this many ms is timed right after an untimed call
# of the same callable: after the pause the machine is cold (numpy.sum of
# 1000 doubles took 106 us after 0.2 s asleep and 5 us back to back; a
# call of a dfc kernel that only stores one element 0.14 ms and 0.01 ms),
# which is nothing to a call of 10 ms but doubles one of 0.1 ms
# (linalg.py:syrk, 0.26 ms cold, 0.12 ms warm). The untimed call leaves
# the callable's own threads awake, as a program calling it in a loop has
# them; the pause still keeps the other contenders' threads away.
WARM_BELOW_MS = 20.0
# ... and it is called again, untimed, until its untimed calls add up to
# WARM_MS (or WARM_MAX_CALLS were made): one call of 0.05 ms does not wake
# the machine up. linalg.py:syrk at N=104, M=88 after the pause, median of
# 15 timed calls after 1 / 5 / 30 / 100 untimed ones: 0.067 / 0.040 /
# 0.045 / 0.033 ms. A call of WARM_MS or more is warmed by one call, as
# before: its cold start is a small part of it.
WARM_MS = 2.0
WARM_MAX_CALLS = 100
# ... and past WARM_MS until its time settles, the last two calls within
# WARM_SETTLE of each other (the faster over the slower), up to
# WARM_CAP_MS of calls: on a virtual machine whose idle vCPU the host
# wakes slowly (bench/fork_idle.c), the first call after the pause that
# forked a team waited 2.6 ms for its second thread, and the call after it
# 2.1 ms again, where a warm call of linalg.py:syr2k at N=104, M=88 takes
# 0.045 ms; with WARM_MS alone, that first call ended the warm-up and the
# timed call paid the wake (a median of 2 ms over 15 rounds, against
# 0.044 ms on one thread).
WARM_SETTLE = 0.9
WARM_CAP_MS = 50.0


def hints_with(hints, sizes):
    """hints whose `args` take the values sizes gives them (a scaled
    iteration count)."""
    h = copy.copy(hints)
    h.args = dict(hints.args)
    h.args.update({k: v for k, v in sizes.items() if k in hints.args})
    return h


def inputs_for(path, kernel, hints, sizes):
    case = "%s %s" % (kernel.name, rd.sizes_text(sizes))
    return rd.make_inputs(kernel, sizes, hints_with(hints, sizes), rd.case_seed(path, case))


def input_bytes(inputs):
    return sum(a.nbytes for a in inputs if isinstance(a, np.ndarray))


def time_call(fn, inputs, fresh=True):
    """Seconds of one call on a fresh copy of inputs (copy not timed), or
    on inputs themselves when not fresh (a kernel that writes none of
    them); the results are freed after the clock stops."""
    args = copy.deepcopy(inputs) if fresh else list(inputs)
    with np.errstate(all="ignore"):
        t = time.perf_counter()
        out = fn(*args)
        t = time.perf_counter() - t
    del out
    return t


def changed(a, b):
    """Whether b, an argument after a call, differs from a, the array the
    call was given (NaNs where a had them count as unchanged)."""
    try:
        return not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    except (TypeError, ValueError):
        return True


def writes_inputs(inputs, args_after):
    """Whether a call changed an array of inputs (args_after: the arguments
    after it, rd.call's second result)."""
    return any(isinstance(a, np.ndarray) and changed(a, b) for a, b in zip(inputs, args_after))


def probe(path, kernel, hints, sizes, fn):
    """(NumPy's ms at sizes, None), or (None, why) if NumPy refuses them
    or the inputs would pass the memory cap."""
    try:
        inputs = inputs_for(path, kernel, hints, sizes)
        if input_bytes(inputs) > sizing.MAX_INPUT_BYTES:
            return None, "the inputs would pass %d MiB" % (sizing.MAX_INPUT_BYTES >> 20)
        t = time_call(fn, inputs) * 1e3
        return (min(t, time_call(fn, inputs) * 1e3) if t < 50 else t), None
    except Exception as e:
        return None, "NumPy raised %s at %s" % (type(e).__name__, rd.sizes_text(sizes))


def int_scalars(kernel):
    return [p.name for p in kernel.params
            if not p.is_array and p.dtype.startswith(("int", "uint"))]


def base_sizes(kernel, hints):
    """The largest hint size set of the kernel's size symbols, with its
    integer scalars named like a size (a lag count K) and those the `args`
    hints fix (iteration counts); and the names the search scales
    together (the size symbols and size-named scalars)."""
    rd.kernel_sizes(kernel, hints)       # a missing symbol is a HintError
    syms, ints = kernel.symbols(), int_scalars(kernel)
    full = max(hints.sizes, key=lambda s: math.prod(s.get(k, 1) for k in syms))
    sized = [k for k in ints if k in full and k not in hints.args and k not in syms]
    base = {k: full[k] for k in syms + sized}
    base.update({k: int(hints.args[k]) for k in ints if isinstance(hints.args.get(k), int)})
    return base, syms + sized


def calibrate(path, kernel, hints, fn, quick):
    """sizing.Result: the sizes to time kernel at (see bench/sizing.py)."""
    base, together = base_sizes(kernel, hints)
    if quick:
        return sizing.Result(base, None, None)
    alone = [k for k in base if k not in together] + together
    return sizing.search(lambda s: probe(path, kernel, hints, s, fn), base, together,
                         [k for k in alone if base[k] > 0])


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
        if p.is_array and changed(a, b):
            n += b.nbytes
    outs = ref_out if isinstance(ref_out, tuple) else (ref_out,)
    return n + sum(o.nbytes for o in outs if isinstance(o, np.ndarray))


def memory_work(moved, sweeps, cache):
    """(class, bytes) of a memory-bound kernel that moves `moved` bytes per
    sweep: "memory" and moved * sweeps when they pass the cache (cache
    bytes: where the triad's bandwidth falls to memory's, measured by
    machine.limits); else "cache" -- the previous call (or the copy of the
    inputs) left them there, and every sweep may run from it -- and the
    bytes of every sweep, an
    effective bandwidth held against no limit."""
    return ("memory" if moved > cache else "cache"), moved * sweeps


def work(path, kernel, sizes, inputs, ref_args, ref_out, cache):
    """(class, bytes moved or flops, or None) from bench/classes.py."""
    kind, expr = classes.kernel_class(path.stem, kernel.name)
    env = dict(sizes)
    env.update({p.name: a for p, a in zip(kernel.params, inputs) if not p.is_array})
    env["result"] = ref_out
    try:
        if kind == "memory":
            sweeps = float(eval(expr, {}, env)) if expr else 1.0
            return memory_work(traffic(kernel, inputs, ref_args, ref_out), sweeps, cache)
        if kind == "matmul":
            return kind, float(eval(expr, {}, env))
    except Exception:
        return kind, None
    return kind, None


def median(xs):
    return sorted(xs)[len(xs) // 2]


def warm_up(fn, inputs, fresh, warm_ms, max_calls, settle=WARM_SETTLE, cap_ms=WARM_CAP_MS):
    """Untimed calls of fn (at least one) until they add up to warm_ms and
    the last two took within settle of each other (the faster over the
    slower; settle 0: any one call), or max_calls were made, or they add
    up to cap_ms."""
    spent, calls, last = 0.0, 0, None
    while calls < max(max_calls, 1) and spent < cap_ms:
        ms = time_call(fn, inputs, fresh) * 1e3
        spent += ms
        calls += 1
        settled = settle <= 0 or (last is not None and min(ms, last) >= settle * max(ms, last))
        last = ms
        if spent >= warm_ms and settled:
            break


def timed_rounds(fns, inputs, runs, budget_s=ROUND_BUDGET_S, fresh=True, settle_s=SETTLE_S,
                 warm_below_ms=WARM_BELOW_MS, warm_ms=WARM_MS, warm_max_calls=WARM_MAX_CALLS,
                 warm_settle=WARM_SETTLE):
    """{name: median ms} of the callables fns ({name: fn}), timed in
    interleaved rounds: each round calls every one once, in order, on a
    fresh copy of the inputs (on the inputs themselves when not fresh,
    time_call), each call followed by a pause of settle_s; a callable
    whose last timed call (none yet: in the first round) took under
    warm_below_ms is called, untimed, right before the timed call, until
    those calls add up to warm_ms and their time settled (warm_settle), or
    warm_max_calls were made (at least once: warm_up). At least runs rounds; more, up to ROUND_MAX_FACTOR * runs, while
    the rounds so far took under budget_s (the pauses not counted), so
    that fast kernels get the medians of more calls. A burst of load on
    the shared machine then falls on the calls of every contender alike,
    not on the runs of one."""
    times = {name: [] for name in fns}
    spent, rounds = 0.0, 0
    while rounds < runs or (rounds < ROUND_MAX_FACTOR * runs and spent < budget_s):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            if (times[name][-1] if times[name] else 0.0) < warm_below_ms:
                warm_up(fn, inputs, fresh, warm_ms, warm_max_calls, warm_settle)
            times[name].append(time_call(fn, inputs, fresh) * 1e3)
            spent += time.perf_counter() - t0
            time.sleep(settle_s)
        rounds += 1
    return {name: median(ts) for name, ts in times.items()}


def run_contender(name, fn, kernel, inputs, ref, hints):
    """{"status", "first_s", "reason"} of one contender on one kernel: the
    warm-up call and the check of its results; a contender whose status is
    "ok" is timed afterwards (timed_rounds)."""
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
    return {"status": "ok", "first_s": first}


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
    t = time.perf_counter()
    found = calibrate(path, kernel, hints, ref_fn, opts["quick"])
    sizes = found.sizes
    rec = {"file": os.path.relpath(path, HERE.parent), "stem": path.stem, "kernel": kernel.name,
           "sizes": rd.sizes_text(sizes), "contenders": {}, "sizing": found.note,
           "searched": not opts["quick"], "sizing_s": time.perf_counter() - t}
    inputs = inputs_for(path, kernel, hints, sizes)
    try:
        ref = rd.call(ref_fn, inputs)
    except Exception as e:
        rec["error"] = "NumPy raised %s: %s" % (type(e).__name__, cn.one_line(e))
        return rec
    rec["class"], rec["work"] = work(path, kernel, sizes, inputs, ref[1], ref[0],
                                     opts["cache_bytes"])
    h = bench_hints(hints)
    for name in opts["contenders"]:
        rec["contenders"][name] = run_contender(name, fns[name][kernel.name], kernel,
                                                inputs, ref, h)
    timed = {"numpy": ref_fn}
    timed.update((name, fns[name][kernel.name]) for name, c in rec["contenders"].items()
                 if c["status"] == "ok")
    # A kernel that writes no input (NumPy's call left them as they were,
    # and the check holds every contender to that) is called on the same
    # inputs every time: a fresh copy would leave the cache full of its
    # dirty lines, which the timed call would then write back to memory
    # (rgb_to_gray's 2.05 ms on clean inputs took 3.5 ms right after
    # copying them).
    ms = timed_rounds(timed, inputs, opts["runs"],
                      0.0 if opts["quick"] else ROUND_BUDGET_S,
                      fresh=writes_inputs(inputs, ref[1]))
    rec["numpy_ms"] = ms.pop("numpy")
    for name, t in ms.items():
        rec["contenders"][name]["ms"] = t
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
