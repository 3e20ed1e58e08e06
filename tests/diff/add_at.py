"""Unbuffered in-place ufunc updates np.add.at(a, idx, b) and friends:
repeated indices apply the operation once per occurrence (unlike
a[idx] += b), on 1-D and N-D arrays, with scalar and broadcast b."""
import numpy as np

# dfc-test: sizes N=10,M=25,K=4 | N=3,M=1,K=3
# dfc-test: range idx=-3,3
# dfc-test: range rows=0,3
# dfc-test: range cols=0,2


# dfc: add_at(a: float64[N], idx: int64[M], w: float64[M])
def add_at(a, idx, w):
    np.add.at(a, idx, w)
    np.add.at(a, idx, 1.0)
    return a


# dfc: counts_at(idx: int32[M])
def counts_at(idx):
    c = np.zeros(7, dtype=np.int64)
    np.add.at(c, idx + 3, 1)
    return c


# dfc: sub_mul_at(a: int32[N], idx: int64[M], b: float32[N], v: float32[M])
def sub_mul_at(a, idx, b, v):
    np.subtract.at(a, idx, 2)
    np.multiply.at(b, idx, v)
    np.subtract.at(b, idx, v * 0.5)


# dfc: minmax_at(a: float64[N], idx: int64[M], v: float64[M], c: int16[N])
def minmax_at(a, idx, v, c):
    lo = np.full(a.shape[0], 10.0)
    np.maximum.at(a, idx, v)
    np.minimum.at(lo, idx, v)
    np.maximum.at(c, idx, 5)
    return lo


# dfc: rows_at(A: float64[K, N], rows: int64[M], B: float64[M, N], r: float64[N])
def rows_at(A, rows, B, r):
    np.add.at(A, rows, B)
    np.add.at(A, rows, r)


# dfc: pairs_at(A: complex128[K, K], rows: int64[M], cols: int64[M], w: complex128[M])
def pairs_at(A, rows, cols, w):
    np.add.at(A, (rows, cols), w)
    np.add.at(A, (rows, 0), 1j)
    np.multiply.at(A, (cols, rows), 2.0)


# dfc: masked_at(a: float64[N], m: bool[N])
def masked_at(a, m):
    np.add.at(a, m, 1.5)
    np.add.at(a, 0, a[1])
