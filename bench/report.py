"""bench/report.py -- RESULTS.md, results.json and the chart results.png.

Speedups are NumPy's median time over the contender's; a geometric mean is
taken per contender over the kernels it ran correctly, and for comparison
dfc's over the same kernels. Memory-bound kernels show their bandwidth as a
fraction of the STREAM triad, matmul kernels their GFLOP/s as a fraction of
OpenBLAS dgemm (bench/classes.py says which is which).
"""
import json
import math

NAMES = {"dfc": "dfc", "numba": "Numba", "numba-par": "Numba par", "pythran": "Pythran",
         "dace": "DaCe", "wrong": "wrong (self-test)"}


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


def limit_text(rec, name, limits):
    """The kernel's fraction of triad or dgemm, for contender name."""
    c = rec["contenders"].get(name, {})
    if rec.get("work") is None or c.get("status") != "ok":
        return ""
    secs = c["ms"] / 1e3
    if rec["class"] == "memory" and limits.get("triad"):
        gbs = rec["work"] / secs / 1e9
        return "%.1f GB/s = %.0f%% triad" % (gbs, 100 * gbs / limits["triad"])
    if rec["class"] == "matmul" and limits.get("dgemm"):
        gf = rec["work"] / secs / 1e9
        return "%.1f GF/s = %.0f%% dgemm" % (gf, 100 * gf / limits["dgemm"])
    return ""


def table(records, names, limits):
    head = ["kernel", "class", "sizes", "NumPy ms"] + [NAMES[n] for n in names] + ["dfc vs limit"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in records:
        if "numpy_ms" not in r:
            rows.append("| %s:%s | | | %s |" % (r["file"], r["kernel"], r.get("error", "?")) +
                        " |" * (len(names) + 1))
            continue
        cells = ["%s:%s" % (r["file"], r["kernel"]), r["class"], r["sizes"],
                 "%.1f" % r["numpy_ms"]] + [cell(r, n) for n in names] + [
                 limit_text(r, "dfc", limits)]
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
             "- NumPy's BLAS: %s" % info["blas"],
             "- dfc %s; %s; %s" % (v["dfc"], v["gcc"], v["clang"]),
             "- Python %s, NumPy %s, Numba %s, Pythran %s, DaCe %s" % (
                 v["python"], v["numpy"], v["numba"], v["pythran"], v["dace"]),
             "- command: `%s`, started %s, took %.0f s; %d timed runs per contender (median)" % (
                 info["command"], info["started"], info["seconds"], info["runs"]), "",
             "## Machine limits", "",
             "- STREAM triad (bench/triad.c, %d doubles per array): %s GB/s" % (
                 lim["triad_n"], lim["triad"] or lim["triad_error"]),
             "- OpenBLAS dgemm (bench/dgemm.c, n = %d): %s GFLOP/s" % (
                 lim["dgemm_n"], lim["dgemm"] or lim["dgemm_error"]), "",
             "## Geometric means", ""] + summary(records, names) + [
             "", "![speedups](results.png)", "", "## Kernels", ""] + table(records, names, lim)
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
