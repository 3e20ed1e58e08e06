#!/usr/bin/python3
"""tests/stress/gen.py -- random, well-typed NumPy kernels in dfc's subset.

In the spirit of Csmith and YARPGen: every program it writes runs under
NumPy without error and has a well-defined result, so that any difference
between NumPy and dfc's build of it is a bug of dfc. The generator keeps,
for every expression, its NumPy dtype (computed by NumPy itself on proxy
values, so promotion, value-based casting of Python scalars and the rules
of in-place casting are NumPy 1.24's own), its shape (as code over the size
locals n, m and loop variables) and a bound on its magnitude, and it only
builds what stays well-defined: divisors that cannot be zero, exp of small
arguments, sqrt/log of non-negative values, no overflow of int32/int64 or
of floats (int8/int16/uint8/uint16 wrap, as NumPy defines), reductions of
non-empty arrays. Every write keeps the target's magnitude bound; writes
that would exceed it are squashed (np.clip, %, tanh).

Grammar: elementwise arithmetic over bool, int8..int64, uint8, uint16,
float32 and float64 with Python literals; broadcasting (a[:, None] * b,
keepdims reductions); slices with symbolic bounds, negative steps and loop
variables (a[i:], a[:n - i], a[-i:]); in-place and overlapping updates
(a[1:] += a[:-1]); reductions (sum, max, min, mean, prod, any, all) with
axis and keepdims; np.where, np.clip, np.maximum/minimum, math functions;
@ of small matrices; for loops (steps, negative steps, nested, loop-carried
recurrences), while loops with a counter, if/elif/else on scalars derived
from arrays, helper functions, tuple returns.

    gen.py --seed S --count K --out DIR [--per-file P]

writes ceil(K / P) files DIR/s<S>_<i>.py of P kernels each, deterministic
from S, in the format of tests/diff (signature comments and dfc-test hints).
run.py imports it and uses generate_file() directly.
"""
import argparse
import math
import os
import re
import random
import sys
import warnings

import numpy as np

FLOATS = ("float64", "float32")
INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16")
DTYPES = FLOATS + INTS + ("bool",)
SUPPORTED = set(DTYPES) | {"uint32", "uint64"}
WRAPS = {"int8", "int16", "uint8", "uint16", "bool"}   # may overflow (wraps)
LIMIT = {"float64": 1e5, "float32": 1e4, "int32": 2.0**30, "int64": 2.0**52,
         "uint32": 2.0**31, "uint64": 2.0**52}
BOUND = {"float64": 1e3, "float32": 1e3, "int32": 1e5, "int64": 1e5,
         "uint32": 1e5, "uint64": 1e5}


def type_max(dt):
    dt = np.dtype(dt)
    if dt.kind == "b":
        return 1.0
    if dt.kind in "iu":
        return float(np.iinfo(dt).max)
    return LIMIT[dt.name]


def power(x, k):
    """x ** k for a magnitude bound, inf rather than an overflow."""
    return math.inf if x > 1 and k * math.log(x) > 700 else float(x) ** k


def var_bound(dt):
    """The magnitude every variable of dtype dt keeps (wrapping types: all)."""
    return BOUND.get(np.dtype(dt).name, type_max(dt))


VIEW_RE = re.compile(r"^(\w+)(\.T)?(\[[^]]*\])?(\.T)?$")


class Expr:
    """An expression: code, dtype, shape (tuple of dim codes), magnitude
    bound, and proxies (values of the same NumPy type used to compute the
    dtype of what it is combined with). pyval: a Python int/float (a
    literal, a size or a loop variable), not a NumPy value."""

    def __init__(self, code, dt, shape, mag, proxies, pyval=False):
        self.code, self.dt, self.shape, self.mag = code, np.dtype(dt), tuple(shape), mag
        self.proxies, self.pyval = proxies, pyval


def array_proxy(dt):
    return np.ones(2, dtype=dt)


def scalar_proxies(dt, mag):
    dt = np.dtype(dt)
    top = min(mag, type_max(dt)) if dt.kind != "b" else 1
    return [dt.type(0), dt.type(int(top) if dt.kind in "iub" else top)]


def evaluate(fn, exprs):
    """The NumPy type of fn over every combination of the proxies:
    (dtype, is_array), or None when NumPy raises, warns of a deprecation,
    gives an unsupported dtype or a dtype that depends on run-time values."""
    combos = [[]]
    for e in exprs:
        combos = [c + [p] for c in combos for p in e.proxies]
    kinds = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with np.errstate(all="ignore"):
            for c in combos:
                try:
                    r = fn(*c)
                except Exception:
                    return None
                if not isinstance(r, (np.ndarray, np.generic)):
                    return None
                kinds.add((r.dtype.name, isinstance(r, np.ndarray)))
    if len(kinds) != 1:
        return None
    name, arr = kinds.pop()
    return (name, arr) if name in SUPPORTED else None


def broadcast(s1, s2):
    """NumPy's broadcast of two shapes of dim codes, or None."""
    out = []
    for i in range(1, max(len(s1), len(s2)) + 1):
        a = s1[-i] if i <= len(s1) else "1"
        b = s2[-i] if i <= len(s2) else "1"
        if a == b or b == "1":
            out.append(a)
        elif a == "1":
            out.append(b)
        else:
            return None
    return tuple(reversed(out))


