#!/usr/bin/python3
"""tests/xform_random.py -- random sequences of transformations against NumPy.

For every kernel file (default: samples/*.py, tests/diff/*.py and
tests/corpus/*.py) and every
case number n, a seeded generator (the seed comes from the file name and n,
so a failure reproduces) builds a recipe of up to four transformations, one
step at a time: `dfc match` on the current IR lists the legal sites, the
generator picks a transformation among those that match, then one of its
sites, then parameters (map-tiling: a tile size in {1, 2, 3, 8, 32} per map
parameter, and `local: true` in one step of three, which is dropped when
refused; strip-mining: a size and sometimes a dim; map-interchange of a
map with several parameters: sometimes an order; map-expansion: a split;
library-expansion: an impl; map-schedule: a schedule; vectorize: sometimes a
width), and `dfc transform FILE --script RECIPE -o STEP.yaml` applies the
recipe so far; the next step matches on STEP.yaml. A site that match lists
with parameters (`array-layout state_L7 {array: t}`) keeps them. The
generator also draws steps that match does not list: the transformations of
transients (array-layout, padding, transient-allocation) at any state that
accesses a transient (`array: NAME`, with a random order, pad or storage),
map-schedule with `schedule: sequential` at a parallel map (match lists
only the other way), and the pipeline of a random -O level (`apply:
auto`); it drops such a step when it is refused. Then the file is built with the recipe
(`dfc build FILE --script RECIPE -o DIR`), `dfc transform --replay
DIR/<stem>.yaml` must reproduce DIR/<stem>.yaml byte for byte, and the
cases of tests/diff/run_diff.py (every kernel on the file's hint sizes, and
the yaml round trip) run on DIR against NumPy.

`match` lists only sites where the transformation is legal, so a refusal of
a step it proposed is a failure, as is an internal error, a crash, a wrong
result, or a replay that differs. Output, one line per case:

    PASS xform-random samples/jacobi2d.py#1 [map-tiling map_L20 {tile: [8, 3]}, ...]
    FAIL xform-random samples/jacobi2d.py#1 [...]: step 2 refused: ...
    SKIP xform-random tests/diff/misc.py#1 (no transformation applied)

and the exit status is 1 when a case failed. By default each sample gets
two cases and each tests/diff file one; --all runs more, --cases N exactly
N per file; --keep DIR keeps every case's recipe, steps and build (rerun a
failed case with its FILE and --keep to get its recipe).
"""
import argparse
import concurrent.futures
import random
import re
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "diff"))
import run_diff  # noqa: E402  (tests/diff/run_diff.py)

SIZES = (1, 2, 3, 8, 32)
MAX_STEPS = 4              # steps of a recipe
MAX_TRIES = 8              # steps drawn for one recipe, refused ones included
PROGRAM_RE = re.compile(r"^program (\w+)\(")
MAP_RE = re.compile(r"^\s*%\d+ map (\S+) \[(.*)\] (\S+)(?: simd(?:\(\d+\))?)?$")
STATE_RE = re.compile(r"^\s*state (\w+):$")
ACCESS_RE = re.compile(r"^\s*%\d+ access (\w+)$")
TRANSIENT_RE = re.compile(r"^  transient (\w+): \w+(?:\[([^\]]*)\])?")
# Transformations of one transient (array: NAME): match lists each transient
# once, at the first state using it; the test also proposes other states and
# parameters, which may be refused.
LAYOUT = ("array-layout", "padding", "transient-allocation")


class CaseError(Exception):
    """The case failed; the message says how."""


# ---- running dfc ----------------------------------------------------------

def first_error(err):
    lines = err.strip().splitlines()
    return next((l for l in lines if "error" in l), lines[0] if lines else "(no diagnostics)")


def dfc_ok(dfc, args, what):
    """Runs dfc; returns its stdout as text, or raises CaseError."""
    status, out, err = run_diff.run_dfc(dfc, [str(a) for a in args])
    if status != 0:
        raise CaseError("%s failed (%s): %s" % (what, run_diff.status_text(status),
                                               first_error(err)))
    return out.decode(errors="replace")


