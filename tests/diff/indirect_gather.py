"""Data-dependent reads: integer-array gathers and indices read from arrays."""
import numpy as np

# dfc-test: sizes N=10,M=7 | N=3,M=12
# dfc-test: range idx=-3,3
# dfc-test: range k=0,3


# dfc: gather(x: float64[N], idx: int64[M])
def gather(x, idx):
    return x[idx] * 2.0 + 1.0


# dfc: rows(A: float32[N, N], idx: int16[M])
def rows(A, idx):
    return A[idx]


# dfc: rows_slice(A: float64[N, N], idx: int32[M])
def rows_slice(A, idx):
    return A[idx, :] + A[idx, 1:2]


# dfc: columns(A: float64[N, N], idx: int8[M], k: int64)
def columns(A, idx, k):
    return A[k, idx] - A[:, idx].sum(axis=0)


# dfc: pairs(A: float64[N, N], idx: int64[M])
def pairs(A, idx):
    return A[idx, idx[::-1]]


# dfc: loop_read(x: float64[N], idx: uint8[M], y: float64[M])
def loop_read(x, idx, y):
    s = 0.0
    for i in range(len(idx)):
        y[i] = x[idx[i] % 3]
        s += x[idx[i] % 3] * y[i]
    return s


# dfc: var_index(x: float64[N], idx: int64[M], y: float64[N])
def var_index(x, idx, y):
    for i in range(len(idx)):
        k = idx[i]
        y[k] = x[k] + i
    return y
