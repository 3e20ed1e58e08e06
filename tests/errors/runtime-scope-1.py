import numpy as np


# dfc: k(x: float64[N], w: int64[N])
def k(x, w):
    for i in range(3):
        t = np.ones(w[i])
    return np.sum(t)
