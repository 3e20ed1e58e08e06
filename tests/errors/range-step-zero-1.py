import numpy as np


# dfc: k(x: float64[N])
def k(x):
    s = 0.0
    for i in range(x.shape[0], 0, 0):
        s += x[i - 1]
    return s
