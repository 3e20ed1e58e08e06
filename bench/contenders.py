"""bench/contenders.py -- how each contender turns a kernel file into callables.

A contender is a name and a loader: load(path, kernels, ctx) returns
{kernel name: callable, or a Missing that says why it has none}. "numpy" is
the file itself; "dfc" the module that `dfc build FILE -o DIR` generated (the
driver builds it beforehand); "numba" and "numba-par" every function of the
file wrapped in numba.njit (parallel=True for the second; compiled at the
first call, so a failure shows up as an exception of that call); "pythran"
the extension module built by pythran_build from the file's functions with
export lines made from the "# dfc:" signatures; "dace" each kernel through
dace.program(auto_optimize=True) with annotations made from the signature.
"wrong" is the harness's self-test: NumPy's result with its first float
output perturbed, which the correctness check must flag.
"""
import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
LOC_RE = re.compile(r"(?:\.py:|line )(\d+)")


class Missing:
    """A kernel a contender cannot run: status "n/a" (it cannot compile it)
    or "not installed", and the reason in one line."""

    def __init__(self, status, reason):
        self.status, self.reason = status, one_line(reason)


def one_line(text, limit=160):
    """The most telling line of an error message, without colour codes."""
    lines = [ANSI_RE.sub("", l).strip() for l in str(text).splitlines()]
    lines = [l for l in lines if l and not l.startswith(("Failed in ", "During:",
                                                          "File ", "^", "Traceback"))]
    line = lines[0] if lines else str(text).strip()
    return line if len(line) <= limit else line[:limit - 3] + "..."


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, str(path))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def missing_all(kernels, status, reason):
    return {k.name: Missing(status, reason) for k in kernels}


# ---- numpy, dfc, wrong ----------------------------------------------------

def load_numpy(path, kernels, ctx):
    mod = load_module("bench_numpy_" + path.stem, path)
    return {k.name: getattr(mod, k.name) for k in kernels}


def load_dfc(path, kernels, ctx):
    built = ctx["dfc_dir"] / (path.stem + ".py")
    err = ctx.get("dfc_error")
    if err or not built.exists():
        return missing_all(kernels, "n/a", err or "dfc build wrote no module")
    mod = load_module("bench_dfc_" + path.stem, built)
    return {k.name: getattr(mod, k.name, None) or Missing("n/a", "not in the module")
            for k in kernels}


def perturb(value):
    """value with its first float array (or float) scaled by 1 + 1e-3."""
    if isinstance(value, tuple):
        out, done = [], False
        for v in value:
            out.append(v if done else perturb(v))
            done = done or out[-1] is not v
        return tuple(out)
    if isinstance(value, np.ndarray) and value.dtype.kind in "fc" and value.size:
        return value * (1 + 1e-3) + 1e-3
    if isinstance(value, float):
        return value * (1 + 1e-3) + 1e-3
    return value


def load_wrong(path, kernels, ctx):
    mod = load_module("bench_wrong_" + path.stem, path)

    def make(fn):
        def wrong(*args):
            out = fn(*args)
            if out is None:
                for a in args:
                    if isinstance(a, np.ndarray) and a.dtype.kind in "fc" and a.size:
                        a += 1e-3
                        break
                return None
            return perturb(out)
        return wrong
    return {k.name: make(getattr(mod, k.name)) for k in kernels}


# ---- numba ----------------------------------------------------------------

def numba_loader(parallel):
    def load(path, kernels, ctx):
        try:
            import numba
        except ImportError:
            return missing_all(kernels, "not installed", "numba is not installed")
        tag = "par" if parallel else "seq"
        mod = load_module("bench_numba_%s_%s" % (tag, path.stem), path)
        # Every function of the file, so that helpers compile too.
        for name, obj in list(vars(mod).items()):
            if callable(obj) and getattr(obj, "__module__", None) == mod.__name__ \
                    and type(obj).__name__ == "function":
                setattr(mod, name, numba.njit(parallel=parallel)(obj))
        return {k.name: getattr(mod, k.name) for k in kernels}
    return load


# ---- pythran --------------------------------------------------------------

PYTHRAN_TYPES = {"bool": "bool"}


def pythran_type(p):
    base = PYTHRAN_TYPES.get(p.dtype, p.dtype)
    return base if not p.is_array else "%s[%s]" % (base, ",".join(":" * len(p.dims)))


def strip_module(source):
    """The imports, functions and constant assignments of a module (no
    `if __name__ == "__main__":` block or other statements)."""
    tree = ast.parse(source)
    keep = (ast.Import, ast.ImportFrom, ast.FunctionDef)
    body = [n for n in tree.body if isinstance(n, keep) or (
        isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant))]
    tree.body = body
    return tree


def function_spans(tree):
    """{function name: (first line, last line)} of the top-level functions."""
    return {n.name: (n.lineno, n.end_lineno) for n in tree.body
            if isinstance(n, ast.FunctionDef)}


def callers(tree, name, names):
    """The functions among names whose body mentions name, transitively."""
    uses = {n.name: {x.id for x in ast.walk(n) if isinstance(x, ast.Name)}
            for n in tree.body if isinstance(n, ast.FunctionDef)}
    found, todo = set(), [name]
    while todo:
        cur = todo.pop()
        for f, used in uses.items():
            if cur in used and f not in found:
                found.add(f)
                todo.append(f)
    return [n for n in names if n in found or n == name]


