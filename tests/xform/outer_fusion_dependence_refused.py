"""outer-map-fusion refuses a map that reads what the other writes at
elements dfc cannot prove apart (b[i, j + 1] = a[i, j])."""
import numpy as np


# dfc: kern(x: float64[N, M], a: float64[N, M], b: float64[N, M])
def kern(x, a, b):
    a[:, :] = x * 2.0
    b[:, 1:] = a[:, :-1]
