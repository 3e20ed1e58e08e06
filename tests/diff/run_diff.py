#!/usr/bin/python3
"""tests/diff/run_diff.py -- compiled kernels against NumPy, on random inputs.

For every kernel file (default: samples/*.py, tests/diff/*.py and
tests/corpus/*.py), every function with a "# dfc: name(arg: dtype[dims], ...)"
signature and every size set of the file's "# dfc-test:" hints (the hint
language is described in tests/README.md), the file is built once with
`dfc build FILE -o TMP`, the reference (the file itself, imported) and the
compiled wrapper (TMP/<stem>.py) are called on deep copies of the same seeded
random inputs, and every return value and every array argument after the
call (in-place updates) are compared: dtype, shape, then values (np.allclose
for floats, exact otherwise). Each file also checks that
`dfc dump TMP/<stem>.yaml --format yaml` reproduces the file.

Each file runs in a worker process of its own, so a kernel that crashes or
hangs fails its cases without taking the others down. Output: one line per
case, "PASS <file> <kernel> <sizes>" or "FAIL <file> <case>: <reason>"; exit
status 1 when any case failed.

Environment: $DFC_DIFF_FLAGS, dfc options of every build (e.g. "-O0");
$DFC_DIFF_CFLAGS, C compiler flags of the kernels, added to $DFC_CFLAGS
(e.g. "-DDFCRT_NT_MIN_BYTES=0"); both show in the case names.

--bench (used by scripts/demo.sh) times one kernel against NumPy instead.
"""
import argparse
import concurrent.futures
import copy
import importlib.util
import json
import os
import re
import shutil
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SELF = Path(__file__).resolve()
DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
          "uint32", "uint64", "float32", "float64", "complex64", "complex128")
SIG_RE = re.compile(r"^\s*#\s*dfc:\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$")
HINT_RE = re.compile(r"^\s*#\s*dfc-test:\s*(\S+)\s*(.*?)\s*$")
PARAM_RE = re.compile(r"^([A-Za-z_]\w*)\s*:\s*([a-z0-9]+)\s*(?:\[(.*)\])?$")
NAME_RE = re.compile(r"^[A-Za-z_]\w*$")
DEFAULT_SIZE = 13          # every size symbol, when a file has no sizes hint
DEFAULT_RANGE = (0.5, 1.5)
TOLERANCES = {"float64": (1e-10, 1e-12), "complex128": (1e-10, 1e-12),
              "float32": (1e-4, 1e-5), "complex64": (1e-4, 1e-5)}
BUILD_TIMEOUT = 120        # seconds per dfc invocation


class HintError(Exception):
    """A malformed signature or hint; the message names the line."""


# ---- signatures and hints -------------------------------------------------

class Param:
    def __init__(self, name, dtype, dims):
        self.name, self.dtype, self.dims = name, dtype, dims   # dims: str|int

    @property
    def is_array(self):
        return self.dims is not None


class Kernel:
    def __init__(self, name, params):
        self.name, self.params = name, params

    def symbols(self):
        """Size symbols in order of first appearance."""
        out = []
        for p in self.params:
            for d in p.dims or ():
                if isinstance(d, str) and d not in out:
                    out.append(d)
        return out


class Hints:
    def __init__(self):
        self.sizes = []        # list of {symbol: int}
        self.args = {}         # scalar parameter -> Python value
        self.ranges = {}       # parameter name or None (all) -> (lo, hi)
        self.spd = set()       # parameters generated symmetric positive definite
        self.rtol = None
        self.atol = None
        self.kernel_tol = {}   # kernel name -> {"rtol"/"atol": float}
        self.script = None     # recipe to build with (dfc build --script)

    def for_kernel(self, name):
        """These hints with kernel name's own tolerances in place of the
        file's."""
        own = self.kernel_tol.get(name)
        if not own:
            return self
        h = copy.copy(self)
        for word, value in own.items():
            setattr(h, word, value)
        return h


