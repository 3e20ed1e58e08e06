"""Scalar operators applied element by element in loops, so that many
operand values (negative ones included) are checked in one case."""
import numpy as np

# dfc-test: sizes N=40
# dfc-test: range x=-4,4
# dfc-test: range y=-4,4
# dfc-test: range a=-12,12
# dfc-test: range b=-12,12


# dfc: elem_int(a: int64[N], b: int64[N])
def elem_int(a, b):
    """// % ** << >> & | ^ ~ on int64 elements read as scalars."""
    out = np.zeros((a.shape[0], 8), dtype=np.int64)
    for i in range(a.shape[0]):
        p = a[i]
        q = b[i]
        if q == 0:
            q = 5
        out[i, 0] = p // q
        out[i, 1] = p % q
        out[i, 2] = p ** 2 - q ** 3
        out[i, 3] = (p & q) + (p | 3)
        out[i, 4] = p ^ q
        out[i, 5] = ~p
        out[i, 6] = p >> 2
        out[i, 7] = abs(p) << 3
    return out


# dfc: elem_float(x: float64[N], y: float64[N])
def elem_float(x, y):
    """// % and int()/float() conversions on float elements."""
    out = np.empty((x.shape[0], 6))
    for i in range(x.shape[0]):
        p = x[i]
        q = y[i]
        if abs(q) < 0.1:
            q = 0.5
        out[i, 0] = p // q
        out[i, 1] = p % q
        out[i, 2] = int(p * 2.5)
        out[i, 3] = float(int(q))
        out[i, 4] = max(p, q) - min(p, q, 0.0)
        out[i, 5] = -p ** 2
    return out


# dfc: elem_logic(x: float64[N], y: float64[N], a: int64[N])
def elem_logic(x, y, a):
    """Chained comparisons, and/or/not: counts per category."""
    c = np.zeros(6, dtype=np.int64)
    for i in range(x.shape[0]):
        p = x[i]
        q = y[i]
        k = a[i]
        if -1.0 < p < q:
            c[0] += 1
        if 0 <= k < 5 and not p > 2.0:
            c[1] += 1
        if p < -2.0 or q > 2.0 or k == 3:
            c[2] += 1
        elif not (p < q) and k != 0:
            c[3] += 1
        else:
            c[4] += 1
        if -3 < k <= 2 < q:
            c[5] += 1
    return c


# dfc: elem_bool(x: float64[N], y: float64[N])
def elem_bool(x, y):
    """Bool scalars from comparisons combined with & | ^ and ~ (NumPy bools)."""
    n = 0
    m = 0
    for i in range(x.shape[0]):
        b1 = x[i] > 0.0
        b2 = y[i] > x[i]
        if (b1 & b2) | (b1 ^ b2):
            n += 1
        if b1 == b2:
            m += 1
        if not b1:
            m += 10
    return n, m
