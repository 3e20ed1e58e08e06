"""bench/machine.py -- the machine, the versions, and the machine's limits.

machine_info() describes the CPU, the cores and the memory; versions() the
compilers, the Python packages and dfc's git hash; limits() compiles and
runs bench/triad.c (STREAM triad, GB/s), bench/dgemm.c (OpenBLAS dgemm
and sgemm, GFLOP/s) and bench/fork_idle.c (a parallel region after the
pause between timed calls, us) with the benchmark's environment; blas_info() says which BLAS
NumPy runs, in a child process with that environment (threadpoolctl if it
is installed, numpy.show_config() otherwise).
"""
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# The GOMP_SPINCOUNT the modules dfc generates load libgomp with
# (codegen/pywrap.c), under which fork_idle.c measures a fork.
MODULE_SPINCOUNT = "30000"


def bench_env(threads=2):
    """The environment of every timed child: OMP_NUM_THREADS set, and the
    variables that slow NumPy's OpenBLAS on this machine removed."""
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OMP_NUM_THREADS"] = str(threads)
    return env


def llc_bytes():
    """The size of the last-level cache (sysfs: the highest level of cpu0's
    caches), or 0 when the system does not say."""
    best = (0, 0)
    for d in Path("/sys/devices/system/cpu/cpu0/cache").glob("index*"):
        try:
            level, text = int((d / "level").read_text()), (d / "size").read_text().strip()
            mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
            size = int(text.rstrip("KMG")) * mult
        except (OSError, ValueError):
            continue
        best = max(best, (level, size))
    return best[1]


def first_line(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (p.stdout or p.stderr).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "not found"


def machine_info():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in open("/proc/meminfo", encoding="utf-8") if l.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / 2**20
    except (OSError, StopIteration):
        mem_gib = 0.0
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": "%.1f GiB" % mem_gib,
            "os": platform.platform(), "load": "%.2f %.2f %.2f" % os.getloadavg(),
            "llc": llc_bytes()}


def module_version(name):
    code = "import %s as m; print(m.__version__)" % name
    try:
        p = subprocess.run([sys.executable, "-W", "ignore", "-c", code],
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "import timed out"
    return p.stdout.strip() if p.returncode == 0 else "not installed"


def versions(dfc, used):
    """Versions of the tools; a Python package of a contender not in used is
    not imported (importing DaCe takes seconds)."""
    mv = lambda name, c: module_version(name) if c in used else "not used"
    git = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {"dfc": git + (" (with uncommitted changes)" if dirty else ""),
            "gcc": first_line(["gcc", "--version"]),
            "clang": first_line(["clang", "--version"]),
            "python": platform.python_version(),
            "numpy": module_version("numpy"),
            "numba": mv("numba", "numba"),
            "pythran": mv("pythran", "pythran"),
            "dace": mv("dace", "dace")}


BLAS_CODE = """
try:
    import threadpoolctl, numpy
    for i in threadpoolctl.threadpool_info():
        if i.get("user_api") == "blas":
            print("%s %s, %s kernel, %s threads (threadpoolctl)" % (i.get("internal_api"),
                  i.get("version"), i.get("architecture"), i.get("num_threads")))
            break
    else:
        print("no BLAS found by threadpoolctl")
except ImportError:
    import contextlib, io, numpy
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        numpy.show_config()
    libs = [l.strip() for l in buf.getvalue().splitlines() if "libraries" in l]
    print("numpy.show_config(): " + (libs[0] if libs else "unknown"))
"""


def blas_info(threads):
    p = subprocess.run([sys.executable, "-c", BLAS_CODE], capture_output=True, text=True,
                       env=bench_env(threads), timeout=120)
    return p.stdout.strip() or p.stderr.strip().splitlines()[-1]


def compile_run(name, extra, args, workdir, threads, env=None):
    """Builds bench/NAME.c and prints its number; (value, None) or (None, why).
    env: variables added to bench_env's."""
    exe = workdir / name
    cmd = ["gcc", "-O3", "-fopenmp", "-march=native", "-o", str(exe), str(HERE / (name + ".c"))]
    p = subprocess.run(cmd + extra, capture_output=True, text=True)
    if p.returncode != 0:
        return None, "build failed: " + (p.stderr.strip().splitlines() or ["?"])[0]
    p = subprocess.run([str(exe)] + args, capture_output=True, text=True,
                       env=dict(bench_env(threads), **(env or {})), timeout=600)
    if p.returncode != 0:
        return None, "run failed: " + p.stderr.strip()
    return float(p.stdout.strip()), None


def cache_size(exe, threads, dram, top):
    """The working set (bytes) up to which the triad (exe, already built)
    runs from cache: the largest of 1, 2, 4, ... MiB, below top bytes, whose
    bandwidth passes 1.5 times dram's (the triad of top bytes), the sizes
    tried in turn until one does not; 0 when 1 MiB does not."""
    best, mib = 0, 1
    while (mib << 20) < top and dram:
        n = (mib << 20) // 24
        p = subprocess.run([str(exe), str(n), "20"], capture_output=True, text=True,
                           env=bench_env(threads), timeout=600)
        if p.returncode != 0 or float(p.stdout.strip()) <= 1.5 * dram:
            break
        best, mib = mib << 20, mib * 2
    return best


def limits(workdir, threads, quick, pause_s=0.2):
    """{"triad": GB/s, "dgemm" and "sgemm": GFLOP/s (float64 and float32
    products, bench/dgemm.c), and their errors if any; "cache": bytes
    (cache_size); "fork_idle_us": a parallel region after pause_s of idle,
    the bench's pause between calls (bench/fork_idle.c)}."""
    workdir.mkdir(parents=True, exist_ok=True)
    triad_n, dgemm_n = ("2000000", "400") if quick else ("40000000", "2500")
    out = {}
    out["triad"], out["triad_error"] = compile_run(
        "triad", [], [triad_n, "3" if quick else "20"], workdir, threads)
    out["cache"] = cache_size(workdir / "triad", threads, out["triad"], 24 * int(triad_n))
    for prec in ("d", "s"):
        out[prec + "gemm"], out[prec + "gemm_error"] = compile_run(
            "dgemm", ["-lopenblas"], [dgemm_n, "2" if quick else "5", prec], workdir, threads)
    out["triad_n"], out["dgemm_n"] = int(triad_n), int(dgemm_n)
    out["fork_idle_spincount"] = MODULE_SPINCOUNT
    out["fork_idle_us"], out["fork_idle_error"] = compile_run(
        "fork_idle", [], [str(round(pause_s * 1000)), "5" if quick else "21"], workdir, threads,
        {"GOMP_SPINCOUNT": MODULE_SPINCOUNT})
    return out