def split_top(text, sep=","):
    """Splits text at sep outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip() or parts:
        parts.append(cur)
    return [p.strip() for p in parts]


def parse_param(text):
    m = PARAM_RE.match(text)
    if not m:
        raise HintError("expected 'name: dtype' or 'name: dtype[dims]', got '%s'" % text)
    name, dtype, dims = m.groups()
    if dtype not in DTYPES:
        raise HintError("unknown dtype '%s' for '%s'" % (dtype, name))
    if dims is None:
        return Param(name, dtype, None)
    out = []
    for d in split_top(dims):
        if d.isdigit():
            out.append(int(d))
        elif NAME_RE.match(d):
            out.append(d)
        else:
            raise HintError("bad dimension '%s' of '%s'" % (d, name))
    return Param(name, dtype, out)


def parse_signature(text):
    """Parses "name(a: float64[N, M], b: int64)" into a Kernel."""
    m = re.match(r"^\s*([A-Za-z_]\w*)\s*\((.*)\)\s*$", text)
    if not m:
        raise HintError("expected 'name(params)' in signature")
    params = [parse_param(p) for p in split_top(m.group(2))]
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise HintError("a parameter is declared twice in '%s'" % m.group(1))
    return Kernel(m.group(1), params)


def parse_number(text):
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    if text in ("True", "False"):
        return text == "True"
    raise HintError("'%s' is not a number" % text)


def parse_sizes(hints, rest):
    for group in rest.split("|"):
        sizes = {}
        for item in group.replace(",", " ").split():
            name, eq, val = item.partition("=")
            if not eq or not NAME_RE.match(name) or not val.isdigit():
                raise HintError("expected SYM=INT in sizes, got '%s'" % item)
            sizes[name] = int(val)
        if not sizes:
            raise HintError("empty size set")
        hints.sizes.append(sizes)


def parse_hint(hints, word, rest):
    if word == "sizes":
        parse_sizes(hints, rest)
    elif word == "args":
        for item in rest.split():
            name, eq, val = item.partition("=")
            if not eq or not NAME_RE.match(name):
                raise HintError("expected NAME=VALUE in args, got '%s'" % item)
            hints.args[name] = parse_number(val)
    elif word == "range":
        for item in rest.split():
            name, eq, bounds = item.rpartition("=")
            lo, comma, hi = bounds.partition(",")
            if not comma or (eq and not NAME_RE.match(name)):
                raise HintError("expected [NAME=]LO,HI in range, got '%s'" % item)
            hints.ranges[name or None] = (parse_number(lo), parse_number(hi))
    elif word == "spd":
        if not rest:
            raise HintError("spd needs the names of matrix parameters")
        hints.spd.update(rest.split())
    elif word in ("rtol", "atol") and "=" in rest:
        for item in rest.split():
            name, eq, val = item.partition("=")
            if not eq or not NAME_RE.match(name):
                raise HintError("expected KERNEL=VALUE in %s, got '%s'" % (word, item))
            hints.kernel_tol.setdefault(name, {})[word] = float(parse_number(val))
    elif word in ("rtol", "atol"):
        setattr(hints, word, float(parse_number(rest)))
    elif word == "script":
        if not rest or not (ROOT / rest).is_file():
            raise HintError("script needs the path of a recipe file, got '%s'" % rest)
        hints.script = rest
    else:
        raise HintError("unknown hint '%s' (sizes, args, range, spd, rtol, atol, script)" % word)


def parse_file(path):
    """Returns (kernels, hints) of a kernel file; HintError names the line."""
    kernels, hints = [], Hints()
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for lineno, line in enumerate(lines, 1):
        try:
            m = SIG_RE.match(line)
            if m:
                kernels.append(parse_signature(m.group(1) + "(" + m.group(2) + ")"))
                continue
            m = HINT_RE.match(line)
            if m:
                parse_hint(hints, m.group(1), m.group(2))
        except HintError as e:
            raise HintError("line %d: %s" % (lineno, e)) from None
    if not hints.sizes:
        syms = {s for k in kernels for s in k.symbols()}
        hints.sizes.append({s: DEFAULT_SIZE for s in syms})
    return kernels, hints


def kernel_sizes(kernel, hints):
    """The distinct size bindings of kernel over the file's size sets."""
    out = []
    for sizes in hints.sizes:
        missing = [s for s in kernel.symbols() if s not in sizes]
        if missing:
            raise HintError("size symbol %s of %s has no value in a sizes hint"
                            % (missing[0], kernel.name))
        mine = {s: sizes[s] for s in kernel.symbols()}
        if mine not in out:
            out.append(mine)
    return out


