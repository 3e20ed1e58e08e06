#!/usr/bin/python3
"""tests/wrap/scalar_fits.py -- an integer scalar over the sizes, in an
operation with an array of a narrower integer dtype.

NumPy 1.24 types `uint8_array + n` by the value of n (value-based
casting): uint8 while n fits uint8, uint16 from 256 on. dfc compiles the
dtype for values that fit the array's dtype and assumes so of the call
(frontends/python/lower_expr.c, assume_scalar_fits; docs/python.md), so
the wrapper raises ValueError for sizes where NumPy's dtype would differ,
never a result of another dtype:

1. widen: `u + u.shape[0]` matches NumPy (dtype and values) at N = 1 and
   255, and at N = 256 raises "this kernel was compiled for 255 - N >= 0".
2. ramp: `out[i:] += i` over `for i in range(N)` in int16 needs no
   check: in place, NumPy adds in int32 from i = 32768 on and casts the
   sum back to int16, whose low bits are those of the int16 sum with i
   wrapped (likewise - * & | ^); N = 32769 matches. `out[i:] //= i + 1`
   needs i + 1 to fit: N = 32767 matches, N = 32768 raises. In place on
   an unsigned array a negative scalar raises (NumPy refuses to cast its
   signed result back): `u -= N - 3` at N = 2.
3. below: `a - (a.shape[0] - 3)` in uint8 needs N - 3 >= 0 (a negative
   scalar makes NumPy's result int16): N = 2 raises, N = 3 and 9 match.
4. pick: `np.where(u > 1, u, u.shape[0])` likewise: N = 255 matches,
   N = 256 raises.
5. cast: `u + np.int16(u.shape[0])`, a NumPy scalar made of a size,
   likewise; and `u ^ -np.int16(u.shape[0])` runs at N = 0 only.
6. halved: `a >= (np.minimum(M, N) >> 1)` on int8, a comparison that
   NumPy runs in int16 from min(M, N) // 2 = 128 on (int8 would wrap 150
   to -106 and answer True): a comparison needs no check, dfc answers
   for a scalar beyond the array's dtype as every element would
   (compare_scalar), so N = M = 63 and 300 match, as do `a <= x[0]` and
   `x[1] < u` with x[0], x[1] from the data (200, -5, -1000, 1000: these
   went unchecked); `a * (M << 1)` needs 2*M <= 127: M = 64 raises
   (found by random kernels at large sizes: the min, >> and << went
   unchecked).
7. divided: `u / (np.abs(M) + 1)` and `u / (M + 1)`: true division of
   integers runs in float64 in NumPy whatever the scalar's value, so both
   match at M = 375 (dfc cast np.abs(M) + 1 to uint8 first, 376 to 120,
   unchecked, and refused M + 1 for M > 254); and `u + (np.abs(M) + 1)`
   needs M <= 254 like `u + (M + 1)` (np.abs went unchecked). Found by
   random kernels at N = 300, M = 375.
8. squared: `u // (i * i + 1)` over `for i in range(N)` in uint8, where
   i * i + 1 is not affine in i (the fit went unchecked: at N = 17,
   i = 16 gave 257, which dfc wrapped to 1 where NumPy divided in
   uint16): bounds over the loop's range make it "compiled for 254 -
   max(N*N - 2*N + 1, 0) >= 0", so N = 16 matches and N = 17 raises.
9. powered: `a + np.int16(N) ** 2` in int8 needs N*N <= 127 (N = 11
   matches, 12 raises: ** of a NumPy scalar went unchecked, and wrapped
   144 to -112), and `u // (np.sign(N - 3) + 1)` is checked as
   max(min(N - 3, 1), -1) + 1 (N = 2, a zero divisor, and 11 match).
10. modsize: `a + (N % (np.abs(M) + 2)) * 2` in int8, a divisor over the sizes
   that is provably >= 1: N = 5, M = 3 matches, N = 100, M = 200 (200
   would wrap) raises (it went unchecked: only constant divisors were).
11. fromdata: an integer computed from the data (`u + int(x[0])`,
   `a * x.sum()` in int16, `u[i, :] += x[i]` in a loop, one scalar used
   twice, `np.where(u > 3, u, x.max())`, `u16 -= x[0]`) is tested where
   it is computed (an OP_FITS tasklet): values that fit match NumPy, and
   one that does not raises ValueError naming the range, the line and the
   value, as does the `--emit exe` executable, which exits 1 and writes
   no output (these went unchecked: 300 added to uint8 wrapped to 44);
   `a += x[0]` in place in int8 needs no test (1000 matches).
Usage: scalar_fits.py DFC (run from the repository root); prints nothing
and exits 0 on success.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

SRC = """\
import numpy as np


