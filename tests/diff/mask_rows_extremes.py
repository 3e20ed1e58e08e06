"""Extremes of row selections by 1-D boolean masks (X[m].max(axis=0)),
with sizes where the selections are not empty (NumPy raises ValueError on
an empty one; dfc gives the identity)."""
import numpy as np

# dfc-test: sizes N=60,M=4 | N=41,M=1


# dfc: row_extremes(X: float64[N, M], m: bool[N], Y: int16[N, M])
def row_extremes(X, m, Y):
    return (X[m].max(axis=0), np.min(X[m], axis=0), X[~m].max(), np.amin(Y[m]),
            Y[~m].max(axis=0), np.any(X[m] > 1.2, axis=0), np.all(Y[m] < 9, axis=0))


# dfc: col_extremes(X: float32[M, N], m: bool[N])
def col_extremes(X, m):
    return X[:, m].max(axis=1), X[:, m].min(axis=-1, keepdims=True), np.sum(X[:, m], axis=1)