def match_params(text):
    """[(key, value)] of a match line's "{array: t, order: [1, 0]}"."""
    if not (text.startswith("{") and text.endswith("}")):
        raise CaseError("dfc match printed malformed parameters %r" % text)
    params = []
    for item in run_diff.split_top(text[1:-1]):
        key, _, value = item.partition(": ")
        if not key or not value:
            raise CaseError("dfc match printed a malformed parameter %r" % item)
        if value.startswith("["):
            value = [int(x) for x in run_diff.split_top(value[1:-1])]
        elif re.fullmatch(r"-?\d+", value):
            value = int(value)
        params.append((key, value))
    return params


def match_sites(dfc, src):
    """{transformation: [(sites, params), ...]} of `dfc match src`, in
    order: the line "NAME SITE[,SITE] [{PARAMS}]"."""
    sites = {}
    for line in dfc_ok(dfc, ["match", src], "dfc match").splitlines():
        name, _, rest = line.partition(" ")
        at, _, params = rest.partition(" ")
        if not at:
            raise CaseError("dfc match printed a malformed line %r" % line)
        sites.setdefault(name, []).append((at.split(","), match_params(params) if params else []))
    return sites


class Summary:
    """What the steps' parameters need of an IR, read from its text dump."""

    def __init__(self):
        self.maps = {}         # (program, map label) -> number of parameters
        self.parallel = []     # sites of the cpu_parallel maps
        self.transients = {}   # (program, name) -> number of dimensions
        self.uses = []         # (site, transient): a state and a transient it accesses

    def nparams(self, site):
        """The parameter count of the map named site ("map_L7" or "k/map_L7")."""
        prog, _, label = site.rpartition("/")
        found = [n for (p, l), n in self.maps.items() if l == label and prog in ("", p)]
        if len(found) != 1:
            raise CaseError("cannot find the map %s in the text dump" % site)
        return found[0]


def summarize(dfc, src):
    """The Summary of the IR in src (a kernel file or a dump), as match and
    a recipe see it: without the pipeline of an -O level (--stage parsed)."""
    text = dfc_ok(dfc, ["dump", src, "--stage", "parsed", "--format", "text"], "dfc dump")
    sm, prog, state = Summary(), None, None
    qual = text.count("\nprogram ") > 1        # sites are "program/name"
    for line in text.splitlines():
        program, transient, st, mp, access = (r.match(line) for r in (
            PROGRAM_RE, TRANSIENT_RE, STATE_RE, MAP_RE, ACCESS_RE))
        if program:
            prog = program.group(1)
        elif transient:
            dims = run_diff.split_top(transient.group(2) or "")
            sm.transients[(prog, transient.group(1))] = len(dims)
        elif st:
            state = (prog + "/" if qual else "") + st.group(1)
        elif mp:
            sm.maps[(prog, mp.group(1))] = len(run_diff.split_top(mp.group(2)))
            if mp.group(3) == "cpu_parallel":
                sm.parallel.append((prog + "/" if qual else "") + mp.group(1))
        elif access and (prog, access.group(1)) in sm.transients:
            use = (state, (prog, access.group(1)))
            if use not in sm.uses:
                sm.uses.append(use)
    return sm


# ---- recipes --------------------------------------------------------------

class Step:
    def __init__(self, name, sites, params):
        self.name, self.sites, self.params = name, sites, params   # params: [(key, value)]

    def yaml(self):
        at = self.sites[0] if len(self.sites) == 1 else "[%s]" % ", ".join(self.sites)
        lines = ["- apply: %s" % self.name] + (["  at: %s" % at] if self.sites else [])
        lines += ["  %s: %s" % (k, value_text(v)) for k, v in self.params]
        return "\n".join(lines) + "\n"

    def __str__(self):
        text = " ".join([self.name] + ([",".join(self.sites)] if self.sites else []))
        if self.params:
            text += " {%s}" % ", ".join("%s: %s" % (k, value_text(v)) for k, v in self.params)
        return text


def value_text(v):
    if isinstance(v, list):
        return "[%s]" % ", ".join(str(x) for x in v)
    return str(v)


