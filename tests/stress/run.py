#!/usr/bin/python3
"""tests/stress/run.py -- random programs compiled by dfc against NumPy.

Generates --count random kernels with tests/stress/gen.py (deterministic
from --seed; a random seed, printed, when none is given) into a temporary
directory, several kernels per file, and checks them in three steps:

1. `dfc check` on each file. A kernel that dfc refuses with a located error
   (exit 1, `file:line:col: error: ...`) is dropped from its file: a SKIP
   ("refused by design") when the message names a construct that
   docs/python.md lists as unsupported (DOCUMENTED below) or when NumPy
   itself raises running the kernel at every size set of the file's hints
   (the generator may write what NumPy refuses, such as int8 | uint64),
   otherwise a FAIL. An internal compiler error or a crash of `dfc check` fails the
   kernels that cause it (found by checking them one at a time).
2. tests/diff/run_diff.py on the remaining files, at the default level. A
   case where NumPy raises at run time and the compiled kernel raises too
   is a SKIP ("both raise"); where NumPy raises and dfc runs, a FAIL.
3. The same at -O0 (DFC_DIFF_FLAGS=-O0): its lines end in [-O0].

With --size S every kernel runs at the one size set N=S, M=S+S//4
instead of the generator's small ones (N, M <= 9), where maps are too
small to fork, blocked loops have one block and sizes fit every integer
dtype. There a call that the compiled kernel refuses with the wrapper's
"this kernel was compiled for" ValueError is a SKIP: dfc assumes that a
size it types an integer scalar by fits the dtype that NumPy gives it
(docs/python.md), and the wrapper checks that assumption. So is a
timeout while NumPy runs the kernel (a loop of n iterations over a loop
of n over arrays of n^2 elements takes hours at n = 300), or while the
compiled kernel runs before it has run as long as NumPy's run did (the
two share the file's time; -O0 builds are about as slow as NumPy): each file then
holds one kernel (--per-file 1), so that it costs no other kernel its
run, and the time per file is --timeout (120 s with --size). So is a
mismatch of at most 1 in at most 1% of the values of a kernel that calls
a transcendental function (np.sin, np.exp, ...): its float results differ
from NumPy's in the last bits (glibc's libmvec against NumPy's own SIMD
loops), and among 10^5 of them a few fall on the other side of a
rounding (np.rint, a cast to an integer, a comparison); the SKIP line
shows the mismatch, for a reader to judge.

Every case prints one line, `PASS stress/<seed>/<file> <kernel> <sizes>`,
`FAIL ...: why` or `SKIP ... (why)`, and the run ends with a summary. Files
with a failure are kept in build/stress/failures/<seed>/ (the file as run,
and a .log of its failing lines). Exit status 1 when anything failed.

    run.py [--count N] [--seed S] [--size S] [--timeout T] [-j J] [--per-file P]
           [--dfc PATH]
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import gen  # noqa: E402
sys.path.insert(0, str(ROOT / "tests" / "diff"))
from run_diff import BOTH_RAISED  # noqa: E402

# Refusals that docs/python.md documents as unsupported ("Not supported
# yet", "How dfc reads some NumPy programs"): a kernel refused with one of
# these messages is skipped, any other refusal is a finding.
DOCUMENTED = [
    (r"rebind", "rebinding a name to an array updated in place"),
    (r"wider dtype|final type|first assignment", "a variable keeps its first dtype"),
    (r"after its loop", "a loop variable used after its loop"),
    (r"size changes|changes size|run-time size|size .* at run time",
     "arrays whose size changes at run time"),
    (r"slice (bound|step)s? .*(run time|constant)", "slice bounds computed at run time"),
]
ERROR_RE = re.compile(r"^(.*?):(\d+):(\d+): error: (.*)$")
CHECK_TIMEOUT = 120


def documented(msg):
    for pattern, why in DOCUMENTED:
        if re.search(pattern, msg):
            return why
    return None


class File:
    """A generated file: its hints and kernels (name, lines), written to path."""

    def __init__(self, seed, index, hints, kernels, path):
        self.seed, self.index, self.hints, self.kernels = seed, index, hints, kernels
        self.path = path

    def write(self):
        text = gen.file_text(self.seed, self.index, self.hints, self.kernels)
        self.path.write_text(text)
        return text

    def kernel_at(self, line):
        """The kernel whose lines (helpers included) hold line (1-based)."""
        text = gen.file_text(self.seed, self.index, self.hints, [])
        at = text.count("\n") + 1
        for name, lines in self.kernels:
            at += 2
            if at <= line < at + len(lines):
                return name
            at += len(lines)
        return None


def run_dfc(dfc, args):
    try:
        p = subprocess.run([dfc] + args, capture_output=True, timeout=CHECK_TIMEOUT)
        return p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "timed out after %d s" % CHECK_TIMEOUT


def first_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return next((l for l in lines if "error" in l), lines[0] if lines else "(no output)")


def check_file(f, dfc):
    """Drops the kernels of f that `dfc check` refuses; returns the lines to
    print for them ([(status, kernel, why)])."""
    out = []
    for _ in range(len(f.kernels) + 1):
        if not f.kernels:
            break
        f.write()
        status, err = run_dfc(dfc, ["check", str(f.path)])
        if status == 0:
            break
        bad = {}
        if status == 1:
            for line in err.splitlines():
                m = ERROR_RE.match(line)
                k = m and f.kernel_at(int(m.group(2)))
                if k and k not in bad:
                    bad[k] = m.group(4)
        if not bad:
            bad = isolate(f, dfc)
        if not bad:
            out.append(("FAIL", "-", "dfc check failed (%s): %s" % (status, first_line(err))))
            f.kernels = []
            break
        for k, msg in bad.items():
            why = documented(msg) if status == 1 else None
            raised = numpy_raises(f, k) if status == 1 and not why else None
            if why:
                out.append(("SKIP", k, "refused by design (%s): %s" % (why, msg)))
            elif raised:
                out.append(("SKIP", k, "NumPy raises too (%s): %s" % (raised, msg)))
            else:
                out.append(("FAIL", k, "dfc check: %s" % msg))
        f.kernels = [kv for kv in f.kernels if kv[0] not in bad]
    return out


# Run by numpy_raises() in a child process: calls one kernel of a file, as
# NumPy runs it, on the inputs tests/diff/run_diff.py makes at each of the
# file's size sets, and prints what it raised at each ('' where it did not).
NUMPY_RAISES = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import run_diff as rd
path, name = sys.argv[2], sys.argv[3]
kernels, hints = rd.parse_file(path)
kernel = next(k for k in kernels if k.name == name)
mod = rd.load_module("stress_ref", path)
out = []
for sizes in rd.kernel_sizes(kernel, hints):
    case = "%s %s" % (name, rd.sizes_text(sizes))
    try:
        rd.call(getattr(mod, name), rd.make_inputs(kernel, sizes, hints, rd.case_seed(path, case)))
        out.append("")
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, e))
print(json.dumps(out))
"""


