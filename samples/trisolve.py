"""Forward substitution with the lower triangle of a matrix (L y = b)."""
import numpy as np

# dfc-test: sizes N=9 | N=90
# dfc-test: spd L


# dfc: trisolve(L: float64[N, N], b: float64[N])
def trisolve(L, b):
    """Solves tril(L) x = b row by row; the upper triangle is not read."""
    x = np.zeros_like(b)
    for i in range(b.shape[0]):
        x[i] = (b[i] - np.dot(L[i, :i], x[:i])) / L[i, i]
    return x


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    n = 6
    L = np.tril(rng.random((n, n))) + n * np.eye(n)
    b = rng.random(n)
    x = trisolve(L, b)
    print("trisolve: residual", np.max(np.abs(L @ x - b)))