class Var:
    def __init__(self, name, dt, shape, mag, writable, scalar_py=False):
        self.name, self.dt, self.shape = name, np.dtype(dt), tuple(shape)
        self.mag, self.writable, self.scalar_py = mag, writable, scalar_py


class Loop:
    """A loop variable: dim (the size it indexes), lo (its least value),
    top (it is at most dim - 1 - top), trips (most iterations)."""

    def __init__(self, name, dim, lo, top):
        self.name, self.dim, self.lo, self.top = name, dim, lo, top


class Kernel:
    """The generator of one kernel (and its helpers)."""

    def __init__(self, rng, name, sizes, negative):
        self.rng, self.name, self.sizes, self.negative = rng, name, sizes, negative
        self.in_helper, self.nhelpers = False, 0
        self.lines, self.helpers = [], []
        self.vars, self.loops = [], []
        self.counter = 0
        self.trips = 1

    # ---- small utilities -------------------------------------------------

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def fresh(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def emit(self, depth, text):
        self.lines.append("    " * (depth + 1) + text)

    def dim_max(self, dim):
        env = {"n": self.sizes["N"], "m": self.sizes["M"]}
        for lp in self.loops:
            env[lp.name] = env.get(lp.dim, 0) - 1 - lp.top if lp.dim in env else 10
        try:
            return max(0, int(eval(dim, {}, env)))
        except Exception:
            return 10

    def size_of(self, shape):
        out = 1
        for d in shape:
            out *= max(1, self.dim_max(d))
        return out

    # ---- building expressions --------------------------------------------

    def make(self, code, fn, args, shape, mag):
        """An Expr for code = fn(args), or None when it is not well-typed or
        its magnitude would overflow its dtype."""
        ty = evaluate(fn, args)
        if ty is None:
            return None
        dt, is_array = ty
        if dt in WRAPS:
            mag = min(mag, type_max(dt))
        elif not mag <= LIMIT.get(dt, 0):
            return None
        if is_array and shape == ():
            return None
        if not is_array and shape != ():
            return None
        proxies = [array_proxy(dt)] if is_array else scalar_proxies(dt, mag)
        return Expr(code, dt, shape, mag, proxies)

    def literal(self, kind=None):
        kind = kind or self.pick(["int", "int", "float", "float", "bool"])
        if kind == "int":
            v = self.pick([1, 2, 3, 5, 7, -1, -2, 100, 300])
            return Expr(repr(v) if v >= 0 else "(%d)" % v, "int64", (), abs(v), [v], True)
        if kind == "float":
            v = self.pick([0.5, 1.5, 2.0, 0.25, -0.75, 3.0, 1e-3])
            return Expr(repr(v) if v >= 0 else "(%r)" % v, "float64", (), abs(v), [v], True)
        return Expr(self.pick(["True", "False"]), "bool", (), 1, [True], True)

    def var_expr(self, v, code=None, shape=None):
        code = code or v.name
        shape = v.shape if shape is None else shape
        if shape == ():
            if v.scalar_py and v.dt.kind == "f":
                return Expr(code, v.dt, (), v.mag, [0.5, float(v.mag)], True)
            if v.scalar_py:
                return Expr(code, v.dt, (), v.mag, [1, int(max(1, v.mag))], True)
            return Expr(code, v.dt, (), v.mag, scalar_proxies(v.dt, v.mag))
        return Expr(code, v.dt, shape, v.mag, [array_proxy(v.dt)])

    def readable(self):
        return [v for v in self.vars]

    # dims and indices

    def slice_parts(self, src, dst):
        """Index parts taking an axis of dim src to dim dst."""
        out = []
        if src == dst:
            out += [":"] * 3 + (["::-1"] if src in ("n", "m") else [])
        if src not in ("n", "m"):
            return out
        table = {
            src + " - 1": ["1:", ":-1", ":%s - 1" % src, "1:%s" % src, "-2::-1"],
            src + " - 2": ["1:-1", "2:", ":-2", "%s - 2:0:-1" % src, "-3::-1"],
            "(%s + 1) // 2" % src: ["::2", "::-2"],
            "%s // 2" % src: ["1::2", "-2::-2"],
        }
        out += table.get(dst, [])
        for lp in self.loops:
            if lp.dim != src:
                continue
            if dst == "%s - %s" % (src, lp.name):
                out += ["%s:" % lp.name]
            if dst == lp.name:
                out += [":%s" % lp.name] + (["-%s:" % lp.name] if lp.lo >= 1 else [])
        return out

    def index_of(self, dim):
        """An integer index valid on an axis of dim."""
        out = ["0", "-1", "1"]
        if dim in ("n", "m"):
            out.append("%s - 1" % dim)
        for lp in self.loops:
            if lp.dim == dim:
                out += [lp.name] * 3
                if lp.lo >= 1:
                    out.append("%s - 1" % lp.name)
                if lp.top >= 1:
                    out.append("%s + 1" % lp.name)
        return self.pick(out)

    def dims_wanted(self):
        """Dims a new expression may take."""
        out = ["n", "n", "m", "m", "n - 1", "m - 2", "(n + 1) // 2"]
        for lp in self.loops:
            out += ["%s - %s" % (lp.dim, lp.name)]
            if lp.lo >= 1:
                out += [lp.name]
        return out

    def view_of(self, v, shape):
        """Code of a view of v with exactly shape, or None."""
        if len(v.shape) == len(shape):
            parts = [self.slice_parts(s, d) for s, d in zip(v.shape, shape)]
            if all(parts):
                chosen = [self.pick(p) for p in parts]
                if all(c == ":" for c in chosen):
                    return v.name
                return "%s[%s]" % (v.name, ", ".join(chosen))
        if len(v.shape) == 2 and len(shape) == 2 and self.chance(0.5):
            parts = [self.slice_parts(s, d) for s, d in zip(reversed(v.shape), shape)]
            if all(parts):
                chosen = [self.pick(p) for p in parts]
                tail = "" if all(c == ":" for c in chosen) else "[%s]" % ", ".join(chosen)
                return "%s.T%s" % (v.name, tail)
        if len(v.shape) == 2 and len(shape) == 1:
            axis = self.rng.randrange(2)
            parts = self.slice_parts(v.shape[1 - axis], shape[0])
            if parts:
                idx = [None, None]
                idx[axis] = self.index_of(v.shape[axis])
                idx[1 - axis] = self.pick(parts)
                return "%s[%s]" % (v.name, ", ".join(idx))
        if len(v.shape) == 1 and shape == ():
            return "%s[%s]" % (v.name, self.index_of(v.shape[0]))
        if len(v.shape) == 2 and shape == ():
            return "%s[%s, %s]" % (v.name, self.index_of(v.shape[0]), self.index_of(v.shape[1]))
        return None

    def leaf(self, shape, full):
        """A variable, a view, a literal or a creation of exactly shape (or,
        unless full, of a shape that broadcasts to it)."""
        if not full and self.chance(0.3):
            return self.literal()
        cands = [v for v in self.readable() if v.shape != () or shape == () or not full]
        self.rng.shuffle(cands)
        for v in cands[:6]:
            if v.shape == () and shape != () and full:
                continue
            want = shape
            if not full and shape and len(v.shape) == 1 and self.chance(0.5):
                want = (shape[-1],) if len(shape) == 2 else ()
            if v.shape == ():
                if want == () or not full:
                    return self.var_expr(v)
                continue
            code = self.view_of(v, want)
            if code is not None:
                return self.var_expr(v, code, want)
            if len(v.shape) == 1 and len(shape) == 2 and not full:
                parts = self.slice_parts(v.shape[0], shape[0])
                if parts:
                    return self.var_expr(v, "%s[%s, None]" % (v.name, self.pick(parts)),
                                         (shape[0], "1"))
        return self.creation(shape)

    def creation(self, shape):
        if shape == ():
            return self.literal(self.pick(["int", "float"]))
        dims = ", ".join(shape)
        tup = "(%s)" % dims if len(shape) > 1 else shape[0]
        dt = self.pick(["float64", "float32", "int32", "int64", "uint8"])
        val = self.pick([0, 1, 2])
        fn = self.pick(["full", "ones", "zeros"])
        if fn == "full":
            code = "np.full(%s, %d, dtype=np.%s)" % (tup, val, dt)
        else:
            code = "np.%s(%s, dtype=np.%s)" % (fn, tup, dt)
            val = 1 if fn == "ones" else 0
        return Expr(code, dt, shape, val, [array_proxy(dt)])

    def expr(self, shape, depth, full=True):
        """An expression of exactly shape (or broadcasting to it)."""
        for _ in range(8):
            if depth <= 0 or self.chance(0.2):
                e = self.leaf(shape, full)
            else:
                e = self.pick(self.BUILDERS)(self, shape, depth - 1, full)
            if e is not None and (not full or e.shape == shape) and e.mag <= type_max(e.dt):
                return e
        return self.leaf(shape, True)

    def sub_shape(self, shape):
        """A shape that broadcasts to shape."""
        if not shape:
            return ()
        if len(shape) == 2:
            return self.pick([shape, shape, (shape[1],), (shape[0], "1"), ("1", shape[1]), ()])
        return self.pick([shape, shape, shape, ()])

    def operands(self, shape, depth, full):
        a = self.expr(shape, depth, full)
        b = self.expr(self.sub_shape(shape), depth, False)
        if self.chance(0.5):
            a, b = b, a
        out = broadcast(a.shape, b.shape)
        return a, b, out

    def b_arith(self, shape, depth, full):
        a, b, out = self.operands(shape, depth, full)
        if out is None:
            return None
        op = self.pick(["+", "-", "*", "*", "+", "/", "//", "%", "**", "&", "|", "^",
                        "<<", ">>"])
        if op in ("/", "//", "%"):
            code = "(%s %s (np.abs(%s) + 1))" % (a.code, op, b.code)
            fns = {"/": lambda x, y: x / (np.abs(y) + 1), "//": lambda x, y: x // (np.abs(y) + 1),
                   "%": lambda x, y: x % (np.abs(y) + 1)}
            mag = a.mag if op != "%" else b.mag + 1
            if a.dt.kind == "f" and op == "//":
                mag = a.mag + 1
            return self.make(code, fns[op], [a, b], out, mag)
        if op == "**":
            k = self.pick([2, 2, 3])
            if a.dt.kind == "f" and self.chance(0.5):
                return self.make("(np.abs(%s) ** 1.5)" % a.code,
                                 lambda x: np.abs(x) ** 1.5, [a], a.shape, power(a.mag, 1.5))
            return self.make("(%s ** %d)" % (a.code, k), lambda x: x ** k, [a], a.shape,
                             power(a.mag, k))
        if op in ("<<", ">>"):
            k = self.pick([1, 2, 3])
            if a.dt.kind not in "iu":
                return None
            fn = (lambda x: x << k) if op == "<<" else (lambda x: x >> k)
            return self.make("(%s %s %d)" % (a.code, op, k), fn, [a], a.shape,
                             a.mag * 2 ** k if op == "<<" else a.mag)
        if op in ("&", "|", "^"):
            if a.dt.kind not in "iub" or b.dt.kind not in "iub":
                return None
            fn = {"&": lambda x, y: x & y, "|": lambda x, y: x | y, "^": lambda x, y: x ^ y}[op]
            return self.make("(%s %s %s)" % (a.code, op, b.code), fn, [a, b], out,
                             2 * max(a.mag, b.mag) + 1)
        fn = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y}[op]
        mag = a.mag * b.mag if op == "*" else a.mag + b.mag
        return self.make("(%s %s %s)" % (a.code, op, b.code), fn, [a, b], out, mag)

    def b_unary(self, shape, depth, full):
        a = self.expr(shape, depth, full)
        m = a.mag
        table = [
            ("(-%s)", lambda x: -x, m),
            ("np.abs(%s)", np.abs, m),
            ("np.sqrt(np.abs(%s))", lambda x: np.sqrt(np.abs(x)), math.sqrt(m)),
            ("np.sin(%s)", np.sin, 1.0),
            ("np.cos(%s)", np.cos, 1.0),
            ("np.tanh(%s)", np.tanh, 1.0),
            ("np.exp(np.sin(%s))", lambda x: np.exp(np.sin(x)), 2.72),
            ("np.log(np.abs(%s) + 1.0)", lambda x: np.log(np.abs(x) + 1.0), math.log(m + 1) + 1),
            ("np.floor(%s)", np.floor, m + 1),
            ("np.ceil(%s)", np.ceil, m + 1),
            ("np.trunc(%s)", np.trunc, m),
            ("np.rint(%s)", np.rint, m + 1),
            ("(~%s)", lambda x: ~x, m + 1),
            ("np.sign(%s)", np.sign, 1.0),
        ]
        if m <= 8:
            table.append(("np.exp(%s)", np.exp, math.exp(m)))
        code, fn, mag = self.pick(table)
        if code == "(-%s)" and a.dt.kind == "u":
            return None     # wraps in NumPy; fine, but keep unsigned values small
        return self.make(code % a.code, fn, [a], a.shape, mag)

    def b_cast(self, shape, depth, full):
        a = self.expr(shape, depth, full)
        dt = self.pick(DTYPES)
        if a.dt.kind == "f" and dt != "bool" and np.dtype(dt).kind in "iu":
            if np.dtype(dt).kind == "u" or a.mag >= type_max(dt):
                return None     # out-of-range float to int casts are undefined
        if a.shape == ():
            if dt == "bool":
                return None
            code = "np.%s(%s)" % (dt, a.code)
            fn = (lambda x: np.dtype(dt).type(x))
        else:
            code = "%s.astype(%s)" % (self.paren(a.code), "np." + dt if dt != "bool" else "bool")
            fn = (lambda x: x.astype(dt))
        return self.make(code, fn, [a], a.shape, a.mag)

    def paren(self, code):
        simple = code.replace("_", "").replace(".", "").isalnum()
        return code if simple or code.startswith("(") and code.endswith(")") else "(%s)" % code

    def compare(self, shape, depth, full):
        a, b, out = self.operands(shape, depth, full)
        if out is None:
            return None
        op = self.pick(["<", "<=", ">", ">=", "==", "!="])
        fn = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
              ">=": lambda x, y: x >= y, "==": lambda x, y: x == y,
              "!=": lambda x, y: x != y}[op]
        return self.make("(%s %s %s)" % (a.code, op, b.code), fn, [a, b], out, 1)

    def b_where(self, shape, depth, full):
        c = self.compare(self.sub_shape(shape), depth, False)
        a, b, out = self.operands(shape, depth, full)
        if c is None or out is None:
            return None
        out = broadcast(out, c.shape)
        if out is None:
            return None
        if self.chance(0.3) and a.dt.kind in "iuf" and b.dt.kind in "iuf":
            fname = self.pick(["maximum", "minimum"])
            f = getattr(np, fname)
            return self.make("np.%s(%s, %s)" % (fname, a.code, b.code), f, [a, b],
                             broadcast(a.shape, b.shape), max(a.mag, b.mag))
        return self.make("np.where(%s, %s, %s)" % (c.code, a.code, b.code), np.where,
                         [c, a, b], out, max(a.mag, b.mag))

    def b_clip(self, shape, depth, full):
        a = self.expr(shape, depth, full)
        lo, hi = self.pick([(0, 5), (-1, 1), (-2.5, 2.5), (0.0, 1.0), (1, 100)])
        return self.make("np.clip(%s, %r, %r)" % (a.code, lo, hi),
                         lambda x: np.clip(x, lo, hi), [a], a.shape, max(abs(lo), abs(hi)))

    def b_reduce(self, shape, depth, full):
        """A reduction of a bigger expression down to shape."""
        if len(shape) >= 2:
            return None
        extra = self.pick(["n", "m", "n - 1", "m"])
        if shape == () and self.chance(0.5):
            src = self.pick([(extra,), ("n", "m")])
            axis = None
        else:
            src = shape + (extra,) if self.chance(0.5) else (extra,) + shape
            axis = len(src) - 1 if src[-1] == extra and (len(src) == 1 or src[0] != extra) \
                else 0
            if len(src) == 2 and src[0] == src[1]:
                axis = self.rng.randrange(2)
        a = self.expr(src, depth, True)
        fname = self.pick(["sum", "sum", "max", "min", "mean", "prod", "any", "all"])
        count = self.size_of(src) if axis is None else max(1, self.dim_max(src[axis]))
        if fname in ("max", "min") and any(self.dim_max(d) < 1 for d in src):
            return None
        mag = {"sum": a.mag * count, "prod": power(a.mag, count), "any": 1, "all": 1}.get(fname, a.mag)
        if fname == "prod" and (a.mag > 2 or count > 40):
            return None
        axis_text = "" if axis is None else ", axis=%s" % self.pick(
            [str(axis), str(axis - len(src))])
        keep = axis is not None and self.chance(0.3)
        method = self.chance(0.4)
        code = ("%s.%s(%s)" % (self.paren(a.code), fname, axis_text.lstrip(", "))
                if method else "np.%s(%s%s)" % (fname, a.code, axis_text))
        if keep:
            code = code[:-1] + ", keepdims=True)"
        out = shape if not keep else tuple("1" if i == axis else d for i, d in enumerate(src))
        f = getattr(np, fname)
        fn = (lambda x: f(x)) if axis is None else (lambda x: f(x.reshape(2, 1) if len(src) == 2
                                                            else x, axis=0, keepdims=keep))
        e = self.make(code, fn, [a], out, mag)
        if e is not None and keep and full:
            return None
        return e

    def b_matmul(self, shape, depth, full):
        if not shape or len(shape) > 2 or any(d not in ("n", "m") for d in shape):
            return None
        k = self.pick(["n", "m"])
        if len(shape) == 1:
            if self.chance(0.5):
                a, b = self.expr((shape[0], k), 0, True), self.expr((k,), 0, True)
            else:
                a, b = self.expr((k,), 0, True), self.expr((k, shape[0]), 0, True)
        else:
            a, b = self.expr((shape[0], k), 0, True), self.expr((k, shape[1]), 0, True)
        if a.dt.kind != b.dt.kind or a.dt.kind == "b":
            return None
        mag = a.mag * b.mag * max(1, self.dim_max(k))
        return self.make("(%s @ %s)" % (a.code, b.code), lambda x, y: x @ y.reshape(2, -1)
                         if y.ndim == 1 and x.ndim == 1 else x @ y, [a, b], shape, mag)

    def b_newaxis(self, shape, depth, full):
        if full or len(shape) != 2:
            return None
        a = self.expr((shape[0],), depth, True)
        code = self.pick(["%s[:, None]" % self.paren(a.code), "np.expand_dims(%s, 1)" % a.code,
                          "np.expand_dims(%s, axis=-1)" % a.code])
        return Expr(code, a.dt, (shape[0], "1"), a.mag, a.proxies)

    BUILDERS = [b_arith, b_arith, b_arith, b_unary, b_unary, b_cast, b_where, b_clip,
                b_reduce, b_reduce, b_matmul, b_newaxis]

    # ---- squashing and assignment -----------------------------------------

    def fit(self, e, dt, bound, shape):
        """e (of a shape broadcasting to shape) changed so that its magnitude is at most bound
        and it can be assigned to an array or scalar of dtype dt."""
        tdt = np.dtype(dt)
        if e.mag > bound:
            if e.dt.kind == "f":
                b = min(bound, 100.0)
                code = self.pick(["np.clip(%s, %r, %r)" % (e.code, -b, b),
                                  "np.tanh(%s)" % e.code, "np.sin(%s)" % e.code])
                fn = (lambda x: np.clip(x, -b, b)) if code.startswith("np.clip") else np.tanh
                e = self.make(code, fn, [e], e.shape, b)
            elif e.dt.kind in "iu":
                k = int(min(bound, 97))
                e = self.make("(%s %% %d)" % (e.code, k), lambda x: x % k, [e], e.shape, k)
            else:
                return None
            if e is None:
                return None
        if e.dt.kind == "f" and tdt.kind in "iu" and (tdt.kind == "u" or e.mag >= type_max(tdt)):
            return None
        return e

    # ---- statements --------------------------------------------------------

    def writable(self):
        return [v for v in self.vars if v.writable and v.shape != ()]

    def s_new_local(self, depth):
        shape = self.pick([("n",), ("m",), ("n", "m"), ("n", "m"), (), ("n - 1",)])
        e = self.expr(shape, self.rng.randint(1, 3))
        if e.dt.kind == "b" and shape == () and self.chance(0.5):
            return
        name = self.fresh("t" if shape else "s")
        e = self.fit(e, e.dt, var_bound(e.dt), shape)
        if e is None:
            return
        self.emit(depth, "%s = %s" % (name, e.code))
        var = Var(name, e.dt, shape, e.mag, shape != (), e.pyval)
        src = VIEW_RE.match(e.code)
        if src and shape != ():
            # A view: writes through either name change both.
            for v in self.vars:
                if v.name == src.group(1):
                    v.mag = var.mag = var_bound(v.dt)
        self.vars.append(var)

    def target_view(self):
        """(var, code of a view, shape) of a writable array."""
        vs = self.writable()
        if not vs:
            return None
        v = self.pick(vs)
        dims = self.dims_wanted()
        for _ in range(6):
            shape = tuple(d if self.chance(0.5) else self.pick(dims + [d]) for d in v.shape)
            if self.chance(0.3) and len(v.shape) >= 1:
                shape = shape[1:] if len(shape) == 2 else ()
            code = self.view_of(v, shape)
            if code is not None and code.endswith(".T"):
                code += "[:, :]"    # a.T += 1 raises AttributeError in Python
            if code is not None:
                return v, code, shape
        return v, v.name, v.shape

    def s_assign(self, depth):
        t = self.target_view()
        if t is None:
            return
        v, code, shape = t
        e = self.expr(shape, self.rng.randint(1, 3), full=self.chance(0.6))
        if broadcast(e.shape, shape) != shape:
            return
        e = self.fit(e, v.dt, var_bound(v.dt), shape)
        if e is None:
            return
        if code == v.name:
            code = "%s[%s]" % (v.name, ", ".join([":"] * len(v.shape)))
        self.emit(depth, "%s = %s" % (code, e.code))
        v.mag = max(v.mag, e.mag)

    def s_augment(self, depth):
        t = self.target_view()
        if t is None:
            return
        v, code, shape = t
        op = self.pick(["+=", "+=", "-=", "*=", "/=", "//=", "%=", "|=", "&=", "^="])
        e = self.expr(self.sub_shape(shape), self.rng.randint(0, 2), full=False)
        if broadcast(e.shape, shape) != shape:
            return
        if op in ("/=", "//=", "%="):
            e = self.make("(np.abs(%s) + 1)" % e.code, lambda x: np.abs(x) + 1, [e], e.shape,
                          e.mag + 1)
            if e is None:
                return
        bound = var_bound(v.dt)
        if op == "*=":
            if e.mag > 1 and v.dt.name not in WRAPS:
                e = self.fit(e, e.dt, 1.0, e.shape) if e.dt.kind == "f" else None
                if e is None:
                    return
            grow = v.mag * e.mag
        elif op in ("+=", "-="):
            grow = v.mag + e.mag * self.trips * (2 if self.mentions(e, v) else 1)
        elif op in ("|=", "&=", "^="):
            grow = 2 * max(v.mag, e.mag) + 1
        else:
            grow = v.mag if op != "%=" else e.mag
        if grow > bound and v.dt.name not in WRAPS:
            return
        if self.mentions(e, v) and self.trips > 1 and op in ("+=", "-=") \
                and v.dt.name not in WRAPS:
            return      # a loop that feeds v back into itself grows exponentially
        proxy = np.ones(2, dtype=v.dt)

        def inplace(x):
            y = proxy.copy()
            exec("y %s x" % op, {"np": np}, {"y": y, "x": x})
            return y
        if self.make("", inplace, [e], shape or ("n",), grow) is None:
            return
        self.emit(depth, "%s %s %s" % (code, op, e.code))
        v.mag = max(v.mag, min(grow, type_max(v.dt)))

    def mentions(self, e, v):
        return re.search(r"\b%s\b" % re.escape(v.name), e.code) is not None

    def s_for(self, depth):
        if depth >= 3:
            return
        outer = [lp for lp in self.loops]
        dim = self.pick(["n", "m"])
        forms = [("range(%s)" % dim, 0, 0), ("range(1, %s)" % dim, 1, 0),
                 ("range(1, %s - 1)" % dim, 1, 1), ("range(%s - 1, -1, -1)" % dim, 0, 0),
                 ("range(0, %s, 2)" % dim, 0, 0), ("range(%s - 1, 0, -2)" % dim, 1, 0),
                 ("range(2)", 0, 0)]
        for lp in outer:
            if lp.dim == dim:
                forms += [("range(%s)" % lp.name, 0, lp.top + 1), ("range(%s, %s)" % (lp.name, dim),
                                                                  lp.lo, 0)]
        rng_text, lo, top = self.pick(forms)
        name = self.pick(["i", "j", "k", "q"])
        if any(lp.name == name for lp in self.loops) or any(v.name == name for v in self.vars):
            return
        acc = None
        if self.chance(0.4):
            acc = self.accumulator(depth)
        self.emit(depth, "for %s in %s:" % (name, rng_text))
        self.loops.append(Loop(name, dim, lo, top))
        self.vars.append(Var(name, "int64", (), self.dim_max(dim), False, True))
        self.enter_loop(self.dim_max(dim) + 1, depth, acc)
        self.vars = [v for v in self.vars if v.name != name]
        self.loops.pop()

    def accumulator(self, depth):
        kind = self.pick(["float", "int", "float"])
        name = self.fresh("acc")
        self.emit(depth, "%s = %s" % (name, "0.0" if kind == "float" else "0"))
        return Var(name, "float64" if kind == "float" else "int64", (), 0, False)

    def enter_loop(self, trips, depth, acc):
        """The body of a loop of at most trips iterations: variables written
        in it get their full bound (the body runs many times)."""
        saved, saved_vars = self.trips, len(self.vars)
        self.trips *= trips
        for v in self.vars:
            if v.writable:
                v.mag = var_bound(v.dt)
        start = len(self.lines)
        self.body(depth + 1, self.rng.randint(1, 3))
        if acc is not None:
            e = self.expr((), 2)
            e = self.fit(e, acc.dt, 1e3 / self.trips, ())
            if e is not None and evaluate(lambda x: acc.dt.type(0) + x, [e]) == (acc.dt.name, False):
                self.emit(depth + 1, "%s += %s" % (acc.name, e.code))
                acc.mag = e.mag * self.trips
        if len(self.lines) == start:
            self.emit(depth + 1, "pass")
        del self.vars[saved_vars:]
        self.trips = saved
        if acc is not None and acc.mag > 0:
            self.vars.append(acc)

    def s_while(self, depth):
        if depth >= 3:
            return
        it = self.fresh("it")
        limit = self.pick(["3", "2", "n", "k"]) if self.has_k and not self.in_helper else self.pick(["3", "2", "n"])
        self.emit(depth, "%s = 0" % it)
        self.emit(depth, "while %s < %s:" % (it, limit))
        saved, saved_vars = self.trips, len(self.vars)
        self.trips *= 10
        for v in self.vars:
            if v.writable:
                v.mag = var_bound(v.dt)
        self.body(depth + 1, self.rng.randint(1, 2))
        self.emit(depth + 1, "%s += 1" % it)
        del self.vars[saved_vars:]
        self.trips = saved

    def condition(self):
        a = self.expr((), 2)
        b = self.expr((), 1)
        if a.dt.kind == "b" and b.dt.kind == "b":
            return "%s" % a.code
        op = self.pick(["<", ">", "<=", ">=", "!="])
        e = self.make("(%s %s %s)" % (a.code, op, b.code), lambda x, y: x < y, [a, b], (), 1)
        if e is None:
            return self.pick(["n > 5", "m <= 4", "n > m"])
        return e.code[1:-1]

    def s_if(self, depth):
        if depth >= 3:
            return
        snapshot = [(v, v.mag) for v in self.vars]
        saved_vars = len(self.vars)
        merged = {}
        arms = ["if"] + ["elif"] * self.rng.randint(0, 2) + (["else"] if self.chance(0.6) else [])
        for arm in arms:
            for v, mag in snapshot:
                v.mag = mag
            self.emit(depth, "else:" if arm == "else" else "%s %s:" % (arm, self.condition()))
            start = len(self.lines)
            self.body(depth + 1, self.rng.randint(1, 2))
            if len(self.lines) == start:
                self.emit(depth + 1, "pass")
            del self.vars[saved_vars:]
            for v, _ in snapshot:
                merged[v.name] = max(merged.get(v.name, 0), v.mag)
        for v, mag in snapshot:
            v.mag = max(mag, merged.get(v.name, mag))

    def s_element(self, depth):
        vs = self.writable()
        if not vs:
            return
        v = self.pick(vs)
        code = self.view_of(v, ())
        e = self.expr((), self.rng.randint(1, 3))
        e = self.fit(e, v.dt, var_bound(v.dt), ())
        if e is None:
            return
        self.emit(depth, "%s = %s" % (code, e.code))
        v.mag = max(v.mag, e.mag)

    def s_helper(self, depth):
        """A helper function of one or two arrays, returning an expression
        (or updating its first argument in place), called here."""
        arrays = [v for v in self.vars if v.shape != ()]
        if not arrays or self.in_helper or self.nhelpers >= 2:
            return
        args = [self.pick(arrays) for _ in range(self.rng.randint(1, 2))]
        hname = "%s_h%d" % (self.name, self.nhelpers)
        self.nhelpers += 1
        self.in_helper = True
        outer_vars, outer_lines, outer_loops = self.vars, self.lines, self.loops
        params = ["x%d" % i for i in range(len(args))]
        self.vars = [Var(p, a.dt, a.shape, a.mag, a.writable) for p, a in zip(params, args)]
        self.vars += [Var(d, "int64", (), self.dim_max(d), False, True) for d in ("n", "m")]
        self.loops, self.lines = [], []
        inplace = args[0].writable and self.chance(0.4)
        if inplace:
            self.body(0, 1)
        shape = self.pick([args[0].shape, args[-1].shape, ()])
        e = self.expr(shape, 2)
        e = self.fit(e, e.dt, var_bound(e.dt), shape)
        if e is None:
            e = self.leaf(shape, True)
        self.emit(0, "return %s" % e.code)
        body, self.vars, self.lines, self.loops = self.lines, outer_vars, outer_lines, outer_loops
        self.in_helper = False
        self.helpers.append(["def %s(%s, n, m):" % (hname, ", ".join(params)),
                             '    """A helper (inlined by dfc)."""'] + body)
        name = self.fresh("h")
        self.emit(depth, "%s = %s(%s, n, m)" % (name, hname, ", ".join(a.name for a in args)))
        if inplace:
            args[0].mag = var_bound(args[0].dt)
        alias = VIEW_RE.match(e.code) is not None
        self.vars.append(Var(name, e.dt, shape, e.mag, shape != () and not alias))

    def body(self, depth, count):
        stmts = [Kernel.s_new_local] * 3 + [Kernel.s_assign] * 3 + [Kernel.s_augment] * 3 + \
            [Kernel.s_for] * 2 + [Kernel.s_element] + [Kernel.s_if] + [Kernel.s_while] + \
            [Kernel.s_helper]
        for _ in range(count):
            self.pick(stmts)(self, depth)

    # ---- the kernel --------------------------------------------------------

    def params(self):
        shapes = [("N", "M"), ("N",), ("M",), ("N", "M"), ("N",), ("M", "M"), ("N", "N")]
        count = self.rng.randint(2, 4)
        out = [("a0", self.pick(FLOATS + ("int64",)), ("N", "M"))]
        for i in range(1, count):
            dt = self.pick(DTYPES + FLOATS * 2)
            while self.negative and dt.startswith("u"):
                dt = self.pick(DTYPES + FLOATS * 2)
            out.append(("a%d" % i, dt, self.pick(shapes)))
        return out

    def generate(self):
        params = self.params()
        self.has_k = self.chance(0.3)
        sig = ["%s: %s[%s]" % (n, dt, ", ".join(s)) for n, dt, s in params]
        if self.has_k:
            sig.append("k: int64")
        if self.chance(0.3):
            sig.append("alpha: float64")
            self.vars.append(Var("alpha", "float64", (), 1.5, False, True))
        names = [p.split(":")[0] for p in sig]
        for n, dt, s in params:
            dims = tuple(d.lower() for d in s)
            mag = {"i": 10, "u": type_max(dt), "b": 1}.get(np.dtype(dt).kind, 2.0)
            self.vars.append(Var(n, dt, dims, mag, True))
        self.emit(0, "n = a0.shape[0]")
        self.emit(0, "m = a0.shape[1]")
        for d, sym in (("n", "N"), ("m", "M")):
            self.vars.append(Var(d, "int64", (), self.sizes[sym], False, True))
        if self.has_k:
            self.vars.append(Var("k", "int64", (), 5, False, True))
        self.body(0, self.rng.randint(3, 7))
        self.returns()
        head = ["# dfc: %s(%s)" % (self.name, ", ".join(sig)),
                "def %s(%s):" % (self.name, ", ".join(names)),
                '    """Random kernel %s."""' % self.name]
        out = []
        for h in self.helpers:
            out += h + ["", ""]
        return out + head + self.lines

    def returns(self):
        r = self.rng.random()
        if r < 0.25:
            return
        exprs = []
        for _ in range(1 if r < 0.7 else self.rng.randint(2, 3)):
            shape = self.pick([(), ("n",), ("m",), ("n", "m")])
            e = self.expr(shape, self.rng.randint(1, 3))
            if not e.pyval:
                exprs.append(e.code)
        if not exprs:
            return
        self.emit(0, "return %s" % ", ".join(exprs))