# dfc: widen(u: uint8[N])
def widen(u):
    return u + u.shape[0]


# dfc: ramp(a: int16[N])
def ramp(a):
    out = a * 1
    for i in range(a.shape[0]):
        out[i:] += i
    return out


# dfc: ramp_div(a: int16[N])
def ramp_div(a):
    out = a * 1
    for i in range(a.shape[0]):
        out[i:] //= i + 1
    return out


# dfc: unsigned_sub(u: uint8[N])
def unsigned_sub(u):
    u -= u.shape[0] - 3
    return u


# dfc: below(a: uint8[N])
def below(a):
    return a - (a.shape[0] - 3)


# dfc: pick(u: uint8[N])
def pick(u):
    return np.where(u > 1, u, u.shape[0])


# dfc: cast(u: uint8[N])
def cast(u):
    return u + np.int16(u.shape[0])


# dfc: negated(u: uint8[N])
def negated(u):
    return u ^ -np.int16(u.shape[0])


# dfc: halved(a: int8[N, M], u: uint8[M], x: int64[K])
def halved(a, u, x):
    return a >= (np.minimum(a.shape[1], a.shape[0]) >> 1), a <= x[0], x[1] < u


# dfc: doubled(a: int8[N, M])
def doubled(a):
    return a * (a.shape[1] << 1)


# dfc: divided(u: uint8[N], w: float32[N, M])
def divided(u, w):
    m = w.shape[1]
    return u / (np.abs(m) + 1), u / (m + 1)


# dfc: squared(u: uint8[N])
def squared(u):
    out = np.zeros(u.shape[0], dtype=np.int64)
    for i in range(u.shape[0]):
        t = u // (i * i + 1)
        out[i] = t[i]
    return out


# dfc: powered(a: int8[N], u: uint8[N])
def powered(a, u):
    n = u.shape[0]
    return a + np.int16(n) ** 2, u // (np.sign(n - 3) + 1)


# dfc: modsize(a: int8[N, M])
def modsize(a):
    return a + (a.shape[0] % (np.abs(a.shape[1]) + 2)) * 2


# dfc: absolute(u: uint8[N], w: float32[N, M])
def absolute(u, w):
    return u + (np.abs(w.shape[1]) + 1)


# dfc: shift(u: uint8[N], x: int64[K])
def shift(u, x):
    return u + int(x[0])


# dfc: total(a: int16[N], x: int64[K])
def total(a, x):
    return a * x.sum()


# dfc: row_shift(u: uint8[N, M], x: int64[N])
def row_shift(u, x):
    for i in range(u.shape[0]):
        u[i, :] += x[i]
    return u


# dfc: twice(a: int8[N], b: int8[N], x: int64[K])
def twice(a, b, x):
    k = int(x[1])
    return a - k, b * k


# dfc: fill_max(u: uint8[N], x: int64[K])
def fill_max(u, x):
    return np.where(u > 3, u, x.max())


# dfc: sub16(u: uint16[N], x: int64[K])
def sub16(u, x):
    u -= x[0]
    return u


# dfc: add8(a: int8[N], x: int64[K])
def add8(a, x):
    a += x[0]
    return a
