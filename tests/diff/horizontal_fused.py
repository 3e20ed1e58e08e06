"""Independent elementwise maps over one range that -O3 fuses into one
loop (horizontal-map-fusion): mixed float32/float64/int32 inputs read by
several results, 2-D results sharing a broadcast row, a NaN input, and
maps that must stay apart (one reads what another writes). Odd sizes,
one element, and sizes above the parallel threshold."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=13,M=7 | N=37,M=3 | N=70001,M=2


# dfc: mixed(x: float32[N], y: float64[N], k: int32[N])
def mixed(x, y, k):
    a = x * y
    b = x + k
    c = k * 0.5
    d = x * 2
    e = k // 3
    return a, b, c, d, e


# dfc: rows(A: float64[N, M], r: float64[M], F: float32[N, M])
def rows(A, r, F):
    B = A * r[None, :]
    C = A - r[None, :]
    G = F * 3.0
    return B, C, G


# dfc: nans(x: float64[N], y: float64[N])
def nans(x, y):
    x[0] = np.nan
    a = x + y
    b = np.maximum(x, y)
    c = x * 0.0
    return a, b, c


# dfc: chained(x: float64[N], y: float64[N])
def chained(x, y):
    a = x + 1.0
    b = y * 2.0
    c = a + b
    d = np.sqrt(np.abs(x))
    return a, b, c, d
