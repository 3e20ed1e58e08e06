#!/usr/bin/python3
"""tests/wrap/instrument.py -- `dfc build --instrument` and its trace.

Two kernel files are built with --instrument, as modules (and one as an
executable). Called from Python, the kernels must still give NumPy's
results, and the trace file (DFC_TRACE) must be valid Chrome-trace JSON
with, per call, one "kernel" event per kernel and one event per run of
every state and top-level map the generated C declares (a state in a loop
of n iterations runs n times per call), each named and located as declared,
with durations >= 0, nested in the call's kernel event (maps inside a
state), and state durations summing to no more than the call's. Also:
events of two modules of one process go to one file (flushes append);
concurrent calls from several threads lose or corrupt no event; a trace is
written at exit without an explicit flush; a new process replaces an old
file; an unwritable trace file is an OSError (Python) or exit status 1 (the
executable); without --instrument nothing of this is generated. Usage:
instrument.py DFC (from the repository root); prints nothing and exits 0
on success.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

import numpy as np

KERNEL = """\
import numpy as np


# dfc: scale(A: float64[N, M], s: float64)
def scale(A, s):
    B = A * s
    return B + 1.0


# dfc: iterate(A: float64[N], n: int64)
def iterate(A, n):
    t = 0.0
    for i in range(n):
        A[:] = A * 0.5 + 1.0
        t += np.sum(A)
    return t
"""
LOOP_LINES = {14, 15}        # the body of iterate's loop

OTHER = """\
import numpy as np


# dfc: norm2(x: float64[N])
def norm2(x):
    return np.sqrt(np.sum(x * x))
