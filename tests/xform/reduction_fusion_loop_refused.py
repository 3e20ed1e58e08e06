"""reduction-fusion refuses when a loop stands between the producer and
the reduction."""
import numpy as np


# dfc: k(a: float64[N], b: float64[N], n: int64)
def k(a, b, n):
    t = a * b
    for i in range(n):
        b[i] = 1.0
    s = np.sum(t)
    return s
