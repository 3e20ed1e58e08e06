"""Data-dependent writes: scatters, histograms, buffered x[idx] += v."""
import numpy as np

# dfc-test: sizes N=10,M=7 | N=4,M=15
# dfc-test: range idx=-4,4


# dfc: scatter(x: float64[N], idx: int64[M], v: float64[M])
def scatter(x, idx, v):
    x[idx] = v


# dfc: scatter_scalar(x: int32[N], idx: int32[M])
def scatter_scalar(x, idx):
    x[idx] = 7


# dfc: scatter_add(x: float64[N], idx: int64[M], v: float64[M])
def scatter_add(x, idx, v):
    x[idx] += v * 2.0


# dfc: self_gather(x: float64[N], idx: int64[M])
def self_gather(x, idx):
    x[idx] = x[idx[::-1]] + 1.0


# dfc: histogram(h: float64[N], idx: int16[M], w: float64[M])
def histogram(h, idx, w):
    for i in range(len(idx)):
        h[idx[i]] += w[i]


# dfc: counts(idx: int64[M], c: int64[N])
def counts(idx, c):
    for i in range(idx.shape[0]):
        c[idx[i]] += 1
    return c


# dfc: rows_set(A: float64[N, N], idx: int64[M], v: float64[N])
def rows_set(A, idx, v):
    A[idx, :] = v
    A[idx[0], idx[1]] = -1.0