"""

errors = []


def check(name, got, want):
    if got.dtype != want.dtype or not np.array_equal(got, want):
        errors.append("%s: %s %r, NumPy %s %r" % (name, got.dtype, got[:4], want.dtype, want[:4]))


def refuses(fn, arg, text):
    try:
        fn(arg)
    except ValueError as e:
        if text not in str(e):
            errors.append("%s: %s" % (fn.__name__, e))
        return
    errors.append("%s at N=%d: no ValueError" % (fn.__name__, len(arg)))


def main():
    dfc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "fits.py")
        with open(src, "w") as f:
            f.write(SRC)
        r = subprocess.run([dfc, "build", src, "-o", os.path.join(d, "o")],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            sys.exit("dfc build failed: %s" % r.stderr)
        spec = importlib.util.spec_from_file_location("fits_ref", src)
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)
        sys.path.insert(0, os.path.join(d, "o"))
        import fits
        for n in (1, 255):
            u = (np.arange(n) % 256).astype(np.uint8)
            check("widen N=%d" % n, fits.widen(u), ref.widen(u))
        refuses(fits.widen, np.zeros(256, np.uint8), "compiled for 255 - N >= 0")
        a = np.ones(32769, np.int16)
        check("ramp N=32769", fits.ramp(a), ref.ramp(a))
        a = np.full(32767, -30000, np.int16)
        check("ramp_div N=32767", fits.ramp_div(a), ref.ramp_div(a))
        refuses(fits.ramp_div, np.ones(32768, np.int16), "compiled for 32767 - N >= 0")
        u = np.arange(9).astype(np.uint8)
        check("unsigned_sub N=9", fits.unsigned_sub(u.copy()), ref.unsigned_sub(u.copy()))
        refuses(fits.unsigned_sub, np.zeros(2, np.uint8), "compiled for N - 3 >= 0")
        refuses(fits.below, np.zeros(2, np.uint8), "compiled for N - 3 >= 0")
        for n in (3, 9):
            u = np.arange(n).astype(np.uint8)
            check("below N=%d" % n, fits.below(u), ref.below(u))
        u = np.arange(255).astype(np.uint8)
        check("pick N=255", fits.pick(u), ref.pick(u))
        refuses(fits.pick, np.zeros(256, np.uint8), "compiled for 255 - N >= 0")
        check("cast N=255", fits.cast(u), ref.cast(u))
        refuses(fits.cast, np.zeros(256, np.uint8), "compiled for 255 - N >= 0")
        u = np.zeros(0, np.uint8)
        check("negated N=0", fits.negated(u), ref.negated(u))
        refuses(fits.negated, np.zeros(1, np.uint8), "compiled for -N >= 0")
        a = (np.arange(63 * 63) % 256 - 128).astype(np.int8).reshape(63, 63)
        check("doubled N=M=63", fits.doubled(a), ref.doubled(a))
        refuses(fits.doubled, np.zeros((3, 64), np.int8), "compiled for 127 - 2*M >= 0")
        for n in (63, 300):
            a = (np.arange(n * n) % 256 - 128).astype(np.int8).reshape(n, n)
            u = (np.arange(n) % 256).astype(np.uint8)
            for x in ([200, -5], [-1000, 1000], [5, 100]):
                x = np.array(x, np.int64)
                for i, (got, want) in enumerate(zip(fits.halved(a, u, x), ref.halved(a, u, x))):
                    check("halved[%d] N=M=%d x=%s" % (i, n, x), got, want)
        u = np.arange(200).astype(np.uint8)
        for m in (254, 375):
            w = np.zeros((200, m), np.float32)
            for i, (got, want) in enumerate(zip(fits.divided(u, w), ref.divided(u, w))):
                check("divided[%d] M=%d" % (i, m), got, want)
        w = np.zeros((200, 254), np.float32)
        check("absolute M=254", fits.absolute(u, w), ref.absolute(u, w))
        try:
            fits.absolute(u, np.zeros((200, 375), np.float32))
            errors.append("absolute at M=375: no ValueError")
        except ValueError as e:
            if "compiled for 254 - M >= 0" not in str(e):
                errors.append("absolute: %s" % e)
        u = np.arange(200, 216).astype(np.uint8)
        check("squared N=16", fits.squared(u), ref.squared(u))
        refuses(fits.squared, np.zeros(17, np.uint8), "compiled for 254 - max(N*N - 2*N + 1, 0) >= 0")
        a = np.arange(15).astype(np.int8).reshape(5, 3)
        check("modsize N=5 M=3", fits.modsize(a), ref.modsize(a))
        try:
            fits.modsize(np.zeros((100, 200), np.int8))
            errors.append("modsize at N=100, M=200: no ValueError")
        except ValueError as e:
            if "compiled for 127 - 2*(N % (M + 2)) >= 0" not in str(e):
                errors.append("modsize: %s" % e)
        for n in (2, 11):
            a, u = np.arange(n).astype(np.int8), np.arange(n).astype(np.uint8)
            with np.errstate(divide="ignore"):
                for i, (got, want) in enumerate(zip(fits.powered(a, u), ref.powered(a, u))):
                    check("powered[%d] N=%d" % (i, n), got, want)
        try:
            fits.powered(np.zeros(12, np.int8), np.zeros(12, np.uint8))
            errors.append("powered at N=12: no ValueError")
        except ValueError as e:
            if "compiled for 127 - N*N >= 0" not in str(e):
                errors.append("powered: %s" % e)
        from_data(fits, ref)
        exe(dfc, d, src)
    if errors:
        print("\n".join(errors))
        sys.exit(1)


def raises_value(name, call, text):
    try:
        call()
    except ValueError as e:
        if text not in str(e):
            errors.append("%s: %s" % (name, e))
        return
    errors.append("%s: no ValueError" % name)


def from_data(fits, ref):
    """Case 11: integers computed from the data."""
    u = (np.arange(40) * 7 % 256).astype(np.uint8)
    x = np.array([5, 120, 3], np.int64)
    check("shift x=5", fits.shift(u, x), ref.shift(u, x))
    check("fill_max max=120", fits.fill_max(u, x), ref.fill_max(u, x))
    where = "this kernel was compiled for an integer in [0, 255] at "
    raises_value("shift x=300", lambda: fits.shift(u, np.array([300], np.int64)),
                 where)
    raises_value("shift x=300 (value)", lambda: fits.shift(u, np.array([300], np.int64)),
                 "but it was 300")
    raises_value("shift x=-1", lambda: fits.shift(u, np.array([-1], np.int64)),
                 "but it was -1")
    raises_value("fill_max max=256", lambda: fits.fill_max(u, np.array([1, 256], np.int64)),
                 "but it was 256")
    check("shift after a failure", fits.shift(u, x), ref.shift(u, x))
    a = (np.arange(40) - 20).astype(np.int16)
    check("total 128", fits.total(a, x), ref.total(a, x))
    raises_value("total 40000", lambda: fits.total(a, np.array([40000], np.int64)),
                 "[-32768, 32767]")
    v = (np.arange(12) * 21 % 256).astype(np.uint8).reshape(3, 4)
    xs = np.array([1, 200, 7], np.int64)
    check("row_shift", fits.row_shift(v.copy(), xs), ref.row_shift(v.copy(), xs))
    raises_value("row_shift x=-3", lambda: fits.row_shift(v.copy(), np.array([1, -3, 2])),
                 "but it was -3")
    b = (np.arange(40) % 7).astype(np.int8)
    for i, (got, want) in enumerate(zip(fits.twice(b, b, x), ref.twice(b, b, x))):
        check("twice[%d] k=120" % i, got, want)
    raises_value("twice k=128", lambda: fits.twice(b, b, np.array([0, 128], np.int64)),
                 "[-128, 127]")
    w = np.arange(40).astype(np.uint16) * 1000
    big = np.array([70000], np.int64)
    check("sub16 70000", fits.sub16(w.copy(), big), ref.sub16(w.copy(), big))
    raises_value("sub16 -2", lambda: fits.sub16(w.copy(), np.array([-2], np.int64)),
                 "[0, 9223372036854775807]")
    big = np.array([1000], np.int64)
    check("add8 1000", fits.add8(b.copy(), big), ref.add8(b.copy(), big))


def exe(dfc, d, src):
    """Case 11 through the --emit exe executable."""
    out = os.path.join(d, "exe")
    r = subprocess.run([dfc, "build", src, "-o", out, "--emit", "exe"],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        errors.append("dfc build --emit exe: %s" % r.stderr)
        return
    np.save(os.path.join(d, "u.npy"), np.arange(10).astype(np.uint8))
    np.save(os.path.join(d, "bad.npy"), np.array([300], np.int64))
    np.save(os.path.join(d, "good.npy"), np.array([3], np.int64))
    run = [os.path.join(out, "fits"), "--func", "shift", "u.npy"]
    r = subprocess.run(run + ["bad.npy", "-o", "bad"], cwd=d, capture_output=True,
                       text=True, timeout=60)
    if (r.returncode != 1 or "shift(): ValueError: this kernel was compiled for an integer "
            "in [0, 255]" not in r.stderr or "but it was 300" not in r.stderr or
            os.path.exists(os.path.join(d, "bad", "ret.npy"))):
        errors.append("exe with 300: exit %d, %r" % (r.returncode, r.stderr))
    r = subprocess.run(run + ["good.npy", "-o", "good"], cwd=d, capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        errors.append("exe with 3: exit %d, %r" % (r.returncode, r.stderr))
    else:
        got = np.load(os.path.join(d, "good", "ret.npy"))
        if not np.array_equal(got, np.arange(3, 13).astype(np.uint8)):
            errors.append("exe with 3: %r" % got)


if __name__ == "__main__":
    main()
