#!/usr/bin/python3
"""tests/wrap/instrument_prof.py -- `dfc prof TRACE.json`.

The table of a hand-written Chrome trace (two kernels, states, maps, events
of other tools and phases) must be exactly the expected one: rows
aggregated by kernel and region, sorted by total time, with calls, total
ms, mean us, the share of the kernel's time and the source line; --top N
keeps the first N rows; the same events as compact JSON, or as a bare
array, give the same rows. A trace written by a kernel built with
--instrument is read back with its kernel at 100%. Malformed, empty,
non-trace and YAML files, and bad events, are located errors (exit 1);
bad options are usage errors (exit 2); --help lists prof. Usage:
instrument_prof.py DFC (from the repository root); prints nothing and
exits 0 on success.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

EVENTS = [
    {"name": "process_name", "ph": "M", "pid": 1, "args": {"name": "python"}},
    ("k1", "kernel", 0, 1000, 1, "k1", 4),
    ("state_L5", "state", 10, 600, 1, "k1", 5),
    ("map_L5", "map", 20, 500, 1, "k1", 5),
    ("k1", "kernel", 2000, 1000, 1, "k1", 4),
    ("state_L5", "state", 2010, 600, 1, "k1", 5),
    ("map_L5", "map", 2020, 500, 1, "k1", 5),
    ("state_L9", "state", 2700, 300.5, 1, "k1", 9),
    ("k2", "kernel", 5000, 1500, 2, "k2", 18),
    ("state_L20", "state", 5001, 1400, 2, "k2", 20),
    {"name": "begin", "ph": "B", "ts": 7000, "pid": 1, "tid": 1},
    {"name": "gc", "ph": "X", "ts": 7000, "dur": 100, "pid": 1, "tid": 1},
]

TABLE = """\
kernel  name       kind     calls    total ms     mean us % kernel  where
k1      k1         kernel       2       2.000     1000.00    100.0  k.py:4
k2      k2         kernel       1       1.500     1500.00    100.0  k.py:18
k2      state_L20  state        1       1.400     1400.00     93.3  k.py:20
k1      state_L5   state        2       1.200      600.00     60.0  k.py:5
k1      map_L5     map          2       1.000      500.00     50.0  k.py:5
k1      state_L9   state        1       0.300      300.50     15.0  k.py:9
-       gc                      1       0.100      100.00        -  -
"""

# (file content, expected stderr) of traces dfc prof must refuse
BAD = [
    ('{"traceEvents": [\n', 'bad.json:2:1: error: invalid JSON: did not find expected node content\n'),
    ('{"a": 1}\n', 'bad.json:1:1: error: not a Chrome trace: expected an object with '
     '"traceEvents" or an array of events\n    {"a": 1}\n    ^\n'),
    ('{"traceEvents": {}}\n', 'bad.json:1:17: error: "traceEvents" must be an array of '
     'events\n    {"traceEvents": {}}\n                    ^\n'),
    ('{"traceEvents": [{"name": "a", "ph": "X", "ts": 1}]}\n',
     'bad.json:1:18: error: trace event 1 has no "dur"\n'),
    ('[{"ph": "X", "name": "a", "ts": 1, "dur": -2}]\n',
     'bad.json:1:43: error: "dur" of trace event 1 is negative\n'),
    ('[{"ph": "X", "name": "a", "ts": 1, "dur": "5"}]\n',
     'bad.json:1:43: error: "dur" of trace event 1 must be a finite number (microseconds)\n'),
    ('[{"ph": "X", "name": 5, "ts": 1, "dur": 5}]\n',
     'bad.json:1:22: error: trace event 1 has a "name" that is not a string\n'),
    ('[{"ph": "X", "name": "a", "ts": 0, "dur": 1, "args": {"line": 1.5}}]\n',
     'bad.json:1:63: error: argument "line" must be an integer >= 0\n'),
    ('[{"ph": "X", "name": "a", "ts": 0, "dur": 1, "args": [1]}]\n',
     'bad.json:1:54: error: "args" of a trace event must be an object\n'),
    ('[{"ph": "B"}, 3]\n', 'bad.json:1:15: error: trace event 2 is not an object\n'),
    ('[{"name": "a"}]\n', 'bad.json:1:2: error: trace event 1 has no "ph" (phase)\n'),
    ('{"traceEvents": []} {"x": 1}\n',
     'bad.json:1:21: error: invalid JSON: did not find expected <document start>\n'),
    ('', 'bad.json:1:1: error: expected a Chrome trace (JSON), found an empty file\n'),
    ('traceEvents: []\n', 'bad.json:1:1: error: expected JSON, found YAML block syntax\n'),
    ('42\n', 'bad.json:1:1: error: not a Chrome trace: expected an object with '
     '"traceEvents" or an array of events\n'),
]

FAILURES = []


def expect(cond, msg):
    if not cond:
        FAILURES.append(msg)


def event(e):
    if isinstance(e, dict):
        return e
    name, cat, ts, dur, tid, kernel, line = e
    return {"name": name, "cat": cat, "ph": "X", "ts": ts, "dur": dur, "pid": 1, "tid": tid,
            "args": {"kernel": kernel, "file": "k.py", "line": line}}


def prof(dfc, d, *args):
    return subprocess.run([dfc, "prof"] + list(args), cwd=d, capture_output=True, text=True,
                          errors="replace", timeout=60)


def check_table(dfc, d):
    evs = [event(e) for e in EVENTS]
    with open(os.path.join(d, "t.json"), "w") as f:
        f.write('{"traceEvents": [\n' + ",\n".join(json.dumps(e) for e in evs) + "\n]}\n")
    with open(os.path.join(d, "c.json"), "w") as f:
        json.dump(evs, f, separators=(",", ":"))
    r = prof(dfc, d, "t.json")
    want = "t.json: 10 events, 7 regions\n" + TABLE
    expect(r.returncode == 0 and r.stdout == want and r.stderr == "",
           "dfc prof t.json: %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    r = prof(dfc, d, "c.json")
    expect(r.returncode == 0 and r.stdout == "c.json: 10 events, 7 regions\n" + TABLE,
           "dfc prof c.json (compact array):\n%s%s" % (r.stdout, r.stderr))
    r = prof(dfc, d, "--top=3", "t.json")
    want = "t.json: 10 events, 7 regions\n" + "".join(TABLE.splitlines(True)[:4])
    expect(r.returncode == 0 and r.stdout == want + "(4 more rows)\n",
           "dfc prof --top=3:\n%s%s" % (r.stdout, r.stderr))


def check_errors(dfc, d):
    for text, err in BAD:
        with open(os.path.join(d, "bad.json"), "w") as f:
            f.write(text)
        r = prof(dfc, d, "bad.json")
        expect(r.returncode == 1 and r.stdout == "" and r.stderr.startswith(err),
               "dfc prof on %r: exit %d, stderr %r, expected %r" % (text, r.returncode,
                                                                   r.stderr, err))
    with open(os.path.join(d, "bin.json"), "wb") as f:
        f.write(b'{"traceEvents": [\xff]}\n')
    r = prof(dfc, d, "bin.json")
    expect(r.returncode == 1 and r.stderr.startswith(
        "bin.json:1:18: error: invalid JSON: invalid leading UTF-8 octet"), r.stderr)
    r = prof(dfc, d, "missing.json")
    expect(r.returncode == 1 and r.stderr ==
           "missing.json: error: cannot read file: No such file or directory\n", r.stderr)
    for args, err in [(["t.json", "--top", "0"], "--top takes a positive integer, not '0'"),
                      (["t.json", "--top"], "missing argument to '--top'"),
                      ([], "no input file")]:
        r = prof(dfc, d, *args)
        expect(r.returncode == 2 and r.stderr.startswith("dfc: error: " + err),
               "dfc prof %r: %d %r" % (args, r.returncode, r.stderr))
    r = subprocess.run([dfc, "dump", "t.py", "--top", "3"], cwd=d, capture_output=True,
                       text=True, timeout=60)
    expect(r.returncode == 2 and "--top applies to dfc prof only" in r.stderr, r.stderr)
    r = subprocess.run([dfc, "--help"], capture_output=True, text=True, timeout=60)
    expect("dfc prof  TRACE.json [--top N]" in r.stdout and "[--instrument]" in r.stdout,
           "--help: %s" % r.stdout)


KERNEL = """\
import numpy as np


