#!/usr/bin/python3
"""tests/wrap/bench_smoke.py -- the benchmark driver (bench/bench.py) works.

Runs the driver with --quick on a file of two small kernels (KERNELS,
written to a temporary directory) against the contenders dfc and "wrong"
(NumPy's result perturbed: the driver's self-test), with its cache and its
RESULTS.md in that directory. RESULTS.md must hold the machine limits (the
cost of a fork after the pause between calls among them), a
table row per kernel with NumPy's time, dfc's speedup and dfc's time to C
as numbers, the perturbed contender flagged WRONG (never timed) with its
reason, the geometric means, the targets per class and the compile times;
results.json must say the same. Before that, without NumPy's timings: the
size search (bench/sizing.py) on fake kernels whose time is a formula of
their sizes (one that grows with its size, one with an iteration count
only, one that overshoots, one that never grows, one that runs out of
budget), the single-kernel sources of bench/compile_time.py, the classes
of bench/worker.py memory_work, its interleaved timing rounds
(timed_rounds), bench/call_overhead.py (it runs and prints its rows), and
`dfc build --time` itself. Usage:
bench_smoke.py DFC (from the repository root); prints nothing and exits 0
on success.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, "bench")
import compile_time  # noqa: E402
import machine  # noqa: E402
import sizing        # noqa: E402
import worker        # noqa: E402

KERNELS = """\
import numpy as np

# dfc-test: sizes N=2000


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    y[:] = a * x + y


# dfc: norm2(x: float64[N])
def norm2(x):
    return np.sqrt(np.sum(x * x))