def sizes_text(sizes):
    return ",".join("%s=%d" % kv for kv in sizes.items()) or "-"


def display(path):
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def file_cases(path, explicit):
    """Case names of a file, or None for a file that holds no kernel.
    Raises HintError for malformed hints."""
    kernels, hints = parse_file(path)
    if not kernels:
        if explicit:
            raise HintError("no kernel with a '# dfc:' signature")
        return None
    cases = []
    for k in kernels:
        for sizes in kernel_sizes(k, hints):
            cases.append("%s %s" % (k.name, sizes_text(sizes)))
    return cases + ["yaml-roundtrip"]


# ---- inputs and comparison ------------------------------------------------

def value_range(hints, name):
    return hints.ranges.get(name, hints.ranges.get(None, DEFAULT_RANGE))


def make_scalar(p, sizes, hints, rng):
    if p.name in hints.args:
        return hints.args[p.name]
    if p.name in sizes:
        return sizes[p.name]
    lo, hi = value_range(hints, p.name)
    if p.dtype == "bool":
        return bool(rng.integers(0, 2))
    if p.dtype.startswith(("int", "uint")):
        if p.name not in hints.ranges and None not in hints.ranges:
            lo, hi = 1, 6
        return int(rng.integers(int(lo), max(int(hi), int(lo) + 1)))
    if p.dtype.startswith("complex"):
        return complex(rng.uniform(lo, hi), rng.uniform(lo, hi))
    return float(rng.uniform(lo, hi))


def make_array(p, sizes, hints, rng):
    shape = tuple(d if isinstance(d, int) else sizes[d] for d in p.dims)
    lo, hi = value_range(hints, p.name)
    if p.name in hints.spd:
        if len(shape) != 2 or shape[0] != shape[1]:
            raise HintError("spd parameter %s is not a square matrix" % p.name)
        r = rng.uniform(lo, hi, shape)
        return (r @ r.T + shape[0] * np.eye(shape[0])).astype(p.dtype)
    if p.dtype == "bool":
        return rng.random(shape) < 0.5
    if p.dtype.startswith(("int", "uint")):
        if p.name not in hints.ranges and None not in hints.ranges:
            lo, hi = 0, 10
        return rng.integers(int(lo), max(int(hi), int(lo) + 1), shape).astype(p.dtype)
    a = rng.uniform(lo, hi, shape)
    if p.dtype.startswith("complex"):
        a = a + 1j * rng.uniform(lo, hi, shape)
    return a.astype(p.dtype)


def make_inputs(kernel, sizes, hints, seed):
    rng = np.random.default_rng(seed)
    return [make_array(p, sizes, hints, rng) if p.is_array
            else make_scalar(p, sizes, hints, rng) for p in kernel.params]


def case_seed(path, case):
    return zlib.crc32(("%s %s" % (Path(path).name, case)).encode())


def tolerances(dtype, hints):
    rtol, atol = TOLERANCES.get(str(dtype), (0.0, 0.0))
    return (hints.rtol if hints.rtol is not None else rtol,
            hints.atol if hints.atol is not None else atol)