# dfc: smooth(x: float64[N], n: int64)
def smooth(x, n):
    for i in range(n):
        x[1:-1] = 0.5 * x[1:-1] + 0.25 * (x[:-2] + x[2:])
"""


def check_real(dfc, d):
    """A trace written by an instrumented executable, read back."""
    with open(os.path.join(d, "sm.py"), "w") as f:
        f.write(KERNEL)
    r = subprocess.run([dfc, "build", "sm.py", "-o", "out", "--instrument", "--emit", "exe"],
                       cwd=d, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        FAILURES.append("dfc build --instrument: %s" % r.stderr)
        return
    np.save(os.path.join(d, "x.npy"), np.arange(100.0))
    env = dict(os.environ, DFC_TRACE="sm.json")
    r = subprocess.run([os.path.join("out", "sm"), "x.npy", "7", "--repeat", "2"], cwd=d,
                       env=env, capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0, "out/sm: %s" % r.stderr)
    r = prof(dfc, d, "sm.json")
    lines = r.stdout.splitlines()
    expect(r.returncode == 0 and len(lines) >= 4, "dfc prof sm.json: %s%s" % (r.stdout,
                                                                           r.stderr))
    if len(lines) < 4:
        return
    rows = [ln.split() for ln in lines[2:]]
    expect(rows[0][:4] == ["smooth", "smooth", "kernel", "2"] and rows[0][6] == "100.0"
           and rows[0][7] == "sm.py:5", "the kernel row: %r" % lines[2])
    totals = [float(row[4]) for row in rows]
    expect(totals == sorted(totals, reverse=True), "rows not sorted: %r" % lines)
    loop = [row for row in rows if row[7] == "sm.py:7"]
    expect(loop and all(row[3] == "14" for row in loop),
           "the loop body's regions run 14 times: %r" % lines)


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        check_table(dfc, d)
        check_errors(dfc, d)
        check_real(dfc, d)
    if FAILURES:
        print("\n".join(FAILURES))
        sys.exit(1)


if __name__ == "__main__":
    main()
