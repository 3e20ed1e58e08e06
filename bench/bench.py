#!/usr/bin/python3
"""bench/bench.py -- dfc against NumPy, Numba, Pythran and DaCe (`make bench`).

For every kernel of samples/*.py and tests/corpus/*.py (or the files given),
at sizes where NumPy takes 10-200 ms, times NumPy (the file itself), dfc
(`dfc build FILE -o DIR`, default -O3, through the generated module) and,
where installed, Numba (njit, njit(parallel=True)), Pythran (-O3 -fopenmp
-march=native) and DaCe (auto_optimize); measures the STREAM triad and
OpenBLAS dgemm; writes RESULTS.md, results.json and results.png. See
bench/README.md. Every timing runs in a child process with OMP_NUM_THREADS
set and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import compile_time as ct  # noqa: E402
import contenders as cn   # noqa: E402
import machine            # noqa: E402
import report             # noqa: E402
import worker             # noqa: E402

rd = worker.rd


def default_files():
    return sorted(ROOT.glob("samples/*.py")) + sorted(ROOT.glob("tests/corpus/*.py"))


def select(files, pattern):
    """[(path, [kernel names])] of the kernels whose "file:kernel" contains
    pattern (every kernel when pattern is empty)."""
    out = []
    for f in files:
        kernels, _ = rd.parse_file(f)
        names = [k.name for k in kernels
                 if not pattern or pattern in "%s:%s" % (rd.display(f), k.name)]
        if names:
            out.append((f, names))
    return out


def pythran_cached(path, kernels, cache):
    """pythran_build through a cache keyed by the file's text and pythran's
    version (results.json in the cache folder)."""
    key = hashlib.sha1(path.read_bytes() + machine.module_version("pythran").encode()
                       + ",".join(k.name for k in kernels).encode()).hexdigest()[:16]
    outdir = cache / "pythran" / ("%s-%s" % (path.stem, key))
    meta = outdir / "built.json"
    if meta.exists():
        d = json.loads(meta.read_text())
        return [(Path(so), names) for so, names in d["built"]], d["refused"]
    built, refused = cn.pythran_build(path, kernels, outdir, 600)
    meta.write_text(json.dumps({"built": [(str(so), n) for so, n in built], "refused": refused}))
    return built, refused


def prepare(job, opts):
    """Builds one file for dfc and pythran; returns the worker's context."""
    path, names = job
    kernels = [k for k in rd.parse_file(path)[0] if k.name in names]
    ctx = {"dfc_dir": str(opts.cache / "dfc" / path.stem)}
    if "dfc" in opts.contenders:
        ctx["dfc_seconds"], ctx["dfc_error"], ctx["file_times"] = ct.file_build(
            opts.dfc, path, Path(ctx["dfc_dir"]), rd.build_flags())
        ctx["kernel_times"] = {n: ct.kernel_times(
            opts.dfc, path, n, opts.cache / "compile" / path.stem, 1 if opts.quick else 3,
            rd.build_flags()) for n in names}
    if "pythran" in opts.contenders and shutil.which("pythran") and cn.have("pythran"):
        try:
            ctx["pythran"] = pythran_cached(path, kernels, opts.cache)
        except Exception as e:
            ctx["pythran"] = ([], {k.name: cn.one_line(e) for k in kernels})
    ctx["dace_enabled"] = opts.dace_all or path.parent.name == "samples"
    ctx["dace_skip"] = "DaCe runs on samples/ only unless BENCH_DACE=all (time budget)"
    return ctx


def run_worker(job, ctx, opts):
    """Runs bench/worker.py on one file; returns its kernel records."""
    path, names = job
    ctxfile = opts.cache / ("ctx-%s.json" % path.stem)
    wctx = dict(ctx, dfc_dir=ctx["dfc_dir"],
                pythran=[[[str(s), n] for s, n in ctx["pythran"][0]], ctx["pythran"][1]]
                if "pythran" in ctx else None)
    ctxfile.write_text(json.dumps(wctx))
    wopts = {"quick": opts.quick, "runs": opts.runs, "contenders": opts.contenders,
             "cache_bytes": opts.cache_bytes}
    cmd = [sys.executable, str(HERE / "bench.py"), "--worker", str(path),
           "--kernels", ",".join(names), "--worker-opts", json.dumps(wopts),
           "--ctx", str(ctxfile)]
    env = machine.bench_env(opts.threads)
    env["DACE_default_build_folder"] = str(opts.cache / "dace")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=opts.timeout, env=env,
                           cwd=str(opts.cache))
        out, trouble = p.stdout, None if p.returncode == 0 else "exit status %d: %s" % (
            p.returncode, cn.one_line((p.stderr.strip().splitlines() or ["?"])[-1]))
    except subprocess.TimeoutExpired as e:
        out, trouble = (e.stdout or b"").decode(errors="replace") if isinstance(
            e.stdout, bytes) else (e.stdout or ""), "timed out after %d s" % opts.timeout
    return collect(path, names, out, trouble)