def compare_values(what, ref, got, hints):
    """Returns (error message or None, max abs difference)."""
    if ref is None or got is None:
        return (None if ref is got else "%s: expected %r, got %r" % (what, ref, got)), 0.0
    if isinstance(ref, tuple):
        if not isinstance(got, tuple) or len(got) != len(ref):
            return "%s: expected a tuple of %d values, got %s" % (
                what, len(ref), type(got).__name__), 0.0
        worst = 0.0
        for i, (r, g) in enumerate(zip(ref, got)):
            err, diff = compare_values("%s[%d]" % (what, i), r, g, hints)
            if err:
                return err, diff
            worst = max(worst, diff)
        return None, worst
    if isinstance(ref, np.ndarray) and not isinstance(got, np.ndarray):
        return "%s: expected an array, got %s" % (what, type(got).__name__), 0.0
    r, g = np.asarray(ref), np.asarray(got)
    if r.dtype != g.dtype:
        return "%s: dtype %s, expected %s" % (what, g.dtype, r.dtype), 0.0
    if r.shape != g.shape:
        return "%s: shape %s, expected %s" % (what, g.shape, r.shape), 0.0
    return compare_arrays(what, r, g, hints)


def compare_arrays(what, r, g, hints):
    if r.size == 0:
        return None, 0.0
    inexact = r.dtype.kind in "fc"
    with np.errstate(all="ignore"):
        diff = np.abs(g.astype(np.complex128 if r.dtype.kind == "c" else np.float64)
                      - r.astype(np.complex128 if r.dtype.kind == "c" else np.float64))
    diff = np.where(np.isnan(diff) & np.isnan(r) & np.isnan(g), 0.0, diff)
    worst = float(np.nanmax(diff)) if not np.all(np.isnan(diff)) else float("nan")
    if inexact:
        rtol, atol = tolerances(r.dtype, hints)
        bad = ~np.isclose(g, r, rtol=rtol, atol=atol, equal_nan=True)
        how = "rtol %g, atol %g" % (rtol, atol)
    else:
        bad = g != r
        how = "exact"
    if not np.any(bad):
        return None, worst
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    return ("%s: %d of %d values differ, max abs diff %.3g; first at %s: got %r, "
            "expected %r (%s)" % (what, int(np.sum(bad)), r.size, worst, idx,
                                  g[idx].item(), r[idx].item(), how), worst)


def compare_call(kernel, ref_out, ref_args, got_out, got_args, hints):
    """Compares the return values and the array arguments after the call."""
    hints = hints.for_kernel(kernel.name)
    err, worst = compare_values("return value", ref_out, got_out, hints)
    if err:
        return err, worst
    for p, r, g in zip(kernel.params, ref_args, got_args):
        if p.is_array:
            err, diff = compare_values("argument %s after the call" % p.name, r, g, hints)
            if err:
                return err, diff
            worst = max(worst, diff)
    return None, worst


# ---- building and loading -------------------------------------------------

