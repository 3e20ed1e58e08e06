"""while loops driven by data: bisection, fixed-point iteration, Euclid's
algorithm on integers, power iteration to a tolerance, loops whose
condition combines counters and array reductions."""
import numpy as np

# dfc-test: sizes N=6 | N=15
# dfc-test: args tol=1e-9 max_iters=500
# dfc-test: spd A
# dfc-test: range c=1,4


# dfc: bisect_roots(c: float64[N], tol: float64)
def bisect_roots(c, tol):
    """Root of x^3 - c in [0, c] for every c, by bisection."""
    r = np.empty_like(c)
    total = 0
    for i in range(c.shape[0]):
        lo = 0.0
        hi = c[i]
        while hi - lo > tol:
            mid = 0.5 * (lo + hi)
            if mid * mid * mid > c[i]:
                hi = mid
            else:
                lo = mid
            total += 1
        r[i] = 0.5 * (lo + hi)
    return r, total


# dfc: fixed_point(c: float64[N], tol: float64, max_iters: int64)
def fixed_point(c, tol, max_iters):
    """x = cos(x) + c / 10 for the whole vector, until the update is small."""
    x = np.zeros_like(c)
    it = 0
    delta = 1.0
    while delta > tol and it < max_iters:
        x_new = np.cos(x) + c / 10.0
        delta = np.max(np.abs(x_new - x))
        x = x_new
        it += 1
    return x, it, delta


# dfc: gcds(a: int64[N], b: int64[N])
def gcds(a, b):
    """Greatest common divisors with Euclid's loop and a tuple update."""
    g = np.zeros_like(a)
    for i in range(a.shape[0]):
        p = a[i] + 1
        q = b[i] * 3 + 2
        while q != 0:
            p, q = q, p % q
        g[i] = p
    return g


# dfc: power_tol(A: float64[N, N], tol: float64, max_iters: int64)
def power_tol(A, tol, max_iters):
    """Power iteration until the eigenvalue estimate settles."""
    x = np.ones(A.shape[0])
    lam = 0.0
    lam_old = -1.0
    k = 0
    while abs(lam - lam_old) > tol * abs(lam) and k < max_iters:
        lam_old = lam
        y = A @ x
        lam = np.dot(x, y) / np.dot(x, x)
        x = y / np.sqrt(np.dot(y, y))
        k += 1
    return lam, k


# dfc: halving(x: float64[N])
def halving(x):
    """Halves the largest element until all are below 0.1, counting steps."""
    y = x.copy()
    steps = 0
    while np.max(y) >= 0.1:
        for i in range(y.shape[0]):
            if y[i] >= 0.1:
                y[i] = y[i] / 2.0
        steps += 1
        if steps > 100:
            break
    return y, steps
