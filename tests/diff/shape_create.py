"""np.triu/np.tril (with k), np.eye (N, M, k, dtype), np.identity,
np.array of scalars and of arrays, np.fmin/np.fmax with NaNs."""
import numpy as np

# dfc-test: sizes N=6,M=4 | N=5,M=7


# dfc: triangles(A: float64[N, M], B: int8[N, N], k: int64)
def triangles(A, B, k):
    """Upper and lower triangles, with offsets, dtypes kept."""
    return (np.triu(A), np.tril(A), np.triu(A, 1), np.tril(A, k=-1), np.triu(B, -k),
            np.tril(B > 3, k))


# dfc: eyes(n: int64, m: int64)
def eyes(n, m):
    """Identity-like matrices."""
    a = np.eye(n)
    b = np.eye(n, m, k=1)
    c = np.eye(3, dtype=np.int32)
    d = np.identity(n) * 2.0 + np.eye(n, k=-1)
    e = np.eye(n, m, -2, dtype=bool)
    return a, b, c, d, e, np.identity(4, dtype=int)


# dfc: literals(x: float64[N], i: int64, f: float32[N])
def literals(x, i, f):
    """np.array of scalars (tuple or list), promotion as NumPy does."""
    a = np.array((x[0], x[1], 2.0))
    b = np.array([1, 2, i])
    c = np.array([f[0], f[1]])
    d = np.array([f[0], 1.5])
    e = np.array([True, False, x[0] > 1.0])
    g = np.array((1, 2), dtype=np.float32)
    h = np.array([x, x * 2.0])
    return a, b, c, d, e, g, h, np.array(x)


# dfc: nan_minmax(x: float64[N], y: float64[N], k: int32[N])
def nan_minmax(x, y, k):
    """fmin/fmax ignore NaNs (NaN only when both are)."""
    x[::2] = np.nan
    y[::3] = np.nan
    return (np.fmin(x, y), np.fmax(x, y), np.fmax(x, 1.0), np.fmin(k, 3), np.fmax(k, 2.5),
            np.minimum(x, y))
