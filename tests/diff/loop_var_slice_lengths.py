"""Slices whose lengths depend on a loop variable and agree for every
iteration are refused ("do not broadcast" / "not aligned"): the textbook
autocorrelation and sliding windows. For k in range(1, n), x[k:] and
x[:-k] both have n - k elements; x[i:i+K] has K elements for i in
range(N - K + 1). The bounds are clamped and wrapped with min/max/floordiv
without using the loop's range (1 <= k <= N - 1), so the symbolic lengths
do not compare equal."""
import numpy as np

# dfc-test: sizes N=9,K=3 | N=2,K=1


# dfc: autocorr_neg(x: float64[N])
def autocorr_neg(x):
    """r[k] = sum(x[k:] * x[:-k]) for k >= 1."""
    n = x.shape[0]
    r = np.zeros(n)
    r[0] = np.dot(x, x)
    for k in range(1, n):
        r[k] = np.sum(x[k:] * x[:-k])
    return r


# dfc: autocorr_pos(x: float64[N])
def autocorr_pos(x):
    """r[k] = x[:n-k] . x[k:] for k >= 0."""
    n = x.shape[0]
    r = np.zeros(n)
    for k in range(n):
        r[k] = np.dot(x[:n - k], x[k:])
    return r


# dfc: shifted_accumulate(x: float64[N])
def shifted_accumulate(x):
    """x[k:] += x[:n-k] for k = 1 .. n-1 (overlapping, loop-dependent)."""
    n = x.shape[0]
    for k in range(1, n):
        x[k:] += x[:n - k]
    return x


# dfc: conv_valid(x: float64[N], w: float64[K])
def conv_valid(x, w):
    """Sliding-window dot products: x[i:i+K] has K elements for every
    i in range(N - K + 1), but its length stays
    max(min(N, i), min(N, K + i)) - min(N, i) ("not aligned")."""
    n = x.shape[0]
    k = w.shape[0]
    y = np.zeros(n - k + 1)
    for i in range(n - k + 1):
        y[i] = np.dot(x[i:i + k], w)
    return y


# dfc: box_filter(A: float64[N, N])
def box_filter(A):
    """2 x 2 windows times a constant 2 x 2 weight array."""
    out = np.zeros((A.shape[0] - 1, A.shape[1] - 1))
    for i in range(A.shape[0] - 1):
        for j in range(A.shape[1] - 1):
            out[i, j] = np.sum(A[i:i + 2, j:j + 2] * np.full((2, 2), 0.25))
    return out


# dfc: durbin(r: float64[N])
def durbin(r):
    """PolyBench durbin: r[k-1::-1] and y[:k] both have k elements for k in
    range(1, N) ("not aligned for a matrix product")."""
    y = np.empty_like(r)
    alpha = -r[0]
    beta = 1.0
    y[0] = -r[0]
    for k in range(1, r.shape[0]):
        beta *= 1.0 - alpha * alpha
        alpha = -(r[k] + np.dot(r[k - 1::-1], y[:k])) / beta
        y[:k] += alpha * y[k - 1::-1]
        y[k] = alpha
    return y
