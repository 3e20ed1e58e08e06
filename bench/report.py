"""bench/report.py -- RESULTS.md, results.json and the chart results.png.

Speedups are NumPy's median time over the contender's; a geometric mean is
taken per contender over the kernels it ran correctly, and for comparison
dfc's over the same kernels. Memory-bound kernels show their bandwidth as a
fraction of the STREAM triad, matmul kernels their GFLOP/s as a fraction of
OpenBLAS dgemm, of sgemm for what they compute in float32 (bench/classes.py
says which is which); "cache" kernels
(memory-bound ones whose arrays fit in the cache that machine.limits
measures) their effective bandwidth, held against no limit. "Targets" counts, per class,
the kernels that reach issue 6's targets; "Compile time" sets dfc's own
time from source to C per kernel against its 50 ms target.
"""
import json
import math
import statistics

import classes

TRIAD_TARGET, DGEMM_TARGET, NUMPY_TARGET = 0.70, 0.90, 0.90
COMPILE_TARGET_MS = 50.0

NAMES = {"dfc": "dfc", "numba": "Numba", "numba-par": "Numba par", "pythran": "Pythran",
         "dace": "DaCe", "wrong": "wrong (self-test)"}



# OpenBLAS's generic x86-64 kernels, which it falls back to on a processor
# its build does not know (0.3.21 on Intel family 6 model 207: dgemm at
# 30 GFLOP/s on two threads, against 155 with OPENBLAS_CORETYPE=SkylakeX).
PRESCOTT_NOTE = (" -- OpenBLAS's generic fallback: this OpenBLAS does not know the "
                 "processor, so the dgemm below, NumPy's products and dfc's BLAS calls "
                 "all run its SSE3 kernels, far under the machine's peak (bench/README.md)")

def speedup(rec, name):
    c = rec["contenders"].get(name, {})
    if c.get("status") == "ok" and rec.get("numpy_ms"):
        return rec["numpy_ms"] / max(c["ms"], 1e-9)
    return None


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def cell(rec, name):
    c = rec["contenders"].get(name)
    if c is None:
        return ""
    if c["status"] == "ok":
        return "%.3gx" % speedup(rec, name)
    return {"wrong": "WRONG", "n/a": "n/a", "not installed": "-", "skipped": "-"}.get(
        c["status"], c["status"])


def gemm_limit(rec, limits):
    """(GFLOP/s, name) that matmul kernel rec is held against: dgemm's
    rate, sgemm's for a float32 kernel, and for one that computes in both
    the rate of its FLOPS done at theirs (classes.MATMUL_PRECISION); None
    when a rate it needs was not measured."""
    f64, f32 = classes.matmul_precision(rec.get("stem", ""), rec["kernel"])
    d, s = limits.get("dgemm"), limits.get("sgemm")
    if (f64 and not d) or (f32 and not s) or not (f64 or f32):
        return None
    secs = (f64 / d if f64 else 0.0) + (f32 / s if f32 else 0.0)
    return 1.0 / secs, "+".join(n for n, w in (("dgemm", f64), ("sgemm", f32)) if w)


def fraction(rec, name, limits):
    """The kernel's fraction of triad (memory) or of its gemm limit
    (matmul: gemm_limit) for contender name, or None."""
    c = rec["contenders"].get(name, {})
    if rec.get("work") is None or c.get("status") != "ok":
        return None
    rate = rec["work"] / (c["ms"] / 1e3) / 1e9
    if rec.get("class") == "matmul":
        lim = gemm_limit(rec, limits)
        return rate / lim[0] if lim else None
    limit = limits.get("triad") if rec.get("class") == "memory" else None
    return rate / limit if limit else None


def limit_text(rec, name, limits):
    """The kernel's fraction of triad or of its gemm limit, for contender
    name."""
    c = rec["contenders"].get(name, {})
    if rec.get("work") is None or c.get("status") != "ok":
        return ""
    rate, f = rec["work"] / (c["ms"] / 1e3) / 1e9, fraction(rec, name, limits)
    if rec["class"] == "cache":
        return "%.1f GB/s (in cache)" % rate
    if f is None:
        return ""
    unit, what = ("GB/s", "triad") if rec["class"] == "memory" else (
        "GF/s", gemm_limit(rec, limits)[1])
    return "%.1f %s = %.0f%% %s" % (rate, unit, 100 * f, what)


def to_c_text(rec):
    t = (rec.get("compile") or {}).get("to_c_ms")
    return "%.1f" % t if t is not None else ""