"""


def fail(msg, out=""):
    print("bench_smoke: " + msg)
    if out:
        print(out[-3000:])
    sys.exit(1)


def fake_probe(ms_of, cap=None):
    """A probe whose NumPy time is ms_of(sizes), refused past cap(sizes)."""
    def probe(sizes):
        if cap and cap(sizes):
            return None, "the inputs would pass the cap"
        return ms_of(sizes), None
    return probe


def check_sizing():
    s = sizing
    # Time grows with N: N is scaled until NumPy reaches the target.
    r = s.search(fake_probe(lambda z: 1e-4 * z["N"]), {"N": 13}, ["N"], ["N"])
    if r.note or not s.TARGET_MS <= r.ms <= s.CEILING_MS or r.sizes["N"] <= 13 * 4096:
        fail("sizing, linear in N: %r %r %r" % (r.sizes, r.ms, r.note))
    # N stops at the memory cap; the iteration count then grows alone.
    r = s.search(fake_probe(lambda z: 1e-3 * z["N"] * z["steps"], lambda z: z["N"] > 1000),
                 {"N": 13, "steps": 3}, ["N"], ["steps", "N"])
    if r.note or r.sizes["steps"] <= 3 or r.sizes["N"] > 1000 or r.ms < s.TARGET_MS:
        fail("sizing, iteration count: %r %r %r" % (r.sizes, r.ms, r.note))
    # A doubling that overshoots the ceiling is bisected: 2^K / 100 ms.
    r = s.search(fake_probe(lambda z: 2.0 ** z["K"] / 100), {"K": 4}, ["K"], ["K"])
    if r.note or not s.TARGET_MS <= r.ms <= s.CEILING_MS or r.sizes["K"] != 11:
        fail("sizing, bisection: %r %r %r" % (r.sizes, r.ms, r.note))
    # Time that grows with nothing: the reason is kept, the sizes are not grown for nothing.
    r = s.search(fake_probe(lambda z: 0.05, lambda z: z["N"] > 10 ** 6), {"N": 13, "k": 3},
                 ["N"], ["k", "N"])
    if not r.note or "0.05 ms" not in r.note or r.sizes["k"] != 3:
        fail("sizing, constant time: %r %r %r" % (r.sizes, r.ms, r.note))
    # NumPy refuses the hint sizes.
    r = s.search(fake_probe(lambda z: 1.0, lambda z: True), {"N": 13}, ["N"], ["N"])
    if r.ms is not None or "refuses the hint sizes" not in (r.note or ""):
        fail("sizing, refused: %r %r" % (r.ms, r.note))
    # The budget: a clock that moves one second per probe.
    ticks = iter(range(10 ** 6))
    r = s.search(fake_probe(lambda z: 1e-6 * z["N"]), {"N": 13}, ["N"], ["N"], budget_s=5,
                 clock=lambda: float(next(ticks)))
    if "budget" not in (r.note or ""):
        fail("sizing, budget: %r %r" % (r.sizes, r.note))


def check_helpers():
    text = "# dfc: a(x: float64[N])\ndef a(x):\n    return x\n" \
           "# dfc: b(x: float64[N])\ndef b(x):\n    return a(x)\n"
    one = compile_time.single_kernel_text(text, "b")
    if "# dfc: a(" in one or "# dfc: b(" not in one or one.count("\n") != text.count("\n"):
        fail("single_kernel_text: %r" % one)
    times = compile_time.parse("dfc: time: frontend 1.5 ms\ndfc: time: source to C 2.25 ms\n")
    if times != {"frontend_ms": 1.5, "to_c_ms": 2.25}:
        fail("compile_time.parse: %r" % times)
    if worker.memory_work(100, 3.0, 1000) != ("cache", 300.0) or \
            worker.memory_work(5000, 2.0, 1000) != ("memory", 10000.0):
        fail("memory_work does not class by the cache size")
    calls = []

    def rec(name):
        return lambda x: calls.append(name)
    ms = worker.timed_rounds({"numpy": rec("numpy"), "dfc": rec("dfc")}, [1.0], 5, 0.0,
                             settle_s=0.0, warm_below_ms=0.0)
    if calls != ["numpy", "dfc"] * 5 or set(ms) != {"numpy", "dfc"}:
        fail("timed_rounds with no budget: calls %r, medians %r" % (calls, ms))
    del calls[:]
    worker.timed_rounds({"numpy": rec("numpy"), "dfc": rec("dfc")}, [1.0], 5, 60.0,
                        settle_s=0.0, warm_below_ms=0.0)
    if calls != ["numpy", "dfc"] * (5 * worker.ROUND_MAX_FACTOR):
        fail("timed_rounds under its budget does not run its most rounds: %r" % calls)
    # a fast call is timed right after an untimed one; a slow one only in
    # the first round, before its time is known
    del calls[:]

    def slow(x):
        calls.append("slow")
        time.sleep(0.012)
    worker.timed_rounds({"numpy": slow, "dfc": rec("dfc")}, [1.0], 3, 0.0,
                        settle_s=0.0, warm_below_ms=10.0, warm_ms=0.0, warm_settle=0.0)
    want = ["slow", "slow", "dfc", "dfc"] + ["slow", "dfc", "dfc"] * 2
    if calls != want:
        fail("timed_rounds' untimed calls: %r, not %r" % (calls, want))
    # the untimed calls of a fast one go on until they add up to warm_ms
    # (here never), at most warm_max_calls of them; a slow one's first
    # untimed call already does (settling, checked below, left out: two
    # sleeps on a loaded machine need not last within 10%)
    del calls[:]
    worker.timed_rounds({"numpy": slow, "dfc": rec("dfc")}, [1.0], 2, 0.0,
                        settle_s=0.0, warm_below_ms=20.0, warm_ms=5.0, warm_max_calls=4,
                        warm_settle=0.0)
    want = ["slow", "slow"] + ["dfc"] * 5 + ["slow", "slow"] + ["dfc"] * 5
    if calls != want:
        fail("timed_rounds' untimed calls up to warm_ms: %r, not %r" % (calls, want))
    # past warm_ms, the untimed calls go on while their time still falls
    # (a team of threads woken slowly), until two are within settle of
    # each other, or they add up to cap_ms. The calls' times are scripted
    # (worker.time_call replaced): sleeps took 1 ms one time and 4 the
    # next under make test's load, which no ratio tolerates.
    durations = []

    def scripted(fn, inputs, fresh=True):
        durations.append(None)
        return [0.016, 0.004, 0.001][min(len(durations), 3) - 1]
    real_time_call = worker.time_call
    worker.time_call = scripted
    try:
        worker.warm_up(None, [1.0], False, 1.0, 100, settle=0.5)
        if len(durations) != 4:
            fail("warm_up stopped after %d calls of a callable taking 16, 4, 1, 1 ms, "
                 "not once its time settled (4)" % len(durations))
        del durations[:]
        worker.warm_up(None, [1.0], False, 1.0, 100, settle=0.5, cap_ms=10.0)
        if len(durations) != 1:
            fail("warm_up made %d calls of a callable taking 16 ms, past its cap of "
                 "10 ms (1)" % len(durations))
    finally:
        worker.time_call = real_time_call
    if worker.WARM_BELOW_MS < 10.0:
        fail("WARM_BELOW_MS %r: a cold call costs about 0.1 ms, 1%% of a 10-ms call"
             % worker.WARM_BELOW_MS)
    if not 1.0 <= worker.WARM_MS <= 10.0 or worker.WARM_MAX_CALLS < 20:
        fail("WARM_MS %r, WARM_MAX_CALLS %r: a fast call needs about 1 ms of calls to warm up"
             % (worker.WARM_MS, worker.WARM_MAX_CALLS))
    # each call is followed by the pause, which the budget does not count
    stamps = []
    worker.timed_rounds({"numpy": lambda x: stamps.append(time.perf_counter()),
                         "dfc": lambda x: stamps.append(time.perf_counter())}, [1.0], 2, 0.05,
                        settle_s=0.03, warm_below_ms=0.0)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    if len(stamps) != 2 * 2 * worker.ROUND_MAX_FACTOR or min(gaps) < 0.03:
        fail("timed_rounds does not pause settle_s after each call: %d calls, gaps %r"
             % (len(stamps), gaps))
    if worker.SETTLE_S < 2 ** 28 / 2.1e9:
        fail("SETTLE_S %r is shorter than OpenBLAS's spin of 2^28 cycles at 2.1 GHz"
             % worker.SETTLE_S)
    if worker.median([5.0, 1.0, 4.0, 2.0, 3.0]) != 3.0:
        fail("median")
    x = [np.array([1.0, np.nan]), 2.0, np.array([1, 2])]
    if worker.writes_inputs(x, [np.array([1.0, np.nan]), 3.0, np.array([1, 2])]):
        fail("writes_inputs: unchanged arrays (a NaN, a changed scalar) count as written")
    if not worker.writes_inputs(x, [np.array([1.0, np.nan]), 2.0, np.array([1, 3])]):
        fail("writes_inputs: a changed int array is not seen")
    seen = []
    worker.time_call(lambda a: seen.append(a), [x[0]], fresh=False)
    worker.time_call(lambda a: seen.append(a), [x[0]])
    if seen[0] is not x[0] or seen[1] is x[0] or not np.array_equal(seen[1], x[0], equal_nan=True):
        fail("time_call: not fresh must pass the inputs themselves, fresh a copy")


def check_time_flag(dfc, tmp, src):
    """dfc build --time prints each phase; the C compiler's only when it ran."""
    out = os.path.join(tmp, "timed")
    for emit, cc in (("c", False), ("so", True)):
        p = subprocess.run([dfc, "build", src, "-o", out, "--emit", emit, "--time"],
                           capture_output=True, text=True, timeout=100)
        t = compile_time.parse(p.stderr)
        want = {"frontend_ms", "passes_ms", "emit_ms", "to_c_ms"} | ({"cc_ms"} if cc else set())
        if p.returncode != 0 or set(t) != want:
            fail("dfc build --emit %s --time: %r" % (emit, t), p.stderr)
        if abs(t["frontend_ms"] + t["passes_ms"] + t["emit_ms"] - t["to_c_ms"]) > 0.01:
            fail("source to C is not the sum of the phases: %r" % t)
    p = subprocess.run([dfc, "dump", src, "--time"], capture_output=True, text=True, timeout=100)
    if p.returncode != 2 or "--time applies to dfc build only" not in p.stderr:
        fail("dfc dump --time is not a usage error", p.stderr)


