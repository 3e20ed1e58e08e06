"""np.diff (frontends/python/lower_np.c, call_diff) against NumPy: 1-D,
along either axis of a 2-D array, n = 0, 2 and 3 (more than some extents:
empty results), of uint8 (wrapping) and bool (!=) arrays, of a transposed
view, of an expression and of a strided slice, with prepend= and append=
(scalars broadcast along the axis, arrays; NumPy's promotion: int8 with a
Python int gives int64, float32 with a float float64), and sizes of 0 and
1."""
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


# dfc: d5(A: float64[N, M], k: int8[N], f: float32[N], e: float64[N], p: float64[M])
def d5(A, k, f, e, p):
    return (np.diff(A, prepend=0.0), np.diff(A, axis=0, append=p[None, :] * 2.0),
            np.diff(k, prepend=0), np.diff(f, append=1.5), np.diff(e, 2, 0, 1.0, p),
            np.diff(e, n=0, prepend=7.0))
