import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    A[:, ::2].reshape(-1)[0] = 1.0
    return A