def pythran_source(tree, kernels):
    exports = ["#pythran export %s(%s)" % (k.name, ", ".join(pythran_type(p) for p in k.params))
               for k in kernels]
    return "\n".join(exports) + "\n" + ast.unparse(tree) + "\n"


def pythran_build(path, kernels, outdir, timeout):
    """Builds the file's kernels with pythran into outdir, leaving out those
    pythran refuses: a refusal that names a line of the file drops the
    kernels that reach the function there and retries; one that does not (a
    C++ error) splits the kernels in halves, each built apart. Returns
    ([(module path, kernel names)], {kernel: reason})."""
    tree = strip_module(path.read_text(encoding="utf-8"))
    outdir.mkdir(parents=True, exist_ok=True)
    built, refused = [], {}
    todo = [list(kernels)]
    while todo:
        left = todo.pop()
        if not left:
            continue
        so, err, src = pythran_try(tree, left, outdir, path.stem, len(built) + len(todo) + len(refused), timeout)
        if so:
            built.append((so, [k.name for k in left]))
            continue
        drop = pythran_culprits(err, src, left)
        if drop is None and len(left) > 1:
            todo += [left[:len(left) // 2], left[len(left) // 2:]]
            continue
        for k in drop or left:
            refused[k.name] = pythran_reason(err)
        todo.append([k for k in left if k not in (drop or left)])
    return built, refused


def pythran_try(tree, kernels, outdir, stem, n, timeout):
    """One pythran build of kernels; returns (.so or None, output, source)."""
    modname = "bench_pythran_%s_%d" % (re.sub(r"\W", "_", stem), n)
    src = outdir / (modname + ".py")
    src.write_text(pythran_source(tree, kernels), encoding="utf-8")
    so = outdir / (modname + ".so")
    cmd = ["pythran", "-O3", "-fopenmp", "-march=native", "-o", str(so), str(src)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           cwd=str(outdir))
        err, ok = p.stdout + p.stderr, p.returncode == 0 and so.exists()
    except subprocess.TimeoutExpired:
        err, ok = "pythran took more than %d s" % timeout, False
    return (so if ok else None), err, src.read_text(encoding="utf-8")


def pythran_reason(err):
    for line in err.splitlines():
        if ": error: " in line and "Command" not in line:
            return one_line(line.split(": error: ", 1)[1])
    for line in err.splitlines():
        if ("error" in line.lower() and "CRITICAL" not in line and "Command" not in line
                and "trying hard" not in line):
            return one_line(line)
    return one_line(err.strip().splitlines()[-1] if err.strip() else "pythran failed")


def pythran_culprits(err, src, left):
    """The kernels to drop after a failed build: those reaching the function
    at the first line of the source that the error names, else None."""
    tree = ast.parse(src)
    names = [k.name for k in left]
    for m in LOC_RE.finditer(err):
        line = int(m.group(1))
        for fn, (lo, hi) in function_spans(tree).items():
            if lo <= line <= hi:
                hit = callers(tree, fn, names)
                if hit:
                    return [k for k in left if k.name in hit]
    return None


def load_pythran(path, kernels, ctx):
    info = ctx.get("pythran")
    if info is None:
        return missing_all(kernels, "not installed", "pythran is not installed")
    built, refused = info
    out = {k.name: Missing("n/a", refused.get(k.name, "not built")) for k in kernels}
    for so, names in built:
        spec = importlib.util.spec_from_file_location(Path(so).stem, str(so))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out.update({n: getattr(mod, n) for n in names})
    return out


# ---- dace -----------------------------------------------------------------

def dace_loader(path, kernels, ctx):
    if not ctx.get("dace_enabled", True):
        return missing_all(kernels, "skipped", ctx.get("dace_skip", "skipped"))
    try:
        import dace
    except Exception as e:
        return missing_all(kernels, "not installed", "dace: %s" % one_line(e))
    mod = load_module("bench_dace_" + path.stem, path)
    return {k.name: DaceKernel(dace, getattr(mod, k.name), k) for k in kernels}


class DaceKernel:
    """A kernel through dace.program(auto_optimize=True), compiled at the
    first call for the size symbols of that call."""

    def __init__(self, dace, fn, kernel):
        self.dace, self.fn, self.kernel = dace, fn, kernel
        self.compiled = None

    def annotations(self):
        d = self.dace
        syms = {s: d.symbol(s) for s in self.kernel.symbols()}
        ann = {}
        for p in self.kernel.params:
            t = getattr(d, "bool_" if p.dtype == "bool" else p.dtype)
            ann[p.name] = t[tuple(syms.get(x, x) for x in p.dims)] if p.is_array else t
        return ann

    def __call__(self, *args):
        if self.compiled is None:
            self.fn.__annotations__ = self.annotations()
            prog = self.dace.program(auto_optimize=True)(self.fn)
            self.compiled = prog.compile()
        kw = {p.name: a for p, a in zip(self.kernel.params, args)}
        for p, a in zip(self.kernel.params, args):
            for d, n in zip(p.dims or (), getattr(a, "shape", ())):
                if isinstance(d, str) and d not in kw:
                    kw[d] = n
        return self.compiled(**kw)


LOADERS = {
    "numpy": load_numpy,
    "dfc": load_dfc,
    "numba": numba_loader(False),
    "numba-par": numba_loader(True),
    "pythran": load_pythran,
    "dace": dace_loader,
    "wrong": load_wrong,
}
DEFAULT = ["dfc", "numba", "numba-par", "pythran", "dace"]


def have(module):
    """Whether a Python module can be imported (without importing it)."""
    return importlib.util.find_spec(module) is not None


