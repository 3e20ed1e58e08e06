"""Statistics and view functions: var/std with ddof, count_nonzero,
transpose with axes, swapaxes, flip, diagonal/trace/diag, outer, vdot and
np.linalg.norm."""
import numpy as np

# dfc-test: sizes N=6,M=4,K=3 | N=11,M=7,K=2


# dfc: stats(X: float64[N, M])
def stats(X):
    """Variance and standard deviation, with axes and ddof."""
    return (np.var(X), np.std(X, axis=0), X.var(axis=1, ddof=1), X.std(keepdims=True),
            np.count_nonzero(X > 1.0), np.count_nonzero(X > 1.0, axis=1))


# dfc: perms(T: float64[N, M, K])
def perms(T):
    """Transposes and axis swaps, read and written through."""
    a = np.transpose(T, (2, 0, 1)) * 2.0
    b = T.transpose() + 1.0
    c = np.swapaxes(T, 0, 2).copy()
    T.transpose(1, 0, 2)[0, :, :] = 5.0
    return a, b, c


# dfc: flips(x: float64[N], A: float64[N, M])
def flips(x, A):
    """np.flip with and without an axis, flipud, fliplr."""
    return np.flip(x) + x, np.flip(A, axis=1), np.flipud(A) - np.fliplr(A), np.flip(A)


# dfc: diags(A: float64[N, N], v: float64[N])
def diags(A, v):
    """diagonal views, trace and diag both ways."""
    d = np.diagonal(A) * 2.0
    return d,  np.trace(A), A.trace(), np.diag(v), np.diag(A), A.diagonal() + 1.0


# dfc: products(x: float64[N], y: float64[M])
def products(x, y):
    """outer, vdot and the 2-norm."""
    return np.outer(x, y), np.vdot(x, x), np.linalg.norm(y), np.linalg.norm(np.outer(x, y))
