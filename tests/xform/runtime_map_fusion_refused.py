import numpy as np


# dfc: k(x: float64[N], w: int64[N], y: float64[N])
def k(x, w, y):
    y[:] = x * 2.0
    # the consumer's extent is assigned between the two maps
    z = y[:w[0]] + 1.0
    return np.sum(z)