def collect(path, names, out, trouble):
    recs = {}
    for line in out.splitlines():
        tag, _, rest = line.partition(" ")
        if tag == "@@kernel":
            rec = json.loads(rest)
            recs[rec["kernel"]] = rec
    for n in names:
        if n not in recs:
            recs[n] = {"file": os.path.relpath(path, ROOT), "stem": path.stem, "kernel": n,
                       "contenders": {}, "error": "not run: %s" % (trouble or "worker ended early")}
    return [recs[n] for n in names]


def run(opts):
    files = [Path(f).resolve() for f in opts.files] if opts.files else default_files()
    jobs = select(files, opts.pattern)
    if not jobs:
        sys.exit("bench: no kernel matches '%s'" % opts.pattern)
    opts.cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    log("%d kernels in %d files; contenders: numpy %s" % (
        sum(len(n) for _, n in jobs), len(jobs), " ".join(opts.contenders)))
    info = {"machine": machine.machine_info(), "versions": machine.versions(opts.dfc, opts.contenders),
            "blas": machine.blas_info(opts.threads), "command": opts.command,
            "threads": opts.threads, "quick": opts.quick, "runs": opts.runs,
            "settle_s": worker.SETTLE_S,
            "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    log("machine limits (STREAM triad, OpenBLAS dgemm)")
    info["limits"] = machine.limits(opts.cache / "limits", opts.threads, opts.quick,
                                    worker.SETTLE_S)
    opts.cache_bytes = info["limits"]["cache"]
    log("building (dfc, pythran)")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        ctxs = list(pool.map(lambda j: prepare(j, opts), jobs))
    records = []
    for job, ctx in zip(jobs, ctxs):
        log("timing %s" % rd.display(job[0]))
        recs = run_worker(job, ctx, opts)
        for r in recs:
            r["dfc_build_s"] = ctx.get("dfc_seconds")
            r["file_compile"] = ctx.get("file_times")
            r["compile"] = ctx.get("kernel_times", {}).get(r["kernel"])
        records += recs
    info["seconds"] = time.time() - t0
    info["load_after"] = "%.2f %.2f %.2f" % os.getloadavg()
    report.write(opts, info, records)
    log("wrote %s" % opts.out)
    return 0


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="kernel files (default: samples/ and tests/corpus/)")
    ap.add_argument("--dfc", default=str(ROOT / "build" / "dfc"))
    ap.add_argument("--pattern", default=os.environ.get("BENCH", ""),
                    help="only kernels whose FILE:KERNEL contains this ($BENCH)")
    ap.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1",
                    help="hint sizes, 3 runs: a smoke run ($BENCH_QUICK=1)")
    ap.add_argument("--contenders", default=",".join(cn.DEFAULT),
                    help="comma-separated, of: " + " ".join(n for n in cn.LOADERS if n != "numpy"))
    ap.add_argument("--dace-all", action="store_true", default=os.environ.get("BENCH_DACE") == "all")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per file")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--cache", default=str(ROOT / "build" / "bench"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--kernels", help=argparse.SUPPRESS)
    ap.add_argument("--worker-opts", help=argparse.SUPPRESS)
    ap.add_argument("--ctx", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.worker:
        ctx = json.loads(Path(opts.ctx).read_text())
        ctx["dfc_dir"] = Path(ctx["dfc_dir"])
        if ctx.get("pythran") is None:
            ctx.pop("pythran", None)
        worker.worker_main(Path(opts.worker), opts.kernels.split(","),
                           json.loads(opts.worker_opts), ctx)
        return 0
    opts.contenders = [c for c in opts.contenders.split(",") if c]
    bad = [c for c in opts.contenders if c not in cn.LOADERS or c == "numpy"]
    if bad:
        ap.error("unknown contender %s" % bad[0])
    opts.runs = 3 if opts.quick else 5
    opts.cache, opts.out = Path(opts.cache).resolve(), Path(opts.out).resolve()
    opts.dfc = str(Path(opts.dfc).resolve())
    opts.command = " ".join(["bench/bench.py"] + sys.argv[1:]) + (
        "  (BENCH=%s)" % opts.pattern if opts.pattern else "") + (
        "  (BENCH_QUICK=1)" if opts.quick else "")
    return run(opts)


if __name__ == "__main__":
    sys.exit(main())
