"""Power iteration for the dominant eigenpair of a square matrix."""
import numpy as np

# dfc-test: sizes N=10 | N=120
# dfc-test: args iters=30
# dfc-test: spd A


# dfc: power_iteration(A: float64[N, N], iters: int64)
def power_iteration(A, iters):
    """Returns the Rayleigh-quotient estimate and the unit eigenvector."""
    x = np.ones(A.shape[0])
    x = x / np.sqrt(np.sum(x * x))
    lam = 0.0
    for i in range(iters):
        y = A @ x
        lam = np.dot(x, y)
        x = y / np.sqrt(np.sum(y * y))
    return lam, x


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    R = rng.random((50, 50))
    A = R @ R.T
    lam, x = power_iteration(A, 100)
    print("power_iteration: lambda", lam, "numpy", np.max(np.linalg.eigvalsh(A)))
