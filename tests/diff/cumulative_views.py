"""np.cumsum / np.cumprod on views (transposed, strided, sliced, reversed,
indexed: a scan node reads a view as a memlet subset or a copy of it),
written back in place, and inside loops (tests/diff/cumulative.py has the
dtypes, axes and empty extents); 1-D views that are memlet subsets (a
scan node) and those that are not (a row or column of a matrix, a
reversed slice: a loop reading the view in place)."""
import numpy as np

# dfc-test: sizes N=7,M=4,K=3 | N=1,M=1,K=1 | N=12,M=2,K=2 | N=2,M=9,K=5


# dfc: views(A: float64[N, M], B: float64[N, M, K])
def views(A, B):
    """Views as memlet subsets (strided, sliced) and views that are
    copied first (a transpose, a reversal, an index into a 3-D array, a
    computed value)."""
    return (np.cumsum(A.T, axis=1), np.cumsum(A[:, ::2], axis=1),
            np.cumsum(A[1:, 1:], axis=1), np.cumprod(A[:, ::-1], axis=1),
            np.cumsum(B[:, :, 0], axis=1), np.cumsum(B[1:, ::2, :], axis=1),
            np.cumsum(np.sqrt(A) * 2.0, axis=1), np.cumsum(B.T, axis=2))


# dfc: inplace(A: float64[N, M], B: int64[N, M, K])
def inplace(A, B):
    """Running sums written back over their input."""
    A[:] = np.cumsum(A, axis=1)
    B[:, 1:, :] = np.cumprod(B[:, :-1, :], axis=1)
    A[:, 1:] = np.cumsum(A[:, :-1], axis=1) + A[:, 1:]


# dfc: looped(A: float64[N, M])
def looped(A):
    """Scans inside a loop, each step's result feeding the next."""
    X = A.copy()
    for t in range(3):
        X = np.cumsum(X, axis=1) * 0.25 + np.cumsum(X, axis=0) * 0.25
        X[:, 0] = t
    return X, np.cumsum(X, axis=1).sum(axis=1)


# dfc: views1(x: float64[N], A: float64[N, M], u: uint16[N], b: bool[N])
def views1(x, A, u, b):
    out = (np.cumsum(x[::2]), np.cumsum(x[1:]), np.cumprod(x[::-1]),
           np.cumsum(A[0, :]), np.cumsum(A[:, -1]), np.cumsum(u), np.cumsum(b),
           np.cumprod(1.0 + x * 0.01))
    x[:] = np.cumsum(x)
    return out
