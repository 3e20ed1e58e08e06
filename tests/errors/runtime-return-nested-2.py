import numpy as np


# dfc: k(x: float64[N], t: float64)
def k(x, t):
    if t > 0:
        n = int(x[0])
        return np.zeros(n)
    return np.ones(3)
