import numpy as np


# dfc: k(A: float64[N], t: float64)
def k(A, t):
    if t > 0.0:
        return A.copy()
    return t
