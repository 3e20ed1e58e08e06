import numpy as np


# dfc: k(x: float64[N], f: float64[N])
def k(x, f):
    for i in range(3):
        x[f[i]] = 1.0
