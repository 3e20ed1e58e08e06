"""Boolean masks of part of the shape: a 1-D mask on the first axis selects
rows (X[labels == k]), a mask of the leading dimensions selects sub-arrays,
X[:, m] selects columns; reductions of the selection along the selected
axis, assignment with broadcasting, in-place updates."""
import numpy as np

# dfc-test: sizes N=40,M=5,P=3 | N=3,M=2,P=2 | N=1,M=1,P=1
# dfc-test: args k=3


# dfc: centroid(X: float64[N, M], labels: int64[N], k: int64)
def centroid(X, labels, k):
    members = X[labels == k]
    return (members.mean(axis=0), members.sum(axis=0), np.sum(X[labels == k]),
            np.count_nonzero(labels == k), members.shape[0], len(members),
            members.size, members.sum(axis=(0, 1)), np.mean(members, axis=-2))


# dfc: row_stats(X: float32[N, M], m: bool[N])
def row_stats(X, m):
    s = X[m]
    return s.mean(axis=0, keepdims=True), np.mean(s), np.prod(s, axis=0), s.ndim


# dfc: assign_row(X: float64[N, M], m: bool[N], v: float64[M])
def assign_row(X, m, v):
    X[m] = v


# dfc: assign_ops(X: int32[N, M], m: bool[N], w: int32[M])
def assign_ops(X, m, w):
    X[m] += 1
    X[~m] = X[~m] * 2 - w
    X[m] -= w


# dfc: assign_column(X: float64[N, M], m: bool[N], c: float64)
def assign_column(X, m, c):
    X[m, 0] = c
    X[m, 1:] *= 2.0
    X[m, -1] += X[m, 0]


# dfc: columns(X: float64[N, M], m: bool[M])
def columns(X, m):
    t = X[:, m].sum(axis=1)
    X[:, m] = 0.5
    X[:, ~m] += t[:, None]
    return t, X[:, m].mean(axis=1)


# dfc: center_cluster(X: float64[N, M], labels: int64[N], k: int64)
def center_cluster(X, labels, k):
    m = labels == k
    X[m] -= X[m].mean(axis=0)
    X[m] = X[m] * 2.0 + 1.0


# dfc: leading_mask(T: float64[N, M, P], m: bool[N, M], v: float64[P])
def leading_mask(T, m, v):
    s = T[m].sum(axis=0)
    T[m] = v
    T[..., 0][m] += 1.0
    return s, T[m].mean(axis=0)


# dfc: copy_rows(X: float64[N, M], Y: float64[N, M], m: bool[N])
def copy_rows(X, Y, m):
    X[m] = Y[m] * 3.0
