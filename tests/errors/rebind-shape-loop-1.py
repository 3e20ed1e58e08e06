import numpy as np


# dfc: k(a: float64[N], steps: int64)
def k(a, steps):
    x = a.copy()
    for t in range(steps):
        x = x[1:] * 2.0
    return x