def run_dfc(dfc, args):
    """Runs dfc; returns (status, stdout bytes, stderr text)."""
    if not os.path.exists(dfc):
        return None, b"", "%s not found (run make first)" % display(dfc)
    env = None
    if os.environ.get("DFC_DIFF_CFLAGS"):
        env = dict(os.environ)
        env["DFC_CFLAGS"] = (env.get("DFC_CFLAGS", "") + " " + env["DFC_DIFF_CFLAGS"]).strip()
    try:
        p = subprocess.run([dfc] + args, capture_output=True, timeout=BUILD_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return None, b"", "timed out after %d s" % BUILD_TIMEOUT
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def status_text(status):
    if status is not None and status < 0:
        return "killed by signal %d" % -status
    return "exit status %s" % status


def build_flags():
    """Extra options of every build, from $DFC_DIFF_FLAGS (e.g. "-O0")."""
    return shlex.split(os.environ.get("DFC_DIFF_FLAGS", ""))


def label_flags():
    """What the case names show of the builds: $DFC_DIFF_FLAGS, and
    $DFC_DIFF_CFLAGS, C compiler flags of the kernels only (added to
    $DFC_CFLAGS), e.g. "-DDFCRT_NT_MIN_BYTES=0"."""
    return build_flags() + shlex.split(os.environ.get("DFC_DIFF_CFLAGS", ""))


def build(dfc, path, outdir, script=None):
    """Builds path into outdir (with a recipe); returns an error message or None."""
    extra = (["--script", str(ROOT / script)] if script else []) + build_flags()
    status, _, err = run_dfc(dfc, ["build", str(path), "-o", str(outdir)] + extra)
    if status == 0:
        return None
    lines = err.strip().splitlines()
    head = next((l for l in lines if "error" in l), lines[0]) if lines else "(no diagnostics)"
    if status is None:
        return "dfc build failed: %s" % head
    return "dfc build failed (%s): %s" % (status_text(status), head)


def check_roundtrip(dfc, yaml_path):
    if not yaml_path.exists():
        return "%s was not written" % yaml_path.name
    status, out, err = run_dfc(dfc, ["dump", str(yaml_path), "--format", "yaml"])
    if status != 0:
        first = err.strip().splitlines()[:1]
        return "dfc dump %s failed (%s)%s" % (yaml_path.name, status_text(status),
                                             ": " + first[0] if first else "")
    want = yaml_path.read_bytes()
    if out == want:
        return None
    got_lines = out.decode(errors="replace").split("\n")
    want_lines = want.decode(errors="replace").split("\n")
    for i, (g, w) in enumerate(zip(got_lines, want_lines)):
        if g != w:
            return "dump differs from %s at line %d: got %r, expected %r" % (
                yaml_path.name, i + 1, g, w)
    return "dump has %d lines, %s has %d" % (len(got_lines), yaml_path.name, len(want_lines))


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, str(path))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def call(fn, inputs):
    """Calls fn on a deep copy of inputs; returns (result, args after call)."""
    args = copy.deepcopy(inputs)
    with np.errstate(all="ignore"):
        out = fn(*args)
    return out, args


# ---- the worker: one file -------------------------------------------------

def emit(case, error, tag="@@case ", **more):
    print(tag + json.dumps(dict({"case": case, "error": error}, **more)), flush=True)


# How a case whose reference raised says that the compiled kernel did too.
BOTH_RAISED = "the compiled kernel raised too,"


def run_case(path, kernel, sizes, hints, ref, mod):
    case = "%s %s" % (kernel.name, sizes_text(sizes))
    emit(case, None, "@@start ")
    try:
        inputs = make_inputs(kernel, sizes, hints, case_seed(path, case))
    except HintError as e:
        return emit(case, "hints: %s" % e)
    if not hasattr(ref, kernel.name):
        return emit(case, "the file defines no function '%s'" % kernel.name)
    fn = getattr(mod, kernel.name, None)
    start = time.monotonic()
    try:
        ref_out, ref_args = call(getattr(ref, kernel.name), inputs)
    except Exception as e:
        # a failure still, but one that says whether dfc refused the call
        # too (tests/stress/run.py counts that as agreement)
        why = "reference raised %s: %s" % (type(e).__name__, e)
        try:
            if fn is not None:
                call(fn, inputs)
        except Exception as d:
            why += "; %s %s: %s" % (BOTH_RAISED, type(d).__name__, d)
        return emit(case, why)
    if fn is None:
        return emit(case, "the compiled module has no function '%s'" % kernel.name)
    # when the compiled call starts (the system's monotonic clock, which
    # run_worker reads too) and how long NumPy's took
    now = time.monotonic()
    emit(case, None, "@@compiled ", at=now, ref_s=now - start)
    try:
        got_out, got_args = call(fn, inputs)
    except Exception as e:
        return emit(case, "compiled kernel raised %s: %s" % (type(e).__name__, e))
    emit(case, compare_call(kernel, ref_out, ref_args, got_out, got_args, hints)[0])


