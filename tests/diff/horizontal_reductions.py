"""Sibling reductions in states apart that -O3's horizontal-map-fusion
merges into one map, hoisting the initializations between them and
leaving the rest after: several scalar sums (frobenius-like: three
reductions of two matrices in one sweep), several per-column sums
(zscore-like: the column sums of a mean and of a std share the reads of
X), scalar and per-column sums mixed in one map, float32 and int inputs,
a min/max pair, and a reduction that must stay apart (it reads what the
one before it produced). Odd sizes, one element, and sizes above the
parallel threshold."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=13,M=7 | N=37,M=3 | N=300,M=257 | N=70001,M=2


# dfc: frob(A: float64[N, M], B: float64[N, M])
def frob(A, B):
    inner = np.sum(A * B)
    na = np.linalg.norm(A)
    nb = np.linalg.norm(B)
    return inner, na, nb, inner / (na * nb)


# dfc: frob32(A: float32[N, M], B: float32[N, M])
def frob32(A, B):
    inner = np.sum(A * B)
    sa = np.sum(A)
    sb = np.sum(B * 2.0)
    return inner, sa, sb


# dfc: zcols(X: float64[N, M])
def zcols(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma


# dfc: mixed(X: float64[N, M], Y: float32[N, M])
def mixed(X, Y):
    cols = np.sum(X, axis=0)
    total = np.sum(X * Y)
    ycols = np.sum(Y, axis=0)
    sq = np.sum(X * X)
    return cols, total, ycols, sq


# dfc: ints(K: int64[N, M], X: float64[N, M])
def ints(K, X):
    s = np.sum(K)
    t = np.sum(K * X)
    c = np.sum(K, axis=0)
    return s, t, c


# dfc: extremes(x: float64[N], y: float64[N])
def extremes(x, y):
    lo = np.min(x)
    hi = np.max(x)
    s = np.sum(x * y)
    return lo, hi, s


# dfc: chain(x: float64[N])
def chain(x):
    m = np.mean(x)
    v = np.sum((x - m) * (x - m))
    s = np.sum(x)
    return m, v, s