def numpy_raises(f, kernel):
    """What NumPy raised running kernel of f (as written now) at every size
    set of its hints, or None when it ran at any of them or could not be
    asked: dfc refusing a program that NumPy refuses too is no finding."""
    try:
        p = subprocess.run([sys.executable, "-c", NUMPY_RAISES, str(ROOT / "tests" / "diff"),
                            str(f.path), kernel], capture_output=True, timeout=CHECK_TIMEOUT)
        raised = json.loads(p.stdout.decode()) if p.returncode == 0 else []
    except (subprocess.TimeoutExpired, ValueError):
        return None
    return raised[0] if raised and all(raised) else None


def isolate(f, dfc):
    """The kernels of f that `dfc check` fails on alone (crash, internal
    error, refusal without a location): {kernel: message}."""
    bad = {}
    for name, lines in f.kernels:
        one = File(f.seed, f.index, f.hints, [(name, lines)], f.path.with_name("one_" + f.path.name))
        one.write()
        status, err = run_dfc(dfc, ["check", str(one.path)])
        if status != 0:
            what = "exit status %s" % status if status is not None and status >= 0 \
                else "killed by signal %s" % (-status if status else "?")
            bad[name] = "%s: %s" % (what, first_line(err))
        one.path.unlink()
    return bad


def run_diff(files, dfc, jobs, flags, timeout):
    env = dict(os.environ, DFC_DIFF_FLAGS=flags)
    cmd = [sys.executable, str(ROOT / "tests/diff/run_diff.py"), "--dfc", dfc, "-j", str(jobs),
           "--timeout", str(timeout)]
    p = subprocess.run(cmd + [str(f.path) for f in files], capture_output=True, env=env)
    return p.stdout.decode(errors="replace").splitlines()


def both_raised(line):
    """A FAIL of run_diff where NumPy raised at run time and the compiled
    kernel raised too (the generator wrote what NumPy refuses, such as an
    in-place operation whose result does not cast back) as a SKIP."""
    m = re.match(r"FAIL (.*?): (reference raised .*; %s .*)$" % re.escape(BOTH_RAISED), line)
    return "SKIP %s (both raise: %s)" % m.groups() if m else line


# The wrapper's refusal of sizes that break an assumption of the build.
ASSUMED = "this kernel was compiled for "


def refused_size(line):
    """A FAIL of run_diff where the compiled kernel refused the sizes
    (ASSUMED), or where NumPy's run of the kernel timed out, as a SKIP, at
    --size only."""
    m = re.match(r"FAIL (.*?): (compiled kernel raised ValueError: .*%s.*)$" % ASSUMED, line)
    if m:
        return "SKIP %s (sizes refused by design: %s)" % m.groups()
    m = re.match(r"FAIL (.*?): test process (timed out after \d+ s) \(in NumPy's run", line)
    if m:
        return "SKIP %s (NumPy's run %s)" % m.groups()
    m = re.match(r"FAIL (.*?): test process (timed out after \d+ s \(in the compiled kernel, "
                 r"after ([0-9.]+) s of it; NumPy's run took ([0-9.]+) s\))", line)
    if m and float(m.group(3)) < float(m.group(4)):
        return "SKIP %s (the compiled kernel had less time than NumPy's run took: %s)" % \
            m.group(1, 2)
    return line