def worker(path, dfc, prebuilt=None):
    """Builds one file (unless prebuilt names the directory `dfc build` wrote
    for it, which is then used as is and kept) and runs its cases; results
    go to stdout as @@case lines."""
    kernels, hints = parse_file(path)
    outdir = Path(prebuilt) if prebuilt else Path(tempfile.mkdtemp(prefix="dfc-diff-"))
    try:
        err = None if prebuilt else build(dfc, path, outdir, hints.script)
        if err:
            for k in kernels:
                for sizes in kernel_sizes(k, hints):
                    emit("%s %s" % (k.name, sizes_text(sizes)), err)
            return emit("yaml-roundtrip", err)
        emit("yaml-roundtrip", check_roundtrip(dfc, outdir / (path.stem + ".yaml")))
        try:
            ref = load_module("dfc_reference_" + path.stem, path)
            mod = load_module(path.stem, outdir / (path.stem + ".py"))
        except Exception as e:
            for k in kernels:
                for sizes in kernel_sizes(k, hints):
                    emit("%s %s" % (k.name, sizes_text(sizes)),
                         "import failed: %s: %s" % (type(e).__name__, e))
            return
        for k in kernels:
            for sizes in kernel_sizes(k, hints):
                run_case(path, k, sizes, hints, ref, mod)
    finally:
        if not prebuilt:
            shutil.rmtree(outdir, ignore_errors=True)


# ---- the driver -----------------------------------------------------------

def default_files():
    files = sorted(ROOT.glob("samples/*.py")) + sorted(ROOT.glob("tests/diff/*.py"))
    files += sorted(ROOT.glob("tests/corpus/*.py"))
    # Transformation tests that apply (no .err): built with their recipe.
    files += [f for f in sorted(ROOT.glob("tests/xform/*.py"))
              if not f.with_suffix(".err").exists()]
    return [f for f in files if f.resolve() != SELF]


def trouble_line(stderr):
    """What to say of a dead worker, as ': LINE': a sanitizer's SUMMARY line
    (kernels built with $DFC_CFLAGS=-fsanitize=...), else stderr's last line."""
    lines = stderr.decode(errors="replace").strip().splitlines()
    summary = [l for l in lines if l.startswith("SUMMARY: ")]
    return "".join(": " + l for l in (summary[:1] or lines[-1:]))


def run_worker(path, dfc, timeout, prebuilt=None):
    """Runs the worker of one file (on the build in prebuilt, if given);
    returns ({case: error}, trouble or None)."""
    cmd = [sys.executable, str(SELF), "--worker", "--dfc", str(dfc), str(path)]
    if prebuilt:
        cmd[2:2] = ["--prebuilt", str(prebuilt)]
    env = dict(os.environ)
    if os.environ.get("DFC_DIFF_PRELOAD"):      # a sanitizer's runtime (make race)
        env["LD_PRELOAD"] = os.environ["DFC_DIFF_PRELOAD"]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        out, status = p.stdout.decode(errors="replace"), p.returncode
        trouble = None if status == 0 else status_text(status) + trouble_line(p.stderr)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        trouble = "timed out after %d s" % timeout
    end = time.monotonic()
    results, started, compiled = {}, None, None
    for line in out.splitlines():
        tag, _, rec = line.partition(" ")
        if tag in ("@@case", "@@start", "@@compiled"):
            rec = json.loads(rec)
            started = rec["case"] if tag != "@@case" else None
            compiled = rec if tag == "@@compiled" else None
            if tag == "@@case":
                results[rec["case"]] = rec["error"]
    if trouble and started:
        # which of the two calls was running (tests/stress/run.py --size)
        results[started] = "test process %s (in %s)" % (trouble, (
            "the compiled kernel, after %.1f s of it; NumPy's run took %.1f s" %
            (end - compiled["at"], compiled["ref_s"]) if compiled else
            "NumPy's run of the kernel"))
    return results, trouble


def report(name, cases, results, trouble):
    """Prints one line per case; returns the number of failures."""
    failed = 0
    for case in cases:
        if case in results:
            err = results[case]
        else:
            err = "not run (%s)" % ("an earlier case ended the test process" if trouble
                                    else "the test process ended early")
        label = "%s [%s]" % (case, " ".join(label_flags())) if label_flags() else case
        if err is None:
            print("PASS %s %s" % (name, label))
        else:
            failed += 1
            print("FAIL %s %s: %s" % (name, label, err))
    sys.stdout.flush()
    return failed