def table(records, names, limits):
    head = ["kernel", "class", "sizes", "NumPy ms"] + [NAMES[n] for n in names] + [
        "dfc vs limit", "dfc to C ms"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in records:
        if "numpy_ms" not in r:
            rows.append("| %s:%s | | | %s |" % (r["file"], r["kernel"], r.get("error", "?")) +
                        " |" * (len(names) + 2))
            continue
        ms = "%.1f" % r["numpy_ms"] + (" *" if sizing_note(r) else "")
        cells = ["%s:%s" % (r["file"], r["kernel"]), r["class"], r["sizes"],
                 ms] + [cell(r, n) for n in names] + [
                 limit_text(r, "dfc", limits), to_c_text(r)]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def summary(records, names):
    rows = ["| contender | kernels run | geomean speedup | dfc's geomean on the same kernels | wrong | n/a |",
            "|---|---|---|---|---|---|"]
    for n in names:
        ok = [r for r in records if speedup(r, n)]
        both = [r for r in ok if speedup(r, "dfc")]
        g, gd = geomean([speedup(r, n) for r in ok]), geomean([speedup(r, "dfc") for r in both])
        count = lambda s: sum(1 for r in records if r["contenders"].get(n, {}).get("status") == s)
        rows.append("| %s | %d | %s | %s | %d | %d |" % (
            NAMES[n], len(ok), "%.3gx" % g if g else "-", "%.3gx (%d)" % (gd, len(both)) if gd else "-",
            count("wrong"), count("n/a")))
    return rows


def targets(records, limits):
    """Per class, how many kernels reach issue 6's targets with dfc: at
    least 0.9x NumPy (all), 70% of triad (memory), 90% of dgemm, sgemm
    for float32 (matmul). A kernel dfc did not run correctly reaches none."""
    rows = ["| class | kernels | dfc >= %.1fx NumPy | limit target | dfc reaches it |" %
            NUMPY_TARGET, "|---|---|---|---|---|"]
    goal = {"memory": (">= %.0f%% triad" % (100 * TRIAD_TARGET), TRIAD_TARGET),
            "matmul": (">= %.0f%% dgemm (sgemm for float32)" % (100 * DGEMM_TARGET), DGEMM_TARGET)}
    classes = ["memory", "matmul", "cache", "compute"]
    for cl in classes + ["all"]:
        rs = [r for r in records if "numpy_ms" in r and (cl == "all" or r.get("class") == cl)]
        if not rs:
            continue
        fast = sum(1 for r in rs if (speedup(r, "dfc") or 0) >= NUMPY_TARGET)
        text, need = goal.get(cl, ("-", None))
        reach = "-" if need is None else "%d of %d" % (
            sum(1 for r in rs if (fraction(r, "dfc", limits) or 0) >= need), len(rs))
        rows.append("| %s | %d | %d of %d | %s | %s |" % (cl, len(rs), fast, len(rs), text, reach))
    return rows


def reached(ok, text):
    return "%s: %s" % ("**met**" if ok else "**not met**", text)


def issue_targets(records, names, limits):
    """One line per target of issue 6, met or not, with the numbers."""
    ran = [r for r in records if "numpy_ms" in r]
    g = geomean([speedup(r, "dfc") for r in ran])
    out = ["- " + reached((g or 0) >= 3.0, "geometric-mean speedup over NumPy >= 3x: dfc %s" % (
        "%.3gx" % g if g else "-"))]
    for n in names:
        if n in ("dfc", "wrong"):
            continue
        both = [r for r in ran if speedup(r, n) and speedup(r, "dfc")]
        if both:
            gd, go = geomean([speedup(r, "dfc") for r in both]), geomean([speedup(r, n) for r in both])
            out.append("- " + reached(gd > go, "above %s on the %d kernels it runs: dfc %.3gx, "
                                      "%s %.3gx" % (NAMES[n], len(both), gd, NAMES[n], go)))
    for cl, need, what in (("memory", TRIAD_TARGET, "triad"),
                           ("matmul", DGEMM_TARGET, "dgemm (sgemm for float32)")):
        rs = [r for r in ran if r.get("class") == cl]
        if not rs:
            continue
        k = sum(1 for r in rs if (fraction(r, "dfc", limits) or 0) >= need)
        out.append("- " + reached(k == len(rs), "%s kernels >= %.0f%% of %s: %d of %d" % (
            cl, 100 * need, what, k, len(rs))))
    k = sum(1 for r in ran if (speedup(r, "dfc") or 0) >= NUMPY_TARGET)
    out.append("- " + reached(ran and k == len(ran), "no kernel more than 10%% slower than "
                              "NumPy: %d of %d at %.1fx or better" % (k, len(ran), NUMPY_TARGET)))
    ct = [r["compile"]["to_c_ms"] for r in records if (r.get("compile") or {}).get("to_c_ms")]
    k = sum(1 for t in ct if t <= COMPILE_TARGET_MS)
    out.append("- " + reached(ct and k == len(ct), "dfc's own time from source to C under "
                              "%.0f ms per kernel: %d of %d" % (COMPILE_TARGET_MS, k, len(ct))))
    return out


def compile_section(records):
    """dfc's own time from source to C per kernel against the target, and
    the C compiler's apart."""
    done = [r for r in records if (r.get("compile") or {}).get("to_c_ms") is not None]
    failed = [r for r in records if (r.get("compile") or {}).get("error")]
    if not done:
        return ["No kernel was built alone (dfc not among the contenders)."] + [
            "- %s:%s: %s" % (r["file"], r["kernel"], r["compile"]["error"]) for r in failed]
    t = sorted(done, key=lambda r: r["compile"]["to_c_ms"])
    to_c = [r["compile"]["to_c_ms"] for r in t]
    cc = [r["compile"]["cc_ms"] for r in t if "cc_ms" in r["compile"]]
    over = [r for r in t if r["compile"]["to_c_ms"] > COMPILE_TARGET_MS]
    lines = ["dfc's own time from source to C (frontend + passes + C emission, measured by "
             "`dfc build --time`, each kernel built alone, median of the runs; "
             "bench/compile_time.py) against the target of %.0f ms per kernel:" % COMPILE_TARGET_MS,
             "",
             "- %d kernels: median %.1f ms, 90th percentile %.1f ms, max %.1f ms (%s:%s)" % (
                 len(t), statistics.median(to_c), to_c[math.ceil(0.9 * len(t)) - 1], to_c[-1],
                 t[-1]["file"], t[-1]["kernel"]),
             "- under %.0f ms: %d of %d; over: %d" % (COMPILE_TARGET_MS, len(t) - len(over),
                                                      len(t), len(over))]
    if cc:
        lines.append("- the C compiler on the same single-kernel builds, apart: median %.0f ms, "
                     "max %.0f ms" % (statistics.median(cc), max(cc)))
    if over:
        lines += ["", "| kernel over %.0f ms | to C ms | frontend | passes | C emission |" %
                  COMPILE_TARGET_MS, "|---|---|---|---|---|"]
        for r in reversed(over):
            c = r["compile"]
            lines.append("| %s:%s | %.1f | %.1f | %.1f | %.1f |" % (
                r["file"], r["kernel"], c["to_c_ms"], c.get("frontend_ms", 0),
                c.get("passes_ms", 0), c.get("emit_ms", 0)))
    lines += ["- %s:%s: %s" % (r["file"], r["kernel"], r["compile"]["error"]) for r in failed]
    return lines


def sizing_note(rec):
    """Why NumPy's median is under 10 ms on rec, or None (and None in a
    quick run, which keeps the hint sizes)."""
    if rec.get("sizing"):
        return rec["sizing"]
    if rec.get("searched") and rec.get("numpy_ms", 10.0) < 10.0:
        return ("NumPy's median (%.2f ms) fell under the 10 ms that the size search "
                "measured at these sizes (a machine whose speed varied)" % rec["numpy_ms"])
    return None


def sizing_notes(records):
    """The kernels NumPy takes less than the target on, and why."""
    out = ["- %s:%s (%s): %s" % (r["file"], r["kernel"], r.get("sizes", ""), sizing_note(r))
           for r in records if sizing_note(r)]
    if not out:
        return []
    return ["", "## Kernels timed under 10 ms of NumPy (marked * above)", "",
            "The size search (bench/sizing.py) could not reach 10 ms of NumPy on these:", ""] + out


def problems(records, names):
    """The reasons of every wrong and n/a result, one line each."""
    out = []
    for r in records:
        for n in names:
            c = r["contenders"].get(n, {})
            if c.get("status") in ("wrong", "n/a"):
                out.append("- %s:%s, %s %s: %s" % (r["file"], r["kernel"], NAMES[n],
                                                   c["status"], c.get("reason", "")))
    return out


def write(opts, info, records):
    names = opts.contenders
    lim = info["limits"]
    m, v = info["machine"], info["versions"]
    lines = ["# Benchmark results", "",
             "Written by `make bench` (bench/bench.py); bench/README.md says what is measured and how.",
             "Speedups are NumPy's median time over the contender's (higher is better); "
             "WRONG: the result differed from NumPy's (not timed); n/a: the contender "
             "cannot compile or run the kernel (reasons below); -: not installed or skipped.", "",
             "## Machine and versions", "",
             "- CPU: %s, %s cores, %s memory; %s" % (m["cpu"], m["cores"], m["memory"], m["os"]),
             "- load average before: %s, after: %s (other jobs may have run concurrently)" % (
                 m["load"], info["load_after"]),
             "- OMP_NUM_THREADS=%d; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset" % info["threads"],
             "- NumPy's BLAS: %s%s" % (info["blas"], PRESCOTT_NOTE if " Prescott kernel" in
                                         info["blas"] else ""),
             "- dfc %s; %s; %s" % (v["dfc"], v["gcc"], v["clang"]),
             "- Python %s, NumPy %s, Numba %s, Pythran %s, DaCe %s" % (
                 v["python"], v["numpy"], v["numba"], v["pythran"], v["dace"]),
             "- command: `%s`, started %s, took %.0f s; at least %d interleaved timed "
             "rounds of every contender (median)" % (
                 info["command"], info["started"], info["seconds"], info["runs"]), "",
             "## Machine limits", "",
             "- STREAM triad (bench/triad.c, %d doubles per array): %s GB/s" % (
                 lim["triad_n"], lim["triad"] or lim["triad_error"]),
             "- OpenBLAS dgemm (bench/dgemm.c, n = %d): %s GFLOP/s" % (
                 lim["dgemm_n"], lim["dgemm"] or lim["dgemm_error"]),
             "- OpenBLAS sgemm (bench/dgemm.c, float32, n = %d): %s GFLOP/s; float32 products "
             "are held against it (bench/classes.py MATMUL_PRECISION)" % (
                 lim["dgemm_n"], lim.get("sgemm") or lim.get("sgemm_error", "not measured")),
             "- the triad runs from cache up to a working set of %d MiB (over 1.5 times the "
             "bandwidth above; the system reports a last-level cache of %d MiB): a memory-bound "
             "kernel whose arrays fit in it is class cache" % (
                 lim.get("cache", 0) >> 20, m.get("llc", 0) >> 20),
             "- an OpenMP parallel region after %.1f s idle, the pause before each timed call "
             "(bench/fork_idle.c, median, GOMP_SPINCOUNT=%s as dfc's modules load libgomp): "
             "%s us; a kernel that forks pays it in its timed calls (milliseconds on a virtual "
             "machine that halts its idle vCPUs)" % (
                 info.get("settle_s", 0.2), lim.get("fork_idle_spincount", "?"),
                 lim.get("fork_idle_us") or
                 lim.get("fork_idle_error", "not measured")), "",
             "## Geometric means", ""] + summary(records, names) + [
             "", "## Targets", "",
             "Per class (bench/classes.py), the kernels where dfc reaches issue 6's targets; "
             "a kernel dfc did not run correctly reaches none. cache: a memory-bound kernel whose "
             "arrays fit in the cache (see Machine limits), held against no limit.", ""
             ] + targets(records, lim) + ["", "Issue 6's targets:", ""] + issue_targets(
                 records, names, lim) + ["", "## Compile time", ""] + compile_section(records) + [
             "", "![speedups](results.png)", "", "## Kernels", ""] + table(records, names, lim) + \
        sizing_notes(records)
    why = problems(records, names)
    if why:
        lines += ["", "## Why a contender failed", ""] + why
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    opts.out.with_name("results.json").write_text(json.dumps(
        {"info": info, "records": records}, indent=1, default=str) + "\n")
    chart(opts.out.with_name("results.png"), records, names)


def chart(path, records, names):
    """Geometric means per contender and dfc's speedup per kernel (log)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    ok = sorted([r for r in records if speedup(r, "dfc")], key=lambda r: speedup(r, "dfc"))
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(max(8, 0.12 * len(ok) + 3), 9),
                                 gridspec_kw={"height_ratios": [1, 2]})
    gms = [(NAMES[n], geomean([speedup(r, n) for r in records])) for n in names]
    gms = [(n, g) for n, g in gms if g]
    a1.bar([n for n, _ in gms], [g for _, g in gms], color="tab:blue")
    a1.axhline(1.0, color="black", lw=0.8)
    a1.set_ylabel("geomean speedup over NumPy")
    for i, (_, g) in enumerate(gms):
        a1.text(i, g, "%.3gx" % g, ha="center", va="bottom")
    xs = range(len(ok))
    a2.bar(xs, [speedup(r, "dfc") for r in ok], color="tab:blue", label="dfc")
    for n, mk in zip([n for n in names if n != "dfc"], "ov^sx"):
        pts = [(i, speedup(r, n)) for i, r in zip(xs, ok) if speedup(r, n)]
        if pts:
            a2.scatter([p[0] for p in pts], [p[1] for p in pts], marker=mk, s=14, label=NAMES[n])
    a2.set_yscale("log")
    a2.axhline(1.0, color="black", lw=0.8)
    a2.set_xticks(list(xs))
    a2.set_xticklabels([r["kernel"] for r in ok], rotation=90, fontsize=6)
    a2.set_ylabel("speedup over NumPy (log)")
    a2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
