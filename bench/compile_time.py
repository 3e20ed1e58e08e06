"""bench/compile_time.py -- dfc's own time from source to C, per kernel, and
the C compiler's apart (`dfc build --time`, docs/cli.md).

Every kernel is built alone: a copy of its file in which the `# dfc:`
lines of the other kernels are blanked (they become helpers, compiled
only where a kernel calls them) is built once to a shared library
(`--emit so`, which gives the C compiler's time) and runs - 1 more times
to C only (`--emit c`); each phase's time is the median over the runs,
the C compiler's that of the one run. The times are those dfc measures
itself (frontend, passes, C emission; "source to C" is their sum), so the
start of the process and the Python driver do not count. TARGET_MS is the
issue's target for dfc's own time per kernel.
"""
import re
import shutil
import statistics
import subprocess
import time

TARGET_MS = 50.0
TIME_RE = re.compile(r"^dfc: time: (.+?) ([0-9.]+) ms$", re.M)
PHASES = {"frontend": "frontend_ms", "passes": "passes_ms", "C emission": "emit_ms",
          "source to C": "to_c_ms", "C compiler": "cc_ms"}
SIG_RE = re.compile(r"^#\s*dfc:\s*(\w+)\s*\(")


def parse(stderr):
    """{"frontend_ms": ..., ...} of the "dfc: time:" lines of stderr."""
    return {PHASES[m.group(1)]: float(m.group(2)) for m in TIME_RE.finditer(stderr)
            if m.group(1) in PHASES}


def first_error(stderr, status):
    lines = stderr.strip().splitlines()
    head = next((l for l in lines if "error" in l), lines[0] if lines else "(no diagnostics)")
    return "dfc build failed (exit status %s): %s" % (status, head)


def run_build(dfc, src, outdir, emit, extra=()):
    """Runs `dfc build --time`; returns (times, error or None)."""
    cmd = [dfc, "build", str(src), "-o", str(outdir), "--time", "--emit", emit] + list(extra)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {}, "dfc build failed: %s" % e
    if p.returncode != 0:
        return {}, first_error(p.stderr, p.returncode)
    return parse(p.stderr), None


def file_build(dfc, path, outdir, extra=()):
    """The build the dfc contender loads: (seconds, error or None, times)."""
    shutil.rmtree(outdir, ignore_errors=True)
    t = time.perf_counter()
    times, err = run_build(dfc, path, outdir, "so", extra)
    return time.perf_counter() - t, err, times


def single_kernel_text(text, name):
    """text with the `# dfc:` line of every kernel but name blanked."""
    out = []
    for line in text.splitlines(True):
        m = SIG_RE.match(line)
        out.append("#\n" if m and m.group(1) != name else line)
    return "".join(out)


def kernel_times(dfc, path, name, workdir, runs, extra=()):
    """The times of kernel name built alone (see the file comment), or
    {"error": why}."""
    src = workdir / name / path.name
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text(single_kernel_text(path.read_text(), name))
    samples = []
    for i in range(max(1, runs)):
        times, err = run_build(dfc, src, workdir / name / "out", "so" if i == 0 else "c", extra)
        if err:
            return {"error": err}
        samples.append(times)
    out = {k: statistics.median(s[k] for s in samples if k in s)
           for k in PHASES.values() if any(k in s for s in samples)}
    shutil.rmtree(workdir / name, ignore_errors=True)
    return out
