import numpy as np


# dfc: k(x: float64[N], w: int64[N])
def k(x, w):
    # the body assigns the bound w[i] of its own write at run time: the
    # iterations are not independent
    for i in range(w.shape[0]):
        x[:w[i]] += 1.0
