"""Conjugate-gradient solver for a symmetric positive definite system."""
import numpy as np

# dfc-test: sizes N=20 | N=75
# dfc-test: args tol=1e-10 max_iters=200
# dfc-test: spd A
# dfc-test: rtol 1e-8


# dfc: cg(A: float64[N, N], b: float64[N], tol: float64, max_iters: int64)
def cg(A, b, tol, max_iters):
    """Solves A x = b; stops when the residual norm drops below tol."""
    x = np.zeros_like(b)
    r = b - A @ x
    p = r.copy()
    rs_old = np.dot(r, r)
    for i in range(max_iters):
        Ap = A @ p
        alpha = rs_old / np.dot(p, Ap)
        x += alpha * p
        r -= alpha * Ap
        rs_new = np.dot(r, r)
        if np.sqrt(rs_new) < tol:
            break
        p = r + (rs_new / rs_old) * p
        rs_old = rs_new
    return x


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    n = 100
    R = rng.random((n, n))
    A = R @ R.T + n * np.eye(n)
    b = rng.random(n)
    x = cg(A, b, 1e-10, 500)
    print("cg: n =", n, "residual", np.linalg.norm(A @ x - b))
