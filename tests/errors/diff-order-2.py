import numpy as np


# dfc: k(x: float64[N], m: int64)
def k(x, m):
    return np.diff(x, m)