def random_params(rng, name, sites, sm):
    """Legal parameters of transformation name at sites, chosen by rng."""
    if name == "map-tiling":
        return [("tile", [rng.choice(SIZES) for _ in range(sm.nparams(sites[0]))])]
    if name == "strip-mining":
        n = sm.nparams(sites[0])
        params = [("size", rng.choice(SIZES))]
        if n > 1 and rng.random() < 0.5:
            params.append(("dim", rng.randrange(n)))
        return params
    if name == "map-interchange":
        n = sm.nparams(sites[0])
        if n > 1 and rng.random() < 0.5:
            return [("order", rng.sample(range(n), n))]
        return []
    if name == "map-expansion":
        return [("split", rng.randrange(1, sm.nparams(sites[0])))]
    if name == "library-expansion":
        return [("impl", rng.choice(("naive", "blas")))]
    if name == "map-schedule":
        return [("schedule", rng.choice(("sequential", "cpu_parallel")))]
    if name == "vectorize" and rng.random() < 0.5:
        return [("width", rng.choice((2, 4, 8, 16)))]
    return []


def extra_candidates(sm):
    """Steps worth trying that match does not list: {transformation:
    [arguments of extra_step]}: the pipeline of an -O level (`apply: auto`);
    map-schedule, which lists only the sequential maps that may run in
    parallel, the other way; the LAYOUT transformations."""
    out = {"auto": [(None,)]}
    if sm.parallel:
        out["map-schedule"] = [(site,) for site in sm.parallel]
    for site, tr in sm.uses:
        ndim = sm.transients[tr]
        for name in LAYOUT:
            if name == "transient-allocation" or ndim >= (2 if name == "array-layout" else 1):
                out.setdefault(name, []).append((site, tr[1], ndim))
    return out


def extra_step(rng, name, site, array=None, ndim=0):
    if name == "auto":
        return Step(name, [], [("level", rng.randint(1, 3))])
    if name == "map-schedule":
        return Step(name, [site], [("schedule", "sequential")])
    params = [("array", array)]
    if name == "array-layout":
        params.append(("order", rng.sample(range(ndim), ndim)))
    elif name == "padding" and rng.random() < 0.7:
        params.append(("pad", rng.choice((1, 3, 8))))
    elif name == "transient-allocation":
        params.append(("storage", rng.choice(("stack", "heap"))))
    return Step(name, [site], params)


# ---- one case -------------------------------------------------------------

def case_name(path, n):
    return "%s#%d" % (run_diff.display(path), n)


def choose_step(opts, rng, cur):
    """(step, proposed by match) for the IR in cur, or (None, False)."""
    sites = match_sites(opts.dfc, cur)
    sm = summarize(opts.dfc, cur)
    extra = extra_candidates(sm)
    names = sorted(set(sites) | set(extra))
    if not names:
        return None, False
    name = rng.choice(names)
    if name in sites and (name not in extra or rng.random() < 0.5):
        at, params = rng.choice(sites[name])
        step = Step(name, at, params + random_params(rng, name, at, sm))
        if name == "map-tiling" and zlib.crc32(str(step).encode()) % 3 == 0:
            # local storage has rules of its own (match lists the sites of
            # plain tiling): a refusal drops the step
            step.params.append(("local", "true"))
            return step, False
        return step, True
    return extra_step(rng, name, *rng.choice(extra[name])), False


def make_recipe(opts, path, n, work, steps):
    """Chooses and applies the steps of case n, appending them to steps;
    returns the recipe's path. CaseError when a step fails. A step that
    match did not propose is dropped when it is refused (and another is
    drawn, MAX_TRIES draws in all)."""
    rng = random.Random(zlib.crc32(case_name(path, n).encode()))
    recipe, cur, want = work / "recipe.yaml", path, rng.randint(2, MAX_STEPS)
    for i in range(MAX_TRIES):
        step, proposed = choose_step(opts, rng, cur) if len(steps) < want else (None, False)
        if not step:
            break
        recipe.write_text("".join(s.yaml() for s in steps + [step]))
        out = work / ("try%d.yaml" % (i + 1))
        status, _, err = run_diff.run_dfc(opts.dfc, ["transform", str(path), "--script",
                                                     str(recipe), "-o", str(out)])
        if status == 1 and not proposed:
            continue
        steps.append(step)
        if status != 0:
            how = "refused" if status == 1 else "failed (%s)" % run_diff.status_text(status)
            raise CaseError("step %d %s: %s" % (len(steps), how, first_error(err)))
        cur = out
    recipe.write_text("".join(s.yaml() for s in steps))
    return recipe