"""

SITE = re.compile(r'static const DfcrtTraceSite dfctrace_site_\w+ = '
                  r'\{ "([^"]*)", "(\w+)", "(\w+)", "([^"]*)", (\d+) \};')

FAILURES = []


def expect(cond, msg):
    if not cond:
        FAILURES.append(msg)


def build(dfc, d, name, text, *flags):
    with open(os.path.join(d, name + ".py"), "w") as f:
        f.write(text)
    r = subprocess.run([dfc, "build", name + ".py", "-o", "out"] + list(flags), cwd=d,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        print("dfc build %s %s failed: %s" % (name, " ".join(flags), r.stderr))
        sys.exit(1)


def load(d, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(d, "out", name + ".py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def sites(d, name):
    """(name, cat, kernel, file, line) of each timed region of out/NAME.c."""
    with open(os.path.join(d, "out", name + ".c")) as f:
        return [(n, c, k, fl, int(l)) for n, c, k, fl, l in SITE.findall(f.read())]


def read_trace(path):
    with open(path) as f:
        text = f.read()
    try:
        return json.loads(text)["traceEvents"]
    except (ValueError, KeyError) as e:
        FAILURES.append("%s is not a Chrome trace: %s" % (path, e))
        return []


def check_counts(evs, regions, kernel, per_call):
    """Each region of kernel has per_call(line) events per call of it."""
    calls = sum(1 for e in evs if e["cat"] == "kernel" and e["name"] == kernel)
    mine = [r for r in regions if r[2] == kernel]
    expect(any(r[1] == "state" for r in mine) and any(r[1] == "map" for r in mine),
           "%s: no state or no map declared: %r" % (kernel, mine))
    for name, cat, k, fl, line in mine:
        want = calls * per_call(line) * sum(1 for r in mine if r[0] == name and r[1] == cat)
        got = [e for e in evs if e["name"] == name and e["cat"] == cat
               and e["args"]["kernel"] == k]
        expect(len(got) == want, "%s %s: %d events, expected %d" % (cat, name, len(got), want))
        expect(all(e["args"]["line"] == line and e["args"]["file"] == fl for e in got),
               "%s %s: wrong line or file: %r" % (cat, name, got[:1]))
        m = re.match(r"(state|map)_L(\d+)", name)
        expect(cat == "kernel" or (m and m.group(1) == cat and int(m.group(2)) == line),
               "%s: the stable name does not match line %d" % (name, line))
    return calls


def inside(e, outer):
    return (e["tid"] == outer["tid"] and outer["ts"] - 1e-3 <= e["ts"] and
            e["ts"] + e["dur"] <= outer["ts"] + outer["dur"] + 2e-3)


def check_nesting(evs):
    """Every event lies in a call of its kernel; maps in a state; the
    states of a call take no more than the call."""
    kernels = [e for e in evs if e["cat"] == "kernel"]
    states = [e for e in evs if e["cat"] == "state"]
    for e in evs:
        expect(e["ph"] == "X" and e["dur"] >= 0 and e["pid"] == os.getpid()
               and isinstance(e["tid"], int), "bad event %r" % e)
        if e["cat"] == "kernel":
            continue
        outer = [k for k in kernels if k["name"] == e["args"]["kernel"] and inside(e, k)]
        expect(len(outer) == 1, "%s is in %d calls of its kernel" % (e["name"], len(outer)))
        if e["cat"] == "map":
            expect(any(inside(e, s) for s in states), "map %s is in no state" % e["name"])
    for k in kernels:
        total = sum(s["dur"] for s in states if inside(s, k))
        expect(total <= k["dur"] + 1e-3 * len(states),
               "the states of a call of %s take %g us, the call %g us" % (k["name"], total,
                                                                         k["dur"]))


def check_module(d, ins, other):
    """Calls, flushes, and the trace of both modules in one file."""
    A = np.random.default_rng(1).random((30, 20))
    expect(np.allclose(ins.scale(A, 3.0), A * 3.0 + 1.0), "scale's result")
    x = np.arange(1.0, 9.0)
    ref = x.copy()
    t = 0.0
    for _ in range(4):
        ref[:] = ref * 0.5 + 1.0
        t += ref.sum()
    expect(np.isclose(ins.iterate(x, 4), t) and np.allclose(x, ref), "iterate's result")
    expect(np.isclose(other.norm2(x), np.sqrt((x * x).sum())), "norm2's result")
    path = ins.dfc_trace_flush()
    expect(path == os.path.join(d, "trace.json"), "dfc_trace_flush() returned %r" % path)
    ins.scale(A, 1.0)
    other.norm2(x)
    other.dfc_trace_flush()
    ins.dfc_trace_flush()
    evs = read_trace(path)
    regions = sites(d, "ins") + sites(d, "other")
    expect(check_counts(evs, regions, "scale", lambda line: 1) == 2, "2 calls of scale")
    per = lambda line: 4 if line in LOOP_LINES else 1
    expect(check_counts(evs, regions, "iterate", per) == 1, "1 call of iterate")
    expect(check_counts(evs, regions, "norm2", lambda line: 1) == 2, "2 calls of norm2")
    expect(len(evs) == sum(1 for e in evs if (e["name"], e["cat"], e["args"]["kernel"])
                           in {(r[0], r[1], r[2]) for r in regions} or e["cat"] == "kernel"),
           "events of no declared region")
    check_nesting(evs)


def check_threads(d, ins):
    """Concurrent calls (ctypes releases the GIL): no event lost."""
    os.remove(os.path.join(d, "trace.json"))
    A = np.ones((50, 40))

    def work():
        for _ in range(25):
            ins.scale(A, 2.0)
    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ins.dfc_trace_flush()
    evs = read_trace(os.path.join(d, "trace.json"))
    expect(check_counts(evs, sites(d, "ins"), "scale", lambda line: 1) == 100,
           "100 calls of scale from 4 threads")
    check_nesting(evs)


RUN = """\
import importlib.util, os, sys
import numpy as np
spec = importlib.util.spec_from_file_location("ins", os.path.join("out", "ins.py"))
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
m.scale(np.ones((3, 2)), 2.0)
if sys.argv[1] == "flush":
    try:
        m.dfc_trace_flush()
    except OSError as e:
        print("OSError:", e)