TRANSCENDENTAL = re.compile(r"np\.(sin|cos|tan|arcsin|arccos|arctan|arctan2|sinh|cosh|tanh|"
                            r"arcsinh|arccosh|arctanh|exp|expm1|exp2|log|log2|log10|log1p|"
                            r"power|cbrt|hypot)\(")
DIFFER = re.compile(r"(\d+) of (\d+) values differ, max abs diff ([0-9.e+-]+);")


def rounding_edge(line, files):
    """A FAIL of run_diff that a transcendental function's last bits can
    explain (see the module's doc) as a SKIP, at --size only."""
    m = re.match(r"FAIL (\S+) (\w+) (.*?): (.*)$", line)
    d = m and DIFFER.search(m.group(4))
    if not d or int(d.group(1)) > int(d.group(2)) // 100 + 1 or float(d.group(3)) > 1:
        return line
    for f in files:
        if f.path.name == os.path.basename(m.group(1)):
            lines = next((l for k, l in f.kernels if k == m.group(2)), [])
            if any(TRANSCENDENTAL.search(l) for l in lines):
                return "SKIP %s %s %s (rounding of transcendental results: %s)" % m.groups()
    return line


def rename(line, files, seed):
    for f in files:
        line = line.replace(str(f.path), "stress/%d/%s" % (seed, f.path.name))
    return line


def keep_failures(files, failed_lines, seed):
    """Copies the files with failures to build/stress/failures/<seed>/."""
    dest = ROOT / "build" / "stress" / "failures" / str(seed)
    kept = []
    for f in files:
        mine = [l for l in failed_lines if "/%s " % f.path.name in l]
        if not mine:
            continue
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(f.original, dest / f.path.name)
        (dest / (f.path.stem + ".log")).write_text("\n".join(mine) + "\n")
        kept.append(dest / f.path.name)
    return kept


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=200, help="random kernels (default 200)")
    ap.add_argument("--seed", type=int, help="the generator's seed (default: random)")
    ap.add_argument("--size", type=int, help="run every kernel at N=SIZE, M=SIZE+SIZE//4 "
                    "instead of the generator's small sizes")
    ap.add_argument("--per-file", type=int, help="kernels per file (default 10, 1 with --size)")
    ap.add_argument("--timeout", type=int, help="seconds per file (default 300, 120 with --size)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="files in parallel")
    ap.add_argument("--dfc", default=str(ROOT / "build" / "dfc"))
    opts = ap.parse_args()
    seed = opts.seed if opts.seed is not None else random.SystemRandom().randrange(1, 10**6)
    if opts.size is not None and opts.size < 3:
        ap.error("--size must be at least 3 (kernels index a[2])")
    if opts.per_file is None:
        opts.per_file = 1 if opts.size else 10
    if opts.timeout is None:
        opts.timeout = 120 if opts.size else 300
    print("stress: seed %d, %d kernels%s" % (
        seed, opts.count, " at N=%d" % opts.size if opts.size else ""), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="dfc-stress-"))
    try:
        return stress(opts, seed, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def stress(opts, seed, tmp):
    files = []
    for index in range((opts.count + opts.per_file - 1) // opts.per_file):
        k = min(opts.per_file, opts.count - index * opts.per_file)
        hints, kernels = gen.generate_file(seed, index, k)
        if opts.size:
            hints = ["# dfc-test: sizes N=%d,M=%d" % (opts.size, opts.size + opts.size // 4)] + \
                [h for h in hints if not h.startswith("# dfc-test: sizes ")]
        f = File(seed, index, hints, kernels, tmp / ("s%d_%d.py" % (seed, index)))
        f.original = tmp / ("orig_" + f.path.name)
        f.original.write_text(f.write())
        files.append(f)
    lines = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        checks = list(pool.map(lambda f: check_file(f, opts.dfc), files))
    for f, out in zip(files, checks):
        for status, k, why in out:
            name = "stress/%d/%s %s" % (seed, f.path.name, k)
            lines.append("SKIP %s (%s)" % (name, why) if status == "SKIP" else
                         "FAIL %s: %s" % (name, why))
            print(lines[-1], flush=True)
    live = [f for f in files if f.kernels]
    for f in live:
        f.write()
    for flags in ("", "-O0"):
        for line in run_diff(live, opts.dfc, opts.jobs, flags, opts.timeout) if live else []:
            if opts.size:
                line = rounding_edge(line, files)
            line = both_raised(rename(line, files, seed))
            lines.append(refused_size(line) if opts.size else line)
            print(lines[-1], flush=True)
    failed = [l for l in lines if l.startswith("FAIL ")]
    count = {w: sum(1 for l in lines if l.startswith(w + " ")) for w in ("PASS", "FAIL", "SKIP")}
    kept = keep_failures(files, failed, seed)
    for path in kept:
        print("stress: kept %s" % os.path.relpath(path, ROOT))
    print("stress: seed %d: %d passed, %d failed, %d skipped" % (
        seed, count["PASS"], count["FAIL"], count["SKIP"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
