"""Helpers with early returns: guard clauses, returns inside loops (also
nested ones), tuple returns on several paths, array results, helpers that
return nothing early."""
import numpy as np

# dfc-test: sizes N=9,M=4 | N=3,M=2 | N=1,M=1
# dfc-test: args t=1.2


def first_above(v, t):
    """Index of the first element above t, -1 if none."""
    for i in range(v.shape[0]):
        if v[i] > t:
            return i
    return -1


def safe_ratio(a, b):
    """a / b, 0 when b is (near) zero."""
    if abs(b) < 1e-12:
        return 0.0
    r = a / b
    if r > 10.0:
        return 10.0
    return r


def first_row_above(A, t):
    """(row, col) of the first element above t in row-major order, or (-1, -1)."""
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            if A[i, j] > t:
                return i, j
    return -1, -1


def scaled_or_copy(x, s):
    """An array result chosen on a data-dependent path."""
    if s > 1.0:
        return x * s
    y = x.copy()
    return y


def clamp_until(v, t):
    """Clamps elements to t in place, stopping at the first one below 0.6."""
    for i in range(v.shape[0]):
        if v[i] < 0.6:
            return
        v[i] = min(v[i], t)


def sign_class(x):
    if x < 0.8:
        return -1
    elif x < 1.2:
        return 0
    else:
        return 1


# dfc: k_first(x: float64[N], t: float64)
def k_first(x, t):
    return first_above(x, t)


# dfc: k_ratio(x: float64[N], y: float64[N])
def k_ratio(x, y):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = safe_ratio(x[i], y[i] - 1.0)
    return out


# dfc: k_pos(A: float64[N, M], t: float64)
def k_pos(A, t):
    i, j = first_row_above(A, t)
    return i * 100 + j


# dfc: k_scaled(x: float64[N], t: float64)
def k_scaled(x, t):
    a = scaled_or_copy(x, t)
    b = scaled_or_copy(x, 0.5)
    return a + b


# dfc: k_clamp(x: float64[N], t: float64)
def k_clamp(x, t):
    clamp_until(x, t)


# dfc: k_classes(x: float64[N])
def k_classes(x):
    c = np.zeros(x.shape[0], dtype=np.int64)
    for i in range(x.shape[0]):
        c[i] = sign_class(x[i])
    return c


# dfc: k_loop_calls(A: float64[N, M], t: float64)
def k_loop_calls(A, t):
    """The same helper inlined in a loop: each call's result is its own."""
    total = 0
    for i in range(A.shape[0]):
        total += first_above(A[i], t) + 1
    return total
