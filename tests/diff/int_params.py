"""Integer scalar parameters used as sizes of new arrays, as iteration
counts and loop bounds, in slice bounds and in arithmetic; kernels whose
size symbols come only from parameters (passed as keywords)."""
import numpy as np

# dfc-test: sizes N=8 | N=3
# dfc-test: args n=5 m=3 k=2 reps=4


# dfc: make_grid(n: int64, m: int64)
def make_grid(n, m):
    """An n x m grid of i * m + j built by loops."""
    G = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            G[i, j] = i * m + j
    return G, n * m, G[n - 1, m - 1]


# dfc: window_sums(x: float64[N], k: int64)
def window_sums(x, k):
    """Sums of the windows x[i:i+k] (k a parameter)."""
    n = x.shape[0]
    out = np.zeros(n)
    for i in range(n):
        out[i] = np.sum(x[i:i + k])
    return out, x[k:] - x[:x.shape[0] - k]


# dfc: repeat_scale(x: float64[N], reps: int64)
def repeat_scale(x, reps):
    """reps rounds of scaling, reps used in float arithmetic too."""
    y = x.copy()
    for r in range(reps):
        y = y * (1.0 + 1.0 / reps)
    return y, reps / 2, reps // 3, reps % 3, -reps, reps ** 2


# dfc: sized_by_param(n: int64)
def sized_by_param(n):
    """Arrays sized by expressions of a parameter, and their reductions."""
    a = np.ones(2 * n + 1)
    b = np.full((n, n + 1), 0.5)
    a[n] = -3.0
    return np.sum(a), np.sum(b, axis=0), a[n:]
