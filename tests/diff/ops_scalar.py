"""Operators on scalars: ints and floats, chained comparisons, and/or/not,
builtins abs/min/max/float/int."""
import numpy as np

# dfc-test: range i0=0,19
# dfc-test: range j0=0,19
# dfc-test: range i=0,9
# dfc-test: range x=-3,3
# dfc-test: range y=-3,3


# dfc: int_scalars(i0: int64, j0: int64)
def int_scalars(i0, j0):
    """Floor division, modulo, power and bit operators on int scalars."""
    i = i0 - 9
    j = j0 - 9
    d = j * j + 1
    q = i // d
    r = i % d
    q2 = i // -d
    r2 = i % -d
    p = i ** 2 + abs(j) ** 3
    b = (i & 5) | (j ^ 3)
    sh = (abs(i) << 2) + (i >> 1)
    n = ~i - -j
    return q, r, q2, r2, p, b, sh, n


# dfc: float_scalars(x: float64, y: float64)
def float_scalars(x, y):
    """Float floor division and modulo with negatives, abs, min, max."""
    d = y * y + 0.5
    q = x // d
    r = x % d
    q2 = x // -d
    r2 = x % -d
    m = max(x, y, 0.25)
    n = min(x, -y)
    a = abs(x - y)
    return q, r, q2, r2, m, n, a


# dfc: chained(x: float64, y: float64, i: int64)
def chained(x, y, i):
    """Chained comparisons and boolean operators select a branch."""
    k = 0
    if -1.0 < x < y:
        k = k + 1
    if 0 <= i < 5 and not x > 2.0:
        k = k + 10
    if x < -2.0 or y > 2.0 or i == 3:
        k = k + 100
    if not (x < y) and i != 0:
        k = k + 1000
    if -3 < i <= 2 <= 7:
        k = k + 10000
    return k


# dfc: conversions(x: float64, i: int64)
def conversions(x, i):
    """float() and int() on scalars: int() truncates towards zero."""
    a = int(x * 3.0)
    b = float(i) / 4
    c = int(x) + i
    d = float(i // 2) * x
    return a, b, c, d


# dfc: mixed_scalar(i0: int64, x: float64)
def mixed_scalar(i0, x):
    """int and float scalars mixed: the result is float."""
    i = i0 - 4
    a = i + x
    b = i / 2
    c = i * 0.5 - x
    d = 7 // 2 + i % 3
    e = 2 ** 10 + i
    f = x ** 2 + i ** 2
    return a, b, c, d, e, f
