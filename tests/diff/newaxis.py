"""np.newaxis / None and '...' in subscripts: outer products, broadcasting
columns against rows, and ellipsis on 3-D arrays."""
import numpy as np

# dfc-test: sizes N=5,M=4,K=3 | N=9,M=2,K=6


# dfc: outer(x: float64[N], y: float64[M])
def outer(x, y):
    """x[:, None] * y[None, :] and the newaxis spelling."""
    return x[:, None] * y[None, :], x[:, np.newaxis] - y


# dfc: center_rows(A: float64[N, M])
def center_rows(A):
    """Subtracts each row's mean, kept as a column with [:, None]."""
    m = np.mean(A, axis=1)
    return A - m[:, None]


# dfc: ell(T: float64[N, M, K], v: float64[K])
def ell(T, v):
    """Ellipsis: T[..., 0], T[0, ...], T[..., 1:] and v[None, None, :]."""
    return T[..., 0] * 2.0, T[0, ...] + v, T[..., 1:] - v[None, None, 1:], T[1, ..., None] * 1.0


# dfc: write_newaxis(A: float64[N, M], x: float64[N])
def write_newaxis(A, x):
    """Assignment through a view with a new axis."""
    A[:, :] = x[:, None]
    B = A[None, :, :]
    B[0, 0, :] = 7.0