def check_markdown(text):
    for what in ("STREAM triad", "OpenBLAS dgemm", "## Geometric means", "NumPy's BLAS",
                 "## Targets", "| all | 2 |", "## Compile time", "under 50 ms: 2 of 2",
                 "**met**: dfc's own time from source to C under 50 ms per kernel: 2 of 2"):
        if what not in text:
            fail("RESULTS.md lacks '%s'" % what, text)
    if not re.search(r"an OpenMP parallel region after 0\.2 s idle, [^\n]*GOMP_SPINCOUNT=%s "
                     r"[^\n]*: [\d.]+ us;" % machine.MODULE_SPINCOUNT, text):
        fail("RESULTS.md does not give the cost of a fork after the pause (fork_idle.c)", text)
    with open("codegen/pywrap.c") as f:
        if '_os.environ[\\"GOMP_SPINCOUNT\\"] = \\"%s\\"' % machine.MODULE_SPINCOUNT \
                not in f.read():
            fail("bench/machine.py MODULE_SPINCOUNT is not the spin count codegen/pywrap.c sets")
    if not re.search(r"2 kernels: median [\d.]+ ms, 90th percentile [\d.]+ ms, "
                     r"max [\d.]+ ms", text):
        fail("RESULTS.md does not give the distribution of dfc's times to C", text)
    for kernel in ("axpy", "norm2"):
        row = next((l for l in text.splitlines() if l.startswith("| kernels.py:%s |" % kernel)), None)
        if row is None:
            fail("RESULTS.md has no row for %s" % kernel, text)
        cells = [c.strip() for c in row.strip("|").split("|")]
        if not re.fullmatch(r"\d+\.\d", cells[3]) or not re.fullmatch(r"[\d.e+-]+x", cells[4]):
            fail("row of %s: NumPy ms / dfc speedup are not numbers: %s" % (kernel, row))
        if cells[5] != "WRONG":
            fail("row of %s: the perturbed contender is not flagged WRONG: %s" % (kernel, row))
        if not re.fullmatch(r"\d+\.\d", cells[7]):
            fail("row of %s: dfc's time to C is not a number: %s" % (kernel, row))
        if not re.search(r"kernels.py:%s, wrong \(self-test\) wrong: .*differ" % kernel, text):
            fail("RESULTS.md does not say why %s's perturbed result is wrong" % kernel, text)