"""


def check_exit_and_errors(d):
    """A trace is written at exit; an unwritable one raises OSError."""
    with open(os.path.join(d, "run.py"), "w") as f:
        f.write(RUN)
    env = dict(os.environ, DFC_TRACE="atexit.json")
    r = subprocess.run([sys.executable, "run.py", "exit"], cwd=d, env=env,
                       capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0 and r.stderr == "", "run.py exit: %s" % r.stderr)
    evs = read_trace(os.path.join(d, "atexit.json"))
    expect(sorted(e["cat"] for e in evs if e["cat"] == "kernel") == ["kernel"],
           "the trace written at exit: %r" % evs)
    os.mkdir(os.path.join(d, "adir"))
    adir = os.path.join(os.path.realpath(d), "adir")     # relative paths are made absolute
    env = dict(os.environ, DFC_TRACE="adir")
    r = subprocess.run([sys.executable, "run.py", "flush"], cwd=d, env=env,
                       capture_output=True, text=True, timeout=60)
    expect(r.stdout.startswith("OSError: cannot write the trace file '%s': " % adir)
           and r.stderr == "", "unwritable trace from Python: %r %r" % (r.stdout, r.stderr))
    r = subprocess.run([sys.executable, "run.py", "exit"], cwd=d, env=env,
                       capture_output=True, text=True, timeout=60)
    expect(r.stderr.startswith("dfcrt: cannot write the trace file '%s': " % adir),
           "unwritable trace at exit: %r" % r.stderr)


def check_exe(d):
    """The executable: one kernel event per --repeat; a new process
    replaces the file; an unwritable trace is exit status 1."""
    np.save(os.path.join(d, "x.npy"), np.arange(5.0))
    exe = os.path.join(d, "out", "ins")
    env = dict(os.environ, DFC_TRACE="exe.json")
    for repeat in ("3", "2"):
        r = subprocess.run([exe, "--func", "iterate", "x.npy", "3", "--repeat", repeat, "-o",
                            "res"], cwd=d, env=env, capture_output=True, text=True, timeout=60)
        expect(r.returncode == 0, "exe: exit %d: %s" % (r.returncode, r.stderr))
    evs = read_trace(os.path.join(d, "exe.json"))
    per = lambda line: 3 if line in LOOP_LINES else 1
    expect(check_counts(evs, sites(d, "ins"), "iterate", per) == 2,
           "the second run's 2 calls only")
    expect(all(e["pid"] == evs[0]["pid"] for e in evs), "events of two processes")
    env = dict(os.environ, DFC_TRACE="adir")
    r = subprocess.run([exe, "--func", "iterate", "x.npy", "3", "-o", "res"], cwd=d, env=env,
                       capture_output=True, text=True, timeout=60)
    adir = os.path.join(os.path.realpath(d), "adir")
    expect(r.returncode == 1 and r.stderr == "%s: cannot write the trace file '%s': Is a "
           "directory\n" % (exe, adir), "exe with an unwritable trace: %d %r" % (r.returncode,
                                                                       r.stderr))


def check_plain(dfc, d):
    """Without --instrument: no timer, no flush function."""
    build(dfc, d, "plain", KERNEL, "--emit", "c")
    with open(os.path.join(d, "out", "plain.c")) as f:
        expect("dfcrt_trace" not in f.read(), "timers without --instrument")
    with open(os.path.join(d, "out", "plain.py")) as f:
        expect("dfc_trace_flush" not in f.read(), "dfc_trace_flush without --instrument")


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        build(dfc, d, "ins", KERNEL, "--instrument", "--emit", "exe")
        build(dfc, d, "other", OTHER, "--instrument", "-O0")
        os.environ["DFC_TRACE"] = os.path.join(d, "trace.json")
        ins, other = load(d, "ins"), load(d, "other")
        check_module(d, ins, other)
        check_threads(d, ins)
        check_exit_and_errors(d)
        check_exe(d)
        check_plain(dfc, d)
    if FAILURES:
        print("\n".join(FAILURES))
        sys.exit(1)


if __name__ == "__main__":
    main()
