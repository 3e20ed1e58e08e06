import numpy as np


# dfc: k(x: float64[N])
def k(x):
    y = x[x > 0]
    return y * 2.0
