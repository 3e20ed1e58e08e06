"""np.diff (frontends/python/lower_np.c, call_diff) against NumPy: 1-D,
along either axis of a 2-D array, n = 0, 2 and 3 (more than some extents:
empty results), of uint8 (wrapping) and bool (!=) arrays, of a transposed
view, of an expression and of a strided slice, and sizes of 0 and 1."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=2,M=3 | N=7,M=5 | N=40,M=33 | N=0,M=4

# dfc: d1(x: float64[N])
def d1(x):
    return np.diff(x)

# dfc: d2(A: float64[N, M])
def d2(A):
    return np.diff(A, axis=0), np.diff(A), np.diff(A, n=2, axis=1), np.diff(A, 0)

# dfc: d3(k: uint8[N, M], b: bool[N])
def d3(k, b):
    return np.diff(k, axis=-2), np.diff(b), np.diff(k.T, 1, 0)

# dfc: d4(A: float64[N, M])
def d4(A):
    g = np.diff(A * 2.0, axis=0) / 2.0
    return g.sum(), np.diff(A[::2, 1:], n=3, axis=1)
