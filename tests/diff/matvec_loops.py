"""Matrix-vector products and dots in loops, as -O3 expands them (naive
loops, library-expansion's rule), on both sides of the `if` clause of
their parallel loop: tiny sizes run on the calling thread, large ones
fork. Power iteration and a conjugate-gradient solve, NumPy the oracle."""
import numpy as np

# dfc-test: sizes N=1 | N=6 | N=260
# dfc-test: args iters=9 tol=1e-12
# dfc-test: spd A
# dfc-test: rtol 1e-8


# dfc: power(A: float64[N, N], iters: int64)
def power(A, iters):
    x = np.ones(A.shape[0])
    lam = 0.0
    for i in range(iters):
        y = A @ x
        lam = x @ y
        x = y / np.sqrt(y @ y)
    return lam, x


# dfc: left(A: float64[N, N], iters: int64)
def left(A, iters):
    x = np.ones(A.shape[0]) / A.shape[0]
    for i in range(iters):
        x = x @ A
        x = x / np.sum(x)
    return x


# dfc: cg(A: float64[N, N], b: float64[N], tol: float64, iters: int64)
def cg(A, b, tol, iters):
    x = np.zeros_like(b)
    r = b - A @ x
    p = r.copy()
    rs = r @ r
    for i in range(iters):
        Ap = A @ p
        alpha = rs / (p @ Ap)
        x += alpha * p
        r -= alpha * Ap
        rs_new = r @ r
        if np.sqrt(rs_new) < tol:
            break
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x