def check_replay(opts, yaml_path):
    out = dfc_ok(opts.dfc, ["transform", "--replay", yaml_path], "dfc transform --replay")
    if out.encode() != yaml_path.read_bytes():
        raise CaseError("dfc transform --replay %s does not reproduce it" % yaml_path.name)


def run_case(opts, path, n, work):
    """Returns (status, steps, reason): status is PASS, FAIL or SKIP."""
    steps = []
    try:
        recipe = make_recipe(opts, path, n, work, steps)
        if not steps:
            return "SKIP", steps, "no transformation applied"
        outdir = work / "build"
        dfc_ok(opts.dfc, ["build", path, "--script", recipe, "-o", outdir], "dfc build")
        check_replay(opts, outdir / (path.stem + ".yaml"))
        results, trouble = run_diff.run_worker(path, opts.dfc, opts.timeout, outdir)
        for case in run_diff.file_cases(path, False):
            err = results.get(case, "not run (%s)" % (trouble or "the test process ended early"))
            if err is not None:
                return "FAIL", steps, "%s: %s" % (case, err)
        return "PASS", steps, None
    except (CaseError, OSError) as e:
        return "FAIL", steps, str(e)


def run_one(opts, path, n):
    """Runs case n of path in a directory of its own; returns its line."""
    name = case_name(path, n)
    if opts.keep:
        work = Path(opts.keep) / name.replace("/", "_").replace("#", "_")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="dfc-xform-"))
    try:
        status, steps, reason = run_case(opts, path, n, work)
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)
    seq = "[%s]" % ", ".join(str(s) for s in steps)
    if status == "SKIP":
        return "SKIP xform-random %s (%s)" % (name, reason)
    if status == "FAIL":
        return "FAIL xform-random %s %s: %s" % (name, seq, reason)
    return "PASS xform-random %s %s" % (name, seq)


# ---- the driver -----------------------------------------------------------

def default_files():
    files = sorted(ROOT.glob("samples/*.py")) + sorted(ROOT.glob("tests/diff/*.py")) + \
        sorted(ROOT.glob("tests/corpus/*.py"))
    return [f for f in files if f.resolve() != Path(run_diff.__file__).resolve()]


def case_count(opts, path):
    if opts.cases is not None:
        return opts.cases
    sample = path.resolve().parent == ROOT / "samples"
    if opts.all:
        return 6 if sample else 3
    return 2 if sample else 1


def jobs_of(opts):
    """[(path, case number)] of the files that hold kernels."""
    files = [Path(f) for f in opts.files] if opts.files else default_files()
    jobs = []
    for f in files:
        try:
            if run_diff.file_cases(f, bool(opts.files)) is None:
                continue
        except (run_diff.HintError, OSError) as e:
            print("FAIL xform-random %s: hints: %s" % (run_diff.display(f), e), flush=True)
            jobs.append(None)
            continue
        jobs += [(f, n) for n in range(1, case_count(opts, f) + 1)]
    return jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="kernel files (default: samples/*.py tests/diff/*.py "
                    "tests/corpus/*.py)")
    ap.add_argument("--dfc", default=str(ROOT / "build" / "dfc"), help="the dfc executable")
    ap.add_argument("--all", action="store_true",
                    help="more cases: 6 per sample, 3 per other file (default 2 and 1)")
    ap.add_argument("--cases", type=int, help="exactly N cases per file")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="cases run in parallel")
    ap.add_argument("--timeout", type=int, default=120, help="seconds for a case's kernels")
    ap.add_argument("--keep", metavar="DIR", help="keep each case's recipe, steps and build in DIR")
    opts = ap.parse_args()
    jobs = jobs_of(opts)
    failed = jobs.count(None)
    jobs = [j for j in jobs if j]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        for line in pool.map(lambda j: run_one(opts, *j), jobs):
            print(line, flush=True)
            failed += line.startswith("FAIL ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
