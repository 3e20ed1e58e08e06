import numpy as np


# dfc: k(x: float64[N])
def k(x):
    return np.diff(x, n=-1)