def check_json(path):
    with open(path, encoding="utf-8") as f:
        recs = json.load(f)["records"]
    for r in recs:
        dfc, wrong = r["contenders"]["dfc"], r["contenders"]["wrong"]
        if dfc["status"] != "ok" or not dfc["ms"] > 0 or not r["numpy_ms"] > 0:
            fail("results.json: dfc not timed on %s: %r" % (r["kernel"], dfc))
        if wrong["status"] != "wrong" or "ms" in wrong:
            fail("results.json: the wrong contender was timed on %s: %r" % (r["kernel"], wrong))
        c = r.get("compile") or {}
        if not c.get("to_c_ms", 0) > 0 or not c.get("cc_ms", 0) > 0:
            fail("results.json: no compile times for %s: %r" % (r["kernel"], c))


def check_call_overhead(dfc):
    """bench/call_overhead.py runs and prints a positive time per row."""
    p = subprocess.run([sys.executable, "bench/call_overhead.py", "--dfc", dfc, "--number", "20"],
                       capture_output=True, text=True, timeout=100)
    rows = re.findall(r"^  (.+?) +([0-9.]+) us$", p.stdout, re.M)
    if p.returncode != 0 or len(rows) != 8 or not all(float(t) > 0 for _, t in rows):
        fail("bench/call_overhead.py: exit %d, %d rows" % (p.returncode, len(rows)),
             p.stdout + p.stderr)


def main():
    dfc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dfc")
    check_sizing()
    check_helpers()
    check_call_overhead(dfc)
    with tempfile.TemporaryDirectory(prefix="dfc-bench-") as tmp:
        src = os.path.join(tmp, "kernels.py")
        with open(src, "w", encoding="utf-8") as f:
            f.write(KERNELS)
        check_time_flag(dfc, tmp, src)
        out = os.path.join(tmp, "RESULTS.md")
        cmd = [sys.executable, "bench/bench.py", "--quick", "--dfc", dfc, "--contenders",
               "dfc,wrong", "--out", out, "--cache", os.path.join(tmp, "cache"), src]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=100)
        if p.returncode != 0:
            fail("bench.py exited with %d" % p.returncode, p.stdout + p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("| " + os.path.relpath(src, os.getcwd()) + ":", "| kernels.py:")
        check_markdown(text)
        check_json(os.path.join(tmp, "results.json"))


if __name__ == "__main__":
    main()
