import numpy as np


# dfc: k(A: float64[N], s: int64)
def k(A, s):
    return A[::s].copy()