def file_sizes(rng):
    a = {"N": rng.randint(4, 9), "M": rng.randint(3, 8)}
    b = {"N": rng.randint(3, 9), "M": rng.randint(3, 8)}
    return [a, b] if a != b else [a]


def generate_file(seed, index, count):
    """(header lines, [(kernel name, lines)], hints) of file index of seed."""
    rng = random.Random("%d/%d" % (seed, index))
    sizes = file_sizes(rng)
    kernels = []
    uses_f32 = False
    negative = rng.random() < 0.3
    for i in range(count):
        name = "k%d_%d" % (index, i)
        big = {"N": max(s["N"] for s in sizes), "M": max(s["M"] for s in sizes)}
        k = Kernel(random.Random("%d/%d/%d" % (seed, index, i)), name, big, negative)
        lines = k.generate()
        uses_f32 |= any("float32" in l for l in lines)
        kernels.append((name, lines))
    hints = ["# dfc-test: sizes %s" % " | ".join(
        "N=%d,M=%d" % (s["N"], s["M"]) for s in sizes)]
    # Reductions are summed in another order than NumPy's: float64 results
    # may differ in the last bits, float32 ones more.
    hints.append("# dfc-test: rtol %s" % ("2e-3" if uses_f32 else "1e-8"))
    hints.append("# dfc-test: atol %s" % ("2e-3" if uses_f32 else "1e-8"))
    if negative:
        hints.append("# dfc-test: range %s" % " ".join("a%d=-2,2" % i for i in range(4)))
    return hints, kernels


def file_text(seed, index, hints, kernels):
    out = ['"""Random kernels: tests/stress/gen.py --seed %d, file %d."""' % (seed, index),
           "import numpy as np", ""] + hints + [""]
    for _, lines in kernels:
        out += ["", ""] + lines
    return "\n".join(out) + "\n"


def write_files(seed, count, out, per_file=8):
    os.makedirs(out, exist_ok=True)
    paths = []
    for index in range((count + per_file - 1) // per_file):
        k = min(per_file, count - index * per_file)
        hints, kernels = generate_file(seed, index, k)
        path = os.path.join(out, "s%d_%d.py" % (seed, index))
        with open(path, "w") as f:
            f.write(file_text(seed, index, hints, kernels))
        paths.append(path)
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=8, help="kernels in all")
    ap.add_argument("--per-file", type=int, default=8, help="kernels per file")
    ap.add_argument("--out", required=True)
    opts = ap.parse_args()
    for p in write_files(opts.seed, opts.count, opts.out, opts.per_file):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
