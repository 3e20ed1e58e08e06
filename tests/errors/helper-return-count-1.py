import numpy as np


def minmax(v):
    if v.shape[0] == 0:
        return 0.0
    return np.min(v), np.max(v)


# dfc: k(a: float64[N])
def k(a):
    lo, hi = minmax(a)
    return hi - lo
