import numpy as np


# dfc: k(A: float64[N, N])
def k(A):
    d = np.diagonal(A)
    d[:] = 0.0
