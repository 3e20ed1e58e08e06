import numpy as np


# dfc: k(x: float64[N], w: int64[N])
def k(x, w):
    return x[::w[0]].copy()
