import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    A.ravel()[A.ravel() > 1.0] = 0.0
    return A