def collect(files, explicit):
    """[(path, display name, cases or error text)] for the files with kernels."""
    out = []
    for f in files:
        try:
            cases = file_cases(f, explicit)
        except (HintError, OSError) as e:
            out.append((f, display(f), "hints: %s" % e))
            continue
        if cases is not None:
            out.append((f, display(f), cases))
    return out


def run_all(opts):
    files = [Path(f) for f in opts.files if Path(f).resolve() != SELF] if opts.files \
        else default_files()
    jobs = collect(files, bool(opts.files))
    if opts.list:
        for _, name, cases in jobs:
            for case in ([cases] if isinstance(cases, str) else cases):
                print("%s %s" % (name, case.split(":")[0]))
        return 0
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [pool.submit(run_worker, f, opts.dfc, opts.timeout)
                   if not isinstance(c, str) else None for f, _, c in jobs]
        for (f, name, cases), fut in zip(jobs, futures):
            if isinstance(cases, str):
                failed += 1
                print("FAIL %s %s" % (name, cases))
                continue
            results, trouble = fut.result()
            failed += report(name, cases, results, trouble)
    return 1 if failed else 0


# ---- --bench: one kernel, timed against NumPy -----------------------------

def median_ms(fn, inputs, repeat):
    times = []
    for _ in range(repeat):
        args = copy.deepcopy(inputs)
        t = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - t) * 1e3)
    return sorted(times)[len(times) // 2]


def bench(opts):
    path = Path(opts.files[0])
    kernels, hints = parse_file(path)
    kernel = next((k for k in kernels if k.name == opts.kernel), None) if opts.kernel \
        else (kernels[0] if kernels else None)
    if kernel is None:
        sys.exit("run_diff: %s: no kernel %s" % (path, opts.kernel or ""))
    hints.sizes = []
    parse_hint(hints, "sizes", opts.sizes)
    parse_hint(hints, "args", opts.args)
    sizes = kernel_sizes(kernel, hints)[0]
    inputs = make_inputs(kernel, sizes, hints, 12345)
    ref = getattr(load_module("dfc_reference_" + path.stem, path), kernel.name)
    fn = getattr(load_module(path.stem, Path(opts.prebuilt) / (path.stem + ".py")), kernel.name)
    ref_out, ref_args = call(ref, inputs)
    got_out, got_args = call(fn, inputs)
    err, worst = compare_call(kernel, ref_out, ref_args, got_out, got_args, hints)
    t_np = median_ms(ref, inputs, opts.repeat)
    t_dfc = median_ms(fn, inputs, opts.repeat)
    print("%s %s: numpy %.1f ms, dfc %.1f ms (%.1fx), max abs diff %.3g" % (
        kernel.name, sizes_text(sizes), t_np, t_dfc, t_np / max(t_dfc, 1e-9), worst))
    if err:
        print("MISMATCH: %s" % err)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="kernel files (default: samples/*.py tests/diff/*.py tests/corpus/*.py)")
    ap.add_argument("--list", action="store_true", help="print the cases and exit")
    ap.add_argument("--dfc", default=str(ROOT / "build" / "dfc"), help="the dfc executable")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="files built and run in parallel")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per file")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--bench", action="store_true",
                    help="time one kernel of FILE (built in --prebuilt) against NumPy")
    ap.add_argument("--prebuilt", help="--bench (and the worker): the directory `dfc build` wrote")
    ap.add_argument("--kernel", help="--bench: the kernel (default: the file's first)")
    ap.add_argument("--sizes", default="", help="--bench: SYM=INT,... ")
    ap.add_argument("--args", default="", help="--bench: NAME=VALUE ... for scalar arguments")
    ap.add_argument("--repeat", type=int, default=5, help="--bench: timed runs (median)")
    opts = ap.parse_args()
    if opts.worker:
        worker(Path(opts.files[0]), opts.dfc, opts.prebuilt)
        return 0
    if opts.bench:
        if len(opts.files) != 1 or not opts.prebuilt or not opts.sizes:
            ap.error("--bench needs one FILE, --prebuilt DIR and --sizes")
        return bench(opts)
    return run_all(opts)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
