"""Tuple assignment (swaps of arrays and scalars), chained assignment,
rebinding names inside loops, float parameters reassigned."""
import numpy as np

# dfc-test: sizes N=10 | N=3
# dfc-test: args steps=5 nu=0.2


# dfc: swap_arrays(u: float64[N], steps: int64, nu: float64)
def swap_arrays(u, steps, nu):
    """Swapping array names (a two-term recurrence on vectors); the in-place
    double-buffer form (in-place writes into a swapped name) is refused."""
    a = u.copy()
    b = np.zeros_like(u)
    for t in range(steps):
        c = nu * a + b
        a, b = b, c
    b, a = a, b
    return a, b


# dfc: rebind_new(u: float64[N], steps: int64, nu: float64)
def rebind_new(u, steps, nu):
    """u_new computed fresh every step, then u = u_new."""
    v = u.copy()
    for t in range(steps):
        v_new = v.copy()
        v_new[1:-1] = v[1:-1] + nu * (v[2:] - 2.0 * v[1:-1] + v[:-2])
        v = v_new
    return v


# dfc: swap_scalars(x: float64[N])
def swap_scalars(x):
    """Fibonacci-like scalar recurrences with tuple assignment."""
    a, b = 0.0, 1.0
    p, q = 1, 2
    for i in range(x.shape[0]):
        a, b = b, a + b * x[i]
        p, q = q, p + q
    lo, hi = min(a, b), max(a, b)
    return a, b, p, q, lo, hi


# dfc: chained_assign(x: float64[N])
def chained_assign(x):
    """a = b = expr makes two names for one fresh value (arrays and scalars)."""
    s = t = 0.0
    for i in range(x.shape[0]):
        s += x[i]
        t -= x[i]
    a = b = x * 2.0
    c = d = np.sum(x)
    return s, t, a + b, c - d


# dfc: rebind_expr(x: float64[N], nu: float64)
def rebind_expr(x, nu):
    """x = x + 1 on an argument name leaves the argument alone; a float
    parameter reassigned in a loop."""
    x = x + 1.0
    y = x * 1.0
    for i in range(4):
        nu = nu * 0.5 + 0.1
        x = x * nu
    return x, y, nu


# dfc: accumulators(A: float64[N, N])
def accumulators(A):
    """Scalar accumulators starting at 0.0 and 0, arrays rebuilt each row."""
    tot = 0.0
    cnt = 0
    best = A[0, 0]
    row = np.zeros(A.shape[1])
    for i in range(A.shape[0]):
        row = row + A[i, :]
        tot = tot + np.sum(A[i, :])
        if np.max(A[i, :]) > best:
            best = np.max(A[i, :])
            cnt = cnt + 1
    return tot, cnt, best, row
