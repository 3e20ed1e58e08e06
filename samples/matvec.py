"""Matrix-vector products: BLAS gemv and PolyBench's atax (A^T (A x))."""
import numpy as np

# dfc-test: sizes N=20,M=13 | N=100,M=257


# dfc: gemv(alpha: float64, A: float64[N, M], x: float64[M], beta: float64, y: float64[N])
def gemv(alpha, A, x, beta, y):
    """Overwrites y with alpha * A @ x + beta * y."""
    y[:] = alpha * (A @ x) + beta * y


# dfc: atax(A: float64[N, M], x: float64[M])
def atax(A, x):
    """Returns A.T @ (A @ x) without forming A.T @ A."""
    tmp = A @ x
    return A.T @ tmp


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    A = rng.random((30, 20))
    x = rng.random(20)
    y = rng.random(30)
    gemv(2.0, A, x, 0.5, y)
    print("gemv: sum of y", np.sum(y))
    print("atax: sum", np.sum(atax(A, x)))
