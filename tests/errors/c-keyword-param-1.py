import numpy as np


# dfc: k(A: float64[N], default: float64)
def k(A, default):
    A[:] = default
