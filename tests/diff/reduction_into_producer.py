"""Reductions of what a map produces and keeps (reduction-into-producer at
-O3): a returned mask and its count (threshold, with NaN pixels, which
compare false), the row sums of a converted matrix that a product reads
afterwards (pagerank's out-degrees, from bool and int adjacency), column
sums, maxima and products of returned float32/int arrays; 1 row, 1 column,
odd sizes."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=1,M=9 | N=9,M=1 | N=37,M=29 | N=130,M=67


# dfc: threshold(img: float64[N, M])
def threshold(img):
    img[0, 0] = np.nan
    mask = img > img.mean()
    return mask, np.count_nonzero(mask) / mask.size


# dfc: degrees(adj: int64[N, N])
def degrees(adj):
    A = adj.astype(np.float64)
    out = np.sum(A, axis=1)
    return (1.0 / np.maximum(out, 1.0)) @ A


# dfc: degrees_bool(adj: bool[N, N], x: float64[N])
def degrees_bool(adj, x):
    A = adj.astype(np.float64)
    out = np.sum(A, axis=1)
    return out, A @ x


# dfc: columns(a: float32[N, M], b: float32[N, M])
def columns(a, b):
    t = a * b
    return t, np.sum(t, axis=0)


# dfc: column_max(a: float64[N, M])
def column_max(a):
    a[-1, 0] = np.nan
    t = a - 1.0
    return t, np.max(t, axis=0)


# dfc: int_rows(a: int32[N, M])
def int_rows(a):
    t = a * 3
    return t, np.sum(t, axis=1), np.min(t)
